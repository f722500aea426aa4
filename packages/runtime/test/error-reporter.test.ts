import { DEFAULT_ERROR_LOG_INTERVAL_MS, MAX_ERROR_CAUSES, createErrorReporter, databaseFailure } from '@tributary/runtime';
import { GraphQLError } from 'graphql';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';

function reporterWithClock() {
  let time = 0;
  const lines: Array<[Record<string, unknown>, string]> = [];
  const registry = new Registry();
  const reporter = createErrorReporter({ logger: { warn: (obj, msg) => void lines.push([obj as Record<string, unknown>, msg]) }, registry, now: () => time });
  return { reporter, lines, registry, advance: (ms: number) => (time += ms) };
}

describe('the error reporter', () => {
  it('pins its defaults: one line per cause per 10 s, 200 causes remembered', () => {
    expect(DEFAULT_ERROR_LOG_INTERVAL_MS).toBe(10_000);
    expect(MAX_ERROR_CAUSES).toBe(200);
  });

  it('logs a cause once per interval, the next line carrying the count since the last', async () => {
    const { reporter, lines, registry, advance } = reporterWithClock();
    for (let i = 0; i < 1_000; i++) reporter.report('SUBGRAPH_UNAVAILABLE', 'Subgraph "sales" is unavailable: connection refused');
    advance(9_999);
    reporter.report('SUBGRAPH_UNAVAILABLE', 'Subgraph "sales" is unavailable: connection refused');
    advance(1);
    reporter.report('SUBGRAPH_UNAVAILABLE', 'Subgraph "sales" is unavailable: connection refused');
    expect(lines).toEqual([
      [{ code: 'SUBGRAPH_UNAVAILABLE', count: 1 }, 'Subgraph "sales" is unavailable: connection refused'],
      [{ code: 'SUBGRAPH_UNAVAILABLE', count: 1_001 }, 'Subgraph "sales" is unavailable: connection refused'],
    ]);
    expect((await registry.getSingleMetric('tributary_errors_total')!.get()).values).toEqual([{ labels: { code: 'SUBGRAPH_UNAVAILABLE' }, value: 1_002 }]);
  });

  it('keeps causes apart, and the stack only when given', () => {
    const { reporter, lines } = reporterWithClock();
    reporter.report('SUBGRAPH_UNAVAILABLE', 'Subgraph "sales" is unavailable: connection refused');
    reporter.report('SUBGRAPH_UNAVAILABLE', 'Subgraph "catalog" is unavailable: connection refused');
    reporter.report('INTERNAL_SERVER_ERROR', 'x is not a function', 'TypeError: x is not a function\n    at y');
    expect(lines.map(([obj, msg]) => [obj.code, obj.stack, msg])).toEqual([
      ['SUBGRAPH_UNAVAILABLE', undefined, 'Subgraph "sales" is unavailable: connection refused'],
      ['SUBGRAPH_UNAVAILABLE', undefined, 'Subgraph "catalog" is unavailable: connection refused'],
      ['INTERNAL_SERVER_ERROR', 'TypeError: x is not a function\n    at y', 'x is not a function'],
    ]);
  });

  it('remembers at most MAX_ERROR_CAUSES causes: errors with ever-new messages share one line', () => {
    const { reporter, lines } = reporterWithClock();
    for (let i = 0; i < 5_000; i++) reporter.report('INTERNAL_SERVER_ERROR', `row ${i} failed`);
    expect(lines).toHaveLength(MAX_ERROR_CAUSES + 1);
    expect(lines.at(-1)![1]).toBe(`row ${MAX_ERROR_CAUSES} failed (and other causes)`);
  });
});

describe('database failures', () => {
  const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

  it.each([
    [pgError('57014', 'canceling statement due to statement timeout'), 'statement timed out or was cancelled'],
    [pgError('57014', 'canceling statement due to user request'), 'statement timed out or was cancelled'],
    [pgError('08006', 'connection failure'), 'connection to the database failed'],
    [pgError('57P01', 'terminating connection due to administrator command'), 'database is restarting'],
    [pgError('53300', 'sorry, too many clients already'), 'database is out of resources'],
    [pgError('40001', 'could not serialize access due to concurrent update'), 'transaction conflicted with another; retry'],
    [pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'), 'connection to the database failed'],
    [new Error('timeout exceeded when trying to connect'), 'no database connection free in time'],
    [new Error('Connection terminated unexpectedly'), 'connection to the database was lost'],
    [new GraphQLError('wrapped', { originalError: pgError('57014', 'canceling statement due to statement timeout') }), 'statement timed out or was cancelled'],
  ])('tells %s as "%s"', (error, reason) => {
    expect(databaseFailure(error)).toBe(reason);
  });

  it('leaves other errors alone', () => {
    expect(databaseFailure(pgError('23505', 'duplicate key value violates unique constraint'))).toBeUndefined();
    expect(databaseFailure(new TypeError('x is not a function'))).toBeUndefined();
    expect(databaseFailure(new GraphQLError('Invalid argument "first"', { extensions: { code: 'BAD_USER_INPUT' } }))).toBeUndefined();
  });
});
