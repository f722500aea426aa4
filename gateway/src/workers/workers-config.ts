import os from 'node:os';
import { InvalidConfigurationError } from '@tributary/runtime';

/** Most workers `GATEWAY_WORKERS` accepts (a typo such as 4000 should not fork thousands of processes). */
export const MAX_GATEWAY_WORKERS = 256;

/**
 * Reads `GATEWAY_WORKERS`: how many gateway worker processes serve the gateway port
 * (`node:cluster`). Absent or empty: 1 (no cluster, the gateway runs in this process); `auto`:
 * `os.availableParallelism()`; else a whole number from 1 to {@link MAX_GATEWAY_WORKERS}.
 *
 * @throws InvalidConfigurationError naming the variable.
 */
export function readGatewayWorkers(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.GATEWAY_WORKERS?.trim();
  if (!raw) return 1;
  if (raw === 'auto') return os.availableParallelism();
  if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_GATEWAY_WORKERS) {
    throw new InvalidConfigurationError(`Invalid configuration: GATEWAY_WORKERS: must be auto or a whole number from 1 to ${MAX_GATEWAY_WORKERS}, got ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}
