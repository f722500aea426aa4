/** Counter series of the entity cache that `pnpm bench --cache-counters` reports for `mixed-wide`. */
const COUNTERS = /^tributary_entity_cache_(requests|fetches|executions|cells)_total\{/;

/**
 * The entity cache's counters on a gateway's `/metrics` (Prometheus text), by series (name and
 * labels, the `service` label left out).
 */
export async function readCacheCounters(metricsUrl: string): Promise<Map<string, number>> {
  const text = await (await fetch(metricsUrl)).text();
  const counters = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!COUNTERS.test(line)) continue;
    const space = line.lastIndexOf(' ');
    counters.set(line.slice(0, space).replace(/,?service="[^"]*"/, ''), Number(line.slice(space + 1)));
  }
  return counters;
}

/** The series that grew from `before` to `after`, one `name{labels} +n` line each, in `after`'s order. */
export function counterGrowth(before: Map<string, number>, after: Map<string, number>): string[] {
  const lines: string[] = [];
  for (const [series, value] of after) {
    const grown = value - (before.get(series) ?? 0);
    if (grown > 0) lines.push(`${series.replace('tributary_entity_cache_', '')} +${grown}`);
  }
  return lines;
}
