import { sql, type Kysely } from 'kysely';
import type { Catalogue } from '../catalogue/registry.ts';
import { appendAudit } from '../efile/audit-chain.ts';
import { ROLE_PERMISSIONS } from '../identity/permissions.ts';
import { formatDateTime } from '../platform/i18n/time.ts';
import type { JobQueue } from '../platform/jobs/queue.ts';
import type { Mailer } from '../platform/mail/mailer.ts';
import type { Database, StaffRole } from '../schema.ts';

/**
 * Escalation of overdue cases (ADR 0020). A case whose due date (set on entering its state from
 * the state's `deadline` or `expectedDuration`, see `deadlines.ts`) has passed while it is still
 * open and in that state is escalated once: a `case_escalations` row (unique per case, state and
 * due date), an internal timeline event, an audit entry `case.escalated`, and a mail job to the
 * supervisors of the case's department — all in one transaction. Moving the case on before the
 * due date clears the date or sets a new one, so it never escalates for the old one.
 */

export const ESCALATION_MAIL_JOB = 'cases.escalation-mail';

/** Roles that oversee a department's cases: those holding `case.assign` (supervisors). */
export const SUPERVISOR_ROLES: readonly StaffRole[] = (Object.entries(ROLE_PERMISSIONS) as [StaffRole, readonly string[]][]).filter(([, ps]) => ps.includes('case.assign')).map(([r]) => r);

export interface EscalationDeps {
  readonly db: Kysely<Database>;
  readonly jobs: JobQueue;
  readonly catalogue: Catalogue;
  readonly now: () => Date;
}

export interface EscalationMailDeps {
  readonly db: Kysely<Database>;
  readonly catalogue: Catalogue;
  readonly mailer: Mailer;
  readonly publicUrl: string;
  readonly now: () => Date;
}

/** Open cases past their due date that have no escalation for this state and due date yet. */
function overdueCandidates(db: Kysely<Database>, now: Date, limit: number) {
  return db
    .selectFrom('cases')
    .select(['cases.id', 'cases.service_id', 'cases.state', 'cases.due_at'])
    .where('cases.due_at', '<', now)
    .where('cases.closed_at', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('case_escalations as e').select('e.id').whereRef('e.case_id', '=', 'cases.id').whereRef('e.state', '=', 'cases.state').whereRef('e.due_at', '=', 'cases.due_at'))),
    )
    .orderBy('cases.due_at')
    .orderBy('cases.id')
    .limit(limit)
    .execute();
}

const BATCH = 100;
const MAX_PER_RUN = 2000;

/**
 * Escalates every case that is overdue at `now` and not escalated for its current due date; each
 * case in its own short transaction (row lock, re-check, insert). Safe to run concurrently and
 * repeatedly: the unique key makes a second escalation of the same period a no-op.
 */
export async function escalateOverdueCases(deps: EscalationDeps): Promise<{ escalated: number }> {
  const now = deps.now();
  let escalated = 0;
  const skipped = new Set<string>();
  for (let seen = 0; seen < MAX_PER_RUN; ) {
    const batch = (await overdueCandidates(deps.db, now, BATCH + skipped.size)).filter((c) => !skipped.has(c.id));
    if (batch.length === 0) break;
    for (const c of batch) {
      seen++;
      const state = deps.catalogue.get(c.service_id)?.process.states.find((s) => s.id === c.state);
      // A state the definition no longer knows, or a final one, has no time limit to escalate.
      if (!state || state.final || !c.due_at) {
        skipped.add(c.id);
        continue;
      }
      if (await escalateOne(deps, c.id, c.state, c.due_at, now)) escalated++;
      else skipped.add(c.id);
    }
    if (batch.length < BATCH) break;
  }
  return { escalated };
}

async function escalateOne(deps: EscalationDeps, caseId: string, state: string, dueAt: Date, now: Date): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    // Lock and look again: the case may have moved on since the candidate query.
    const row = await trx.selectFrom('cases').select(['id', 'state', 'due_at', 'closed_at']).where('id', '=', caseId).forUpdate().executeTakeFirst();
    if (!row || row.state !== state || row.closed_at !== null || row.due_at?.getTime() !== dueAt.getTime() || row.due_at.getTime() >= now.getTime()) return false;
    const inserted = await trx
      .insertInto('case_escalations')
      .values({ case_id: caseId, state, due_at: row.due_at, escalated_at: now })
      .onConflict((oc) => oc.columns(['case_id', 'state', 'due_at']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return false;
    await trx
      .insertInto('case_events')
      .values({
        case_id: caseId,
        at: now,
        kind: 'escalation',
        transition_id: null,
        from_state: state,
        to_state: null,
        actor_type: 'system',
        actor_id: null,
        public: false,
        payload: JSON.stringify({ escalationId: inserted.id, dueAt: row.due_at.toISOString() }),
      })
      .execute();
    await appendAudit(trx, { actorType: 'system', actorId: null, action: 'case.escalated', caseId, details: { escalationId: inserted.id, state, dueAt: row.due_at.toISOString() } });
    await deps.jobs.enqueue(trx, ESCALATION_MAIL_JOB, { escalationId: inserted.id }, { singletonKey: `escalation:${inserted.id}` });
    return true;
  });
}

/**
 * Mails the supervisors of the case's department that it is overdue: reference, service, state,
 * due date and the link to the case file, nothing about the applicant. Idempotent per escalation
 * and person (the outbox's dedupe key). Supervisors without an e-mail address are not reached;
 * the escalation still shows in the inbox.
 */
export async function sendEscalationMails(deps: EscalationMailDeps, escalationId: string): Promise<{ notified: number }> {
  const esc = await deps.db
    .selectFrom('case_escalations as e')
    .innerJoin('cases as c', 'c.id', 'e.case_id')
    .select(['e.id', 'e.state', 'e.due_at', 'c.id as case_id', 'c.reference', 'c.service_id', 'c.department_id'])
    .where('e.id', '=', escalationId)
    .executeTakeFirst();
  if (!esc) return { notified: 0 };
  const supervisors = await deps.db
    .selectFrom('staff_users as u')
    .innerJoin('role_grants as g', 'g.staff_user_id', 'u.id')
    .select(['u.id', 'u.email'])
    .distinct()
    .where('g.department_id', '=', esc.department_id)
    .where('g.role', 'in', [...SUPERVISOR_ROLES])
    .where('u.active', '=', true)
    .where('u.email', 'is not', null)
    .orderBy('u.id')
    .execute();
  const def = deps.catalogue.get(esc.service_id);
  const city = deps.catalogue.city;
  const service = def?.title ?? { de: esc.service_id, en: esc.service_id };
  const state = def?.process.states.find((s) => s.id === esc.state)?.publicLabel ?? { de: esc.state, en: esc.state };
  const department = city.departments.find((d) => d.id === esc.department_id)?.name ?? { de: esc.department_id, en: esc.department_id };
  const link = `${deps.publicUrl}/staff/cases/${esc.case_id}`;
  const lines = {
    de: [
      'Guten Tag,',
      `der Vorgang ${esc.reference} („${service.de}“) ist überfällig.`,
      `Stand: ${state.de}. Fällig war er am ${formatDateTime(esc.due_at, 'de', city.timeZone)}.`,
      'Bitte sorgen Sie dafür, dass er bearbeitet wird.',
      `Sie erhalten diese Nachricht als Sachgebietsleitung (${department.de}).`,
    ],
    en: [
      'Hello,',
      `Case ${esc.reference} (“${service.en}”) is overdue.`,
      `State: ${state.en}. It was due on ${formatDateTime(esc.due_at, 'en', city.timeZone)}.`,
      'Please make sure it is dealt with.',
      `You receive this message as a supervisor (${department.en}).`,
    ],
  };
  const body = render(lines, link);
  let notified = 0;
  for (const s of supervisors) {
    if (!s.email) continue;
    await deps.mailer.send({ dedupeKey: `escalation:${esc.id}:${s.id}`, to: s.email, subject: `Frist überschritten / Overdue: ${esc.reference}`, ...body });
    notified++;
  }
  await deps.db.updateTable('case_escalations').set({ notified_supervisors: notified, notified_at: deps.now() }).where('id', '=', esc.id).execute();
  return { notified };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function render(lines: { de: string[]; en: string[] }, link: string): { text: string; html: string } {
  const text = [...lines.de, '', `Vorgang: ${link}`, '', '— English —', '', ...lines.en, '', `Case: ${link}`, ''].join('\n');
  const para = (ls: string[]) => ls.map((l) => `<p>${escapeHtml(l)}</p>`).join('');
  const html = `<!doctype html><html lang="de"><body>${para(lines.de)}<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p><hr><div lang="en">${para(lines.en)}</div></body></html>`;
  return { text, html };
}

/** The case's open escalation: for its current state and due date (none once it moved on). */
export async function currentEscalation(db: Kysely<Database>, caseId: string): Promise<{ escalatedAt: Date; dueAt: Date; notifiedSupervisors: number } | undefined> {
  const row = await db
    .selectFrom('case_escalations as e')
    .innerJoin('cases as c', (j) => j.onRef('c.id', '=', 'e.case_id').onRef('c.state', '=', 'e.state').onRef('c.due_at', '=', 'e.due_at'))
    .select(['e.escalated_at', 'e.due_at', 'e.notified_supervisors'])
    .where('e.case_id', '=', caseId)
    .executeTakeFirst();
  return row ? { escalatedAt: row.escalated_at, dueAt: row.due_at, notifiedSupervisors: row.notified_supervisors } : undefined;
}

/** SQL for the inbox: when the case's current overdue period was escalated (null if not). */
export const escalatedAtSql = sql<Date | null>`(select max(e.escalated_at) from case_escalations e where e.case_id = cases.id and e.state = cases.state and e.due_at = cases.due_at)`;
