import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { REPO_ROOT } from '@tributary/database';
import { sha256Hex } from '@tributary/gateway';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlbumPageDocument, MyInvoicesDocument, PlaylistPageDocument } from '../schema/client/graphql.js';
import { type Stack, startStack, tokenFor } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

/** Every request the client sent: method, whether it carried the document, and its hash. */
interface Sent {
  method: string;
  hasQuery: boolean;
  hash?: string;
  contentType?: string | null;
}

function recordingFetch(sent: Sent[]): typeof fetch {
  return async (input, init) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    const body = method === 'GET' ? Object.fromEntries(url.searchParams) : JSON.parse(String(init?.body));
    const extensions = typeof body.extensions === 'string' ? JSON.parse(body.extensions) : body.extensions;
    const contentType = new Headers(init?.headers).get('content-type');
    sent.push({ method, hasQuery: typeof body.query === 'string', hash: extensions?.persistedQuery?.sha256Hash, ...(method === 'GET' ? { contentType } : {}) });
    return fetch(input, init);
  };
}

function client(stack: Stack, sent: Sent[], options: { get?: boolean; generateHash?: (doc: any) => string; headers?: Record<string, string> } = {}) {
  const persisted = new PersistedQueryLink(
    options.generateHash ? { generateHash: options.generateHash, useGETForHashedQueries: options.get } : { sha256: (text: string) => sha256Hex(text), useGETForHashedQueries: options.get },
  );
  return new ApolloClient({
    link: persisted.concat(new HttpLink({ uri: stack.gatewayUrl, fetch: recordingFetch(sent), headers: options.headers })),
    cache: new InMemoryCache(),
  });
}

let database: TestDatabase;
let stack: Stack;
beforeAll(async () => {
  database = await cloneTemplateDatabase();
  stack = await startStack({ databaseUrl: database.url });
});
afterAll(async () => {
  await stack?.close();
  await database?.drop();
});

describe('Apollo Client with its persisted-query link', () => {
  it('registers on first use, then sends only the hash, and sees the same data as a plain request', async () => {
    const sent: Sent[] = [];
    const apollo = client(stack, sent);
    const first = await apollo.query({ query: AlbumPageDocument, variables: { id: '4' }, fetchPolicy: 'network-only' });
    expect(sent.map((s) => [s.method, s.hasQuery, Boolean(s.hash)])).toEqual([
      ['POST', false, true], // hash only → PERSISTED_QUERY_NOT_FOUND
      ['POST', true, true], // retried with the document: registered
    ]);
    const second = await apollo.query({ query: AlbumPageDocument, variables: { id: '4' }, fetchPolicy: 'network-only' });
    expect(sent.slice(2).map((s) => [s.method, s.hasQuery])).toEqual([['POST', false]]);
    expect(second.data).toEqual(first.data);

    // The same document (with the __typename fields Apollo adds) as a plain request:
    const plain = await stack.query(print(apollo.documentTransform.transformDocument(AlbumPageDocument)), { id: '4' });
    expect(first.data).toEqual(plain.body.data);
    expect((first.data as any).album.tracks).toHaveLength(8);
  });

  it('uses GET for hashed queries when asked, within CSRF prevention', async () => {
    const sent: Sent[] = [];
    const apollo = client(stack, sent, { get: true });
    const result = await apollo.query({ query: PlaylistPageDocument, variables: { id: '18' }, fetchPolicy: 'network-only' });
    await apollo.query({ query: PlaylistPageDocument, variables: { id: '18' }, fetchPolicy: 'network-only' });
    expect(sent.map((s) => [s.method, s.hasQuery])).toEqual([
      ['GET', false],
      ['POST', true],
      ['GET', false],
    ]);
    expect((result.data as any).playlist).toMatchObject({ name: 'On-The-Go 1', trackCount: 1 });
    // Apollo Client sends `content-type: application/json` on GET too, which is what lets its
    // GETs through CSRF prevention without an extra header.
    expect(sent[0]!.contentType).toBe('application/json');
  });

  it('reads private data with a bearer token, through persisted queries', async () => {
    const sent: Sent[] = [];
    const apollo = client(stack, sent, { headers: { authorization: `Bearer ${await tokenFor('customer:5')}` } });
    const { data } = await apollo.query({ query: MyInvoicesDocument, variables: { customerId: '5', first: 2 } });
    expect((data as any).customer.invoices.totalCount).toBe(7);
    expect((data as any).customer.invoices.nodes.map((n: any) => n.id)).toEqual(['77', '100']);
  });
});

describe('Apollo Client against PERSISTED_OPERATIONS=only', () => {
  let only: Stack;
  beforeAll(async () => {
    only = await startStack({ databaseUrl: database.url, gatewayEnv: { PERSISTED_OPERATIONS: 'only' } });
  });
  afterAll(async () => {
    await only?.close();
  });

  it('runs the storefront operations by their manifest hash, never sending the document', async () => {
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'schema/client/persisted-documents.json'), 'utf8')) as Record<string, string>;
    const hashByName = new Map(Object.entries(manifest).map(([key, doc]) => [/^(?:query|mutation) (\w+)/.exec(doc)![1]!, key.replace('sha256:', '')]));
    const sent: Sent[] = [];
    const apollo = client(only, sent, { generateHash: (doc) => hashByName.get(doc.definitions[0].name.value)! });
    const { data } = await apollo.query({ query: AlbumPageDocument, variables: { id: '4' }, fetchPolicy: 'no-cache' });
    expect((data as any).album.title).toBe('Let There Be Rock');
    expect(sent).toEqual([{ method: 'POST', hasQuery: false, hash: hashByName.get('AlbumPage') }]);
  });
});
