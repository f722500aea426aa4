import { pino, type Logger } from 'pino';

/**
 * The process logger: JSON lines (pino) at `LOG_LEVEL` (default `info`), tagged with `service`.
 * Library code never logs on its own: it receives a logger.
 */
export function createLogger(service: string, env: NodeJS.ProcessEnv = process.env): Logger {
  return pino({ name: service, level: env.LOG_LEVEL || 'info' });
}
