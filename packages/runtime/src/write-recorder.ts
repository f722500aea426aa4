import type {
  AliasNode,
  ColumnNode,
  ColumnUpdateNode,
  DeleteQueryNode,
  InsertQueryNode,
  KyselyPlugin,
  MergeQueryNode,
  OperationNode,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryId,
  QueryResult,
  RootOperationNode,
  TableNode,
  UnknownRow,
  UpdateQueryNode,
} from 'kysely';
import type { LoaderRegistry, RowChange } from './loader-registry.js';

/**
 * A Kysely plugin that tells a request's {@link LoaderRegistry} about every write the request
 * makes, so that no mutation has to remember which loaders to clear: an `INSERT`, `UPDATE`,
 * `DELETE` or `MERGE` (also inside a `WITH`) becomes a `RowChange` of its table once the
 * statement succeeded, with the `RETURNING` rows when it had some (then only their keys are
 * forgotten), else for the whole table. Raw SQL (`sql\`…\`.execute(db)`) that writes names no
 * table Kysely can see: the registry forgets everything.
 *
 * Clearing happens when the statement returns, before a surrounding transaction commits: in a
 * mutation nothing else of the request runs meanwhile (GraphQL runs mutation fields one after
 * the other), and a transaction that rolls back only costs a statement.
 *
 * @example
 * const db = base.withPlugin(createWriteRecorder(registry));
 * await db.insertInto('playlists.playlist_track').values({ playlist_id: 4, track_id: 10 }).returningAll().execute();
 * // registry.changed({ table: 'playlists.playlist_track', rows: [{ playlist_id: 4, track_id: 10 }], assignedColumns: [] })
 */
export function createWriteRecorder(registry: LoaderRegistry): KyselyPlugin {
  const pending = new WeakMap<QueryId, Write[] | 'unknown'>();
  return {
    transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
      const writes = writesOf(node);
      if (writes !== undefined) pending.set(queryId, writes);
      return node;
    },
    async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      const writes = pending.get(queryId);
      if (writes === undefined) return result;
      pending.delete(queryId);
      if (writes === 'unknown') registry.clearAll();
      else for (const { change, keyed } of writes) registry.changed(keyed ? { ...change, rows: result.rows } : change);
      return result;
    },
  };
}

/** One write a statement makes; `keyed`: its `RETURNING` rows (if any) name every changed key. */
interface Write {
  change: RowChange;
  keyed: boolean;
}

/** The writes of a statement: none (`undefined`), some, or `'unknown'` for raw SQL that writes. */
function writesOf(node: RootOperationNode): Write[] | 'unknown' | undefined {
  if (node.kind === 'RawNode') return RAW_WRITE.test(node.sqlFragments.join('?')) ? 'unknown' : undefined;
  const writes: Write[] = [];
  const root = writeOf(node);
  if (root) writes.push({ ...root, keyed: root.keyed && 'returning' in node && node.returning !== undefined });
  const ctes = 'with' in node && node.with ? node.with.expressions : [];
  for (const cte of ctes) {
    const inner = writeOf(cte.expression);
    // A write inside `WITH` returns its rows to the outer query, not to us.
    if (inner) writes.push({ ...inner, keyed: false });
  }
  return writes.length > 0 ? writes : undefined;
}

/** Statements that write, as a raw SQL text shows them. */
const RAW_WRITE = /\b(insert\s+into|update\s+\S+\s+(as\s+\S+\s+)?set|delete\s+from|merge\s+into|truncate)\b/i;

/** The table of one write node and whether its returned rows can name its keys; `undefined` for reads. */
function writeOf(node: OperationNode): Write | undefined {
  switch (node.kind) {
    case 'InsertQueryNode': {
      const { into, onConflict } = node as InsertQueryNode;
      if (!into) return undefined;
      // ON CONFLICT DO UPDATE assigns columns of rows that existed: their old values are unknown.
      const assigned = columnsOf(onConflict?.updates);
      return { change: { table: tableName(into), assignedColumns: assigned ?? [] }, keyed: assigned !== undefined };
    }
    case 'UpdateQueryNode': {
      const { table, updates } = node as UpdateQueryNode;
      if (!table) return undefined;
      const assigned = columnsOf(updates);
      return { change: { table: tableName(table), assignedColumns: assigned ?? [] }, keyed: assigned !== undefined };
    }
    case 'DeleteQueryNode': {
      const from = (node as DeleteQueryNode).from.froms[0];
      return from ? { change: { table: tableName(from) }, keyed: true } : undefined;
    }
    case 'MergeQueryNode':
      // MERGE may insert, update and delete in one statement: the whole table is forgotten.
      return { change: { table: tableName((node as MergeQueryNode).into) }, keyed: false };
    default:
      return undefined;
  }
}

/** `catalog.track` from a table node (aliased or not). */
function tableName(node: OperationNode): string {
  const table = (node.kind === 'AliasNode' ? (node as AliasNode).node : node) as TableNode;
  const schema = table.table.schema?.name;
  return schema ? `${schema}.${table.table.identifier.name}` : table.table.identifier.name;
}

/** Names of the assigned columns; `undefined` when one is not a plain column. */
function columnsOf(updates: ReadonlyArray<ColumnUpdateNode> | undefined): string[] | undefined {
  const names: string[] = [];
  for (const update of updates ?? []) {
    if (update.column.kind !== 'ColumnNode') return undefined;
    names.push((update.column as ColumnNode).column.name);
  }
  return names;
}
