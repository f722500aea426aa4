/**
 * `pnpm bench:wide-ceiling`: the best hit rate any cache keyed by document and variables (the
 * response cache), or by a root fetch's selection and variables (the entity cache's root entries),
 * could reach on `mixed-wide`'s request stream: the share of requests in a window that repeat an
 * earlier request exactly, with an unbounded cache and no writes. Counts, not timings: the same
 * on any machine. Windows: after 2,000 / 10,000 / 40,000 requests (8 s, 40 s, 160 s at 250 req/s).
 *
 *   pnpm bench:wide-ceiling
 */
import { createWideRequests } from './lib/wide-requests.js';

/** Request counts at which a window ends. */
const WINDOW_ENDS = [2_000, 10_000, 40_000];
/** The extras that the catalog does not resolve (sales, playlists): a catalog root fetch leaves them out. */
const NOT_CATALOG = /purchaseCount|playlists \{ name \}/g;

const next = createWideRequests();
const requests = new Set<string>();
const rootFetches = new Set<string>();
let start = 0;
let repeated = { requests: 0, rootFetches: 0 };
for (let i = 1; i <= WINDOW_ENDS.at(-1)!; i++) {
  const body = next();
  const { query, variables } = JSON.parse(body) as { query: string; variables: unknown };
  const rootFetch = `${query.replace(NOT_CATALOG, '').replace(/\s+/g, ' ')}\n${JSON.stringify(variables)}`;
  if (requests.has(body)) repeated.requests++;
  if (rootFetches.has(rootFetch)) repeated.rootFetches++;
  requests.add(body);
  rootFetches.add(rootFetch);
  if (WINDOW_ENDS.includes(i)) {
    const n = i - start;
    const pct = (k: number) => `${((100 * k) / n).toFixed(1)} %`;
    console.log(
      `requests ${start + 1}–${i}: same request seen before ${pct(repeated.requests)}, same catalog root fetch seen before ${pct(repeated.rootFetches)} (distinct requests so far ${requests.size})`,
    );
    start = i;
    repeated = { requests: 0, rootFetches: 0 };
  }
}
