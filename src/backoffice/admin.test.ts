import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { submitCase } from '../cases/submit-case.ts';
import { totpFor } from '../identity/staff-auth.ts';
import { hiddenValue, HttpClient, pageText, testIdText } from '../test-support/http-client.ts';
import { demoStaff, testApp, validAssembly, type TestRuntime } from '../test-support/runtime.ts';

/**
 * Roles over real HTTP: supervisors assign and see figures, clerks take cases, department and
 * system administrators manage staff accounts — each refused what is not theirs.
 */
let app: FastifyInstance;
let runtime: TestRuntime;
let close: () => Promise<void>;
const signedIn = new Map<string, HttpClient>();

async function signIn(username: string, password: string, secret: string): Promise<{ client: HttpClient; landing: string }> {
  const client = new HttpClient(app);
  assert.equal((await client.get('/staff/sign-in')).status, 200);
  const first = await client.post('/staff/sign-in', { username, password });
  assert.equal(first.status, 303, `password step for ${username}`);
  assert.equal((await client.get('/staff/sign-in/code')).status, 200);
  const second = await client.post('/staff/sign-in/code', { code: totpFor(secret).generate() });
  assert.equal(second.status, 303, `TOTP step for ${username}`);
  return { client, landing: second.location ?? '' };
}

const as = (username: string) => signedIn.get(username)!;
const staffId = async (username: string) => (await runtime.db.selectFrom('staff_users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
const newCase = async () => (await submitCase(runtime, { serviceId: 'versammlungsanzeige', data: validAssembly(new Date()), idempotencyScope: 'api', idempotencyKey: randomUUID() })).caseId;

before(async () => {
  ({ app, runtime, close } = await testApp());
  for (const name of ['clerk', 'clerk2', 'supervisor', 'gewerbe', 'deptadmin', 'sysadmin']) {
    const s = demoStaff(name);
    const { client, landing } = await signIn(s.username, s.password, s.totpSecret);
    assert.equal(landing, name === 'deptadmin' || name === 'sysadmin' ? '/staff/admin' : '/staff', `${name} lands where their work is`);
    signedIn.set(name, client);
  }
});
after(async () => close());

describe('supervisors and clerks', () => {
  test('a supervisor assigns a case through the case file; the assignee finds it under "assigned to me"', async () => {
    const caseId = await newCase();
    const page = await as('supervisor').get(`/staff/cases/${caseId}`);
    assert.equal(page.status, 200);
    assert.match(pageText(testIdText(page.body, 'assignee') ?? ''), /Noch niemandem zugewiesen/);
    assert.ok(page.body.includes('<select class="kern-form-input__select" id="assignee"'), 'a supervisor gets the list of people to assign to');
    const res = await as('supervisor').post(`/staff/cases/${caseId}/assignment`, { version: hiddenValue(page.body, 'version')!, assignee: await staffId('clerk2') });
    assert.equal(res.status, 303);
    const after = await as('supervisor').follow(res);
    assert.match(after.body, /Zuweisung gespeichert/);
    assert.match(pageText(testIdText(after.body, 'assignee') ?? ''), /Jonas Berg/);
    const mine = await as('clerk2').get('/staff?assigned=me');
    assert.ok(mine.body.includes(`/staff/cases/${caseId}`), 'the case is in clerk2\'s "assigned to me" list');
    const others = await as('clerk').get('/staff?assigned=me');
    assert.ok(!others.body.includes(`/staff/cases/${caseId}`), 'not in clerk\'s');
  });

  test('a clerk takes an unassigned case, but cannot reassign one', async () => {
    const caseId = await newCase();
    const page = await as('clerk').get(`/staff/cases/${caseId}`);
    assert.match(page.body, /Vorgang übernehmen/);
    assert.ok(!page.body.includes('<select class="kern-form-input__select" id="assignee"'), 'a clerk gets no list of people to assign to');
    const taken = await as('clerk').post(`/staff/cases/${caseId}/assignment`, { version: hiddenValue(page.body, 'version')!, assignee: 'me' });
    assert.equal(taken.status, 303);
    const page2 = await as('clerk2').get(`/staff/cases/${caseId}`);
    assert.ok(!page2.body.includes('Vorgang übernehmen'), 'a taken case cannot be taken again');
    const refused = await as('clerk2').post(`/staff/cases/${caseId}/assignment`, { version: hiddenValue(page2.body, 'version')!, assignee: 'me' });
    assert.equal(refused.status, 403);
    assert.match(refused.body, /Sachgebietsleitung/);
  });

  test('figures are for supervisors: counts of their department, nothing for clerks', async () => {
    await newCase();
    const figures = await as('supervisor').get('/staff/figures');
    assert.equal(figures.status, 200);
    const open = Number(testIdText(figures.body, 'open-versammlungsbehoerde'));
    const inDb = await runtime.db.selectFrom('cases').select((eb) => eb.fn.countAll<string>().as('n')).where('department_id', '=', 'versammlungsbehoerde').executeTakeFirstOrThrow();
    assert.equal(open, Number(inDb.n), 'open cases match the database (none is final yet)');
    assert.ok(!figures.body.includes('Erika Mustermann'), 'figures carry no personal data');
    assert.equal((await as('clerk').get('/staff/figures')).status, 403);
    assert.equal((await as('deptadmin').get('/staff/figures')).status, 403);
  });
});

describe('administrators', () => {
  test('a department administrator manages their department only, and sees no cases', async () => {
    const list = await as('deptadmin').get('/staff/admin');
    assert.equal(list.status, 200);
    assert.match(list.body, /Clara Klein/);
    assert.ok(!list.body.includes('Gerd Wolf'), 'staff of another department are not listed');
    assert.equal((await as('deptadmin').get(`/staff/admin/users/${await staffId('gewerbe')}`)).status, 404);
    assert.equal((await as('deptadmin').get(`/staff/cases/${await newCase()}`)).status, 404, 'no case access');
    assert.equal((await as('deptadmin').get('/staff/admin/system')).status, 403);
    for (const name of ['clerk', 'supervisor', 'gewerbe']) assert.equal((await as(name).get('/staff/admin')).status, 403, `${name} cannot manage staff`);
  });

  test('creating an account: bad input is named field by field and kept; a good one shows the TOTP key once and can sign in', async () => {
    await as('deptadmin').get('/staff/admin');
    const bad = await as('deptadmin').post('/staff/admin/users', { username: '1x', displayName: 'Neue Person', password: 'short', departmentId: 'versammlungsbehoerde', roles: ['clerk'] });
    assert.equal(bad.status, 422);
    assert.match(bad.body, /Benutzername besteht aus/);
    assert.match(bad.body, /mindestens 12 Zeichen/);
    assert.match(bad.body, /value="Neue Person"/, 'the typed name is kept');
    const foreign = await as('deptadmin').post('/staff/admin/users', { username: 'neu.person', displayName: 'Neue Person', password: 'a-long-enough-password', departmentId: 'gewerbeamt', roles: ['clerk'] });
    assert.equal(foreign.status, 422, 'another department is refused');
    const sys = await as('deptadmin').post('/staff/admin/users', { username: 'neu.person', displayName: 'Neue Person', password: 'a-long-enough-password', departmentId: 'versammlungsbehoerde', roles: ['system_admin'] });
    assert.equal(sys.status, 422, 'a department administrator cannot create a system administrator');
    const ok = await as('deptadmin').post('/staff/admin/users', { username: 'neu.person', displayName: 'Neue Person', password: 'a-long-enough-password', departmentId: 'versammlungsbehoerde', roles: ['clerk'] });
    assert.equal(ok.status, 201);
    const secret = testIdText(ok.body, 'totp-secret');
    assert.ok(secret && /^[A-Z2-7]{16,}$/.test(secret), 'the TOTP key is shown');
    const { landing } = await signIn('neu.person', 'a-long-enough-password', secret);
    assert.equal(landing, '/staff', 'the new clerk signs in with password and TOTP');
    const audit = await runtime.db.selectFrom('audit_entries').select('action').where('action', '=', 'staff.created').where('actor_id', '=', await staffId('deptadmin')).execute();
    assert.equal(audit.length, 1, 'the creation is audited with the administrator as actor');
  });

  test('roles change at once; one cannot remove one\'s own administrator role or lock oneself out', async () => {
    const target = await staffId('clerk2');
    const page = await as('deptadmin').get(`/staff/admin/users/${target}`);
    assert.equal(page.status, 200);
    const res = await as('deptadmin').post(`/staff/admin/users/${target}/roles`, { departmentId: 'versammlungsbehoerde', 'roles-versammlungsbehoerde': ['clerk', 'supervisor'] });
    assert.equal(res.status, 303);
    assert.equal((await as('clerk2').get('/staff/figures')).status, 200, 'clerk2 is a supervisor now, in the same session');
    const beyond = await as('deptadmin').post(`/staff/admin/users/${target}/roles`, { departmentId: 'versammlungsbehoerde', 'roles-versammlungsbehoerde': ['clerk', 'system_admin'] });
    assert.equal(beyond.status, 422);
    const me = await staffId('deptadmin');
    await as('deptadmin').get(`/staff/admin/users/${me}`);
    const self = await as('deptadmin').post(`/staff/admin/users/${me}/roles`, { departmentId: 'versammlungsbehoerde', 'roles-versammlungsbehoerde': ['clerk'] });
    assert.equal(self.status, 422);
    assert.match(self.body, /eigene Administratorrolle/);
    const selfLock = await as('deptadmin').post(`/staff/admin/users/${me}/active`, { active: 'false' });
    assert.equal(selfLock.status, 422);
  });

  test('deactivating an account ends its sessions at once', async () => {
    const victim = as('clerk2');
    assert.equal((await victim.get('/staff')).status, 200, 'clerk2 is signed in');
    await as('deptadmin').get(`/staff/admin/users/${await staffId('clerk2')}`);
    const res = await as('deptadmin').post(`/staff/admin/users/${await staffId('clerk2')}/active`, { active: 'false' });
    assert.equal(res.status, 303);
    const after = await victim.get('/staff');
    assert.equal(after.status, 303, 'the deactivated person is signed out');
    assert.equal(after.location, '/staff/sign-in');
  });

  test('the system administrator sees every department\'s staff and the state of the audit chain', async () => {
    const list = await as('sysadmin').get('/staff/admin');
    assert.match(list.body, /Gerd Wolf/);
    const system = await as('sysadmin').get('/staff/admin/system');
    assert.equal(system.status, 200);
    assert.match(pageText(testIdText(system.body, 'audit-state') ?? ''), /unverändert/);
  });
});

describe('sessions', () => {
  test('"sign out everywhere" ends every session of the person, and only theirs', async () => {
    const s = demoStaff('supervisor');
    // The supervisor's first session is `as('supervisor')`; a second device would need a fresh TOTP
    // step, so the second session is made the way the sign-in makes it.
    const { createSession } = await import('../identity/sessions.ts');
    const { sessionCookieName } = await import('../identity/web-session.ts');
    const second = new HttpClient(app);
    const { token } = await createSession(runtime.db, 'staff', { staffUserId: await staffId(s.username), secondFactorDone: true });
    second.cookies.set(sessionCookieName({ secure: false }), token);
    assert.equal((await second.get('/staff')).status, 200, 'the second device is signed in');
    await as('supervisor').get('/staff');
    const out = await as('supervisor').post('/staff/sign-out-everywhere', {});
    assert.equal(out.status, 303);
    assert.equal((await as('supervisor').get('/staff')).status, 303, 'this device is signed out');
    assert.equal((await second.get('/staff')).status, 303, 'the other device too');
    assert.equal((await as('clerk').get('/staff')).status, 200, 'other people stay signed in');
  });
});
