import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { metricValue } from './support/metrics.js';
import { DEEP_ALBUMS } from './support/queries.js';
import { REDIS_URL } from './support/services.js';
import { type Stack, startStack, tokenFor } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';
import { sql } from './support/sql.js';

/**
 * The entity cache (issue 12) on Chinook, with the response cache off so that every request
 * executes its plan: what a subgraph is asked, counted in representations sent, SQL statements
 * and the ids they read; every answer compared byte for byte with a gateway without any cache.
 */

interface Answer {
  status: number;
  text: string;
  /** `x-tributary-entity-cache`: `fetches=<from cache>/<all>, representations=<from cache>/<all>`. */
  entities: string | null;
  statements: number;
  bySubgraph: Record<string, number>;
}

async function ask(stack: Stack, query: string, variables?: Record<string, unknown>, as?: string): Promise<Answer> {
  const authorization: Record<string, string> = as ? { authorization: `Bearer ${await tokenFor(as)}` } : {};
  const { result, statements, bySubgraph } = await stack.countStatements(async () => {
    const response = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...authorization }, body: JSON.stringify({ query, variables }) });
    return { status: response.status, text: await response.text(), entities: response.headers.get('x-tributary-entity-cache') };
  });
  return { ...result, statements, bySubgraph };
}

/** A counter of the gateway's `/metrics`, 0 when absent. */
async function metric(stack: Stack, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(stack.gatewayUrl.replace(/\/graphql$/, '/metrics'))).text();
  return metricValue(text, name, labels) ?? 0;
}

/** Asks until `done(answer)` holds or `ms` passed (a change event is on its way); returns the last answer. */
async function askUntil(stack: Stack, query: string, done: (answer: Answer) => boolean, ms = 2_000, as?: string): Promise<Answer> {
  const deadline = Date.now() + ms;
  let answer = await ask(stack, query, undefined, as);
  while (!done(answer) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    answer = await ask(stack, query, undefined, as);
  }
  return answer;
}

let database: TestDatabase;
let uncached: Stack;
let entity: Stack;
beforeAll(async () => {
  database = await cloneTemplateDatabase();
  const redis = { url: REDIS_URL, keyPrefix: `${inject('redisPrefix')}entity:` };
  uncached = await startStack({ databaseUrl: database.url, redis, gatewayEnv: { RESPONSE_CACHE: 'off', ENTITY_CACHE: 'off' } });
  entity = await startStack({ databaseUrl: database.url, redis, subgraphs: uncached.subgraphs, gatewayEnv: { RESPONSE_CACHE: 'off', CACHE_DEBUG: 'true' } });
});
afterAll(async () => {
  await entity?.close();
  await uncached?.close();
  await database?.drop();
});

describe('entity cache, response cache off', () => {
  it('serves a new page from cached entities: only the new tracks are sent to sales and playlists, and the answer is unchanged', async () => {
    const reference = JSON.parse((await ask(uncached, DEEP_ALBUMS, { first: 12 })).text) as { data: { albums: { nodes: Array<{ id: string; tracks: Array<{ id: string }> }> } } };
    const albums = reference.data.albums.nodes;
    expect(albums.map((a) => a.id)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']);
    const newTracks = [...albums[10]!.tracks, ...albums[11]!.tracks].map((t) => Number(t.id)).sort((a, b) => a - b);
    const allTracks = albums.flatMap((a) => a.tracks).length;
    expect(newTracks.length).toBeGreaterThan(10);

    const warm = await ask(entity, DEEP_ALBUMS, { first: 10 });
    expect(warm.entities).toBe(`fetches=0/3, representations=0/${2 * (allTracks - newTracks.length)}`);

    // Which track ids each sales statement reads (its `= any($1)` parameter).
    const salesReads: number[][] = [];
    const stop = entity.subgraphs.databases.sales!.stats.onStatement((_sql, parameters) => {
      for (const p of parameters) if (Array.isArray(p)) salesReads.push(p.map(Number).sort((a, b) => a - b));
    });
    const sentBefore = {
      sales: await metric(entity, 'tributary_entity_cache_representations_sent_total', { subgraph: 'sales' }),
      playlists: await metric(entity, 'tributary_entity_cache_representations_sent_total', { subgraph: 'playlists' }),
    };
    const page = await ask(entity, DEEP_ALBUMS, { first: 12 });
    stop();
    expect(page.text).toBe(JSON.stringify(reference));
    // The catalog root fetch (another `first`) runs; sales and playlists get the new tracks only.
    expect(page.bySubgraph.catalog).toBeGreaterThan(0);
    expect(page.entities).toBe(`fetches=0/3, representations=${2 * (allTracks - newTracks.length)}/${2 * allTracks}`);
    expect((await metric(entity, 'tributary_entity_cache_representations_sent_total', { subgraph: 'sales' })) - sentBefore.sales).toBe(newTracks.length);
    expect((await metric(entity, 'tributary_entity_cache_representations_sent_total', { subgraph: 'playlists' })) - sentBefore.playlists).toBe(newTracks.length);
    expect(page.bySubgraph.sales).toBe(1);
    expect(salesReads).toEqual([newTracks]);

    // Asked again: every fetch from the cache, no SQL at all.
    const again = await ask(entity, DEEP_ALBUMS, { first: 12 });
    expect(again.text).toBe(JSON.stringify(reference));
    expect(again.statements).toBe(0);
    expect(again.entities).toBe(`fetches=3/3, representations=${2 * allTracks}/${2 * allTracks}`);
  });

  it('shares entries between different operations whose plans ask a subgraph the same thing', async () => {
    // Album 100 was read by no other test.
    const albumPage = 'query AlbumPage { album(id: "100") { title tracks { id purchaseCount } } }';
    const trackPage = 'query TrackPage($id: ID!) { track(id: $id) { name purchaseCount } }';
    const first = await ask(entity, albumPage);
    expect(first.bySubgraph.sales).toBe(1);
    expect(first.entities).toMatch(/^fetches=0\/2, representations=0\/\d+$/);
    const track = JSON.parse(first.text).data.album.tracks[1].id as string;
    const second = await ask(entity, trackPage, { id: track });
    expect(second.text).toBe((await ask(uncached, trackPage, { id: track })).text);
    expect(second.bySubgraph).toMatchObject({ catalog: 1, sales: 0 });
    expect(second.entities).toBe('fetches=1/2, representations=1/1');
  });

  it('evicts only the entries that selected a changed field (plain SQL UPDATE of unit_price)', async () => {
    const names = '{ topTracks(first: 5) { id name } }';
    const prices = '{ topTracks(first: 5) { id unitPrice } }';
    const top = JSON.parse((await ask(uncached, names)).text).data.topTracks as Array<{ id: string }>;
    const target = top[2]!.id;
    for (const query of [names, prices]) {
      await ask(entity, query);
      const warm = await ask(entity, query);
      expect(warm.statements).toBe(0);
      expect(warm.entities).toBe('fetches=2/2, representations=5/5');
    }
    await sql(database.url, 'UPDATE catalog.track SET unit_price = 4.44 WHERE track_id = $1', [Number(target)]);
    const changed = await askUntil(entity, prices, (a) => a.text.includes('"4.44"'));
    expect(changed.text).toBe((await ask(uncached, prices)).text);
    // Only that track's unitPrice entry went: 4 of 5 representations still from the cache.
    expect(changed.entities).toBe('fetches=1/2, representations=4/5');
    expect(changed.bySubgraph).toMatchObject({ catalog: 1, sales: 0 });
    const unchanged = await ask(entity, names);
    expect(unchanged.entities).toBe('fetches=2/2, representations=5/5');
    expect(unchanged.statements).toBe(0);
    expect(unchanged.text).toBe((await ask(uncached, names)).text);
  });

  it("keeps customer 5's private entries from customer 6 and anonymous, and a support-rep change revokes them", async () => {
    const query = '{ customer(id: "5") { firstName email } }';
    const owner = await ask(entity, query, undefined, 'customer:5');
    expect(owner.text).toBe('{"data":{"customer":{"firstName":"František","email":"frantisekw@jetbrains.com"}}}');
    expect((await ask(entity, query, undefined, 'customer:5')).entities).toBe('fetches=1/1, representations=0/0');
    for (const other of ['customer:6', undefined]) {
      const seen = await ask(entity, query, undefined, other);
      expect(seen.entities, `as ${other ?? 'anonymous'}`).toBe('fetches=0/1, representations=0/0');
      expect(seen.text).toBe((await ask(uncached, query, undefined, other)).text);
      expect(seen.text).not.toContain('frantisekw');
    }
    // Employee 4 is customer 5's support rep: their entry, until the customer gets another rep.
    const rep = await ask(entity, query, undefined, 'employee:4');
    expect(rep.text).toContain('frantisekw@jetbrains.com');
    expect((await ask(entity, query, undefined, 'employee:4')).entities).toBe('fetches=1/1, representations=0/0');
    await sql(database.url, 'UPDATE customers.customer SET support_rep_id = 3 WHERE customer_id = 5');
    const revoked = await askUntil(entity, query, (a) => !a.text.includes('frantisekw'), 2_000, 'employee:4');
    expect(revoked.text).toBe((await ask(uncached, query, undefined, 'employee:4')).text);
    expect(revoked.text).toContain('FORBIDDEN');
    expect(revoked.entities).toBe('fetches=0/1, representations=0/0');
    await sql(database.url, 'UPDATE customers.customer SET support_rep_id = 4 WHERE customer_id = 5');
  });

  it("lets a mutation's author read the new value at once (the mutation waits for the invalidation fence)", async () => {
    const query = '{ track(id: "50") { unitPrice } }';
    await ask(entity, query);
    expect((await ask(entity, query)).entities).toBe('fetches=1/1, representations=0/0');
    const update = await ask(entity, 'mutation { updateTrack(id: "50", input: { unitPrice: "1.49" }) { id } }', undefined, 'employee:3');
    expect(update.text).toBe('{"data":{"updateTrack":{"id":"50"}}}');
    const after = await ask(entity, query);
    expect(after.text).toBe('{"data":{"track":{"unitPrice":"1.49"}}}');
    expect(after.entities).toBe('fetches=0/1, representations=0/0');
  });

  it('sends 50 concurrent identical misses to each subgraph once', async () => {
    const query = '{ album(id: "200") { title tracks { name purchaseCount } } }';
    const fetches = async (subgraph: string) => metric(entity, 'tributary_gateway_subgraph_fetch_duration_seconds_count', { subgraph, outcome: 'success' });
    const before = { catalog: await fetches('catalog'), sales: await fetches('sales') };
    const answers = await Promise.all(Array.from({ length: 50 }, () => ask(entity, query)));
    const reference = (await ask(uncached, query)).text;
    for (const answer of answers) expect(answer.text).toBe(reference);
    expect((await fetches('catalog')) - before.catalog).toBe(1);
    expect((await fetches('sales')) - before.sales).toBe(1);
  });

  it('reports hits, misses, stores, fetches avoided and representations in /metrics', async () => {
    await ask(entity, DEEP_ALBUMS, { first: 3 });
    await ask(entity, DEEP_ALBUMS, { first: 3 });
    const text = await (await fetch(entity.gatewayUrl.replace(/\/graphql$/, '/metrics'))).text();
    expect(metricValue(text, 'tributary_entity_cache_requests_total', { subgraph: 'sales', type: 'Track', tier: 'l1', result: 'hit' })).toBeGreaterThan(0);
    expect(metricValue(text, 'tributary_entity_cache_requests_total', { subgraph: 'sales', type: 'Track', tier: 'none', result: 'miss' })).toBeGreaterThan(0);
    expect(metricValue(text, 'tributary_entity_cache_stores_total', { subgraph: 'playlists', type: 'Track', outcome: 'stored' })).toBeGreaterThan(0);
    expect(metricValue(text, 'tributary_entity_cache_fetches_total', { subgraph: 'catalog', outcome: 'avoided' })).toBeGreaterThan(0);
    expect(metricValue(text, 'tributary_entity_cache_representations_requested_total', { subgraph: 'sales' })).toBeGreaterThan(
      metricValue(text, 'tributary_entity_cache_representations_sent_total', { subgraph: 'sales' })!,
    );
    expect(metricValue(text, 'tributary_entity_cache_l1_entries', {})).toBeGreaterThan(0);
  });

  it('answers byte for byte at every repeated hit, however often an entry is used (parsed once, then copied per use)', async () => {
    // Five albums with their tracks: the same genres and media types many times within one answer.
    const variables = { first: 5 };
    const reference = (await ask(uncached, DEEP_ALBUMS, variables)).text;
    for (let i = 0; i < 5; i++) {
      const answer = await ask(entity, DEEP_ALBUMS, variables);
      expect(answer.text, `ask ${i + 1}`).toBe(reference);
      if (i > 0) expect(answer.statements, `ask ${i + 1}`).toBe(0);
    }
  });

  it('counts each executed request once: served wholly by cached entities, or needing subgraphs', async () => {
    const executions = async () => {
      const text = await (await fetch(entity.gatewayUrl.replace(/\/graphql$/, '/metrics'))).text();
      return {
        entities: metricValue(text, 'tributary_entity_cache_executions_total', { served: 'entities' }) ?? 0,
        subgraphs: metricValue(text, 'tributary_entity_cache_executions_total', { served: 'subgraphs' }) ?? 0,
      };
    };
    const before = await executions();
    const query = '{ album(id: "11") { title tracks { name purchaseCount } } }';
    await ask(entity, query); // first time: catalog and sales asked
    await ask(entity, query); // every fetch from the entity cache
    await ask(entity, query);
    const after = await executions();
    expect(after.subgraphs - before.subgraphs).toBe(1);
    expect(after.entities - before.entities).toBe(2);
  });
});
