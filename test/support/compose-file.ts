import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** A published port of a service, as `docker compose config` renders it. */
export interface PublishedPort {
  host_ip?: string;
  published: number;
  target: number;
}

/** One service of a rendered compose file, reduced to what the tests check. */
export interface ComposeService {
  image?: string;
  /** `context` is an absolute path. */
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment: Record<string, string>;
  ports: PublishedPort[];
  healthcheck?: { test: string[]; disable?: boolean };
  /** Service name → condition (`service_healthy`…). */
  depends_on: Record<string, string>;
  volumes: Array<{ source?: string; target: string; read_only?: boolean }>;
}

/** A rendered compose file and how it was rendered. */
export interface RenderedCompose {
  /** `docker compose config` when the Docker CLI has the compose plugin, else this module's YAML reading. */
  renderer: 'docker compose config' | 'yaml';
  services: Record<string, ComposeService>;
}

/** Whether `docker compose` (the v2 plugin) answers here. */
export function dockerComposeAvailable(): boolean {
  composeAvailable ??= spawnSync('docker', ['compose', 'version'], { encoding: 'utf8', timeout: 10_000 }).status === 0;
  return composeAvailable;
}
let composeAvailable: boolean | undefined;

/**
 * Renders `file` as `docker compose config` would, with `env` as the only variables: with the
 * Docker CLI when it has the compose plugin, else by reading the YAML here (merge keys,
 * `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`, `$$`; short port syntax).
 * Either way the result has the same shape, so one set of assertions covers both.
 *
 * @throws Error naming the variable when a required one (`${VAR:?…}`) is missing.
 */
export function renderCompose(file: string, env: Record<string, string>): RenderedCompose {
  if (dockerComposeAvailable()) {
    const result = spawnSync('docker', ['compose', '-f', file, 'config', '--format', 'json', '--no-path-resolution'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      timeout: 30_000,
    });
    if (result.status !== 0) throw new Error(result.stderr.trim());
    return { renderer: 'docker compose config', services: normalise(JSON.parse(result.stdout).services, path.dirname(file)) };
  }
  const raw = parse(readFileSync(file, 'utf8'), { merge: true }) as { services: Record<string, any> };
  return { renderer: 'yaml', services: normalise(interpolate(raw.services, env) as Record<string, any>, path.dirname(file)) };
}

/** Compose's variable interpolation over every string of `value`. */
function interpolate(value: unknown, env: Record<string, string>): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])((?:[^{}]|\{[^{}]*\})*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (match, name, colon, op, arg, bare) => {
      if (match === '$$') return '$';
      if (bare) return env[bare] ?? '';
      const current = env[name];
      const missing = current === undefined || (colon === ':' && current === '');
      if (!op) return current ?? '';
      if (op === '-') return missing ? String(interpolate(arg, env)) : current!;
      if (missing) throw new Error(`required variable ${name} is missing a value: ${arg}`);
      return current!;
    });
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, env));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env)]));
  return value;
}

function normalise(services: Record<string, any>, projectDir: string): Record<string, ComposeService> {
  return Object.fromEntries(
    Object.entries(services).map(([name, s]) => {
      const build =
        s.build === undefined ? undefined : typeof s.build === 'string' ? { context: s.build, dockerfile: 'Dockerfile' } : { context: s.build.context, dockerfile: s.build.dockerfile ?? 'Dockerfile' };
      if (build) build.context = path.resolve(projectDir, build.context);
      const environment = Array.isArray(s.environment)
        ? Object.fromEntries((s.environment as string[]).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]))
        : Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, v === null ? '' : String(v)]));
      const depends = Array.isArray(s.depends_on)
        ? Object.fromEntries((s.depends_on as string[]).map((d) => [d, 'service_started']))
        : Object.fromEntries(Object.entries(s.depends_on ?? {}).map(([d, v]) => [d, (v as { condition?: string }).condition ?? 'service_started']));
      const service: ComposeService = {
        image: s.image,
        build,
        command: typeof s.command === 'string' ? s.command.split(' ') : s.command,
        environment,
        ports: (s.ports ?? []).map(portOf),
        healthcheck: s.healthcheck,
        depends_on: depends,
        volumes: (s.volumes ?? []).map((v: any) =>
          typeof v === 'string'
            ? volumeOf(v, projectDir)
            : { source: v.source && /^[./]/.test(v.source) ? path.resolve(projectDir, v.source) : v.source, target: v.target, read_only: v.read_only || undefined },
        ),
      };
      return [name, service];
    }),
  );
}

/** `"127.0.0.1:14000:8080"`, `"14000:8080"` or compose's long form → {@link PublishedPort}. */
function portOf(port: string | { host_ip?: string; published?: string | number; target: number }): PublishedPort {
  if (typeof port === 'object') return { host_ip: port.host_ip, published: Number(port.published), target: Number(port.target) };
  const parts = port.split(':');
  const target = Number(parts.pop());
  const published = Number(parts.pop());
  return { host_ip: parts.pop(), published, target };
}

function volumeOf(volume: string, projectDir: string): { source?: string; target: string; read_only?: boolean } {
  const [source, target, mode] = volume.split(':');
  return { source: /^[./]/.test(source!) ? path.resolve(projectDir, source!) : source, target: target!, read_only: mode === 'ro' || undefined };
}
