import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { assembleFromCells, storeCells } from '../src/cache/entity-cells.js';
import { createEntityStore } from '../src/cache/entity-store.js';
import { tagFetch } from '../src/cache/fetch-tagging.js';
import { RESOLVED, planCells, planEntityCells, readCells, recordOf, writeCells } from '../src/cache/root-cells.js';

/** A subgraph schema as the supergraph extraction gives it: `_Entity`, and `@key` on the entity types. */
const schema = buildSchema(`
  directive @key(fields: String!) on OBJECT
  scalar JSON
  type Query { album(id: ID!): Album albums(first: Int = 2): [Album!]! labels: [Label!]! search(q: String): [Hit] }
  type Album @key(fields: "id") { id: ID! title: String tracks(limit: Int): [Track!]! grid: [[Track]] meta: JSON }
  type Track @key(fields: "id") { id: ID! name: String price: Float media: Media }
  type Media { id: ID name: String }
  type Label @key(fields: "name") { id: ID! name: String! }
  union Hit = Album | Track
  union _Entity = Album | Track | Label
`);

function plan(query: string) {
  const fetch = tagFetch(query, schema);
  if (!fetch) throw new Error('untaggable');
  return { fetch, plan: planCells(fetch, schema) };
}

/** Cells as a map, and a lookup over it. */
function cellMap(cells: Array<{ record: string; signature: string; body: string }>) {
  const map = new Map(cells.map((c) => [`${c.record}\n${c.signature}`, c.body]));
  return { map, lookup: (record: string, signature: string) => map.get(`${record}\n${signature}`) };
}

describe('planCells', () => {
  it('plans object selections, and refuses abstract types, directives, a response name twice and fragments on other types', () => {
    expect(plan('{ album(id: "1") { title tracks { name } } }').plan).not.toBeNull();
    expect(plan('{ search(q: "x") { ... on Album { title } } }').plan).toBeNull();
    expect(plan('query($s: Boolean!) { album(id: "1") { title @skip(if: $s) } }').plan).toBeNull();
    expect(plan('{ album(id: "1") { title title: id } }').plan).toBeNull();
    expect(plan('{ album(id: "1") { ... on Album { title } } }').plan).not.toBeNull();
    expect(plan('{ album(id: "1") { ...F } } fragment F on Album { title }').plan).not.toBeNull();
  });

  it('keeps an entity keyed by id as a record, anything else (no key, a key other than id) inline', () => {
    const { plan: p } = plan('{ album(id: "1") { tracks { media { name } } } labels { name } }');
    const album = p!.root.fields.find((f) => f.name === 'album')!;
    expect(album.kind).toBe('entity');
    const tracks = album.set!.fields.find((f) => f.name === 'tracks')!;
    expect(tracks.kind).toBe('entity');
    expect(tracks.set!.fields.find((f) => f.name === 'media')!.kind).toBe('inline');
    expect(p!.root.fields.find((f) => f.name === 'labels')!.kind).toBe('inline');
  });
});

describe('writeCells and readCells', () => {
  const data = {
    album: {
      title: 'Let There Be Rock',
      tracks: [
        { name: 'Go Down', media: { name: 'MPEG', _tributary_id: '1' }, _tributary_id: '15' },
        { name: 'Dog Eat Dog', media: null, _tributary_id: '16' },
      ],
      grid: [[{ name: 'Go Down', _tributary_id: '15' }, null], []],
      meta: { b: 1, a: [null] },
      _tributary_id: '4',
    },
  };
  const query = '{ album(id: "4") { title tracks(limit: 2) { name media { name } } grid { name } meta } }';

  it('writes a cell per entity field, with the tags of what it holds, and reads the answer back byte for byte', () => {
    const { plan: p } = plan(query);
    const cells = writeCells(p!, data, {})!;
    const byKey = Object.fromEntries(cells.map((c) => [`${c.record} ${c.signature}`, c]));
    expect(byKey['Query album({"id":"4"})@']!.body).toBe('"4"');
    expect(byKey['Query album({"id":"4"})@']!.tags.sort()).toEqual(['Album:4', 'Query.album', 'type:Album']);
    expect(byKey['Album:"4" tracks({"limit":2})@']!.body).toBe('["15","16"]');
    expect(byKey['Album:"4" tracks({"limit":2})@']!.tags.sort()).toEqual(['Album:4', 'Album:4.tracks', 'Track:15', 'Track:16', 'type:Album', 'type:Track']);
    expect(byKey['Album:"4" grid@']!.body).toBe('[["15",null],[]]');
    // An inline object (no key) in its selection's shape, with the id the tagged fetch added; tagged as the response cache tags it.
    const media = byKey['Track:"15" media{name:name _tributary_id:id}']!;
    expect(media.body).toBe('{"name":"MPEG","_tributary_id":"1"}');
    expect(media.tags.sort()).toEqual(['Media:1', 'Media:1.id', 'Media:1.name', 'Track:15', 'Track:15.media', 'type:Media', 'type:Track']);
    expect(byKey['Album:"4" meta']!.body).toBe('{"b":1,"a":[null]}');

    const { lookup } = cellMap(cells);
    const missing: Array<{ record: string; signature: string }> = [];
    expect(JSON.stringify(readCells(p!, {}, lookup, missing))).toBe(JSON.stringify(data));
    expect(missing).toEqual([]);
  });

  it('answers another selection of the same fields in its own order and names, and misses a field never read', () => {
    const { map, lookup } = cellMap(writeCells(plan(query).plan!, data, {})!);
    const other = plan('{ album(id: "4") { m: meta __typename tracks(limit: 2) { __typename n: name } } }').plan!;
    expect(JSON.stringify(readCells(other, {}, lookup, []))).toBe(
      '{"album":{"m":{"b":1,"a":[null]},"__typename":"Album","tracks":[{"__typename":"Track","n":"Go Down","_tributary_id":"15"},{"__typename":"Track","n":"Dog Eat Dog","_tributary_id":"16"}],"_tributary_id":"4"}}',
    );
    const missing: Array<{ record: string; signature: string }> = [];
    expect(readCells(plan('{ album(id: "4") { tracks(limit: 2) { price } } }').plan!, {}, lookup, missing)).toBeUndefined();
    expect(missing).toEqual([
      { record: 'Track:"15"', signature: 'price' },
      { record: 'Track:"16"', signature: 'price' },
    ]);
    // Other arguments are other cells.
    expect(readCells(plan('{ album(id: "4") { tracks(limit: 3) { name } } }').plan!, {}, lookup, [])).toBeUndefined();
    expect(map.size).toBeGreaterThan(0);
  });

  it('reads arguments from variables, with the operation defaults applied', () => {
    const defaulted = plan('query($n: Int = 2) { albums(first: $n) { title } }').plan!;
    const data2 = { albums: [{ title: 'A', _tributary_id: '1' }] };
    const written = writeCells(defaulted, data2, { n: 2 })!;
    expect(written.find((c) => c.record === 'Query')!.signature).toBe('albums({"first":2})@');
  });

  it('refuses an answer with an entity whose id is missing: nothing is kept', () => {
    const { plan: p } = plan('{ album(id: "4") { title } }');
    expect(writeCells(p!, { album: { title: 'x', _tributary_id: null } }, {})).toBeUndefined();
  });
});

describe('storeCells and assembleFromCells', () => {
  it('refuses the cells whose tags were invalidated after the fetch started; the answer is then read from the subgraph again', async () => {
    const store = createEntityStore({ l1MaxBytes: 1 << 20, keyPrefix: 'test:', onError: (e) => expect.fail(e.message) });
    const { plan: p } = plan('{ album(id: "4") { title tracks { name } } }');
    const data = { album: { title: 'T', tracks: [{ name: 'N', _tributary_id: '15' }], _tributary_id: '4' } };
    const startedAt = store.now();
    await new Promise((r) => setTimeout(r, 2));
    await store.invalidate(['Track:15.name']);
    const outcome = storeCells(store, 'v1', 'catalog', p!, data, {}, { ttlMs: 60_000, startedAt })!;
    expect(outcome.refused).toBe(1);
    expect(outcome.stored).toBeGreaterThan(3);
    expect(await assembleFromCells(store, 'v1', 'catalog', p!, {})).toBeUndefined();

    const later = store.now();
    await new Promise((r) => setTimeout(r, 2));
    storeCells(store, 'v1', 'catalog', p!, data, {}, { ttlMs: 60_000, startedAt: later });
    const assembled = await assembleFromCells(store, 'v1', 'catalog', p!, {});
    expect(JSON.stringify(assembled?.data)).toBe(JSON.stringify(data));
    expect(assembled?.tier).toBe('l1');
    // Another supergraph version or subgraph shares nothing.
    expect(await assembleFromCells(store, 'v2', 'catalog', p!, {})).toBeUndefined();
    expect(await assembleFromCells(store, 'v1', 'sales', p!, {})).toBeUndefined();
  });
});

describe('a fetch too large for cells', () => {
  it('keeps no cell of an answer that would take more than the bound', () => {
    const { plan: p } = plan('{ albums(first: 3) { title } }');
    const data = { albums: [1, 2, 3].map((i) => ({ title: `A${i}`, _tributary_id: String(i) })) };
    // 1 root cell + 3 × (title, id).
    expect(writeCells(p!, data, {}, 7)).toHaveLength(7);
    expect(writeCells(p!, data, {}, 6)).toBeUndefined();
  });
});

describe('planEntityCells', () => {
  const entities = buildSchema(`
    directive @key(fields: String!) on OBJECT
    directive @requires(fields: String!) on FIELD_DEFINITION
    directive @external on FIELD_DEFINITION
    scalar _Any
    interface Named { name: String }
    type Query { _entities(representations: [_Any!]!): [_Entity]! album(id: ID!): Album }
    type Album @key(fields: "id") { id: ID! title: String tracks: [Track!]! }
    type Track implements Named @key(fields: "id") { id: ID! name: String weight: Int @external shipping: Int @requires(fields: "weight") }
    type Label @key(fields: "name") { id: ID! name: String }
    union _Entity = Album | Track | Label
  `);
  const entityPlans = (selection: string) => {
    const fetch = tagFetch(`query($representations: [_Any!]!) { _entities(representations: $representations) { ${selection} } }`, entities)!;
    return { fetch, plans: planEntityCells(fetch, entities) };
  };

  it("plans each type keyed by id that the fetch selects, in the answer's order, and nothing for other types", () => {
    const { plans } = entityPlans('__typename ... on Track { name } ... on Album { title tracks { name } } ... on Label { id }');
    expect([...plans!.keys()].sort()).toEqual(['Album', 'Track']);
    expect(plans!.get('Track')!.root.fields.map((f) => f.responseName)).toEqual(['__typename', 'name', '_tributary_id', '_tributary_type']);
    expect(plans!.get('Album')!.root.fields.find((f) => f.name === 'tracks')!.kind).toBe('entity');
  });

  it('refuses fragments on an interface, @requires and @external fields, and directives', () => {
    expect(entityPlans('... on Named { name } ... on Track { id }').plans).toBeNull();
    expect(entityPlans('... on Track { shipping }').plans).toBeNull();
    expect(entityPlans('... on Track { weight }').plans).toBeNull();
    expect(entityPlans('... on Track @skip(if: false) { name }').plans).toBeNull();
    // A root fetch is not an entity fetch, and an entity fetch no root fetch.
    expect(planEntityCells(tagFetch('{ album(id: "1") { title } }', entities)!, entities)).toBeNull();
    expect(planCells(entityPlans('... on Track { name }').fetch, entities)).toBeNull();
  });

  it("shares cells with root fetches: an entity a root fetch wrote is read as an entity fetch's answer once `_entities` resolved it, and the other way", () => {
    const root = tagFetch('{ album(id: "4") { title tracks { name } } }', entities)!;
    const rootPlan = planCells(root, entities)!;
    const rootData = { album: { title: 'Rock', tracks: [{ name: 'Go Down', _tributary_id: '15' }], _tributary_id: '4' } };
    const { map, lookup } = cellMap(writeCells(rootPlan, rootData, {})!);
    const track = entityPlans('... on Track { name }').plans!.get('Track')!;
    // A root field listed it, but `_entities` never resolved it: not answered (its reference resolver might answer null).
    const unresolved: Array<{ record: string; signature: string }> = [];
    expect(readCells(track, {}, lookup, unresolved, recordOf('Track', '15'))).toBeUndefined();
    expect(unresolved).toEqual([{ record: 'Track:"15"', signature: RESOLVED }]);
    // An entity fetch with another selection resolved it: now its name, from the root fetch, answers.
    const other = entityPlans('... on Track { id }').plans!.get('Track')!;
    for (const cell of writeCells(other, { id: '15', _tributary_id: '15', _tributary_type: 'Track' }, {}, undefined, recordOf('Track', '15'))!) map.set(`${cell.record}\n${cell.signature}`, cell.body);
    expect(JSON.stringify(readCells(track, {}, lookup, [], recordOf('Track', '15')))).toBe(JSON.stringify({ name: 'Go Down', _tributary_id: '15', _tributary_type: 'Track' }));
    const missing: Array<{ record: string; signature: string }> = [];
    expect(readCells(track, {}, lookup, missing, recordOf('Track', '16'))).toBeUndefined();
    expect(missing.map((m) => m.signature)).toEqual([RESOLVED, 'name', 'id']);

    // An entity's answer, kept under the id it answers with, with the field and entity tags a root fetch gives it.
    const written = writeCells(track, { name: 'Dog Eat Dog', _tributary_id: '16', _tributary_type: 'Track' }, {}, undefined, recordOf('Track', '16'))!;
    expect(written.map((c) => [c.record, c.signature])).toEqual([
      ['Track:"16"', 'name'],
      ['Track:"16"', 'id'],
      ['Track:"16"', RESOLVED],
    ]);
    expect(written[0]!.tags).toEqual(expect.arrayContaining(['Track:16', 'Track:16.name']));
    expect(written[2]!.tags).toEqual(['Track:16', 'type:Track']);
    for (const cell of written) map.set(`${cell.record}\n${cell.signature}`, cell.body);
    expect(readCells(track, {}, lookup, [], recordOf('Track', '16'))).toEqual({ name: 'Dog Eat Dog', _tributary_id: '16', _tributary_type: 'Track' });
    // Without its id, an entity's answer is not kept.
    expect(writeCells(track, { name: 'x', _tributary_type: 'Track' }, {}, undefined, recordOf('Track', 'x'))).toBeUndefined();
  });
});
