import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ConflictError, ValidationError } from '../platform/errors.ts';
import { onPostgres, testRuntime } from '../test-support/runtime.ts';
import { createStaffUser } from './staff-admin.ts';
import { checkPassword, checkTotp, loadStaffIdentity, totpFor } from './staff-auth.ts';

test('a created staff account signs in with its password and TOTP; bad input is refused field by field', async () => {
  const rt = await testRuntime();
  try {
    const created = await createStaffUser(rt.db, { username: 'Anna.Muster', displayName: 'Anna Muster', password: 'lange-geheime-phrase', grants: [{ departmentId: 'buergerservice', role: 'clerk' }] }, null);
    assert.match(created.otpauthUri, /^otpauth:\/\/totp\/Amtsweg:anna\.muster\?/);
    const id = await checkPassword(rt.db, 'anna.muster', 'lange-geheime-phrase');
    assert.equal(id, created.id);
    await checkTotp(rt.db, id, totpFor(created.totpSecret).generate());
    const identity = await loadStaffIdentity(rt.db, id);
    assert.deepEqual(identity?.grants, [{ departmentId: 'buergerservice', role: 'clerk' }]);
    const audit = await rt.db.selectFrom('audit_entries').select('action').where('actor_id', '=', id).orderBy('at').orderBy('pending_id').execute();
    assert.deepEqual(audit.map((a) => a.action), ['staff.password_ok', 'staff.sign_in']);

    await assert.rejects(createStaffUser(rt.db, { username: 'anna.muster', displayName: 'Anna Zwei', password: 'noch-eine-lange-phrase', grants: [{ departmentId: 'buergerservice', role: 'clerk' }] }, null), ConflictError);
    await assert.rejects(createStaffUser(rt.db, { username: '1x', displayName: '', password: 'kurz', grants: [{ departmentId: 'mond', role: 'king' as never }] }, null), (err: unknown) => {
      assert.ok(err instanceof ValidationError, 'err instanceof ValidationError');
      assert.deepEqual([...new Set(err.fields.map((f) => f.field))].sort(), ['displayName', 'grants', 'password', 'username']);
      return true;
    });
  } finally {
    await rt.close();
  }
});

test('npm run staff:create creates an account an operator can sign in with', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'amtsweg-staff-'));
  const rt = onPostgres ? await testRuntime() : undefined;
  const env = { ...process.env, AMTSWEG_PROFILE: 'test', DATA_DIR: dir, STAFF_PASSWORD: 'operator-phrase-2026', ...(rt?.config.databaseUrl ? { DATABASE_URL: rt.config.databaseUrl } : {}) };
  const cli = [path.resolve('node_modules/tsx/dist/cli.mjs'), path.resolve('src/cli/staff-create.ts')];
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [...cli, '--username', 'olaf', '--name', 'Olaf Operator', '--grant', 'versammlungsbehoerde:supervisor'], { env });
    const secret = /secret ([A-Z2-7]+)/.exec(stdout)?.[1];
    assert.ok(secret, stdout);
    const failed = await promisify(execFile)(process.execPath, [...cli, '--username', 'olaf', '--name', 'Olaf Again', '--grant', 'nowhere:clerk'], { env }).then(
      () => assert.fail('must fail'),
      (err: { code: number; stderr: string }) => err,
    );
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /Unknown department “nowhere”/);

    const check = rt ?? (await testRuntime({ config: { dataDir: dir } }));
    try {
      const id = await checkPassword(check.db, 'olaf', 'operator-phrase-2026');
      await checkTotp(check.db, id, totpFor(secret).generate());
    } finally {
      if (!rt) await check.close();
    }
  } finally {
    await rt?.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('wrong one-time codes count towards the lock like wrong passwords', async () => {
  const rt = await testRuntime();
  try {
    const created = await createStaffUser(rt.db, { username: 'tina', displayName: 'Tina Test', password: 'tina-lange-phrase-1', grants: [{ departmentId: 'buergerservice', role: 'clerk' }] }, null);
    const id = await checkPassword(rt.db, 'tina', 'tina-lange-phrase-1');
    for (let i = 0; i < 5; i++) await assert.rejects(checkTotp(rt.db, id, '000000'), ValidationError);
    await assert.rejects(checkTotp(rt.db, id, totpFor(created.totpSecret).generate()), /locked for 15 minutes/, 'even the right code is refused while locked');
    await assert.rejects(checkPassword(rt.db, 'tina', 'tina-lange-phrase-1'), /locked for 15 minutes/);
  } finally {
    await rt.close();
  }
});
