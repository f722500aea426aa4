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
import type { CorpusShape } from './federation-corpus.js';
import { silentLogger } from './stack.js';

/** A corpus shape served: its subgraphs, and gateways over them with the environment each was given. */
export interface CorpusStack {
  /** Starts a gateway over this shape's supergraph with `env` (`RESPONSE_CACHE`, `REDIS_URL`…); returns its `/graphql` URL. */
  gateway(env: NodeJS.ProcessEnv): Promise<string>;
  /** HTTP requests each subgraph received so far, by subgraph name. */
  requests: Map<string, number>;
  close(): Promise<void>;
}

/**
 * Serves each subgraph of `shape` with `buildSubgraphSchema` on Yoga (free loopback ports),
 * composes them with `@apollo/composition` into a supergraph file of its own, and starts
 * gateways over it on demand.
 *
 * @throws when the shape does not compose (with the composition errors).
 */
export async function startCorpusStack(shape: CorpusShape): Promise<CorpusStack> {
  const requests = new Map<string, number>();
  const servers = await Promise.all(
    shape.subgraphs.map(async (subgraph) => {
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
  const composed = composeServices(shape.subgraphs.map((s, i) => ({ name: s.name, url: servers[i]!.url, typeDefs: parse(s.typeDefs) })));
  if (composed.errors) {
    await Promise.all(servers.map((s) => closeGracefully(s.server)));
    throw new Error(`corpus shape "${shape.name}" does not compose:\n${composed.errors.map((e) => e.message).join('\n')}`);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tributary-corpus-'));
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
