import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { PersistedOperationsMode } from '../front-door-config.js';
import type { PersistedQueryStore } from './persisted-query-store.js';
import { type PersistedDecision, decidePersisted, documentIdOf, notFound } from './persisted-request.js';

/** Options of {@link usePersistedOperations}. */
export interface PersistedOperationsOptions {
  /** `PERSISTED_OPERATIONS`: `off`, `allow` (default) or `only`. */
  mode: PersistedOperationsMode;
  /** Trusted documents by SHA-256 (from the manifests). */
  trusted: ReadonlyMap<string, string>;
  /** Where APQ registers documents (`allow` mode). */
  store: PersistedQueryStore;
}

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
  const refusal = (decision: PersistedDecision & { kind: 'refuse' }) => new GraphQLError(decision.message, { extensions: { code: decision.code, http: { status: decision.status } } });
  return {
    async onParams({ params, setParams, request }) {
      const documentId = documentIdOf(params as { documentId?: unknown }, request);
      const decision = decidePersisted({ ...params, documentId }, mode, trusted);
      switch (decision.kind) {
        case 'refuse':
          throw refusal(decision);
        case 'none':
          return; // Yoga answers "Must provide query string."
        case 'document':
          if (decision.register) toRegister.set(request, { hash: decision.hash, document: decision.query });
          return;
        case 'hash': {
          const document = decision.trusted ?? (await store.get(decision.hash).catch(() => undefined));
          if (document === undefined) throw refusal(notFound());
          const { documentId: _documentId, ...rest } = params as typeof params & { documentId?: unknown };
          setParams({ ...rest, query: document });
        }
      }
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
