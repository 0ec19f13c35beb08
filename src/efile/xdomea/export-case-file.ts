import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Zippable } from 'fflate';
import type { Catalogue } from '../../catalogue/registry.ts';
import { allFields, type ServiceDefinition } from '../../catalogue/service-definition.ts';
import { staffDepartments, type Actor } from '../../cases/case-deps.ts';
import { hasPermission } from '../../identity/permissions.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors.ts';
import type { CaseEventRow, CaseRow } from '../../schema.ts';
import { appendAudit } from '../audit-chain.ts';
import { readDocument, type DocumentDeps } from '../documents.ts';
import { appPath } from '../../platform/app-paths.ts';
import {
  buildAussonderung0503,
  fileFormat,
  primaryFileName,
  xdomeaFileNames,
  type XdomeaDocument,
  type XdomeaDocumentVersion,
  type XdomeaHistoryEntry,
} from './aussonderung-0503.ts';

/**
 * Hands a closed case file to the archive as an xdomea 3.0.0 `Aussonderung.Aussonderung.0503`
 * transfer container (ADR 0014): one ZIP with the message and every stored document version, each
 * read through `readDocument`, so a file that fails its integrity check stops the export instead
 * of reaching the archive damaged.
 */
export interface ArchiveExportDeps extends DocumentDeps {
  readonly catalogue: Catalogue;
  readonly now: () => Date;
  /** The receiving archive; by default the city's own "Stadtarchiv". */
  readonly archive?: ArchiveRecipient;
}

interface ArchiveRecipient {
  readonly name: string;
  /** The archive's institution when it is not the city itself (e.g. a Landesarchiv). */
  readonly institution?: string;
  readonly authorityKey?: string;
}

export interface CaseFileExport {
  /** `<ProzessID>_Aussonderung.Aussonderung.0503.zip` */
  readonly fileName: string;
  readonly zip: Uint8Array;
  /** The ProzessID. */
  readonly messageId: string;
}

const NOT_FOUND = { de: 'Diesen Vorgang gibt es nicht.', en: 'This case does not exist.' };
const APPLICANT = 'Antragstellende Person';
const SYSTEM = 'Amtsweg';

/** The product version for `SendendesSystem`, read once. */
const PRODUCT_VERSION: string = (() => {
  try {
    return String(JSON.parse(readFileSync(appPath('package.json'), 'utf8')).version ?? 'unbekannt');
  } catch {
    return 'unbekannt';
  }
})();

/** A name-based UUID (RFC 4122 version 5): the same case yields the same ids in every export. */
function nameUuid(namespace: string, name: string): string {
  const h = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** YYYY-MM-DD of `d` in the city's time zone. */
function localDate(d: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y + years, m, 0)).getUTCDate(); // 29 February → 28 February
  return `${String(y + years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** `P5Y` → 5; anything else (no whole years) → undefined. */
function retentionYears(iso: string): number | undefined {
  const m = /^P(\d{1,4})Y$/.exec(iso);
  return m ? Number(m[1]) : undefined;
}

/** The PDF version from the header (`%PDF-1.7`); empty when the file does not say. */
function formatVersion(bytes: Uint8Array, contentType: string): string {
  if (contentType !== 'application/pdf') return '';
  const m = /^%PDF-(\d\.\d)/.exec(Buffer.from(bytes.subarray(0, 16)).toString('latin1'));
  return m ? m[1]! : '';
}

function history(def: ServiceDefinition, events: readonly CaseEventRow[], staffNames: Readonly<Record<string, string>>): XdomeaHistoryEntry[] {
  const state = (id: string | null) => (id ? `${def.process.states.find((s) => s.id === id)?.publicLabel.de ?? id} (${id})` : undefined);
  const actor = (e: CaseEventRow) => (e.actor_type === 'applicant' ? APPLICANT : e.actor_type === 'system' ? SYSTEM : (e.actor_id && staffNames[e.actor_id]) || 'Mitarbeiterin/Mitarbeiter');
  return events.map((e): XdomeaHistoryEntry => {
    const payload = (e.payload ?? {}) as Record<string, unknown>;
    const base = { at: e.at, actor: actor(e) };
    switch (e.kind) {
      case 'submitted':
        return { ...base, action: 'Antrag eingegangen', field: 'Status', ...withValue('newValue', state(e.to_state)) };
      case 'transition': {
        const tr = def.process.transitions.find((t) => t.id === e.transition_id);
        const inputs = (tr?.inputs ?? []).filter((i) => typeof payload[i.id] === 'string' && payload[i.id] !== '').map((i) => `${i.label.de}: ${String(payload[i.id])}`);
        return {
          ...base,
          action: tr?.label.de ?? e.transition_id ?? 'Statuswechsel',
          field: 'Status',
          ...withValue('oldValue', state(e.from_state)),
          ...withValue('newValue', state(e.to_state)),
          ...(inputs.length > 0 ? { remark: inputs.join('\n') } : {}),
        };
      }
      case 'note':
        return { ...base, action: 'Interne Notiz', ...withValue('remark', typeof payload.text === 'string' ? payload.text : undefined) };
      case 'assignment': {
        const name = (id: unknown) => (typeof id === 'string' ? (staffNames[id] ?? id) : 'niemand');
        return { ...base, action: 'Zuweisung', field: 'Bearbeitung', oldValue: name(payload.previousAssigneeId), newValue: name(payload.assigneeId) };
      }
      default:
        return { ...base, action: String(e.kind) };
    }
  });
}

const withValue = <K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> => (value === undefined ? {} : ({ [key]: value } as Record<K, string>));

/** The form as submitted, with the fields' labels: a readable primary document of its own. */
function applicationData(row: CaseRow, def: ServiceDefinition, stateLabel: string): Uint8Array {
  const data = row.form_data as Record<string, unknown>;
  const known = allFields(def).filter((f) => data[f.id] !== undefined && data[f.id] !== '');
  const knownIds = new Set(known.map((f) => f.id));
  const json = {
    reference: row.reference,
    service: { id: def.id, version: row.service_version, leikaKey: def.leikaKey, title: def.title },
    submittedAt: row.submitted_at.toISOString(),
    state: { id: row.state, label: stateLabel },
    fields: [
      ...known.map((f) => ({ id: f.id, label: f.label, value: data[f.id] })),
      ...Object.keys(data)
        .filter((k) => !knownIds.has(k) && data[k] !== undefined && data[k] !== '')
        .map((k) => ({ id: k, value: data[k] })),
    ],
  };
  return new TextEncoder().encode(`${JSON.stringify(json, null, 2)}\n`);
}

/**
 * The export of one closed case file, for a staff member who may archive in the case's department
 * (`case.archive`). Another department's case is not found; a case that is still open, or whose
 * content retention has already erased, is a conflict. The export is audited (ids and counts only).
 */
export async function exportCaseFile(deps: ArchiveExportDeps, actor: Actor, caseId: string): Promise<CaseFileExport> {
  const departments = staffDepartments(actor);
  if (actor.type !== 'staff' || departments.length === 0 || !/^[0-9a-f-]{36}$/i.test(caseId)) throw new NotFoundError(NOT_FOUND);
  const row = await deps.db.selectFrom('cases').selectAll().where('id', '=', caseId).where('department_id', 'in', departments).executeTakeFirst();
  if (!row) throw new NotFoundError(NOT_FOUND);
  if (!hasPermission(actor, 'case.archive', row.department_id)) {
    throw new ForbiddenError({ de: 'Akten an das Archiv abgeben darf nur die Sachgebietsleitung.', en: 'Only a supervisor may hand case files to the archive.' });
  }
  const def = deps.catalogue.get(row.service_id);
  if (!def) throw new NotFoundError({ de: 'Die Leistung dieses Vorgangs ist nicht mehr verfügbar.', en: 'The service of this case is no longer available.' });
  const state = def.process.states.find((s) => s.id === row.state);
  if (state?.final !== true) {
    throw new ConflictError({
      de: 'Der Vorgang ist noch nicht abgeschlossen. Erst eine abgeschlossene Akte kann an das Archiv abgegeben werden.',
      en: 'The case is not closed yet. Only a closed case file can be handed to the archive.',
    });
  }
  if (row.erased_at) {
    throw new ConflictError({
      de: 'Der Inhalt dieser Akte wurde nach Ablauf der Aufbewahrungsfrist gelöscht; sie kann nicht mehr abgegeben werden.',
      en: 'The content of this case file was erased when its retention period ended; it can no longer be handed over.',
    });
  }

  const city = deps.catalogue.city;
  const events = await deps.db.selectFrom('case_events').selectAll().where('case_id', '=', row.id).orderBy('id').execute();
  const versions = await deps.db
    .selectFrom('documents')
    .select(['id', 'document_id', 'version', 'file_name', 'content_type', 'created_at', 'created_by_type', 'created_by_id'])
    .where('case_id', '=', row.id)
    .orderBy('created_at')
    .orderBy('version')
    .execute();
  const staffIds = new Set<string>();
  for (const e of events) {
    if (e.actor_type === 'staff' && e.actor_id) staffIds.add(e.actor_id);
    const p = (e.payload ?? {}) as Record<string, unknown>;
    for (const k of ['assigneeId', 'previousAssigneeId']) if (typeof p[k] === 'string') staffIds.add(p[k] as string);
  }
  for (const v of versions) if (v.created_by_type === 'staff' && v.created_by_id) staffIds.add(v.created_by_id);
  const staffRows = staffIds.size > 0 ? await deps.db.selectFrom('staff_users').select(['id', 'display_name']).where('id', 'in', [...staffIds]).execute() : [];
  const staffNames = Object.fromEntries(staffRows.map((s) => [s.id, s.display_name]));

  // Closed when it entered its final state: the last transition into it (or the row's own record).
  const closedAt = row.closed_at ?? [...events].reverse().find((e) => e.kind === 'transition' && e.to_state === row.state)?.at ?? row.updated_at;
  const begin = localDate(row.submitted_at, city.timeZone);
  const end = localDate(closedAt, city.timeZone);
  const years = retentionYears(def.retention);

  // Every stored version, read with its integrity checks; named by its row id in the container.
  const files: Zippable = {};
  const documents = new Map<string, { subject: string; versions: XdomeaDocumentVersion[] }>();
  for (const v of versions) {
    const { bytes } = await readDocument(deps, v.id);
    const fileName = primaryFileName(v.id, v.file_name, v.content_type);
    files[fileName] = bytes;
    const doc = documents.get(v.document_id) ?? { subject: v.file_name, versions: [] };
    doc.subject = v.file_name; // the newest version's name
    doc.versions.push({
      number: v.version,
      fileName,
      originalFileName: v.file_name,
      createdAt: v.created_at,
      creator: v.created_by_type === 'applicant' ? APPLICANT : v.created_by_type === 'system' ? SYSTEM : (v.created_by_id && staffNames[v.created_by_id]) || 'Mitarbeiterin/Mitarbeiter',
      format: fileFormat(v.file_name, v.content_type, formatVersion(bytes, v.content_type)),
    });
    documents.set(v.document_id, doc);
  }

  const formId = nameUuid(row.id, 'antragsdaten');
  const formFile = primaryFileName(nameUuid(row.id, 'antragsdaten/1'), 'Antragsdaten.json', 'application/json');
  files[formFile] = applicationData(row, def, state.publicLabel.de);
  const xdomeaDocuments: XdomeaDocument[] = [
    {
      id: formId,
      subject: 'Antragsdaten',
      type: 'Antragsdaten',
      versions: [{ number: 1, fileName: formFile, originalFileName: 'Antragsdaten.json', createdAt: row.submitted_at, creator: SYSTEM, format: fileFormat('Antragsdaten.json', 'application/json', 'RFC 8259') }],
    },
    ...[...documents.entries()].map(([id, d]) => ({ id, subject: d.subject, versions: d.versions })),
  ];

  const messageId = randomUUID();
  const department = city.departments.find((d) => d.id === row.department_id)?.name.de ?? row.department_id;
  const archive = deps.archive ?? { name: 'Stadtarchiv' };
  const xml = buildAussonderung0503({
    messageId,
    createdAt: deps.now(),
    sender: { authorityKey: city.municipalityKey, authorityName: city.name.de, institution: city.name.de, unit: department },
    recipient: {
      ...(archive.authorityKey ? { authorityKey: archive.authorityKey } : archive.institution ? {} : { authorityKey: city.municipalityKey, authorityName: city.name.de }),
      institution: archive.institution ?? city.name.de,
      unit: archive.name,
    },
    sendingSystem: { productName: 'Amtsweg', version: PRODUCT_VERSION },
    file: {
      id: row.id,
      reference: row.reference,
      subject: def.title.de,
      leadUnit: department,
      runtime: { begin, end },
      ...(years !== undefined ? { retentionYears: years, retentionEnd: addYears(end, years) } : {}),
      // Without a preceding offer and evaluation (0501/0502) the archive takes what it is sent: archivwürdig.
      disposal: 'A',
      procedure: {
        id: nameUuid(row.id, 'vorgang'),
        subject: `${def.title.de} – ${row.reference}`,
        type: def.id,
        history: history(def, events, staffNames),
        documents: xdomeaDocuments,
      },
    },
  });
  const names = xdomeaFileNames(messageId);
  // fflate loads at the first export, not at start (ADR 0026).
  const { zipSync } = await import('fflate');
  const zip = zipSync({ [names.xml]: new TextEncoder().encode(xml), ...files }, { mtime: deps.now() });
  await appendAudit(deps.db, {
    actorType: 'staff',
    actorId: actor.id,
    action: 'case.exported_xdomea',
    caseId: row.id,
    details: { messageId, documents: versions.length },
  });
  return { fileName: names.zip, zip, messageId };
}
