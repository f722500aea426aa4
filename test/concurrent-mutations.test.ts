import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

/**
 * Mutations sent at the same time through the gateway lose no update: the database holds
 * exactly what every one of them did, and reads afterwards (warmed into the response cache
 * before the writes) agree with the database.
 */
describe('concurrent mutations through the gateway (response cache on)', () => {
  let database: TestDatabase;
  let stack: Stack;
  beforeAll(async () => {
    database = await cloneTemplateDatabase();
    stack = await startStack({ databaseUrl: database.url });
  });
  afterAll(async () => {
    await stack?.close();
    await database?.drop();
  });

  const db = () => stack.subgraphs.databases.sales!.db;
  const one = async <T>(query: Promise<{ rows: T[] }>) => (await query).rows[0]!;

  it('20 concurrent purchases: 20 invoices, every quantity counted, totals exact', async () => {
    const read = `{ customer(id: "30") { totalSpent invoices { totalCount } } track(id: "3") { purchaseCount } }`;
    const before = await stack.query(read, undefined, { as: 'customer:30' });
    expect(before.body.data).toEqual({ customer: { totalSpent: '37.62', invoices: { totalCount: 7 } }, track: { purchaseCount: 1 } });

    // Each purchase: track 3 once, and track 4 once or twice (alternately).
    const purchases = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        stack.query(`mutation { purchase(customerId: "30", trackIds: ${JSON.stringify(i % 2 === 0 ? ['3', '4'] : ['3', '4', '4'])}) { id total } }`, undefined, { as: 'customer:30' }),
      ),
    );
    for (const p of purchases) expect(p.body.errors).toBeUndefined();
    const ids = purchases.map((p) => p.body.data.purchase.id);
    expect(new Set(ids).size).toBe(20);
    expect(purchases.map((p) => p.body.data.purchase.total).sort()).toEqual([...Array(10).fill('1.98'), ...Array(10).fill('2.97')]);

    // 10 × 1.98 + 10 × 2.97 = 49.50 on top of 37.62
    const row = await one(
      sql<{ invoices: number; spent: string; track3: number; track4: number }>`
      select (select count(*)::int from sales.invoice where customer_id = 30) as invoices,
             (select sum(total)::text from sales.invoice where customer_id = 30) as spent,
             (select sum(quantity)::int from sales.invoice_line where track_id = 3) as track3,
             (select sum(quantity)::int from sales.invoice_line where track_id = 4) as track4`.execute(db()),
    );
    expect(row).toEqual({ invoices: 27, spent: '87.12', track3: 21, track4: 31 });
    const after = await stack.query(read, undefined, { as: 'customer:30' });
    expect(after.body.data).toEqual({ customer: { totalSpent: '87.12', invoices: { totalCount: 27 } }, track: { purchaseCount: 21 } });
  });

  it('purchases racing price changes bill each invoice at one consistent price per line, and its total is the sum of its lines', async () => {
    const prices = ['1.49', '0.49', '2.99', '0.99'];
    const writes = [
      ...Array.from({ length: 12 }, () =>
        stack.query(`mutation { purchase(customerId: "30", trackIds: ["5", "6"]) { id total lines { unitPrice quantity track { id } } } }`, undefined, { as: 'customer:30' }),
      ),
      ...prices.map((price) => stack.query(`mutation { updateTrack(id: "5", input: { unitPrice: "${price}" }) { unitPrice } }`, undefined, { as: 'employee:3' })),
    ];
    const results = await Promise.all(writes);
    for (const r of results) expect(r.body.errors).toBeUndefined();
    const invoices = results.slice(0, 12).map((r) => r.body.data.purchase);
    for (const invoice of invoices) {
      const cents = invoice.lines.reduce((sum: number, line: { unitPrice: string; quantity: number }) => sum + Math.round(Number(line.unitPrice) * 100) * line.quantity, 0);
      expect(Math.round(Number(invoice.total) * 100)).toBe(cents);
      const track5 = invoice.lines.find((l: { track: { id: string } }) => l.track.id === '5');
      expect(['0.99', ...prices]).toContain(track5.unitPrice);
    }
    // The database agrees with what each mutation answered, line by line.
    const stored = await sql<{ invoice_id: number; total: string; lines_total: string }>`
      select i.invoice_id, i.total::text, sum(l.unit_price * l.quantity)::numeric(10,2)::text as lines_total
      from sales.invoice i join sales.invoice_line l using (invoice_id)
      where i.invoice_id = any(${invoices.map((i) => Number(i.id))}) group by i.invoice_id order by i.invoice_id`.execute(db());
    expect(stored.rows).toHaveLength(12);
    for (const r of stored.rows) expect(r.total).toBe(r.lines_total);
    expect((await stack.query(`{ track(id: "5") { unitPrice } }`)).body.data.track.unitPrice).toBe(
      (await one(sql<{ p: string }>`select unit_price::text as p from catalog.track where track_id = 5`.execute(db()))).p,
    );
  });

  it('concurrent edits of one playlist: 20 different tracks added, the same track added 10 times once, 5 removed', async () => {
    const read = `{ playlist(id: "2") { trackCount tracks(first: 100) { totalCount nodes { id } } } }`;
    expect((await stack.query(read)).body.data).toEqual({ playlist: { trackCount: 0, tracks: { totalCount: 0, nodes: [] } } });
    const edit = (field: 'addTrackToPlaylist' | 'removeTrackFromPlaylist', trackId: number) =>
      stack.query(`mutation { ${field}(playlistId: "2", trackId: "${trackId}") { id } }`, undefined, { as: 'customer:1' });

    const adds = await Promise.all([...Array.from({ length: 20 }, (_, i) => edit('addTrackToPlaylist', 100 + i)), ...Array.from({ length: 10 }, () => edit('addTrackToPlaylist', 99))]);
    for (const r of adds) expect(r.body).toEqual({ data: { addTrackToPlaylist: { id: '2' } } });
    const removes = await Promise.all(Array.from({ length: 5 }, (_, i) => edit('removeTrackFromPlaylist', 100 + i)));
    for (const r of removes) expect(r.body).toEqual({ data: { removeTrackFromPlaylist: { id: '2' } } });

    const rows = await sql<{ track_id: number }>`select track_id from playlists.playlist_track where playlist_id = 2 order by track_id`.execute(db());
    const expected = [99, ...Array.from({ length: 15 }, (_, i) => 105 + i)];
    expect(rows.rows.map((r) => r.track_id)).toEqual(expected);
    expect((await stack.query(read)).body.data).toEqual({ playlist: { trackCount: 16, tracks: { totalCount: 16, nodes: expected.map((id) => ({ id: String(id) })) } } });
  });

  it('10 concurrent createPlaylist: 10 distinct playlists, and the list counts them all', async () => {
    const read = `{ playlists(first: 100) { totalCount } }`;
    expect((await stack.query(read)).body.data).toEqual({ playlists: { totalCount: 18 } });
    const created = await Promise.all(Array.from({ length: 10 }, (_, i) => stack.query(`mutation { createPlaylist(name: "Mix ${i}") { id name trackCount } }`, undefined, { as: 'customer:1' })));
    const playlists = created.map((r) => r.body.data.createPlaylist);
    expect(new Set(playlists.map((p) => p.id)).size).toBe(10);
    expect(playlists.map((p) => p.name).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `Mix ${i}`));
    expect(playlists.every((p) => p.trackCount === 0)).toBe(true);
    expect((await one(sql<{ n: number }>`select count(*)::int as n from playlists.playlist`.execute(db()))).n).toBe(28);
    expect((await stack.query(read)).body.data).toEqual({ playlists: { totalCount: 28 } });
  });
});
