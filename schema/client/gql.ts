/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation AddTrackToPlaylist($playlistId: ID!, $trackId: ID!) {\n  addTrackToPlaylist(playlistId: $playlistId, trackId: $trackId) {\n    id\n    trackCount\n  }\n}": typeof types.AddTrackToPlaylistDocument,
    "query AlbumPage($id: ID!) {\n  album(id: $id) {\n    id\n    title\n    artist {\n      id\n      name\n    }\n    tracks {\n      id\n      name\n      composer\n      milliseconds\n      unitPrice\n      genre {\n        id\n        name\n      }\n      mediaType {\n        name\n      }\n      purchaseCount\n      playlists {\n        id\n        name\n      }\n    }\n  }\n}": typeof types.AlbumPageDocument,
    "query ArtistPage($id: ID!) {\n  artist(id: $id) {\n    id\n    name\n    albums {\n      id\n      title\n      tracks {\n        id\n      }\n    }\n  }\n}": typeof types.ArtistPageDocument,
    "query BrowseAlbums($first: Int = 20, $after: String) {\n  albums(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      id\n      title\n      artist {\n        id\n        name\n      }\n    }\n  }\n}": typeof types.BrowseAlbumsDocument,
    "query BrowseArtists($first: Int = 20, $after: String, $nameContains: String) {\n  artists(first: $first, after: $after, nameContains: $nameContains) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      id\n      name\n    }\n  }\n}": typeof types.BrowseArtistsDocument,
    "query BrowsePlaylists($first: Int = 20, $after: String) {\n  playlists(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      id\n      name\n      trackCount\n    }\n  }\n}": typeof types.BrowsePlaylistsDocument,
    "mutation CreatePlaylist($name: String!) {\n  createPlaylist(name: $name) {\n    id\n    name\n    trackCount\n  }\n}": typeof types.CreatePlaylistDocument,
    "query Genres {\n  genres {\n    id\n    name\n  }\n}": typeof types.GenresDocument,
    "query InvoiceDetail($id: ID!) {\n  invoice(id: $id) {\n    id\n    invoiceDate\n    billingCity\n    billingCountry\n    total\n    customer {\n      id\n      firstName\n    }\n    lines {\n      id\n      quantity\n      unitPrice\n      track {\n        id\n        name\n      }\n    }\n  }\n}": typeof types.InvoiceDetailDocument,
    "query MyInvoices($customerId: ID!, $first: Int = 20, $after: String) {\n  customer(id: $customerId) {\n    id\n    invoices(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        invoiceDate\n        total\n        lines {\n          id\n          quantity\n          unitPrice\n          track {\n            id\n            name\n            album {\n              title\n              artist {\n                name\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n}": typeof types.MyInvoicesDocument,
    "query MyProfile($customerId: ID!) {\n  customer(id: $customerId) {\n    id\n    firstName\n    lastName\n    email\n    phone\n    address\n    city\n    country\n    supportRep {\n      id\n      firstName\n      lastName\n      title\n    }\n    totalSpent\n  }\n}": typeof types.MyProfileDocument,
    "query PlaylistPage($id: ID!, $first: Int = 20, $after: String) {\n  playlist(id: $id) {\n    id\n    name\n    trackCount\n    tracks(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        name\n        milliseconds\n        unitPrice\n        album {\n          title\n          artist {\n            name\n          }\n        }\n      }\n    }\n  }\n}": typeof types.PlaylistPageDocument,
    "mutation Purchase($customerId: ID!, $trackIds: [ID!]!) {\n  purchase(customerId: $customerId, trackIds: $trackIds) {\n    id\n    invoiceDate\n    total\n    lines {\n      id\n      quantity\n      unitPrice\n      track {\n        id\n        name\n        purchaseCount\n      }\n    }\n  }\n}": typeof types.PurchaseDocument,
    "mutation RemoveTrackFromPlaylist($playlistId: ID!, $trackId: ID!) {\n  removeTrackFromPlaylist(playlistId: $playlistId, trackId: $trackId) {\n    id\n    trackCount\n  }\n}": typeof types.RemoveTrackFromPlaylistDocument,
    "mutation RenamePlaylist($id: ID!, $name: String!) {\n  renamePlaylist(id: $id, name: $name) {\n    id\n    name\n  }\n}": typeof types.RenamePlaylistDocument,
    "query TopTracks($first: Int = 10, $genreId: ID) {\n  topTracks(first: $first, genreId: $genreId) {\n    id\n    name\n    purchaseCount\n    unitPrice\n    album {\n      id\n      title\n      artist {\n        name\n      }\n    }\n  }\n}": typeof types.TopTracksDocument,
    "query TracksByGenre($genreId: ID!, $first: Int = 20, $after: String) {\n  genre(id: $genreId) {\n    id\n    name\n  }\n  tracks(genreId: $genreId, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        name\n        unitPrice\n        album {\n          id\n          title\n          artist {\n            name\n          }\n        }\n      }\n    }\n  }\n}": typeof types.TracksByGenreDocument,
    "mutation UpdateMyProfile($customerId: ID!, $input: UpdateCustomerInput!) {\n  updateCustomer(id: $customerId, input: $input) {\n    id\n    firstName\n    lastName\n    email\n    phone\n    address\n    city\n    country\n  }\n}": typeof types.UpdateMyProfileDocument,
    "mutation UpdateTrackPrice($id: ID!, $unitPrice: Decimal!) {\n  updateTrack(id: $id, input: {unitPrice: $unitPrice}) {\n    id\n    name\n    unitPrice\n  }\n}": typeof types.UpdateTrackPriceDocument,
};
const documents: Documents = {
    "mutation AddTrackToPlaylist($playlistId: ID!, $trackId: ID!) {\n  addTrackToPlaylist(playlistId: $playlistId, trackId: $trackId) {\n    id\n    trackCount\n  }\n}": types.AddTrackToPlaylistDocument,
    "query AlbumPage($id: ID!) {\n  album(id: $id) {\n    id\n    title\n    artist {\n      id\n      name\n    }\n    tracks {\n      id\n      name\n      composer\n      milliseconds\n      unitPrice\n      genre {\n        id\n        name\n      }\n      mediaType {\n        name\n      }\n      purchaseCount\n      playlists {\n        id\n        name\n      }\n    }\n  }\n}": types.AlbumPageDocument,
    "query ArtistPage($id: ID!) {\n  artist(id: $id) {\n    id\n    name\n    albums {\n      id\n      title\n      tracks {\n        id\n      }\n    }\n  }\n}": types.ArtistPageDocument,
    "query BrowseAlbums($first: Int = 20, $after: String) {\n  albums(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      id\n      title\n      artist {\n        id\n        name\n      }\n    }\n  }\n}": types.BrowseAlbumsDocument,
    "query BrowseArtists($first: Int = 20, $after: String, $nameContains: String) {\n  artists(first: $first, after: $after, nameContains: $nameContains) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      id\n      name\n    }\n  }\n}": types.BrowseArtistsDocument,
    "query BrowsePlaylists($first: Int = 20, $after: String) {\n  playlists(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      id\n      name\n      trackCount\n    }\n  }\n}": types.BrowsePlaylistsDocument,
    "mutation CreatePlaylist($name: String!) {\n  createPlaylist(name: $name) {\n    id\n    name\n    trackCount\n  }\n}": types.CreatePlaylistDocument,
    "query Genres {\n  genres {\n    id\n    name\n  }\n}": types.GenresDocument,
    "query InvoiceDetail($id: ID!) {\n  invoice(id: $id) {\n    id\n    invoiceDate\n    billingCity\n    billingCountry\n    total\n    customer {\n      id\n      firstName\n    }\n    lines {\n      id\n      quantity\n      unitPrice\n      track {\n        id\n        name\n      }\n    }\n  }\n}": types.InvoiceDetailDocument,
    "query MyInvoices($customerId: ID!, $first: Int = 20, $after: String) {\n  customer(id: $customerId) {\n    id\n    invoices(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        invoiceDate\n        total\n        lines {\n          id\n          quantity\n          unitPrice\n          track {\n            id\n            name\n            album {\n              title\n              artist {\n                name\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n}": types.MyInvoicesDocument,
    "query MyProfile($customerId: ID!) {\n  customer(id: $customerId) {\n    id\n    firstName\n    lastName\n    email\n    phone\n    address\n    city\n    country\n    supportRep {\n      id\n      firstName\n      lastName\n      title\n    }\n    totalSpent\n  }\n}": types.MyProfileDocument,
    "query PlaylistPage($id: ID!, $first: Int = 20, $after: String) {\n  playlist(id: $id) {\n    id\n    name\n    trackCount\n    tracks(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        name\n        milliseconds\n        unitPrice\n        album {\n          title\n          artist {\n            name\n          }\n        }\n      }\n    }\n  }\n}": types.PlaylistPageDocument,
    "mutation Purchase($customerId: ID!, $trackIds: [ID!]!) {\n  purchase(customerId: $customerId, trackIds: $trackIds) {\n    id\n    invoiceDate\n    total\n    lines {\n      id\n      quantity\n      unitPrice\n      track {\n        id\n        name\n        purchaseCount\n      }\n    }\n  }\n}": types.PurchaseDocument,
    "mutation RemoveTrackFromPlaylist($playlistId: ID!, $trackId: ID!) {\n  removeTrackFromPlaylist(playlistId: $playlistId, trackId: $trackId) {\n    id\n    trackCount\n  }\n}": types.RemoveTrackFromPlaylistDocument,
    "mutation RenamePlaylist($id: ID!, $name: String!) {\n  renamePlaylist(id: $id, name: $name) {\n    id\n    name\n  }\n}": types.RenamePlaylistDocument,
    "query TopTracks($first: Int = 10, $genreId: ID) {\n  topTracks(first: $first, genreId: $genreId) {\n    id\n    name\n    purchaseCount\n    unitPrice\n    album {\n      id\n      title\n      artist {\n        name\n      }\n    }\n  }\n}": types.TopTracksDocument,
    "query TracksByGenre($genreId: ID!, $first: Int = 20, $after: String) {\n  genre(id: $genreId) {\n    id\n    name\n  }\n  tracks(genreId: $genreId, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        name\n        unitPrice\n        album {\n          id\n          title\n          artist {\n            name\n          }\n        }\n      }\n    }\n  }\n}": types.TracksByGenreDocument,
    "mutation UpdateMyProfile($customerId: ID!, $input: UpdateCustomerInput!) {\n  updateCustomer(id: $customerId, input: $input) {\n    id\n    firstName\n    lastName\n    email\n    phone\n    address\n    city\n    country\n  }\n}": types.UpdateMyProfileDocument,
    "mutation UpdateTrackPrice($id: ID!, $unitPrice: Decimal!) {\n  updateTrack(id: $id, input: {unitPrice: $unitPrice}) {\n    id\n    name\n    unitPrice\n  }\n}": types.UpdateTrackPriceDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation AddTrackToPlaylist($playlistId: ID!, $trackId: ID!) {\n  addTrackToPlaylist(playlistId: $playlistId, trackId: $trackId) {\n    id\n    trackCount\n  }\n}"): (typeof documents)["mutation AddTrackToPlaylist($playlistId: ID!, $trackId: ID!) {\n  addTrackToPlaylist(playlistId: $playlistId, trackId: $trackId) {\n    id\n    trackCount\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AlbumPage($id: ID!) {\n  album(id: $id) {\n    id\n    title\n    artist {\n      id\n      name\n    }\n    tracks {\n      id\n      name\n      composer\n      milliseconds\n      unitPrice\n      genre {\n        id\n        name\n      }\n      mediaType {\n        name\n      }\n      purchaseCount\n      playlists {\n        id\n        name\n      }\n    }\n  }\n}"): (typeof documents)["query AlbumPage($id: ID!) {\n  album(id: $id) {\n    id\n    title\n    artist {\n      id\n      name\n    }\n    tracks {\n      id\n      name\n      composer\n      milliseconds\n      unitPrice\n      genre {\n        id\n        name\n      }\n      mediaType {\n        name\n      }\n      purchaseCount\n      playlists {\n        id\n        name\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ArtistPage($id: ID!) {\n  artist(id: $id) {\n    id\n    name\n    albums {\n      id\n      title\n      tracks {\n        id\n      }\n    }\n  }\n}"): (typeof documents)["query ArtistPage($id: ID!) {\n  artist(id: $id) {\n    id\n    name\n    albums {\n      id\n      title\n      tracks {\n        id\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query BrowseAlbums($first: Int = 20, $after: String) {\n  albums(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      id\n      title\n      artist {\n        id\n        name\n      }\n    }\n  }\n}"): (typeof documents)["query BrowseAlbums($first: Int = 20, $after: String) {\n  albums(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      id\n      title\n      artist {\n        id\n        name\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query BrowseArtists($first: Int = 20, $after: String, $nameContains: String) {\n  artists(first: $first, after: $after, nameContains: $nameContains) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      id\n      name\n    }\n  }\n}"): (typeof documents)["query BrowseArtists($first: Int = 20, $after: String, $nameContains: String) {\n  artists(first: $first, after: $after, nameContains: $nameContains) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      id\n      name\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query BrowsePlaylists($first: Int = 20, $after: String) {\n  playlists(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      id\n      name\n      trackCount\n    }\n  }\n}"): (typeof documents)["query BrowsePlaylists($first: Int = 20, $after: String) {\n  playlists(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      id\n      name\n      trackCount\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreatePlaylist($name: String!) {\n  createPlaylist(name: $name) {\n    id\n    name\n    trackCount\n  }\n}"): (typeof documents)["mutation CreatePlaylist($name: String!) {\n  createPlaylist(name: $name) {\n    id\n    name\n    trackCount\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Genres {\n  genres {\n    id\n    name\n  }\n}"): (typeof documents)["query Genres {\n  genres {\n    id\n    name\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query InvoiceDetail($id: ID!) {\n  invoice(id: $id) {\n    id\n    invoiceDate\n    billingCity\n    billingCountry\n    total\n    customer {\n      id\n      firstName\n    }\n    lines {\n      id\n      quantity\n      unitPrice\n      track {\n        id\n        name\n      }\n    }\n  }\n}"): (typeof documents)["query InvoiceDetail($id: ID!) {\n  invoice(id: $id) {\n    id\n    invoiceDate\n    billingCity\n    billingCountry\n    total\n    customer {\n      id\n      firstName\n    }\n    lines {\n      id\n      quantity\n      unitPrice\n      track {\n        id\n        name\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MyInvoices($customerId: ID!, $first: Int = 20, $after: String) {\n  customer(id: $customerId) {\n    id\n    invoices(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        invoiceDate\n        total\n        lines {\n          id\n          quantity\n          unitPrice\n          track {\n            id\n            name\n            album {\n              title\n              artist {\n                name\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query MyInvoices($customerId: ID!, $first: Int = 20, $after: String) {\n  customer(id: $customerId) {\n    id\n    invoices(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        invoiceDate\n        total\n        lines {\n          id\n          quantity\n          unitPrice\n          track {\n            id\n            name\n            album {\n              title\n              artist {\n                name\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MyProfile($customerId: ID!) {\n  customer(id: $customerId) {\n    id\n    firstName\n    lastName\n    email\n    phone\n    address\n    city\n    country\n    supportRep {\n      id\n      firstName\n      lastName\n      title\n    }\n    totalSpent\n  }\n}"): (typeof documents)["query MyProfile($customerId: ID!) {\n  customer(id: $customerId) {\n    id\n    firstName\n    lastName\n    email\n    phone\n    address\n    city\n    country\n    supportRep {\n      id\n      firstName\n      lastName\n      title\n    }\n    totalSpent\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PlaylistPage($id: ID!, $first: Int = 20, $after: String) {\n  playlist(id: $id) {\n    id\n    name\n    trackCount\n    tracks(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        name\n        milliseconds\n        unitPrice\n        album {\n          title\n          artist {\n            name\n          }\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query PlaylistPage($id: ID!, $first: Int = 20, $after: String) {\n  playlist(id: $id) {\n    id\n    name\n    trackCount\n    tracks(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        name\n        milliseconds\n        unitPrice\n        album {\n          title\n          artist {\n            name\n          }\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Purchase($customerId: ID!, $trackIds: [ID!]!) {\n  purchase(customerId: $customerId, trackIds: $trackIds) {\n    id\n    invoiceDate\n    total\n    lines {\n      id\n      quantity\n      unitPrice\n      track {\n        id\n        name\n        purchaseCount\n      }\n    }\n  }\n}"): (typeof documents)["mutation Purchase($customerId: ID!, $trackIds: [ID!]!) {\n  purchase(customerId: $customerId, trackIds: $trackIds) {\n    id\n    invoiceDate\n    total\n    lines {\n      id\n      quantity\n      unitPrice\n      track {\n        id\n        name\n        purchaseCount\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RemoveTrackFromPlaylist($playlistId: ID!, $trackId: ID!) {\n  removeTrackFromPlaylist(playlistId: $playlistId, trackId: $trackId) {\n    id\n    trackCount\n  }\n}"): (typeof documents)["mutation RemoveTrackFromPlaylist($playlistId: ID!, $trackId: ID!) {\n  removeTrackFromPlaylist(playlistId: $playlistId, trackId: $trackId) {\n    id\n    trackCount\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RenamePlaylist($id: ID!, $name: String!) {\n  renamePlaylist(id: $id, name: $name) {\n    id\n    name\n  }\n}"): (typeof documents)["mutation RenamePlaylist($id: ID!, $name: String!) {\n  renamePlaylist(id: $id, name: $name) {\n    id\n    name\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query TopTracks($first: Int = 10, $genreId: ID) {\n  topTracks(first: $first, genreId: $genreId) {\n    id\n    name\n    purchaseCount\n    unitPrice\n    album {\n      id\n      title\n      artist {\n        name\n      }\n    }\n  }\n}"): (typeof documents)["query TopTracks($first: Int = 10, $genreId: ID) {\n  topTracks(first: $first, genreId: $genreId) {\n    id\n    name\n    purchaseCount\n    unitPrice\n    album {\n      id\n      title\n      artist {\n        name\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query TracksByGenre($genreId: ID!, $first: Int = 20, $after: String) {\n  genre(id: $genreId) {\n    id\n    name\n  }\n  tracks(genreId: $genreId, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        name\n        unitPrice\n        album {\n          id\n          title\n          artist {\n            name\n          }\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query TracksByGenre($genreId: ID!, $first: Int = 20, $after: String) {\n  genre(id: $genreId) {\n    id\n    name\n  }\n  tracks(genreId: $genreId, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        name\n        unitPrice\n        album {\n          id\n          title\n          artist {\n            name\n          }\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation UpdateMyProfile($customerId: ID!, $input: UpdateCustomerInput!) {\n  updateCustomer(id: $customerId, input: $input) {\n    id\n    firstName\n    lastName\n    email\n    phone\n    address\n    city\n    country\n  }\n}"): (typeof documents)["mutation UpdateMyProfile($customerId: ID!, $input: UpdateCustomerInput!) {\n  updateCustomer(id: $customerId, input: $input) {\n    id\n    firstName\n    lastName\n    email\n    phone\n    address\n    city\n    country\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation UpdateTrackPrice($id: ID!, $unitPrice: Decimal!) {\n  updateTrack(id: $id, input: {unitPrice: $unitPrice}) {\n    id\n    name\n    unitPrice\n  }\n}"): (typeof documents)["mutation UpdateTrackPrice($id: ID!, $unitPrice: Decimal!) {\n  updateTrack(id: $id, input: {unitPrice: $unitPrice}) {\n    id\n    name\n    unitPrice\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;