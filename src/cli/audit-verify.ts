import { loadConfig } from '../config.ts';
import { verifyAuditChain } from '../efile/audit-chain.ts';
import { openDatabase } from '../platform/db/database.ts';
import type { Database } from '../schema.ts';

/** `npm run audit:verify`: walks the hash chain and reports every changed, inserted or deleted row. Exit 1 on any finding. */
const config = loadConfig(process.env);
const handle = await openDatabase<Database>({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  const { rows, problems, pending, oldestPending } = await verifyAuditChain(handle.db);
  const waiting = pending > 0 ? ` ${pending} newer entr${pending === 1 ? 'y is' : 'ies are'} not sealed yet (oldest from ${oldestPending?.toISOString()}); a worker process seals them within seconds.` : '';
  if (problems.length === 0) {
    console.log(`Audit log intact: ${rows} entries, hash chain unbroken.${waiting}`);
  } else {
    console.log(`Audit log DAMAGED: ${problems.length} finding(s) in ${rows} entries:`);
    for (const p of problems) console.log(`  row ${p.id}: ${p.problem} – ${p.detail}`);
    process.exitCode = 1;
  }
} finally {
  await handle.close();
}
