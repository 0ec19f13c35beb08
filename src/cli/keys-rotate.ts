import { migrations } from '../../migrations/index.ts';
import { loadConfig } from '../config.ts';
import { loadMasterKeyring } from '../efile/document-crypto.ts';
import { rewrapDocumentKeys } from '../efile/rotate-master-key.ts';
import { migrateToLatest, openDatabase } from '../platform/db/database.ts';
import type { Database } from '../schema.ts';

/**
 * `npm run keys:rotate`: re-wraps every document's data key with the first key of MASTER_KEYS
 * (ADR 0012). Put the new key first, keep the old ones behind it, restart, run this, then remove
 * the old keys. Safe to run again; exit 1 while documents still need a key that is not configured.
 */
const config = loadConfig(process.env);
const handle = await openDatabase<Database>({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  await migrateToLatest(handle.db, migrations);
  const keyring = await loadMasterKeyring(config);
  console.log(`Current master key: "${keyring.currentId}" (configured: ${keyring.ids.map((id) => `"${id}"`).join(', ')})`);
  const report = await rewrapDocumentKeys(handle.db, keyring, { onBatch: (n) => n > 0 && console.log(`  … ${n} re-wrapped`) });
  console.log(`Documents: ${report.total}. Re-wrapped now: ${report.rewrapped}. Already under "${keyring.currentId}": ${report.alreadyCurrent}.`);
  for (const [id, n] of Object.entries(report.missingKey)) console.log(`  ${n} document(s) need master key "${id}", which is not configured: add it behind the current key and run again.`);
  if (report.damaged.length > 0) console.log(`  ${report.damaged.length} document(s) have a damaged wrapped key (ids: ${report.damaged.join(', ')}).`);
  if (Object.keys(report.missingKey).length > 0 || report.damaged.length > 0) process.exitCode = 1;
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
} finally {
  await handle.close();
}
