import { type Kysely, sql } from 'kysely';
import type { ReadinessProbe } from './use-readiness.js';

/**
 * How long a subgraph's readiness waits for `select 1`, in ms: a free connection and an answer.
 * Below the gateway's wait for each subgraph (`READINESS_TIMEOUT_MS`, 2 s), so that a starved
 * pool is reported as such rather than as an unreachable subgraph.
 */
export const DATABASE_READINESS_TIMEOUT_MS = 1_000;

/**
 * Readiness of a subgraph's database: `select 1` through the subgraph's own pool, bounded by
 * `timeoutMs`. A pool whose connections are all held (a starved pool), a database that is down
 * or a statement that hangs all fail the check, so `/readyz` answers 503 while requests would
 * wait or fail. Concurrent checks share one statement, so that probes cannot pile up in a
 * starved pool's queue (a statement left waiting there ends at the pool's connect timeout).
 *
 * @example
 * useReadiness(createDatabaseReadiness(db));
 * // GET /readyz while the pool is starved → 503 {"status":"not ready","reason":"database: no answer to select 1 within 1000 ms"}
 */
export function createDatabaseReadiness(db: Kysely<any>, timeoutMs = DATABASE_READINESS_TIMEOUT_MS): ReadinessProbe {
  let inFlight: Promise<void> | undefined;
  const selectOne = async () => {
    await sql`select 1`.execute(db);
  };
  return {
    check() {
      inFlight ??= withTimeout(selectOne(), timeoutMs).finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
}

/** `work`, or an error naming the bound when it takes longer than `timeoutMs`. */
async function withTimeout(work: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`database: no answer to select 1 within ${timeoutMs} ms`)), timeoutMs);
  });
  // The statement may still fail after the timeout won: its rejection is expected, not unhandled.
  work.catch(() => undefined);
  try {
    await Promise.race([work.catch((error: Error) => Promise.reject(new Error(`database: ${error.message}`))), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
