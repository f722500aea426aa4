import { CHINOOK_FIELD_SOURCES } from '@tributary/database';
import { type ChangeMap, createChangeMap } from './change-map.js';

export type { RowChange } from './change-map.js';

/**
 * The change events one Chinook row change means, from the subgraphs' field sources
 * (`CHINOOK_FIELD_SOURCES` of `@tributary/database`; see {@link createChangeMap}).
 *
 * @example
 * changeEventsOf({ table: 'catalog.track', op: 'UPDATE', old: { track_id: 3, unit_price: '0.99', … }, new: { track_id: 3, unit_price: '1.29', … } })
 * // [{ kind: 'update', type: 'Track', id: '3', fields: ['unitPrice'] }]
 * @throws Error for a table that is not Chinook's.
 */
export const changeEventsOf: ChangeMap = createChangeMap(CHINOOK_FIELD_SOURCES);
