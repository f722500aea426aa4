import { mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createGateway, readGatewayConfig } from '@tributary/gateway';
import { REPO_ROOT } from '@tributary/database';
import { type RunningSubgraph, startSubgraph } from '@tributary/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBGRAPH_DEFINITIONS } from '@tributary/subgraph-host';
import { type Stack, silentLogger, startStack } from './support/stack.js';
import { metricValue } from './support/metrics.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

let database: TestDatabase;
let stack: Stack;
let supergraphDir: string;
let supergraphPath: string;
const committedSupergraph = () => readFile(path.join(REPO_ROOT, 'schema/supergraph.graphql'), 'utf8');

/** Writes the way deploy tools do: a temporary file renamed over the old one. */
async function replaceSupergraph(sdl: string): Promise<void> {
  const temporary = `${supergraphPath}.tmp`;
  await writeFile(temporary, sdl);
  await rename(temporary, supergraphPath);
}

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  database = await cloneTemplateDatabase();
  supergraphDir = await mkdtemp(path.join(tmpdir(), 'tributary-supergraph-'));
  supergraphPath = path.join(supergraphDir, 'supergraph.graphql');
  await writeFile(supergraphPath, await committedSupergraph());
  stack = await startStack({ databaseUrl: database.url, supergraphPath });
});
afterAll(async () => {
  await stack?.close();
  await database?.drop();
  await rm(supergraphDir, { recursive: true, force: true });
});

describe('transport errors', () => {
  it('answers a malformed JSON body with 400', async () => {
    const response = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": "{ genres { name } }"' });
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].message).toBe('POST body sent invalid JSON.');
  });

  it('serves queries over GET and refuses a mutation over GET with 405', async () => {
    const get = await fetch(`${stack.gatewayUrl}?query=${encodeURIComponent('{ genre(id: "2") { name } }')}`, { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } });
    expect(await get.json()).toEqual({ data: { genre: { name: 'Jazz' } } });
    const mutation = await fetch(`${stack.gatewayUrl}?query=${encodeURIComponent('mutation { createPlaylist(name: "x") { id } }')}`, {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    expect(mutation.status).toBe(405);
  });

  it('serves /healthz, /readyz and /metrics with request and subgraph fetch metrics', async () => {
    await stack.query('query AlbumTitle { album(id: "1") { title tracks { purchaseCount } } }');
    const base = stack.gatewayUrl.replace('/graphql', '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ready' });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metricValue(metrics, 'tributary_gateway_requests_total', { operation: 'AlbumTitle', outcome: 'success' })).toBe(1);
    expect(metricValue(metrics, 'tributary_gateway_request_duration_seconds_count', { operation: 'AlbumTitle', outcome: 'success' })).toBe(1);
    // catalog for the album, sales for the purchase counts
    expect(metricValue(metrics, 'tributary_gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'catalog', outcome: 'success' })).toBeGreaterThanOrEqual(1);
    expect(metricValue(metrics, 'tributary_gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'sales', outcome: 'success' })).toBeGreaterThanOrEqual(1);
    const subgraphMetrics = await (await fetch(stack.subgraphs.urls.catalog!.replace('/graphql', '/metrics'))).text();
    expect(metricValue(subgraphMetrics, 'tributary_sql_statements_total', { subgraph: 'catalog', outcome: 'ok' })).toBe(stack.subgraphs.databases.catalog!.stats.statements);
    expect(metricValue(subgraphMetrics, 'tributary_sql_statement_duration_seconds_count', { subgraph: 'catalog' })).toBe(stack.subgraphs.databases.catalog!.stats.statements);
  });
});

describe('subgraph answers that are not GraphQL responses', () => {
  const leaks = (body: unknown) => /127\.0\.0\.1|localhost|"response"|"url"/.test(JSON.stringify(body));

  it('passes on the errors of a subgraph 400 (a variable it could not coerce) without its URL or body', async () => {
    const { body } = await stack.query('mutation ($p: Decimal) { updateTrack(id: "3", input: { unitPrice: $p }) { unitPrice } }', { p: true }, { as: 'employee:3' });
    expect(body.data).toEqual({ updateTrack: null });
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]!.message).toContain('Decimal must be a string such as "0.99"; got true');
    expect(leaks(body)).toBe(false);
  });

  it('gives SUBGRAPH_UNAVAILABLE at the path for a subgraph answering 404, without its URL', async () => {
    const config = readGatewayConfig({});
    const urls = { ...stack.subgraphs.urls, playlists: stack.subgraphs.urls.playlists!.replace('/graphql', '/nothere') };
    const gateway = await createGateway({ config: { ...config, subgraphUrls: urls }, logger: silentLogger });
    const port = await gateway.listen(0, '127.0.0.1');
    try {
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ genre(id: "1") { name } playlist(id: "1") { name } }' }),
      });
      const body = await response.json();
      expect(body).toEqual({
        data: { genre: { name: 'Rock' }, playlist: null },
        errors: [{ message: 'Subgraph "playlists" is unavailable: HTTP 404', path: ['playlist'], extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }],
      });
    } finally {
      await gateway.stop();
    }
  });
});

describe('a subgraph that stops', () => {
  it('gives partial data with an error at the path, and the gateway recovers when it returns', async () => {
    const index = stack.subgraphs.subgraphs.findIndex((s) => s.name === 'playlists');
    const playlists = stack.subgraphs.subgraphs[index]!;
    await playlists.close();
    const query = '{ album(id: "1") { title } playlist(id: "1") { name } }';
    const down = await stack.query(query);
    expect(down.status).toBe(200);
    expect(down.body.data).toEqual({ album: { title: 'For Those About To Rock We Salute You' }, playlist: null });
    expect(down.body.errors).toEqual([{ message: 'Subgraph "playlists" is unavailable: connection refused', path: ['playlist'], extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }]);
    const readyz = stack.gatewayUrl.replace('/graphql', '/readyz');
    const notReady = await fetch(readyz);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ status: 'not ready', reason: 'subgraphs not ready: playlists unreachable (connection failed)' });

    const restarted: RunningSubgraph = await startSubgraph(SUBGRAPH_DEFINITIONS.playlists, {
      database: stack.subgraphs.databases.playlists!,
      port: playlists.port,
      host: '127.0.0.1',
      logger: silentLogger,
    });
    stack.subgraphs.subgraphs[index] = restarted;
    const up = await stack.query(query);
    expect(up.body).toEqual({ data: { album: { title: 'For Those About To Rock We Salute You' }, playlist: { name: 'Music' } } });
    expect((await fetch(readyz)).status).toBe(200);
  });
});

describe('the supergraph file', () => {
  it('takes a new version written over it without a restart, and keeps serving on a bad one', async () => {
    const full = await committedSupergraph();
    const withoutGenres = full.replace(/\n {2}genres: \[Genre!\]! @join__field\(graph: CATALOG\)/, '');
    expect(withoutGenres).not.toBe(full);
    await replaceSupergraph(withoutGenres);
    const removed = await eventually(
      () => stack.query('{ genres { name } }'),
      (r) => r.body.errors !== undefined,
    );
    expect(removed.body.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(stack.gateway.supergraph.status).toMatchObject({ phase: 'watching', reloads: 1 });

    await replaceSupergraph('this is not a supergraph');
    await new Promise((r) => setTimeout(r, 500));
    expect(stack.gateway.supergraph.status).toMatchObject({ phase: 'watching', reloads: 1 });
    expect((await stack.query('{ album(id: "1") { title } }')).body.data.album.title).toBe('For Those About To Rock We Salute You');

    // Requests in flight while the supergraph changes all complete.
    const inFlight = Array.from({ length: 20 }, () => stack.query('{ albums(first: 50) { nodes { tracks { name purchaseCount playlists { id } } } } }'));
    await replaceSupergraph(full);
    const results = await Promise.all(inFlight);
    expect(results.every((r) => r.status === 200 && r.body.errors === undefined && r.body.data.albums.nodes.length === 50)).toBe(true);
    const restored = await eventually(
      () => stack.query('{ genres { name } }'),
      (r) => r.body.errors === undefined,
    );
    expect(restored.body.data.genres).toHaveLength(25);
  });
});

describe('the supergraph behind a symlink, and in a folder made again', () => {
  it('follows a repointed symlink (ConfigMap style) and a deleted and recreated folder', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'tributary-configmap-'));
    const full = await committedSupergraph();
    const withoutGenres = full.replace(/\n {2}genres: \[Genre!\]! @join__field\(graph: CATALOG\)/, '');
    await mkdir(path.join(root, 'v1'));
    await writeFile(path.join(root, 'v1', 'supergraph.graphql'), full);
    await symlink('v1', path.join(root, '..data'));
    await symlink('..data/supergraph.graphql', path.join(root, 'supergraph.graphql'));
    const local = await startStack({ databaseUrl: database.url, supergraphPath: path.join(root, 'supergraph.graphql') });
    try {
      expect((await local.query('{ genres { id } }')).body.errors).toBeUndefined();
      await mkdir(path.join(root, 'v2'));
      await writeFile(path.join(root, 'v2', 'supergraph.graphql'), withoutGenres);
      await symlink('v2', path.join(root, '..data_tmp'));
      await rename(path.join(root, '..data_tmp'), path.join(root, '..data'));
      const removed = await eventually(
        () => local.query('{ genres { id } }'),
        (r) => r.body.errors !== undefined,
      );
      expect(removed.body.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');

      const folder = path.join(root, 'v2');
      await rm(folder, { recursive: true });
      await new Promise((r) => setTimeout(r, 400));
      await mkdir(folder);
      await writeFile(path.join(folder, 'supergraph.graphql'), full);
      const restored = await eventually(
        () => local.query('{ genres { id } }'),
        (r) => r.body.errors === undefined,
      );
      expect(restored.body.data.genres).toHaveLength(25);
    } finally {
      await local.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('connections to subgraphs', () => {
  it('are kept alive between requests', async () => {
    const catalog = stack.subgraphs.subgraphs.find((s) => s.name === 'catalog')!;
    let connections = 0;
    const count = () => connections++;
    catalog.server.on('connection', count);
    for (let i = 0; i < 20; i++) await stack.query(`{ track(id: "${i + 1}") { name } }`);
    catalog.server.off('connection', count);
    expect(connections).toBeLessThanOrEqual(1);
  });
});

describe('graceful shutdown', () => {
  it('lets requests in flight complete and refuses new ones', async () => {
    const config = readGatewayConfig({});
    // In flight means the gateway is executing it (on a loaded machine, 20 ms after sending it
    // might not even be accepted yet).
    let executing!: () => void;
    const started = new Promise<void>((resolve) => (executing = resolve));
    const gateway = await createGateway({ config: { ...config, subgraphUrls: stack.subgraphs.urls }, logger: silentLogger, plugins: [{ onExecute: () => executing() }] });
    const port = await gateway.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${port}/graphql`;
    const post = (query: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    const inFlight = post('{ albums(first: 100) { nodes { tracks { name purchaseCount playlists { id } } } } }');
    await started;
    const stopping = gateway.stop();
    expect(gateway.status.phase).toBe('draining');
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect((await response.json()).data.albums.nodes).toHaveLength(100);
    await expect(post('{ genres { id } }')).rejects.toThrow();
    await stopping;
    expect(gateway.status.phase).toBe('stopped');
  });
});
