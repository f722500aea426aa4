import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REDIS_URL } from './support/services.js';
import { type Stack, startStack } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

/**
 * Issue 8 §4: each mutation runs twice in one operation (aliases `a` and `b`). GraphQL runs
 * mutation fields one after the other, so `b`'s selection must show `a`'s and `b`'s writes: no
 * per-request loader may answer from what it memoised before `b` wrote. The read that follows
 * (warmed before the mutation, so that with the cache on it is a hit unless invalidated) agrees.
 */
describe.each([
  ['off', 'off'],
  ['on (L1, in-process bus)', 'on'],
  ['on (L1 and L2, Redis bus)', 'redis'],
] as const)('with the response cache %s, a mutation run twice in one operation', (_, cache) => {
  let database: TestDatabase;
  let stack: Stack;
  beforeAll(async () => {
    database = await cloneTemplateDatabase();
    stack = await startStack({
      databaseUrl: database.url,
      gatewayEnv: { RESPONSE_CACHE: cache === 'off' ? 'off' : 'on' },
      ...(cache === 'redis' ? { redis: { url: REDIS_URL, keyPrefix: `${inject('redisPrefix')}mutation-loaders:` } } : {}),
    });
  });
  afterAll(async () => {
    await stack?.close();
    await database?.drop();
  });

  /** Reads `query` (warming the cache), runs `mutation`, then reads `query` again. */
  async function aroundMutation(query: string, mutation: string, as: string) {
    const before = await stack.query(query, undefined, { as });
    expect(before.body.errors).toBeUndefined();
    const mutated = await stack.query(mutation, undefined, { as });
    expect(mutated.body.errors).toBeUndefined();
    const after = await stack.query(query, undefined, { as });
    expect(after.body.errors).toBeUndefined();
    return { before: before.body.data, mutated: mutated.body.data, after: after.body.data };
  }

  it('updateTrack: the second sees its name in the album it read again', async () => {
    const selection = `name album { tracks { id name } }`;
    const { before, mutated, after } = await aroundMutation(
      `{ track(id: "5") { ${selection} } }`,
      `mutation { a: updateTrack(id: "5", input: { name: "Dawn A" }) { ${selection} } b: updateTrack(id: "5", input: { name: "Dawn B" }) { ${selection} } }`,
      'employee:3',
    );
    const album = (name: string) => ({
      tracks: [
        { id: '3', name: 'Fast As a Shark' },
        { id: '4', name: 'Restless and Wild' },
        { id: '5', name },
      ],
    });
    expect(before).toEqual({ track: { name: 'Princess of the Dawn', album: album('Princess of the Dawn') } });
    expect(mutated).toEqual({ a: { name: 'Dawn A', album: album('Dawn A') }, b: { name: 'Dawn B', album: album('Dawn B') } });
    expect(after).toEqual({ track: mutated.b });
  });

  it("updateCustomer: the second sees its first name in the support rep's customers", async () => {
    const { before, mutated, after } = await aroundMutation(
      `{ customer(id: "7") { firstName supportRep { customers { id firstName } } } }`,
      `mutation { a: updateCustomer(id: "7", input: { firstName: "Astrid A" }) { firstName supportRep { customers { id firstName } } }
                  b: updateCustomer(id: "7", input: { firstName: "Astrid B" }) { firstName supportRep { customers { id firstName } } } }`,
      'customer:7',
    );
    const seventh = (data: any) => data.supportRep.customers.find((c: { id: string }) => c.id === '7').firstName;
    expect(before.customer.firstName).toBe('Astrid');
    expect(seventh(before.customer)).toBe('Astrid');
    expect(before.customer.supportRep.customers).toHaveLength(18);
    expect([mutated.a.firstName, seventh(mutated.a)]).toEqual(['Astrid A', 'Astrid A']);
    expect([mutated.b.firstName, seventh(mutated.b)]).toEqual(['Astrid B', 'Astrid B']);
    expect(after).toEqual({ customer: mutated.b });
  });

  it("purchase: the second counts both invoices in the track's purchases and the customer's spending", async () => {
    const selection = `total customer { firstName totalSpent invoices { totalCount } } lines { quantity track { id name purchaseCount } }`;
    const { before, mutated, after } = await aroundMutation(
      `{ customer(id: "12") { firstName totalSpent invoices { totalCount } } track(id: "2") { id name purchaseCount } }`,
      `mutation { a: purchase(customerId: "12", trackIds: ["2"]) { ${selection} } b: purchase(customerId: "12", trackIds: ["2", "2"]) { ${selection} } }`,
      'customer:12',
    );
    const track = (purchaseCount: number) => ({ id: '2', name: 'Balls to the Wall', purchaseCount });
    expect(before).toEqual({ customer: { firstName: 'Roberto', totalSpent: '37.62', invoices: { totalCount: 7 } }, track: track(2) });
    expect(mutated).toEqual({
      a: { total: '0.99', customer: { firstName: 'Roberto', totalSpent: '38.61', invoices: { totalCount: 8 } }, lines: [{ quantity: 1, track: track(3) }] },
      b: { total: '1.98', customer: { firstName: 'Roberto', totalSpent: '40.59', invoices: { totalCount: 9 } }, lines: [{ quantity: 2, track: track(5) }] },
    });
    expect(after).toEqual({ customer: mutated.b.customer, track: track(5) });
  });

  it('createPlaylist: two new playlists, each empty, and the list counts both', async () => {
    const { before, mutated, after } = await aroundMutation(
      `{ playlists(first: 100) { totalCount } }`,
      `mutation { a: createPlaylist(name: "Mine A") { id name trackCount } b: createPlaylist(name: "Mine B") { id name trackCount } }`,
      'customer:1',
    );
    expect(before).toEqual({ playlists: { totalCount: 18 } });
    expect(mutated).toEqual({ a: { id: '19', name: 'Mine A', trackCount: 0 }, b: { id: '20', name: 'Mine B', trackCount: 0 } });
    expect(after).toEqual({ playlists: { totalCount: 20 } });
  });

  it("renamePlaylist: the second sees its name in its tracks' playlists", async () => {
    const selection = `name tracks { nodes { id playlists { id name } } }`;
    const { before, mutated, after } = await aroundMutation(
      `{ playlist(id: "18") { ${selection} } }`,
      `mutation { a: renamePlaylist(id: "18", name: "Go A") { ${selection} } b: renamePlaylist(id: "18", name: "Go B") { ${selection} } }`,
      'customer:1',
    );
    const playlist = (name: string) => ({
      name,
      tracks: {
        nodes: [
          {
            id: '597',
            playlists: [
              { id: '1', name: 'Music' },
              { id: '8', name: 'Music' },
              { id: '18', name },
            ],
          },
        ],
      },
    });
    expect(before).toEqual({ playlist: playlist('On-The-Go 1') });
    expect(mutated).toEqual({ a: playlist('Go A'), b: playlist('Go B') });
    expect(after).toEqual({ playlist: playlist('Go B') });
  });

  const playlistSelection = `trackCount tracks { totalCount nodes { id name playlists { id } } }`;
  const entry = (id: string, name: string) => ({ id, name, playlists: [{ id: '1' }, { id: '4' }, { id: '8' }] });
  const track10 = entry('10', 'Evil Walks');
  const track11 = entry('11', 'C.O.D.');

  it('addTrackToPlaylist: the second counts both tracks (issue 8: it said 1 and 1)', async () => {
    const { before, mutated, after } = await aroundMutation(
      `{ playlist(id: "4") { ${playlistSelection} } }`,
      `mutation { a: addTrackToPlaylist(playlistId: "4", trackId: "10") { ${playlistSelection} } b: addTrackToPlaylist(playlistId: "4", trackId: "11") { ${playlistSelection} } }`,
      'customer:1',
    );
    expect(before).toEqual({ playlist: { trackCount: 0, tracks: { totalCount: 0, nodes: [] } } });
    expect(mutated).toEqual({
      a: { trackCount: 1, tracks: { totalCount: 1, nodes: [track10] } },
      b: { trackCount: 2, tracks: { totalCount: 2, nodes: [track10, track11] } },
    });
    expect(after).toEqual({ playlist: mutated.b });
  });

  it('removeTrackFromPlaylist: the second counts neither track', async () => {
    const { before, mutated, after } = await aroundMutation(
      `{ playlist(id: "4") { ${playlistSelection} } }`,
      `mutation { a: removeTrackFromPlaylist(playlistId: "4", trackId: "10") { ${playlistSelection} } b: removeTrackFromPlaylist(playlistId: "4", trackId: "11") { ${playlistSelection} } }`,
      'customer:1',
    );
    expect(before).toEqual({ playlist: { trackCount: 2, tracks: { totalCount: 2, nodes: [track10, track11] } } });
    expect(mutated).toEqual({
      a: { trackCount: 1, tracks: { totalCount: 1, nodes: [track11] } },
      b: { trackCount: 0, tracks: { totalCount: 0, nodes: [] } },
    });
    expect(after).toEqual({ playlist: mutated.b });
  });
});
