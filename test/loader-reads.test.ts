import { createCatalogLoaders } from '@tributary/catalog';
import { createCustomersLoaders } from '@tributary/customers';
import { COUNTER_SOURCES, type DatabaseHandle, createDatabase, readDatabaseConfig } from '@tributary/database';
import { createPlaylistsLoaders } from '@tributary/playlists';
import { createSalesLoaders } from '@tributary/sales';
import { type ClearableLoader, type LoaderReads, type LoaderRegistry, parsePageRequest } from '@tributary/runtime';
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, cloneTemplateDatabase } from './support/test-database.js';

/**
 * The `reads` each loader declares decide what a write makes it forget: a table missing there
 * would leave a stale memo. This checks every declaration against what Postgres itself says the
 * loader's statement reads (`EXPLAIN`, views expanded to their tables), and that each key column
 * exists in its table.
 */
describe("every loader's declared reads are the tables its statement reads", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    database = await cloneTemplateDatabase();
    handle = await createDatabase({ config: readDatabaseConfig({ DATABASE_URL: database.url }), name: 'test' });
  });
  afterAll(async () => {
    await handle?.destroy();
    await database?.drop();
  });

  /** A registry that only remembers what each loader declared. */
  function declaring() {
    const declared = new Map<ClearableLoader, LoaderReads>();
    const registry: LoaderRegistry = {
      register: (reads, loader) => (declared.set(loader, reads), loader),
      changed: () => undefined,
      clearAll: () => undefined,
    };
    return { registry, declared };
  }

  /**
   * Base tables (`schema.table`) that `EXPLAIN` of one statement scans; a maintained counter
   * (`sales.track_sales`) counts as the table it aggregates (`sales.invoice_line`).
   */
  async function tablesRead(text: string, parameters: readonly unknown[]): Promise<string[]> {
    const result = await handle.db.executeQuery<{ 'QUERY PLAN': unknown }>(CompiledQuery.raw(`explain (verbose, format json) ${text}`, [...parameters]));
    const tables = new Set<string>();
    const walk = (node: unknown) => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (node && typeof node === 'object') {
        const record = node as Record<string, unknown>;
        if (typeof record['Relation Name'] === 'string') {
          const table = `${record.Schema}.${record['Relation Name']}`;
          for (const source of COUNTER_SOURCES[table as keyof typeof COUNTER_SOURCES]?.sources ?? [table]) tables.add(source);
        }
        Object.values(record).forEach(walk);
      }
    };
    walk(result.rows[0]!['QUERY PLAN']);
    return [...tables].sort();
  }

  /** Each declared table as base tables (a view becomes the tables it selects from). */
  async function baseTables(reads: LoaderReads): Promise<string[]> {
    const usage = (await handle.db
      .selectFrom('information_schema.view_table_usage' as never)
      .select(['view_schema', 'view_name', 'table_schema', 'table_name'] as never[])
      .execute()) as unknown as Array<{ view_schema: string; view_name: string; table_schema: string; table_name: string }>;
    const tables = new Set<string>();
    for (const table of Object.keys(reads)) {
      const under = usage.filter((u) => `${u.view_schema}.${u.view_name}` === table).map((u) => `${u.table_schema}.${u.table_name}`);
      for (const t of under.length > 0 ? under : [table]) tables.add(t);
    }
    return [...tables].sort();
  }

  const factories = {
    catalog: createCatalogLoaders,
    customers: createCustomersLoaders,
    sales: createSalesLoaders,
    playlists: createPlaylistsLoaders,
  };

  it.each(Object.keys(factories))('%s', async (subgraph) => {
    const { registry, declared } = declaring();
    const loaders = factories[subgraph as keyof typeof factories](handle.db, registry) as Record<string, unknown>;
    const columns = (await handle.db
      .selectFrom('information_schema.columns' as never)
      .select(['table_schema', 'table_name', 'column_name'] as never[])
      .execute()) as unknown as Array<{ table_schema: string; table_name: string; column_name: string }>;
    const checked: string[] = [];
    for (const [name, value] of Object.entries(loaders)) {
      const reads = declared.get(value as ClearableLoader);
      expect(reads, `${subgraph}.${name} is not registered`).toBeDefined();
      const statements: Array<[string, readonly unknown[]]> = [];
      const stop = handle.stats.onStatement((text, parameters) => statements.push([text, parameters]));
      const loader =
        typeof value === 'function'
          ? (value as (page: unknown) => { load(key: number): Promise<unknown> })(parsePageRequest({ first: 2 }, 'Query.test'))
          : (value as { load(key: number): Promise<unknown> });
      await loader.load(1);
      stop();
      expect(statements, `${subgraph}.${name} issued no statement`).toHaveLength(1);
      expect(await tablesRead(...statements[0]!), `${subgraph}.${name} reads other tables than it declares`).toEqual(await baseTables(reads!));
      for (const [table, column] of Object.entries(reads!)) {
        if (column === null) continue;
        const [schema, tableName] = table.split('.');
        expect(
          columns.some((c) => c.table_schema === schema && c.table_name === tableName && c.column_name === column),
          `${subgraph}.${name}: ${table} has no column ${column}`,
        ).toBe(true);
      }
      checked.push(name);
    }
    expect(checked.length).toBeGreaterThan(3);
  });
});
