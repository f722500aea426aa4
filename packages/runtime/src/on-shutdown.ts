/** The part of a logger that {@link onShutdown} uses. */
interface ShutdownLogger {
  info(obj: object | string, msg?: string): void;
}

/**
 * Drains a process on SIGTERM or SIGINT (once): logs `<what> draining`, awaits `stop` (requests
 * in flight finish, new ones are refused), logs `<what> stopped`, exits 0.
 */
export function onShutdown(logger: ShutdownLogger, what: string, stop: () => Promise<void>): void {
  const shutdown = async (signal: string) => {
    logger.info({ signal }, `${what} draining`);
    await stop();
    logger.info(`${what} stopped`);
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
