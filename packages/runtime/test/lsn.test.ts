import { isLsn, lsnAtLeast, lsnPosition, maxLsn, minLsn } from '@tributary/runtime';
import { describe, expect, it } from 'vitest';

describe('LSNs (pg_lsn text)', () => {
  it('reads both halves as one 64-bit position', () => {
    expect(lsnPosition('0/3000060')).toBe(0x3000060n);
    expect(lsnPosition('16/B374D848')).toBe((0x16n << 32n) | 0xb374d848n);
    expect(lsnPosition('ffffffff/ffffffff')).toBe(0xffffffffffffffffn);
  });

  it('orders by position, not by text', () => {
    expect(lsnAtLeast('1/0', '0/FFFFFFFF')).toBe(true);
    expect(lsnAtLeast('0/FFFFFFFF', '1/0')).toBe(false);
    expect(lsnAtLeast('0/A0', '0/A0')).toBe(true);
    expect(minLsn('0/10', '0/9')).toBe('0/9');
    expect(maxLsn('0/10', '0/9')).toBe('0/10');
    expect(minLsn(undefined, '0/9')).toBe('0/9');
    expect(maxLsn('0/9', undefined)).toBe('0/9');
  });

  it('refuses what is not an LSN, naming it', () => {
    expect(isLsn('0/3000060')).toBe(true);
    for (const text of ['', '0', '0/', '/1', '0/123456789', 'g/1', ' 0/1', 7]) expect(isLsn(text)).toBe(false);
    expect(() => lsnPosition('0-1')).toThrow('not a Postgres LSN: "0-1"');
  });
});
