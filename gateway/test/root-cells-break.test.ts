import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { MAX_TAGS_PER_ENTRY } from '../src/cache/fetch-tagging.js';
import { storeCells } from '../src/cache/entity-cells.js';
import { createEntityStore } from '../src/cache/entity-store.js';
import { tagFetch } from '../src/cache/fetch-tagging.js';
import { planCells, readCells, writeCells } from '../src/cache/root-cells.js';

/** Field cells against answers that do not fit their selection, and response names that are also `Object.prototype`'s. */
const schema = buildSchema(`
  directive @key(fields: String!) on OBJECT
  type Query { album(id: ID!): Album albums: [Album!]! }
  type Album @key(fields: "id") { id: ID! title: String info: Info }
  type Info { note: String }
  union _Entity = Album
`);

function plan(query: string) {
  const fetch = tagFetch(query, schema);
  if (!fetch) throw new Error('untaggable');
  return planCells(fetch, schema)!;
}

describe('field cells and Object.prototype names', () => {
  it('keeps nothing when a field named like an Object.prototype member is missing from the answer (not an inherited function)', () => {
    const p = plan('{ album(id: "1") { constructor: title } }');
    expect(p).not.toBeNull();
    // A subgraph that left the field out: nothing fits the plan (not a cell whose body is \`JSON.stringify(Object)\`, undefined).
    expect(writeCells(p, { album: { _tributary_id: '1' } }, {})).toBeUndefined();
  });

  it('does not throw storing such an answer (the fetch would fail instead of being answered)', () => {
    const p = plan('{ album(id: "1") { constructor: title } }');
    const store = createEntityStore({ l1MaxBytes: 1 << 20, keyPrefix: 'test:', onError: (e) => expect.fail(e.message) });
    expect(() => storeCells(store, 'v1', 'catalog', p, { album: { _tributary_id: '1' } }, {}, { ttlMs: 60_000, startedAt: store.now() })).not.toThrow();
  });

  it('reads a cell under the response name __proto__ back as an own property', () => {
    const p = plan('{ album(id: "1") { __proto__: title info { __proto__: note } } }');
    const data = JSON.parse('{"album":{"__proto__":"T","info":{"__proto__":"N"},"_tributary_id":"1"}}');
    const cells = writeCells(p, data, {})!;
    const map = new Map(cells.map((c) => [`${c.record}\n${c.signature}`, c.body]));
    const read = readCells(p, {}, (r, s) => map.get(`${r}\n${s}`), []);
    expect(JSON.stringify(read)).toBe(JSON.stringify(data));
  });
});

describe('field cells of a long list', () => {
  it('keeps at most MAX_TAGS_PER_ENTRY tags per cell (600 albums name 1,200), the coarse form past it (as docs/architecture/CACHING_STRATEGY.md says, and as whole entries do)', () => {
    const p = plan('{ albums { title } }');
    const albums = Array.from({ length: 600 }, (_, i) => ({ title: `t${i}`, _tributary_id: String(i) }));
    const cells = writeCells(p, { albums }, {})!;
    const root = cells.find((c) => c.record === 'Query')!;
    expect(root.tags.length).toBeLessThanOrEqual(MAX_TAGS_PER_ENTRY);
    // Still evicted by any change to an album's membership: every event about an album carries `any:Album`.
    expect(root.tags).toEqual(expect.arrayContaining(['Query.albums', 'any:Album']));
  });
});
