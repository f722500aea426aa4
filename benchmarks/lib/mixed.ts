import autocannon from 'autocannon';
import pg from 'pg';
import { createWideRequests } from './wide-requests.js';
import { createZipf } from './zipf.js';

/** How long a committed write may take to reach every cache before a differing answer counts as stale, in ms. */
export const PROPAGATION_BUDGET_MS = 100;
/** One response in this many is checked against the database. */
const SAMPLE_EVERY = 10;

const TRACK_PAGE = 'query TrackPage($id: ID!) { track(id: $id) { id name unitPrice album { title } } }';
const ALBUM_PAGE = 'query AlbumPrices($id: ID!) { album(id: $id) { id title tracks { id unitPrice } } }';

/** What the `mixed` scenario measured besides autocannon's numbers. */
export interface MixedOutcome {
  result: autocannon.Result;
  latencies: number[];
  writes: number;
  sampled: number;
  staleReads: number;
  /**
   * Hits per response from `warmup.afterS` to the end, when `warmup` was given (the hit rate once
   * the cache is warm, not that of the first seconds); undefined otherwise.
   */
  warmHitRate?: number;
  /** With `warmup`: the latencies (ms) and the number of responses from `warmup.afterS` to the end only. */
  warm?: { latencies: number[]; responses: number };
}

/** How {@link runMixed} measures the hit rate after warm-up: `hits()` reads the system's hit counter. */
export interface MixedWarmup {
  afterS: number;
  hits(): Promise<number>;
}

/**
 * `mixed` (and `mixed-wide` with `requests: 'wide'`, see `createWideRequests`): Zipf-distributed track and album pages over all Chinook ids, with about 1 % writes
 * (a track's price changed with SQL, as another service would; the same for every system, which
 * need not accept our tokens). One response in ten is compared with the database: it is stale
 * when it differs although no write touched what it shows in the 100 ms before the request
 * started or since.
 */
export async function runMixed(url: string, databaseUrl: string, connections: number, durationS: number, requests: 'mixed' | 'wide' = 'mixed', warmup?: MixedWarmup): Promise<MixedOutcome> {
  const wide = requests === 'wide' ? createWideRequests() : undefined;
  const trackRank = createZipf(3503, 1, 7);
  const albumRank = createZipf(347, 1, 11);
  const lastWrite = new Map<number, number>(); // track id → when its write was sent (ms)
  const samples: Array<{ body: string; startedAt: number }> = [];
  let responses = 0;
  let writes = 0;
  const latencies: number[] = [];
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const writer = setInterval(() => {
    while (writes < responses / 100) {
      writes++;
      const id = trackRank();
      lastWrite.set(id, Date.now());
      void db.query('UPDATE catalog.track SET unit_price = $1 WHERE track_id = $2', [(0.5 + Math.random() * 2).toFixed(2), id]).catch(() => undefined);
    }
  }, 5);
  let warm: Promise<{ hits: number; responses: number }> | undefined;
  let warmLatenciesFrom = 0;
  const warmTimer = warmup
    ? setTimeout(() => {
        const responsesThen = responses;
        warmLatenciesFrom = latencies.length;
        warm = warmup.hits().then((hits) => ({ hits, responses: responsesThen }));
      }, warmup.afterS * 1000)
    : undefined;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: durationS,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            setupRequest: (request: any, context: any) => {
              const album = Math.random() < 0.5;
              context.startedAt = Date.now();
              request.body = wide ? wide() : JSON.stringify(album ? { query: ALBUM_PAGE, variables: { id: String(albumRank()) } } : { query: TRACK_PAGE, variables: { id: String(trackRank()) } });
              return request;
            },
            onResponse: (_status: number, body: string, context: any) => {
              responses++;
              if (responses % SAMPLE_EVERY === 0) samples.push({ body, startedAt: context.startedAt });
            },
          },
        ],
      } as autocannon.Options,
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
  });
  clearInterval(writer);
  clearTimeout(warmTimer);
  let warmHitRate: number | undefined;
  let warmPart: MixedOutcome['warm'];
  if (warmup && warm) {
    const from = await warm;
    const answered = responses - from.responses;
    warmHitRate = answered > 0 ? Math.min(1, ((await warmup.hits()) - from.hits) / answered) : 0;
    warmPart = { latencies: latencies.slice(warmLatenciesFrom), responses: answered };
  }
  await new Promise((r) => setTimeout(r, PROPAGATION_BUDGET_MS * 2));
  const { rows } = await db.query<{ track_id: number; unit_price: string }>('SELECT track_id, unit_price FROM catalog.track');
  await db.end();
  const price = new Map(rows.map((r) => [r.track_id, r.unit_price]));
  let staleReads = 0;
  let judged = 0;
  for (const sample of samples) {
    let shown: Array<{ id: string; unitPrice: string }>;
    try {
      shown = tracksShown(JSON.parse(sample.body).data);
    } catch {
      continue;
    }
    // Judge only what no write touched from (start − budget) on: its database value is then the one it should show.
    if (shown.some((t) => (lastWrite.get(Number(t.id)) ?? 0) >= sample.startedAt - PROPAGATION_BUDGET_MS)) continue;
    judged++;
    if (shown.some((t) => price.get(Number(t.id)) !== t.unitPrice)) staleReads++;
  }
  return { result, latencies, writes, sampled: judged, staleReads, ...(warmHitRate === undefined ? {} : { warmHitRate }), ...(warmPart ? { warm: warmPart } : {}) };
}

/** Every object of an answer that shows a track's `id` and `unitPrice`, at any depth. */
function tracksShown(value: unknown, into: Array<{ id: string; unitPrice: string }> = []): Array<{ id: string; unitPrice: string }> {
  if (Array.isArray(value)) for (const item of value) tracksShown(item, into);
  else if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if (typeof object.id === 'string' && typeof object.unitPrice === 'string') into.push(object as { id: string; unitPrice: string });
    for (const child of Object.values(object)) if (child && typeof child === 'object') tracksShown(child, into);
  }
  return into;
}
