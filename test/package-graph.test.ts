import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The workspace's dependencies point one way (issue: "dependencies point one way"): the layers
 * below, and nothing else. A package may import only what its package.json declares, and its
 * package.json declares only what the layering allows.
 */
const ALLOWED: Record<string, string[]> = {
  '@tributary/runtime': [],
  '@tributary/database': ['@tributary/runtime'],
  '@tributary/cache': ['@tributary/runtime'],
  '@tributary/catalog': ['@tributary/database', '@tributary/runtime'],
  '@tributary/customers': ['@tributary/database', '@tributary/runtime'],
  '@tributary/sales': ['@tributary/database', '@tributary/runtime'],
  '@tributary/playlists': ['@tributary/database', '@tributary/runtime'],
  '@tributary/subgraph-host': ['@tributary/cache', '@tributary/catalog', '@tributary/customers', '@tributary/database', '@tributary/playlists', '@tributary/runtime', '@tributary/sales'],
  '@tributary/gateway': ['@tributary/cache', '@tributary/runtime'],
};

const ROOT = path.resolve(import.meta.dirname, '..');

interface WorkspacePackage {
  name: string;
  dir: string;
  dependencies: string[];
}

function workspacePackages(): WorkspacePackage[] {
  const dirs = ['gateway', ...['packages', 'subgraphs'].flatMap((parent) => readdirSync(path.join(ROOT, parent)).map((d) => path.join(parent, d)))];
  return dirs
    .filter((dir) => statSync(path.join(ROOT, dir)).isDirectory())
    .map((dir) => {
      const manifest = JSON.parse(readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8')) as { name: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
      const dependencies = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).filter((d) => d.startsWith('@tributary/') && d !== manifest.name);
      return { name: manifest.name, dir, dependencies };
    });
}

/** Every `@tributary/…` package imported by a source file under `dir/src`. */
function importedPackages(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) {
        for (const match of readFileSync(full, 'utf8').matchAll(/from '(@tributary\/[a-z-]+)/g)) found.set(match[1]!, path.relative(ROOT, full));
      }
    }
  };
  walk(path.join(ROOT, dir, 'src'));
  return found;
}

describe('package dependency graph', () => {
  const packages = workspacePackages();

  it('has exactly the known packages', () => {
    expect(packages.map((p) => p.name).sort()).toEqual(Object.keys(ALLOWED).sort());
  });

  it.each(packages.map((p) => [p.name, p] as const))('%s declares only the dependencies its layer allows', (_name, pkg) => {
    expect(pkg.dependencies.sort()).toEqual(ALLOWED[pkg.name]!.slice().sort());
  });

  it.each(packages.map((p) => [p.name, p] as const))('%s imports only what it declares', (_name, pkg) => {
    const undeclared = [...importedPackages(pkg.dir)].filter(([imported]) => imported !== pkg.name && !pkg.dependencies.includes(imported));
    expect(undeclared.map(([imported, file]) => `${file} imports ${imported}`)).toEqual([]);
  });

  it('has no cycle', () => {
    const visiting = new Set<string>();
    const done = new Set<string>();
    const visit = (name: string, trail: string[]) => {
      if (done.has(name)) return;
      expect(visiting.has(name), `cycle: ${[...trail, name].join(' → ')}`).toBe(false);
      visiting.add(name);
      for (const next of ALLOWED[name] ?? []) visit(next, [...trail, name]);
      visiting.delete(name);
      done.add(name);
    };
    for (const name of Object.keys(ALLOWED)) visit(name, []);
  });
});
