import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALBUM_4, ALBUM_4_RESULT } from './support/queries.js';
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

describe('cross-subgraph queries through the gateway', () => {
  it('returns an album with its artist, tracks, genres, media types, playlists and purchase counts', async () => {
    const { status, body } = await stack.query(ALBUM_4);
    expect(status).toBe(200);
    expect(body).toEqual({ data: ALBUM_4_RESULT });
  });

  it('returns a customer with support rep, invoices, lines and track names', async () => {
    const { body } = await stack.query(
      `{
      customer(id: "5") {
        id firstName lastName email country
        supportRep { id firstName lastName title reportsTo { firstName title } }
        totalSpent
        invoices(first: 2) {
          totalCount
          pageInfo { hasNextPage }
          nodes { id invoiceDate total billingCity customer { firstName } lines { unitPrice quantity track { id name album { title } } } }
        }
      }
    }`,
      undefined,
      { as: 'customer:5' },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.customer).toEqual({
      id: '5',
      firstName: 'František',
      lastName: 'Wichterlová',
      email: 'frantisekw@jetbrains.com',
      country: 'Czech Republic',
      supportRep: { id: '4', firstName: 'Margaret', lastName: 'Park', title: 'Sales Support Agent', reportsTo: { firstName: 'Nancy', title: 'Sales Manager' } },
      totalSpent: '40.62',
      invoices: {
        totalCount: 7,
        pageInfo: { hasNextPage: true },
        nodes: [
          {
            id: '77',
            invoiceDate: '2021-12-08T00:00:00.000Z',
            total: '1.98',
            billingCity: 'Prague',
            customer: { firstName: 'František' },
            lines: [
              { unitPrice: '0.99', quantity: 1, track: { id: '2551', name: 'Wet My Bed', album: { title: 'Core' } } },
              { unitPrice: '0.99', quantity: 1, track: { id: '2552', name: 'Crackerman', album: { title: 'Core' } } },
            ],
          },
          {
            id: '100',
            invoiceDate: '2022-03-12T00:00:00.000Z',
            total: '3.96',
            billingCity: 'Prague',
            customer: { firstName: 'František' },
            lines: [
              { unitPrice: '0.99', quantity: 1, track: { id: '3254', name: '#9 Dream', album: { title: 'Instant Karma: The Amnesty International Campaign to Save Darfur' } } },
              { unitPrice: '0.99', quantity: 1, track: { id: '3256', name: 'Give Peace a Chance', album: { title: 'Instant Karma: The Amnesty International Campaign to Save Darfur' } } },
              { unitPrice: '0.99', quantity: 1, track: { id: '3258', name: 'Whatever Gets You Thru the Night', album: { title: 'Instant Karma: The Amnesty International Campaign to Save Darfur' } } },
              { unitPrice: '0.99', quantity: 1, track: { id: '3260', name: 'Gimme Some Truth', album: { title: 'Instant Karma: The Amnesty International Campaign to Save Darfur' } } },
            ],
          },
        ],
      },
    });
  });

  it("pages a customer's invoices with the cursor of the previous page", async () => {
    const first = await stack.query(`{ customer(id: "5") { invoices(first: 3) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } }`, undefined, { as: 'customer:5' });
    const page1 = first.body.data.customer.invoices;
    expect(page1.edges.map((e: any) => e.node.id)).toEqual(['77', '100', '122']);
    expect(page1.pageInfo.endCursor).toBe(page1.edges[2].cursor);
    const next = await stack.query(
      `query($after: String) { customer(id: "5") { invoices(first: 10, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } } }`,
      { after: page1.pageInfo.endCursor },
      { as: 'customer:5' },
    );
    expect(next.body.data.customer.invoices).toEqual({ nodes: [{ id: '174' }, { id: '295' }, { id: '306' }, { id: '361' }], pageInfo: { hasNextPage: false, endCursor: expect.any(String) } });
  });

  it('serves root connections with totalCount, cursors and filters', async () => {
    const { body } = await stack.query(
      `{
      artists(first: 2, nameContains: "ac") { totalCount nodes { id name } pageInfo { hasNextPage endCursor } }
      tracks(first: 1, genreId: "1") { totalCount nodes { name } }
      albums(first: 0) { totalCount pageInfo { hasNextPage endCursor } }
      customers(country: "Brazil") { totalCount nodes { firstName } }
      playlists(first: 3) { totalCount nodes { name trackCount } }
      genres { id }
      employees { firstName reports { firstName } customers { id } }
    }`,
      undefined,
      { as: 'employee:1' },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.artists).toEqual({
      totalCount: 22,
      nodes: [
        { id: '1', name: 'AC/DC' },
        { id: '2', name: 'Accept' },
      ],
      pageInfo: { hasNextPage: true, endCursor: expect.any(String) },
    });
    const after = await stack.query(`query($a: String) { artists(first: 2, nameContains: "ac", after: $a) { nodes { id name } } }`, { a: body.data.artists.pageInfo.endCursor });
    expect(after.body.data.artists.nodes).toEqual([
      { id: '9', name: 'BackBeat' },
      { id: '11', name: 'Black Label Society' },
    ]);
    expect(body.data.tracks).toEqual({ totalCount: 1297, nodes: [{ name: 'For Those About To Rock (We Salute You)' }] });
    expect(body.data.albums).toEqual({ totalCount: 347, pageInfo: { hasNextPage: true, endCursor: null } });
    expect(body.data.customers).toEqual({ totalCount: 5, nodes: ['Luís', 'Eduardo', 'Alexandre', 'Roberto', 'Fernanda'].map((firstName) => ({ firstName })) });
    expect(body.data.playlists).toEqual({
      totalCount: 18,
      nodes: [
        { name: 'Music', trackCount: 3290 },
        { name: 'Movies', trackCount: 0 },
        { name: 'TV Shows', trackCount: 213 },
      ],
    });
    expect(body.data.genres).toHaveLength(25);
    expect(body.data.employees[0]).toEqual({ firstName: 'Andrew', reports: [{ firstName: 'Nancy' }, { firstName: 'Michael' }], customers: [] });
    expect(body.data.employees[3].customers).toHaveLength(20);
  });

  it('serves a playlist page with its tracks from the catalog and topTracks from sales', async () => {
    const { body } = await stack.query(`{
      playlist(id: "18") { name trackCount tracks(first: 5) { totalCount nodes { id name album { artist { name } } } } }
      topTracks(first: 3, genreId: "3") { id name purchaseCount genre { name } }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.playlist).toEqual({ name: 'On-The-Go 1', trackCount: 1, tracks: { totalCount: 1, nodes: [{ id: '597', name: "Now's The Time", album: { artist: { name: 'Miles Davis' } } }] } });
    expect(body.data.topTracks).toHaveLength(3);
    for (const t of body.data.topTracks) expect(t.genre).toEqual({ name: 'Metal' });
    const counts = body.data.topTracks.map((t: any) => t.purchaseCount);
    expect([...counts].sort((a: number, b: number) => b - a)).toEqual(counts);
  });

  it('answers not-found entities with null and no error', async () => {
    const { body } = await stack.query(`{ album(id: "99999") { title } customer(id: "60") { email } invoice(id: "413") { total } playlist(id: "19") { name } }`);
    expect(body).toEqual({ data: { album: null, customer: null, invoice: null, playlist: null } });
  });
});

describe('bad arguments', () => {
  it.each([
    ['{ track(id: "abc") { name } }', 'id', 'track'],
    ['{ tracks(first: 101) { totalCount } }', 'first', 'tracks'],
    ['{ artists(after: "nope") { totalCount } }', 'after', 'artists'],
    ['{ topTracks(first: 1000) { id } }', 'first', 'topTracks'],
    ['{ tracks(genreId: "-1") { totalCount } }', 'genreId', 'tracks'],
  ])('%s is BAD_USER_INPUT naming %s', async (query, argumentName, field) => {
    const { status, body } = await stack.query(query);
    expect(status).toBe(200);
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toMatchObject({ path: [field], extensions: { code: 'BAD_USER_INPUT', argumentName } });
    expect(body.errors![0]!.message).toContain(`"${argumentName}"`);
    expect(body.errors![0]!.extensions).not.toHaveProperty('originalError');
  });
});
