/**
 * The container health check of the Tributary image (Dockerfile `HEALTHCHECK`, compose
 * `healthcheck`). Plain JavaScript so that it starts in ~50 ms without tsx.
 *
 * Asks every URL in `HEALTHCHECK_URLS` (comma-separated; default: the gateway's
 * `http://127.0.0.1:${GATEWAY_PORT:-4000}/readyz`) and exits 0 when each answers 200 within
 * `HEALTHCHECK_TIMEOUT_MS` (default 2000), else 1 with one line per failure on stderr.
 */
const urls = (process.env.HEALTHCHECK_URLS || `http://127.0.0.1:${process.env.GATEWAY_PORT || 4000}/readyz`)
  .split(',')
  .map((url) => url.trim())
  .filter(Boolean);
const timeoutMs = Number(process.env.HEALTHCHECK_TIMEOUT_MS || 2000);

const failures = (
  await Promise.all(
    urls.map(async (url) => {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
        await response.body?.cancel();
        return response.status === 200 ? undefined : `${url}: HTTP ${response.status}`;
      } catch (error) {
        return `${url}: ${error.cause?.code ?? error.cause?.message ?? error.message}`;
      }
    }),
  )
).filter(Boolean);
for (const failure of failures) process.stderr.write(`unhealthy: ${failure}\n`);
process.exit(failures.length === 0 ? 0 : 1);
