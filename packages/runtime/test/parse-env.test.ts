import { ConfigError, envBoolean, envEnum, envPort, envUrl, envWholeNumber, parseEnv, parseHostPort } from '@tributary/runtime';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';

const schema = z.object({
  FLAG: envBoolean.optional(),
  PORT: envPort.optional(),
  MODE: envEnum(['off', 'allow', 'only']).optional(),
  SIZE: envWholeNumber({ min: 1, max: 10, unit: 'bytes' }).optional(),
});

describe('parseEnv', () => {
  it.each([
    ['on', true],
    ['true', true],
    ['1', true],
    ['ON', true],
    ['True', true],
    ['off', false],
    ['false', false],
    ['0', false],
    ['OFF', false],
  ])('reads the boolean spelling %o as %o', (raw, value) => {
    expect(parseEnv(schema, { FLAG: raw }).FLAG).toBe(value);
  });

  it('trims values, treats empty ones as absent and ignores variables the schema does not name', () => {
    expect(parseEnv(schema, { FLAG: ' on ', PORT: '  ', MODE: '', OTHER: 'x' })).toEqual({ FLAG: true });
  });

  it('types each value', () => {
    expect(parseEnv(schema, { PORT: '8080', MODE: 'only', SIZE: '10' })).toEqual({ PORT: 8080, MODE: 'only', SIZE: 10 });
  });
});

describe('parseEnv misuse', () => {
  it.each([
    [{ FLAG: 'yes' }, 'FLAG', 'must be on/off, true/false or 1/0, got "yes"'],
    [{ PORT: '0' }, 'PORT', 'must be a port number 1-65535, got "0"'],
    [{ MODE: 'ALLOW' }, 'MODE', 'must be off, allow or only, got "ALLOW"'],
    [{ SIZE: '11' }, 'SIZE', 'must be a whole number of bytes from 1 to 10, got "11"'],
    [{ SIZE: '1.5' }, 'SIZE', 'must be a whole number of bytes from 1 to 10, got "1.5"'],
    [{ PORT: 'x', SIZE: 'y' }, 'PORT', 'must be a port number 1-65535, got "x"'],
  ])('throws a ConfigError naming the variable for %o', (env, variable, problem) => {
    let error: unknown;
    try {
      parseEnv(schema, env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ variable, problem, message: `Invalid configuration: ${variable}: ${problem}` });
  });
});

describe('envUrl and parseHostPort', () => {
  it('takes schemes with a +, literally (redis+cluster)', () => {
    const url = z.object({ URL: envUrl(['redis', 'redis+cluster'], 'a redis:// or redis+cluster:// URL').optional() });
    expect(parseEnv(url, { URL: 'redis+cluster://a:7000,b:7001' }).URL).toBe('redis+cluster://a:7000,b:7001');
    expect(() => parseEnv(url, { URL: 'redisscluster://a:7000' })).toThrow('Invalid configuration: URL: must be a redis:// or redis+cluster:// URL, got "redisscluster://a:7000"');
  });

  it('reads host:port, [ipv6]:port and a host alone (the default port)', () => {
    expect(parseHostPort('cache-1:7000', 6379)).toEqual({ host: 'cache-1', port: 7000 });
    expect(parseHostPort('[::1]:7001', 6379)).toEqual({ host: '::1', port: 7001 });
    expect(parseHostPort('cache-3', 6379)).toEqual({ host: 'cache-3', port: 6379 });
  });

  it.each(['a:0', 'a:65536', 'a:', ':7000', '::1:7000', 'a:b'])('refuses %o', (raw) => {
    expect(() => parseHostPort(raw, 6379)).toThrow(`not a host:port: ${JSON.stringify(raw)}`);
  });
});
