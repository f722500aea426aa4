import { describe, expect, it } from 'vitest';
import { createWritePositions } from '../src/write-positions.js';

describe('write positions (read-your-writes over replicas)', () => {
  it("keeps each principal's highest write position, ignoring what is not an LSN", () => {
    const positions = createWritePositions();
    positions.wrote('employee:3', '0/5000');
    positions.wrote('employee:3', '0/4000');
    positions.wrote('employee:3', 'nonsense');
    positions.wrote('customer:5', null);
    expect(positions.of('employee:3')).toBe('0/5000');
    expect(positions.of('customer:5')).toBeUndefined();
  });

  it('forgets the least recent writer beyond its bound', () => {
    const positions = createWritePositions(2);
    positions.wrote('a', '0/1');
    positions.wrote('b', '0/2');
    positions.wrote('a', '0/3');
    positions.wrote('c', '0/4');
    expect([positions.of('a'), positions.of('b'), positions.of('c')]).toEqual(['0/3', undefined, '0/4']);
  });
});
