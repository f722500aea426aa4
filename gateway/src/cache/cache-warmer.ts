import { Kind, type OperationDefinitionNode, parse } from 'graphql';
import type { PersistedOperationsMode } from '../front-door-config.js';

/** Options of {@link createCacheWarmer}. */
export interface CacheWarmerOptions {
  /** The trusted-documents manifest: hash → document. */
  trusted: ReadonlyMap<string, string>;
  /** How requests are sent: by hash unless persisted operations are `off`. */
  mode: PersistedOperationsMode;
  /** Answers one request as a client's would be (Yoga's `fetch`, every plugin included). */
  fetch(request: Request): Promise<Response>;
  onError(error: Error): void;
}

/**
 * The manifest's operations worth warming: queries that declare no variables (a warm-up has no
 * values to give), one request per operation (a document with several names each). The operation
 * name is part of the cache key, so a named operation is warmed as clients send it (Apollo
 * Client, urql and Relay send `operationName`) and, when it is the document's only operation,
 * also without the name (as `curl` users and the GraphQL over HTTP spec's minimal request do).
 */
export function warmableOperations(trusted: ReadonlyMap<string, string>): Array<{ hash: string; document: string; operationName?: string }> {
  const operations: Array<{ hash: string; document: string; operationName?: string }> = [];
  for (const [hash, document] of trusted) {
    let definitions: OperationDefinitionNode[];
    try {
      definitions = parse(document).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    } catch {
      continue;
    }
    for (const operation of definitions) {
      if (operation.operation !== 'query' || (operation.variableDefinitions?.length ?? 0) > 0) continue;
      if (definitions.length > 1 && !operation.name) continue;
      if (operation.name) operations.push({ hash, document, operationName: operation.name.value });
      if (definitions.length === 1) operations.push({ hash, document });
    }
  }
  return operations;
}

/**
 * `CACHE_WARM=manifest`: executes the manifest's variable-free queries through the gateway
 * (anonymous, as a client sending the hash would), so that their public answers are in L1 and L2
 * before clients ask. `warm()` runs them one after another (a warm-up never competes with
 * clients for more than one execution at a time); a warm-up asked for while one runs starts
 * again once it ends. Resolves with the number of operations answered 200.
 */
export function createCacheWarmer(options: CacheWarmerOptions): { warm(): Promise<number> } {
  let running: Promise<number> | undefined;
  let again = false;
  // The manifest is loaded once: its warmable operations are found once, not on every flush.
  const operations = warmableOperations(options.trusted);
  const once = async () => {
    let answered = 0;
    for (const operation of operations) {
      const body =
        options.mode === 'off'
          ? { query: operation.document, operationName: operation.operationName }
          : { operationName: operation.operationName, extensions: { persistedQuery: { version: 1, sha256Hash: operation.hash } } };
      try {
        const json = JSON.stringify(body);
        // As a client sends it: the cache reads only bodies whose length is declared.
        const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(json)) };
        const response = await options.fetch(new Request('http://localhost/graphql', { method: 'POST', headers, body: json }));
        await response.arrayBuffer();
        if (response.status === 200) answered++;
      } catch (error) {
        options.onError(error as Error);
      }
    }
    return answered;
  };
  const warm = (): Promise<number> => {
    if (running) {
      again = true;
      return running;
    }
    running = once().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        void warm();
      }
    });
    return running;
  };
  return { warm };
}
