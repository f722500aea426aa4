import { envBoolean, envOrDefaults, envWholeNumber, parseEnv } from '@tributary/runtime';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const schema = z.object({ APP_SIZE: envWholeNumber({ min: 1, max: 100, unit: 'bytes' }).optional(), APP_DEBUG: envBoolean.optional() });
const DEFAULTS = { size: 10, debug: false };
const VARIABLES = { size: 'APP_SIZE', debug: 'APP_DEBUG' } as const;

describe('envOrDefaults', () => {
  it('takes every field from its default when no variable is set', () => {
    expect(envOrDefaults(parseEnv(schema, {}), VARIABLES, DEFAULTS)).toEqual({ size: 10, debug: false });
  });

  it('takes each set variable over its default, and keeps the others', () => {
    expect(envOrDefaults(parseEnv(schema, { APP_SIZE: '42' }), VARIABLES, DEFAULTS)).toEqual({ size: 42, debug: false });
    expect(envOrDefaults(parseEnv(schema, { APP_DEBUG: 'on' }), VARIABLES, DEFAULTS)).toEqual({ size: 10, debug: true });
  });

  it('keeps a falsy value that was set (0, off) rather than the default', () => {
    const zero = z.object({ APP_SIZE: envWholeNumber({ min: 0, max: 100 }).optional(), APP_DEBUG: envBoolean.optional() });
    expect(envOrDefaults(parseEnv(zero, { APP_SIZE: '0', APP_DEBUG: 'off' }), VARIABLES, { size: 10, debug: true })).toEqual({ size: 0, debug: false });
  });

  it('returns a new object and leaves the defaults untouched', () => {
    const section = envOrDefaults(parseEnv(schema, { APP_SIZE: '5' }), VARIABLES, DEFAULTS);
    expect(section).not.toBe(DEFAULTS);
    expect(DEFAULTS).toEqual({ size: 10, debug: false });
  });

  it('refuses, at compile time, a variable whose parsed type does not fit its field', () => {
    const env = parseEnv(schema, {});
    // @ts-expect-error APP_DEBUG parses to a boolean, size is a number
    expect(envOrDefaults(env, { size: 'APP_DEBUG', debug: 'APP_DEBUG' }, DEFAULTS)).toEqual(DEFAULTS);
  });
});
