/**
 * Generated from the field sources: for every column a declaration names (a column that backs a
 * field, a parent key, a column a derived rule depends on), an UPDATE in plain SQL on a real
 * Postgres must reach the bus as change events carrying the tag of each field the declaration
 * says it changes, and each of those fields that a client can look up by id, read and cached
 * through the gateway before the write, must miss after it and answer the new value.
 * (Key columns are left out: a new key is a delete and a create, see chinook-changes.test.ts.)
 */
import { type ChangeEvent, PRIVATE_TAG, tagsOf } from '@tributary/cache';
import { CHINOOK_FIELD_SOURCES, type ChinookTableName, type TableSource } from '@tributary/database';
import { type GraphQLField, type GraphQLNamedType, type GraphQLSchema, Kind, buildSchema, getNamedType, isLeafType, isNonNullType, parse } from 'graphql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSupergraph } from '../scripts/lib/compose-supergraph.js';
import { type Stack, startStack, tokenFor } from './support/stack.js';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

type Row = Record<string, unknown>;
type AnySource = TableSource<ChinookTableName>;

/** A field whose value a change of `column` changes, per the declaration: `Track:3503.unitPrice`. */
interface Probe {
  type: string;
  id: string;
  field: string;
}

/** The columns of a table that the declaration names, in declaration order, without the row key. */
function declaredColumns(source: AnySource): string[] {
  const columns = new Set<string>(Object.keys(source.columns ?? {}));
  for (const rule of source.derived ?? []) {
    if (rule.kind === 'parent') columns.add(rule.key);
    for (const column of rule.when ?? []) columns.add(column);
  }
  if (source.row) columns.delete(source.row.key);
  return [...columns];
}

/** What the declaration says an UPDATE of `column` (from `old` to `now`) changes: fields, and lists by coordinate. */
function declaredEffects(source: AnySource, column: string, old: Row, now: Row): { probes: Probe[]; lists: string[] } {
  const probes: Probe[] = [];
  const lists: string[] = [];
  const fields = (source.columns as Record<string, readonly string[] | undefined> | undefined)?.[column] ?? [];
  if (source.row?.kind === 'entity') for (const field of fields) probes.push({ type: source.row.type, id: String(old[source.row.key]), field });
  for (const rule of source.derived ?? []) {
    if (rule.when && !(rule.when as readonly string[]).includes(column)) continue;
    if (rule.kind === 'lists') {
      if (!rule.ops || rule.ops.includes('UPDATE')) lists.push(...rule.coordinates);
      continue;
    }
    if (rule.kind === 'access') {
      // Who may read private data changed: the `access` event evicts every private entry.
      if (!rule.ops || rule.ops.includes('UPDATE')) lists.push(PRIVATE_TAG);
      continue;
    }
    const parents = new Set([old[rule.key], now[rule.key]].filter((k) => k !== null && k !== undefined).map(String));
    for (const id of parents) for (const field of rule.fields) probes.push({ type: rule.type, id, field });
  }
  return { probes, lists };
}

/** Whether `column` backs the probed field itself (not a field derived from it). */
function backs(source: AnySource, column: string, probe: Probe): boolean {
  const fields = (source.columns as Record<string, readonly string[] | undefined> | undefined)?.[column] ?? [];
  return source.row?.kind === 'entity' && probe.type === source.row.type && fields.includes(probe.field);
}

const cases = Object.entries(CHINOOK_FIELD_SOURCES).flatMap(([table, source]) =>
  declaredColumns(source as AnySource).map((column) => ({ name: `${table}.${column}`, table, column, source: source as AnySource })),
);

/** The root field that looks up one `type` by `id` (`Query.track`), if there is one. */
function lookupOf(schema: GraphQLSchema, type: string): string | undefined {
  return Object.values(schema.getQueryType()!.getFields()).find((f) => getNamedType(f.type).name === type && !String(f.type).startsWith('[') && f.args.length === 1 && f.args[0]!.name === 'id')?.name;
}

/** Fields hinted `@cacheControl(maxAge: 0)` in the supergraph (`Employee.yearsOfService`): a response reading one is never cached. */
function neverCached(supergraphSdl: string): Set<string> {
  const coordinates = new Set<string>();
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    for (const field of definition.fields ?? []) {
      const hint = field.directives?.find((d) => d.name.value === 'cacheControl')?.arguments?.find((a) => a.name.value === 'maxAge');
      if (hint?.value.kind === Kind.INT && hint.value.value === '0') coordinates.add(`${definition.name.value}.${field.name.value}`);
    }
  }
  return coordinates;
}

/**
 * A selection of `field` deep enough to see any change of its value: leaves, and objects two
 * levels down, leaving out the never-cached fields below it (they would make the probe uncacheable).
 */
function selectionOf(field: GraphQLField<unknown, unknown>, depth: number): string {
  const type: GraphQLNamedType = getNamedType(field.type);
  if (isLeafType(type) || !('getFields' in type)) return field.name;
  const fields = Object.values(type.getFields()).filter((f) => !uncached.has(`${type.name}.${f.name}`) && f.args.every((a) => !isNonNullType(a.type) || a.defaultValue !== undefined));
  const inner = depth === 0 ? (fields.some((f) => f.name === 'id') ? 'id' : '__typename') : fields.map((f) => selectionOf(f, isLeafType(getNamedType(f.type)) ? 0 : depth - 1)).join(' ');
  return `${field.name} { ${inner} }`;
}

/** An UPDATE expression that changes `column` of type `dataType` (integers are tried from candidates). */
function newValueSql(column: string, dataType: string): string | undefined {
  if (dataType === 'numeric') return `${column} + 1`;
  if (dataType.startsWith('timestamp')) return `coalesce(${column}, '2000-01-01') + interval '1 day'`;
  if (dataType === 'character varying' || dataType === 'text') return `coalesce(${column}, '') || '~'`;
  return undefined;
}

const composed = composeSupergraph();
if (!composed.ok) throw new Error(composed.errors.join('\n'));
const apiSchema = buildSchema(composed.apiSchemaSdl);
const uncached = neverCached(composed.supergraphSdl);

let database: TestDatabase;
let stack: Stack;
let client: pg.Client;
const events: ChangeEvent[] = [];
beforeAll(async () => {
  database = await cloneTemplateDatabase();
  stack = await startStack({ databaseUrl: database.url, gatewayEnv: { CACHE_DEBUG: 'true' } });
  stack.subgraphs.bus.subscribe((event) => void events.push(event));
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await stack?.close();
  await database?.drop();
});

/** Reads a probe through the gateway as a manager (who may read every private field). */
async function read(query: string): Promise<{ body: string; source: string | null }> {
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor('employee:1')}` },
    body: JSON.stringify({ query }),
  });
  return { body: await response.text(), source: response.headers.get('x-tributary-cache') };
}

async function primaryKey(table: string): Promise<string[]> {
  const { rows } = await client.query<{ column: string }>(
    `SELECT a.attname AS column FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY a.attnum`,
    [table],
  );
  return rows.map((r) => r.column);
}

/** Changes `column` of the table's last row (by primary key) in plain SQL; returns the row before and after. */
async function changeColumn(table: string, column: string): Promise<{ old: Row; now: Row }> {
  const key = await primaryKey(table);
  const {
    rows: [old],
  } = await client.query<Row>(`SELECT * FROM ${table} ORDER BY ${key.map((k) => `${k} DESC`).join(', ')} LIMIT 1`);
  const where = key.map((k, i) => `${k} = $${i + 1}`).join(' AND ');
  const keyValues = key.map((k) => old![k]);
  const {
    rows: [info],
  } = await client.query<{ data_type: string }>(`SELECT data_type FROM information_schema.columns WHERE table_schema || '.' || table_name = $1 AND column_name = $2`, [table, column]);
  const expression = newValueSql(column, info!.data_type);
  if (expression) {
    const { rows } = await client.query<Row>(`UPDATE ${table} SET ${column} = ${expression} WHERE ${where} RETURNING *`, keyValues);
    return { old: old!, now: rows[0]! };
  }
  // An integer, often a foreign key: skip a value that would repeat a key (23505) or name no row (23503).
  for (const candidate of [1, 2, 3, 4, 5, 1000, 2000, 3000].filter((c) => c !== old![column])) {
    try {
      const { rows } = await client.query<Row>(`UPDATE ${table} SET ${column} = $${key.length + 1} WHERE ${where} RETURNING *`, [...keyValues, candidate]);
      return { old: old!, now: rows[0]! };
    } catch (error) {
      if (!['23505', '23503'].includes((error as { code?: string }).code!)) throw error;
    }
  }
  throw new Error(`no new value for ${table}.${column}`);
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 3_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return condition();
}

const uncacheable = new Set<string>();

describe('an UPDATE in SQL of each declared column evicts the fields it backs', () => {
  it('covers every table of the declaration', () => {
    expect(new Set(cases.map((c) => c.table))).toEqual(new Set(Object.keys(CHINOOK_FIELD_SOURCES)));
  });

  it.each(cases)('$name', async ({ table, column, source }) => {
    // The declared effects need the row's values: read them from the row the UPDATE will change.
    const key = await primaryKey(table);
    const {
      rows: [current],
    } = await client.query<Row>(`SELECT * FROM ${table} ORDER BY ${key.map((k) => `${k} DESC`).join(', ')} LIMIT 1`);
    const before = declaredEffects(source, column, current!, current!);
    const readable = before.probes
      .map((probe) => ({ probe, lookup: lookupOf(apiSchema, probe.type) }))
      .filter((p): p is { probe: Probe; lookup: string } => p.lookup !== undefined)
      .map(({ probe, lookup }) => {
        const field = (apiSchema.getType(probe.type) as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields()[probe.field]!;
        return { probe, query: `{ ${lookup}(id: "${probe.id}") { id ${selectionOf(field, 2)} } }` };
      });
    const primed = new Map<string, string>();
    for (const { probe, query } of readable) {
      // The previous case's last events may still evict what is read now: read until a hit, a few times.
      const cached = await until(async () => {
        const first = await read(query);
        expect(first.body, query).toContain('"data":{');
        if ((await read(query)).source !== 'hit-l1') return false;
        primed.set(query, first.body);
        return true;
      }, 1_000);
      if (!cached) uncacheable.add(`${probe.type}.${probe.field}`);
    }

    const seen = events.length;
    const { old, now } = await changeColumn(table, column);
    expect(JSON.stringify(now[column])).not.toBe(JSON.stringify(old[column]));
    const { probes, lists } = declaredEffects(source, column, old, now);
    const expectedTags = [...probes.map((p) => `${p.type}:${p.id}.${p.field}`), ...lists];
    expect(expectedTags.length, `${table}.${column} changes no field`).toBeGreaterThan(0);
    const tags = () => new Set(events.slice(seen).flatMap((event) => tagsOf(event, () => [])));
    await until(() => expectedTags.every((tag) => tags().has(tag)));
    expect([...tags()]).toEqual(expect.arrayContaining(expectedTags));

    // Every field read before misses; a field the column backs answers its new value, and so does
    // at least one derived field (a derived field may keep its value: a track moved within a playlist
    // leaves its trackCount).
    const changed: string[] = [];
    for (const { probe, query } of readable) {
      const body = primed.get(query);
      if (body === undefined) continue;
      expect(await until(async () => (await read(query)).source !== 'hit-l1'), `${query} still a hit after ${table}.${column} changed`).toBe(true);
      const after = await read(query);
      if (after.body !== body) changed.push(query);
      else expect(backs(source, column, probe), `${query} answers its old value after ${table}.${column} changed`).toBe(false);
    }
    if (primed.size > 0) expect(changed.length, `no field read through the gateway answered a new value after ${table}.${column} changed`).toBeGreaterThan(0);
  });

  it('read every probed field from the cache before the write, except those hinted maxAge 0', () => {
    expect([...uncacheable].sort()).toEqual([...uncached].sort());
  });
});
