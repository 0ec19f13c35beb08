import type { Kysely } from 'kysely';
import type { CaseDeps } from '../../cases/case-deps.ts';
import { transitionCase } from '../../cases/transition-case.ts';
import { appendAudit } from '../../efile/audit-chain.ts';
import { ConflictError } from '../../platform/errors.ts';
import type { JobDefinition } from '../../platform/jobs/queue.ts';
import type { Database } from '../../schema.ts';
import { callbackToken, encodeMessage, externalAuthorityFor, forwardableData, signBody, SIGNATURE_HEADER, type AuthorityMessage, type ExternalAuthority } from './authority.ts';

/**
 * The `forward_to_authority` effect (ADR 0023): sends the notice (on submission) or the
 * withdrawal to the service's external receiving authority over HTTP, signed with the shared
 * secret, and records the delivery for the staff's case file. Once the notice is delivered the
 * system takes the `forward` transition through the engine (timeline, audit, notification).
 * Nothing happens for a service a city department handles.
 *
 * Idempotent: one delivery row per case event; a delivered or cancelled one is not sent again,
 * and the authority gets a stable `messageId` to drop a repeat (a timeout may hide a delivery).
 * A notice is cancelled instead of sent once the case has left `received` without it (the
 * citizen withdrew, or the department took the case over while the authority was unreachable).
 * Retry: the authority's `retryLimit` (default 10) starting `retryDelaySeconds` apart (default
 * 60 s) and doubling: 1 + 2 + … + 512 minutes, about 17 hours in all; then the delivery shows as
 * failed in the case file and the job at /staff/admin/jobs, where it can be sent round again.
 */
const FORWARD_JOB = 'authority.forward';

export interface ForwardDeps extends Pick<CaseDeps, 'db' | 'jobs' | 'catalogue' | 'now'> {
  readonly publicUrl: string;
  /** The external authority of a service, if it has one (built at start-up, `externalAuthorityFor`). */
  readonly authorityOf: (serviceId: string) => ExternalAuthority | undefined;
}

export interface ForwardPayload {
  readonly caseId: string;
  readonly eventId: string;
}

function parseForwardPayload(data: unknown): ForwardPayload {
  const d = data as { caseId?: unknown; eventId?: unknown } | null;
  const eventId = typeof d?.eventId === 'number' ? String(d.eventId) : d?.eventId;
  if (!d || typeof d.caseId !== 'string' || !/^[0-9a-f-]{36}$/.test(d.caseId) || typeof eventId !== 'string' || !/^[1-9][0-9]{0,18}$/.test(eventId))
    throw new Error(`${FORWARD_JOB} job: payload needs caseId (uuid) and eventId (a case event id)`);
  return { caseId: d.caseId, eventId };
}

type ForwardOutcome = 'no_authority' | 'not_forwarded' | 'delivered' | 'already_delivered' | 'cancelled';

/** Thrown for a failed attempt: the job fails and pg-boss tries again later. */
class DeliveryFailedError extends Error {}

/** The public path of the answer API; the authority gets it (absolute) with every message. */
export const ANSWER_PATH = '/api/v1/authority/answers';

async function forwardCaseEvent(deps: ForwardDeps, payload: ForwardPayload): Promise<ForwardOutcome> {
  const { db } = deps;
  const row = await db
    .selectFrom('cases')
    .select(['id', 'reference', 'service_id', 'service_version', 'state', 'form_data', 'submitted_at'])
    .where('id', '=', payload.caseId)
    .executeTakeFirst();
  if (!row) throw new Error(`${FORWARD_JOB}: case ${payload.caseId} not found`);
  const authority = deps.authorityOf(row.service_id);
  const def = deps.catalogue.get(row.service_id);
  if (!authority || !def) return 'no_authority';
  const event = await db.selectFrom('case_events').select(['id', 'kind', 'transition_id']).where('id', '=', payload.eventId).where('case_id', '=', row.id).executeTakeFirst();
  const kind = event?.kind === 'submitted' ? 'notice' : event?.transition_id === 'withdraw' ? 'withdrawal' : undefined;
  if (!event || !kind) return 'not_forwarded';

  await db
    .insertInto('authority_deliveries')
    .values({ case_id: row.id, event_id: event.id, authority_id: authority.id, message_kind: kind })
    .onConflict((oc) => oc.columns(['case_id', 'event_id']).doNothing())
    .execute();
  const delivery = await db.selectFrom('authority_deliveries').selectAll().where('case_id', '=', row.id).where('event_id', '=', event.id).executeTakeFirstOrThrow();
  if (delivery.status === 'cancelled') return 'cancelled';
  if (delivery.status === 'delivered') {
    if (kind === 'notice') await recordForwarded(deps, row.id, authority);
    return 'already_delivered';
  }

  if (kind === 'notice' && row.state !== def.process.initial) return cancel(db, delivery.id, row.id, authority, 'case_moved_on');
  if (kind === 'withdrawal') {
    const notice = await db.selectFrom('authority_deliveries').select('status').where('case_id', '=', row.id).where('message_kind', '=', 'notice').executeTakeFirst();
    // Nothing to withdraw at an authority that never got the notice. While the notice is still on
    // its way, wait for it (retry), so the withdrawal never overtakes it.
    if (!notice || notice.status === 'cancelled' || notice.status === 'failed') return cancel(db, delivery.id, row.id, authority, 'notice_not_delivered');
    if (notice.status !== 'delivered') throw new DeliveryFailedError('the notice is not delivered yet; the withdrawal waits for it');
  }

  const message: AuthorityMessage = {
    messageId: delivery.id,
    type: kind,
    reference: row.reference,
    submittedAt: new Date(row.submitted_at).toISOString(),
    service: { id: def.id, version: row.service_version, leikaKey: def.leikaKey, title: def.title.de },
    municipalityKey: deps.catalogue.city.municipalityKey,
    callback: { url: `${deps.publicUrl}${ANSWER_PATH}`, token: callbackToken(authority, row.id) },
    ...(kind === 'notice' ? { data: forwardableData(def, row.form_data as Record<string, string | string[]>) } : {}),
  };
  const [contentType, body] = encodeMessage(message, authority.format);
  const attempt = delivery.attempts + 1;
  const attemptAt = deps.now();
  let problem: string | undefined;
  try {
    const res = await fetch(authority.endpoint, {
      method: 'POST',
      headers: { 'content-type': `${contentType}; charset=utf-8`, [SIGNATURE_HEADER]: signBody(authority.secret, body, attemptAt), 'idempotency-key': delivery.id },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(authority.timeoutSeconds * 1000),
    });
    // The body is not read into anything: the authority answers through the answer API.
    await res.body?.cancel();
    if (!res.ok) problem = `HTTP ${res.status}`;
  } catch (err) {
    problem = (err as Error).name === 'TimeoutError' ? 'timeout' : 'connection failed';
  }

  if (problem) {
    // pg-boss makes retryLimit + 1 attempts; after the last one the delivery counts as failed.
    const status = attempt > authority.retryLimit ? 'failed' : 'retrying';
    await db.updateTable('authority_deliveries').set({ status, attempts: attempt, last_attempt_at: attemptAt, last_error: problem }).where('id', '=', delivery.id).execute();
    throw new DeliveryFailedError(`delivery to ${authority.id} failed (${problem}), attempt ${attempt}`);
  }
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('authority_deliveries')
      .set({ status: 'delivered', attempts: attempt, last_attempt_at: attemptAt, delivered_at: deps.now(), last_error: null })
      .where('id', '=', delivery.id)
      .where('status', '!=', 'delivered')
      .execute();
    // Personal data left the city: the audit trail says to whom and what, never the data itself.
    await appendAudit(trx, { actorType: 'system', actorId: null, action: 'case.forwarded_to_authority', caseId: row.id, details: { authorityId: authority.id, kind, deliveryId: delivery.id, attempts: attempt } });
  });
  if (kind === 'notice') await recordForwarded(deps, row.id, authority);
  return 'delivered';
}

async function cancel(db: Kysely<Database>, deliveryId: string, caseId: string, authority: ExternalAuthority, reason: string): Promise<'cancelled'> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('authority_deliveries').set({ status: 'cancelled', last_error: reason }).where('id', '=', deliveryId).execute();
    await appendAudit(trx, { actorType: 'system', actorId: null, action: 'case.forwarding_cancelled', caseId, details: { authorityId: authority.id, deliveryId, reason } });
  });
  return 'cancelled';
}

/** The `forward` transition through the engine; a case that has moved on (the authority already answered) stays where it is. */
async function recordForwarded(deps: ForwardDeps, caseId: string, authority: ExternalAuthority): Promise<void> {
  const row = await deps.db.selectFrom('cases').select(['state', 'service_id']).where('id', '=', caseId).executeTakeFirst();
  const def = row && deps.catalogue.get(row.service_id);
  if (!row || !def || row.state !== def.process.initial || !def.process.transitions.some((t) => t.id === 'forward')) return;
  try {
    await transitionCase(deps, { caseId, transitionId: 'forward', expectedVersion: undefined, actor: { type: 'system' }, input: { authority: authority.name.de } });
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
  }
}

function forwardToAuthorityJob(deps: ForwardDeps, retry: { limit: number; delaySeconds: number }): JobDefinition<ForwardPayload> {
  return {
    name: FORWARD_JOB,
    retry: { limit: retry.limit, delaySeconds: retry.delaySeconds, backoff: true },
    parse: parseForwardPayload,
    async handle(payload, { log }) {
      const outcome = await forwardCaseEvent(deps, payload);
      // Ids only: nothing of the case in the log.
      log.info({ caseId: payload.caseId, eventId: payload.eventId, outcome }, 'authority forwarding');
    },
  };
}

/**
 * The job as the runtime registers it: every service's external authority is resolved now, at
 * start-up, so a missing secret stops the start rather than the first delivery.
 */
export function authorityForwardingJob(deps: Omit<ForwardDeps, 'authorityOf'> & { readonly production: boolean; readonly env: Readonly<Record<string, string | undefined>> }): JobDefinition<ForwardPayload> {
  const authorities = new Map(deps.catalogue.all().flatMap((def) => {
    const a = externalAuthorityFor(deps.catalogue.city, def.id, deps.env, deps.production);
    return a ? [[def.id, a] as const] : [];
  }));
  const first = authorities.values().next().value as ExternalAuthority | undefined;
  return forwardToAuthorityJob(
    { db: deps.db, jobs: deps.jobs, catalogue: deps.catalogue, now: deps.now, publicUrl: deps.publicUrl, authorityOf: (id) => authorities.get(id) },
    { limit: first?.retryLimit ?? 10, delaySeconds: first?.retryDelaySeconds ?? 60 },
  );
}
