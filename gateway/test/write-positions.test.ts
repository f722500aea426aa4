import { describe, expect, it } from 'vitest';
import { createInProcessBus } from '@tributary/cache';
import { createWritePositions, shareWritePositions } from '../src/write-positions.js';

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

  it('shares positions between the gateways on one bus; a failed publish is reported, the local position kept', async () => {
    const bus = createInProcessBus();
    const errors: string[] = [];
    const a = shareWritePositions(createWritePositions(), bus, (error) => errors.push(error.message));
    const b = shareWritePositions(createWritePositions(), bus, (error) => errors.push(error.message));
    a.wrote('employee:3', '0/5000');
    a.wrote('employee:3', 'nonsense');
    await new Promise((r) => setImmediate(r));
    expect(b.of('employee:3')).toBe('0/5000');
    b.close();
    a.wrote('customer:5', '0/6000');
    await new Promise((r) => setImmediate(r));
    expect(b.of('customer:5')).toBeUndefined();
    const failing = { ...bus, publish: async () => Promise.reject(new Error('bus down')) };
    const c = shareWritePositions(createWritePositions(), failing, (error) => errors.push(error.message));
    c.wrote('customer:7', '0/7000');
    await new Promise((r) => setImmediate(r));
    expect(c.of('customer:7')).toBe('0/7000');
    expect(errors).toEqual(['bus down']);
    a.close();
    c.close();
  });
});
