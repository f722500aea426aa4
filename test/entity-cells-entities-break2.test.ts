import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { type TributaryGateway, createGateway, readGatewayConfig } from '@tributary/gateway';
import { closeGracefully, listen } from '@tributary/runtime';
import { parse } from 'graphql';
import { type Plugin, createYoga } from 'graphql-yoga';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { CorpusRequest, CorpusSubgraph } from './support/federation-corpus.js';
import { metricValue } from './support/metrics.js';
import { REDIS_URL } from './support/services.js';
import { silentLogger, tokenFor } from './support/stack.js';

/**
 * Entity fetches over field cells, second adversarial pass: federation shapes the first pass
 * (`entity-cells-entities-break.test.ts`) left out, the response cache on top, and subgraphs that
 * answer `Cache-Control: private` for some entities only. Every answer must equal, byte for byte,
 * a gateway without caches.
 */

const FEDERATION = `
  extend schema
    @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@provides", "@requires", "@override", "@composeDirective"])
    @link(url: "https://tributary.dev/cache-control/v0.1", import: ["@cacheControl"])
    @composeDirective(name: "@cacheControl")
  directive @cacheControl(maxAge: Int, scope: CacheControlScope) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
  enum CacheControlScope { PUBLIC PRIVATE }
`;

/** A subgraph of a test-local shape: a corpus subgraph, plus Yoga plugins of its own (response headers per request). */
interface LocalSubgraph extends CorpusSubgraph {
  plugins?: Plugin[];
}

interface LocalStack {
  gateway(env: NodeJS.ProcessEnv): Promise<string>;
  /** Requests each subgraph received, by name. */
  requests: Map<string, number>;
  close(): Promise<void>;
}

/** Serves `subgraphs` (as `startCorpusStack` does, with their own plugins) and gateways over their supergraph. */
async function serve(subgraphs: LocalSubgraph[]): Promise<LocalStack> {
  const requests = new Map<string, number>();
  const servers = await Promise.all(
    subgraphs.map(async (subgraph) => {
      const schema = buildSubgraphSchema({ typeDefs: parse(subgraph.typeDefs), resolvers: subgraph.resolvers });
      const counting: Plugin = { onRequest: () => void requests.set(subgraph.name, (requests.get(subgraph.name) ?? 0) + 1) };
      const header = subgraph.cacheControl;
      const fixed: Plugin[] = header ? [{ onResponse: ({ response }) => void response.headers.set('cache-control', header) }] : [];
      const yoga = createYoga({ schema, logging: false, maskedErrors: false, graphiql: false, plugins: [counting, ...fixed, ...(subgraph.plugins ?? [])] });
      const server = createServer(yoga);
      const port = await listen(server, 0, '127.0.0.1');
      return { name: subgraph.name, server, url: `http://127.0.0.1:${port}/graphql` };
    }),
  );
  const composed = composeServices(subgraphs.map((s, i) => ({ name: s.name, url: servers[i]!.url, typeDefs: parse(s.typeDefs) })));
  if (composed.errors) {
    await Promise.all(servers.map((s) => closeGracefully(s.server)));
    throw new Error(`does not compose:\n${composed.errors.map((e) => e.message).join('\n')}`);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tributary-break2-'));
  const supergraphPath = path.join(dir, 'supergraph.graphql');
  writeFileSync(supergraphPath, composed.supergraphSdl);
  const gateways: TributaryGateway[] = [];
  return {
    requests,
    async gateway(env) {
      const config = readGatewayConfig({ ...env, SUPERGRAPH_PATH: supergraphPath });
      const gateway = await createGateway({ config: { ...config, subgraphUrls: Object.fromEntries(servers.map((s) => [s.name, s.url])) }, logger: silentLogger });
      gateways.push(gateway);
      return `http://127.0.0.1:${await gateway.listen(0, '127.0.0.1')}/graphql`;
    },
    async close() {
      await Promise.all(gateways.map((g) => g.stop()));
      await Promise.all(servers.map((s) => closeGracefully(s.server)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Answer {
  text: string;
  status: number;
  headers: Headers;
}

async function send(url: string, request: CorpusRequest, extra: Record<string, string> = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...extra };
  if (request.as) headers.authorization = `Bearer ${await tokenFor(request.as)}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName }) });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

async function cellsMetric(url: string, subgraph: string, outcome: string): Promise<number> {
  const text = await (await fetch(url.replace(/\/graphql$/, '/metrics'))).text();
  return metricValue(text, 'tributary_entity_cache_cells_total', { subgraph, outcome }) ?? 0;
}

/** The subject of the internal identity a subgraph received (the JWT's `sub`, read without checking: test subgraphs only). */
function subjectOf(request: Request): string {
  const token = request.headers.get('x-tributary-identity') ?? '';
  const payload = token.split('.')[1];
  return payload ? (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub: string }).sub : 'none';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const stacks: LocalStack[] = [];
afterAll(async () => {
  await Promise.all(stacks.map((s) => s.close()));
});
let prefixes = 0;
const prefix = () => `${inject('redisPrefix')}breakec2-${prefixes++}:`;

describe('a subgraph that answers Cache-Control: private for some entities only', () => {
  /**
   * `inv` answers `Cache-Control: private` to any request that resolves the secret item `s` (whose
   * `note` names the principal asking), and slowly (400 ms), so that a second fetch that also
   * needs `s` waits for the first one's (coalescing).
   */
  const secretRequests = new WeakSet<Request>();
  const SUBGRAPHS: LocalSubgraph[] = [
    {
      name: 'inv',
      typeDefs: `${FEDERATION}
        type Query { inv: Int }
        type Item @key(fields: "id") { id: ID! name: String note: String }`,
      resolvers: {
        Item: {
          __resolveReference: async (ref: { id: string }, context: { request: Request }) => {
            if (ref.id === 's') {
              secretRequests.add(context.request);
              await sleep(400);
            }
            return { id: ref.id, name: `item ${ref.id}` };
          },
          note: (item: { id: string }, _: unknown, context: { request: Request }) => (item.id === 's' ? `secret for ${subjectOf(context.request)}` : 'public'),
        },
      },
      plugins: [{ onResponse: ({ request, response }) => void (secretRequests.has(request) && response.headers.set('cache-control', 'private')) }],
    },
    {
      name: 'front',
      typeDefs: `${FEDERATION}
        type Query { picks(ids: [ID!]!): [Item] }
        type Item @key(fields: "id", resolvable: false) { id: ID! }`,
      resolvers: { Query: { picks: (_: unknown, { ids }: { ids: string[] }) => ids.map((id) => ({ id })) } },
    },
  ];

  it("a fetch that waited for another principal's private answer and sent for it again answers private: the response cache never shares it", async () => {
    const stack = await serve(SUBGRAPHS);
    stacks.push(stack);
    const uncached = await stack.gateway({ RESPONSE_CACHE: 'off', ENTITY_CACHE: 'off' });
    const cached = await stack.gateway({ REDIS_URL, REDIS_KEY_PREFIX: prefix(), CACHE_DEBUG: 'true' });
    const query = '{ picks(ids: ["p", "s"]) { id name note } }';
    // customer:1 sends for `s` alone; customer:2, 100 ms later, for `p` (its own) and `s` (waiting for customer:1's fetch).
    const first = send(cached, { query: '{ picks(ids: ["s"]) { id name note } }', as: 'customer:1' });
    await sleep(100);
    const second = await send(cached, { query, as: 'customer:2' });
    await first;
    expect(second.text).toBe((await send(uncached, { query, as: 'customer:2' })).text);
    expect(second.text).toContain('secret for customer:2');
    // Another principal asks the same document: never customer:2's secret.
    const third = await send(cached, { query, as: 'customer:3' });
    expect(third.text).toBe((await send(uncached, { query, as: 'customer:3' })).text);
    expect(second.headers.get('cache-control')).toMatch(/^private/);
    expect(third.headers.get('x-tributary-cache')).toBe('miss');
  }, 30_000);
});
