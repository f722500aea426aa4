import { readFileSync } from 'node:fs';
import { sha256Hex } from './sha256.js';

/** Thrown when a manifest cannot be read or is in neither known format. */
export class ManifestError extends Error {
  override name = 'ManifestError';
}

/**
 * Loads trusted documents (hash → document) from manifest files in either format:
 * - graphql-codegen's client preset (`persistedDocuments`): `{ "sha256:<hex>": "<document>" }`
 *   (the `sha256:` prefix is optional);
 * - Apollo's persisted query manifest: `{ "format": "apollo-persisted-query-manifest",
 *   "version": 1, "operations": [{ "id", "name", "type", "body" }] }`.
 * Every entry's hash must be the SHA-256 of its document, so that a hash always names exactly
 * the document that was reviewed.
 *
 * @throws ManifestError naming the file and what is wrong with it.
 */
export function loadManifests(paths: readonly string[]): Map<string, string> {
  const documents = new Map<string, string>();
  for (const file of paths) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ManifestError(`persisted operations manifest ${file}: ${(error as Error).message}`);
    }
    for (const [key, document] of entriesOf(json, file)) {
      const hash = key.replace(/^sha256:/, '').toLowerCase();
      if (sha256Hex(document) !== hash) throw new ManifestError(`persisted operations manifest ${file}: entry ${key} is not the SHA-256 of its document`);
      documents.set(hash, document);
    }
  }
  return documents;
}

function entriesOf(json: unknown, file: string): Array<[string, string]> {
  if (json && typeof json === 'object' && (json as { format?: unknown }).format === 'apollo-persisted-query-manifest') {
    const manifest = json as { version?: unknown; operations?: unknown };
    if (manifest.version !== 1 || !Array.isArray(manifest.operations)) throw new ManifestError(`persisted operations manifest ${file}: expected version 1 with an operations array`);
    return manifest.operations.map((op: { id?: unknown; body?: unknown }, i: number) => {
      if (typeof op?.id !== 'string' || typeof op.body !== 'string') throw new ManifestError(`persisted operations manifest ${file}: operation ${i} needs string id and body`);
      return [op.id, op.body] as [string, string];
    });
  }
  if (json && typeof json === 'object' && !Array.isArray(json) && Object.values(json).every((v) => typeof v === 'string')) {
    return Object.entries(json as Record<string, string>);
  }
  throw new ManifestError(`persisted operations manifest ${file}: expected { "<sha256>": "<document>" } or an apollo-persisted-query-manifest`);
}
