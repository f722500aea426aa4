import type { PGlite } from '@electric-sql/pglite';
import { CompiledQuery, type DatabaseConnection, type Dialect, type Driver, type Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type QueryResult } from 'kysely';

/**
 * A Kysely dialect over an in-process PGlite database that several Kysely instances (one per
 * subgraph) share safely. PGlite has one session: a transaction opened by one subgraph would
 * otherwise take in statements that another subgraph runs meanwhile. So every driver over the
 * same PGlite waits on one lock, held from `acquireConnection` to `releaseConnection`.
 *
 * @example
 * const db = new Kysely<Database>({ dialect: new SharedPGliteDialect(pglite) });
 */
export class SharedPGliteDialect implements Dialect {
  constructor(private readonly pglite: PGlite) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new SharedPGliteDriver(this.pglite);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<any>) {
    return new PostgresIntrospector(db);
  }
}

/** One FIFO lock per PGlite instance, shared by every driver over it. */
const locks = new WeakMap<PGlite, SessionLock>();

class SessionLock {
  private held = false;
  private readonly waiting: Array<() => void> = [];
  async acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next)
      next(); // the lock passes straight to the next waiter
    else this.held = false;
  }
}

class SharedPGliteDriver implements Driver {
  private readonly lock: SessionLock;
  private readonly connection: PGliteConnection;
  constructor(pglite: PGlite) {
    let lock = locks.get(pglite);
    if (!lock) locks.set(pglite, (lock = new SessionLock()));
    this.lock = lock;
    this.connection = new PGliteConnection(pglite);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    await this.lock.acquire();
    return this.connection;
  }
  async beginTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('begin'));
  }
  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  }
  async releaseConnection(): Promise<void> {
    this.lock.release();
  }
  async destroy(): Promise<void> {} // the PGlite instance is closed by its owner (embedded-database.ts)
}

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: PGlite) {}
  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    // Without parameters, `exec` runs scripts of several statements (migrations, the import).
    if (query.parameters.length === 0) {
      const results = await this.pglite.exec(query.sql);
      const last = results.at(-1);
      return { rows: (last?.rows ?? []) as R[], numAffectedRows: toBigInt(last?.affectedRows) };
    }
    const result = await this.pglite.query<R>(query.sql, [...query.parameters]);
    return { rows: result.rows, numAffectedRows: toBigInt(result.affectedRows) };
  }
  // biome-ignore lint/correctness/useYield: Kysely's driver interface asks for a generator; the embedded database never streams.
  async *streamQuery(): AsyncIterableIterator<QueryResult<never>> {
    throw new Error('streamQuery is not supported by the embedded database');
  }
}

function toBigInt(n: number | undefined): bigint | undefined {
  return n === undefined ? undefined : BigInt(n);
}
