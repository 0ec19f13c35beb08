import type { Kysely } from 'kysely';
import { isVisible, validatePage } from '../catalogue/form-validation.ts';
import { allFields, type Field, type FormData, type FormPage, type ServiceDefinition } from '../catalogue/service-definition.ts';
import { appendAudit } from '../efile/audit-chain.ts';
import { removeCaseText } from '../efile/case-search.ts';
import { storeDocument } from '../efile/documents.ts';
import { acceptUpload } from '../efile/uploads/accept-upload.ts';
import { hasPermission } from '../identity/permissions.ts';
import { ConflictError, NotFoundError, ValidationError, type FieldProblem } from '../platform/errors.ts';
import { isCalendarDate, zonedInstant, zonedToday } from '../platform/i18n/time.ts';
import type { JobDefinition } from '../platform/jobs/queue.ts';
import type { Database, InformationAnswer } from '../schema.ts';
import { enqueueNotification } from '../notifications/notify.ts';
import { staffDepartments, type Actor } from './case-deps.ts';
import { insertMessage, type MailboxDeps } from './mailbox.ts';

/**
 * Requests for more information (Nachforderung): a clerk names exactly which answers of the form
 * and which documents are missing, with a note and a deadline. The citizen's status page shows
 * "waiting for you"; the form reopens with only those questions, filled with what the case holds;
 * the answer changes the same case (one transaction: the form data, the documents, the request
 * with a record of what changed, a message in the Postfach for the clerk). A reminder goes out two
 * days before the deadline. One open request per case.
 */
export const REQUEST_DOCUMENT_LIMIT = 10 * 1024 * 1024;
const REMINDER_HOURS_BEFORE = 48;

export interface InformationRequest {
  readonly id: string;
  readonly caseId: string;
  readonly fieldIds: readonly string[];
  readonly documents: ReadonlyArray<{ id: string; label: string }>;
  readonly note: string;
  readonly dueAt: Date;
  readonly status: 'open' | 'answered' | 'cancelled';
  readonly createdAt: Date;
  readonly answeredAt: Date | null;
  readonly answer: InformationAnswer | null;
}

const toRequest = (r: Awaited<ReturnType<typeof loadRows>>[number]): InformationRequest => ({
  id: r.id,
  caseId: r.case_id,
  fieldIds: r.field_ids,
  documents: r.documents,
  note: r.note,
  dueAt: r.due_at,
  status: r.status,
  createdAt: r.created_at,
  answeredAt: r.answered_at,
  answer: r.answer,
});

function loadRows(db: Kysely<Database>, caseId: string) {
  return db.selectFrom('information_requests').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute();
}

/** Every request of a case, oldest first. */
export async function caseRequests(db: Kysely<Database>, caseId: string): Promise<InformationRequest[]> {
  return (await loadRows(db, caseId)).map(toRequest);
}

export async function openRequest(db: Kysely<Database>, caseId: string): Promise<InformationRequest | undefined> {
  return (await caseRequests(db, caseId)).find((r) => r.status === 'open');
}

/** The fields a clerk may ask again: shown for this case's answers, not confirmed by an identity proof, not files. */
export function requestableFields(def: ServiceDefinition, data: FormData, timeZone: string, now: Date): Field[] {
  return allFields(def).filter((f) => f.type !== 'file' && f.prefill === undefined && isVisible(f, data, { now, timeZone }));
}

const msg = (de: string, en: string) => ({ de, en });

export async function requestInformation(
  deps: MailboxDeps,
  actor: Actor,
  caseId: string,
  input: { fieldIds: readonly string[]; documents: string; note: string; dueDate: string },
): Promise<InformationRequest> {
  const departments = staffDepartments(actor);
  if (actor.type !== 'staff' || departments.length === 0 || !/^[0-9a-f-]{36}$/.test(caseId)) throw new NotFoundError();
  const now = deps.now();
  const tz = deps.catalogue.city.timeZone;
  return deps.db.transaction().execute(async (trx) => {
    const c = await trx.selectFrom('cases').selectAll().where('id', '=', caseId).where('department_id', 'in', departments).forUpdate().executeTakeFirst();
    if (!c || !hasPermission(actor, 'case.work', c.department_id)) throw new NotFoundError({ de: 'Diesen Vorgang gibt es nicht.', en: 'This case does not exist.' });
    const def = deps.catalogue.get(c.service_id);
    if (!def) throw new NotFoundError();
    if (def.process.states.find((s) => s.id === c.state)?.final || c.erased_at) throw new ConflictError(msg('Dieser Vorgang ist abgeschlossen; es kann nichts mehr nachgefordert werden.', 'This case is closed; nothing more can be requested.'));

    const allowed = new Set(requestableFields(def, c.form_data as FormData, tz, now).map((f) => f.id));
    const fieldIds = [...new Set(input.fieldIds)].filter((id) => allowed.has(id));
    const documents = input.documents
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .map((label, i) => ({ id: `doc${i + 1}`, label: label.slice(0, 200) }));
    const note = input.note.trim();
    const problems: FieldProblem[] = [];
    if (input.fieldIds.some((id) => !allowed.has(id))) problems.push({ field: 'request-fields', message: msg('Diese Angabe kann nicht nachgefordert werden.', 'This answer cannot be requested.') });
    else if (fieldIds.length === 0 && documents.length === 0) problems.push({ field: 'request-fields', message: msg('Bitte wählen Sie mindestens eine Angabe oder nennen Sie ein Dokument.', 'Choose at least one answer or name a document.') });
    if (documents.length > 10) problems.push({ field: 'request-documents', message: msg('Bitte nennen Sie höchstens 10 Dokumente.', 'Name at most 10 documents.') });
    if (note === '') problems.push({ field: 'request-note', message: msg('Bitte schreiben Sie, was fehlt und warum.', 'Write what is missing and why.') });
    else if (note.length > 4000) problems.push({ field: 'request-note', message: msg('Der Hinweis darf höchstens 4000 Zeichen lang sein.', 'The note must be 4000 characters or fewer.') });
    const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(input.dueDate.trim());
    const due = german ? `${german[3]}-${german[2]!.padStart(2, '0')}-${german[1]!.padStart(2, '0')}` : input.dueDate.trim();
    const today = zonedToday(now, tz);
    const latest = zonedToday(new Date(now.getTime() + 90 * 24 * 3600_000), tz);
    if (!isCalendarDate(due) || due <= today || due > latest) problems.push({ field: 'request-due', message: msg('Bitte geben Sie eine Frist zwischen morgen und in 90 Tagen an, z. B. 17.05.2027.', 'Enter a deadline between tomorrow and 90 days from now, for example 17.05.2027.') });
    if (problems.length > 0) throw new ValidationError(problems);

    const existing = await trx.selectFrom('information_requests').select('id').where('case_id', '=', c.id).where('status', '=', 'open').executeTakeFirst();
    if (existing) throw new ConflictError(msg('Zu diesem Vorgang ist schon eine Nachforderung offen. Ziehen Sie sie zurück, bevor Sie eine neue stellen.', 'A request is already open for this case. Withdraw it before making a new one.'));
    // The deadline ends with the chosen day in the city's time zone.
    const dueAt = zonedInstant(due, '23:59', tz)!;
    const row = await trx
      .insertInto('information_requests')
      .values({ case_id: c.id, requested_by: actor.id, field_ids: JSON.stringify(fieldIds), documents: JSON.stringify(documents), note, due_at: dueAt })
      .returningAll()
      .executeTakeFirstOrThrow();
    await insertMessage(trx, deps, { caseId: c.id, direction: 'to_applicant', authorStaffId: actor.id, body: note, requestId: row.id });
    await appendAudit(trx, { actorType: 'staff', actorId: actor.id, action: 'case.information_requested', caseId: c.id, details: { requestId: row.id, fields: fieldIds.length, documents: documents.length } });
    await enqueueNotification(trx, deps.jobs, { caseId: c.id, topic: 'request', ref: row.id });
    return toRequest(row);
  });
}

/** The clerk withdraws the open request (e.g. the answer came by post). */
export async function cancelRequest(deps: MailboxDeps, actor: Actor, caseId: string): Promise<void> {
  const departments = staffDepartments(actor);
  if (actor.type !== 'staff' || departments.length === 0 || !/^[0-9a-f-]{36}$/.test(caseId)) throw new NotFoundError();
  await deps.db.transaction().execute(async (trx) => {
    const c = await trx.selectFrom('cases').select(['id', 'department_id']).where('id', '=', caseId).where('department_id', 'in', departments).forUpdate().executeTakeFirst();
    if (!c || !hasPermission(actor, 'case.work', c.department_id)) throw new NotFoundError();
    const result = await trx.updateTable('information_requests').set({ status: 'cancelled' }).where('case_id', '=', c.id).where('status', '=', 'open').executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new ConflictError(msg('Zu diesem Vorgang ist keine Nachforderung offen.', 'No request is open for this case.'));
    await appendAudit(trx, { actorType: 'staff', actorId: actor.id, action: 'case.information_request_cancelled', caseId: c.id, details: {} });
  });
}

/** The page of the form that asks only what the request names, for validation and rendering. */
export function requestPage(def: ServiceDefinition, request: InformationRequest): FormPage {
  const fields = allFields(def).filter((f) => request.fieldIds.includes(f.id));
  return { id: 'nachforderung', title: { de: 'Angaben ergänzen', en: 'Add the missing information' }, fields };
}

export const documentFieldName = (docId: string) => `request-${docId}`;

/**
 * The applicant's answer (ownership proved by the caller). Either everything is taken — the
 * changed answers, every requested document — or nothing is, with a message at each field.
 */
export async function answerRequest(deps: MailboxDeps, caseId: string, body: Record<string, unknown>): Promise<InformationAnswer> {
  const now = deps.now();
  const tz = deps.catalogue.city.timeZone;
  const pre = await deps.db.selectFrom('cases').select(['id', 'service_id', 'form_data']).where('id', '=', caseId).executeTakeFirst();
  const request = pre ? await openRequest(deps.db, pre.id) : undefined;
  const def = pre && deps.catalogue.get(pre.service_id);
  if (!pre || !request || !def) throw new NotFoundError(msg('Zu diesem Anliegen ist keine Nachforderung offen.', 'There is no open request for this case.'));
  const page = requestPage(def, request);
  const input: FormData = {};
  for (const f of page.fields) {
    const raw = body[f.id];
    input[f.id] = Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : typeof raw === 'string' ? raw.slice(0, 20000) : f.type === 'checkboxes' ? [] : '';
  }
  const current = pre.form_data as FormData;
  const { values, errors } = validatePage(page, input, current, { now, timeZone: tz });
  const problems: FieldProblem[] = [...errors];
  const files: Array<{ doc: { id: string; label: string }; file: Awaited<ReturnType<typeof acceptUpload>> }> = [];
  for (const doc of request.documents) {
    try {
      files.push({ doc, file: await acceptUpload(deps.scanner, body[documentFieldName(doc.id)], { field: documentFieldName(doc.id), maxBytes: REQUEST_DOCUMENT_LIMIT }) });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      problems.push(...err.fields.map((p) => ({ field: p.field, message: { de: `„${doc.label}“: ${p.message.de}`, en: `“${doc.label}”: ${p.message.en}` } })));
    }
  }
  if (problems.length > 0) throw new ValidationError(problems);

  return deps.db.transaction().execute(async (trx) => {
    const c = await trx.selectFrom('cases').select(['id', 'form_data', 'version']).where('id', '=', caseId).forUpdate().executeTakeFirstOrThrow();
    const still = await trx.selectFrom('information_requests').select('id').where('id', '=', request.id).where('status', '=', 'open').forUpdate().executeTakeFirst();
    if (!still) throw new ConflictError(msg('Diese Nachforderung ist nicht mehr offen.', 'This request is no longer open.'));
    const before = c.form_data as FormData;
    const show = (v: FormData[string] | undefined) => (Array.isArray(v) ? v.join(', ') : (v ?? ''));
    const changed = page.fields.filter((f) => show(before[f.id]) !== show(values[f.id])).map((f) => ({ field: f.id, before: show(before[f.id]), after: show(values[f.id]) }));
    const stored: Array<{ requested: string; documentId: string }> = [];
    for (const { doc, file } of files) {
      const d = await storeDocument({ ...deps, db: trx }, { caseId: c.id, fileName: file!.fileName, contentType: file!.contentType, body: file!.bytes, title: doc.label, createdBy: { type: 'applicant', id: null } });
      stored.push({ requested: doc.label, documentId: d.documentId });
    }
    const answer: InformationAnswer = { changed, documents: stored };
    if (changed.length > 0) {
      await trx.updateTable('cases').set({ form_data: JSON.stringify({ ...before, ...values }), version: c.version + 1, updated_at: now }).where('id', '=', c.id).execute();
      // The search index is rebuilt from the new answers by the indexer.
      await removeCaseText(trx, c.id, 'form');
    }
    await trx.updateTable('information_requests').set({ status: 'answered', answered_at: now, answer: JSON.stringify(answer) }).where('id', '=', request.id).execute();
    const labels = [...changed.map((ch) => page.fields.find((f) => f.id === ch.field)!.label.de), ...stored.map((s) => s.requested)];
    await insertMessage(trx, deps, { caseId: c.id, direction: 'from_applicant', authorStaffId: null, body: `Nachforderung beantwortet: ${labels.length > 0 ? labels.join(', ') : 'Angaben bestätigt, ohne Änderung'}.`, requestId: request.id });
    await appendAudit(trx, { actorType: 'applicant', actorId: null, action: 'case.information_answered', caseId: c.id, details: { requestId: request.id, changedFields: changed.map((ch) => ch.field), documents: stored.length } });
    return answer;
  });
}

/** Open requests whose deadline is less than two days away get one reminder. */
export async function sendRequestReminders(deps: Pick<MailboxDeps, 'db' | 'jobs' | 'now'>): Promise<number> {
  const now = deps.now();
  return deps.db.transaction().execute(async (trx) => {
    const due = await trx
      .updateTable('information_requests')
      .set({ reminder_sent_at: now })
      .where('status', '=', 'open')
      .where('reminder_sent_at', 'is', null)
      .where('due_at', '<=', new Date(now.getTime() + REMINDER_HOURS_BEFORE * 3600_000))
      .where('due_at', '>', now)
      .returning(['id', 'case_id'])
      .execute();
    for (const r of due) await enqueueNotification(trx, deps.jobs, { caseId: r.case_id, topic: 'reminder', ref: r.id });
    return due.length;
  });
}

/** Hourly; retried 3 times a minute apart. Idempotent: a reminder is marked in the same transaction that queues it. */
export function requestRemindersJob(deps: Pick<MailboxDeps, 'db' | 'jobs' | 'now'>): JobDefinition<Record<string, never>> {
  return {
    name: 'cases.request-reminders',
    cron: '23 * * * *',
    retry: { limit: 3, delaySeconds: 60, backoff: false },
    parse: () => ({}),
    async handle(_data, { log }) {
      const sent = await sendRequestReminders(deps);
      if (sent > 0) log.info({ reminders: sent }, 'request reminders queued');
    },
  };
}
