import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { INTERNED_REPRESENTATION_KEYS, MAX_INLINE_REPRESENTATION_CHARS, representationKey, representationKeys } from '../src/cache/entity-key.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('representationKeys interning (breakhot)', () => {
  it('does not keep ids whose key is hashed anyway: 4,000 ids of 16 KiB must not stay on the heap', () => {
    // A key longer than MAX_INLINE_REPRESENTATION_CHARS is a SHA-256: interning it keeps the whole
    // id (up to the body limit each, 2 x 20,000 of them) for a 64-hex key. 4,000 x 16 KiB = 64 MiB.
    const before = heapAfterGc();
    for (let i = 0; i < 4_000; i++) {
      const id = `${i}:`.padEnd(16_384, 'x');
      const keys = representationKeys('retain', { __typename: 'Track', id });
      if (i === 0) expect(keys.key).toBe(representationKey('retain', { __typename: 'Track', id }));
    }
    const grown = heapAfterGc() - before;
    expect(grown).toBeLessThan(16 * 1024 * 1024);
    expect(INTERNED_REPRESENTATION_KEYS).toBeGreaterThan(4_000);
    expect(MAX_INLINE_REPRESENTATION_CHARS).toBeLessThan(16_384);
  });
});
