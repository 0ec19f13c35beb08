import type { JobDefinition } from '../../platform/jobs/queue.ts';
import { ConflictError } from '../../platform/errors.ts';
import type { CaseDeps } from '../case-deps.ts';
import { caseEventPayloadParser, type CaseEventPayload } from './case-event-payload.ts';
import { transitionCase } from '../transition-case.ts';

export const DECIDE_AUTOMATICALLY_JOB = 'case.decide-automatically';

export type DecideDeps = Pick<CaseDeps, 'db' | 'jobs' | 'catalogue' | 'now'>;

export type DecideOutcome = { readonly decided: string } | { readonly left: 'to_clerk' | 'already_moved' | 'no_rule' };

/**
 * The `decide_automatically` effect (ADR 0022): the service's `process.automatic` rule looks at
 * the submitted answers, as they were at the submission and with its time, and either names a
 * transition from the initial state, which the system takes through the engine (timeline, audit,
 * effects as for a clerk's decision), or leaves the case to a clerk. A case that has already left
 * its initial state (a clerk was quicker, the job runs twice) is left alone, so the job is
 * idempotent.
 */
export async function decideAutomatically(deps: DecideDeps, caseId: string): Promise<DecideOutcome> {
  const row = await deps.db.selectFrom('cases').select(['id', 'service_id', 'state', 'form_data', 'submitted_at']).where('id', '=', caseId).executeTakeFirst();
  if (!row) throw new Error(`case.decide-automatically: case ${caseId} not found`);
  const def = deps.catalogue.get(row.service_id);
  const rule = def?.process.automatic;
  if (!def || !rule) return { left: 'no_rule' };
  if (row.state !== def.process.initial) return { left: 'already_moved' };
  const decision = rule(row.form_data as Record<string, string>, { now: new Date(row.submitted_at), timeZone: deps.catalogue.city.timeZone });
  if (!decision) return { left: 'to_clerk' };
  try {
    await transitionCase(deps, { caseId, transitionId: decision.transition, expectedVersion: undefined, actor: { type: 'system' }, input: { ...decision.input } });
  } catch (err) {
    // Someone moved the case between the read and the lock: their decision stands.
    if (err instanceof ConflictError) return { left: 'already_moved' };
    throw err;
  }
  return { decided: decision.transition };
}

/**
 * Retry: 5 attempts 10 s apart and doubling (about 5 minutes in all), then the job fails visibly
 * at /staff/admin/jobs and the case simply waits for a clerk in the inbox.
 */
export function decideAutomaticallyJob(deps: DecideDeps): JobDefinition<CaseEventPayload> {
  return {
    name: DECIDE_AUTOMATICALLY_JOB,
    retry: { limit: 5, delaySeconds: 10, backoff: true },
    parse: caseEventPayloadParser(DECIDE_AUTOMATICALLY_JOB),
    async handle(payload, { log }) {
      const outcome = await decideAutomatically(deps, payload.caseId);
      log.info({ caseId: payload.caseId, ...outcome }, 'automatic decision');
    },
  };
}
