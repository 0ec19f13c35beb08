import type { Kysely } from 'kysely';
import { appendAudit } from '../efile/audit-chain.ts';
import { storeDocument, toStored, type DocumentDeps, type StoredDocument } from '../efile/documents.ts';
import { acceptUpload } from '../efile/uploads/accept-upload.ts';
import type { VirusScanner } from '../efile/uploads/upload-check.ts';
import { hasPermission } from '../identity/permissions.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import type { Database } from '../schema.ts';
import { enqueueNotification } from '../notifications/notify.ts';
import { staffDepartments, type Actor, type CaseDeps } from './case-deps.ts';

/**
 * The Postfach: messages between the office and the applicant, per case, in both directions,
 * each with at most one attachment (a document of the case file, checked like every upload).
 * A message to the applicant is announced on their channels (the announcement only says that a
 * message is waiting); a message from the applicant shows as unread in the office's case file.
 */
export interface MailboxDeps extends CaseDeps, DocumentDeps {
  readonly scanner: VirusScanner | undefined;
}

const MESSAGE_MAX = 5000;
export const ATTACHMENT_LIMIT = 10 * 1024 * 1024;

export interface CaseMessage {
  readonly id: string;
  readonly direction: 'to_applicant' | 'from_applicant';
  readonly authorStaffId: string | null;
  readonly body: string;
  readonly requestId: string | null;
  readonly createdAt: Date;
  readonly readAt: Date | null;
  readonly attachments: readonly StoredDocument[];
}

function checkBody(body: string, field: string): string {
  const text = body.trim();
  if (text === '') throw new ValidationError([{ field, message: { de: 'Bitte schreiben Sie eine Nachricht.', en: 'Write a message.' } }]);
  if (text.length > MESSAGE_MAX) throw new ValidationError([{ field, message: { de: `Eine Nachricht darf höchstens ${MESSAGE_MAX} Zeichen lang sein (jetzt ${text.length}).`, en: `A message must be ${MESSAGE_MAX} characters or fewer (now ${text.length}).` } }]);
  return text;
}

/** Writes a message (and its attachment) in the caller's transaction. */
export async function insertMessage(
  trx: Kysely<Database>,
  deps: DocumentDeps,
  message: { caseId: string; direction: 'to_applicant' | 'from_applicant'; authorStaffId: string | null; body: string; requestId?: string; attachment?: { fileName: string; contentType: string; bytes: Buffer } | undefined },
): Promise<string> {
  const row = await trx
    .insertInto('case_messages')
    .values({ case_id: message.caseId, direction: message.direction, author_staff_id: message.authorStaffId, body: message.body, request_id: message.requestId ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (message.attachment) {
    const stored = await storeDocument({ ...deps, db: trx }, { caseId: message.caseId, fileName: message.attachment.fileName, contentType: message.attachment.contentType, body: message.attachment.bytes, title: message.direction === 'to_applicant' ? 'Anlage zur Nachricht des Amts' : 'Anlage zur Nachricht', createdBy: message.authorStaffId ? { type: 'staff', id: message.authorStaffId } : { type: 'applicant', id: null } });
    await trx.updateTable('documents').set({ message_id: row.id }).where('id', '=', stored.id).execute();
  }
  return row.id;
}

/** A staff member of the case's department (case.work) writes to the applicant. */
export async function sendStaffMessage(deps: MailboxDeps, actor: Actor, caseId: string, input: { body: string; attachment: unknown }): Promise<string> {
  const departments = staffDepartments(actor);
  if (actor.type !== 'staff' || departments.length === 0 || !/^[0-9a-f-]{36}$/.test(caseId)) throw new NotFoundError();
  const body = checkBody(input.body, 'message-body');
  const file = await acceptUpload(deps.scanner, input.attachment, { field: 'message-file', maxBytes: ATTACHMENT_LIMIT, optional: true });
  return deps.db.transaction().execute(async (trx) => {
    const c = await trx.selectFrom('cases').select(['id', 'department_id']).where('id', '=', caseId).where('department_id', 'in', departments).forUpdate().executeTakeFirst();
    if (!c || !hasPermission(actor, 'case.work', c.department_id)) throw new NotFoundError({ de: 'Diesen Vorgang gibt es nicht.', en: 'This case does not exist.' });
    const id = await insertMessage(trx, deps, { caseId: c.id, direction: 'to_applicant', authorStaffId: actor.id, body, attachment: file && { fileName: file.fileName, contentType: file.contentType, bytes: file.bytes } });
    await appendAudit(trx, { actorType: 'staff', actorId: actor.id, action: 'message.sent', caseId: c.id, details: { messageId: id, attachment: Boolean(file) } });
    await enqueueNotification(trx, deps.jobs, { caseId: c.id, topic: 'message', ref: id });
    return id;
  });
}

/** The applicant (ownership proved by the caller) writes to the office. */
export async function sendApplicantMessage(deps: MailboxDeps, caseId: string, input: { body: string; attachment: unknown }): Promise<string> {
  const body = checkBody(input.body, 'reply-body');
  const file = await acceptUpload(deps.scanner, input.attachment, { field: 'reply-file', maxBytes: ATTACHMENT_LIMIT, optional: true });
  return deps.db.transaction().execute(async (trx) => {
    const c = await trx.selectFrom('cases').select(['id', 'erased_at']).where('id', '=', caseId).forUpdate().executeTakeFirst();
    if (!c || c.erased_at) throw new NotFoundError();
    const id = await insertMessage(trx, deps, { caseId: c.id, direction: 'from_applicant', authorStaffId: null, body, attachment: file && { fileName: file.fileName, contentType: file.contentType, bytes: file.bytes } });
    await appendAudit(trx, { actorType: 'applicant', actorId: null, action: 'message.received', caseId: c.id, details: { messageId: id, attachment: Boolean(file) } });
    return id;
  });
}

/** The case's messages, oldest first, with their attachments (callers have opened the case). */
export async function caseMessages(db: Kysely<Database>, caseId: string): Promise<CaseMessage[]> {
  const rows = await db.selectFrom('case_messages').selectAll().where('case_id', '=', caseId).orderBy('created_at').orderBy('id').execute();
  const attachments = rows.length > 0 ? await db.selectFrom('documents').selectAll().where('case_id', '=', caseId).where('message_id', 'is not', null).execute() : [];
  return rows.map((r) => ({
    id: r.id,
    direction: r.direction,
    authorStaffId: r.author_staff_id,
    body: r.body,
    requestId: r.request_id,
    createdAt: r.created_at,
    readAt: r.read_at,
    attachments: attachments.filter((a) => a.message_id === r.id).map(toStored),
  }));
}

/** Marks what the reader has now seen: the applicant reads `to_applicant`, the office `from_applicant`. */
export async function markMessagesRead(db: Kysely<Database>, caseId: string, direction: 'to_applicant' | 'from_applicant', at: Date): Promise<number> {
  const result = await db.updateTable('case_messages').set({ read_at: at }).where('case_id', '=', caseId).where('direction', '=', direction).where('read_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Unread messages per case for one reader side. */
export async function unreadCounts(db: Kysely<Database>, caseIds: readonly string[], direction: 'to_applicant' | 'from_applicant'): Promise<Map<string, number>> {
  if (caseIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('case_messages')
    .select(['case_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('case_id', 'in', [...caseIds])
    .where('direction', '=', direction)
    .where('read_at', 'is', null)
    .groupBy('case_id')
    .execute();
  return new Map(rows.map((r) => [r.case_id, Number(r.n)]));
}
