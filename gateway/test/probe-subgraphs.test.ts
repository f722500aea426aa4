import { type Server, createServer } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { probeSubgraphs } from '../src/probe-subgraphs.js';

/** A subgraph stand-in: `{ __typename }` at /graphql, and `readyz` for GET /readyz (absent: 404). */
async function fakeSubgraph(readyz?: { status: number; body: string }): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    if (request.url === '/graphql') return void response.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"__typename":"Query"}}');
    if (request.url === '/readyz' && readyz) return void response.writeHead(readyz.status, { 'content-type': 'application/json' }).end(readyz.body);
    response.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/graphql`, server };
}

describe('probeSubgraphs', () => {
  const servers: Server[] = [];
  const start = async (readyz?: { status: number; body: string }) => {
    const subgraph = await fakeSubgraph(readyz);
    servers.push(subgraph.server);
    return subgraph.url;
  };
  afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

  it('passes a subgraph whose /readyz answers 200, and one without /readyz (404) that answers GraphQL', async () => {
    const urls = new Map([
      ['ready', await start({ status: 200, body: '{"status":"ready"}' })],
      ['foreign', await start()],
    ]);
    await expect(probeSubgraphs(urls)).resolves.toBeUndefined();
  });

  it('fails naming each subgraph whose /readyz is not 200, with its reason when it gives one', async () => {
    const urls = new Map([
      ['catalog', await start({ status: 503, body: '{"status":"not ready","reason":"database: no answer to select 1 within 1000 ms"}' })],
      ['sales', await start({ status: 500, body: 'oops' })],
      ['playlists', await start({ status: 200, body: '{"status":"ready"}' })],
    ]);
    await expect(probeSubgraphs(urls)).rejects.toThrow('subgraphs not ready: catalog not ready (database: no answer to select 1 within 1000 ms), sales /readyz answered 500');
  });
});
