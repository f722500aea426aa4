import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEEP_ALBUMS, DEEP_ALBUMS_MINIMUM as MINIMUM } from './support/queries.js';
import { type Stack, startStack } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

describe('SQL statements per request (real Postgres)', () => {
  let database: TestDatabase;
  let batched: Stack;
  let perItem: Stack;
  beforeAll(async () => {
    database = await cloneTemplateDatabase();
    // What the loaders cost: no entity cache between requests (it would serve the tracks of earlier pages).
    batched = await startStack({ databaseUrl: database.url, gatewayEnv: { ENTITY_CACHE: 'off' } });
    perItem = await startStack({ databaseUrl: database.url, loaders: { batch: false }, gatewayEnv: { ENTITY_CACHE: 'off' } });
  });
  afterAll(async () => {
    await batched?.close();
    await perItem?.close();
    await database?.drop();
  });

  const run = async (stack: Stack, first: number) => {
    const { result, statements, bySubgraph } = await stack.countStatements(() => stack.query(DEEP_ALBUMS, { first }));
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data.albums.nodes).toHaveLength(first);
    return { statements, bySubgraph, tracks: result.body.data.albums.nodes.flatMap((a: any) => a.tracks) };
  };

  it('costs the same statements for 5 and for 100 albums, the minimum for the plan', async () => {
    const five = await run(batched, 5);
    const hundred = await run(batched, 100);
    expect(five.tracks).toHaveLength(37);
    expect(hundred.tracks).toHaveLength(1276);
    expect(five.bySubgraph).toEqual(MINIMUM);
    expect(hundred.bySubgraph).toEqual(MINIMUM);
    expect(hundred.statements).toBe(7);
  });

  it('would fail with per-item resolvers: row-by-row loading grows with the number of items', async () => {
    const five = await run(perItem, 5);
    const hundred = await run(perItem, 100);
    // The same data either way …
    expect(hundred.tracks).toEqual((await run(batched, 100)).tracks);
    // … but one statement per album, track, genre, media type, purchase count and playlist list.
    expect(five.statements).toBeGreaterThan(MINIMUM.catalog + 2);
    expect(hundred.statements).toBeGreaterThan(five.statements * 10);
    expect(hundred.bySubgraph.sales).toBe(1276);
    expect(hundred.bySubgraph.playlists).toBe(1276);
  });

  it('batches entity representations from the gateway into one statement per subgraph', async () => {
    const { statements, bySubgraph, result } = await batched.countStatements(() =>
      batched.query(`{ customer(id: "5") { invoices(first: 100) { nodes { lines { track { name album { title } } } } } } }`, undefined, { as: 'customer:5' }),
    );
    expect(result.body.data.customer.invoices.nodes).toHaveLength(7);
    // customers: customer; sales: who may read (support rep), invoices page, lines; catalog: tracks, albums
    expect(bySubgraph).toEqual({ catalog: 2, customers: 1, sales: 3, playlists: 0 });
    expect(statements).toBe(6);
  });
});
