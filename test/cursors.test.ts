import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

/** One connection field of the supergraph: how to read a page of it, and Chinook's first ids. */
interface ConnectionCase {
  /** The connection as its cursors name it. */
  name: string;
  /** Reads `first: 2` items after `$after`. */
  query: string;
  /** Where the connection is in the response (and an error's `path`). */
  path: string[];
  /** Ids of the first page, then of the page after it. */
  pages: [string[], string[]];
}

const page = '(first: 2, after: $after) { nodes { id } pageInfo { endCursor } }';
const CONNECTIONS: ConnectionCase[] = [
  {
    name: 'Query.artists',
    query: `query($after: String) { artists${page} }`,
    path: ['artists'],
    pages: [
      ['1', '2'],
      ['3', '4'],
    ],
  },
  {
    name: 'Query.albums',
    query: `query($after: String) { albums${page} }`,
    path: ['albums'],
    pages: [
      ['1', '2'],
      ['3', '4'],
    ],
  },
  {
    name: 'Query.tracks',
    query: `query($after: String) { tracks${page} }`,
    path: ['tracks'],
    pages: [
      ['1', '2'],
      ['3', '4'],
    ],
  },
  {
    name: 'Query.customers',
    query: `query($after: String) { customers${page} }`,
    path: ['customers'],
    pages: [
      ['1', '2'],
      ['3', '4'],
    ],
  },
  {
    name: 'Query.playlists',
    query: `query($after: String) { playlists${page} }`,
    path: ['playlists'],
    pages: [
      ['1', '2'],
      ['3', '4'],
    ],
  },
  {
    name: 'Customer:5.invoices',
    query: `query($after: String) { customer(id: "5") { invoices${page} } }`,
    path: ['customer', 'invoices'],
    pages: [
      ['77', '100'],
      ['122', '174'],
    ],
  },
  {
    name: 'Customer:3.invoices',
    query: `query($after: String) { customer(id: "3") { invoices${page} } }`,
    path: ['customer', 'invoices'],
    pages: [
      ['99', '110'],
      ['165', '294'],
    ],
  },
  {
    name: 'Playlist:3.tracks',
    query: `query($after: String) { playlist(id: "3") { tracks${page} } }`,
    path: ['playlist', 'tracks'],
    pages: [
      ['2819', '2820'],
      ['2821', '2822'],
    ],
  },
  {
    name: 'Playlist:1.tracks',
    query: `query($after: String) { playlist(id: "1") { tracks${page} } }`,
    path: ['playlist', 'tracks'],
    pages: [
      ['1', '2'],
      ['3', '4'],
    ],
  },
];

let database: TestDatabase;
let stack: Stack;
/** The end cursor of each connection's first page. */
const cursors = new Map<string, string>();

/** Asks as a manager (employee 1, who may read every customer's invoices). */
const ask = (c: ConnectionCase, after?: string) => stack.query(c.query, { after }, { as: 'employee:1' });
const at = (data: any, path: string[]) => path.reduce((value, key) => value?.[key], data);

beforeAll(async () => {
  database = await cloneTemplateDatabase();
  stack = await startStack({ databaseUrl: database.url });
});
afterAll(async () => {
  await stack?.close();
  await database?.drop();
});

describe('cursors', () => {
  it.each(CONNECTIONS)('$name pages with the cursor of its own previous page', async (c) => {
    const first = await ask(c);
    expect(first.body.errors).toBeUndefined();
    const firstPage = at(first.body.data, c.path);
    expect(firstPage.nodes.map((n: { id: string }) => n.id)).toEqual(c.pages[0]);
    cursors.set(c.name, firstPage.pageInfo.endCursor);
    const next = await ask(c, firstPage.pageInfo.endCursor);
    expect(next.body.errors).toBeUndefined();
    expect(at(next.body.data, c.path).nodes.map((n: { id: string }) => n.id)).toEqual(c.pages[1]);
  });
});

describe('cursors misuse', () => {
  it.each(CONNECTIONS)('$name refuses the cursor of every other connection: BAD_USER_INPUT naming after', async (c) => {
    expect(cursors.size).toBe(CONNECTIONS.length);
    for (const other of CONNECTIONS.filter((o) => o.name !== c.name)) {
      const { status, body } = await ask(c, cursors.get(other.name));
      expect(status).toBe(200);
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0]).toMatchObject({
        message: `Invalid argument "after": a cursor of ${other.name}, not of ${c.name}`,
        path: c.path,
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' },
      });
      expect(at(body.data, c.path) ?? null).toBeNull();
    }
  });
});
