import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

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

const db = () => stack.subgraphs.databases.catalog!.db;

describe('updateTrack', () => {
  it('changes the track, and the next request sees it (no loader memo outlives its request)', async () => {
    const before = await stack.query(`{ track(id: "3") { name unitPrice album { tracks { id unitPrice } } } }`);
    expect(before.body.data.track).toMatchObject({ name: 'Fast As a Shark', unitPrice: '0.99' });
    const updated = await stack.query(`mutation { updateTrack(id: "3", input: { unitPrice: "1.29", composer: null }) { id name composer unitPrice } }`, undefined, { as: 'employee:3' });
    expect(updated.body).toEqual({ data: { updateTrack: { id: '3', name: 'Fast As a Shark', composer: null, unitPrice: '1.29' } } });
    const after = await stack.query(`{ track(id: "3") { unitPrice album { tracks { id unitPrice } } } }`);
    expect(after.body.data.track.unitPrice).toBe('1.29');
    expect(after.body.data.track.album.tracks.find((t: any) => t.id === '3').unitPrice).toBe('1.29');
    const row = await db().selectFrom('catalog.track').select(['unit_price', 'composer']).where('track_id', '=', 3).executeTakeFirstOrThrow();
    expect(row).toEqual({ unit_price: '1.29', composer: null });
  });

  it('returns null for a track that does not exist', async () => {
    expect((await stack.query(`mutation { updateTrack(id: "99999", input: { name: "x" }) { id } }`, undefined, { as: 'employee:3' })).body).toEqual({ data: { updateTrack: null } });
  });
});

describe('updateTrack and updateCustomer misuse', () => {
  it.each([
    [`mutation { updateTrack(id: "4", input: { name: "  " }) { id } }`, 'input.name'],
    [`mutation { updateTrack(id: "4", input: { name: "${'x'.repeat(201)}" }) { id } }`, 'input.name'],
    [`mutation { updateTrack(id: "4", input: { name: "Ok", unitPrice: "-1" }) { id } }`, 'input.unitPrice'],
    [`mutation { updateTrack(id: "4", input: { name: "Ok", unitPrice: "1.999" }) { id } }`, 'input.unitPrice'],
    [`mutation { updateTrack(id: "x4", input: { name: "Ok" }) { id } }`, 'id'],
  ])('%s is BAD_USER_INPUT naming %s and changes nothing', async (mutation, argumentName) => {
    const { body } = await stack.query(mutation, undefined, { as: 'employee:3' });
    expect(body.data).toEqual({ updateTrack: null });
    expect(body.errors).toEqual([expect.objectContaining({ path: ['updateTrack'], extensions: { code: 'BAD_USER_INPUT', argumentName } })]);
    const row = await db().selectFrom('catalog.track').select(['name', 'unit_price']).where('track_id', '=', 4).executeTakeFirstOrThrow();
    expect(row).toEqual({ name: 'Restless and Wild', unit_price: '0.99' });
  });

  it('refuses an email without a domain, naming input.email, and keeps the old one', async () => {
    const { body } = await stack.query(`mutation { updateCustomer(id: "7", input: { email: "astrid@", city: "Graz" }) { email } }`, undefined, { as: 'customer:7' });
    expect(body.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argumentName: 'input.email' } });
    const { body: read } = await stack.query(`{ customer(id: "7") { email city } }`, undefined, { as: 'customer:7' });
    expect(read.data.customer).toEqual({ email: 'astrid.gruber@apple.at', city: 'Vienne' });
  });
});

describe('updateCustomer', () => {
  it('changes the given fields only, clears optional ones with null', async () => {
    const { body } = await stack.query(`mutation { updateCustomer(id: "7", input: { city: "Graz", company: null }) { firstName city company email } }`, undefined, { as: 'customer:7' });
    expect(body).toEqual({ data: { updateCustomer: { firstName: 'Astrid', city: 'Graz', company: null, email: 'astrid.gruber@apple.at' } } });
    expect((await stack.query(`{ customer(id: "7") { city } }`, undefined, { as: 'customer:7' })).body.data.customer.city).toBe('Graz');
  });
});

describe('purchase', () => {
  const invoiceCount = async () => Number((await sql<{ n: number }>`select count(*)::int as n from sales.invoice`.execute(db())).rows[0]!.n);

  it('bills current prices in one invoice; a repeated id raises the quantity', async () => {
    await stack.query(`mutation { updateTrack(id: "2", input: { unitPrice: "1.49" }) { id } }`, undefined, { as: 'employee:3' });
    const asCustomer = { as: 'customer:12' };
    const before = await stack.query(`{ customer(id: "12") { totalSpent invoices { totalCount } } track(id: "2") { purchaseCount } }`, undefined, asCustomer);
    expect(before.body.data).toEqual({ customer: { totalSpent: '37.62', invoices: { totalCount: 7 } }, track: { purchaseCount: 2 } });

    const { body } = await stack.query(
      `mutation { purchase(customerId: "12", trackIds: ["2", "1", "2"]) {
      id total billingCity billingCountry customer { firstName } lines { track { id name } unitPrice quantity } } }`,
      undefined,
      asCustomer,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.purchase).toEqual({
      id: '413',
      total: '3.97',
      billingCity: 'Rio de Janeiro',
      billingCountry: 'Brazil',
      customer: { firstName: 'Roberto' },
      lines: [
        { track: { id: '2', name: 'Balls to the Wall' }, unitPrice: '1.49', quantity: 2 },
        { track: { id: '1', name: 'For Those About To Rock (We Salute You)' }, unitPrice: '0.99', quantity: 1 },
      ],
    });
    const after = await stack.query(`{ customer(id: "12") { totalSpent invoices { totalCount } } track(id: "2") { purchaseCount } topTracks(first: 1) { id purchaseCount } }`, undefined, asCustomer);
    expect(after.body.data).toEqual({ customer: { totalSpent: '41.59', invoices: { totalCount: 8 } }, track: { purchaseCount: 4 }, topTracks: [{ id: '2', purchaseCount: 4 }] });
  });

  it.each([
    [`{ customerId: "12", trackIds: [] }`, 'trackIds'],
    [`{ customerId: "12", trackIds: ["1", "99999"] }`, 'trackIds'],
    [`{ customerId: "12", trackIds: ["one"] }`, 'trackIds'],
  ])('refuses %s naming %s, and writes nothing', async (args, argumentName) => {
    const before = await invoiceCount();
    const mutation = `mutation { purchase${args.replace('{', '(').replace(/}$/, ')')} { id } }`;
    const { body } = await stack.query(mutation, undefined, { as: 'customer:12' });
    expect(body.data).toBeNull();
    expect(body.errors![0]).toMatchObject({ path: ['purchase'], extensions: { code: 'BAD_USER_INPUT', argumentName } });
    expect(await invoiceCount()).toBe(before);
  });
});

describe('writes Postgres would refuse', () => {
  it('refuses a NUL character as BAD_USER_INPUT, not a server error', async () => {
    const { body } = await stack.query('mutation ($n: String!) { createPlaylist(name: $n) { id } }', { n: 'x\u0000y' }, { as: 'customer:1' });
    expect(body.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argumentName: 'name' } });
    const search = await stack.query('{ artists(nameContains: "a\\u0000b") { totalCount } }');
    expect(search.body.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argumentName: 'nameContains' } });
  });

  it('refuses a purchase whose total would overflow NUMERIC(10,2), writing nothing', async () => {
    await stack.query(`mutation { updateTrack(id: "9", input: { unitPrice: "99999999.99" }) { id } }`, undefined, { as: 'employee:3' });
    const { body } = await stack.query(`mutation { purchase(customerId: "20", trackIds: ["9", "9"]) { id } }`, undefined, { as: 'customer:20' });
    expect(body.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argumentName: 'trackIds' } });
    expect(body.errors![0]!.message).toContain('199999999.98');
    const invoices = await stack.query(`{ customer(id: "20") { invoices { totalCount } } }`, undefined, { as: 'customer:20' });
    expect(invoices.body.data.customer.invoices.totalCount).toBe(7);
  });
});

describe('playlist mutations', () => {
  it('creates, fills, renames and empties a playlist', async () => {
    const created = await stack.query(`mutation { createPlaylist(name: "Road trip") { id name trackCount } }`, undefined, { as: 'customer:1' });
    expect(created.body.data.createPlaylist).toEqual({ id: '19', name: 'Road trip', trackCount: 0 });
    expect((await stack.query(`{ playlists { totalCount } }`)).body.data.playlists.totalCount).toBe(19);

    await stack.query(`mutation { addTrackToPlaylist(playlistId: "19", trackId: "15") { id } }`, undefined, { as: 'customer:1' });
    const again = await stack.query(`mutation { addTrackToPlaylist(playlistId: "19", trackId: "15") { trackCount tracks { nodes { name } } } }`, undefined, { as: 'customer:1' });
    expect(again.body.data.addTrackToPlaylist).toEqual({ trackCount: 1, tracks: { nodes: [{ name: 'Go Down' }] } });
    const track = await stack.query(`{ track(id: "15") { playlists { id } } }`);
    expect(track.body.data.track.playlists).toEqual([{ id: '1' }, { id: '8' }, { id: '19' }]);

    const renamed = await stack.query(`mutation { renamePlaylist(id: "19", name: "Long drive") { name } }`, undefined, { as: 'customer:1' });
    expect(renamed.body.data.renamePlaylist).toEqual({ name: 'Long drive' });
    const removed = await stack.query(`mutation { removeTrackFromPlaylist(playlistId: "19", trackId: "15") { name trackCount tracks { totalCount } } }`, undefined, { as: 'customer:1' });
    expect(removed.body.data.removeTrackFromPlaylist).toEqual({ name: 'Long drive', trackCount: 0, tracks: { totalCount: 0 } });
  });

  it('answers null for a playlist that does not exist', async () => {
    const { body } = await stack.query(`mutation { renamePlaylist(id: "999", name: "x") { id } addTrackToPlaylist(playlistId: "999", trackId: "1") { id } }`, undefined, { as: 'customer:1' });
    expect(body).toEqual({ data: { renamePlaylist: null, addTrackToPlaylist: null } });
  });

  it.each([
    [`mutation { createPlaylist(name: "") { id } }`, 'createPlaylist', 'name'],
    [`mutation { createPlaylist(name: "${'n'.repeat(121)}") { id } }`, 'createPlaylist', 'name'],
    [`mutation { addTrackToPlaylist(playlistId: "1", trackId: "99999") { id } }`, 'addTrackToPlaylist', 'trackId'],
    [`mutation { removeTrackFromPlaylist(playlistId: "1", trackId: "abc") { id } }`, 'removeTrackFromPlaylist', 'trackId'],
  ])('%s is BAD_USER_INPUT naming its argument', async (mutation, field, argumentName) => {
    const count = await stack.query(`{ playlists { totalCount } playlist(id: "1") { trackCount } }`);
    const { body } = await stack.query(mutation, undefined, { as: 'customer:1' });
    expect(body.errors![0]).toMatchObject({ path: [field], extensions: { code: 'BAD_USER_INPUT', argumentName } });
    expect((await stack.query(`{ playlists { totalCount } playlist(id: "1") { trackCount } }`)).body).toEqual(count.body);
  });
});
