/**
 * `pnpm cache:invalidate <tag> [<tag> …]`: evicts cached responses on every gateway.
 *   Track:42.unitPrice   entries that read that field
 *   Track:42             entries that read that track at all, and the lists of tracks
 *   Track                entries that read any track
 *   Query.topTracks      entries that read that list
 * A tag must name a type (and field) of the API schema: a misspelt one is refused, not ignored.
 * Each tag is one `operator` event (`tributary_cache_invalidations_total{kind="operator"}`).
 * With `REDIS_URL` the event goes on the Redis bus; otherwise through Postgres (`DATABASE_URL`),
 * whose change feed puts it on the bus of the running single-instance process.
 */
import { type ChangeEvent, eventFromTag } from '@tributary/cache';
import { CHANGE_CHANNEL } from '@tributary/database';
import { createBusFromEnv } from '@tributary/cache';
import { Command } from 'commander';
import pg from 'pg';
import { readApiSchema, tagProblem } from './lib/check-cache-tag.js';

const program = new Command('pnpm cache:invalidate')
  .description('Evict cached responses by tag on every gateway')
  .argument('<tags...>', 'Type:id.field, Type:id, Type or Parent.field')
  .action(async (tags: string[]) => {
    let events: ChangeEvent[];
    try {
      events = tags.map(eventFromTag);
      const schema = readApiSchema();
      for (const tag of tags) {
        const problem = tagProblem(tag, schema);
        if (problem) throw new Error(`${JSON.stringify(tag)} names nothing the API has: ${problem}`);
      }
    } catch (error) {
      program.error(`error: ${(error as Error).message}`);
    }
    if (process.env.REDIS_URL?.trim() || process.env.REDIS_CLUSTER_NODES?.trim()) {
      const bus = createBusFromEnv(process.env);
      try {
        for (const event of events!) await bus.publish(event);
      } catch (error) {
        program.error(`error: cannot publish on Redis (REDIS_URL): ${(error as Error).message}`);
      } finally {
        await bus.close();
      }
    } else if (process.env.DATABASE_URL?.trim()) {
      const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
      try {
        await client.connect();
        for (const event of events!) await client.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, JSON.stringify({ event })]);
      } catch (error) {
        program.error(`error: cannot notify through Postgres (DATABASE_URL): ${(error as Error).message}`);
      } finally {
        await client.end().catch(() => undefined);
      }
    } else {
      program.error('error: set REDIS_URL (or DATABASE_URL for a single instance): the embedded database is reachable only from its own process');
    }
    process.stdout.write(`invalidated: ${tags.join(' ')}\n`);
  });

await program.parseAsync();
