/**
 * What changed, as every write reports it (PRODUCT.md, "Cache semantics"):
 * - `update`: fields of one entity changed (`{ type: 'Track', id: '42', fields: ['unitPrice'] }`);
 * - `create` / `delete`: an entity appeared or went (`{ type: 'Playlist', id: '19' }`), which
 *   also changes the lists of its type;
 * - `lists`: list fields whose membership or order changed (`['Query.topTracks']`);
 * - `flush`: anything may have changed (events were lost, the supergraph changed);
 * - `fence`: no change; a marker whose arrival proves that every event published before it
 *   has arrived (read-your-writes after a mutation).
 * `at` is when the change was seen, in ms since the epoch (for the bus-lag metric).
 */
export type ChangeEvent =
  | { kind: 'update'; type: string; id: string; fields: string[]; at?: number }
  | { kind: 'create' | 'delete'; type: string; id: string; at?: number }
  | { kind: 'lists'; coordinates: string[]; at?: number }
  | { kind: 'flush'; reason: string; at?: number }
  | { kind: 'fence'; id: string; at?: number };

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
    case 'flush':
    case 'fence':
      return [];
  }
}

/** Parses an operator's tag (`Track:42.unitPrice`, `Track:42`, `Track`) into an event. */
export function eventFromTag(tag: string): ChangeEvent {
  const field = /^([A-Z]\w*):([^.\s]+)\.(\w+)$/.exec(tag);
  if (field) return { kind: 'update', type: field[1]!, id: field[2]!, fields: [field[3]!] };
  const entity = /^([A-Z]\w*):([^.\s]+)$/.exec(tag);
  if (entity) return { kind: 'delete', type: entity[1]!, id: entity[2]! };
  const type = /^([A-Z]\w*)$/.exec(tag);
  if (type) return { kind: 'lists', coordinates: [`type:${type[1]}`, `any:${type[1]}`] };
  const list = /^([A-Z]\w*)\.(\w+)$/.exec(tag);
  if (list) return { kind: 'lists', coordinates: [tag] };
  throw new Error(`not a cache tag: ${JSON.stringify(tag)}; expected Type:id.field, Type:id, Type or Parent.field`);
}
