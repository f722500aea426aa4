import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';

/** One subgraph of a corpus supergraph: its SDL and resolvers (served by `buildSubgraphSchema`). */
export interface CorpusSubgraph {
  name: string;
  typeDefs: string;
  resolvers: GraphQLResolverMap<unknown>;
  /** A `Cache-Control` header the subgraph sends with every answer. */
  cacheControl?: string;
}

/** A request of the corpus; `as` is a subject (`customer:5`) or anonymous. */
export interface CorpusRequest {
  query: string;
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
}

/** The `@cacheControl` directive as Tributary's subgraphs declare and compose it. */
const CACHE_CONTROL = `
  extend schema
    @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@provides", "@requires", "@interfaceObject", "@composeDirective"])
    @link(url: "https://tributary.dev/cache-control/v0.1", import: ["@cacheControl"])
    @composeDirective(name: "@cacheControl")
  directive @cacheControl(maxAge: Int, scope: CacheControlScope) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
  enum CacheControlScope { PUBLIC PRIVATE }
`;

const products = [
  { __typename: 'Book', id: 'p1', sku: 'sku-1', title: 'Dune', pages: 412, weight: 2 },
  { __typename: 'Movie', id: 'p2', sku: 'sku-2', title: 'Alien', minutes: 117, weight: 1 },
  { __typename: 'Book', id: 'p3', sku: 'sku-3', title: 'Emma', pages: 320, weight: 3 },
];
const byId = (id: string) => products.find((p) => p.id === id) ?? null;

/**
 * Supergraphs of every shape the response cache must read through without changing an answer:
 * interfaces (with a private and a `maxAge: 0` implementation), unions, entities across
 * subgraphs with `@provides` and `@requires`, `@interfaceObject`, key fields that a subgraph
 * resolves to null, entities a subgraph cannot find (completion errors), value types with `id`,
 * aliases equal to key names and to the cache's own aliases, `__typename`-only selections.
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
            gadgets: () => [{ id: null, name: 'nameless' }, { id: 'g2', name: 'named' }],
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
    requests: [
      { query: '{ media { title stars } }' },
      { query: '{ media { __typename ... on Book { pages } stars } }' },
      { query: '{ topRated { id stars title ... on Movie { minutes } } }' },
      { query: '{ topRated { __typename } }' },
      { query: '{ media { rating { mine } } }', as: 'customer:5' },
      { query: '{ media { rating { mine } } }', as: 'customer:6' },
    ],
  },
];
