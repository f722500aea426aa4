import { CHANGE_TABLES } from '../field-sources/chinook-field-sources.js';
import type { ChinookTableName } from '../field-sources/table-source.js';

type UnqualifiedName<Q> = Q extends `${string}.${infer T}` ? T : never;

/** A Chinook table by the name the script uses (`'track'`). */
export type ChinookTable = UnqualifiedName<ChinookTableName>;

/**
 * Which Postgres schema owns each Chinook table (the owning subgraph's name), from the field
 * sources' table list. `INSERT INTO track` in the script becomes `INSERT INTO catalog.track`.
 */
export const CHINOOK_TABLE_SCHEMAS = Object.fromEntries(CHANGE_TABLES.map((qualified) => qualified.split('.').reverse())) as Record<ChinookTable, string>;

/** Chinook 1.4.5's row counts; the import verifies them. */
export const CHINOOK_ROW_COUNTS: Record<ChinookTable, number> = {
  artist: 275,
  album: 347,
  track: 3503,
  genre: 25,
  media_type: 5,
  customer: 59,
  employee: 8,
  invoice: 412,
  invoice_line: 2240,
  playlist: 18,
  playlist_track: 8715,
};

/** One data statement of the script, rewritten to its owning schema. */
export interface ChinookInsert {
  table: ChinookTable;
  /** `INSERT INTO catalog.genre (name) VALUES ...` */
  sql: string;
}

/**
 * Splits the Chinook script into statements (a `;` inside a quoted string does not end one) and
 * keeps its `INSERT`s, in file order, each pointed at its owning schema. Serial keys are not in
 * the script, so the order of inserts is what gives rows their Chinook ids.
 *
 * The script's DDL is not run: migrations create the same tables in per-subgraph schemas. Its
 * psql-only lines (`DROP DATABASE`, `CREATE DATABASE`, `\c`) are skipped with the rest.
 *
 * @throws Error when an `INSERT` names a table that Chinook does not have.
 */
export function parseChinookInserts(script: string): ChinookInsert[] {
  const inserts: ChinookInsert[] = [];
  for (const statement of splitStatements(script)) {
    const match = /^INSERT\s+INTO\s+("?)(\w+)\1(\s)/i.exec(statement);
    if (!match) continue;
    const table = match[2]!.toLowerCase();
    if (!(table in CHINOOK_TABLE_SCHEMAS)) {
      throw new Error(`Chinook script inserts into unknown table "${table}"; expected one of ${Object.keys(CHINOOK_TABLE_SCHEMAS).join(', ')}`);
    }
    const schema = CHINOOK_TABLE_SCHEMAS[table as ChinookTable];
    inserts.push({ table: table as ChinookTable, sql: `INSERT INTO ${schema}.${table}${match[3]}${statement.slice(match[0].length)}` });
  }
  return inserts;
}

/** Statements of a SQL script without comments, trimmed; quoted strings are kept whole. */
function splitStatements(script: string): string[] {
  const statements: string[] = [];
  let current = '';
  let i = 0;
  while (i < script.length) {
    const ch = script[i]!;
    if (ch === "'") {
      const end = closingQuote(script, i);
      current += script.slice(i, end + 1);
      i = end + 1;
    } else if (ch === '-' && script[i + 1] === '-') {
      i = lineEnd(script, i);
    } else if (ch === '/' && script[i + 1] === '*') {
      const end = script.indexOf('*/', i + 2);
      i = end === -1 ? script.length : end + 2;
    } else if (ch === '\\' && current.trim() === '') {
      i = lineEnd(script, i); // psql meta-command such as \c
    } else if (ch === ';') {
      if (current.trim()) statements.push(current.trim());
      current = '';
      i++;
    } else {
      current += ch;
      i++;
    }
  }
  if (current.trim()) statements.push(current.trim());
  return statements;
}

/** Index of the quote that closes the string opening at `start` ('' is an escaped quote). */
function closingQuote(script: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const next = script.indexOf("'", i);
    if (next === -1) return script.length - 1;
    if (script[next + 1] === "'") i = next + 2;
    else return next;
  }
}

function lineEnd(script: string, from: number): number {
  const nl = script.indexOf('\n', from);
  return nl === -1 ? script.length : nl + 1;
}
