import { EMBEDDED_SHARED_BUFFERS } from '@tributary/database';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALBUM_4, ALBUM_4_RESULT, DEEP_ALBUMS, DEEP_ALBUMS_MINIMUM } from './support/queries.js';
import { type Stack, startStack } from './support/stack.js';

/** The same stack with no DATABASE_URL: one in-process PGlite database shared by the four subgraphs. */
describe('embedded database (no DATABASE_URL)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('imports Chinook on start and serves the same values as Postgres', async () => {
    expect(Object.values(stack.subgraphs.databases).map((d) => d.kind)).toEqual(['embedded', 'embedded', 'embedded', 'embedded']);
    expect(stack.subgraphs.prepared?.chinook.status).toBe('imported');
    expect((await stack.query(ALBUM_4)).body).toEqual({ data: ALBUM_4_RESULT });
  });

  it('runs with 32 MB of shared buffers, three times the size of the imported database', async () => {
    const { rows } = await sql<{ buffers: string; bytes: string }>`SELECT current_setting('shared_buffers') AS buffers, pg_database_size(current_database()) AS bytes`.execute(
      stack.subgraphs.databases.catalog!.db,
    );
    expect(EMBEDDED_SHARED_BUFFERS).toBe('32MB');
    expect(rows[0]!.buffers).toBe('32MB');
    expect(Number(rows[0]!.bytes) * 3).toBeLessThan(32 * 1024 * 1024);
  });

  it('costs the same statements for 5 and 100 albums', async () => {
    for (const first of [5, 100]) {
      const { result, bySubgraph } = await stack.countStatements(() => stack.query(DEEP_ALBUMS, { first }));
      expect(result.body.data.albums.nodes).toHaveLength(first);
      expect(bySubgraph).toEqual(DEEP_ALBUMS_MINIMUM);
    }
  });

  it('keeps concurrent writes from different subgraphs apart (one session, serialised transactions)', async () => {
    const results = await Promise.all([
      stack.query(`mutation { purchase(customerId: "3", trackIds: ["5", "6"]) { total } }`, undefined, { as: 'customer:3' }),
      stack.query(`mutation { createPlaylist(name: "Concurrent") { id } }`, undefined, { as: 'customer:3' }),
      stack.query(`mutation { updateTrack(id: "5", input: { unitPrice: "2.00" }) { unitPrice } }`, undefined, { as: 'employee:3' }),
      stack.query(`mutation { addTrackToPlaylist(playlistId: "18", trackId: "99999") { id } }`, undefined, { as: 'customer:3' }),
      stack.query(`{ albums(first: 100) { nodes { tracks { purchaseCount } } } }`),
    ]);
    expect(results[0]!.body.errors).toBeUndefined();
    expect(['1.98', '2.99']).toContain(results[0]!.body.data.purchase.total);
    expect(results[1]!.body.data.createPlaylist).toEqual({ id: '19' });
    expect(results[2]!.body.data.updateTrack).toEqual({ unitPrice: '2.00' });
    expect(results[3]!.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(results[4]!.body.errors).toBeUndefined();
    const after = await stack.query(`{ playlist(id: "18") { trackCount } playlists { totalCount } customer(id: "3") { invoices { totalCount } } }`, undefined, { as: 'customer:3' });
    expect(after.body.data).toEqual({ playlist: { trackCount: 1 }, playlists: { totalCount: 19 }, customer: { invoices: { totalCount: 8 } } });
  });
});
