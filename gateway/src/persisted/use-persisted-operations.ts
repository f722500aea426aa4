import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { PersistedOperationsMode } from '../front-door-config.js';
import type { PersistedQueryStore } from './persisted-query-store.js';
import { sha256Hex } from './sha256.js';

/** Options of {@link usePersistedOperations}. */
export interface PersistedOperationsOptions {
  mode: PersistedOperationsMode;
  /** Trusted documents by SHA-256 (from the manifests). */
  trusted: ReadonlyMap<string, string>;
  /** Where APQ registers documents (`allow` mode). */
  store: PersistedQueryStore;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Persisted operations at the gateway: Apollo's automatic persisted queries
 * (`extensions.persistedQuery = { version: 1, sha256Hash }`, over POST and GET) and trusted
 * documents from manifests (that extension, or a `documentId` parameter).
 *
 * - hash only, known: runs the stored or trusted document;
 * - hash only, unknown: `PERSISTED_QUERY_NOT_FOUND` (HTTP 200), on which Apollo Client's
 *   persisted-query link sends the document with its hash;
 * - document and hash: the hash must be the document's SHA-256, else `PERSISTED_QUERY_MISMATCH`
 *   (HTTP 400) and nothing is executed or stored; a matching pair is registered once the
 *   document has passed validation (when its execution starts);
 * - `only` mode: anything but a trusted document is `PERSISTED_QUERY_NOT_ALLOWED` (HTTP 400);
 * - `off` mode: a hash without a document is `PERSISTED_QUERY_NOT_SUPPORTED` (Apollo Client then
 *   stops sending hashes).
 */
export function usePersistedOperations(options: PersistedOperationsOptions): Plugin {
  const { mode, trusted, store } = options;
  const toRegister = new WeakMap<Request, { hash: string; document: string }>();
  const refuse = (code: string, message: string, status: number) => new GraphQLError(message, { extensions: { code, http: { status } } });
  return {
    async onParams({ params, setParams, request }) {
      const extension = params.extensions?.persistedQuery as { version?: unknown; sha256Hash?: unknown } | undefined;
      const documentId = (params as { documentId?: unknown }).documentId;
      const rawHash = typeof documentId === 'string' ? documentId.replace(/^sha256:/, '') : extension?.sha256Hash;
      if (extension && extension.version !== 1) throw refuse('PERSISTED_QUERY_VERSION_NOT_SUPPORTED', 'Persisted query version not supported; use version 1', 400);
      const hash = typeof rawHash === 'string' ? rawHash.toLowerCase() : undefined;
      const query = typeof params.query === 'string' ? params.query : undefined;

      if (query !== undefined) {
        if (hash !== undefined && mode !== 'off' && sha256Hex(query) !== hash) {
          throw refuse('PERSISTED_QUERY_MISMATCH', 'Provided sha256Hash does not match the query', 400);
        }
        const queryHash = hash ?? sha256Hex(query);
        if (mode === 'only' && !trusted.has(queryHash)) throw refuse('PERSISTED_QUERY_NOT_ALLOWED', 'Only persisted operations are allowed', 400);
        if (mode === 'allow' && hash !== undefined && !trusted.has(hash)) toRegister.set(request, { hash, document: query });
        return;
      }
      if (rawHash === undefined) return; // Yoga answers "Must provide query string."
      if (mode === 'off') throw refuse('PERSISTED_QUERY_NOT_SUPPORTED', 'PersistedQueryNotSupported', 200);
      const document = hash && SHA256_HEX.test(hash) ? (trusted.get(hash) ?? (mode === 'allow' ? await store.get(hash).catch(() => undefined) : undefined)) : undefined;
      if (document === undefined) {
        if (mode === 'only') throw refuse('PERSISTED_QUERY_NOT_ALLOWED', 'Only persisted operations are allowed', 400);
        throw new GraphQLError('PersistedQueryNotFound', { extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 200 } } });
      }
      const { documentId: _documentId, ...rest } = params as typeof params & { documentId?: unknown };
      setParams({ ...rest, query: document });
    },
    async onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      const pending = request && toRegister.get(request);
      if (!pending) return;
      toRegister.delete(request!);
      await store.set(pending.hash, pending.document).catch(() => undefined);
    },
  };
}
