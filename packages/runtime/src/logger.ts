import { type Logger, pino } from 'pino';
import { z } from 'zod';
import { parseEnv } from './env/index.js';
import { COMMON_ENV_FIELDS } from './subgraph-env.js';

const LOGGER_ENV = z.object({ LOG_LEVEL: COMMON_ENV_FIELDS.LOG_LEVEL, LOG_FORMAT: COMMON_ENV_FIELDS.LOG_FORMAT, NODE_ENV: COMMON_ENV_FIELDS.NODE_ENV });

/**
 * The process logger (pino) at `LOG_LEVEL` (default `info`), tagged with `service`: JSON lines,
 * or pino-pretty's readable lines when stdout is a terminal outside production.
 * Library code never logs on its own: it receives a logger.
 *
 * @throws ConfigError naming `LOG_LEVEL` when it is not a pino level, or `LOG_FORMAT` when it is
 * not `json` or `pretty`.
 */
export function createLogger(service: string, env: NodeJS.ProcessEnv = process.env): Logger {
  const e = parseEnv(LOGGER_ENV, env);
  const level = e.LOG_LEVEL ?? 'info';
  const pretty = e.LOG_FORMAT === 'pretty' || (e.LOG_FORMAT === undefined && process.stdout.isTTY && e.NODE_ENV !== 'production');
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
