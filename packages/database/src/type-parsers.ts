/**
 * How column values are turned into JavaScript, the same for `pg` and PGlite, by Postgres type
 * OID (`pg_type.oid`):
 * - `TIMESTAMP` (1114, no time zone; Chinook's are UTC) → ISO 8601 string `2009-01-01T00:00:00.000Z`.
 * - `NUMERIC` (1700) → the exact decimal string (`"0.99"`), never a float.
 * - `INT8` (20, `count(*)`, `sum(int)`) → number (Chinook's counts fit easily).
 */
export const TYPE_PARSERS: Record<number, (value: string) => unknown> = {
  1114: (value) => new Date(`${value.replace(' ', 'T')}Z`).toISOString(),
  1700: (value) => value,
  20: (value) => Number(value),
};
