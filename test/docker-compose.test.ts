import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@tributary/database';
import { SUBGRAPHS } from '@tributary/runtime';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type ComposeService, renderCompose } from './support/compose-file.js';

const COMPOSE_FILE = path.join(REPO_ROOT, 'docker-compose.yml');
const SECRETS = { GATEWAY_JWT_SECRET: 'g'.repeat(40), INTERNAL_JWT_SECRET: 'i'.repeat(40) };
const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');

/** Ports a developer machine already uses: local Postgres and Redis, and `pnpm start`'s. */
const LOCAL_DEFAULT_PORTS = [5432, 6379, 4000, ...SUBGRAPHS.map((s) => s.defaultPort)];

/**
 * docker-compose.yml is rendered with `docker compose config` where Docker has the compose
 * plugin, and read as YAML with compose's interpolation otherwise (this machine has no Docker
 * engine); the same assertions run on either rendering.
 */
describe('docker-compose.yml', () => {
  const { renderer, services } = renderCompose(COMPOSE_FILE, SECRETS);
  const gateways = Object.keys(services).filter((name) => /^gateway-\d+$/.test(name));

  it(`runs Postgres 15, Redis, the subgraphs, two gateways behind a load balancer, Prometheus and Grafana (rendered by ${renderer})`, () => {
    expect(Object.keys(services).sort()).toEqual(['gateway-1', 'gateway-2', 'grafana', 'lb', 'postgres', 'prometheus', 'redis', 'subgraphs']);
    expect(services.postgres!.image).toMatch(/^postgres:15(-|$)/);
    expect(services.redis!.image).toMatch(/^redis:7/);
  });

  it('gives every service a health check, and starts each only when what it depends on is healthy', () => {
    for (const [name, service] of Object.entries(services)) {
      expect(service.healthcheck?.test?.length, `${name} has a health check`).toBeGreaterThan(0);
      expect(service.healthcheck?.disable, name).toBeFalsy();
      for (const [dependency, condition] of Object.entries(service.depends_on)) {
        expect(Object.keys(services), `${name} depends on ${dependency}`).toContain(dependency);
        expect(condition, `${name} → ${dependency}`).toBe('service_healthy');
      }
    }
    expect(Object.keys(services.subgraphs!.depends_on).sort()).toEqual(['postgres', 'redis']);
    for (const gateway of gateways) expect(Object.keys(services[gateway]!.depends_on).sort()).toEqual(['redis', 'subgraphs']);
    expect(Object.keys(services.lb!.depends_on).sort()).toEqual(gateways);
    expect(Object.keys(services.grafana!.depends_on)).toEqual(['prometheus']);
  });

  it('builds the subgraphs and both gateways from the repository Dockerfile, as one image', () => {
    const built = ['subgraphs', ...gateways].map((name) => services[name]!);
    for (const service of built) expect(service.build).toEqual({ context: REPO_ROOT, dockerfile: 'Dockerfile' });
    expect(new Set(built.map((s) => s.image)).size).toBe(1);
    expect(services.subgraphs!.command).toEqual(['node', '--import', 'tsx', 'scripts/start-subgraphs.ts']);
    for (const gateway of gateways) expect(services[gateway]!.command).toEqual(['node', '--import', 'tsx', 'gateway/src/main.ts']);
    for (const script of ['scripts/start-subgraphs.ts', 'gateway/src/main.ts', 'scripts/healthcheck.mjs']) expect(existsSync(path.join(REPO_ROOT, script)), script).toBe(true);
  });

  it('publishes host ports on 127.0.0.1, each once, none of them a local Postgres, Redis or pnpm start port', () => {
    const published = Object.values(services).flatMap((s) => s.ports);
    expect(published.map((p) => p.published).sort()).toEqual([13000, 14000, 15432, 16379, 19090]);
    for (const port of published) {
      expect(port.host_ip).toBe('127.0.0.1');
      expect(LOCAL_DEFAULT_PORTS).not.toContain(port.published);
    }
    expect(services.lb!.ports).toEqual([{ host_ip: '127.0.0.1', published: 14000, target: 8080 }]);
    // Subgraphs and gateways are reached through the network of the project only.
    for (const name of ['subgraphs', ...gateways]) expect(services[name]!.ports).toEqual([]);
  });

  it('moves host ports and the bind address with variables', () => {
    const moved = renderCompose(COMPOSE_FILE, {
      ...SECRETS,
      TRIBUTARY_BIND: '0.0.0.0',
      TRIBUTARY_HTTP_PORT: '8000',
      TRIBUTARY_POSTGRES_PORT: '25432',
      TRIBUTARY_REDIS_PORT: '26379',
      TRIBUTARY_PROMETHEUS_PORT: '29090',
      TRIBUTARY_GRAFANA_PORT: '23000',
    }).services;
    const ports = (s: ComposeService) => s.ports.map((p) => `${p.host_ip}:${p.published}:${p.target}`);
    expect(ports(moved.lb!)).toEqual(['0.0.0.0:8000:8080']);
    expect(ports(moved.postgres!)).toEqual(['0.0.0.0:25432:5432']);
    expect(ports(moved.redis!)).toEqual(['0.0.0.0:26379:6379']);
    expect(ports(moved.prometheus!)).toEqual(['0.0.0.0:29090:9090']);
    expect(ports(moved.grafana!)).toEqual(['0.0.0.0:23000:3000']);
  });

  it('refuses to render without the JWT secrets, naming the variable', () => {
    expect(() => renderCompose(COMPOSE_FILE, { INTERNAL_JWT_SECRET: SECRETS.INTERNAL_JWT_SECRET })).toThrow(/GATEWAY_JWT_SECRET/);
    expect(() => renderCompose(COMPOSE_FILE, { GATEWAY_JWT_SECRET: SECRETS.GATEWAY_JWT_SECRET })).toThrow(/INTERNAL_JWT_SECRET/);
  });

  it('runs in production, points the subgraphs at the postgres service and each gateway at every subgraph', () => {
    const pg = services.postgres!.environment;
    const sub = services.subgraphs!.environment;
    expect(sub.DATABASE_URL).toBe(`postgres://${pg.POSTGRES_USER}:${pg.POSTGRES_PASSWORD}@postgres:5432/${pg.POSTGRES_DB}`);
    expect(sub.REDIS_URL).toBe('redis://redis:6379');
    expect(sub.NODE_ENV).toBe('production');
    expect(sub.HOST).toBe('0.0.0.0');
    expect(sub.HEALTHCHECK_URLS!.split(',')).toEqual(SUBGRAPHS.map((s) => `http://127.0.0.1:${s.defaultPort}/healthz`));
    // The Chinook script shipped in the repository, at its place in the image (WORKDIR /app).
    expect(read('Dockerfile')).toMatch(/^WORKDIR \/app$/m);
    expect(sub.CHINOOK_SQL).toBe('/app/packages/database/data/chinook/chinook.sql');
    expect(existsSync(path.join(REPO_ROOT, 'packages/database/data/chinook/chinook.sql'))).toBe(true);
    for (const gateway of gateways) {
      const env = services[gateway]!.environment;
      expect(env.NODE_ENV).toBe('production');
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      expect(env.GATEWAY_JWT_SECRET).toBe(SECRETS.GATEWAY_JWT_SECRET);
      expect(env.INTERNAL_JWT_SECRET).toBe(SECRETS.INTERNAL_JWT_SECRET);
      for (const s of SUBGRAPHS) expect(env[`${s.name.toUpperCase()}_URL`]).toBe(`http://subgraphs:${s.defaultPort}/graphql`);
    }
    expect(sub.INTERNAL_JWT_SECRET).toBe(SECRETS.INTERNAL_JWT_SECRET);
  });

  it("configures Postgres for the subgraph pools, UTC and Docker's small shared memory", () => {
    const settings = Object.fromEntries(services.postgres!.command!.filter((_, i, all) => all[i - 1] === '-c').map((s) => s.split('=') as [string, string]));
    const poolSize = Number(services.subgraphs!.environment.DATABASE_POOL_SIZE);
    // Four pools and the change feed's LISTEN connection, for two replicas of the subgraphs.
    expect(Number(settings.max_connections)).toBeGreaterThanOrEqual(2 * (SUBGRAPHS.length * poolSize + 1));
    expect(settings.timezone).toBe('UTC');
    expect(parse(read('docker-compose.yml')).services.postgres.shm_size).toBe('256mb');
  });

  it('balances over exactly the gateway services, on their port, without exposing /metrics', () => {
    const nginx = read('deploy/nginx/nginx.conf');
    const upstream = [...nginx.matchAll(/^\s*server ([\w-]+):(\d+)\b/gm)].map((m) => `${m[1]}:${m[2]}`);
    expect(upstream).toEqual(gateways.map((g) => `${g}:${services[g]!.environment.GATEWAY_PORT}`));
    expect(nginx).toMatch(new RegExp(`listen ${services.lb!.ports[0]!.target};`));
    expect(nginx).toMatch(/location = \/metrics \{\s*return 404;/);
    // A mutation is never sent to a second gateway.
    expect(nginx).toMatch(/proxy_next_upstream error timeout;/);
    expect(
      nginx
        .split('\n')
        .filter((line) => !line.trim().startsWith('#'))
        .join('\n'),
    ).not.toMatch(/non_idempotent/);
    expect(services.lb!.volumes).toContainEqual({ source: path.join(REPO_ROOT, 'deploy/nginx/nginx.conf'), target: '/etc/nginx/nginx.conf', read_only: true });
  });

  it("has Prometheus scrape every gateway and subgraph, and Grafana load the repository's provisioning", () => {
    const prometheus = parse(read('deploy/prometheus/prometheus.yml'));
    const targets = (job: string) => prometheus.scrape_configs.find((c: { job_name: string }) => c.job_name === job).static_configs.flatMap((c: { targets: string[] }) => c.targets);
    expect(targets('gateway')).toEqual(gateways.map((g) => `${g}:${services[g]!.environment.GATEWAY_PORT}`));
    expect(targets('subgraphs')).toEqual(SUBGRAPHS.map((s) => `subgraphs:${s.defaultPort}`));
    expect(services.prometheus!.volumes).toContainEqual({ source: path.join(REPO_ROOT, 'deploy/prometheus'), target: '/etc/prometheus', read_only: true });
    const provider = parse(read('deploy/grafana/provisioning/dashboards/tributary.yml')).providers[0];
    expect(services.grafana!.volumes).toContainEqual({ source: path.join(REPO_ROOT, 'deploy/grafana/dashboards'), target: provider.options.path, read_only: true });
    expect(services.grafana!.volumes).toContainEqual({ source: path.join(REPO_ROOT, 'deploy/grafana/provisioning'), target: '/etc/grafana/provisioning', read_only: true });
    const datasource = parse(read('deploy/grafana/provisioning/datasources/prometheus.yml')).datasources[0];
    expect(datasource.url).toBe(`http://prometheus:${services.prometheus!.ports[0]!.target}`);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const stages = [...dockerfile.matchAll(/^FROM (\S+)(?: AS (\S+))?$/gm)];

  it('builds in two stages and runs the second as a user that is not root', () => {
    expect(stages.map((m) => m[2])).toEqual(['build', 'runtime']);
    const runtime = dockerfile.slice(stages[1]!.index);
    expect(runtime).toMatch(/^COPY --from=build \/app \/app$/m);
    const user = /^USER (\S+)$/m.exec(runtime)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    // pnpm stays in the build stage.
    expect(runtime).not.toMatch(/pnpm/);
  });

  it('installs the pinned pnpm and production dependencies only, from the lockfile', () => {
    const build = dockerfile.slice(0, stages[1]!.index);
    expect(build).toContain('npm i -g pnpm@12.4.2');
    expect(build).toMatch(/^RUN pnpm install --frozen-lockfile --prod$/m);
    // What the image runs must be a production dependency: tsx runs the TypeScript sources.
    const root = JSON.parse(read('package.json'));
    expect(root.dependencies.tsx).toMatch(/^\d+\.\d+\.\d+$/);
    expect(root.devDependencies?.tsx).toBeUndefined();
  });

  it('copies the manifest of every workspace package before installing', () => {
    const globs: string[] = parse(read('pnpm-workspace.yaml')).packages;
    const manifests = globs
      .flatMap((glob) => (glob.endsWith('/*') ? readdirSync(path.join(REPO_ROOT, glob.slice(0, -2))).map((dir) => `${glob.slice(0, -2)}/${dir}`) : [glob]))
      .filter((dir) => existsSync(path.join(REPO_ROOT, dir, 'package.json')));
    expect(manifests.length).toBe(9);
    for (const dir of manifests) expect(dockerfile).toContain(`COPY ${dir}/package.json ${dir}/`);
  });

  it('has a HEALTHCHECK with the same script that compose uses', () => {
    expect(dockerfile).toMatch(/^HEALTHCHECK .* CMD \["node", "scripts\/healthcheck\.mjs"\]$/m);
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(ignored).toContain('**/node_modules');
    // docs/deployment.md puts the secrets in .env: never in an image layer.
    expect(ignored).toContain('.env');
    for (const needed of ['scripts', 'schema', 'gateway', 'packages', 'subgraphs']) expect(ignored).not.toContain(needed);
  });
});
