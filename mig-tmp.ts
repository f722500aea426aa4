import { createDatabase, migrateToLatest, readDatabaseConfig } from '@tributary/database';
const handle = await createDatabase({ config: readDatabaseConfig({ DATABASE_URL: process.argv[2]! }), name: 'prep' });
const t = performance.now();
console.log(await migrateToLatest(handle.db), (performance.now() - t).toFixed(0), 'ms');
await handle.destroy();
