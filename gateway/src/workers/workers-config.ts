import os from 'node:os';
import { readGatewayEnv } from '../gateway-env.js';

export { MAX_GATEWAY_WORKERS } from '../gateway-env.js';

/**
 * Reads `GATEWAY_WORKERS`: how many gateway worker processes serve the gateway port
 * (`node:cluster`). Absent or empty: 1 (no cluster, the gateway runs in this process); `auto`:
 * `os.availableParallelism()`; else a whole number from 1 to `MAX_GATEWAY_WORKERS`.
 *
 * @throws ConfigError naming the variable.
 */
export function readGatewayWorkers(env: NodeJS.ProcessEnv = process.env): number {
  const workers = readGatewayEnv(env).GATEWAY_WORKERS;
  if (workers === undefined) return 1;
  return workers === 'auto' ? os.availableParallelism() : workers;
}
