import type { Database } from '@tributary/database';
import { badUserInput, parseDecimalArgument } from '@tributary/subgraph-runtime';
import type { Kysely, Updateable } from 'kysely';
import type { UpdateTrackInput } from './generated/resolvers-types.js';
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
    if (input.name === null || input.name.trim() === '') throw badUserInput('input.name', 'must not be empty');
    if (input.name.length > 200) throw badUserInput('input.name', `must be at most 200 characters, got ${input.name.length}`);
    changes.name = input.name;
  }
  if (input.composer !== undefined) {
    if (input.composer !== null && input.composer.length > 220) throw badUserInput('input.composer', `must be at most 220 characters, got ${input.composer.length}`);
    changes.composer = input.composer;
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
