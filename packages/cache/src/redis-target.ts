import { ConfigError, type HostPort, parseHostPort } from '@tributary/runtime';

/** One Redis Cluster seed node. */
export type ClusterSeed = HostPort;

/**
 * What a Redis URL names: one server (`redis://`, `rediss://`, handed to ioredis as it is), or a
 * cluster (`redis+cluster://` / `rediss+cluster://`, seeds separated by commas).
 */
export type RedisTarget = { kind: 'single'; url: string } | { kind: 'cluster'; seeds: ClusterSeed[]; username?: string; password?: string; tls: boolean };

const CLUSTER_URL = /^(rediss?)\+cluster:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#]+)\/?$/;

/**
 * Reads a Redis URL:
 * - `redis://[user:pass@]host:port[/db]` or `rediss://…`: one server;
 * - `redis+cluster://[user:pass@]host:port,host:port,…` (or `rediss+cluster://`, TLS): a Redis
 *   Cluster reached through any of these seeds (ioredis discovers the rest with `CLUSTER SLOTS`).
 *   A port left out is 6379. User and password (URL-encoded) apply to every node.
 *
 * @throws Error (message without the variable's name) when the URL is neither.
 */
export function parseRedisTarget(url: string): RedisTarget {
  if (/^rediss?:\/\/\S+$/.test(url)) return { kind: 'single', url };
  const match = CLUSTER_URL.exec(url);
  if (!match) throw new Error('must be a redis://, rediss://, redis+cluster:// or rediss+cluster:// URL');
  const [, scheme, user, pass, hosts] = match;
  return {
    kind: 'cluster',
    seeds: parseSeeds(hosts!),
    username: user ? decodeURIComponent(user) : undefined,
    password: pass ? decodeURIComponent(pass) : undefined,
    tls: scheme === 'rediss',
  };
}

/**
 * `host:port,host:port` (a port left out is 6379; IPv6 hosts in brackets).
 *
 * @throws Error when a seed is empty or its port is not a number from 1 to 65535.
 */
export function parseSeeds(list: string): ClusterSeed[] {
  const seeds = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((seed) => parseHostPort(seed, 6379));
  if (seeds.length === 0) throw new Error('names no node');
  return seeds;
}

/**
 * The Redis URL the environment names: `REDIS_URL`, or, when `REDIS_CLUSTER_NODES`
 * (`host:port,host:port`) is set, a cluster over those seeds (`redis+cluster://…`, with the user,
 * password and TLS of a `REDIS_URL` that names a cluster or a server, if one is set too).
 * Undefined when neither is set. The service schemas (`COMMON_ENV_FIELDS` in `@tributary/runtime`)
 * check both variables' form at start; this reads them together.
 *
 * @throws ConfigError naming the variable when either is malformed.
 */
export function redisUrlFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const url = env.REDIS_URL?.trim() || undefined;
  const nodes = env.REDIS_CLUSTER_NODES?.trim() || undefined;
  if (url) {
    try {
      parseRedisTarget(url);
    } catch (error) {
      throw new ConfigError('REDIS_URL', `${(error as Error).message}, got ${JSON.stringify(url)}`);
    }
  }
  if (!nodes) return url;
  try {
    parseSeeds(nodes);
  } catch (error) {
    throw new ConfigError('REDIS_CLUSTER_NODES', (error as Error).message);
  }
  let auth = '';
  let scheme = 'redis';
  if (url) {
    const target = parseRedisTarget(url);
    const parsed = target.kind === 'single' ? new URL(url) : undefined;
    const username = target.kind === 'cluster' ? target.username : decodeURIComponent(parsed!.username);
    const password = target.kind === 'cluster' ? target.password : decodeURIComponent(parsed!.password);
    if (target.kind === 'cluster' ? target.tls : parsed!.protocol === 'rediss:') scheme = 'rediss';
    if (username || password) auth = `${encodeURIComponent(username ?? '')}${password ? `:${encodeURIComponent(password)}` : ''}@`;
  }
  return `${scheme}+cluster://${auth}${nodes.replace(/\s+/g, '')}`;
}
