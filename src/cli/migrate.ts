import { migrations } from '../../migrations/index.ts';
import { loadConfig } from '../config.ts';
import { migrateToLatest, openDatabase } from '../platform/db/database.ts';

/** `npm run migrate`: applies pending migrations and exits non-zero on failure. */
const config = loadConfig(process.env);
// A data directory this PGlite cannot open explains itself (database.ts); no stack trace on top.
const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }).catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
try {
  const applied = await migrateToLatest(handle.db, migrations);
  console.log(applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
} finally {
  await handle.close();
}
