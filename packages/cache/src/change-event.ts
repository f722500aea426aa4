/**
 * What changed, as every write reports it (docs/architecture/CACHING_STRATEGY.md, "Change events"):
 * - `update`: fields of one entity changed (`{ type: 'Track', id: '42', fields: ['unitPrice'] }`);
 * - `create` / `delete`: an entity appeared or went (`{ type: 'Playlist', id: '19' }`), which
 *   also changes the lists of its type;
 * - `lists`: list fields whose membership or order changed, as `Parent.field` coordinates
 *   (`['Query.topTracks']`), and nothing else;
 * - `access`: who may read private data changed (a customer's support rep, an invoice's
 *   customer): every private entry goes;
 * - `operator`: an operator's `pnpm cache:invalidate <tag>` (`Track:42.unitPrice`, `Track:42`,
 *   `Track`, `Query.topTracks`), counted as such, not as a write;
 * - `flush`: anything may have changed (events were lost, the supergraph changed);
 * - `fence`: no change; a marker whose arrival proves that every event published before it
 *   has arrived (read-your-writes after a mutation);
 * - `wrote`: no change; a gateway tells the others that principal `subject` (`customer:5`) wrote
 *   at WAL position `position`, so that the principal's reads through any of them skip a replica
 *   that has not replayed it (read-your-writes across gateways, docs/database/READ_REPLICAS.md).
 * `at` is when the change was seen, in ms since the epoch (for the bus-lag metric). `lsn`, when
 * present, is a WAL position of the primary (`hex/hex`) at or after the write's commit: a replica
 * that has replayed up to it shows the change (the change feed stamps it when `DATABASE_READ_URL`
 * is set; see docs/database/READ_REPLICAS.md).
 */
export type ChangeEvent = (
  | { kind: 'update'; type: string; id: string; fields: string[] }
  | { kind: 'create' | 'delete'; type: string; id: string }
  | { kind: 'lists'; coordinates: string[] }
  | { kind: 'access' }
  | { kind: 'operator'; tag: string }
  | { kind: 'flush'; reason: string }
  | { kind: 'fence'; id: string }
  | { kind: 'wrote'; subject: string; position: string }
) & { at?: number; lsn?: string };

/** The tag every entry that read private data carries (see the gateway's fetch tagging). */
export const PRIVATE_TAG = 'private:any';

/**
 * The dependency tags an event invalidates. Entries carry tags `Type:id` (the entity was read),
 * `Type:id.field` (that field of it was read) and `Parent.field` for root and other lists
 * (`Query.tracks`). `listsOfType` maps a type to the root fields that return it or lists of it,
 * so that a create or delete also evicts them.
 *
 * @example
 * tagsOf({ kind: 'update', type: 'Track', id: '3', fields: ['unitPrice'] }, …) // ['Track:3.unitPrice', 'any:Track']
 * tagsOf({ kind: 'create', type: 'Playlist', id: '19' }, t => t === 'Playlist' ? ['Query.playlists', 'Query.playlist'] : [])
 * // ['Playlist:19', 'any:Playlist', 'Query.playlists', 'Query.playlist']
 * (`any:Type` is carried by entries too large for per-field tags.)
 */
export function tagsOf(event: ChangeEvent, listsOfType: (type: string) => readonly string[]): string[] {
  switch (event.kind) {
    case 'update':
      return [...event.fields.map((field) => `${event.type}:${event.id}.${field}`), `any:${event.type}`];
    case 'create':
    case 'delete':
      return [`${event.type}:${event.id}`, `any:${event.type}`, ...listsOfType(event.type)];
    case 'lists':
      return [...event.coordinates];
    case 'access':
      return [PRIVATE_TAG];
    case 'operator':
      return operatorTags(event.tag, listsOfType);
    case 'flush':
    case 'fence':
    case 'wrote':
      return [];
  }
}

const FIELD_TAG = /^([A-Z]\w*):([^.\s]+)\.(\w+)$/;
const ENTITY_TAG = /^([A-Z]\w*):([^.\s]+)$/;
const TYPE_TAG = /^([A-Z]\w*)$/;
const LIST_TAG = /^([A-Z]\w*)\.(\w+)$/;

/**
 * Parses an operator's tag into an `operator` event.
 *
 * @throws Error naming the tag when it is none of `Type:id.field`, `Type:id`, `Type`, `Parent.field`.
 */
export function eventFromTag(tag: string): ChangeEvent {
  if (![FIELD_TAG, ENTITY_TAG, TYPE_TAG, LIST_TAG].some((pattern) => pattern.test(tag))) {
    throw new Error(`not a cache tag: ${JSON.stringify(tag)}; expected Type:id.field, Type:id, Type or Parent.field`);
  }
  return { kind: 'operator', tag };
}

/**
 * What an operator's tag evicts:
 * - `Track:42.unitPrice`: entries that read that field (`Track:42.unitPrice`, `any:Track`);
 * - `Track:42`: entries that read that track at all, and the lists of tracks (as a delete would);
 * - `Track`: entries that read any track (`type:Track`, `any:Track`);
 * - `Query.topTracks`: entries that read that list.
 */
function operatorTags(tag: string, listsOfType: (type: string) => readonly string[]): string[] {
  const field = FIELD_TAG.exec(tag);
  if (field) return [tag, `any:${field[1]}`];
  const entity = ENTITY_TAG.exec(tag);
  if (entity) return [tag, `any:${entity[1]}`, ...listsOfType(entity[1]!)];
  const type = TYPE_TAG.exec(tag);
  if (type) return [`type:${type[1]}`, `any:${type[1]}`];
  return LIST_TAG.test(tag) ? [tag] : [];
}
