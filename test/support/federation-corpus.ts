import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { Plugin } from 'graphql-yoga';

/** One subgraph of a corpus supergraph: its SDL and resolvers (served by `buildSubgraphSchema`). */
export interface CorpusSubgraph {
  name: string;
  typeDefs: string;
  resolvers: GraphQLResolverMap<unknown>;
  /** A `Cache-Control` header the subgraph sends with every answer. */
  cacheControl?: string;
  /** Yoga plugins of its own (headers per request, delays). */
  plugins?: Plugin[];
}

/** A request of the corpus; `as` is a subject (`customer:5`) or anonymous. */
export interface CorpusRequest {
  query: string;
  /** Which operation of a document with several to run. */
  operationName?: string;
  variables?: Record<string, unknown>;
  as?: string;
}

/** A small supergraph of one federation shape, and the requests sent to it. */
export interface CorpusShape {
  name: string;
  subgraphs: CorpusSubgraph[];
  requests: CorpusRequest[];
  /** How many distinct queries of `requests` must be answered from the cache at least once. */
  minimumStored: number;
  /** How many distinct queries of `requests` must have every subgraph fetch answered by the entity cache at least once; default 0. */
  minimumServedByEntities?: number;
}

/** The federation links and the `@cacheControl` directive, as Tributary's subgraphs declare and compose them. */
export const CACHE_CONTROL = `
  extend schema
    @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@provides", "@requires", "@interfaceObject", "@composeDirective", "@override"])
    @link(url: "https://tributary.dev/cache-control/v0.1", import: ["@cacheControl"])
    @composeDirective(name: "@cacheControl")
  directive @cacheControl(maxAge: Int, scope: CacheControlScope) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
  enum CacheControlScope { PUBLIC PRIVATE }
`;

/** The library of the field-cells shape. */
interface Shelf {
  id: string;
  label: string;
  books: number[];
  grid: Array<Array<number | null>>;
  place: { room: string; coords: number[] } | null;
}
const shelves: Shelf[] = [
  { id: 's1', label: 'Fiction', books: [1, 2, 3], grid: [[1, null], [2]], place: { room: 'A', coords: [1.5, 2] } },
  { id: 's2', label: 'Science', books: [4, 5], grid: [], place: null },
  { id: 's3', label: 'Empty', books: [], grid: [[]], place: { room: 'C', coords: [] } },
];
const books = [
  {
    id: 1,
    title: 'Dune',
    subtitle: null,
    genre: 'SF',
    tags: [
      { id: 't1', name: 'classic' },
      { id: 't1', name: 'same id, other name' },
    ],
    meta: { b: 1, a: [2, { z: null }] },
    shelf: 's1',
  },
  { id: 2, title: 'Emma', subtitle: 'A Novel', genre: 'ROMANCE', tags: [], meta: null, shelf: 's1' },
  { id: 3, title: 'Solaris', subtitle: null, genre: null, tags: [{ id: 't2', name: null }], meta: [1, 'x'], shelf: 's1' },
  { id: 4, title: 'Cosmos', subtitle: 'Space', genre: 'SF', tags: [], meta: 'plain', shelf: 's2' },
  // Listed by its shelf, but its reference resolver answers null: `_entities` never gives its fields.
  { id: 5, title: 'Withdrawn', subtitle: null, genre: null, tags: [], meta: null, shelf: 's2', withdrawn: true },
];
const bookById = (id: number) => books.find((b) => b.id === id)!;
/** Two authors with the same `id`: keyed by name, so never one record. */
const authors = [
  { id: 'x', name: 'Frank', books: [1] },
  { id: 'x', name: 'Jane', books: [2, 3] },
];

const products = [
  { __typename: 'Book', id: 'p1', sku: 'sku-1', title: 'Dune', pages: 412, weight: 2 },
  { __typename: 'Movie', id: 'p2', sku: 'sku-2', title: 'Alien', minutes: 117, weight: 1 },
  { __typename: 'Book', id: 'p3', sku: 'sku-3', title: 'Emma', pages: 320, weight: 3 },
];
const byId = (id: string) => products.find((p) => p.id === id) ?? null;

const playables = [
  { __typename: 'Song', id: 't1', name: 'One', length: 100, grid: [[1, 2], [3]], tags: ['a', null], loc: { x: 1, y: 2 } },
  { __typename: 'Podcast', id: 't2', name: 'Two', episodes: 3, grid: [[4]], tags: [], loc: null },
];
const playable = (id: string) => playables.find((t) => t.id === id) ?? null;
/**
 * Supergraphs of every shape the response cache must read through without changing an answer:
 * interfaces (with a private and a `maxAge: 0` implementation), unions, entities across
 * subgraphs with `@provides` and `@requires`, `@interfaceObject`, key fields that a subgraph
 * resolves to null, entities a subgraph cannot find (completion errors), value types with `id`,
 * aliases equal to key names and to the cache's own aliases, `__typename`-only selections;
 * nested interfaces, unions inside interfaces, fields with arguments, `@skip`/`@include` with
 * variables and defaults, lists of lists, `@override`, `@shareable` value types, errors in one
 * subgraph beside data from another, introspection beside data, several operations by name.
 */
export const CORPUS: CorpusShape[] = [
  {
    name: 'interfaces and unions, private and maxAge 0 implementations',
    subgraphs: [
      {
        name: 'shop',
        typeDefs: `${CACHE_CONTROL}
          interface Node { id: ID! }
          interface Product { id: ID! sku: String! title: String }
          type Book implements Product & Node @key(fields: "id") { id: ID! sku: String! title: String pages: Int }
          type Movie implements Product & Node @key(fields: "id") { id: ID! sku: String! title: String minutes: Int }
          type Secret implements Node @cacheControl(scope: PRIVATE) { id: ID! secret: String }
          type Quote implements Node @cacheControl(maxAge: 0) { id: ID! text: String }
          type Author { id: ID! name: String }
          union SearchResult = Book | Movie | Author
          type Query {
            products: [Product!]!
            node(id: ID!): Node
            nodes(ids: [ID!]!): [Node]!
            search(text: String!): [SearchResult!]!
            empty: [Product!]!
          }`,
        resolvers: {
          Query: {
            products: () => products,
            node: (_: unknown, { id }: { id: string }) =>
              id === 's1' ? { __typename: 'Secret', id: 's1', secret: 'for customer 5' } : id === 'q1' ? { __typename: 'Quote', id: 'q1', text: 'now' } : byId(id),
            nodes: (_: unknown, { ids }: { ids: string[] }) => ids.map((id) => (id === 's1' ? { __typename: 'Secret', id, secret: 'x' } : byId(id))),
            search: () => [...products, { __typename: 'Author', id: 'a1', name: 'Frank Herbert' }],
            empty: () => [],
          },
          Product: { __resolveType: (p: { __typename: string }) => p.__typename },
          Node: { __resolveType: (p: { __typename: string }) => p.__typename },
          SearchResult: { __resolveType: (p: { __typename: string }) => p.__typename },
          Book: { __resolveReference: (ref: { id: string }) => byId(ref.id) },
          Movie: { __resolveReference: (ref: { id: string }) => byId(ref.id) },
        },
      },
    ],
    minimumStored: 12,
    minimumServedByEntities: 12,
    requests: [
      { query: '{ products { ... on Book { sku } } }' },
      { query: '{ products { __typename } }' },
      { query: '{ products { id sku ... on Movie { minutes } ... on Book { pages } } }' },
      { query: 'query { products { ...P } } fragment P on Product { title ... on Book { pages } }' },
      { query: '{ node(id: "p1") { ... on Book { title } } }' },
      { query: '{ node(id: "s1") { ... on Secret { secret } } }', as: 'customer:5' },
      { query: '{ node(id: "s1") { ... on Secret { secret } } }' },
      { query: '{ node(id: "s1") { ... on Secret { secret } } }', as: 'customer:6' },
      { query: '{ node(id: "s1") { __typename } }', as: 'customer:5' },
      { query: '{ node(id: "q1") { ... on Quote { text } } }' },
      { query: '{ nodes(ids: ["p1", "nope", "s1"]) { id __typename } }', as: 'customer:5' },
      { query: '{ search(text: "x") { __typename ... on Author { name } ... on Book { title } } }' },
      { query: '{ search(text: "x") { ... on Movie { id: title title: id } } }' },
      { query: '{ products { _tributary_id: title _tributary_type: __typename } }' },
      { query: '{ empty { id } products { id } }' },
      { query: 'query($id: ID!) { node(id: $id) { id ... on Product { sku } } }', variables: { id: 'p2' } },
    ],
  },
  {
    name: 'entities across subgraphs: @provides, @requires, null keys, missing entities, value types with id',
    subgraphs: [
      {
        name: 'products',
        typeDefs: `${CACHE_CONTROL}
          type Product @key(fields: "id") { id: ID! title: String @shareable weight: Int dimensions: Dimensions }
          type Dimensions @shareable { id: ID height: Int }
          type Gadget @key(fields: "id") { id: ID! name: String }
          type Query { product(id: ID!): Product allProducts: [Product!]! gadgets: [Gadget!]! }`,
        resolvers: {
          Query: {
            product: (_: unknown, { id }: { id: string }) => byId(id),
            allProducts: () => products,
            // A key field that the subgraph resolves to null: selecting it nulls the gadget.
            gadgets: () => [
              { id: null, name: 'nameless' },
              { id: 'g2', name: 'named' },
            ],
          },
          Product: {
            __resolveReference: (ref: { id: string }) => byId(ref.id),
            dimensions: (p: { id: string }) => (p.id === 'p2' ? null : { id: null, height: 10 }),
          },
        },
      },
      {
        name: 'reviews',
        typeDefs: `${CACHE_CONTROL}
          type Product @key(fields: "id") { id: ID! title: String @external weight: Int @external reviews: [Review!]! shipping: Int @requires(fields: "weight") }
          type Review { id: ID! body: String product: Product! @provides(fields: "title") author: User! }
          type User @key(fields: "id") { id: ID! }
          type Query { reviews: [Review!]! }`,
        resolvers: {
          Query: {
            reviews: () => [
              { id: 'r1', body: 'great', product: { id: 'p1', title: 'Dune' }, author: { id: 'u1' } },
              { id: 'r2', body: 'lost', product: { id: 'p404', title: 'Gone' }, author: { id: 'u404' } },
            ],
          },
          Product: {
            __resolveReference: (ref: { id: string; weight?: number }) => ({ ...ref }),
            reviews: (p: { id: string }) => (p.id === 'p1' ? [{ id: 'r1', body: 'great', product: { id: 'p1' }, author: { id: 'u1' } }] : []),
            shipping: (p: { weight: number }) => p.weight * 5,
          },
        },
      },
      {
        name: 'users',
        typeDefs: `${CACHE_CONTROL}
          type User @key(fields: "id") { id: ID! name: String! email: String @cacheControl(scope: PRIVATE) }`,
        resolvers: {
          User: { __resolveReference: (ref: { id: string }) => (ref.id === 'u1' ? { id: 'u1', name: 'Ann', email: 'ann@example.com' } : null) },
        },
      },
    ],
    minimumStored: 8,
    minimumServedByEntities: 7,
    requests: [
      { query: '{ allProducts { title reviews { body } } }' },
      { query: '{ allProducts { id shipping } }' },
      { query: '{ reviews { body product { title } } }' },
      { query: '{ reviews { product { title reviews { body } } } }' },
      { query: '{ reviews { body author { name } } }' },
      { query: '{ reviews { author { email } } }', as: 'customer:5' },
      { query: '{ reviews { author { email } } }' },
      { query: '{ gadgets { name } }' },
      { query: '{ gadgets { id name } }' },
      { query: '{ allProducts { dimensions { height } } }' },
      { query: '{ product(id: "p1") { id: title title: id weight } }' },
      { query: '{ product(id: "p404") { title reviews { body } } }' },
    ],
  },
  {
    name: 'interface objects',
    subgraphs: [
      {
        name: 'media',
        typeDefs: `${CACHE_CONTROL}
          interface Media @key(fields: "id") { id: ID! title: String }
          type Book implements Media @key(fields: "id") { id: ID! title: String pages: Int }
          type Movie implements Media @key(fields: "id") { id: ID! title: String minutes: Int }
          type Query { media: [Media!]! }`,
        resolvers: {
          Query: { media: () => products },
          Media: { __resolveType: (p: { __typename: string }) => p.__typename, __resolveReference: (ref: { id: string }) => byId(ref.id) },
          Book: { __resolveReference: (ref: { id: string }) => byId(ref.id) },
          Movie: { __resolveReference: (ref: { id: string }) => byId(ref.id) },
        },
      },
      {
        name: 'ratings',
        typeDefs: `${CACHE_CONTROL}
          type Media @key(fields: "id") @interfaceObject { id: ID! stars: Int rating: Rating }
          type Rating @cacheControl(scope: PRIVATE) { id: ID! mine: Int }
          type Query { topRated: [Media!]! }`,
        resolvers: {
          Query: { topRated: () => [{ id: 'p2' }, { id: 'p1' }] },
          Media: {
            __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
            stars: (m: { id: string }) => (m.id === 'p1' ? 5 : 3),
            rating: (m: { id: string }) => ({ id: `r-${m.id}`, mine: 4 }),
          },
        },
      },
    ],
    minimumStored: 5,
    minimumServedByEntities: 5,
    requests: [
      { query: '{ media { title stars } }' },
      { query: '{ media { __typename ... on Book { pages } stars } }' },
      { query: '{ topRated { id stars title ... on Movie { minutes } } }' },
      { query: '{ topRated { __typename } }' },
      { query: '{ media { rating { mine } } }', as: 'customer:5' },
      { query: '{ media { rating { mine } } }', as: 'customer:6' },
    ],
  },
  {
    name: 'nested interfaces, unions in interfaces, arguments, @skip/@include, @requires and @override, lists of lists, errors, several operations',
    subgraphs: [
      {
        name: 'media',
        typeDefs: `${CACHE_CONTROL}
          interface Node { id: ID! }
          interface Named implements Node { id: ID! name(upper: Boolean = false): String }
          interface Playable implements Named & Node { id: ID! name(upper: Boolean = false): String grid: [[Int!]]! tags: [String]! loc: Loc related: [Related!]! }
          type Loc @shareable { x: Int y: Int }
          type Song implements Playable & Named & Node @key(fields: "id") { id: ID! name(upper: Boolean = false): String grid: [[Int!]]! tags: [String]! loc: Loc related: [Related!]! length: Int }
          type Podcast implements Playable & Named & Node @key(fields: "id") { id: ID! name(upper: Boolean = false): String grid: [[Int!]]! tags: [String]! loc: Loc related: [Related!]! episodes: Int }
          union Related = Song | Podcast
          type Query { things: [Playable!]! thing(id: ID!): Named boom: Int broken: Song }`,
        resolvers: {
          Query: {
            things: () => playables,
            thing: (_: unknown, { id }: { id: string }) => playable(id),
            boom: () => {
              throw new Error('boom');
            },
            broken: () => ({ __typename: 'Song', id: null, name: 'x' }),
          },
          Playable: { __resolveType: (t: { __typename: string }) => t.__typename },
          Named: { __resolveType: (t: { __typename: string }) => t.__typename },
          Node: { __resolveType: (t: { __typename: string }) => t.__typename },
          Related: { __resolveType: (t: { __typename: string }) => t.__typename },
          Song: {
            __resolveReference: (r: { id: string }) => playable(r.id),
            name: (t: { name: string }, { upper }: { upper: boolean }) => (upper ? t.name.toUpperCase() : t.name),
            related: () => [playables[1]],
          },
          Podcast: {
            __resolveReference: (r: { id: string }) => playable(r.id),
            name: (t: { name: string }, { upper }: { upper: boolean }) => (upper ? t.name.toUpperCase() : t.name),
            related: () => [playables[0], playables[1]],
          },
        },
      },
      {
        name: 'plays',
        typeDefs: `${CACHE_CONTROL}
          type Song @key(fields: "id") { id: ID! length: Int @external plays: Int @requires(fields: "length") fails: Int loc: Loc @override(from: "media") }
          type Podcast @key(fields: "id") { id: ID! plays: Int }
          type Loc @shareable { x: Int y: Int }
          type Query { sbFails: Int }`,
        resolvers: {
          Query: {
            sbFails: () => {
              throw new Error('b failed');
            },
          },
          Song: {
            __resolveReference: (r: { id: string; length?: number }) => ({ ...r }),
            plays: (s: { length: number }) => s.length * 2,
            fails: () => {
              throw new Error('no');
            },
            loc: () => ({ x: 9, y: 9 }),
          },
          Podcast: { __resolveReference: (r: { id: string }) => ({ ...r }), plays: () => 7 },
        },
      },
    ],
    minimumStored: 15,
    minimumServedByEntities: 20,
    requests: [
      { query: '{ things { id name } }' },
      { query: '{ things { name(upper: true) ... on Named { n2: name } } }' },
      { query: '{ things { ... on Node { id } ... on Named { name } } }' },
      { query: '{ things { related { __typename ... on Playable { name } ... on Song { length } } } }' },
      { query: '{ things { related { ... on Named { name } } } }' },
      { query: 'query($s: Boolean!) { things { name @skip(if: $s) id @include(if: $s) } }', variables: { s: true } },
      { query: 'query($s: Boolean!) { things { name @skip(if: $s) id @include(if: $s) } }', variables: { s: false } },
      { query: 'query($s: Boolean = true) { things { name @skip(if: $s) id } }' },
      { query: 'query($s: Boolean = true) { things { name @skip(if: $s) id } }', variables: { s: false } },
      { query: '{ things { grid tags loc { x y } } }' },
      { query: '{ things { ... on Song { plays } ... on Podcast { plays } } }' },
      { query: '{ things { __typename t: __typename id } }' },
      { query: '{ things { id } boom }' },
      { query: '{ things { id } sbFails }' },
      { query: '{ things { ... on Song { fails } } }' },
      { query: '{ broken { name } }' },
      { query: '{ broken { id name } }' },
      { query: '{ __typename things { __typename } }' },
      { query: '{ __schema { queryType { name } } things { id } }' },
      { query: '{ __type(name: "Song") { name } thing(id: "t1") { name } }' },
      { query: 'query A { things { id } } query B { things { name } }', operationName: 'B' },
      { query: 'query A { things { id } } query B { things { name } }', operationName: 'A' },
      { query: 'query A { things { id } } query B { things { name } }' },
      { query: '{ thing(id: "t2") { ... on Playable { related { ... on Podcast { episodes } } } } }' },
      { query: '{ thing(id: "nope") { name } }' },
      { query: 'query($id: ID!) { thing(id: $id) { name } }' },
      { query: 'query($id: ID!) { thing(id: $id) { name } }', variables: { id: null } },
      { query: 'query($id: ID!) { thing(id: $id) { name } }', variables: { id: 5 } },
      { query: 'query($id: ID!) { thing(id: $id) { name } }', variables: { id: 't1', extra: 1 } },
      { query: '{ things { ...F } } fragment F on Related { ... on Named { name } }' },
      { query: '{ things { ... on Song { loc { x } } } }' },
      { query: '{ things { id: name name: id } }' },
      { query: '{ things { _tributary_id: id } }' },
    ],
  },
  {
    name: 'object entities for field cells: nested entities, arguments with variables and defaults, aliases, lists of lists, value objects, JSON, keys other than id',
    subgraphs: [
      {
        name: 'library',
        typeDefs: `${CACHE_CONTROL}
          scalar JSON
          enum Genre { SF ROMANCE }
          type Query { shelf(id: ID!): Shelf shelves(first: Int = 2): [Shelf!]! book(id: Int!): Book authors: [Author!]! }
          type Shelf @key(fields: "id") { id: ID! label: String! books(limit: Int = 10): [Book!]! grid: [[Book]]! place: Place }
          type Place { room: String! coords: [Float!]! }
          type Tag { id: ID! name: String }
          type Book @key(fields: "id") { id: Int! title: String! subtitle: String genre: Genre tags: [Tag!]! meta: JSON shelf: Shelf }
          type Author @key(fields: "name") { id: ID! name: String! books: [Book!]! }`,
        resolvers: {
          Query: {
            shelf: (_: unknown, { id }: { id: string }) => shelves.find((s) => s.id === id) ?? null,
            shelves: (_: unknown, { first }: { first: number }) => shelves.slice(0, first),
            book: (_: unknown, { id }: { id: number }) => books.find((b) => b.id === id) ?? null,
            authors: () => authors,
          },
          Shelf: {
            __resolveReference: (ref: { id: string }) => shelves.find((s) => s.id === ref.id) ?? null,
            books: (shelf: Shelf, { limit }: { limit: number }) => shelf.books.slice(0, limit).map(bookById),
            grid: (shelf: Shelf) => shelf.grid.map((row) => row.map((id) => (id === null ? null : bookById(id)))),
          },
          Book: {
            __resolveReference: (ref: { id: number }) => books.find((b) => b.id === ref.id && !b.withdrawn) ?? null,
            shelf: (book: { shelf: string }) => shelves.find((s) => s.id === book.shelf) ?? null,
          },
          Author: { books: (author: { books: number[] }) => author.books.map(bookById) },
        },
      },
      {
        name: 'loans',
        typeDefs: `${CACHE_CONTROL}
          type Query { popular: [Book]! }
          type Book @key(fields: "id") { id: Int! loans: Int }`,
        resolvers: {
          Query: { popular: () => [1, 5, 4].map((id) => ({ id, loans: id * 7 })) },
          Book: { __resolveReference: (ref: { id: number }) => ({ id: ref.id, loans: ref.id * 7 }) },
        },
      },
    ],
    minimumStored: 12,
    minimumServedByEntities: 12,
    requests: [
      { query: '{ shelf(id: "s1") { id label books { id title genre } } }' },
      { query: '{ shelf(id: "s1") { label books(limit: 2) { title subtitle tags { id name } } } }' },
      { query: 'query($id: ID!) { shelf(id: $id) { place { room coords } grid { id title } } }', variables: { id: 's1' } },
      { query: 'query($id: ID!) { shelf(id: $id) { place { room coords } grid { id title } } }', variables: { id: 's2' } },
      { query: 'query($n: Int = 1) { shelves(first: $n) { id label } }' },
      { query: 'query($n: Int = 1) { shelves(first: $n) { id label } }', variables: { n: 3 } },
      { query: '{ shelves { label books { id meta } } }' },
      { query: '{ a: book(id: 1) { title shelf { label } } b: book(id: 2) { t: title loans } }' },
      { query: '{ book(id: 3) { id title loans genre } }' },
      { query: '{ book(id: 99) { title } }' },
      { query: '{ authors { id name books { title } } }' },
      { query: '{ authors { name } }' },
      { query: '{ shelf(id: "s3") { books { title } grid { title } place { coords } } }' },
      { query: '{ book(id: 1) { __typename tags { __typename name } meta } }' },
      { query: '{ shelf(id: "s1") { ...F } } fragment F on Shelf { label books { title } }' },
      // Book 5's title is in cells (from its shelf), but `_entities` resolves it to null.
      { query: '{ shelf(id: "s2") { books { id title } } }' },
      { query: '{ popular { id title loans } }' },
    ],
  },
];
