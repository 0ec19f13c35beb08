import { sql } from 'kysely';
import type { ServiceDefinition, Text } from '../catalogue/service-definition.ts';
import { appendAudit } from '../efile/audit-chain.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import type { CaseEventRow, CaseRow } from '../schema.ts';
import { accessCodeMatches } from './access-code.ts';
import { escalatedAtSql } from './escalations.ts';
import type { Actor, CaseDeps } from './case-deps.ts';
import { staffDepartments } from './case-deps.ts';
import { parseReference } from './reference.ts';

/* ---------- the citizen's status ---------- */

interface PublicEvent {
  readonly at: Date;
  readonly text: Text;
  /** Public inputs of the transition (conditions, reasons, messages), labelled. */
  readonly details: ReadonlyArray<{ readonly label: Text; readonly value: string }>;
}

export interface CaseStatus {
  readonly caseId: string;
  readonly reference: string;
  readonly service: ServiceDefinition;
  readonly state: string;
  readonly stateLabel: Text;
  readonly next: Text;
  readonly dueAt: Date | null;
  readonly final: boolean;
  readonly submittedAt: Date;
  readonly version: number;
  readonly events: PublicEvent[];
  /** Transitions the applicant may take now (e.g. withdraw). */
  readonly applicantActions: ReadonlyArray<{ readonly id: string; readonly label: Text }>;
}

const SUBMITTED_TEXT: Text = { de: 'Ihr Antrag ist bei uns eingegangen.', en: 'We have received your submission.' };

export function toStatus(row: CaseRow, events: CaseEventRow[], def: ServiceDefinition): CaseStatus {
  const state = def.process.states.find((s) => s.id === row.state)!;
  const publicEvents: PublicEvent[] = [];
  for (const e of events) {
    if (!e.public) continue;
    if (e.kind === 'submitted') {
      publicEvents.push({ at: e.at, text: SUBMITTED_TEXT, details: [] });
      continue;
    }
    const tr = def.process.transitions.find((t) => t.id === e.transition_id);
    if (!tr?.publicEvent) continue;
    const payload = e.payload as Record<string, string>;
    const details = (tr.inputs ?? []).filter((i) => i.public && payload[i.id]).map((i) => ({ label: i.publicLabel ?? i.label, value: payload[i.id]! }));
    publicEvents.push({ at: e.at, text: tr.publicEvent, details });
  }
  return {
    caseId: row.id,
    reference: row.reference,
    service: def,
    state: row.state,
    stateLabel: state.publicLabel,
    next: state.next,
    dueAt: row.due_at,
    final: state.final === true,
    submittedAt: row.submitted_at,
    version: row.version,
    events: publicEvents,
    applicantActions: def.process.transitions
      .filter((t) => t.allowed.includes('applicant') && t.from.includes(row.state))
      .map((t) => ({ id: t.id, label: t.label })),
  };
}

const UNKNOWN: Text = {
  de: 'Wir finden keinen Vorgang mit diesem Aktenzeichen und diesem Zugangscode. Bitte prüfen Sie beide Angaben in Ihrer Eingangsbestätigung.',
  en: 'We cannot find a case with this reference and access code. Please check both in your confirmation.',
};

/**
 * Status by reference + access code. An unknown reference and a wrong code get the very same
 * answer (and the same work is done for both), so the lookup reveals nothing about which cases exist.
 */
export async function lookupStatus(deps: CaseDeps, referenceInput: string, accessCode: string): Promise<CaseStatus> {
  const problems = [];
  if (referenceInput.trim() === '') problems.push({ field: 'reference', message: { de: 'Bitte geben Sie das Aktenzeichen an, z. B. HAL-2026-000123-7.', en: 'Enter the case reference, for example HAL-2026-000123-7.' } });
  if (accessCode.trim() === '') problems.push({ field: 'accessCode', message: { de: 'Bitte geben Sie den Zugangscode an.', en: 'Enter the access code.' } });
  if (problems.length > 0) throw new ValidationError(problems);
  const row = await findCaseByAccessCode(deps, referenceInput, accessCode);
  const def = deps.catalogue.get(row.service_id);
  if (!def) throw new NotFoundError(UNKNOWN);
  const events = await deps.db.selectFrom('case_events').selectAll().where('case_id', '=', row.id).orderBy('id').execute();
  return toStatus(row, events, def);
}

/**
 * The case with this reference, if the access code is right; the same NotFoundError for an
 * unknown reference and a wrong code (and the same work for both). Callers check the input is
 * not empty.
 */
export async function findCaseByAccessCode(deps: Pick<CaseDeps, 'db'>, referenceInput: string, accessCode: string): Promise<CaseRow> {
  const reference = parseReference(referenceInput);
  const row = reference ? await deps.db.selectFrom('cases').selectAll().where('reference', '=', reference).executeTakeFirst() : undefined;
  const ok = accessCodeMatches(accessCode, row?.access_code_hash);
  if (!row || !ok) throw new NotFoundError(UNKNOWN);
  return row;
}

/* ---------- the staff inbox ---------- */

export interface InboxFilter {
  readonly state?: string;
  readonly serviceId?: string;
  /** `overdue`: due before now; `today`: due within 24 h; `week`: within 7 days; `escalated`: overdue and escalated to the supervisors (ADR 0020). */
  readonly due?: 'overdue' | 'today' | 'week' | 'escalated';
  readonly sort?: 'due' | 'submitted' | 'submitted_desc';
  /** `me`: assigned to the actor; `none`: not assigned to anyone yet. */
  readonly assigned?: 'me' | 'none';
  readonly page?: number;
  readonly pageSize?: number;
}

interface InboxRow {
  readonly id: string;
  readonly reference: string;
  readonly serviceId: string;
  readonly state: string;
  readonly departmentId: string;
  readonly applicantName: string;
  readonly summary: Record<string, unknown>;
  readonly submittedAt: Date;
  readonly dueAt: Date | null;
  /** When the current overdue period (this state, this due date) was escalated; null if not. */
  readonly escalatedAt: Date | null;
  readonly assigneeName: string | null;
}

export interface InboxPage {
  readonly rows: InboxRow[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly pages: number;
}

/** The department-scoped inbox: the actor's departments are part of the query. */
export async function inbox(deps: CaseDeps, actor: Actor, filter: InboxFilter): Promise<InboxPage> {
  const departments = staffDepartments(actor);
  const pageSize = Math.min(Math.max(filter.pageSize ?? 25, 5), 100);
  const page = Math.max(filter.page ?? 1, 1);
  if (departments.length === 0) return { rows: [], total: 0, page: 1, pageSize, pages: 1 };
  const now = deps.now();
  let q = deps.db.selectFrom('cases').where('cases.department_id', 'in', departments);
  if (filter.state) q = q.where('cases.state', '=', filter.state);
  if (filter.serviceId) q = q.where('cases.service_id', '=', filter.serviceId);
  if (filter.due === 'overdue') q = q.where('cases.due_at', '<', now);
  if (filter.due === 'today') q = q.where('cases.due_at', '<', new Date(now.getTime() + 24 * 3600_000));
  if (filter.due === 'week') q = q.where('cases.due_at', '<', new Date(now.getTime() + 7 * 24 * 3600_000));
  if (filter.due === 'escalated') q = q.where(sql<boolean>`${escalatedAtSql} is not null`);
  if (filter.assigned === 'me' && actor.type === 'staff') q = q.where('cases.assignee_id', '=', actor.id);
  if (filter.assigned === 'none') q = q.where('cases.assignee_id', 'is', null);
  const { total } = await q.select(sql<string>`count(*)::text`.as('total')).executeTakeFirstOrThrow();
  let rowsQ = q
    .leftJoin('staff_users', 'staff_users.id', 'cases.assignee_id')
    .select(['cases.id', 'cases.reference', 'cases.service_id', 'cases.state', 'cases.department_id', 'cases.applicant', 'cases.form_data', 'cases.submitted_at', 'cases.due_at', 'staff_users.display_name as assignee_name', escalatedAtSql.as('escalated_at')]);
  if (filter.sort === 'submitted') rowsQ = rowsQ.orderBy('cases.submitted_at', 'asc');
  else if (filter.sort === 'submitted_desc') rowsQ = rowsQ.orderBy('cases.submitted_at', 'desc');
  else rowsQ = rowsQ.orderBy(sql`cases.due_at asc nulls last`).orderBy('cases.submitted_at', 'asc');
  const rows = await rowsQ.orderBy('cases.id').limit(pageSize).offset((page - 1) * pageSize).execute();
  const count = Number(total);
  return {
    rows: rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      serviceId: r.service_id,
      state: r.state,
      departmentId: r.department_id,
      applicantName: String((r.applicant as Record<string, unknown>).name ?? ''),
      summary: r.form_data as Record<string, unknown>,
      submittedAt: r.submitted_at,
      dueAt: r.due_at,
      escalatedAt: r.escalated_at === null ? null : new Date(r.escalated_at),
      assigneeName: r.assignee_name,
    })),
    total: count,
    page,
    pageSize,
    pages: Math.max(1, Math.ceil(count / pageSize)),
  };
}

/* ---------- the staff case view ---------- */

export interface StaffCaseView {
  readonly row: CaseRow;
  readonly def: ServiceDefinition;
  readonly events: CaseEventRow[];
  readonly staffNames: Record<string, string>;
}

/** Opens a case file for a staff member of its department; every opening is audited. */
export async function openCaseForStaff(deps: CaseDeps, actor: Actor, caseId: string, purpose: 'view' = 'view'): Promise<StaffCaseView> {
  const departments = staffDepartments(actor);
  if (actor.type !== 'staff' || departments.length === 0 || !/^[0-9a-f-]{36}$/.test(caseId)) throw new NotFoundError({ de: 'Diesen Vorgang gibt es nicht.', en: 'This case does not exist.' });
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('cases').selectAll().where('id', '=', caseId).where('department_id', 'in', departments).executeTakeFirst();
    if (!row) throw new NotFoundError({ de: 'Diesen Vorgang gibt es nicht.', en: 'This case does not exist.' });
    const def = deps.catalogue.get(row.service_id);
    if (!def) throw new NotFoundError({ de: 'Die Leistung dieses Vorgangs ist nicht mehr verfügbar.', en: 'The service of this case is no longer available.' });
    const events = await trx.selectFrom('case_events').selectAll().where('case_id', '=', row.id).orderBy('id').execute();
    const assignmentIds = events.flatMap((e) => (e.kind === 'assignment' ? [(e.payload as Record<string, string | null>).assigneeId, (e.payload as Record<string, string | null>).previousAssigneeId] : []));
    const staffIds = [...new Set([...events.map((e) => e.actor_id), ...assignmentIds, row.assignee_id].filter((v): v is string => typeof v === 'string'))];
    const staff = staffIds.length > 0 ? await trx.selectFrom('staff_users').select(['id', 'display_name']).where('id', 'in', staffIds).execute() : [];
    await appendAudit(trx, { actorType: 'staff', actorId: actor.id, action: `case.${purpose}`, caseId: row.id, details: { version: row.version } });
    return { row, def, events, staffNames: Object.fromEntries(staff.map((s) => [s.id, s.display_name])) };
  });
}

/** An internal note on the case file (never shown to the citizen). */
export async function addNote(deps: CaseDeps, actor: Actor, caseId: string, text: string): Promise<void> {
  const departments = staffDepartments(actor);
  const note = text.trim();
  if (note === '') throw new ValidationError([{ field: 'note', message: { de: 'Bitte schreiben Sie eine Notiz.', en: 'Write a note.' } }]);
  if (note.length > 4000) throw new ValidationError([{ field: 'note', message: { de: 'Eine Notiz darf höchstens 4000 Zeichen lang sein.', en: 'A note must be 4000 characters or fewer.' } }]);
  if (actor.type !== 'staff' || departments.length === 0) throw new NotFoundError();
  await deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('cases').select('id').where('id', '=', caseId).where('department_id', 'in', departments).forUpdate().executeTakeFirst();
    if (!row) throw new NotFoundError({ de: 'Diesen Vorgang gibt es nicht.', en: 'This case does not exist.' });
    await trx
      .insertInto('case_events')
      .values({ case_id: row.id, at: deps.now(), kind: 'note', actor_type: 'staff', actor_id: actor.id, public: false, payload: JSON.stringify({ text: note }) })
      .execute();
    await appendAudit(trx, { actorType: 'staff', actorId: actor.id, action: 'case.note_added', caseId: row.id, details: {} });
  });
}
