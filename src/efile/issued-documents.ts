import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Catalogue } from '../catalogue/registry.ts';
import type { DocumentContent, DocumentParagraph, DocumentTemplate, FormData, Text } from '../catalogue/service-definition.ts';
import { NotFoundError } from '../platform/errors.ts';
import { formatDate } from '../platform/i18n/time.ts';
import { renderPdf, type PdfBlock } from '../platform/pdf/render-pdf.ts';
import type { Database } from '../schema.ts';
import { appendAudit } from './audit-chain.ts';
import { storeDocument, type DocumentDeps } from './documents.ts';
import { sealPdf, type CitySeal } from './seal.ts';

/**
 * Receipts and decisions as sealed PDFs (ADR 0013). A template of the case's service definition
 * is rendered, sealed with the city's seal (PAdES B-B), stored encrypted in the E-Akte and
 * recorded in `issued_documents`, whose id is the public verification id in the QR code.
 * Issuing is idempotent per case, template and triggering event: the job may run twice.
 */
export interface IssueDeps extends DocumentDeps {
  readonly catalogue: Catalogue;
  readonly seal: CitySeal;
  /** Base of the verification URL printed as a QR code: `<publicUrl>/verify/<id>`. */
  readonly publicUrl: string;
  readonly now: () => Date;
}

export interface IssueRequest {
  readonly caseId: string;
  readonly templateId: string;
  /** The case event (submission or transition) that issues it; its inputs fill the template. */
  readonly eventId?: string | undefined;
}

export interface IssuedDocument {
  /** The public verification id. */
  readonly id: string;
  readonly caseId: string;
  /** `documents.document_id` of the sealed PDF. */
  readonly documentId: string;
  readonly kind: 'receipt' | 'decision';
  readonly templateId: string;
  readonly issuedAt: Date;
  readonly sha256: string;
  /** False when it had been issued before and nothing new was made. */
  readonly created: boolean;
}

/** What anyone may learn from a verification id: no reference, no name, nothing of the case. */
export interface VerifiedDocument {
  readonly id: string;
  readonly kind: 'receipt' | 'decision';
  readonly title: Text;
  readonly departmentName: Text;
  readonly issuedAt: Date;
  readonly sha256: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EVENT_ID = /^[1-9][0-9]{0,18}$/;

type IssuedRow = { id: string; case_id: string; document_id: string; kind: 'receipt' | 'decision'; template_id: string; issued_at: Date; sha256: string };
const toIssued = (r: IssuedRow, created: boolean): IssuedDocument => ({
  id: r.id,
  caseId: r.case_id,
  documentId: r.document_id,
  kind: r.kind,
  templateId: r.template_id,
  issuedAt: r.issued_at,
  sha256: r.sha256,
  created,
});

async function findIssued(db: Kysely<Database>, req: IssueRequest): Promise<IssuedRow | undefined> {
  let q = db
    .selectFrom('issued_documents')
    .select(['id', 'case_id', 'document_id', 'kind', 'template_id', 'issued_at', 'sha256'])
    .where('case_id', '=', req.caseId)
    .where('template_id', '=', req.templateId);
  q = req.eventId === undefined ? q.where('event_id', 'is', null) : q.where('event_id', '=', req.eventId);
  return q.executeTakeFirst();
}

/** Turns the template's paragraphs into printable blocks (German: the official language). */
function toBlocks(content: DocumentContent): PdfBlock[] {
  const block = (p: DocumentParagraph): PdfBlock => ({ kind: p.heading ? 'heading' : 'paragraph', text: p.de });
  return [
    ...content.paragraphs.map(block),
    ...(content.rows && content.rows.length > 0 ? [{ kind: 'rows' as const, rows: content.rows.map((r) => ({ label: r.label.de, value: r.value })) }] : []),
    ...(content.closing ?? []).map(block),
  ];
}

function fileNameFor(kind: 'receipt' | 'decision', reference: string): string {
  return `${kind === 'decision' ? 'Bescheid' : 'Eingangsbestaetigung'}-${reference.replace(/[^A-Za-z0-9-]/g, '_')}.pdf`;
}

/**
 * Issues one document of the case's service definition. Renders and seals outside the
 * transaction; then, with the case row locked, checks again that it was not issued meanwhile,
 * stores the PDF, records it and appends the audit entry (ids only) in one transaction.
 */
export async function issueDocument(deps: IssueDeps, req: IssueRequest): Promise<IssuedDocument> {
  if (!UUID.test(req.caseId)) throw new NotFoundError({ de: 'Diesen Vorgang gibt es nicht.', en: 'This case does not exist.' });
  if (req.eventId !== undefined && !EVENT_ID.test(req.eventId)) throw new Error(`issueDocument: event id must be a positive whole number`);
  const before = await findIssued(deps.db, req);
  if (before) return toIssued(before, false);

  const row = await deps.db
    .selectFrom('cases')
    .select(['id', 'reference', 'service_id', 'department_id', 'form_data', 'submitted_at'])
    .where('id', '=', req.caseId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError({ de: 'Diesen Vorgang gibt es nicht.', en: 'This case does not exist.' });
  const def = deps.catalogue.get(row.service_id);
  const template = def?.documents?.find((d) => d.id === req.templateId);
  if (!def || !template) throw new Error(`issueDocument: service ${row.service_id} has no document template ${req.templateId}`);

  let input: Record<string, string> = {};
  if (req.eventId !== undefined) {
    const event = await deps.db
      .selectFrom('case_events')
      .select(['kind', 'transition_id', 'payload'])
      .where('id', '=', req.eventId)
      .where('case_id', '=', row.id)
      .executeTakeFirst();
    if (!event) throw new Error(`issueDocument: event ${req.eventId} does not belong to the case`);
    const trigger = event.kind === 'submitted' ? 'submit' : event.transition_id;
    if (trigger !== template.issuedOn) throw new Error(`issueDocument: template ${template.id} is issued on ${template.issuedOn}, not on this event`);
    if (event.kind === 'transition') input = Object.fromEntries(Object.entries((event.payload ?? {}) as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
  }

  const city = deps.catalogue.city;
  const department = city.departments.find((d) => d.id === row.department_id)?.name ?? { de: row.department_id, en: row.department_id };
  const id = randomUUID();
  // Whole seconds, as PDF dates (/M, CreationDate) hold them: the same instant in the PDF, its seal and the row.
  const issuedAt = new Date(Math.floor(deps.now().getTime() / 1000) * 1000);
  const sealed = await renderAndSeal(deps, template, {
    id,
    reference: row.reference,
    formData: row.form_data as FormData,
    submittedAt: row.submitted_at,
    issuedAt,
    department,
    input,
  });

  return deps.db.transaction().execute(async (trx) => {
    // Two workers issuing the same document queue here; the second finds the first's row.
    await trx.selectFrom('cases').select('id').where('id', '=', row.id).forUpdate().executeTakeFirstOrThrow();
    const raced = await findIssued(trx, req);
    if (raced) return toIssued(raced, false);
    const stored = await storeDocument(
      { db: trx, blobs: deps.blobs, keyring: deps.keyring },
      { caseId: row.id, fileName: fileNameFor(template.kind, row.reference), title: template.title.de, contentType: 'application/pdf', body: sealed, createdBy: { type: 'system', id: null } },
    );
    const inserted = await trx
      .insertInto('issued_documents')
      .values({
        id,
        case_id: row.id,
        document_id: stored.documentId,
        event_id: req.eventId ?? null,
        kind: template.kind,
        template_id: template.id,
        title_de: template.title.de,
        title_en: template.title.en,
        department_id: row.department_id,
        issued_at: issuedAt,
        sha256: stored.sha256,
      })
      .returning(['id', 'case_id', 'document_id', 'kind', 'template_id', 'issued_at', 'sha256'])
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      actorType: 'system',
      actorId: null,
      action: 'document.issued',
      caseId: row.id,
      details: { issuedDocumentId: id, documentId: stored.documentId, templateId: template.id, kind: template.kind, eventId: req.eventId ?? null },
    });
    return toIssued(inserted, true);
  });
}

async function renderAndSeal(
  deps: IssueDeps,
  template: DocumentTemplate,
  c: { id: string; reference: string; formData: FormData; submittedAt: Date; issuedAt: Date; department: Text; input: Record<string, string> },
): Promise<Buffer> {
  const city = deps.catalogue.city;
  const content = template.content(c.formData, {
    reference: c.reference,
    submittedAt: c.submittedAt,
    issuedAt: c.issuedAt,
    timeZone: city.timeZone,
    department: c.department,
    city: city.name,
    input: c.input,
  });
  const pdf = await renderPdf({
    letterhead: { organisation: city.name.de, office: c.department.de, contact: city.contact.de },
    title: template.title.de,
    reference: { label: 'Aktenzeichen', value: c.reference },
    date: { label: 'Datum', value: formatDate(c.issuedAt, 'de', city.timeZone) },
    blocks: toBlocks(content),
    footer: `${city.name.de} · ${c.department.de} · Elektronisch gesiegelt, ohne Unterschrift gültig`,
    verification: {
      url: `${deps.publicUrl}/verify/${c.id}`,
      caption: 'Echtheit prüfen: Scannen Sie den Code oder öffnen Sie die Adresse darunter. Die Prüfseite bestätigt Aussteller und Ausstellungsdatum und zeigt keine persönlichen Daten.',
    },
    metadata: { title: template.title.de, author: `${city.name.de}, ${c.department.de}`, subject: `Aktenzeichen ${c.reference}`, lang: 'de-DE', createdAt: c.issuedAt },
  });
  return sealPdf(pdf, deps.seal, { reason: template.title.de, signingTime: c.issuedAt });
}

/**
 * Issues every template of the case's service that the event triggers (the submission or a
 * transition). Used by the `efile.issue-document` job; nothing to issue is not an error.
 */
export async function issueDocumentsForEvent(deps: IssueDeps, ref: { caseId: string; eventId: string }): Promise<IssuedDocument[]> {
  if (!UUID.test(ref.caseId) || !EVENT_ID.test(ref.eventId)) throw new Error('issueDocumentsForEvent: caseId must be a uuid and eventId a positive whole number');
  const row = await deps.db
    .selectFrom('case_events')
    .innerJoin('cases', 'cases.id', 'case_events.case_id')
    .select(['case_events.kind', 'case_events.transition_id', 'cases.service_id'])
    .where('case_events.id', '=', ref.eventId)
    .where('case_events.case_id', '=', ref.caseId)
    .executeTakeFirst();
  if (!row) return [];
  const trigger = row.kind === 'submitted' ? 'submit' : row.transition_id;
  const templates = (deps.catalogue.get(row.service_id)?.documents ?? []).filter((d) => d.issuedOn === trigger);
  const out: IssuedDocument[] = [];
  for (const t of templates) out.push(await issueDocument(deps, { caseId: ref.caseId, templateId: t.id, eventId: ref.eventId }));
  return out;
}

/** The issued documents of a case, oldest first (for the case file and the citizen's status page). */
export async function listIssuedDocuments(db: Kysely<Database>, caseId: string): Promise<IssuedDocument[]> {
  if (!UUID.test(caseId)) return [];
  const rows = await db
    .selectFrom('issued_documents')
    .select(['id', 'case_id', 'document_id', 'kind', 'template_id', 'issued_at', 'sha256'])
    .where('case_id', '=', caseId)
    .orderBy('issued_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => toIssued(r, false));
}

/** The public facts of an issued document, or undefined for an id that was never issued. */
export async function verifyIssued(db: Kysely<Database>, id: string): Promise<VerifiedDocument | undefined> {
  if (!UUID.test(id)) return undefined;
  const row = await db
    .selectFrom('issued_documents')
    .innerJoin('departments', 'departments.id', 'issued_documents.department_id')
    .select(['issued_documents.id', 'kind', 'title_de', 'title_en', 'departments.name_de', 'departments.name_en', 'issued_at', 'sha256'])
    .where('issued_documents.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  return { id: row.id, kind: row.kind, title: { de: row.title_de, en: row.title_en }, departmentName: { de: row.name_de, en: row.name_en }, issuedAt: row.issued_at, sha256: row.sha256 };
}
