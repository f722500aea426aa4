import { describe, expect, it } from 'vitest';
import { CHINOOK_FIELD_SOURCES } from '@tributary/database';
import { createChangeMap } from '../src/change-map.js';

// The Chinook change map, from the subgraphs' field sources (packages/database/src/field-sources).
const changeEventsOf = createChangeMap(CHINOOK_FIELD_SOURCES);

const employee = { employee_id: 8, first_name: 'Laura', last_name: 'Callahan', title: 'IT Staff', reports_to: 6, hire_date: '2004-03-04' };
const customer = { customer_id: 6, first_name: 'Helena', last_name: 'Holý', country: 'Czech Republic', support_rep_id: 5 };

describe('changeEventsOf: the lists and access that a row change touches', () => {
  it('a renamed track, album or artist may enter or leave any search', () => {
    expect(changeEventsOf({ table: 'catalog.track', op: 'UPDATE', old: { track_id: 3, name: 'A' }, new: { track_id: 3, name: 'B' } })).toEqual([
      { kind: 'update', type: 'Track', id: '3', fields: ['name'] },
      { kind: 'lists', coordinates: ['Query.search'] },
    ]);
    expect(changeEventsOf({ table: 'catalog.album', op: 'UPDATE', old: { album_id: 1, title: 'A', artist_id: 1 }, new: { album_id: 1, title: 'B', artist_id: 1 } })).toContainEqual({
      kind: 'lists',
      coordinates: ['Query.search'],
    });
    expect(changeEventsOf({ table: 'catalog.artist', op: 'UPDATE', old: { artist_id: 1, name: 'A' }, new: { artist_id: 1, name: 'B' } })).toContainEqual({
      kind: 'lists',
      coordinates: ['Query.artists', 'Query.search'],
    });
    // A price is not searched: no list event.
    expect(changeEventsOf({ table: 'catalog.track', op: 'UPDATE', old: { track_id: 3, unit_price: '0.99' }, new: { track_id: 3, unit_price: '1.99' } })).toEqual([
      { kind: 'update', type: 'Track', id: '3', fields: ['unitPrice'] },
    ]);
  });

  it("a customer's new first name or an employee's new name may enter or leave any people list; a hire date changes yearsOfService", () => {
    expect(changeEventsOf({ table: 'customers.customer', op: 'UPDATE', old: customer, new: { ...customer, first_name: 'Peacock' } })).toEqual([
      { kind: 'update', type: 'Customer', id: '6', fields: ['firstName'] },
      { kind: 'lists', coordinates: ['Query.people'] },
    ]);
    // A customer's last name is never matched (private): no list event.
    expect(changeEventsOf({ table: 'customers.customer', op: 'UPDATE', old: customer, new: { ...customer, last_name: 'Peacock' } })).toEqual([
      { kind: 'update', type: 'Customer', id: '6', fields: ['lastName'] },
    ]);
    expect(changeEventsOf({ table: 'customers.employee', op: 'UPDATE', old: employee, new: { ...employee, first_name: 'Laurie' } })).toContainEqual({ kind: 'lists', coordinates: ['Query.people'] });
    expect(changeEventsOf({ table: 'customers.employee', op: 'UPDATE', old: employee, new: { ...employee, hire_date: '2005-01-01' } })).toEqual([
      { kind: 'update', type: 'Employee', id: '8', fields: ['yearsOfService'] },
    ]);
  });

  it("evicts every private entry when an employee's access may have narrowed: title change, key change, delete", () => {
    const privateAny = { kind: 'access' };
    expect(changeEventsOf({ table: 'customers.employee', op: 'UPDATE', old: employee, new: { ...employee, title: 'IT Manager' } })).toContainEqual(privateAny);
    expect(changeEventsOf({ table: 'customers.employee', op: 'UPDATE', old: employee, new: { ...employee, employee_id: 9 } })).toContainEqual(privateAny);
    expect(changeEventsOf({ table: 'customers.employee', op: 'DELETE', old: employee, new: null })).toContainEqual(privateAny);
    expect(changeEventsOf({ table: 'customers.employee', op: 'INSERT', old: null, new: employee })).not.toContainEqual(privateAny);
  });
});
