import type { ComponentChildren } from 'preact';
import type { Lang, ServiceDefinition } from '../catalogue/service-definition.ts';
import type { CaseDocument } from '../efile/case-documents.ts';
import type { StoredDocument } from '../efile/documents.ts';
import { formatSize } from '../efile/uploads/upload-check.ts';
import { formatDateTime } from '../platform/i18n/time.ts';
import { Button, CsrfField, FileInput, Table, TextInput } from '../platform/views/components.tsx';

/** Parts of the staff case file (E-Akte) page: the documents with their versions and the forms to add them. */

export interface DocumentFeedback {
  /** The form that failed: 'document-file' (add) or `version-<documentId>`. */
  readonly field: string;
  readonly message: string;
  readonly title?: string;
}

const ACCEPT = 'application/pdf,image/jpeg,image/png';

export function CaseFileNav(p: { lang: Lang; sections: ReadonlyArray<{ id: string; label: string; count?: number }> }) {
  return (
    <nav class="aw-case-nav" aria-label={p.lang === 'de' ? 'Auf dieser Seite' : 'On this page'}>
      <ul class="aw-inline-list">
        {p.sections.map((s) => (
          <li>
            <a class="kern-link" href={`#${s.id}`}>
              {s.label}
              {s.count !== undefined ? ` (${s.count})` : ''}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function Section(p: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section aria-labelledby={`${p.id}-title`} class="aw-case-section">
      <h2 class="kern-heading-medium" id={`${p.id}-title`}>
        <span id={p.id}>{p.title}</span>
      </h2>
      {p.children}
    </section>
  );
}

export function DocumentsSection(p: {
  lang: Lang;
  caseId: string;
  def: ServiceDefinition;
  documents: readonly CaseDocument[];
  staffNames: Readonly<Record<string, string>>;
  timeZone: string;
  canUpload: boolean;
  csrfToken: string;
  feedback?: DocumentFeedback | undefined;
}) {
  const de = p.lang === 'de';
  const origin = (d: StoredDocument) => {
    if (d.title) return d.title;
    const field = d.fieldId ? p.def.pages.flatMap((pg) => pg.fields).find((f) => f.id === d.fieldId) : undefined;
    if (field) return field.label[p.lang];
    return d.createdBy.type === 'system' ? (de ? 'Vom System erstellt' : 'Created by the system') : de ? 'Dokument' : 'Document';
  };
  const who = (d: StoredDocument) =>
    d.createdBy.type === 'staff' ? (d.createdBy.id ? (p.staffNames[d.createdBy.id] ?? (de ? 'Mitarbeitende/r' : 'Staff')) : de ? 'Mitarbeitende/r' : 'Staff') : d.createdBy.type === 'applicant' ? (de ? 'Antragsteller/in' : 'Applicant') : 'System';
  const href = (d: StoredDocument) => `/staff/cases/${p.caseId}/documents/${d.id}`;
  const fb = p.feedback;
  return (
    <>
      {p.documents.length === 0 ? (
        <p class="kern-body">{de ? 'Zu diesem Vorgang gibt es noch keine Dokumente.' : 'There are no documents in this case file yet.'}</p>
      ) : (
        <Table caption={de ? 'Dokumente der Akte' : 'Documents in the case file'} headers={de ? ['Dokument', 'Datei', 'Version', 'Von, am'] : ['Document', 'File', 'Version', 'By, on']} testId="documents">
            {p.documents.map((doc) => {
              const d = doc.latest;
              const versionField = `version-${doc.documentId}`;
              return (
                <tr class="kern-table__row">
                  <th class="kern-table__header" scope="row">
                    {origin(d)}
                  </th>
                  <td class="kern-table__cell">
                    <a class="kern-link" href={href(d)} download>
                      {d.fileName}
                    </a>{' '}
                    <span class="kern-body--small">({formatSize(d.size, p.lang)})</span>
                  </td>
                  <td class="kern-table__cell">
                    {d.version}
                    {doc.versions.length > 1 || p.canUpload ? (
                      <details class="aw-details" open={fb?.field === versionField}>
                        <summary>{de ? `Versionen (${doc.versions.length})` : `Versions (${doc.versions.length})`}</summary>
                        <ol class="kern-list" reversed>
                          {[...doc.versions].reverse().map((v) => (
                            <li>
                              <a class="kern-link" href={href(v)} download>
                                {de ? `Version ${v.version}` : `Version ${v.version}`}
                              </a>
                              {`: ${v.fileName}, ${who(v)}, ${formatDateTime(v.createdAt, p.lang, p.timeZone)}`}
                            </li>
                          ))}
                        </ol>
                        {p.canUpload ? (
                          <form method="post" action={`/staff/cases/${p.caseId}/documents/${doc.documentId}/versions`} enctype="multipart/form-data" novalidate>
                            <CsrfField token={p.csrfToken} />
                            <FileInput id={versionField} label={de ? 'Neue Version hochladen' : 'Upload a new version'} hint={de ? 'PDF, JPEG oder PNG, höchstens 25 MB. Frühere Versionen bleiben erhalten.' : 'PDF, JPEG or PNG, at most 25 MB. Earlier versions are kept.'} accept={ACCEPT} error={fb?.field === versionField ? fb.message : undefined} />
                            <Button kind="secondary">{de ? 'Version speichern' : 'Save version'}</Button>
                          </form>
                        ) : null}
                      </details>
                    ) : null}
                  </td>
                  <td class="kern-table__cell">
                    {who(d)}, {formatDateTime(d.createdAt, p.lang, p.timeZone)}
                  </td>
                </tr>
              );
            })}
        </Table>
      )}
      {p.canUpload ? (
        <form method="post" action={`/staff/cases/${p.caseId}/documents`} enctype="multipart/form-data" novalidate class="aw-form">
          <h3 class="kern-heading-small">{de ? 'Dokument zur Akte nehmen' : 'Add a document to the file'}</h3>
          <CsrfField token={p.csrfToken} />
          <TextInput id="document-title" label={de ? 'Bezeichnung (freiwillig)' : 'Label (optional)'} hint={de ? 'Zum Beispiel: Posteingang vom 3. Mai' : 'For example: incoming mail of 3 May'} value={fb?.field === 'document-file' || fb?.field === 'document-title' ? (fb.title ?? '') : ''} maxLength={200} error={fb?.field === 'document-title' ? fb.message : undefined} />
          <FileInput id="document-file" label={de ? 'Datei (z. B. gescannte Post)' : 'File (e.g. scanned mail)'} hint={de ? 'PDF, JPEG oder PNG, höchstens 25 MB.' : 'PDF, JPEG or PNG, at most 25 MB.'} accept={ACCEPT} required error={fb?.field === 'document-file' ? fb.message : undefined} />
          <Button kind="secondary">{de ? 'Zur Akte nehmen' : 'Add to the file'}</Button>
        </form>
      ) : null}
    </>
  );
}
