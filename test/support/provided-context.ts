/** What the global setup hands to every test file through `inject`. */
declare module 'vitest' {
  export interface ProvidedContext {
    /** Name of the migrated, imported template database that test files clone. */
    templateDatabase: string;
    /** Prefix for every Redis key this run writes. */
    redisPrefix: string;
    /** Port of the run's pgbouncer (transaction pooling), in the `pgbouncer` project only. */
    pgbouncerPort?: number;
  }
}

export {};
