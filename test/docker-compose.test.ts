import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@tributary/database';
import { SUBGRAPHS } from '@tributary/subgraph-runtime';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** docker-compose.yml is for users with a Docker engine; here it is checked, not run. */
describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8'));

  it('runs Postgres 15, Redis, the subgraphs and the gateway on the documented ports', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['gateway', 'postgres', 'redis', 'subgraphs']);
    expect(compose.services.postgres.image).toBe('postgres:15');
    expect(compose.services.gateway.ports).toEqual(['4000:4000']);
    expect(compose.services.subgraphs.ports).toEqual(SUBGRAPHS.map((s) => `${s.defaultPort}:${s.defaultPort}`));
  });

  it('points the subgraphs at the postgres service and the gateway at every subgraph', () => {
    const { user, password, db } = { user: compose.services.postgres.environment.POSTGRES_USER, password: compose.services.postgres.environment.POSTGRES_PASSWORD, db: compose.services.postgres.environment.POSTGRES_DB };
    expect(compose.services.subgraphs.environment.DATABASE_URL).toBe(`postgres://${user}:${password}@postgres:5432/${db}`);
    for (const s of SUBGRAPHS) {
      expect(compose.services.gateway.environment[`${s.name.toUpperCase()}_URL`]).toBe(`http://subgraphs:${s.defaultPort}/graphql`);
    }
    expect(compose.services.subgraphs.depends_on.postgres.condition).toBe('service_healthy');
  });

  it('imports the Chinook script shipped in the checkout (nothing mounted from outside it) and uses the pinned pnpm', () => {
    expect(compose.services.subgraphs.environment.CHINOOK_SQL).toBeUndefined();
    expect(compose.services.subgraphs.volumes).toEqual(['.:/app']);
    for (const name of ['subgraphs', 'gateway']) expect(compose.services[name].command.join(' ')).toContain('pnpm@12.4.2');
    expect(compose.services.subgraphs.command.join(' ')).toContain('pnpm start:subgraphs');
    expect(compose.services.gateway.command.join(' ')).toContain('pnpm start:gateway');
  });
});
