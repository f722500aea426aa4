import pg from 'pg';
import { encodeCursor } from '@tributary/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValue } from './support/metrics.js';
import { runScript } from './support/run-script.js';
import { type Stack, startStack, tokenFor } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';
import { untilFresh } from './support/until-fresh.js';

/** A request and what it cost: status, exact body bytes, headers, SQL statements. */
async function ask(stack: Stack, query: string, variables?: Record<string, unknown>, options: { as?: string; operationName?: string; headers?: Record<string, string> } = {}) {
  const authorization: Record<string, string> = options.as ? { authorization: `Bearer ${await tokenFor(options.as)}` } : {};
  const { result, statements } = await stack.countStatements(async () => {
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authorization, ...options.headers },
      body: JSON.stringify({ query, variables, operationName: options.operationName }),
    });
    return { status: response.status, text: await response.text(), headers: response.headers };
  });
  return { ...result, statements, json: result.text ? JSON.parse(result.text) : undefined };
}

const Q1 = '{ track(id: "3") { name } }';
const Q2 = '{ track(id: "3") { unitPrice } }';

let database: TestDatabase;
let stack: Stack;
beforeAll(async () => {
  database = await cloneTemplateDatabase();
  stack = await startStack({ databaseUrl: database.url, gatewayEnv: { CACHE_DEBUG: 'true' } });
});
afterAll(async () => {
  await stack?.close();
  await database?.drop();
});

describe('response cache, one instance', () => {
  it('answers a repeated query from L1 without SQL, with ETag, Cache-Control and 304', async () => {
    const miss = await ask(stack, Q1);
    expect(miss.statements).toBe(1);
    expect(miss.headers.get('x-tributary-cache')).toBe('miss');
    const hit = await ask(stack, Q1);
    expect(hit.statements).toBe(0);
    expect(hit.headers.get('x-tributary-cache')).toBe('hit-l1');
    expect(hit.text).toBe(miss.text);
    expect(hit.text).toBe('{"data":{"track":{"name":"Fast As a Shark"}}}');
    expect(hit.headers.get('etag')).toBe(miss.headers.get('etag'));
    expect(hit.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
    expect(Number(hit.headers.get('x-tributary-cache-ttl'))).toBeGreaterThan(290);
    const notModified = await ask(stack, Q1, undefined, { headers: { 'if-none-match': hit.headers.get('etag')! } });
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe('');
  });

  it("does not store a no-cache request's answer again when L1 holds the same one, and stores a changed one", async () => {
    const query = '{ track(id: "5") { name composer } }';
    const stores = async (outcome: string) => metricValue(await (await fetch(stack.gatewayUrl.replace(/\/graphql$/, '/metrics'))).text(), 'tributary_cache_stores_total', { outcome }) ?? 0;
    const first = await ask(stack, query);
    expect(first.headers.get('x-tributary-cache')).toBe('miss');
    const [stored, kept] = [await stores('stored'), await stores('kept')];
    const again = await ask(stack, query, undefined, { headers: { 'cache-control': 'no-cache' } });
    expect(again.headers.get('x-tributary-cache')).toBe('miss');
    expect(again.text).toBe(first.text);
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    await new Promise((r) => setTimeout(r, 50)); // the store runs after the response is sent
    expect(await stores('kept')).toBe(kept + 1);
    expect(await stores('stored')).toBe(stored);
    // Changed: the no-cache answer is new, stored, and what the next request is answered with.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query("UPDATE catalog.track SET composer = 'U. Dirkschneider' WHERE track_id = 5");
    await client.end();
    const { answer: changed } = await untilFresh(
      () => ask(stack, query, undefined, { headers: { 'cache-control': 'no-cache' } }),
      (r) => r.text.includes('U. Dirkschneider'),
      Date.now(),
    );
    expect(changed.headers.get('etag')).not.toBe(first.headers.get('etag'));
    await new Promise((r) => setTimeout(r, 50));
    expect(await stores('stored')).toBeGreaterThan(stored);
    const hit = await ask(stack, query);
    expect(hit.headers.get('x-tributary-cache')).toBe('hit-l1');
    expect(hit.text).toBe(changed.text);
    expect(hit.headers.get('etag')).toBe(changed.headers.get('etag'));
  });

  it('evicts exactly the entries that read a changed field (updateTrack)', async () => {
    await ask(stack, Q2);
    expect((await ask(stack, Q2)).statements).toBe(0);
    const update = await ask(stack, 'mutation { updateTrack(id: "3", input: { unitPrice: "1.29" }) { id } }', undefined, { as: 'employee:3' });
    expect(update.json).toEqual({ data: { updateTrack: { id: '3' } } });
    const q2 = await ask(stack, Q2);
    expect(q2.statements).toBeGreaterThan(0);
    expect(q2.json).toEqual({ data: { track: { unitPrice: '1.29' } } });
    const q1 = await ask(stack, Q1);
    expect(q1.statements).toBe(0);
    expect(q1.headers.get('x-tributary-cache')).toBe('hit-l1');
  });

  it('hears writes that bypass the API (plain SQL) within 100 ms, and only for what they changed', async () => {
    await ask(stack, Q1);
    await ask(stack, Q2);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query("UPDATE catalog.track SET name = 'Fast As A Shark (Live)' WHERE track_id = 3");
    await client.end();
    const { answer: q1, lagMs } = await untilFresh(
      () => ask(stack, Q1),
      (r) => r.json.data.track.name === 'Fast As A Shark (Live)',
      Date.now(),
    );
    expect(q1.json).toEqual({ data: { track: { name: 'Fast As A Shark (Live)' } } });
    expect(lagMs).toBeLessThanOrEqual(100);
    expect((await ask(stack, Q2)).statements).toBe(0);
  });

  it('evicts lists on create, including a list cached while empty', async () => {
    const all = '{ playlists(first: 100) { totalCount nodes { name } } }';
    const after18Query = `{ playlists(first: 5, after: "${encodeCursor('Query.playlists', 18)}") { nodes { id name } } }`;
    const after18 = await ask(stack, after18Query);
    expect(after18.json).toEqual({ data: { playlists: { nodes: [] } } });
    await ask(stack, all);
    expect((await ask(stack, all)).statements).toBe(0);
    await ask(stack, 'mutation { createPlaylist(name: "Cached") { id } }', undefined, { as: 'customer:1' });
    const fresh = await ask(stack, all);
    expect(fresh.statements).toBeGreaterThan(0);
    expect(fresh.json.data.playlists.totalCount).toBe(19);
    expect((await ask(stack, after18Query)).json).toEqual({ data: { playlists: { nodes: [{ id: '19', name: 'Cached' }] } } });
  });

  it('keeps trackCount and tracks fresh when a track is removed', async () => {
    const page = '{ playlist(id: "18") { trackCount tracks { nodes { id } } } }';
    expect((await ask(stack, page)).json).toEqual({ data: { playlist: { trackCount: 1, tracks: { nodes: [{ id: '597' }] } } } });
    expect((await ask(stack, page)).statements).toBe(0);
    await ask(stack, 'mutation { removeTrackFromPlaylist(playlistId: "18", trackId: "597") { id } }', undefined, { as: 'customer:1' });
    expect((await ask(stack, page)).json).toEqual({ data: { playlist: { trackCount: 0, tracks: { nodes: [] } } } });
  });

  it('keeps derived fields fresh after a purchase: purchaseCount, topTracks, invoices, totalSpent', async () => {
    const counts = '{ track(id: "1") { purchaseCount } topTracks(first: 1) { id purchaseCount } }';
    const mine = '{ customer(id: "30") { totalSpent invoices { totalCount } } }';
    const before = (await ask(stack, counts)).json.data;
    const mineBefore = (await ask(stack, mine, undefined, { as: 'customer:30' })).json.data;
    expect((await ask(stack, counts)).statements).toBe(0);
    expect((await ask(stack, mine, undefined, { as: 'customer:30' })).statements).toBe(0);
    const bought = await ask(stack, 'mutation { purchase(customerId: "30", trackIds: ["1", "1", "1"]) { total } }', undefined, { as: 'customer:30' });
    expect(bought.json.errors).toBeUndefined();
    const after = (await ask(stack, counts)).json.data;
    expect(after.track.purchaseCount).toBe(before.track.purchaseCount + 3);
    expect(after.topTracks).toEqual([{ id: '1', purchaseCount: before.track.purchaseCount + 3 }]);
    const mineAfter = (await ask(stack, mine, undefined, { as: 'customer:30' })).json.data;
    expect(mineAfter.customer.invoices.totalCount).toBe(mineBefore.customer.invoices.totalCount + 1);
    expect(Number(mineAfter.customer.totalSpent)).toBeCloseTo(Number(mineBefore.customer.totalSpent) + 2.97, 2);
  });

  it('keys on operation name and canonical variables, and scopes private entries to their principal', async () => {
    const two = 'query A { genre(id: "1") { name } } query B { genre(id: "2") { name } }';
    expect((await ask(stack, two, undefined, { operationName: 'A' })).json).toEqual({ data: { genre: { name: 'Rock' } } });
    expect((await ask(stack, two, undefined, { operationName: 'B' })).json).toEqual({ data: { genre: { name: 'Jazz' } } });
    expect((await ask(stack, two, undefined, { operationName: 'A' })).statements).toBe(0);
    const withVars = 'query ($a: Int, $b: String) { artists(first: $a, nameContains: $b) { totalCount } }';
    await ask(stack, withVars, { a: 2, b: 'ac' });
    expect((await ask(stack, withVars, { b: 'ac', a: 2 })).statements).toBe(0);

    const profile = '{ customer(id: "5") { email } }';
    const own = await ask(stack, profile, undefined, { as: 'customer:5' });
    expect(own.json).toEqual({ data: { customer: { email: 'frantisekw@jetbrains.com' } } });
    expect(own.headers.get('cache-control')).toBe('private, max-age=0, must-revalidate');
    expect((await ask(stack, profile, undefined, { as: 'customer:5' })).statements).toBe(0);
    const other = await ask(stack, profile, undefined, { as: 'employee:4' });
    expect(other.statements).toBeGreaterThan(0);
    const anonymous = await ask(stack, profile);
    expect(anonymous.json.data.customer.email).toBeNull();
    expect(anonymous.json.errors[0].extensions.code).toBe('FORBIDDEN');
    // A response that read only public fields is public, for anyone:
    await ask(stack, '{ customer(id: "5") { firstName } }', undefined, { as: 'customer:5' });
    expect((await ask(stack, '{ customer(id: "5") { firstName } }')).statements).toBe(0);
  });

  it('returns identical bytes on miss and hit for awkward shapes, without its internal selections', async () => {
    const shapes = [
      '{ track(id: "1") { id: name realId: id mediaType { id name } album { tracks { playlists { id } } } } }',
      '{ album(id: "99999") { title } genre(id: "1") { name } }',
      '{ artists(first: 2) { edges { cursor node { name albums { title } } } } }',
    ];
    for (const query of shapes) {
      const miss = await ask(stack, query);
      const hit = await ask(stack, query);
      expect(hit.statements).toBe(0);
      expect(hit.text).toBe(miss.text);
      expect(miss.text).not.toContain('_trid');
    }
    expect(JSON.parse((await ask(stack, shapes[0]!)).text).data.track).toMatchObject({ id: 'For Those About To Rock (We Salute You)', realId: '1', mediaType: { id: '1', name: 'MPEG audio file' } });
  });

  it('does not cache errors, partial results or mutations', async () => {
    const partial = '{ customer(id: "6") { firstName email } }';
    expect((await ask(stack, partial, undefined, { as: 'customer:5' })).json.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await ask(stack, partial, undefined, { as: 'customer:5' })).statements).toBeGreaterThan(0);
    const bad = '{ track(id: "x") { name } }';
    await ask(stack, bad);
    const again = await ask(stack, bad);
    // Not a hit, and not stored: the debug header says so and why; no validators, no TTL.
    expect(again.headers.get('x-tributary-cache')).toBe('not-stored');
    expect(again.headers.get('x-tributary-cache-reason')).toBe('errors');
    expect(again.headers.get('cache-control')).toBeNull();
    expect(again.headers.get('x-tributary-cache-ttl')).toBeNull();
    expect(again.json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('reports hits, misses and invalidations in /metrics', async () => {
    const text = await (await fetch(stack.gatewayUrl.replace('/graphql', '/metrics'))).text();
    expect(metricValue(text, 'tributary_cache_requests_total', { tier: 'l1', result: 'hit' })).toBeGreaterThan(5);
    expect(metricValue(text, 'tributary_cache_requests_total', { tier: 'l1', result: 'miss' })).toBeGreaterThan(5);
    expect(metricValue(text, 'tributary_cache_invalidations_total', { kind: 'update' })).toBeGreaterThan(0);
    expect(metricValue(text, 'tributary_cache_l1_entries', {})).toBeGreaterThan(0);
    expect(metricValue(text, 'tributary_cache_bus_lag_seconds_count', {})).toBeGreaterThan(0);
  });
});

describe('identical misses at once', () => {
  it('execute once: 50 concurrent identical requests cost the SQL of one, and get the same bytes', async () => {
    const query = '{ genre(id: "7") { name } }';
    const { result, statements } = await stack.countStatements(() =>
      Promise.all(
        Array.from({ length: 50 }, async () => {
          const response = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
          return { text: await response.text(), source: response.headers.get('x-tributary-cache') };
        }),
      ),
    );
    expect(statements).toBe(1);
    expect(new Set(result.map((r) => r.text))).toEqual(new Set(['{"data":{"genre":{"name":"Latin"}}}']));
    expect(result.filter((r) => r.source === 'miss')).toHaveLength(1);
    expect(result.filter((r) => r.source === 'hit-coalesced').length).toBeGreaterThan(0);
  });

  it("never hand one principal's private answer to another waiting principal", async () => {
    const query = '{ customer(id: "5") { email } }';
    const answers = await Promise.all([
      ...Array.from({ length: 5 }, () => ask(stack, query, undefined, { as: 'customer:5' })),
      ...Array.from({ length: 5 }, () => ask(stack, query, undefined, { as: 'customer:6' })),
    ]);
    for (const answer of answers.slice(0, 5)) expect(answer.json).toEqual({ data: { customer: { email: 'frantisekw@jetbrains.com' } } });
    for (const answer of answers.slice(5)) expect(answer.json.errors[0].extensions.code).toBe('FORBIDDEN');
  });
});

describe('the hit path', () => {
  it('does no GraphQL work: no parse, no validation, no plan, no subgraph fetch', async () => {
    const work = { parse: 0, validate: 0, execute: 0 };
    const counting = await startStack({
      databaseUrl: database.url,
      plugins: [{ onParse: () => void work.parse++, onValidate: () => void work.validate++, onExecute: () => void work.execute++ }],
    });
    try {
      const query = '{ album(id: "5") { title artist { name } } }';
      await ask(counting, query);
      expect(work).toEqual({ parse: 1, validate: 1, execute: 1 });
      const fetchesBefore = await (await fetch(counting.gatewayUrl.replace('/graphql', '/metrics'))).text();
      for (let i = 0; i < 5; i++) expect((await ask(counting, query)).statements).toBe(0);
      expect(work).toEqual({ parse: 1, validate: 1, execute: 1 });
      const fetchesAfter = await (await fetch(counting.gatewayUrl.replace('/graphql', '/metrics'))).text();
      const fetches = (text: string) => metricValue(text, 'tributary_gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'catalog', outcome: 'success' });
      expect(fetches(fetchesAfter)).toBe(fetches(fetchesBefore));
    } finally {
      await counting.close();
    }
  });
});

describe('pnpm cache:invalidate (single instance, through Postgres)', () => {
  it('evicts by field, by entity, and rejects what is not a tag or names nothing the API has', async () => {
    const name = '{ track(id: "12") { name } }';
    const price = '{ track(id: "12") { unitPrice } }';
    await ask(stack, name);
    await ask(stack, price);
    const result = await runScript('scripts/cache-invalidate.ts', ['Track:12.name'], { DATABASE_URL: database.url, REDIS_URL: '' });
    expect(result).toMatchObject({ code: 0, stdout: 'invalidated: Track:12.name\n' });
    await stack.subgraphs.changeFeed.fence();
    await stack.gateway.cache.fence();
    expect((await ask(stack, name)).statements).toBe(1);
    expect((await ask(stack, price)).statements).toBe(0);
    await runScript('scripts/cache-invalidate.ts', ['Track:12'], { DATABASE_URL: database.url, REDIS_URL: '' });
    await stack.subgraphs.changeFeed.fence();
    await stack.gateway.cache.fence();
    expect((await ask(stack, price)).statements).toBe(1);
    const bad = await runScript('scripts/cache-invalidate.ts', ['track 12'], { DATABASE_URL: database.url, REDIS_URL: '' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('not a cache tag: "track 12"');
    const misspelt = await runScript('scripts/cache-invalidate.ts', ['Track:12.unitPrise'], { DATABASE_URL: database.url, REDIS_URL: '' });
    expect(misspelt.code).toBe(1);
    expect(misspelt.stderr).toContain('"Track:12.unitPrise" names nothing the API has: Track has no field unitPrise (fields: album, bytes, composer');
  }, 150_000); // four `node --import tsx` processes: each compiles its imports (seconds on a loaded machine)
});

describe('requests that must not poison or break the cache', () => {
  it('records the tags of a field selected twice (repeated selections, fragments)', async () => {
    const twice = '{ album(id: "9") { title tracks { name } tracks { id unitPrice } } }';
    await ask(stack, twice);
    expect((await ask(stack, twice)).statements).toBe(0);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query('UPDATE catalog.track SET unit_price = 1.49 WHERE track_id = (SELECT min(track_id) FROM catalog.track WHERE album_id = 9)');
    await client.end();
    await stack.subgraphs.changeFeed.fence();
    await stack.gateway.cache.fence();
    expect((await ask(stack, twice)).json.data.album.tracks[0].unitPrice).toBe('1.49');
  });

  it('neither looks up nor stores a request whose body is not plain JSON', async () => {
    const query = '{ track(id: "20") { name } }';
    const poison = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; x=json', 'apollo-require-preflight': '1' },
      body: `${JSON.stringify({ query, z: '&query={ track: playlist(id: "1") { name } }&' })}`,
    });
    expect(poison.headers.get('x-tributary-cache')).toBeNull();
    expect((await ask(stack, query)).json).toEqual({ data: { track: { name: expect.stringMatching(/^Overdose/) } } });
  });

  it('answers a document that uses the aliases of the tagged subgraph fetches as it is, and does not store it', async () => {
    const reserved = '{ track(id: "4") { _tributary_id: name _trid: unitPrice _tributary_type: __typename } }';
    const first = await ask(stack, reserved);
    expect(first.text).toBe('{"data":{"track":{"_tributary_id":"Restless and Wild","_trid":"0.99","_tributary_type":"Track"}}}');
    const second = await ask(stack, reserved);
    expect(second.text).toBe(first.text);
    expect(second.statements).toBeGreaterThan(0);
    expect(second.headers.get('x-tributary-cache')).toBe('not-stored');
  });

  it('answers 304 to a weak or listed If-None-Match, and survives variables nested past the stack', async () => {
    const query = '{ genre(id: "12") { name } }';
    const { headers } = await ask(stack, query);
    const etag = headers.get('etag')!;
    expect((await ask(stack, query, undefined, { headers: { 'if-none-match': `"other", W/${etag}` } })).status).toBe(304);
    const deep = `{"query":"{ genre(id: \\"1\\") { name } }","variables":{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`;
    const response = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: deep });
    expect(response.status).not.toBe(500);
  });

  it('hears TRUNCATE and a changed primary key', async () => {
    const page = '{ playlist(id: "17") { trackCount } track(id: "3400") { name } }';
    expect((await ask(stack, page)).json.data.playlist.trackCount).toBeGreaterThan(0);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query('TRUNCATE playlists.playlist_track');
    await client.query('UPDATE catalog.track SET track_id = 99400 WHERE track_id = 3400');
    await client.end();
    await stack.subgraphs.changeFeed.fence();
    await stack.gateway.cache.fence();
    expect((await ask(stack, page)).json.data).toEqual({ playlist: { trackCount: 0 }, track: null });
  });
});

describe('TTL 0', () => {
  it('caches nothing when the default max age is 0', async () => {
    const noCache = await startStack({ databaseUrl: database.url, gatewayEnv: { CACHE_DEFAULT_MAX_AGE_S: '0' } });
    try {
      await ask(noCache, '{ genre(id: "7") { name } }');
      expect((await ask(noCache, '{ genre(id: "7") { name } }')).statements).toBe(1);
    } finally {
      await noCache.close();
    }
  });
});

describe('a response too large for per-field tags', () => {
  it('is cached with coarse tags, and any change to a type it read evicts it', async () => {
    const big = '{ albums(first: 100) { nodes { title tracks { name unitPrice } } } }';
    await ask(stack, big);
    const hit = await ask(stack, big);
    expect(hit.statements).toBe(0);
    await ask(stack, 'mutation { updateTrack(id: "3000", input: { composer: "Coarse" }) { id } }', undefined, { as: 'employee:3' });
    // Track 3000 is not on the first 100 albums' page: only coarse tags can evict it, and must.
    // (The execution that follows is answered by the entity cache's field cells, which keep
    // per-field tags: the change did not touch them, so it needs no SQL.)
    const evicted = await ask(stack, big);
    expect(evicted.headers.get('x-tributary-cache')).toBe('miss');
    expect(evicted.text).toBe(hit.text);
    const again = await ask(stack, big);
    expect(again.headers.get('x-tributary-cache')).toBe('hit-l1');
    expect(again.statements).toBe(0);
  });
});
