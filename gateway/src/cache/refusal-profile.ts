import { createHash } from 'node:crypto';
import type { GatewayConfig } from '../config.js';

/**
 * A short digest of the settings with which an instance refuses documents or shapes answers:
 * document limits, introspection, field suggestions, the persisted-operation mode and production
 * mode. Part of every response-cache key, so that an entry that one instance stored in the shared
 * L2 is served by another only if that one would have accepted and answered the request alike.
 *
 * @example
 * refusalProfileOf(config) // 'a41c09e2f3b1d7c8' (16 hex digits)
 */
export function refusalProfileOf(config: Pick<GatewayConfig, 'frontDoor' | 'production'>): string {
  const { limits, introspection, fieldSuggestions, persistedOperations } = config.frontDoor;
  const profile = {
    maxDepth: limits.maxDepth,
    maxAliases: limits.maxAliases,
    maxTokens: limits.maxTokens,
    maxRootFields: limits.maxRootFields,
    maxCost: limits.maxCost,
    introspection,
    fieldSuggestions,
    persistedOperations,
    production: config.production,
  };
  return createHash('sha256').update(JSON.stringify(profile)).digest('hex').slice(0, 16);
}
