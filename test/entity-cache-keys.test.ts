/**
 * The entity cache's keys and copies, which its hot path computes once per fetch or per
 * representation: the same text whatever order or prototype a representation comes with, a fetch
 * key remembered per plan fetch but never across supergraph versions, and cached values handed
 * out as copies equal to a parse of the stored body.
 */
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { variablesKey } from '../gateway/src/cache/cache-key.js';
import type { FetchAnalysis } from '../gateway/src/cache/entity-fetch.js';
import { INTERNED_REPRESENTATION_KEYS, MAX_INLINE_REPRESENTATION_CHARS, fetchKey, representationKey, representationKeys } from '../gateway/src/cache/entity-key.js';
import { copierOf, copyJson } from '../gateway/src/cache/json-copy.js';
import { sha256Hex } from '../gateway/src/persisted/sha256.js';

const analysis = (selectionHash: string): FetchAnalysis => ({ shape: { kind: 'entities' }, selectionHash, hints: { uncacheable: false, private: false, maxAgeS: undefined } });

/** `variablesKey` as it was written before its shortcut: names sorted, each value as sent. */
const sortedKey = (variables: Record<string, unknown>) =>
  `{${Object.entries(variables)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
    .join(',')}}`;

describe('variablesKey', () => {
  it('writes the same text with or without names in order, for literals and Object.create(null) objects', () => {
    const bare = Object.assign(Object.create(null), { __typename: 'Track', id: '42' });
    const cases: Record<string, unknown>[] = [
      { __typename: 'Track', id: '42' },
      { id: '42', __typename: 'Track' },
      bare,
      { b: 1, a: { y: 1, x: 2 }, c: undefined },
      { a: 1, b: undefined, c: [1, { z: 1, a: 2 }] },
      { 10: 'x', 9: 'y', a: null },
      { a: new Date(0), b: 'é"\\' },
    ];
    for (const variables of cases) expect(variablesKey(variables)).toBe(sortedKey(variables));
  });
});

describe('representationKey', () => {
  it('writes a representation into the key, its names sorted, whatever its prototype', () => {
    const bare = Object.assign(Object.create(null), { __typename: 'Track', id: '42' });
    expect(representationKey('k', { __typename: 'Track', id: '42' })).toBe('k:{"__typename":"Track","id":"42"}');
    expect(representationKey('k', { id: '42', __typename: 'Track' })).toBe('k:{"__typename":"Track","id":"42"}');
    expect(representationKey('k', bare)).toBe('k:{"__typename":"Track","id":"42"}');
    expect(representationKey('k', { __typename: 'Track', id: 42 })).toBe('k:{"__typename":"Track","id":42}');
    expect(representationKey('k', { __typename: 'Album', id: '1', title: 'x' })).toBe('k:{"__typename":"Album","id":"1","title":"x"}');
    expect(representationKey('k', { __typename: 'T"', id: '\n' })).toBe(`k:${JSON.stringify({ __typename: 'T"', id: '\n' })}`);
  });

  it('hashes a representation longer than the inline bound instead of writing it', () => {
    const long = { __typename: 'Track', id: '1', notes: 'x'.repeat(MAX_INLINE_REPRESENTATION_CHARS) };
    expect(representationKey('k', long)).toBe(`k#${sha256Hex(variablesKey(long))}`);
  });
});

describe('representationKeys', () => {
  it('gives representationKey and its public form, the same string objects at each call for { __typename, id }', () => {
    const bare = () => Object.assign(Object.create(null), { __typename: 'Track', id: '42' });
    const first = representationKeys('k1', bare());
    expect(first).toEqual({ key: 'k1:{"__typename":"Track","id":"42"}', public: 'public:k1:{"__typename":"Track","id":"42"}' });
    expect(representationKeys('k1', { id: '42', __typename: 'Track' })).toBe(first);
    expect(representationKeys('k2', bare()).key).toBe('k2:{"__typename":"Track","id":"42"}');
    expect(representationKeys('k1', { __typename: 'Album', id: '42' }).key).toBe('k1:{"__typename":"Album","id":"42"}');
  });

  it('agrees with representationKey for every kind of representation: escapes, other names, numbers, long ids', () => {
    const cases: unknown[] = [
      { __typename: 'T"', id: '\n' },
      { __typename: 'Track', id: 42 },
      { __typename: 'Album', id: '1', title: 'x' },
      { __typename: 'Track', id: 'x'.repeat(MAX_INLINE_REPRESENTATION_CHARS) },
      Object.assign(Object.create({ inherited: 1 }), { __typename: 'Track', id: '7' }),
      null,
    ];
    for (const representation of cases) {
      for (let i = 0; i < 2; i++) {
        const keys = representationKeys('k', representation);
        expect(keys.key).toBe(representationKey('k', representation));
        expect(keys.public).toBe(`public:${keys.key}`);
      }
    }
  });

  it('stays right past its bound (older generations dropped, keys rebuilt)', () => {
    for (let i = 0; i < 2 * INTERNED_REPRESENTATION_KEYS + 10; i++) representationKeys('bound', { __typename: 'Track', id: String(i) });
    for (const i of [0, INTERNED_REPRESENTATION_KEYS, 2 * INTERNED_REPRESENTATION_KEYS + 9]) {
      expect(representationKeys('bound', { __typename: 'Track', id: String(i) }).key).toBe(`bound:{"__typename":"Track","id":"${i}"}`);
    }
  });
});

describe('fetchKey', () => {
  it('is the hash of version, subgraph, selection and the other variables, the same whether remembered or not', () => {
    const a = analysis('abc');
    const expected = sha256Hex('v1\nsales\nabc\n{}');
    expect(fetchKey('v1', 'sales', a, { representations: [] })).toBe(expected);
    expect(fetchKey('v1', 'sales', a, { representations: [{ __typename: 'Track', id: '2' }] })).toBe(expected);
    expect(fetchKey('v1', 'sales', a, {})).toBe(expected);
  });

  it('is not remembered across supergraph versions or subgraphs', () => {
    const a = analysis('abc');
    const v1 = fetchKey('v1', 'sales', a, {});
    const v2 = fetchKey('v2', 'sales', a, {});
    expect(v2).toBe(sha256Hex('v2\nsales\nabc\n{}'));
    expect(v2).not.toBe(v1);
    expect(fetchKey('v2', 'playlists', a, {})).toBe(sha256Hex('v2\nplaylists\nabc\n{}'));
    expect(fetchKey('v1', 'sales', a, {})).toBe(v1);
  });

  it('keys the other variables in sorted order, never from the memo', () => {
    const a = analysis('abc');
    const plain = fetchKey('v1', 'sales', a, {});
    const withFirst = fetchKey('v1', 'sales', a, { representations: [], first: 2, after: 'x' });
    expect(withFirst).toBe(sha256Hex('v1\nsales\nabc\n{"after":"x","first":2}'));
    expect(fetchKey('v1', 'sales', a, { after: 'x', first: 2 })).toBe(withFirst);
    expect(fetchKey('v1', 'sales', a, { first: 3 })).not.toBe(withFirst);
    expect(fetchKey('v1', 'sales', a, {})).toBe(plain);
  });
});

describe('copyJson', () => {
  it('copies a parsed value deeply: equal to a fresh parse, key order kept, nothing shared', () => {
    const body = '{"b":1,"1":[{"x":null,"y":true}],"a":{"n":1.5,"s":"é"},"__proto__":{"polluted":true}}';
    const template = JSON.parse(body);
    const copy = copyJson(template);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(JSON.parse(body)));
    expect(Object.keys(copy)).toEqual(Object.keys(JSON.parse(body)));
    expect(copy).not.toBe(template);
    expect(copy[1]).not.toBe(template[1]);
    expect(copy[1][0]).not.toBe(template[1][0]);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    copy.a.n = 2;
    expect(template.a.n).toBe(1.5);
  });

  it('copies primitives and arrays as they are', () => {
    for (const value of [null, 0, 'x', true, [], [1, [2, [3]]]]) expect(copyJson(value)).toEqual(value);
    expect(copyJson(parse('{ a }', { noLocation: true }))).toEqual(parse('{ a }', { noLocation: true }));
  });
});

describe('copierOf', () => {
  const bodies = [
    '{"b":1,"1":[{"x":null,"y":true}],"a":{"n":1.5,"s":"é\\u2028\\"q"},"__proto__":{"polluted":true}}',
    '{"_entities":[{"playlists":[{"name":"Music","_tributary_id":"1"},{"name":"TV","_tributary_id":"3"}],"_tributary_id":"7"},null,{"playlists":[],"_tributary_id":"8"}]}',
    `{${Array.from({ length: 70 }, (_, i) => `"k${i}":{"v":${i}}`).join(',')}}`,
    '{"9":1,"10":2,"01":3,"a b":4,"\\"":{"c":[[1,{"d":[]}]]}}',
    '[1,"x",null,{"a":[]}]',
    '"leaf"',
  ];

  it('copies as copyJson does: equal to a fresh parse, key order kept, nothing shared, a new copy at every call', () => {
    for (const body of bodies) {
      const template = JSON.parse(body);
      const copy = copierOf(template);
      const first = copy();
      const second = copy();
      expect(JSON.stringify(first)).toBe(JSON.stringify(JSON.parse(body)));
      expect(JSON.stringify(second)).toBe(JSON.stringify(copyJson(template)));
      if (template !== null && typeof template === 'object') {
        expect(first).not.toBe(template);
        expect(first).not.toBe(second);
        const walk = (a: unknown, b: unknown, c: unknown) => {
          if (a === null || typeof a !== 'object') return;
          expect(a).not.toBe(b);
          expect(a).not.toBe(c);
          expect(Object.keys(a)).toEqual(Object.keys(b as object));
          for (const key of Object.keys(a)) walk((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], (c as Record<string, unknown>)[key]);
        };
        walk(first, template, second);
      }
    }
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('leaves the template as it was when a copy is changed', () => {
    const template = JSON.parse(bodies[1]!);
    const copy = copierOf(template)() as { _entities: Array<{ playlists: Array<{ name: string }>; __typename?: string } | null> };
    copy._entities[0]!.playlists[0]!.name = 'changed';
    copy._entities[0]!.__typename = 'Track';
    copy._entities.push(null);
    expect(JSON.stringify(template)).toBe(JSON.stringify(JSON.parse(bodies[1]!)));
  });
});
