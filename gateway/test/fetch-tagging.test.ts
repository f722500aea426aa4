import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { CacheHint, CachePolicy } from '../src/cache/cache-policy.js';
import { MAX_TAGS_PER_ENTRY, type ResponseReads, entryTags, readFetchResult, tagFetch } from '../src/cache/fetch-tagging.js';

/** A subgraph's schema with lists long enough to pass MAX_TAGS_PER_ENTRY, hints, and a union. */
const schema = buildSchema(`
  type Query { albums: [Album!]! search: [Result!]! secret: String }
  type Album { id: ID! title: String tracks: [Track!]! }
  type Track { id: ID! name: String price: Float }
  union Result = Album | Track
`);

/** A CachePolicy over a fixed table of hints (what `readCachePolicy` computes from a supergraph). */
function policyOf(hints: Record<string, CacheHint>): CachePolicy {
  return { version: 'v1', hintOf: (coordinate) => hints[coordinate], listsOfType: () => [] };
}

function read(query: string, data: Record<string, unknown>, hints: Record<string, CacheHint> = {}): { complete: boolean; reads: ResponseReads; tags: string[] } {
  const fetch = tagFetch(query, schema)!;
  const reads: ResponseReads = { tags: new Set(), private: false, maxAgeS: undefined };
  const complete = readFetchResult(data, fetch, schema, policyOf(hints), reads);
  return { complete, reads, tags: entryTags(reads).sort() };
}

const albums = (n: number, tracks = 0) =>
  Array.from({ length: n }, (_, i) => ({
    title: `a${i}`,
    _tributary_id: String(i),
    tracks: Array.from({ length: tracks }, (_, j) => ({ name: `t${i}.${j}`, price: 0.99, _tributary_id: `${i}.${j}` })),
  }));

describe('readFetchResult and entryTags at the tag bound', () => {
  it('keeps every entity and field tag up to MAX_TAGS_PER_ENTRY (249 albums: 500 tags)', () => {
    const { tags } = read('{ albums { title } }', { albums: albums(249) });
    expect(MAX_TAGS_PER_ENTRY).toBe(500);
    expect(tags).toHaveLength(500);
    expect(tags).toEqual(expect.arrayContaining(['Query.albums', 'type:Album', 'Album:0', 'Album:0.title', 'Album:248', 'Album:248.title']));
  });

  it('gives the coarse form one tag past the bound (250 albums: 502 tags), and for answers far past it', () => {
    expect(read('{ albums { title } }', { albums: albums(250) }).tags).toEqual(['Query.albums', 'any:Album']);
    // 300 albums x 10 tracks: thousands of fine tags; the tracks of the last albums still give `any:Track`.
    const { tags, reads } = read('{ albums { title tracks { name price } } }', { albums: albums(300, 10) });
    expect(tags).toEqual(['Query.albums', 'any:Album', 'any:Track']);
    // Past the bound no more fine tags are made: the set stops growing just past it.
    expect(reads.tags.size).toBeLessThanOrEqual(MAX_TAGS_PER_ENTRY + 3);
  });

  it('a type first met past the bound still gives its coarse tag, and an object without id its any: tag', () => {
    const data = { albums: [...albums(260), { title: 'no id', _tributary_id: null, tracks: [{ name: 'late', _tributary_id: '9' }] }] };
    expect(read('{ albums { title tracks { name } } }', data).tags).toEqual(['Query.albums', 'any:Album', 'any:Track']);
  });

  it('applies the hints of fields read only past the bound, and of every type', () => {
    const hints = { 'Track.price': { maxAge: 30 }, 'Query.secret': { scope: 'PRIVATE' as const }, Track: { maxAge: 60 } };
    const { reads, tags } = read('{ albums { title tracks { name price } } secret }', { albums: [...albums(260), { ...albums(1, 1)[0], _tributary_id: '999' }], secret: 's' }, hints);
    expect(reads).toMatchObject({ private: true, maxAgeS: 30 });
    expect(tags).toEqual(['Query.albums', 'Query.secret', 'any:Album', 'any:Track', 'private:any']);
  });

  it('still finds a union member without __typename past the bound: the answer cannot be stored', () => {
    const search = [...albums(260).map((a) => ({ ...a, _tributary_type: 'Album' })), { name: 'x', _tributary_id: '1' }];
    const { complete } = read('{ search { ... on Album { title } ... on Track { name } } }', { search });
    expect(complete).toBe(false);
    const typed = search.map((item) => ({ _tributary_type: 'title' in item ? 'Album' : 'Track', ...item }));
    const whole = read('{ search { ... on Album { title } ... on Track { name } } }', { search: typed });
    expect(whole).toMatchObject({ complete: true, tags: ['Query.search', 'any:Album', 'any:Track'] });
  });
});
