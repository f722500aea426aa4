import { z } from 'zod';

/**
 * Zod schemas for one environment variable each: the raw value is a trimmed, non-empty string
 * (see `parseEnv`), the result is typed, and a bad value is one issue whose message says what
 * was expected and what came (`must be a port number 1-65535, got "http"`). Every service's
 * schema is built from these, so that each kind of value is accepted in one way everywhere.
 */

/** A schema from a function that returns the value or throws an Error saying what is wrong. */
export function envValue<T>(parse: (raw: string) => T) {
  return z.string().transform((raw, ctx): T => {
    try {
      return parse(raw);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });
}

const quoted = (raw: string) => JSON.stringify(raw);

/** Spellings of a boolean, whatever the case: `on`/`true`/`1` and `off`/`false`/`0`. */
export const BOOLEAN_SPELLINGS = { true: ['on', 'true', '1'], false: ['off', 'false', '0'] } as const;

/**
 * A boolean: `on`, `true` or `1` is true; `off`, `false` or `0` is false (any case). Every
 * boolean variable takes all six spellings.
 */
export const envBoolean = envValue((raw) => {
  const value = raw.toLowerCase();
  if ((BOOLEAN_SPELLINGS.true as readonly string[]).includes(value)) return true;
  if ((BOOLEAN_SPELLINGS.false as readonly string[]).includes(value)) return false;
  throw new Error(`must be on/off, true/false or 1/0, got ${quoted(raw)}`);
});

/** A TCP port, 1 to 65535. */
export const envPort = envValue((raw) => {
  if (!/^\d{1,5}$/.test(raw) || Number(raw) < 1 || Number(raw) > 65_535) throw new Error(`must be a port number 1-65535, got ${quoted(raw)}`);
  return Number(raw);
});

/** Largest timeout Node's timers take, in ms (about 24.8 days). */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * A whole number from `min` to `max` (decimal digits only), in `unit` when given (`ms`,
 * `seconds`, `bytes`: named in the error).
 *
 * @example envWholeNumber({ min: 1, max: MAX_TIMER_MS, unit: 'ms' }) refuses "0" with
 * `must be a whole number of ms from 1 to 2147483647, got "0"`.
 */
export function envWholeNumber({ min, max, unit }: { min: number; max: number; unit?: string }) {
  return envValue((raw) => {
    if (!/^\d{1,16}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      throw new Error(`must be a whole number${unit ? ` of ${unit}` : ''} from ${min} to ${max}, got ${quoted(raw)}`);
    }
    return Number(raw);
  });
}

/** One of `values`. */
export function envEnum<const T extends string>(values: readonly T[]) {
  return envValue((raw): T => {
    if ((values as readonly string[]).includes(raw)) return raw as T;
    throw new Error(`must be ${values.slice(0, -1).join(', ')} or ${values.at(-1)}, got ${quoted(raw)}`);
  });
}

/** A URL whose scheme is one of `schemes` (`['http', 'https']`, `'redis+cluster'`), with no spaces. */
export function envUrl(schemes: readonly string[], description: string) {
  const pattern = new RegExp(`^(${schemes.map((scheme) => scheme.replace(/[.+]/g, '\\$&')).join('|')})://\\S+$`);
  return envValue((raw) => {
    if (!pattern.test(raw)) throw new Error(`must be ${description}, got ${quoted(raw)}`);
    return raw;
  });
}

/** An http(s) URL. */
export const envHttpUrl = envUrl(['http', 'https'], 'an http(s) URL');

/** Any non-empty text (a path, a prefix, a secret checked elsewhere). */
export const envText = z.string();

/** A network address `host:port` (or `[ipv6]:port`): host and port. */
export interface HostPort {
  host: string;
  port: number;
}

/**
 * Reads `host:port` (`[ipv6]:port` for IPv6; a port left out is `defaultPort`).
 *
 * @example parseHostPort('[::1]:7001', 6379) // { host: '::1', port: 7001 }
 * @throws Error `not a host:port: "<raw>"` when the host is empty or the port is not 1 to 65535.
 */
export function parseHostPort(raw: string, defaultPort: number): HostPort {
  const match = /^(\[[^\]]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(raw);
  const port = match?.[2] === undefined ? defaultPort : Number(match[2]);
  if (!match || port < 1 || port > 65_535) throw new Error(`not a host:port: ${quoted(raw)}`);
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
}

/** A comma-separated list of non-empty items, each checked by `item` (which throws what is wrong). */
export function envList<T>(item: (raw: string) => T) {
  return envValue((raw) =>
    raw
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .map(item),
  );
}
