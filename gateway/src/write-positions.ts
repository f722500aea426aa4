import type { InvalidationBus } from '@tributary/cache';
import { isLsn, maxLsn } from '@tributary/runtime';

/** Principals whose latest write position is remembered, at most (the oldest is forgotten first). */
export const MAX_REMEMBERED_WRITERS = 10_000;

/**
 * Read-your-writes over read replicas: the latest WAL position (`hex/hex`) each principal's
 * mutations wrote at, as subgraphs report it (`x-tributary-write-lsn`), so that the principal's
 * later fetches carry it (`x-tributary-min-lsn`) and a subgraph whose replica has not replayed
 * that far reads from the primary. Keyed by `principalSubject` (`customer:5`, `anonymous`: the
 * anonymous callers share one position, which only costs them primary reads until the replica
 * catches up). Shared by the gateways on one bus through {@link shareWritePositions}.
 */
export interface WritePositions {
  /** Records that `subject` wrote at `lsn` (kept if higher than what was known). Ignores text that is not an LSN. */
  wrote(subject: string, lsn: string | null | undefined): void;
  /** The position `subject` last wrote at, if remembered. */
  of(subject: string): string | undefined;
}

/** A bounded {@link WritePositions} ({@link MAX_REMEMBERED_WRITERS} principals). */
export function createWritePositions(maxWriters = MAX_REMEMBERED_WRITERS): WritePositions {
  const positions = new Map<string, string>();
  return {
    wrote(subject, lsn) {
      if (!isLsn(lsn)) return;
      const highest = maxLsn(positions.get(subject), lsn)!;
      positions.delete(subject);
      positions.set(subject, highest);
      if (positions.size > maxWriters) positions.delete(positions.keys().next().value!);
    },
    of: (subject) => positions.get(subject),
  };
}

/**
 * Shares `local` with every gateway on `bus`: a position recorded here is also published as a
 * `wrote` event, and every `wrote` event heard (this gateway's own included) is recorded, so
 * that a client whose next request reaches another gateway still reads its writes. The publish
 * is not awaited: the bus delivers in milliseconds, before a client usually sends its next
 * request; a lost publish (`onError`) costs only that, never a stale cache entry (the replica
 * gate keeps those out). `close` stops listening.
 */
export function shareWritePositions(local: WritePositions, bus: InvalidationBus, onError: (error: Error) => void): WritePositions & { close(): void } {
  const close = bus.subscribe((event) => {
    if (event.kind === 'wrote') local.wrote(event.subject, event.position);
  });
  return {
    wrote(subject, lsn) {
      if (!isLsn(lsn)) return;
      local.wrote(subject, lsn);
      bus.publish({ kind: 'wrote', subject, position: lsn }).catch(onError);
    },
    of: (subject) => local.of(subject),
    close,
  };
}
