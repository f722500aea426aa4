import type { Database } from '@tributary/database';
import { badUserInput, parseDecimalArgument, parseTextArgument } from '@tributary/runtime';
import type { Kysely, Updateable } from 'kysely';
import type { UpdateTrackInput } from '../generated/resolvers-types.js';
import type { TrackRow } from './rows.js';

/**
 * `updateTrack`: validates every given field first (nothing is written when one is bad), then
 * updates in one statement. `null` when no track has that id.
 *
 * @throws GraphQLError `BAD_USER_INPUT` naming `input.name` (empty, over 200 characters or
 * null), `input.composer` (over 220 characters) or `input.unitPrice` (null, negative, more
 * than two decimals or 8 integer digits).
 */
export async function updateTrack(db: Kysely<Database>, trackId: number, input: UpdateTrackInput): Promise<TrackRow | null> {
  const changes: Updateable<Database['catalog.track']> = {};
  if (input.name !== undefined) {
    if (input.name === null) throw badUserInput('input.name', 'must not be null');
    changes.name = parseTextArgument(input.name, 'input.name', { max: 200, required: true });
  }
  if (input.composer !== undefined) {
    changes.composer = input.composer === null ? null : parseTextArgument(input.composer, 'input.composer', { max: 220 });
  }
  if (input.unitPrice !== undefined) {
    if (input.unitPrice === null) throw badUserInput('input.unitPrice', 'must not be null');
    changes.unit_price = parseDecimalArgument(input.unitPrice, 'input.unitPrice');
  }
  if (Object.keys(changes).length === 0) {
    return (await db.selectFrom('catalog.track').selectAll().where('track_id', '=', trackId).executeTakeFirst()) ?? null;
  }
  const row = await db.updateTable('catalog.track').set(changes).where('track_id', '=', trackId).returningAll().executeTakeFirst();
  return row ?? null;
}
