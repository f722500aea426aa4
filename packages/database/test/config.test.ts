import { DATABASE_DEFAULTS, readDatabaseConfig } from '@tributary/database';
import { describe, expect, it } from 'vitest';

describe('readDatabaseConfig', () => {
  it('defaults to the embedded database with the documented pool settings', () => {
    expect(readDatabaseConfig({})).toEqual({
      url: undefined,
      embeddedDataDir: undefined,
      poolSize: 10,
      connectTimeoutMs: 5_000,
      statementTimeoutMs: 10_000,
      slowStatementMs: 200,
    });
    expect(DATABASE_DEFAULTS).toEqual({ poolSize: 10, connectTimeoutMs: 5_000, statementTimeoutMs: 10_000, slowStatementMs: 200 });
  });

  it('reads every variable', () => {
    expect(
      readDatabaseConfig({
        DATABASE_URL: 'postgres://u@db:5432/chinook',
        PGLITE_DATA_DIR: '/tmp/x',
        DATABASE_POOL_SIZE: '4',
        DATABASE_CONNECT_TIMEOUT_MS: '100',
        DATABASE_STATEMENT_TIMEOUT_MS: '200',
        DATABASE_SLOW_STATEMENT_MS: '5',
      }),
    ).toEqual({ url: 'postgres://u@db:5432/chinook', embeddedDataDir: '/tmp/x', poolSize: 4, connectTimeoutMs: 100, statementTimeoutMs: 200, slowStatementMs: 5 });
  });

  it('reads DATABASE_DIRECT_URL (for LISTEN, past a transaction pooler) only beside DATABASE_URL', () => {
    const pooled = 'postgres://u@pgbouncer:6432/chinook';
    const direct = 'postgres://u@db:5432/chinook';
    expect(readDatabaseConfig({ DATABASE_URL: pooled, DATABASE_DIRECT_URL: direct })).toMatchObject({ url: pooled, directUrl: direct });
    expect(readDatabaseConfig({ DATABASE_DIRECT_URL: direct }).directUrl).toBeUndefined();
  });

  it('treats an empty variable as absent', () => {
    expect(readDatabaseConfig({ DATABASE_URL: '', DATABASE_POOL_SIZE: '' }).url).toBeUndefined();
  });
});

describe('readDatabaseConfig misuse', () => {
  it.each([
    [{ DATABASE_URL: 'mysql://x' }, 'Invalid configuration: DATABASE_URL: must be a postgres:// or postgresql:// URL, got "mysql://x"'],
    [{ DATABASE_DIRECT_URL: 'db:5432' }, 'Invalid configuration: DATABASE_DIRECT_URL: must be a postgres:// or postgresql:// URL, got "db:5432"'],
    [{ DATABASE_POOL_SIZE: 'ten' }, 'Invalid configuration: DATABASE_POOL_SIZE: must be a whole number from 1 to 1000, got "ten"'],
    [{ DATABASE_STATEMENT_TIMEOUT_MS: '99999999999' }, 'Invalid configuration: DATABASE_STATEMENT_TIMEOUT_MS: must be a whole number of ms from 1 to 2147483647, got "99999999999"'],
    [{ DATABASE_POOL_SIZE: '99999999999999999999' }, 'Invalid configuration: DATABASE_POOL_SIZE: must be a whole number from 1 to 1000, got "99999999999999999999"'],
    [{ DATABASE_STATEMENT_TIMEOUT_MS: '0' }, 'Invalid configuration: DATABASE_STATEMENT_TIMEOUT_MS: must be a whole number of ms from 1 to 2147483647, got "0"'],
  ])('fails with one line naming the variable for %o', (env, message) => {
    expect(() => readDatabaseConfig(env)).toThrow(message);
  });
});
