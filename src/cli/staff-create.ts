import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline/promises';
import { migrations } from '../../migrations/index.ts';
import { loadCity } from '../catalogue/city.ts';
import { syncDepartments } from '../catalogue/sync-city.ts';
import { loadConfig } from '../config.ts';
import { createStaffUser } from '../identity/staff-admin.ts';
import { AppError, ValidationError } from '../platform/errors.ts';
import { migrateToLatest, openDatabase } from '../platform/db/database.ts';
import type { Database, StaffRole } from '../schema.ts';

/**
 * `npm run staff:create -- --username anna --name "Anna Muster" --grant versammlungsbehoerde:clerk`
 * Creates a local staff account for operators (production has no demo accounts). The password comes
 * from STAFF_PASSWORD or is asked for on the terminal; the TOTP secret is printed once for enrolment.
 */
const { values } = parseArgs({
  options: { username: { type: 'string' }, name: { type: 'string' }, grant: { type: 'string', multiple: true } },
});
if (!values.username || !values.name || !values.grant?.length) {
  console.error('Usage: npm run staff:create -- --username USER --name "Full Name" --grant DEPARTMENT:ROLE [--grant …]\nRoles: clerk, supervisor, department_admin, system_admin. Password from STAFF_PASSWORD or the terminal.');
  process.exit(2);
}
let password = process.env.STAFF_PASSWORD ?? '';
if (!password) {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  password = await rl.question('Password (at least 12 characters): ');
  rl.close();
}
const grants = values.grant.map((g) => {
  const [departmentId = '', role = ''] = g.split(':');
  return { departmentId, role: role as StaffRole };
});
const config = loadConfig(process.env);
const handle = await openDatabase<Database>({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  await migrateToLatest(handle.db, migrations);
  await syncDepartments(handle.db, loadCity(config.city));
  const created = await createStaffUser(handle.db, { username: values.username, displayName: values.name, password, grants }, null);
  console.log(`Created ${values.username}. Add this to the person's authenticator app (shown once):\n  secret ${created.totpSecret}\n  ${created.otpauthUri}`);
} catch (err) {
  if (err instanceof ValidationError) for (const f of err.fields) console.error(`${f.field}: ${f.message.en}`);
  else if (err instanceof AppError) console.error(err.userMessage.en);
  else console.error((err as Error).message);
  process.exitCode = 1;
} finally {
  await handle.close();
}
