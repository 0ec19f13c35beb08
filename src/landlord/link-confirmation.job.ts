import type { Catalogue } from '../catalogue/registry.ts';
import { appendAudit } from '../efile/audit-chain.ts';
import { storeDocument, type DocumentDeps } from '../efile/documents.ts';
import { formatDate, formatIsoDate } from '../platform/i18n/time.ts';
import type { JobDefinition } from '../platform/jobs/queue.ts';
import { renderPdf } from '../platform/pdf/render-pdf.ts';
import { formatCode } from './confirmation-code.ts';
import { confirmationRows } from './confirmation-form.ts';
import { claimCode } from './landlord-confirmations.ts';

/**
 * The `link_landlord_confirmation` effect of a registration (Wohnsitzanmeldung): the code the
 * applicant referenced is bound to the case (a code is used once), and what the landlord
 * confirmed goes into the case file as a PDF, so the clerk sees it beside the application.
 * Idempotent: the document is stored once per case (looked for by its title under the case lock).
 * A registration with a paper confirmation instead has nothing to link.
 * Retry: 5 attempts 30 s apart and doubling (about 15 minutes in all), then the job fails
 * visibly at /staff/admin/jobs; the clerk still has the code in the form data.
 */
const LINK_LANDLORD_CONFIRMATION_JOB = 'landlord.link-confirmation';
/** The form field that holds the code, in every service that names the effect. */
const LANDLORD_CODE_FIELD = 'landlordCode';
export const CONFIRMATION_DOCUMENT_TITLE = 'Wohnungsgeberbestätigung (online abgegeben)';

export interface LinkDeps extends DocumentDeps {
  readonly catalogue: Catalogue;
  readonly now: () => Date;
}

export interface LinkPayload {
  readonly caseId: string;
}

function parseLinkPayload(data: unknown): LinkPayload {
  const d = data as { caseId?: unknown } | null;
  if (!d || typeof d.caseId !== 'string' || !/^[0-9a-f-]{36}$/i.test(d.caseId)) throw new Error('landlord.link-confirmation job: payload needs caseId (uuid)');
  return { caseId: d.caseId };
}

async function linkLandlordConfirmation(deps: LinkDeps, caseId: string): Promise<'linked' | 'already_linked' | 'no_code' | 'unknown_code'> {
  const row = await deps.db.selectFrom('cases').select(['id', 'reference', 'department_id', 'form_data', 'erased_at']).where('id', '=', caseId).executeTakeFirst();
  if (!row) throw new Error('landlord.link-confirmation: case not found');
  const code = (row.form_data as Record<string, unknown>)[LANDLORD_CODE_FIELD];
  if (typeof code !== 'string' || code.trim() === '' || row.erased_at) return 'no_code';
  const now = deps.now();
  const claimed = await claimCode(deps.db, code, row.id, now);
  if (!claimed) return 'unknown_code';
  const city = deps.catalogue.city;
  const department = city.departments.find((d) => d.id === row.department_id)?.name.de ?? row.department_id;
  const c = claimed.confirmation.data;
  const pdf = await renderPdf({
    letterhead: { organisation: city.name.de, office: department, contact: city.contact.de },
    title: CONFIRMATION_DOCUMENT_TITLE,
    reference: { label: 'Aktenzeichen', value: row.reference },
    date: { label: 'Bestätigt am', value: formatDate(claimed.confirmation.confirmedAt, 'de', city.timeZone) },
    blocks: [
      {
        kind: 'paragraph',
        text: `Der Wohnungsgeber hat die folgenden Angaben nach § 19 Abs. 4 Bundesmeldegesetz elektronisch bestätigt. Die antragstellende Person hat in ihrer Anmeldung den Code ${formatCode(code)} angegeben.`,
      },
      ...(claimed.claimedByOther
        ? [{ kind: 'heading' as const, text: 'Achtung: Dieser Code war bereits einer anderen Anmeldung zugeordnet. Bitte prüfen.' }]
        : []),
      { kind: 'rows', rows: confirmationRows(c, (iso) => formatIsoDate(iso, 'de')) },
    ],
    footer: `${city.name.de} · ${department} · Abbild der online abgegebenen Wohnungsgeberbestätigung`,
    metadata: { title: CONFIRMATION_DOCUMENT_TITLE, author: city.name.de, subject: `Aktenzeichen ${row.reference}`, lang: 'de-DE', createdAt: now },
  });
  return deps.db.transaction().execute(async (trx) => {
    await trx.selectFrom('cases').select('id').where('id', '=', row.id).forUpdate().executeTakeFirstOrThrow();
    const before = await trx.selectFrom('documents').select('id').where('case_id', '=', row.id).where('title', '=', CONFIRMATION_DOCUMENT_TITLE).executeTakeFirst();
    if (before) return 'already_linked' as const;
    const stored = await storeDocument(
      { db: trx, blobs: deps.blobs, keyring: deps.keyring },
      { caseId: row.id, fileName: `Wohnungsgeberbestaetigung-${row.reference.replace(/[^A-Za-z0-9-]/g, '_')}.pdf`, title: CONFIRMATION_DOCUMENT_TITLE, contentType: 'application/pdf', body: pdf, createdBy: { type: 'system', id: null } },
    );
    await appendAudit(trx, {
      actorType: 'system',
      actorId: null,
      action: 'landlord_confirmation.linked',
      caseId: row.id,
      details: { confirmationId: claimed.confirmation.id, documentId: stored.documentId, claimedByOther: claimed.claimedByOther },
    });
    return 'linked' as const;
  });
}

export function linkLandlordConfirmationJob(deps: LinkDeps): JobDefinition<LinkPayload> {
  return {
    name: LINK_LANDLORD_CONFIRMATION_JOB,
    retry: { limit: 5, delaySeconds: 30, backoff: true },
    parse: parseLinkPayload,
    async handle(payload, { log }) {
      const outcome = await linkLandlordConfirmation(deps, payload.caseId);
      log.info({ caseId: payload.caseId, outcome }, 'landlord confirmation linked');
    },
  };
}
