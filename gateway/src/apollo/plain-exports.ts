import { createRequire } from 'node:module';

/**
 * Replaces the exports of CommonJS modules that re-export other modules through accessors with
 * a frozen object of plain data properties holding the same values, so that every module that
 * `require`s them afterwards reads a property instead of calling a getter.
 *
 * Why: TypeScript compiles `export * from './x'` to `__exportStar`, which defines each
 * re-exported name as a non-configurable getter (`get: function () { return m[k]; }`).
 * `@apollo/gateway` and `@apollo/query-planner` call `@apollo/federation-internals` through its
 * index on every field of every result they shape; on the `deep` benchmark with a warm entity
 * cache those getters took 9.2 % of the gateway's CPU samples (`BENCH_PROFILE_SYSTEMS=tributary-entity
 * pnpm bench:profile`). The values are the ones the getters return when this runs: TypeScript's
 * re-exports of `const`, `function`, `class` and `enum` never change after the module loads.
 *
 * Only modules loaded *after* this call see the plain object; those that required a module
 * before keep its accessors (and behave the same, more slowly). A module whose cached exports are
 * not what `require` returned (already replaced, or a different instance) is left alone.
 *
 * @param fromFile the file the specifiers are resolved from (as `require` in that file would).
 * @param specifiers package or file specifiers of the re-exporting modules (`@apollo/federation-internals`).
 * @returns the resolved files whose exports were replaced.
 * @throws when a specifier cannot be resolved or its module throws while loading (as `require`).
 * @see https://nodejs.org/api/modules.html#requirecache
 */
export function usePlainExports(fromFile: string, specifiers: readonly string[]): string[] {
  const load = createRequire(fromFile);
  const replaced: string[] = [];
  for (const specifier of specifiers) {
    const file = load.resolve(specifier);
    const live = load(specifier) as Record<string, unknown>;
    const entry = load.cache[file];
    if (!entry || entry.exports !== live || Object.isFrozen(live)) continue;
    const plain: Record<string, unknown> = {};
    for (const key of Object.keys(live)) plain[key] = live[key];
    Object.defineProperty(plain, '__esModule', { value: true });
    entry.exports = Object.freeze(plain);
    replaced.push(file);
  }
  return replaced;
}
