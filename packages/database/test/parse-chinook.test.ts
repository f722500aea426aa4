import { readFileSync } from 'node:fs';
import { CHINOOK_ROW_COUNTS, DEFAULT_CHINOOK_SQL, parseChinookInserts } from '@tributary/database';
import { describe, expect, it } from 'vitest';

describe('parseChinookInserts', () => {
  it('keeps the INSERTs of the real script, in file order, pointed at each owning schema', () => {
    const inserts = parseChinookInserts(readFileSync(DEFAULT_CHINOOK_SQL, 'utf8'));
    const tables = [...new Set(inserts.map((i) => i.table))];
    expect(tables.sort()).toEqual(Object.keys(CHINOOK_ROW_COUNTS).sort());
    expect(inserts[0]!.sql.startsWith("INSERT INTO catalog.genre (name) VALUES\n    (N'Rock'),")).toBe(true);
    expect(inserts.find((i) => i.table === 'invoice_line')!.sql.startsWith('INSERT INTO sales.invoice_line ')).toBe(true);
    expect(inserts.every((i) => !/DATABASE|\\c/.test(i.sql.slice(0, 40)))).toBe(true);
  });

  it('skips psql-only lines and DDL, and does not split on a semicolon inside a string', () => {
    const script = [
      'DROP DATABASE IF EXISTS chinook_serial;',
      'CREATE DATABASE chinook_serial;',
      '\\c chinook_serial;',
      '/* a comment; with a semicolon */',
      'CREATE TABLE artist (artist_id SERIAL NOT NULL, name VARCHAR(120));',
      "INSERT INTO artist (name) VALUES (N'Semi;colon'), (N'It''s; here');",
      "-- INSERT INTO artist (name) VALUES (N'commented out');",
      'INSERT INTO playlist_track (playlist_id, track_id) VALUES (1, 2);',
    ].join('\n');
    expect(parseChinookInserts(script)).toEqual([
      { table: 'artist', sql: "INSERT INTO catalog.artist (name) VALUES (N'Semi;colon'), (N'It''s; here')" },
      { table: 'playlist_track', sql: 'INSERT INTO playlists.playlist_track (playlist_id, track_id) VALUES (1, 2)' },
    ]);
  });
});

describe('parseChinookInserts misuse', () => {
  it('refuses an INSERT into a table Chinook does not have, naming it', () => {
    expect(() => parseChinookInserts("INSERT INTO users (name) VALUES ('x');")).toThrow(/unknown table "users"; expected one of artist, album/);
  });
});
