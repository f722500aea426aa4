import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REDIS_URL } from './support/services.js';
import { sql } from './support/sql.js';
import { type Stack, startStack } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

/**
 * Cell-level coalescing under concurrent mixed documents and concurrent plain SQL writes, on two
 * instances sharing L2 (response cache off, so every request executes its plan): once the writes
 * stop and their change events are heard, every document over every album touched is answered
 * as a gateway without caches answers it, byte for byte, on both instances, twice.
 */

const DOCUMENTS = [
  'query P0($id: ID!) { album(id: $id) { tracks { unitPrice } } }',
  'query P1($id: ID!) { album(id: $id) { title tracks { unitPrice name } } }',
  'query P2($id: ID!) { album(id: $id) { tracks { name unitPrice } title } }',
  'query P3($id: ID!) { album(id: $id) { id tracks { id unitPrice } } }',
  'query P4($id: ID!) { album(id: $id) { a: title tracks { p: unitPrice } } }',
  'query P5($id: ID!) { album(id: $id) { tracks { unitPrice composer } } }',
  'query P6($id: ID!) { album(id: $id) { tracks { __typename unitPrice } } }',
  'query P7($id: ID!) { album(id: $id) { title tracks { unitPrice milliseconds album { title } } } }',
  'query P8($id: ID!) { album(id: $id) { title artist { name } tracks { name composer } } }',
];
const ALBUMS = [11, 12, 13];
const ROUNDS = Number(process.env.COALESCE_WRITE_ROUNDS ?? 40);

let database: TestDatabase;
let uncached: Stack;
let first: Stack;
let second: Stack;
beforeAll(async () => {
  database = await cloneTemplateDatabase();
  const redis = { url: REDIS_URL, keyPrefix: `${inject('redisPrefix')}coalesce-writes:` };
  uncached = await startStack({ databaseUrl: database.url, redis, gatewayEnv: { RESPONSE_CACHE: 'off', ENTITY_CACHE: 'off' } });
  const env = { RESPONSE_CACHE: 'off', CACHE_DEBUG: 'true' };
  first = await startStack({ databaseUrl: database.url, redis, subgraphs: uncached.subgraphs, gatewayEnv: env });
  second = await startStack({ databaseUrl: database.url, redis, subgraphs: uncached.subgraphs, gatewayEnv: env });
}, 120_000);
afterAll(async () => {
  await Promise.all([first?.close(), second?.close()]);
  await uncached?.close();
  await database?.drop();
});

async function ask(stack: Stack, query: string, id: number): Promise<string> {
  const response = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables: { id: String(id) } }) });
  return response.text();
}

/** Change events this instance has applied (every kind). */
async function heard(stack: Stack): Promise<number> {
  return metricSum(stack, 'tributary_cache_invalidations_total');
}

/** The sum of a metric's samples whose line contains `filter`. */
async function metricSum(stack: Stack, name: string, filter = ''): Promise<number> {
  const text = await (await fetch(stack.gatewayUrl.replace(/\/graphql$/, '/metrics'))).text();
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith(name) && line.includes(filter)) sum += Number(line.split(' ').pop());
  return sum;
}

/** A small deterministic random source (seeded), so that a failing run can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('cell-level coalescing under concurrent documents and SQL writes', () => {
  it('answers every document as a gateway without caches once the writes are heard', async () => {
    const seed = Number(process.env.COALESCE_WRITE_SEED ?? 7);
    const next = random(seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    const tracks = (await sql(database.url, 'SELECT track_id, album_id FROM catalog.track WHERE album_id = ANY($1) ORDER BY track_id', [ALBUMS])).map((r) => Number(r.track_id));
    // Plans made and cells warm on both instances.
    for (const stack of [first, second]) for (const query of DOCUMENTS) for (const id of ALBUMS) await ask(stack, query, id);
    const inserted: number[] = [];
    const writes: Array<() => Promise<unknown>> = [
      () => sql(database.url, 'UPDATE catalog.track SET unit_price = $1 WHERE track_id = $2', [(next() * 10).toFixed(2), pick(tracks)]),
      () => sql(database.url, 'UPDATE catalog.track SET name = $1 WHERE track_id = $2', [`name ${Math.floor(next() * 1e6)}`, pick(tracks)]),
      () => sql(database.url, 'UPDATE catalog.track SET composer = $1 WHERE track_id = $2', [next() < 0.3 ? null : `composer ${Math.floor(next() * 1e6)}`, pick(tracks)]),
      () => sql(database.url, 'UPDATE catalog.album SET title = $1 WHERE album_id = $2', [`title ${Math.floor(next() * 1e6)}`, pick(ALBUMS)]),
      // A track moves to another album: both albums' track lists change.
      () => sql(database.url, 'UPDATE catalog.track SET album_id = $1 WHERE track_id = $2', [pick(ALBUMS), pick(tracks)]),
      async () => {
        const rows = await sql(database.url, "INSERT INTO catalog.track (name, album_id, media_type_id, genre_id, milliseconds, unit_price) VALUES ('new', $1, 1, 1, 1000, 0.99) RETURNING track_id", [
          pick(ALBUMS),
        ]);
        inserted.push(Number(rows[0]!.track_id));
      },
      async () => {
        const id = inserted.shift();
        if (id !== undefined) await sql(database.url, 'DELETE FROM catalog.track WHERE track_id = $1', [id]);
      },
    ];
    for (let round = 0; round < ROUNDS; round++) {
      const work: Array<Promise<unknown>> = [];
      for (let i = 0; i < 2; i++) work.push(pick(writes)());
      for (let i = 0; i < 14; i++) work.push(ask(pick([first, second]), pick(DOCUMENTS), pick(ALBUMS)));
      await Promise.all(work);
    }
    // Quiet: the change events of every write applied on both instances.
    let last = -1;
    for (let stable = 0; stable < 10; ) {
      await sleep(100);
      const now = (await heard(first)) + (await heard(second));
      stable = now === last ? stable + 1 : 0;
      last = now;
    }
    const wrong: string[] = [];
    for (let pass = 0; pass < 2; pass++)
      for (const query of DOCUMENTS)
        for (const id of ALBUMS) {
          const expected = await ask(uncached, query, id);
          for (const [name, stack] of [
            ['first', first],
            ['second', second],
          ] as const) {
            const actual = await ask(stack, query, id);
            if (actual !== expected) wrong.push(`pass ${pass} ${name} ${query.slice(6, 8)} album ${id}:\n  expected ${expected}\n  actual   ${actual}`);
          }
        }
    expect(wrong.slice(0, 5).join('\n')).toBe('');
    // Fetches did wait for each other's cells.
    const awaited = (await metricSum(first, 'tributary_entity_cache_cells_total', 'outcome="awaited"')) + (await metricSum(second, 'tributary_entity_cache_cells_total', 'outcome="awaited"'));
    console.log(`seed ${seed}, ${ROUNDS} rounds: ${awaited} waits for cells`);
    expect(awaited).toBeGreaterThan(0);
  }, 300_000);
});
