import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';
import { untilFresh } from './support/until-fresh.js';

/**
 * A response past MAX_TAGS_PER_ENTRY keeps only the coarse form: `any:Type` per entity type it
 * read. The tag walk stops making entity and field tags past the bound, so the types met only
 * after it (`genre`, later in the catalog fetch; `Playlist`, in the playlists subgraph's
 * `_entities` fetch, which shares the response's reads) must still give their `any:` tag: a plain SQL change to an entity of any type
 * the response read, and that is not in it, evicts it; one to a type it did not read does not.
 */
const BIG = '{ albums(first: 100) { nodes { title tracks { name unitPrice } } } genre(id: "7") { name } album(id: "1") { tracks { playlists { name } } } }';

let database: TestDatabase;
let stack: Stack;
let sql: pg.Client;
beforeAll(async () => {
  database = await cloneTemplateDatabase();
  stack = await startStack({ databaseUrl: database.url, gatewayEnv: { CACHE_DEBUG: 'true' } });
  sql = new pg.Client({ connectionString: database.url });
  await sql.connect();
});
afterAll(async () => {
  await sql?.end();
  await stack?.close();
  await database?.drop();
});

async function ask(): Promise<{ cache: string | null; text: string }> {
  const response = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: BIG }) });
  return { cache: response.headers.get('x-tributary-cache'), text: await response.text() };
}

/** Asks until the response is a hit from L1 (stored, and every write before heard). */
async function cached(): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const answer = await ask();
    if (answer.cache === 'hit-l1') return answer.text;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the response was never a hit');
}

describe('a response past MAX_TAGS_PER_ENTRY, and plain SQL changes', () => {
  it('reads past the bound', async () => {
    const text = await cached();
    expect(JSON.parse(text).data.genre.name).toBeTypeOf('string');
    expect(JSON.parse(text).data.album.tracks[0].playlists.length).toBeGreaterThan(0);
  });

  it.each([
    ['Album (met first)', "UPDATE catalog.album SET title = title || '.' WHERE album_id = 300"],
    ['Track (met first)', "UPDATE catalog.track SET name = name || '.' WHERE track_id = 3000"],
    ['Genre (met past the bound, same fetch)', "UPDATE catalog.genre SET name = name || '.' WHERE genre_id = 20"],
    [
      'Playlist (met past the bound, a later fetch)',
      // A playlist none of album 1's tracks is on.
      "UPDATE playlists.playlist SET name = name || '.' WHERE playlist_id = (SELECT min(playlist_id) FROM playlists.playlist WHERE playlist_id NOT IN (SELECT playlist_id FROM playlists.playlist_track JOIN catalog.track USING (track_id) WHERE album_id = 1))",
    ],
  ])('a change to an entity of a type it read but not in it evicts it: %s', async (_type, statement) => {
    const before = await cached();
    const since = Date.now();
    await sql.query(statement);
    const { answer } = await untilFresh(ask, (a) => a.cache !== 'hit-l1', since, 2_000);
    // Executed again: a miss, or not stored when an event reached it while it ran.
    expect(['miss', 'not-stored']).toContain(answer.cache);
    expect(answer.text).toBe(before);
  });

  it('a change to a type it did not read (Artist) does not', async () => {
    const before = await cached();
    await sql.query("UPDATE catalog.artist SET name = name || '.' WHERE artist_id = 200");
    await new Promise((r) => setTimeout(r, 500));
    const after = await ask();
    expect(after).toEqual({ cache: 'hit-l1', text: before });
  });
});
