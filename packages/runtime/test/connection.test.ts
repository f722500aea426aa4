import { encodeCursor, formatDecimal, parseDecimalArgument, parseIdArgument, parsePageRequest, parseTextArgument, toChinookKey, toConnection } from '@tributary/runtime';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';

describe('connections', () => {
  it('defaults first to 20 and starts after key 0', () => {
    expect(parsePageRequest({}, 'Query.artists')).toEqual({ first: 20, afterKey: 0, connection: 'Query.artists' });
    expect(parsePageRequest({ first: 100, after: encodeCursor('Query.artists', 42) }, 'Query.artists')).toEqual({ first: 100, afterKey: 42, connection: 'Query.artists' });
    expect(parsePageRequest({ after: encodeCursor('Customer:5.invoices', 98) }, 'Customer:5.invoices')).toEqual({ first: 20, afterKey: 98, connection: 'Customer:5.invoices' });
  });

  it('makes opaque cursors of the connection and the key', () => {
    expect(encodeCursor('Query.artists', 42)).toBe('UXVlcnkuYXJ0aXN0czo0Mg');
    expect(Buffer.from(encodeCursor('Playlist:3.tracks', 7), 'base64url').toString()).toBe('Playlist:3.tracks:7');
  });

  it('builds edges, nodes and pageInfo from first + 1 rows', async () => {
    const page = parsePageRequest({ first: 2 }, 'Query.albums');
    const connection = toConnection(
      [{ id: 1 }, { id: 2 }, { id: 3 }],
      page,
      (r) => r.id,
      () => 3,
    );
    expect(connection.nodes).toEqual([{ id: 1 }, { id: 2 }]);
    expect(connection.edges).toEqual([
      { cursor: encodeCursor('Query.albums', 1), node: { id: 1 } },
      { cursor: encodeCursor('Query.albums', 2), node: { id: 2 } },
    ]);
    expect(connection.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor('Query.albums', 2) });
    expect(await connection.totalCount()).toBe(3);
    expect(
      toConnection(
        [],
        page,
        () => 0,
        () => 0,
      ).pageInfo,
    ).toEqual({ hasNextPage: false, endCursor: null });
  });
});

describe('connection and id misuse', () => {
  const codeAndMessage = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(GraphQLError);
      return [(error as GraphQLError).extensions.code, (error as GraphQLError).extensions.argumentName, (error as GraphQLError).message];
    }
    throw new Error('expected an error');
  };

  it('refuses first over 100 or negative, naming first', () => {
    expect(codeAndMessage(() => parsePageRequest({ first: 101 }, 'Query.albums'))).toEqual(['BAD_USER_INPUT', 'first', 'Invalid argument "first": must be between 0 and 100, got 101']);
    expect(codeAndMessage(() => parsePageRequest({ first: -1 }, 'Query.albums'))[1]).toBe('first');
  });

  it('refuses a cursor it did not make, naming after', () => {
    expect(codeAndMessage(() => parsePageRequest({ after: 'bm9wZQ' }, 'Query.albums'))).toEqual(['BAD_USER_INPUT', 'after', 'Invalid argument "after": not a cursor of this connection: "bm9wZQ"']);
    // the cursors of the previous format (`k:<key>`) and of unknown shapes
    for (const text of ['k:18', 'Query.albums:0', 'Query.albums:-1', 'Query.albums:01', 'Query.:4', 'Customer:x.invoices:4', 'Query.albums:4\n']) {
      expect(codeAndMessage(() => parsePageRequest({ after: Buffer.from(text).toString('base64url') }, 'Query.albums'))[1]).toBe('after');
    }
  });

  it('refuses a cursor of another connection, naming after and both connections', () => {
    expect(codeAndMessage(() => parsePageRequest({ after: encodeCursor('Query.artists', 5) }, 'Customer:5.invoices'))).toEqual([
      'BAD_USER_INPUT',
      'after',
      'Invalid argument "after": a cursor of Query.artists, not of Customer:5.invoices',
    ]);
    expect(codeAndMessage(() => parsePageRequest({ after: encodeCursor('Customer:5.invoices', 98) }, 'Customer:3.invoices'))[2]).toBe(
      'Invalid argument "after": a cursor of Customer:5.invoices, not of Customer:3.invoices',
    );
  });

  it('accepts only the exact cursor string, and does not echo a huge one back', () => {
    const cursor = encodeCursor('Query.albums', 100);
    expect(parsePageRequest({ after: cursor }, 'Query.albums')).toEqual({ first: 20, afterKey: 100, connection: 'Query.albums' });
    for (const variant of [`${cursor}=`, `${cursor}!!!`, cursor.split('').join(' ')]) {
      expect(codeAndMessage(() => parsePageRequest({ after: variant }, 'Query.albums'))[1]).toBe('after');
    }
    const message = codeAndMessage(() => parsePageRequest({ after: 'x'.repeat(100_000) }, 'Query.albums'))[2] as string;
    expect(message.length).toBeLessThan(120);
  });

  it('checks text arguments as Postgres will store them', () => {
    expect(parseTextArgument('🎸'.repeat(120), 'name', { max: 120, required: true })).toHaveLength(240);
    expect(codeAndMessage(() => parseTextArgument('🎸'.repeat(121), 'name', { max: 120 }))[2]).toBe('Invalid argument "name": must be at most 120 characters, got 121');
    expect(codeAndMessage(() => parseTextArgument('a\u0000b', 'name', { max: 120 }))[2]).toBe('Invalid argument "name": must not contain a NUL character');
    expect(codeAndMessage(() => parseTextArgument('\u200b ', 'name', { max: 120, required: true }))[2]).toBe('Invalid argument "name": must not be empty');
    expect(codeAndMessage(() => parseTextArgument('a\ud800', 'name', { max: 120 }))[2]).toBe('Invalid argument "name": must be well-formed Unicode (it has a lone surrogate)');
    expect(parseTextArgument('', 'composer', { max: 220 })).toBe('');
  });

  it('accepts only positive integer ids that fit INT', () => {
    expect(['1', '3503', '2147483647'].map(toChinookKey)).toEqual([1, 3503, 2147483647]);
    expect(['0', '-1', '01', '1.5', 'abc', '', ' 1', '2147483648'].map(toChinookKey)).toEqual(Array(8).fill(null));
    expect(codeAndMessage(() => parseIdArgument('abc', 'trackId'))).toEqual(['BAD_USER_INPUT', 'trackId', 'Invalid argument "trackId": expected a positive integer id, got "abc"']);
  });

  it('formats and checks money with two decimals', () => {
    expect(['0.99', '1.5', '2', 3.1].map(formatDecimal)).toEqual(['0.99', '1.50', '2.00', '3.10']);
    expect(parseDecimalArgument('1.5', 'input.unitPrice')).toBe('1.50');
    expect(codeAndMessage(() => parseDecimalArgument('1.999', 'input.unitPrice')).slice(0, 2)).toEqual(['BAD_USER_INPUT', 'input.unitPrice']);
    expect(codeAndMessage(() => parseDecimalArgument('-1', 'input.unitPrice')).slice(0, 2)).toEqual(['BAD_USER_INPUT', 'input.unitPrice']);
  });
});
