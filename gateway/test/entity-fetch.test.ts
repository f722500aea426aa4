import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@tributary/database';
import { describe, expect, it } from 'vitest';
import type { CachePolicy } from '../src/cache/cache-policy.js';
import { analyseFetch } from '../src/cache/entity-fetch.js';
import { tagFetch } from '../src/cache/fetch-tagging.js';
import { readSubgraphSchemas } from '../src/cache/subgraph-schemas.js';

const schemas = readSubgraphSchemas(readFileSync(path.join(REPO_ROOT, 'schema/supergraph.graphql'), 'utf8'));
const sales = schemas.get('sales')!;
const customers = schemas.get('customers')!;
const policy = (hints: Record<string, { maxAge?: number; scope?: 'PUBLIC' | 'PRIVATE' }> = {}): CachePolicy => ({ version: 'v1', hintOf: (c) => hints[c], listsOfType: () => [] });

describe('analyseFetch (the entity cache key of a subgraph fetch)', () => {
  it('gives fetches of two client operations the same selection hash: operation names dropped, fragments inlined', () => {
    const a = tagFetch('query AlbumPage__sales__1($representations:[_Any!]!){_entities(representations:$representations){...on Track{__typename purchaseCount}}}', sales)!;
    const b = tagFetch('query TrackPage__sales__2($representations:[_Any!]!){_entities(representations:$representations){...F}} fragment F on Track{__typename purchaseCount}', sales)!;
    const c = tagFetch('query($representations:[_Any!]!){_entities(representations:$representations){...on Track{__typename}}}', sales)!;
    expect(analyseFetch(a, sales, policy()).shape).toEqual({ kind: 'entities' });
    expect(analyseFetch(a, sales, policy()).selectionHash).toBe(analyseFetch(b, sales, policy()).selectionHash);
    expect(analyseFetch(a, sales, policy()).selectionHash).not.toBe(analyseFetch(c, sales, policy()).selectionHash);
  });

  it('treats any other query as a root fetch', () => {
    expect(analyseFetch(tagFetch('{topTracks(first:2){__typename id}}', sales)!, sales, policy()).shape).toEqual({ kind: 'root' });
  });

  it('reads maxAge 0 and PRIVATE from the coordinates a fetch selects, even under a null parent', () => {
    const fetch = tagFetch('{customer(id:"5"){firstName supportRep{yearsOfService}}}', customers)!;
    expect(analyseFetch(fetch, customers, policy()).hints).toEqual({ uncacheable: false, private: false, maxAgeS: undefined });
    const hinted = policy({ 'Customer.supportRep': { scope: 'PRIVATE' }, 'Employee.yearsOfService': { maxAge: 0 } });
    const again = tagFetch('{customer(id:"6"){firstName supportRep{yearsOfService}}}', customers)!;
    expect(analyseFetch(again, customers, hinted).hints).toEqual({ uncacheable: true, private: true, maxAgeS: 0 });
  });

  it('recognises a fetch it tagged already (the response cache tags before the entity cache sees it)', () => {
    const tagged = tagFetch('{track(id:"1"){name}}', schemas.get('catalog')!)!;
    expect(tagFetch(tagged.query, schemas.get('catalog')!)).toBe(tagged);
  });
});
