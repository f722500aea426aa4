import { createHash } from 'node:crypto';
import { createBusFromEnv } from '@tributary/cache';
import { Cluster } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OwnRedisCluster, startOwnRedisCluster } from './support/redis-cluster.js';
import { type Stack, startStack } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';
import { untilFresh } from './support/until-fresh.js';

/**
 * Issue 14, part 1: L2, APQ and the invalidation bus on a Redis Cluster (3 masters, 1 replica
 * each) started here, two gateways over one set of subgraphs.
 */

async function ask(stack: Stack, body: Record<string, unknown> | string) {
  const payload = typeof body === 'string' ? { query: body } : body;
  const response = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  return { status: response.status, text: await response.text(), source: response.headers.get('x-tributary-cache') };
}

/** Asks until `done` holds or `ms` pass; returns the last answer. */
async function askUntil(stack: Stack, query: string, done: (a: Awaited<ReturnType<typeof ask>>) => boolean, ms: number) {
  const deadline = Date.now() + ms;
  let answer = await ask(stack, query);
  while (!done(answer) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    answer = await ask(stack, query);
  }
  return answer;
}

let cluster: OwnRedisCluster;
let database: TestDatabase;
let admin: Cluster;
let a: Stack;
let b: Stack;
let uncached: Stack;
const keyPrefix = 'cluster-test:';

beforeAll(async () => {
  [cluster, database] = await Promise.all([startOwnRedisCluster({ masters: 3, replicasPerMaster: 1 }), cloneTemplateDatabase()]);
  admin = new Cluster(
    cluster.nodes.map((n) => ({ host: '127.0.0.1', port: n.port })),
    { scaleReads: 'master' },
  );
  const redis = { url: cluster.url, keyPrefix };
  a = await startStack({ databaseUrl: database.url, redis, gatewayEnv: { CACHE_DEBUG: 'true' } });
  b = await startStack({ databaseUrl: database.url, redis, subgraphs: a.subgraphs, gatewayEnv: { CACHE_DEBUG: 'true' } });
  uncached = await startStack({ databaseUrl: database.url, redis, subgraphs: a.subgraphs, gatewayEnv: { RESPONSE_CACHE: 'off' } });
}, 120_000);

afterAll(async () => {
  await uncached?.close();
  await b?.close();
  await a?.close();
  admin?.disconnect();
  await cluster?.stop();
  await database?.drop();
});

/** Every key under the test's prefix, by the master port that holds it. */
async function keysByMaster(): Promise<Map<number, string[]>> {
  const byMaster = new Map<number, string[]>();
  for (const node of admin.nodes('master')) {
    const keys = await node.keys(`${keyPrefix}*`);
    byMaster.set(node.options.port!, keys);
  }
  return byMaster;
}

describe('Redis Cluster (3 masters, a replica each)', () => {
  it('keeps each entry and its tag sets in one slot, and spreads entries over every master', async () => {
    const queries = Array.from({ length: 40 }, (_, i) => `{ track(id: "${i + 1}") { name } }`);
    for (const query of queries) expect((await ask(a, query)).source).toBe('miss');
    await new Promise((r) => setTimeout(r, 200)); // L2 writes are not awaited by the responses
    const byMaster = await keysByMaster();
    expect(byMaster.size).toBe(3);
    // The response cache's entries (`rc`), and the entity cache's (`ec`: per root fetch, one whole
    // entry and three field cells, `Query.track`, `Track.name` and `Track.id`), each in a bucket.
    const isEntry = (namespace: string) => (k: string) => new RegExp(`${namespace}:\\d+:\\{b\\d+\\.\\d+\\}:e:`).test(k);
    const all = [...byMaster.values()].flat();
    expect(all.filter(isEntry('rc')).length).toBe(40);
    expect(all.filter(isEntry('ec')).length).toBe(40 * 4);
    expect(all.filter((k) => /:e:/.test(k)).length).toBe(40 + 40 * 4);
    // Each master holds a share: 16 buckets spread 5/5/6 over the three slot ranges.
    for (const keys of byMaster.values()) expect(keys.filter(isEntry('rc')).length).toBeGreaterThan(3);
    // Every tag set lives in the slot of the entries it lists.
    const tagSets = [...byMaster.values()].flat().filter((k) => /:z:/.test(k));
    expect(tagSets.length).toBeGreaterThan(40);
    for (const tagSet of tagSets) {
      const slot = await admin.cluster('KEYSLOT', tagSet);
      for (const entry of await admin.zrange(tagSet, 0, -1)) expect(await admin.cluster('KEYSLOT', entry)).toBe(slot);
    }
  });

  it('serves what one instance stored from L2 on the other, byte for byte', async () => {
    const query = '{ album(id: "7") { title tracks { name unitPrice } } }';
    const miss = await ask(a, query);
    expect(miss.source).toBe('miss');
    const shared = await askUntil(b, query, (r) => r.source === 'hit-l2', 1_000);
    expect(shared.source).toBe('hit-l2');
    expect(shared.text).toBe(miss.text);
  });

  it('makes a plain SQL write visible on both instances within 100 ms, and evicts nothing else', async () => {
    const name = '{ track(id: "20") { name } }';
    const price = '{ track(id: "20") { unitPrice } }';
    for (const stack of [a, b]) {
      await ask(stack, name);
      await ask(stack, price);
      expect((await ask(stack, name)).source).toMatch(/^hit/);
    }
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query("UPDATE catalog.track SET name = 'Overdose (Cluster)' WHERE track_id = 20");
    const committed = Date.now();
    await client.end();
    const lags: number[] = [];
    for (const stack of [a, b]) {
      const { answer, lagMs } = await untilFresh(
        () => ask(stack, name),
        (r) => r.text.includes('Cluster'),
        committed,
        2_000,
      );
      lags.push(lagMs);
      expect(answer.text).toBe('{"data":{"track":{"name":"Overdose (Cluster)"}}}');
      expect((await ask(stack, price)).source).toMatch(/^hit/);
    }
    expect(Math.max(...lags)).toBeLessThanOrEqual(100);
    // L2 too: no entry of the old name is left on any master (an entry the other instance's invalidation deletes meanwhile reads as null).
    for (const keys of (await keysByMaster()).values()) {
      for (const key of keys.filter((k) => /:e:/.test(k))) expect((await admin.get(key)) ?? '').not.toContain('"Overdose"');
    }
  });

  it('flushes every instance and L2 with one flush event', async () => {
    const query = '{ genre(id: "9") { name } }';
    for (const stack of [a, b]) {
      await ask(stack, query);
      expect((await askUntil(stack, query, (r) => r.source === 'hit-l1', 1_000)).source).toBe('hit-l1');
    }
    const epochBefore = await admin.get(`${keyPrefix}rc:epoch`);
    const bus = createBusFromEnv({ REDIS_URL: cluster.url, REDIS_KEY_PREFIX: keyPrefix });
    try {
      await bus.publish({ kind: 'flush', reason: 'test' });
    } finally {
      await bus.close();
    }
    await a.gateway.cache.fence();
    await b.gateway.cache.fence();
    expect(await admin.get(`${keyPrefix}rc:epoch`)).not.toBe(epochBefore);
    expect((await ask(a, query)).source).toBe('miss');
    // b's L1 is gone, and the old epoch's L2 entry is unreachable: only what a just stored.
    expect((await ask(b, query)).source).toMatch(/^(miss|hit-l2)$/);
  });

  it('shares APQ registrations: a hash registered on one instance runs on the other', async () => {
    const query = '{ artist(id: "8") { name } }';
    const hash = createHash('sha256').update(query).digest('hex');
    const persistedQuery = { version: 1, sha256Hash: hash };
    const registered = await ask(a, { query, extensions: { persistedQuery } });
    expect(registered.text).toBe('{"data":{"artist":{"name":"Audioslave"}}}');
    const byHash = await ask(b, { extensions: { persistedQuery } });
    expect(byHash.status).toBe(200);
    expect(byHash.text).toBe('{"data":{"artist":{"name":"Audioslave"}}}');
    const apqKeys = [...(await keysByMaster()).values()].flat().filter((k) => k === `${keyPrefix}apq:${hash}`);
    expect(apqKeys).toEqual([`${keyPrefix}apq:${hash}`]);
  });

  it('survives a master killed mid-load: no failed request, no stale answer after, caching again once the replica took over', async () => {
    const queries = [1, 2, 3, 4, 5, 6].flatMap((id) => [`{ track(id: "${id}") { name unitPrice } }`, `{ album(id: "${id}") { title tracks { unitPrice } } }`]);
    const failures: string[] = [];
    const answeredAt: number[] = [];
    let killedAt = 0;
    let healthyAt = 0;
    let writes = 0;
    let stop = false;
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const reader = async (stack: Stack) => {
      while (!stop) {
        for (const query of queries) {
          const answer = await ask(stack, query);
          answeredAt.push(Date.now());
          if (answer.status !== 200 || answer.text.includes('"errors"')) failures.push(`${answer.status} ${answer.text}`);
        }
      }
    };
    const writer = async () => {
      while (!stop) {
        const id = 1 + (writes % 6);
        await client.query('UPDATE catalog.track SET unit_price = $1, name = $2 WHERE track_id = $3', [((writes % 90) / 10 + 0.99).toFixed(2), `Track ${id} w${writes}`, id]);
        writes++;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const epochBefore = await admin.get(`${keyPrefix}rc:epoch`);
    const load = Promise.all([reader(a), reader(b), reader(a), reader(b), writer()]);
    try {
      await new Promise((r) => setTimeout(r, 700));
      // The master of the first bucket's slot (an L2 master that entries were stored on).
      const victim = await cluster.masterOf(await admin.cluster('KEYSLOT', '{b0.0}'));
      killedAt = Date.now();
      await victim.kill();
      await cluster.waitHealthy(30_000);
      healthyAt = Date.now();
      await new Promise((r) => setTimeout(r, 1_000));
    } finally {
      stop = true;
      await load;
      await client.end();
    }
    expect(failures).toEqual([]);
    // Requests were answered while the master was down and its replica not yet promoted.
    expect(healthyAt).toBeGreaterThan(killedAt);
    expect(answeredAt.filter((t) => t > killedAt && t < healthyAt).length).toBeGreaterThan(4);
    expect(writes).toBeGreaterThan(20);
    await a.gateway.cache.fence();
    await b.gateway.cache.fence();
    await new Promise((r) => setTimeout(r, 200));
    // The gateways saw another master serve the victim's slots and moved L2 to a new epoch: the
    // promoted replica may lack the victim's last deletes.
    expect(await admin.get(`${keyPrefix}rc:epoch`)).not.toBe(epochBefore);
    for (const query of queries) {
      const fresh = (await ask(uncached, query)).text;
      expect(fresh).toContain('"data"');
      for (const stack of [a, b]) expect((await ask(stack, query)).text, query).toBe(fresh);
    }
    // Caching again on both instances, and through L2 between them.
    const query = '{ genre(id: "12") { name } }';
    expect((await askUntil(a, query, (r) => r.source === 'hit-l1', 10_000)).source).toBe('hit-l1');
    expect((await askUntil(b, query, (r) => r.source === 'hit-l2' || r.source === 'hit-l1', 10_000)).source).toMatch(/^hit-/);
  }, 90_000);
});
