/**
 * Postgres WAL positions (LSNs) as the server prints them (`pg_lsn`: `16/B374D848`, two
 * hexadecimal halves of a 64-bit byte position), and their order. Change events carry the LSN
 * of the write they announce; a read from a streaming replica carries the replica's
 * `pg_last_wal_replay_lsn()` taken before it ran (see docs/database/READ_REPLICAS.md).
 */

const LSN_PATTERN = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

/**
 * The byte position of an LSN's text.
 *
 * @example lsnPosition('0/3000060') // 50331744n
 * @throws Error naming the text when it is not `hex/hex`.
 */
export function lsnPosition(lsn: string): bigint {
  const match = LSN_PATTERN.exec(lsn);
  if (!match) throw new Error(`not a Postgres LSN: ${JSON.stringify(lsn)}; expected hex/hex such as 0/3000060`);
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/** Whether `text` is an LSN as Postgres prints it (`hex/hex`). */
export function isLsn(text: unknown): text is string {
  return typeof text === 'string' && LSN_PATTERN.test(text);
}

/** Whether a replica that had replayed up to `replayed` has replayed the write at `write` (`replayed ≥ write`). */
export function lsnAtLeast(replayed: string, write: string): boolean {
  return lsnPosition(replayed) >= lsnPosition(write);
}

/** The lower of two LSNs (`undefined` counts as "not known", the other wins). */
export function minLsn(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return lsnPosition(a) <= lsnPosition(b) ? a : b;
}

/** The higher of two LSNs (`undefined` counts as "not known", the other wins). */
export function maxLsn(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return lsnPosition(a) >= lsnPosition(b) ? a : b;
}
