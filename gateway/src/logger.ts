import { pino, type Logger } from 'pino';

/**
 * The process logger (pino) at `LOG_LEVEL` (default `info`), tagged with `service`: JSON lines,
 * or pino-pretty's readable lines when stdout is a terminal outside production.
 * Library code never logs on its own: it receives a logger.
 */
export function createLogger(service: string, env: NodeJS.ProcessEnv = process.env): Logger {
  const pretty = process.stdout.isTTY && env.NODE_ENV !== 'production' && env.LOG_FORMAT !== 'json';
  return pino({
    name: service,
    level: env.LOG_LEVEL || 'info',
    // Readable lines on a terminal; JSON lines everywhere else (and with LOG_FORMAT=json).
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname', translateTime: 'HH:MM:ss.l' } } } : {}),
  });
}
