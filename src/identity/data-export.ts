import type { Kysely } from 'kysely';
import type { Zippable } from 'fflate';
import type { Catalogue } from '../catalogue/registry.ts';
import type { Text } from '../catalogue/service-definition.ts';
import { toStatus } from '../cases/queries.ts';
import { appendAudit } from '../efile/audit-chain.ts';
import type { BlobStore } from '../efile/blob-store.ts';
import type { MasterKeyring } from '../efile/document-crypto.ts';
import { readDocument } from '../efile/documents.ts';
import { IntegrityError, NotFoundError } from '../platform/errors.ts';
import { zonedToday } from '../platform/i18n/time.ts';
import type { Database } from '../schema.ts';
import { ACCESS_KIND_LABELS, allCaseAccess } from './data-access-log.ts';
import { listPushDevices, loadPreferences } from '../notifications/notification-settings.ts';

/**
 * "Alle meine Daten herunterladen" (Art. 15 and 20 DSGVO): one ZIP with everything the city
 * holds about the account in machine-readable form (`daten.json`), the documents of the
 * citizen's own cases (`dokumente/<Aktenzeichen>/<version>-<name>`, each read through the
 * integrity checks) and `LIESMICH.txt`, which says what is included, what is not and why.
 *
 * Withheld, and said so in LIESMICH.txt: internal notes and assignments of the case workers and
 * staff members' names (rights of others, Art. 15(4) DSGVO; the office decides on request),
 * passkeys' public keys (technical material of no use to the person) and the access code (stored
 * only as a hash). Built in memory: documents are bounded by the upload limits.
 */
export interface DataExportDeps {
  readonly db: Kysely<Database>;
  readonly blobs: BlobStore;
  readonly keyring: MasterKeyring;
  readonly catalogue: Catalogue;
  readonly now: () => Date;
}

/** The version of the `daten.json` shape below; raise it when a field changes meaning or goes. */
export const DATA_EXPORT_SCHEMA = 'amtsweg.de/datenauskunft/v1';

interface ExportedDocument {
  readonly documentId: string;
  readonly version: number;
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
  readonly createdAt: string;
  readonly createdBy: 'applicant' | 'staff' | 'system';
  /** Path inside the ZIP, or null when the stored copy failed its integrity check. */
  readonly path: string | null;
}

/** The shape of `daten.json` (schema DATA_EXPORT_SCHEMA). Times are ISO 8601 in UTC. */
export interface CitizenDataExport {
  readonly schema: typeof DATA_EXPORT_SCHEMA;
  readonly generatedAt: string;
  readonly controller: { readonly name: Text; readonly contact: Text };
  readonly account: { readonly id: string; readonly email: string | null; readonly displayName: string | null; readonly createdAt: string; readonly lastSignInAt: string | null };
  readonly passkeys: ReadonlyArray<{ readonly label: string | null; readonly deviceType: string | null; readonly backedUp: boolean; readonly createdAt: string; readonly lastUsedAt: string | null }>;
  /** The chosen notification channels and the devices that receive push messages (no endpoints). */
  readonly notifications: { readonly email: boolean; readonly push: boolean; readonly pushDevices: ReadonlyArray<{ readonly label: string | null; readonly createdAt: string; readonly lastSuccessAt: string | null }> };
  readonly verifiedIdentities: ReadonlyArray<{ readonly provider: string; readonly subject: string; readonly level: 'substantial' | 'high'; readonly verifiedAt: string; readonly claims: Record<string, unknown> }>;
  readonly drafts: ReadonlyArray<{ readonly serviceId: string; readonly serviceTitle: Text | null; readonly createdAt: string; readonly updatedAt: string; readonly data: Record<string, unknown> }>;
  readonly cases: ReadonlyArray<{
    readonly reference: string;
    readonly service: { readonly id: string; readonly version: number; readonly title: Text | null };
    readonly office: { readonly id: string; readonly name: Text | null };
    readonly state: { readonly id: string; readonly label: Text | null };
    readonly submittedAt: string;
    readonly updatedAt: string;
    readonly dueAt: string | null;
    readonly applicant: Record<string, unknown>;
    readonly formData: Record<string, unknown>;
    /** The form's answers with the question each one answers. */
    readonly formFields: ReadonlyArray<{ readonly id: string; readonly label: Text; readonly value: unknown }>;
    /** The public timeline, as on the status page. */
    readonly timeline: ReadonlyArray<{ readonly at: string; readonly text: Text; readonly details: ReadonlyArray<{ readonly label: Text; readonly value: string }> }>;
    readonly documents: readonly ExportedDocument[];
    /** The Postfach: messages between the office and the applicant (staff names are not given). */
    readonly messages: ReadonlyArray<{ readonly at: string; readonly from: 'office' | 'applicant'; readonly text: string }>;
    /** Requests for more information and the answers. */
    readonly requests: ReadonlyArray<{ readonly createdAt: string; readonly dueAt: string; readonly status: string; readonly note: string; readonly fields: readonly string[]; readonly documents: readonly string[]; readonly answeredAt: string | null }>;
  }>;
  /** Staff access to the cases above (the Datenschutz-Cockpit), newest first. */
  readonly accessLog: ReadonlyArray<{ readonly at: string; readonly reference: string; readonly office: { readonly id: string; readonly name: Text | null }; readonly kind: string; readonly description: Text }>;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** A file name that is safe on every system: letters (with umlauts), digits, `._-` and spaces; at most 100 characters. */
export function safeFileName(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const cleaned = base
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._ -]+/gu, '_')
    .replace(/\s+/g, ' ')
    .replace(/_+/g, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  if (cleaned === '') return 'dokument';
  if (cleaned.length <= 100) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
  return cleaned.slice(0, 100 - ext.length) + ext;
}

/** `name.pdf`, `name-2.pdf`, … : the first path not taken yet. */
function uniquePath(taken: Set<string>, dir: string, name: string): string {
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  let path = `${dir}/${name}`;
  for (let n = 2; taken.has(path); n++) path = `${dir}/${stem}-${n}${ext}`;
  taken.add(path);
  return path;
}

/** Media types that are compressed already; storing them again deflated only costs time. */
const STORED = /^(application\/pdf|image\/(jpeg|png|webp|gif)|application\/zip)$/;

export async function exportCitizenData(deps: DataExportDeps, citizenId: string): Promise<{ fileName: string; zip: Uint8Array }> {
  const { db, catalogue } = deps;
  const now = deps.now();
  const citizen = /^[0-9a-f-]{36}$/i.test(citizenId)
    ? await db.selectFrom('citizens').select(['id', 'email', 'display_name', 'created_at', 'last_sign_in_at']).where('id', '=', citizenId).executeTakeFirst()
    : undefined;
  if (!citizen) throw new NotFoundError({ de: 'Dieses Konto gibt es nicht mehr.', en: 'This account no longer exists.' });

  const [passkeys, identities, drafts, cases] = await Promise.all([
    db.selectFrom('citizen_passkeys').select(['label', 'device_type', 'backed_up', 'created_at', 'last_used_at']).where('citizen_id', '=', citizenId).orderBy('created_at').execute(),
    db.selectFrom('verified_identities').select(['provider', 'subject', 'level', 'claims', 'verified_at']).where('citizen_id', '=', citizenId).orderBy('verified_at').execute(),
    db.selectFrom('drafts').select(['service_id', 'data', 'created_at', 'updated_at']).where('citizen_id', '=', citizenId).orderBy('updated_at').execute(),
    db.selectFrom('cases').selectAll().where('citizen_id', '=', citizenId).orderBy('submitted_at').orderBy('id').execute(),
  ]);
  const caseIds = cases.map((c) => c.id);
  // Both queries name the citizen's own case ids only (ownership decided by the query above).
  const [events, documents] =
    caseIds.length === 0
      ? [[], []]
      : await Promise.all([
          db.selectFrom('case_events').selectAll().where('case_id', 'in', caseIds).where('public', '=', true).orderBy('id').execute(),
          db.selectFrom('documents').select(['id', 'case_id']).where('case_id', 'in', caseIds).orderBy('created_at').orderBy('document_id').orderBy('version').execute(),
        ]);
  const access = await allCaseAccess(db, citizenId);

  const office = (id: string) => ({ id, name: catalogue.city.departments.find((d) => d.id === id)?.name ?? null });
  const files: Zippable = {};
  const taken = new Set<string>();
  let documentProblems = 0;

  const exportedCases: CitizenDataExport['cases'][number][] = [];
  for (const c of cases) {
    const def = catalogue.get(c.service_id);
    const caseEvents = events.filter((e) => e.case_id === c.id);
    const formData = c.form_data as Record<string, unknown>;
    const status = def ? toStatus(c, caseEvents, def) : undefined;
    const docs: ExportedDocument[] = [];
    for (const d of documents.filter((x) => x.case_id === c.id)) {
      try {
        const { document, bytes } = await readDocument(deps, d.id);
        const path = uniquePath(taken, `dokumente/${c.reference}`, `${document.version}-${safeFileName(document.fileName)}`);
        files[path] = [bytes, { level: STORED.test(document.contentType) ? 0 : 6 }];
        docs.push({ ...describe(document), path });
      } catch (err) {
        if (!(err instanceof IntegrityError)) throw err;
        // The rest of the export is still owed; the entry says the copy could not be verified.
        documentProblems++;
        const row = await db.selectFrom('documents').select(['document_id', 'version', 'file_name', 'content_type', 'size', 'sha256', 'created_at', 'created_by_type']).where('id', '=', d.id).executeTakeFirstOrThrow();
        docs.push({
          documentId: row.document_id,
          version: row.version,
          fileName: row.file_name,
          contentType: row.content_type,
          size: Number(row.size),
          sha256: row.sha256,
          createdAt: row.created_at.toISOString(),
          createdBy: row.created_by_type,
          path: null,
        });
      }
    }
    exportedCases.push({
      reference: c.reference,
      service: { id: c.service_id, version: c.service_version, title: def?.title ?? null },
      office: office(c.department_id),
      state: { id: c.state, label: def?.process.states.find((s) => s.id === c.state)?.publicLabel ?? null },
      submittedAt: c.submitted_at.toISOString(),
      updatedAt: c.updated_at.toISOString(),
      dueAt: iso(c.due_at),
      applicant: c.applicant as Record<string, unknown>,
      formData,
      formFields: (def?.pages ?? []).flatMap((p) => p.fields.filter((f) => formData[f.id] !== undefined && formData[f.id] !== '').map((f) => ({ id: f.id, label: f.label, value: formData[f.id] }))),
      timeline: status
        ? status.events.map((e) => ({ at: e.at.toISOString(), text: e.text, details: e.details }))
        : caseEvents.map((e) => ({ at: e.at.toISOString(), text: { de: e.kind, en: e.kind }, details: [] })),
      documents: docs,
      messages: (await db.selectFrom('case_messages').select(['created_at', 'direction', 'body']).where('case_id', '=', c.id).orderBy('created_at').execute()).map((m) => ({ at: m.created_at.toISOString(), from: m.direction === 'to_applicant' ? ('office' as const) : ('applicant' as const), text: m.body })),
      requests: (await db.selectFrom('information_requests').selectAll().where('case_id', '=', c.id).orderBy('created_at').execute()).map((r) => ({
        createdAt: r.created_at.toISOString(),
        dueAt: r.due_at.toISOString(),
        status: r.status,
        note: r.note,
        fields: r.field_ids,
        documents: r.documents.map((d) => d.label),
        answeredAt: iso(r.answered_at),
      })),
    });
  }

  const data: CitizenDataExport = {
    schema: DATA_EXPORT_SCHEMA,
    generatedAt: now.toISOString(),
    controller: { name: catalogue.city.name, contact: catalogue.city.contact },
    account: { id: citizen.id, email: citizen.email, displayName: citizen.display_name, createdAt: citizen.created_at.toISOString(), lastSignInAt: iso(citizen.last_sign_in_at) },
    passkeys: passkeys.map((p) => ({ label: p.label, deviceType: p.device_type, backedUp: p.backed_up, createdAt: p.created_at.toISOString(), lastUsedAt: iso(p.last_used_at) })),
    notifications: { ...(await loadPreferences(db, citizenId)), pushDevices: (await listPushDevices(db, citizenId)).map((d) => ({ label: d.label, createdAt: d.createdAt.toISOString(), lastSuccessAt: iso(d.lastSuccessAt) })) },
    verifiedIdentities: identities.map((i) => ({ provider: i.provider, subject: i.subject, level: i.level, verifiedAt: i.verified_at.toISOString(), claims: i.claims as Record<string, unknown> })),
    drafts: drafts.map((d) => ({ serviceId: d.service_id, serviceTitle: catalogue.get(d.service_id)?.title ?? null, createdAt: d.created_at.toISOString(), updatedAt: d.updated_at.toISOString(), data: d.data as Record<string, unknown> })),
    cases: exportedCases,
    accessLog: access.map((a) => ({ at: a.at.toISOString(), reference: a.reference, office: office(a.departmentId), kind: a.kind, description: ACCESS_KIND_LABELS[a.kind] })),
  };

  const encoder = new TextEncoder();
  const date = zonedToday(now, catalogue.city.timeZone);
  // fflate loads at the first export, not at start (ADR 0026).
  const { zipSync } = await import('fflate');
  const zip = zipSync(
    {
      'LIESMICH.txt': encoder.encode(readme(catalogue, date)),
      'daten.json': encoder.encode(`${JSON.stringify(data, null, 2)}\n`),
      ...files,
    },
    { level: 6, mtime: now },
  );
  await appendAudit(db, {
    actorType: 'applicant',
    actorId: citizenId,
    action: 'citizen.data_exported',
    caseId: null,
    details: { cases: cases.length, documents: documents.length, documentProblems, accessEntries: access.length },
  });
  return { fileName: `amtsweg-daten-${date}.zip`, zip };
}

function describe(d: { documentId: string; version: number; fileName: string; contentType: string; size: number; sha256: string; createdAt: Date; createdBy: { type: 'applicant' | 'staff' | 'system' } }): Omit<ExportedDocument, 'path'> {
  return { documentId: d.documentId, version: d.version, fileName: d.fileName, contentType: d.contentType, size: d.size, sha256: d.sha256, createdAt: d.createdAt.toISOString(), createdBy: d.createdBy.type };
}

/** LIESMICH.txt: what the archive holds, what it does not and why, the person's rights and whom to ask. */
function readme(catalogue: Catalogue, date: string): string {
  const city = catalogue.city;
  return `Ihre Daten bei ${city.name.de} (Stand: ${date})
${'='.repeat(60)}

Diese Datei enthält alle Daten, die ${city.name.de} über Ihr Konto im Amtsweg
gespeichert hat. Sie haben sie selbst in Ihrem Konto angefordert.

Inhalt
------
- daten.json: alle Angaben in maschinenlesbarer Form (JSON, Schema "${DATA_EXPORT_SCHEMA}"):
  Ihr Konto (E-Mail-Adresse, Anzeigename, angelegt, letzte Anmeldung), Ihre Passkeys
  (Bezeichnung, angelegt, zuletzt benutzt), Ihre bestätigten Identitäten mit den übermittelten
  Angaben, Vertrauensniveau, Anbieter und Zeitpunkt, Ihre angefangenen Anträge, jedes Ihrer
  Anliegen (Aktenzeichen, Leistung, Stand, Eingang, Ihre Angaben im Formular, der öffentliche
  Verlauf wie auf der Statusseite, die Liste der Dokumente, die Nachrichten im Postfach und die
  Nachforderungen mit Ihren Antworten) und das Zugriffsprotokoll: welche
  Stelle wann Ihre Akte angesehen oder bearbeitet hat.
- dokumente/<Aktenzeichen>/: jedes Dokument Ihrer Anliegen in jeder gespeicherten Fassung
  ("<Fassung>-<Dateiname>"). Jede Datei wurde vor dem Einpacken auf Echtheit geprüft (SHA-256,
  auch in daten.json angegeben). Konnte eine Fassung nicht bestätigt werden, steht sie in
  daten.json mit "path": null; wenden Sie sich dann bitte an uns.

Nicht enthalten, und warum
--------------------------
- Interne Vermerke und Zuweisungen der Sachbearbeitung sowie Namen der Beschäftigten: Sie
  betreffen auch die Rechte anderer Personen (Art. 15 Abs. 4 DSGVO). Das Zugriffsprotokoll
  nennt deshalb die Stelle, nicht die Person. Möchten Sie auch diese Angaben erhalten, wenden
  Sie sich an die unten genannte Stelle; wir prüfen Ihren Antrag im Einzelfall.
- Die öffentlichen Schlüssel Ihrer Passkeys und der Zugangscode Ihrer Anliegen (er ist nur
  als Prüfwert gespeichert): technische Angaben ohne Aussage über Sie.
- Anliegen, die Sie ohne Konto gesendet und nicht Ihrem Konto hinzugefügt haben. Sie können
  sie unter "Meine Anliegen" mit Aktenzeichen und Zugangscode hinzufügen.

Ihre Rechte
-----------
Sie haben das Recht auf Auskunft (Art. 15 DSGVO) und auf Datenübertragbarkeit (Art. 20 DSGVO),
außerdem auf Berichtigung (Art. 16), Löschung (Art. 17), Einschränkung der Verarbeitung
(Art. 18) und Widerspruch (Art. 21) sowie auf Beschwerde bei einer Datenschutz-Aufsichtsbehörde
(Art. 77 DSGVO).

Verantwortlich und Kontakt: ${city.contact.de}
Bitte nennen Sie bei Fragen das Aktenzeichen des betroffenen Anliegens.


Your data held by ${city.name.en} (as of ${date})
${'='.repeat(60)}

This archive holds all data that ${city.name.en} has stored about your Amtsweg account.
You requested it yourself in your account.

Contents
--------
- daten.json: everything in machine-readable form (JSON, schema "${DATA_EXPORT_SCHEMA}"): your
  account (email address, display name, created, last sign-in), your passkeys (label, created,
  last used), your verified identities with the data passed on, level, provider and time, your
  unsent forms, each of your cases (reference, service, state, received, your answers in the
  form, the public timeline as on the status page, the list of documents, the Postfach messages and the requests for more information with your answers) and the access log:
  which office viewed or worked on your case file, and when.
- dokumente/<reference>/: every document of your cases in every stored version
  ("<version>-<file name>"). Each file was checked for authenticity before packing (SHA-256,
  also listed in daten.json). A version that could not be confirmed is listed in daten.json
  with "path": null; please contact us in that case.

Not included, and why
---------------------
- Internal notes and assignments of the case workers, and staff members' names: they concern
  the rights of other people too (Art. 15(4) GDPR). The access log therefore names the office,
  not the person. If you want these as well, contact the office below; we will decide on your
  request case by case.
- The public keys of your passkeys and the access codes of your cases (stored only as a check
  value): technical data that says nothing about you.
- Cases you sent without an account and have not added to it. You can add them under
  "My matters" with the reference and access code.

Your rights
-----------
You have the right of access (Art. 15 GDPR) and to data portability (Art. 20 GDPR), and also
to rectification (Art. 16), erasure (Art. 17), restriction of processing (Art. 18) and to object
(Art. 21), and to lodge a complaint with a data protection supervisory authority (Art. 77 GDPR).

Controller and contact: ${city.contact.en}
Please give the reference of the case concerned when you contact us.
`;
}
