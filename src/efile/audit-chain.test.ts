import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { submitCase } from '../cases/submit-case.ts';
import { onPostgres, testRuntime, validAssembly, type TestRuntime } from '../test-support/runtime.ts';
import { DEMO_STAFF } from '../identity/demo-data.ts';
import { appendAudit, sealAll, verifyAuditChain } from './audit-chain.ts';

// Seeding the demo staff writes one `staff.created` entry each.
const SEEDED = DEMO_STAFF.length;

let rt: TestRuntime;
before(async () => {
  rt = await testRuntime();
  for (let i = 0; i < 4; i++) {
    await submitCase(rt, { serviceId: 'versammlungsanzeige', data: validAssembly(rt.now()), idempotencyScope: 'api', idempotencyKey: `audit-${i}` });
  }
  await sealAll(rt.db);
});
after(async () => rt?.close());

const ids = async () => (await rt.db.selectFrom('audit_log').select('id').orderBy('id').execute()).map((r) => r.id);

test('an untouched chain verifies', async () => {
  const result = await verifyAuditChain(rt.db);
  assert.equal(result.rows, SEEDED + 4);
  assert.deepEqual(result.problems, []);
  assert.equal(result.pending, 0);
});

test('entries wait unlocked in audit_pending until the sealer chains them, in batches', async () => {
  const fresh = await testRuntime();
  try {
    const sealedBefore = await sealAll(fresh.db);
    assert.equal(sealedBefore, SEEDED);
    for (let i = 0; i < 5; i++) await submitCase(fresh, { serviceId: 'versammlungsanzeige', data: validAssembly(fresh.now()), idempotencyScope: 'api', idempotencyKey: `pending-${i}` });
    let result = await verifyAuditChain(fresh.db);
    assert.equal(result.pending, 5);
    assert.ok(result.oldestPending instanceof Date, 'result.oldestPending instanceof Date');
    assert.equal(result.rows, SEEDED);
    const { sealAuditLog } = await import('./audit-chain.ts');
    assert.equal(await sealAuditLog(fresh.db, 2), 2, 'a batch seals at most its size');
    assert.equal(await sealAll(fresh.db), 3);
    result = await verifyAuditChain(fresh.db);
    assert.deepEqual([result.rows, result.pending, result.problems.length], [SEEDED + 5, 0, 0]);
    const actions = await fresh.db.selectFrom('audit_log').select('action').where('id', '>', String(SEEDED)).orderBy('id').execute();
    assert.deepEqual(actions.map((a) => a.action), Array(5).fill('case.submitted'));
  } finally {
    await fresh.close();
  }
});

test('a changed row is reported by id', async () => {
  const second = (await ids())[SEEDED + 1]!;
  await sql`update audit_log set details = jsonb_set(details, '{reference}', '"HAL-2026-999999-9"') where id = ${second}::bigint`.execute(rt.db);
  const { problems } = await verifyAuditChain(rt.db);
  assert.deepEqual(problems.map((p) => [p.id, p.problem]), [[second, 'changed']]);
});

test('a deleted row breaks the chain at its successor; an inserted row is noticed too', async () => {
  const fresh = await testRuntime();
  try {
    for (let i = 0; i < 3; i++) await submitCase(fresh, { serviceId: 'versammlungsanzeige', data: validAssembly(fresh.now()), idempotencyScope: 'api', idempotencyKey: `del-${i}` });
    await sealAll(fresh.db);
    const all = (await fresh.db.selectFrom('audit_log').select('id').orderBy('id').execute()).map((r) => r.id);
    const victim = SEEDED + 1;
    await sql`delete from audit_log where id = ${all[victim]}::bigint`.execute(fresh.db);
    let { problems } = await verifyAuditChain(fresh.db);
    assert.deepEqual(problems.map((p) => [p.id, p.problem]), [[all[victim + 1], 'inserted_or_deleted']]);

    // Put a forged row in the gap: its hash is self-consistent, but it does not chain.
    await sql`insert into audit_log (id, at, actor_type, actor_id, action, case_id, details, prev_hash, hash)
              values (${all[victim]}::bigint, now(), 'staff', null, 'case.view', null, '{}'::jsonb, repeat('a', 64), repeat('b', 64))`.execute(fresh.db);
    ({ problems } = await verifyAuditChain(fresh.db));
    assert.ok(problems.some((p) => p.id === all[victim] && p.problem === 'changed'), 'problems.some((p) => p.id === all[victim] && p.problem === \'changed\')');
    assert.ok(problems.some((p) => p.id === all[victim] && p.problem === 'inserted_or_deleted'), 'problems.some((p) => p.id === all[victim] && p.problem === \'inserted_or_deleted\')');
  } finally {
    await fresh.close();
  }
});

test('deleting the newest rows is noticed through the chain head', async () => {
  const fresh = await testRuntime();
  try {
    for (let i = 0; i < 2; i++) await submitCase(fresh, { serviceId: 'versammlungsanzeige', data: validAssembly(fresh.now()), idempotencyScope: 'api', idempotencyKey: `tail-${i}` });
    await sealAll(fresh.db);
    await sql`delete from audit_log where id = (select max(id) from audit_log)`.execute(fresh.db);
    const { problems } = await verifyAuditChain(fresh.db);
    assert.deepEqual(problems.map((p) => p.problem), ['tail_deleted']);
  } finally {
    await fresh.close();
  }
});

test('concurrent writers and concurrent sealers still form one unbroken chain', async () => {
  const fresh = await testRuntime();
  try {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fresh.db.transaction().execute((trx) => appendAudit(trx, { actorType: 'system', actorId: null, action: 'test.append', caseId: null, details: { i } })),
      ),
    );
    const { sealAuditLog } = await import('./audit-chain.ts');
    const sealed = await Promise.all([sealAuditLog(fresh.db, 7), sealAuditLog(fresh.db, 7), sealAuditLog(fresh.db, 7)]);
    assert.equal(sealed.reduce((a, b) => a + b, 0), 21, 'each pending entry is sealed once');
    await sealAll(fresh.db);
    const result = await verifyAuditChain(fresh.db);
    assert.equal(result.rows, SEEDED + 20);
    assert.deepEqual(result.problems, []);
  } finally {
    await fresh.close();
  }
});

test('npm run audit:verify reports an intact log with exit 0 and a tampered one with exit 1', async () => {
  const run = promisify(execFile);
  const dir = mkdtempSync(path.join(tmpdir(), 'amtsweg-audit-'));
  const fresh = await testRuntime({ config: onPostgres ? {} : { dataDir: dir } });
  const env = { ...process.env, AMTSWEG_PROFILE: 'test', LOG_LEVEL: 'silent', DATA_DIR: dir, ...(fresh.config.databaseUrl ? { DATABASE_URL: fresh.config.databaseUrl } : {}) };
  const cli = ['--import', 'tsx', path.resolve('src/cli/audit-verify.ts')];
  try {
    await submitCase(fresh, { serviceId: 'versammlungsanzeige', data: validAssembly(fresh.now()), idempotencyScope: 'api', idempotencyKey: 'cli-1' });
    await sealAll(fresh.db);
    if (!onPostgres) await fresh.close(); // PGlite's directory is opened by one process at a time.
    const ok = await run(process.execPath, cli, { env });
    assert.match(ok.stdout, new RegExp(`Audit log intact: ${SEEDED + 1} entries`));

    const db = onPostgres ? fresh : await testRuntime({ config: { dataDir: dir } });
    await sql`update audit_log set action = 'case.nothing_happened' where action = 'case.submitted'`.execute(db.db);
    if (!onPostgres) await db.close();
    const failed = await run(process.execPath, cli, { env }).then(
      () => assert.fail('audit:verify must exit non-zero'),
      (err: { code: number; stdout: string }) => err,
    );
    assert.equal(failed.code, 1);
    assert.match(failed.stdout, /Audit log DAMAGED: 1 finding/);
    assert.match(failed.stdout, new RegExp(`row ${SEEDED + 1}: changed`));
  } finally {
    if (onPostgres) await fresh.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
