import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { usePlainExports } from '../src/apollo/plain-exports.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A CommonJS package laid out as TypeScript emits `export * from`: an index of getters over `defs.js`. */
function fixture(): { dir: string; index: string; consumer: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'plain-exports-'));
  writeFileSync(
    path.join(dir, 'defs.js'),
    `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Colour = exports.twice = exports.LIMIT = void 0;
exports.LIMIT = 7;
function twice(n) { return 2 * n; }
exports.twice = twice;
var Colour;
(function (Colour) { Colour["RED"] = "red"; })(Colour || (exports.Colour = Colour = {}));
`,
  );
  writeFileSync(
    path.join(dir, 'index.js'),
    `"use strict";
var __createBinding = function(o, m, k) { Object.defineProperty(o, k, { enumerable: true, get: function() { return m[k]; } }); };
var __exportStar = function(m, exports) { for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports, p)) __createBinding(exports, m, p); };
Object.defineProperty(exports, "__esModule", { value: true });
__exportStar(require("./defs"), exports);
`,
  );
  writeFileSync(
    path.join(dir, 'consumer.js'),
    `"use strict";\nconst index_1 = require("./index");\nexports.read = () => index_1.twice(index_1.LIMIT) + index_1.Colour.RED;\nexports.index = index_1;\n`,
  );
  return { dir, index: path.join(dir, 'index.js'), consumer: path.join(dir, 'consumer.js') };
}

describe('usePlainExports', () => {
  it('gives modules loaded afterwards a frozen object of data properties with the values the getters returned', () => {
    const { index, consumer } = fixture();
    const load = createRequire(consumer);
    const live = load('./index.js') as Record<string, unknown>;
    expect(Object.getOwnPropertyDescriptor(live, 'LIMIT')?.get).toBeTypeOf('function');

    expect(usePlainExports(consumer, ['./index.js'])).toEqual([index]);
    const { read, index: seen } = load('./consumer.js') as { read: () => string; index: Record<string, unknown> };
    expect(read()).toBe('14red');
    expect(seen).not.toBe(live);
    expect(Object.keys(seen)).toEqual(Object.keys(live));
    for (const key of Object.keys(live)) {
      expect(Object.getOwnPropertyDescriptor(seen, key)).toEqual({ value: live[key], writable: false, enumerable: true, configurable: false });
    }
    expect(seen.__esModule).toBe(true);
    expect(Object.isFrozen(seen)).toBe(true);
    // Done once: a second call finds the plain object and leaves it.
    expect(usePlainExports(consumer, ['./index.js'])).toEqual([]);
  });

  it('throws as require does for a module that cannot be resolved', () => {
    const { consumer } = fixture();
    expect(() => usePlainExports(consumer, ['./missing.js'])).toThrow(/Cannot find module/);
  });

  it("@tributary/gateway loads @apollo/gateway after @apollo/federation-internals' and @apollo/query-planner's indexes were made plain, with the same values", () => {
    // Its own process: the check is about what a gateway process loads, in order, from its entry point.
    const script = `
      import { createRequire } from 'node:module';
      const root = createRequire(${JSON.stringify(path.join(REPO_ROOT, 'gateway/package.json'))});
      const load = createRequire(root.resolve('@apollo/gateway'));
      const names = ['@apollo/federation-internals', '@apollo/query-planner'];
      const before = names.map((name) => load(name));
      await import('@tributary/gateway');
      const gatewayLoadedAfter = Object.keys(load.cache).some((file) => file.includes('/@apollo/gateway/dist/executeQueryPlan.js'));
      const out = names.map((name, i) => {
        const plain = load(name);
        const keys = Object.keys(before[i]);
        return {
          name,
          replaced: plain !== before[i],
          frozen: Object.isFrozen(plain),
          accessors: Object.keys(plain).filter((k) => Object.getOwnPropertyDescriptor(plain, k).get).length,
          sameKeys: JSON.stringify(Object.keys(plain)) === JSON.stringify(keys),
          differing: keys.filter((k) => plain[k] !== before[i][k]),
          count: keys.length,
        };
      });
      console.log(JSON.stringify({ gatewayLoadedAfter, out }));
    `;
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: path.join(REPO_ROOT, 'gateway'), encoding: 'utf8', timeout: 60_000 });
    const { gatewayLoadedAfter, out } = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      gatewayLoadedAfter: boolean;
      out: { name: string; replaced: boolean; frozen: boolean; accessors: number; sameKeys: boolean; differing: string[]; count: number }[];
    };
    expect(gatewayLoadedAfter).toBe(true);
    for (const module of out) {
      expect(module).toMatchObject({ replaced: true, frozen: true, accessors: 0, sameKeys: true, differing: [] });
      expect(module.count).toBeGreaterThan(module.name === '@apollo/query-planner' ? 10 : 300);
    }
  });
  it('makes the indexes plain also when the entry imports a value of @apollo/gateway statically (its module exists, not yet loaded, as the ESM graph links)', () => {
    // Node creates a CommonJS module's require.cache entry (unloaded) when it links an ES module
    // graph that imports it; @apollo/gateway evaluates after @tributary/gateway here.
    const script = `
      import { createRequire } from 'node:module';
      import { ApolloGateway as Ours } from ${JSON.stringify(path.join(REPO_ROOT, 'gateway/src/apollo/apollo-gateway.ts'))};
      import { ApolloGateway, LocalGraphQLDataSource } from '@apollo/gateway';
      const root = createRequire(${JSON.stringify(path.join(REPO_ROOT, 'gateway/package.json'))});
      const load = createRequire(root.resolve('@apollo/gateway'));
      const plain = load('@apollo/federation-internals');
      console.log(JSON.stringify({
        frozen: Object.isFrozen(plain),
        accessors: Object.keys(plain).filter((k) => Object.getOwnPropertyDescriptor(plain, k).get).length,
        same: Ours === ApolloGateway && typeof LocalGraphQLDataSource === 'function',
      }));
    `;
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: path.join(REPO_ROOT, 'gateway'), encoding: 'utf8', timeout: 60_000 });
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({ frozen: true, accessors: 0, same: true });
  });
});
