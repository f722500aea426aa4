import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { metricValue } from './support/metrics.js';
import { REDIS_URL } from './support/services.js';
import { type Stack, startStack, tokenFor } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';
import { sql } from './support/sql.js';

/**
 * Field cells on Chinook (`ENTITY_CACHE_FIELDS`, `gateway/src/cache/root-cells.ts`), response
 * cache off so every request executes its plan: a catalog root fetch that another document
 * already read in other fields or another order is answered from cells with no SQL; a change
 * evicts the cells of the changed field only; private fetches are never kept in cells; a second
 * instance assembles from L2. Every answer equals a gateway's without caches, byte for byte.
 */

interface Answer {
  text: string;
  entities: string | null;
  statements: number;
  /** SQL statements the catalog subgraph ran. */
  catalog: number;
}

async function ask(stack: Stack, query: string, variables?: Record<string, unknown>, as?: string): Promise<Answer> {
  const authorization: Record<string, string> = as ? { authorization: `Bearer ${await tokenFor(as)}` } : {};
  const { result, statements, bySubgraph } = await stack.countStatements(async () => {
    const response = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...authorization }, body: JSON.stringify({ query, variables }) });
    return { text: await response.text(), entities: response.headers.get('x-tributary-entity-cache') };
  });
  return { ...result, statements, catalog: bySubgraph.catalog ?? 0 };
}

async function cells(stack: Stack, outcome: string): Promise<number> {
  const text = await (await fetch(stack.gatewayUrl.replace(/\/graphql$/, '/metrics'))).text();
  return metricValue(text, 'tributary_entity_cache_cells_total', { subgraph: 'catalog', outcome }) ?? 0;
}

let database: TestDatabase;
let uncached: Stack;
let first: Stack;
let second: Stack;
let whole: Stack;
beforeAll(async () => {
  database = await cloneTemplateDatabase();
  const redis = { url: REDIS_URL, keyPrefix: `${inject('redisPrefix')}cells:` };
  uncached = await startStack({ databaseUrl: database.url, redis, gatewayEnv: { RESPONSE_CACHE: 'off', ENTITY_CACHE: 'off' } });
  const env = { RESPONSE_CACHE: 'off', CACHE_DEBUG: 'true' };
  first = await startStack({ databaseUrl: database.url, redis, subgraphs: uncached.subgraphs, gatewayEnv: env });
  second = await startStack({ databaseUrl: database.url, redis, subgraphs: uncached.subgraphs, gatewayEnv: env });
  whole = await startStack({
    databaseUrl: database.url,
    redis: { url: REDIS_URL, keyPrefix: `${inject('redisPrefix')}cells-off:` },
    subgraphs: uncached.subgraphs,
    gatewayEnv: { ...env, ENTITY_CACHE_FIELDS: 'off' },
  });
});
afterAll(async () => {
  await Promise.all([first?.close(), second?.close(), whole?.close()]);
  await uncached?.close();
  await database?.drop();
});

const ALBUM_7 = 'query Wide { album(id: "7") { id title tracks { id name composer unitPrice milliseconds } } }';

describe('field cells, response cache off', () => {
  it('answers another document over the same entities from cells, with no SQL, byte for byte; from L2 on another instance', async () => {
    const warm = await ask(first, ALBUM_7);
    expect(warm.text).toBe((await ask(uncached, ALBUM_7)).text);
    expect(warm.catalog).toBeGreaterThan(0);
    expect(await cells(first, 'stored')).toBeGreaterThan(3 * 5);

    // Fewer fields, another order, aliases, __typename, a fragment, a variable with a default: each another root fetch.
    const others = [
      'query Narrow { album(id: "7") { tracks { unitPrice name } title } }',
      'query Aliased { album(id: "7") { t: title __typename tracks { __typename n: name ms: milliseconds } } }',
      'query Fragment { album(id: "7") { ...A } } fragment A on Album { title tracks { composer } }',
      'query Defaulted($id: ID! = "7") { album(id: $id) { title tracks { id } } }',
    ];
    for (const query of others) {
      const expected = (await ask(uncached, query)).text;
      const fromL2 = await ask(second, query);
      expect(fromL2.text, query).toBe(expected);
      expect(fromL2.statements, query).toBe(0);
      expect(fromL2.entities, query).toBe('fetches=1/1, representations=0/0');
      const fromL1 = await ask(first, query);
      expect(fromL1.text, query).toBe(expected);
      expect(fromL1.statements, query).toBe(0);
    }
    expect(await cells(second, 'assembled')).toBe(others.length);

    // A field no earlier fetch read, and another album: the subgraph is asked.
    for (const query of ['{ album(id: "7") { tracks { bytes } } }', '{ album(id: "8") { title } }']) {
      const asked = await ask(first, query);
      expect(asked.text).toBe((await ask(uncached, query)).text);
      expect(asked.catalog, query).toBeGreaterThan(0);
    }

    // Switched off: the same kind of request goes to the subgraph.
    await ask(whole, ALBUM_7);
    const off = await ask(whole, others[0]!);
    expect(off.catalog).toBeGreaterThan(0);
    expect(await cells(whole, 'assembled')).toBe(0);
  });

  it('evicts the cells of a changed field only, and never answers with the old value', async () => {
    const album = 'query Album9 { album(id: "9") { id title tracks { id name unitPrice } } }';
    const warm = JSON.parse((await ask(first, album)).text) as { data: { album: { tracks: Array<{ id: string }> } } };
    const track = warm.data.album.tracks[0]!.id;
    const names = 'query Names9 { album(id: "9") { tracks { name } } }';
    const prices = 'query Prices9 { album(id: "9") { tracks { unitPrice } title } }';
    expect((await ask(first, names)).statements).toBe(0);
    expect((await ask(first, prices)).statements).toBe(0);

    await sql(database.url, 'UPDATE catalog.track SET unit_price = 7.77 WHERE track_id = $1', [Number(track)]);
    // Until the event arrives an answer may still be the old one (as everywhere); once it has, never again.
    const deadline = Date.now() + 2_000;
    let changed = await ask(first, prices);
    while (!changed.text.includes('"7.77"') && Date.now() < deadline) changed = await ask(first, prices);
    expect(changed.text).toBe((await ask(uncached, prices)).text);
    expect(changed.catalog).toBeGreaterThan(0);
    // The other fields' cells stayed: names still come from them.
    const unchanged = await ask(first, names);
    expect(unchanged.statements).toBe(0);
    expect(unchanged.text).toBe((await ask(uncached, names)).text);
    // And the new price is kept in cells again: another document reads it with no SQL.
    const again = await ask(first, 'query Again9 { album(id: "9") { title tracks { unitPrice name } } }');
    expect(again.statements).toBe(0);
    expect(again.text).toContain('"7.77"');
  });

  it('after a change, different documents lacking the same evicted cell send one fetch: the others wait for it and read the new value', async () => {
    // Eight documents over one album, each its own root fetch, all reading the tracks' unitPrice.
    const documents = [
      'query P0($id: ID!) { album(id: $id) { tracks { unitPrice } } }',
      'query P1($id: ID!) { album(id: $id) { title tracks { unitPrice name } } }',
      'query P2($id: ID!) { album(id: $id) { tracks { name unitPrice } title } }',
      'query P3($id: ID!) { album(id: $id) { id tracks { id unitPrice } } }',
      'query P4($id: ID!) { album(id: $id) { a: title tracks { p: unitPrice } } }',
      'query P5($id: ID!) { album(id: $id) { tracks { unitPrice composer } } }',
      'query P6($id: ID!) { album(id: $id) { tracks { __typename unitPrice } } }',
      'query P7($id: ID!) { album(id: $id) { title tracks { unitPrice milliseconds } } }',
    ];
    const warm = await ask(first, 'query Wide11 { album(id: "11") { id title tracks { id name composer unitPrice milliseconds } } }');
    const track = (JSON.parse(warm.text) as { data: { album: { tracks: Array<{ id: string }> } } }).data.album.tracks[0]!.id;
    for (const query of documents) {
      await ask(first, query, { id: '12' }); // plans made, so that the eight below run side by side
      expect((await ask(first, query, { id: '11' })).statements, query).toBe(0);
    }
    const metrics = async () => metricValue(await (await fetch(first.gatewayUrl.replace(/\/graphql$/, '/metrics'))).text(), 'tributary_cache_invalidations_total', { kind: 'update' }) ?? 0;
    const heard = await metrics();
    const awaited = await cells(first, 'awaited');
    await sql(database.url, 'UPDATE catalog.track SET unit_price = 8.88 WHERE track_id = $1', [Number(track)]);
    const deadline = Date.now() + 5_000;
    while ((await metrics()) === heard && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));

    const burst = await first.countStatements(() => Promise.all(documents.map((query) => ask(first, query, { id: '11' }))));
    for (const [i, answer] of burst.result.entries()) {
      expect(answer.text).toContain('"8.88"');
      expect(answer.text).toBe((await ask(uncached, documents[i]!, { id: '11' })).text);
    }
    // One root fetch's statements (as the warm-up's), not eight.
    expect(burst.bySubgraph.catalog).toBe(warm.catalog);
    expect(await cells(first, 'awaited')).toBeGreaterThan(awaited);
  });

  it('answers the representations of an entity fetch from the cells root fetches kept, and root fetches from the cells entity fetches kept', async () => {
    // topTracks is a sales root fetch; the tracks' catalog fields come from a catalog entity fetch.
    const top = (fields: string) => `query Top { topTracks(first: 5) { ${fields} } }`;
    const ids = (JSON.parse((await ask(uncached, top('id'))).text) as { data: { topTracks: Array<{ id: string }> } }).data.topTracks.map((t) => t.id);
    expect(ids).toHaveLength(5);
    // Root fetches keep the five tracks' name and unitPrice in cells.
    for (const id of ids) await ask(first, 'query One($id: ID!) { track(id: $id) { id name unitPrice } }', { id });
    // Entity fetches answer from the cells of entities `_entities` resolved before (here with another selection).
    const resolved = await ask(first, top('id genre { name }'));
    expect(resolved.catalog).toBeGreaterThan(0);
    const assembledBefore = await cells(first, 'entity-assembled');

    // Another document's entity fetch over the same tracks, with fields only root fetches read: no catalog SQL, on this instance (L1) or another (L2).
    const prices = top('id unitPrice name');
    const expected = (await ask(uncached, prices)).text;
    for (const stack of [first, second]) {
      const answer = await ask(stack, prices);
      expect(answer.text).toBe(expected);
      expect(answer.catalog).toBe(0);
      expect(answer.entities).toMatch(/representations=5\/5$/);
    }
    expect((await cells(first, 'entity-assembled')) - assembledBefore).toBe(5);

    // The other way: fields an entity fetch read (composer) answer a root fetch of another document from cells.
    await ask(first, top('id composer'));
    const composer = 'query Composer($id: ID!) { track(id: $id) { composer name } }';
    const fromCells = await ask(first, composer, { id: ids[0] });
    expect(fromCells.text).toBe((await ask(uncached, composer, { id: ids[0] })).text);
    expect(fromCells.statements).toBe(0);

    // A price change evicts that track's price cell only: the next entity fetch sends that one
    // representation, and keeps the new price in cells, from which another selection is answered.
    await sql(database.url, 'UPDATE catalog.track SET unit_price = 6.66 WHERE track_id = $1', [Number(ids[1])]);
    const deadline = Date.now() + 2_000;
    let changed = await ask(first, prices);
    while (!changed.text.includes('"6.66"') && Date.now() < deadline) changed = await ask(first, prices);
    expect(changed.text).toBe((await ask(uncached, prices)).text);
    expect(changed.entities).toMatch(/representations=4\/5$/);
    const other = top('unitPrice id');
    const after = await ask(first, other);
    expect(after.text).toBe((await ask(uncached, other)).text);
    expect(after.text).toContain('"6.66"');
    expect(after.catalog).toBe(0);
  });

  it('keeps no private fetch in cells: a customer page is never answered for another principal', async () => {
    const query = '{ customer(id: "5") { firstName email } }';
    const storedBefore = await cells(first, 'stored');
    const owner = await ask(first, query, undefined, 'customer:5');
    expect(owner.text).toContain('frantisekw@jetbrains.com');
    expect(await cells(first, 'stored')).toBe(storedBefore);
    const other = await ask(first, '{ customer(id: "5") { email firstName } }', undefined, 'customer:6');
    expect(other.text).not.toContain('frantisekw');
    expect(other.text).toBe((await ask(uncached, '{ customer(id: "5") { email firstName } }', undefined, 'customer:6')).text);
  });
});
