import { validateAll } from '../catalogue/form-validation.ts';
import type { FormData, Text } from '../catalogue/service-definition.ts';
import { appendAudit } from '../efile/audit-chain.ts';
import { ConflictError, ValidationError, type FieldProblem } from '../platform/errors.ts';
import type { CaseDeps } from './case-deps.ts';
import { findCaseByAccessCode } from './queries.ts';
import { unreadCounts } from './mailbox.ts';

/**
 * "Meine Anliegen": a signed-in citizen's cases and unsent forms. Ownership is part of every
 * query (`citizen_id = the account`), never a check after loading.
 */
export interface MyCase {
  readonly caseId: string;
  readonly reference: string;
  readonly serviceTitle: Text;
  readonly stateLabel: Text;
  readonly final: boolean;
  readonly submittedAt: Date;
  /** Messages from the office not yet read. */
  readonly unreadMessages: number;
  /** The office waits for more information from the citizen. */
  readonly waitingForYou: boolean;
}

export async function casesOfCitizen(deps: Pick<CaseDeps, 'db' | 'catalogue'>, citizenId: string): Promise<MyCase[]> {
  const rows = await deps.db
    .selectFrom('cases')
    .select(['id', 'reference', 'service_id', 'state', 'submitted_at'])
    .where('citizen_id', '=', citizenId)
    .orderBy('submitted_at', 'desc')
    .orderBy('id')
    .limit(500)
    .execute();
  const ids = rows.map((r) => r.id);
  const unread = await unreadCounts(deps.db, ids, 'to_applicant');
  const waiting = new Set(ids.length > 0 ? (await deps.db.selectFrom('information_requests').select('case_id').where('case_id', 'in', ids).where('status', '=', 'open').execute()).map((r) => r.case_id) : []);
  return rows.map((r) => {
    const def = deps.catalogue.get(r.service_id);
    const state = def?.process.states.find((s) => s.id === r.state);
    return {
      caseId: r.id,
      reference: r.reference,
      serviceTitle: def?.title ?? { de: r.service_id, en: r.service_id },
      stateLabel: state?.publicLabel ?? { de: r.state, en: r.state },
      final: state?.final === true,
      submittedAt: r.submitted_at,
      unreadMessages: unread.get(r.id) ?? 0,
      waitingForYou: waiting.has(r.id),
    };
  });
}

export interface MyDraft {
  readonly serviceId: string;
  readonly serviceTitle: Text;
  readonly updatedAt: Date;
  /** Where to go on: the first page still missing answers, or the summary. */
  readonly continueHref: string;
}

/** The citizen's unsent forms, and those of this session (started before signing in or while signed in). */
export async function draftsOfCitizen(deps: Pick<CaseDeps, 'db' | 'catalogue' | 'now'>, citizenId: string, sessionIdHash: string): Promise<MyDraft[]> {
  const rows = await deps.db
    .selectFrom('drafts')
    .select(['service_id', 'data', 'updated_at'])
    .where((eb) => eb.or([eb('citizen_id', '=', citizenId), eb('session_id_hash', '=', sessionIdHash)]))
    .orderBy('updated_at', 'desc')
    .execute();
  const ctx = { now: deps.now(), timeZone: deps.catalogue.city.timeZone };
  const seen = new Set<string>();
  const out: MyDraft[] = [];
  for (const r of rows) {
    const def = deps.catalogue.get(r.service_id);
    if (!def || seen.has(def.id)) continue;
    seen.add(def.id);
    const { firstInvalidPage } = validateAll(def, r.data as FormData, ctx);
    out.push({
      serviceId: def.id,
      serviceTitle: def.title,
      updatedAt: r.updated_at,
      continueHref: firstInvalidPage ? `/services/${def.id}/form/${firstInvalidPage}` : `/services/${def.id}/check`,
    });
  }
  return out;
}

/** The case id if it belongs to the citizen; undefined otherwise (the same for "not theirs" and "no such case"). */
export async function ownedCaseId(deps: Pick<CaseDeps, 'db'>, citizenId: string, caseId: string): Promise<string | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(caseId)) return undefined;
  const row = await deps.db.selectFrom('cases').select('id').where('id', '=', caseId).where('citizen_id', '=', citizenId).executeTakeFirst();
  return row?.id;
}

const CLAIMED_BY_OTHER = {
  de: 'Dieses Anliegen gehört schon zu einem anderen Konto. Den Stand können Sie weiter mit Aktenzeichen und Zugangscode abfragen.',
  en: 'This case already belongs to another account. You can still check its status with the reference and access code.',
};

/**
 * Adds an anonymous case to the account, proven with reference + access code (the same answer
 * for an unknown reference and a wrong code). A case is only ever claimed once: the update
 * requires `citizen_id is null`, so a case of another account is never taken over.
 */
export async function claimCase(deps: Pick<CaseDeps, 'db'>, citizenId: string, referenceInput: string, accessCode: string): Promise<{ caseId: string; reference: string; alreadyYours: boolean }> {
  const problems: FieldProblem[] = [];
  if (referenceInput.trim() === '') problems.push({ field: 'reference', message: { de: 'Bitte geben Sie das Aktenzeichen an, z. B. HAL-2026-000123-7.', en: 'Enter the case reference, for example HAL-2026-000123-7.' } });
  if (accessCode.trim() === '') problems.push({ field: 'accessCode', message: { de: 'Bitte geben Sie den Zugangscode an.', en: 'Enter the access code.' } });
  if (problems.length > 0) throw new ValidationError(problems);
  const row = await findCaseByAccessCode(deps, referenceInput, accessCode);
  if (row.citizen_id === citizenId) return { caseId: row.id, reference: row.reference, alreadyYours: true };
  return deps.db.transaction().execute(async (trx) => {
    const r = await trx.updateTable('cases').set({ citizen_id: citizenId }).where('id', '=', row.id).where('citizen_id', 'is', null).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new ClaimedByOtherError(CLAIMED_BY_OTHER);
    await appendAudit(trx, { actorType: 'applicant', actorId: citizenId, action: 'case.claimed', caseId: row.id, details: {} });
    return { caseId: row.id, reference: row.reference, alreadyYours: false };
  });
}

/** The case exists and the code was right, but it is another account's. */
export class ClaimedByOtherError extends ConflictError {}
