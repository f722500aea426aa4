import type { DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';

/** Parsed documents kept (Yoga's parse cache; its validation results live and die with them). */
export const DOCUMENT_CACHE_MAX_ENTRIES = 1_000;
/** Estimated bytes of parsed documents kept: 64 MiB. */
export const DOCUMENT_CACHE_MAX_BYTES = 64 * 1024 * 1024;
/** Parse errors kept, by document text. */
export const PARSE_ERROR_CACHE_MAX_ENTRIES = 1_000;
/**
 * Heap bytes per lexical token of a parsed document with locations, measured with graphql-js
 * 16 on Node 20 by `pnpm bench:hostile` (325–510 bytes: AST nodes, their `loc`, and the token
 * list `loc` keeps alive). A document at the 2,000-token limit holds about 1 MB.
 */
export const BYTES_PER_TOKEN = 512;

/** The caches Yoga's `parserAndValidationCache` option takes. */
export interface DocumentCaches {
  documentCache: LRUCache<string, DocumentNode>;
  errorCache: LRUCache<string, object>;
}

/**
 * Yoga's parse caches, bounded in entries and in estimated bytes. Yoga's defaults keep 1,024
 * documents whatever their size, and a 2,000-token document holds about 1 MB of heap: 1 GB for
 * a client that sends distinct large documents. Here a document is costed at
 * {@link BYTES_PER_TOKEN} per token plus its text (the key), and the least recently used go
 * first past either bound. Validation results are cached per document object (a `WeakMap` in
 * Yoga), so they go with their document.
 */
export function createDocumentCaches(options: { maxEntries?: number; maxBytes?: number } = {}): DocumentCaches {
  return {
    documentCache: new LRUCache<string, DocumentNode>({
      max: options.maxEntries ?? DOCUMENT_CACHE_MAX_ENTRIES,
      maxSize: options.maxBytes ?? DOCUMENT_CACHE_MAX_BYTES,
      sizeCalculation: (document, text) => text.length * 2 + tokenCount(document) * BYTES_PER_TOKEN,
    }),
    errorCache: new LRUCache<string, object>({ max: PARSE_ERROR_CACHE_MAX_ENTRIES, maxSize: DOCUMENT_CACHE_MAX_BYTES / 8, sizeCalculation: (_, text) => text.length * 2 + 1_024 }),
  };
}

/** Tokens of a parsed document: its `loc` keeps the whole token list. */
function tokenCount(document: DocumentNode): number {
  let count = 0;
  for (let token = document.loc?.startToken; token; token = token.next ?? undefined) count++;
  return Math.max(count, 1);
}
