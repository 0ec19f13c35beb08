import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { sealAll } from '../efile/audit-chain.ts';
import { checkDefinition } from '../catalogue/check-definitions.ts';
import { Catalogue } from '../catalogue/registry.ts';
import type { FormData, ServiceDefinition } from '../catalogue/service-definition.ts';
import { serviceDefinitions } from '../services/index.ts';
import { staffActor, testRuntime, type TestRuntime } from '../test-support/runtime.ts';
import { knownEffects } from './effects.ts';
import { decideAutomatically, DECIDE_AUTOMATICALLY_JOB } from './jobs/decide-automatically.job.ts';
import { submitCase } from './submit-case.ts';
import { transitionCase } from './transition-case.ts';

/**
 * Automatic decisions (ADR 0022) against a real database: the rule takes its transition as the
 * system through the engine, leaves other cases to a clerk, decides each case once, and never
 * overrules a clerk who was quicker.
 */

/** A test-only service: "small" matters are accepted at once, others wait for a clerk. */
const autoService: ServiceDefinition = {
  id: 'test-automatic',
  version: 1,
  leikaKey: '99000000000002',
  title: { de: 'Automatisch (Test)', en: 'Automatic (test)' },
  summary: { de: 'Nur für Tests.', en: 'Tests only.' },
  keywords: [],
  identityLevel: 'none',
  feeCents: 0,
  receivingDepartment: 'gewerbeamt',
  retention: 'P1Y',
  applicantNameField: 'name',
  caseSummary: () => 'Test',
  pages: [
    {
      id: 'p',
      title: { de: 'Angaben', en: 'Details' },
      fields: [
        { id: 'name', type: 'text', label: { de: 'Name', en: 'Name' }, required: true, maxLength: 100 },
        { id: 'size', type: 'radio', label: { de: 'Umfang', en: 'Size' }, required: true, choices: [{ value: 'small', label: { de: 'Klein', en: 'Small' } }, { value: 'large', label: { de: 'Groß', en: 'Large' } }] },
      ],
    },
  ],
  process: {
    initial: 'received',
    onSubmit: ['decide_automatically'],
    automatic: (data, ctx) => (data.size === 'small' ? { transition: 'accept_automatically', input: { note: `am ${ctx.now.toISOString().slice(0, 10)}` } } : undefined),
    states: [
      { id: 'received', publicLabel: { de: 'Eingegangen', en: 'Received' }, next: { de: 'Wir prüfen.', en: 'We check.' }, expectedDuration: 'P2D' },
      { id: 'accepted', publicLabel: { de: 'Angenommen', en: 'Accepted' }, next: { de: 'Nichts mehr.', en: 'Nothing more.' }, final: true },
    ],
    transitions: [
      {
        id: 'accept_automatically',
        from: ['received'],
        to: 'accepted',
        label: { de: 'Automatisch annehmen', en: 'Accept automatically' },
        allowed: ['system'],
        inputs: [{ id: 'note', label: { de: 'Vermerk', en: 'Note' }, type: 'text', required: true, maxLength: 100, public: false }],
        effects: [],
      },
      { id: 'accept', from: ['received'], to: 'accepted', label: { de: 'Annehmen', en: 'Accept' }, allowed: ['clerk'], effects: [] },
    ],
  },
};

let rt: TestRuntime;
let deps: TestRuntime & { catalogue: Catalogue };
before(async () => {
  rt = await testRuntime();
  deps = { ...rt, catalogue: new Catalogue([...serviceDefinitions, autoService], rt.catalogue.city) };
});
after(async () => rt?.close());

async function file(data: FormData): Promise<string> {
  const r = await submitCase(deps, { serviceId: autoService.id, data, idempotencyScope: 'api', idempotencyKey: randomUUID() });
  return r.caseId;
}

test('the test service passes the definition checks', () => {
  assert.deepEqual(checkDefinition(autoService, knownEffects, rt.catalogue.city), [], 'no faults');
});

test('the submission enqueues the decision in its own transaction', async () => {
  const caseId = await file({ name: 'Anna', size: 'small' });
  const { rows } = await sql<{ data: { caseId: string } }>`select data from pgboss.job where name = ${DECIDE_AUTOMATICALLY_JOB}`.execute(rt.db);
  assert.ok(
    rows.some((r) => r.data.caseId === caseId),
    'a decide job for the case is queued',
  );
});

test('a matter the rule accepts is decided by the system once, with timeline and audit', async () => {
  const caseId = await file({ name: 'Anna', size: 'small' });
  assert.deepEqual(await decideAutomatically(deps, caseId), { decided: 'accept_automatically' }, 'the rule decides');
  const row = await rt.db.selectFrom('cases').select(['state', 'version']).where('id', '=', caseId).executeTakeFirstOrThrow();
  assert.equal(row.state, 'accepted', 'the case is accepted');
  const event = await rt.db.selectFrom('case_events').select(['actor_type', 'transition_id', 'payload']).where('case_id', '=', caseId).where('kind', '=', 'transition').executeTakeFirstOrThrow();
  assert.equal(event.actor_type, 'system', 'the system took it');
  assert.equal(event.transition_id, 'accept_automatically', 'through the rule’s transition');
  assert.match(JSON.stringify(event.payload), /am \d{4}-\d{2}-\d{2}/, 'with the rule’s input');
  await sealAll(rt.db);
  const audit = await rt.db.selectFrom('audit_log').select(['actor_type']).where('case_id', '=', caseId).where('action', '=', 'case.transition.accept_automatically').execute();
  assert.deepEqual(audit.map((a) => a.actor_type), ['system'], 'one audit entry by the system');
  assert.deepEqual(await decideAutomatically(deps, caseId), { left: 'already_moved' }, 'a second run changes nothing');
  assert.equal((await rt.db.selectFrom('cases').select('version').where('id', '=', caseId).executeTakeFirstOrThrow()).version, row.version, 'the version stays');
});

test('a matter the rule does not accept waits for a clerk, and a clerk who was quicker stands', async () => {
  const large = await file({ name: 'Bernd', size: 'large' });
  assert.deepEqual(await decideAutomatically(deps, large), { left: 'to_clerk' }, 'left to a clerk');
  assert.equal((await rt.db.selectFrom('cases').select('state').where('id', '=', large).executeTakeFirstOrThrow()).state, 'received', 'still received');

  const small = await file({ name: 'Clara', size: 'small' });
  const clerk = await staffActor(rt.db, 'gewerbe');
  await transitionCase(deps, { caseId: small, transitionId: 'accept', expectedVersion: undefined, actor: clerk, input: {} });
  assert.deepEqual(await decideAutomatically(deps, small), { left: 'already_moved' }, 'the clerk’s decision stands');
  const events = await rt.db.selectFrom('case_events').select('actor_type').where('case_id', '=', small).where('kind', '=', 'transition').execute();
  assert.deepEqual(events.map((e) => e.actor_type), ['staff'], 'only the clerk decided');
});

test('a case whose service has no automatic rule is left alone', async () => {
  const caseId = await file({ name: 'Dora', size: 'small' });
  // The shipped catalogue without the test service: nothing to decide with.
  assert.deepEqual(await decideAutomatically(rt, caseId), { left: 'no_rule' }, 'no rule, no decision');
  assert.equal((await rt.db.selectFrom('cases').select('state').where('id', '=', caseId).executeTakeFirstOrThrow()).state, 'received', 'still received');
});
