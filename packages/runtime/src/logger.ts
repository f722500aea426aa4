import { InvalidConfigurationError } from './read-port.js';
import { pino, type Logger } from 'pino';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * The process logger (pino) at `LOG_LEVEL` (default `info`), tagged with `service`: JSON lines,
 * or pino-pretty's readable lines when stdout is a terminal outside production.
 * Library code never logs on its own: it receives a logger.
 *
 * @throws InvalidConfigurationError naming `LOG_LEVEL` when it is not a pino level.
 */
export function createLogger(service: string, env: NodeJS.ProcessEnv = process.env): Logger {
  const level = env.LOG_LEVEL?.trim() || 'info';
  if (!LOG_LEVELS.includes(level)) {
    throw new InvalidConfigurationError(`Invalid configuration: LOG_LEVEL: must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(level)}`);
  }
  const pretty = process.stdout.isTTY && env.NODE_ENV !== 'production' && env.LOG_FORMAT !== 'json';
  return pino({
    name: service,
    level,
    // Readable lines on a terminal; JSON lines everywhere else (and with LOG_FORMAT=json).
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname', translateTime: 'HH:MM:ss.l' } } } : {}),
  });
}

/** {@link createLogger} for a process entry point: a bad `LOG_LEVEL` prints its one line and exits 1. */
export function loggerOrExit(service: string): Logger {
  try {
    return createLogger(service);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}
