import { sql, type Kysely } from 'kysely';
import type { Text } from '../catalogue/service-definition.ts';
import type { Database } from '../schema.ts';

/**
 * The citizen's side of the audit log (Datenschutz-Cockpit, OZG 2.0): which office looked at or
 * worked on their own cases, and when. Only staff actions are shown, classified by kind; the
 * staff member is never named (the citizen sees the office: the case's department), and the
 * audit details (document ids, versions, assignees) stay inside.
 * Ownership is part of the query: entries are joined to cases with `citizen_id` = the account.
 */
export type AccessKind = 'viewed' | 'document_downloaded' | 'document_added' | 'processed' | 'exported' | 'other';

export interface AccessLogEntry {
  readonly at: Date;
  readonly caseId: string;
  readonly reference: string;
  readonly serviceId: string;
  readonly departmentId: string;
  readonly kind: AccessKind;
}

export interface AccessLogPage {
  readonly entries: AccessLogEntry[];
  /** Cursor for the next (older) page, or undefined on the last page. Opaque; safe in a URL. */
  readonly next: string | undefined;
}

/** What each kind is called where the citizen sees it (cockpit and data export). */
export const ACCESS_KIND_LABELS: Readonly<Record<AccessKind, Text>> = {
  viewed: { de: 'Akte angesehen', en: 'Case file viewed' },
  document_downloaded: { de: 'Dokument heruntergeladen', en: 'Document downloaded' },
  document_added: { de: 'Dokument zur Akte genommen', en: 'Document added to the file' },
  processed: { de: 'Akte bearbeitet', en: 'Case file worked on' },
  exported: { de: 'Akte für die Archivierung exportiert', en: 'Case file exported for archiving' },
  other: { de: 'Sonstige Bearbeitung', en: 'Other processing' },
};

const EXACT: Readonly<Record<string, AccessKind>> = {
  'case.view': 'viewed',
  'case.viewed': 'viewed',
  'document.download': 'document_downloaded',
  'document.uploaded': 'document_added',
  'document.issued': 'document_added',
  'case.note_added': 'processed',
  'case.assigned': 'processed',
  'case.unassigned': 'processed',
  'case.legal_hold_set': 'processed',
  'case.exported_xdomea': 'exported',
  'document.version_added': 'document_added',
  'message.sent': 'processed',
  'case.information_requested': 'processed',
  'case.information_request_cancelled': 'processed',
  'case.legal_hold_released': 'processed',
};

/** The kind of a staff action; actions this list does not know yet are "other processing", never hidden. */
export function accessKind(action: string): AccessKind {
  const exact = EXACT[action];
  if (exact) return exact;
  if (action.startsWith('case.transition.')) return 'processed';
  return 'other';
}

const MAX_PAGE = 200;

/** `<epoch ms>.<entries at that instant already shown>`: keyset paging that survives ties and sealing. */
function parseCursor(cursor: string | undefined): { at: Date; skip: number } | undefined {
  const m = cursor ? /^(\d{1,15})\.(\d{1,6})$/.exec(cursor) : null;
  if (!m) return undefined;
  const at = new Date(Number(m[1]));
  return Number.isNaN(at.getTime()) ? undefined : { at, skip: Number(m[2]) };
}

/**
 * Staff actions on the citizen's own cases, newest first, `limit` (1–200) at a time. `before` is
 * the `next` cursor of the previous page; an invalid cursor starts at the newest entry.
 * Entries are ordered by their instant (to the millisecond) and then by fields that do not change
 * when a pending entry is sealed into the chain, so paging does not skip or repeat entries.
 */
export async function caseAccessLog(db: Kysely<Database>, citizenId: string, options: { limit: number; before?: string | undefined }): Promise<AccessLogPage> {
  const limit = Math.min(Math.max(Math.trunc(options.limit) || 1, 1), MAX_PAGE);
  const cursor = parseCursor(options.before);
  const at = sql<Date>`date_trunc('milliseconds', a.at)`;
  let q = db
    .selectFrom('audit_entries as a')
    .innerJoin('cases as c', 'c.id', 'a.case_id')
    .where('c.citizen_id', '=', citizenId)
    .where('a.actor_type', '=', 'staff');
  if (cursor) q = q.where(at, '<=', cursor.at);
  const rows = await q
    .select([at.as('at'), 'a.action', 'c.id as case_id', 'c.reference', 'c.service_id', 'c.department_id'])
    .orderBy(at, 'desc')
    .orderBy('c.id')
    .orderBy('a.action')
    .orderBy('a.actor_id')
    .offset(cursor?.skip ?? 0)
    .limit(limit + 1)
    .execute();
  const entries = rows.slice(0, limit).map((r) => ({
    at: new Date(r.at),
    caseId: r.case_id,
    reference: r.reference,
    serviceId: r.service_id,
    departmentId: r.department_id,
    kind: accessKind(r.action),
  }));
  let next: string | undefined;
  if (rows.length > limit) {
    const last = entries[entries.length - 1]!.at.getTime();
    const sameInstant = entries.filter((e) => e.at.getTime() === last).length;
    const carried = cursor && cursor.at.getTime() === last ? cursor.skip : 0;
    next = `${last}.${sameInstant + carried}`;
  }
  return { entries, next };
}

/** Every entry (for the data export), page by page; at most `max` entries. */
export async function allCaseAccess(db: Kysely<Database>, citizenId: string, max = 100_000): Promise<AccessLogEntry[]> {
  const out: AccessLogEntry[] = [];
  let before: string | undefined;
  do {
    const page = await caseAccessLog(db, citizenId, { limit: MAX_PAGE, before });
    out.push(...page.entries);
    before = page.next;
  } while (before && out.length < max);
  return out.slice(0, max);
}
