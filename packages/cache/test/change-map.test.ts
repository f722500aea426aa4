import { describe, expect, it } from 'vitest';
import { createChangeMap } from '../src/change-map.js';

const changeMap = createChangeMap({
  'shop.order': { row: { kind: 'entity', type: 'Order', key: 'order_id' }, columns: { note: ['note', 'summary'] } },
  'shop.order_line': {
    row: { kind: 'value', type: 'OrderLine', key: 'line_id' },
    columns: { qty: ['quantity'] },
    derived: [
      { kind: 'parent', type: 'Order', key: 'order_id', fields: ['lines'] },
      { kind: 'lists', coordinates: ['Query.bestSellers'], when: ['qty'], ops: ['UPDATE'] },
    ],
  },
});

describe('createChangeMap: a declaration read as change events', () => {
  it('names every field a changed column backs, once, and nothing for an UPDATE that changed no value', () => {
    expect(changeMap({ table: 'shop.order', op: 'UPDATE', old: { order_id: 1, note: 'a' }, new: { order_id: 1, note: 'b' } })).toEqual([
      { kind: 'update', type: 'Order', id: '1', fields: ['note', 'summary'] },
    ]);
    expect(changeMap({ table: 'shop.order', op: 'UPDATE', old: { order_id: 1, note: 'a' }, new: { order_id: 1, note: 'a' } })).toEqual([]);
  });

  it('reports a value row only through its parent, the parents before and after a move both, and lists only for the operations declared', () => {
    expect(changeMap({ table: 'shop.order_line', op: 'UPDATE', old: { line_id: 7, order_id: 1, qty: 1 }, new: { line_id: 7, order_id: 2, qty: 1 } })).toEqual([
      { kind: 'update', type: 'Order', id: '1', fields: ['lines'] },
      { kind: 'update', type: 'Order', id: '2', fields: ['lines'] },
    ]);
    expect(changeMap({ table: 'shop.order_line', op: 'UPDATE', old: { line_id: 7, order_id: 1, qty: 1 }, new: { line_id: 7, order_id: 1, qty: 3 } })).toEqual([
      { kind: 'update', type: 'Order', id: '1', fields: ['lines'] },
      { kind: 'lists', coordinates: ['Query.bestSellers'] },
    ]);
    expect(changeMap({ table: 'shop.order_line', op: 'DELETE', old: { line_id: 7, order_id: 1, qty: 3 }, new: null })).toEqual([{ kind: 'update', type: 'Order', id: '1', fields: ['lines'] }]);
  });

  it('turns a TRUNCATE into a flush, and refuses a table it has no declaration for, naming those it has', () => {
    expect(changeMap({ table: 'shop.order', op: 'TRUNCATE', old: null, new: null })).toEqual([{ kind: 'flush', reason: 'shop.order truncated' }]);
    expect(() => changeMap({ table: 'shop.refund', op: 'INSERT', old: null, new: { refund_id: 1 } })).toThrow('no change mapping for table "shop.refund"; expected one of shop.order, shop.order_line');
  });
});
