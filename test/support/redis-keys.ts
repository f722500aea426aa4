import type { Redis } from 'ioredis';

/** Every key under `prefix`, sorted (SCAN, never KEYS: a test's own keys only). */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys.sort();
}

/** Records the name of every command `redis` sends from now on (`evalsha`, `get`, …) into the returned array. */
export function recordCommands(redis: Redis): string[] {
  const sent: string[] = [];
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = ((command: { name: string }, stream?: unknown) => (sent.push(command.name), send(command as never, stream as never))) as typeof redis.sendCommand;
  return sent;
}
