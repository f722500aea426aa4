import { describe, expect, it } from 'vitest';
import { createHitPlans } from '../src/cache/hit-plans.js';
import type { KeyParams } from '../src/cache/use-response-cache.js';

describe('createHitPlans', () => {
  const setup = (options: { maxEntries?: number; maxTextLength?: number } = {}) => {
    let version = 'v1';
    const decided: string[] = [];
    const plans = createHitPlans({
      ...options,
      keyOf: (params) => `${version}:${params.documentHash}`,
      version: () => version,
      decide: (text) => {
        decided.push(text);
        if (text === 'throws') throw new SyntaxError('not JSON');
        if (text === 'none') return undefined;
        return { documentHash: text } satisfies KeyParams;
      },
    });
    return { plans, decided, setVersion: (v: string) => (version = v) };
  };

  it('decides a text once, and makes its key again when the supergraph version changes', () => {
    const { plans, decided, setVersion } = setup();
    expect(plans('a')).toEqual({ params: { documentHash: 'a' }, publicKey: 'public:v1:a', version: 'v1' });
    expect(plans('a')?.publicKey).toBe('public:v1:a');
    expect(decided).toEqual(['a']);
    setVersion('v2');
    expect(plans('a')?.publicKey).toBe('public:v2:a');
    expect(decided).toEqual(['a']); // the parameters are the text's; only the key follows the version
  });

  it('remembers what is not answerable (nothing decided, or decide threw) as undefined', () => {
    const { plans, decided } = setup();
    expect(plans('none')).toBeUndefined();
    expect(plans('throws')).toBeUndefined();
    expect(plans('none')).toBeUndefined();
    expect(plans('throws')).toBeUndefined();
    expect(decided).toEqual(['none', 'throws']);
  });

  it('is bounded: long texts are decided every time, and past maxEntries all are forgotten', () => {
    const { plans, decided } = setup({ maxEntries: 2, maxTextLength: 3 });
    plans('long');
    plans('long');
    expect(decided).toEqual(['long', 'long']);
    plans('a');
    plans('b');
    plans('c'); // the memo was full: forgotten, then c remembered
    plans('c');
    plans('a');
    expect(decided).toEqual(['long', 'long', 'a', 'b', 'c', 'a']);
  });
});
