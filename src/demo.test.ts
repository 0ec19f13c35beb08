import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { seedDemoCases } from './demo.ts';
import { staffActor, testRuntime, type TestRuntime } from './test-support/runtime.ts';

/** The demo data `npm start` seeds: valid cases of several departments, once. */
let rt: TestRuntime;
before(async () => {
  rt = await testRuntime();
});
after(async () => rt?.close());

test('the demo cases are valid submissions in several departments, seeded once', async () => {
  const clerk = await staffActor(rt.db, 'clerk');
  const n = await seedDemoCases(rt, clerk.id);
  assert.equal(n, 5, 'five demo cases');
  const rows = await rt.db.selectFrom('cases').select(['service_id', 'department_id', 'state']).execute();
  assert.deepEqual([...new Set(rows.map((r) => r.department_id))].sort(), ['gewerbeamt', 'standesamt', 'versammlungsbehoerde'], 'three departments have work');
  assert.equal(rows.find((r) => r.service_id === 'gewerbeanmeldung')?.state, 'received', 'the security firm waits for a clerk');
  assert.equal(await seedDemoCases(rt, clerk.id), 0, 'a second start seeds nothing');
});
