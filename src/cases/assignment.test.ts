import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { testRuntime, validAssembly, type TestRuntime } from '../test-support/runtime.ts';
import { assignCase, caseWorkers } from './assignment.ts';
import type { Actor } from './case-deps.ts';
import { inbox, openCaseForStaff } from './queries.ts';
import { submitCase } from './submit-case.ts';

let rt: TestRuntime;
const actors: Record<string, Actor & { type: 'staff' }> = {};

before(async () => {
  rt = await testRuntime();
  for (const username of ['clerk', 'clerk2', 'supervisor', 'gewerbe', 'deptadmin', 'sysadmin']) {
    const user = await rt.db.selectFrom('staff_users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
    const grants = await rt.db.selectFrom('role_grants').select(['department_id', 'role']).where('staff_user_id', '=', user.id).execute();
    actors[username] = { type: 'staff', id: user.id, grants: grants.map((g) => ({ departmentId: g.department_id, role: g.role })) };
  }
});
after(async () => rt?.close());

const newCase = async (key: string) =>
  (await submitCase(rt, { serviceId: 'versammlungsanzeige', data: validAssembly(rt.now()), idempotencyScope: 'api', idempotencyKey: key })).caseId;
const versionOf = async (caseId: string) => (await rt.db.selectFrom('cases').select('version').where('id', '=', caseId).executeTakeFirstOrThrow()).version;
const assigneeOf = async (caseId: string) => (await rt.db.selectFrom('cases').select('assignee_id').where('id', '=', caseId).executeTakeFirstOrThrow()).assignee_id;

test('a supervisor assigns and reassigns; each change is an internal event and an audit entry', async () => {
  const caseId = await newCase('assign-1');
  await assignCase(rt, { caseId, assigneeId: actors.clerk!.id, expectedVersion: await versionOf(caseId), actor: actors.supervisor! });
  assert.equal(await assigneeOf(caseId), actors.clerk!.id);
  await assignCase(rt, { caseId, assigneeId: actors.clerk2!.id, expectedVersion: await versionOf(caseId), actor: actors.supervisor! });
  assert.equal(await assigneeOf(caseId), actors.clerk2!.id);
  const events = await rt.db.selectFrom('case_events').select(['kind', 'public']).where('case_id', '=', caseId).where('kind', '=', 'assignment').execute();
  assert.deepEqual(events, [{ kind: 'assignment', public: false }, { kind: 'assignment', public: false }], 'two internal assignment events');
  const audit = await rt.db.selectFrom('audit_entries').select('action').where('case_id', '=', caseId).where('action', '=', 'case.assigned').execute();
  assert.equal(audit.length, 2);
  const mine = await inbox(rt, actors.clerk2!, { assigned: 'me' });
  assert.ok(mine.rows.some((r) => r.id === caseId && r.assigneeName !== null), 'the case is in the assignee\'s "assigned to me" list, with the name');
  const workers = await caseWorkers(rt, 'versammlungsbehoerde');
  assert.deepEqual(workers.map((w) => w.id).sort(), [actors.clerk!.id, actors.clerk2!.id, actors.supervisor!.id].sort(), 'only people who work the department\'s cases can be chosen');
});

test('a clerk may take an unassigned case for themselves, nothing more', async () => {
  const caseId = await newCase('assign-2');
  await assignCase(rt, { caseId, assigneeId: actors.clerk!.id, expectedVersion: await versionOf(caseId), actor: actors.clerk! });
  assert.equal(await assigneeOf(caseId), actors.clerk!.id);
  await assert.rejects(assignCase(rt, { caseId, assigneeId: actors.clerk2!.id, expectedVersion: await versionOf(caseId), actor: actors.clerk2! }), ForbiddenError, 'a clerk cannot take a case someone else has');
  await assert.rejects(assignCase(rt, { caseId, assigneeId: null, expectedVersion: await versionOf(caseId), actor: actors.clerk2! }), ForbiddenError, 'nor put it back');
  assert.equal(await assigneeOf(caseId), actors.clerk!.id, 'unchanged');
});

test('assignment refuses people outside the department, stale versions and other departments', async () => {
  const caseId = await newCase('assign-3');
  await assert.rejects(assignCase(rt, { caseId, assigneeId: actors.gewerbe!.id, expectedVersion: await versionOf(caseId), actor: actors.supervisor! }), ValidationError, 'a clerk of another department cannot be given the case');
  await assert.rejects(assignCase(rt, { caseId, assigneeId: actors.deptadmin!.id, expectedVersion: await versionOf(caseId), actor: actors.supervisor! }), ValidationError, 'an administrator without a clerk role cannot be given the case');
  const stale = await versionOf(caseId);
  await assignCase(rt, { caseId, assigneeId: actors.clerk!.id, expectedVersion: stale, actor: actors.supervisor! });
  await assert.rejects(assignCase(rt, { caseId, assigneeId: actors.clerk2!.id, expectedVersion: stale, actor: actors.supervisor! }), ConflictError, 'a stale form is a conflict');
  await assert.rejects(assignCase(rt, { caseId, assigneeId: actors.gewerbe!.id, expectedVersion: await versionOf(caseId), actor: actors.gewerbe! }), NotFoundError, 'staff of another department do not find the case');
});

test('administrators hold no case access of their own', async () => {
  const caseId = await newCase('assign-4');
  for (const name of ['deptadmin', 'sysadmin']) {
    const page = await inbox(rt, actors[name]!, {});
    assert.equal(page.total, 0, `${name} sees no cases in the inbox`);
    await assert.rejects(openCaseForStaff(rt, actors[name]!, caseId), NotFoundError, `${name} cannot open a case file`);
    await assert.rejects(assignCase(rt, { caseId, assigneeId: actors[name]!.id, expectedVersion: await versionOf(caseId), actor: actors[name]! }), NotFoundError, `${name} cannot assign`);
  }
});
