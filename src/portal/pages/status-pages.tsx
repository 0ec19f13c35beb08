import type { ComponentChildren } from 'preact';
import type { CaseStatus } from '../../cases/queries.ts';
import type { Lang } from '../../catalogue/service-definition.ts';
import type { FieldProblem } from '../../platform/errors.ts';
import { formatDate, formatDateTime } from '../../platform/i18n/time.ts';
import { Alert, Button, CsrfField, ErrorSummary, FileInput, TextInput } from '../../platform/views/components.tsx';
import type { StoredDocument } from '../../efile/documents.ts';
import { formatSize } from '../../efile/uploads/upload-check.ts';

export function StatusLookupView(p: { lang: Lang; csrfToken: string; reference: string; accessCode: string; errors: readonly FieldProblem[]; notFound?: string | undefined }) {
  const de = p.lang === 'de';
  const err = (f: string) => p.errors.find((e) => e.field === f)?.message[p.lang];
  const summary = [
    ...p.errors.map((e) => ({ href: `#${e.field}`, text: e.message[p.lang] })),
    ...(p.notFound ? [{ href: '#reference', text: p.notFound }] : []),
  ];
  return (
    <>
      <ErrorSummary title={de ? 'Bitte korrigieren Sie Folgendes' : 'There is a problem'} errors={summary} />
      <h1 class="kern-heading-large">{de ? 'Stand Ihres Anliegens' : 'Status of your case'}</h1>
      <p class="kern-body">{de ? 'Beides finden Sie auf der Bestätigung nach dem Absenden.' : 'You find both on the confirmation you saw after sending.'}</p>
      <form method="post" action="/status" novalidate>
        <CsrfField token={p.csrfToken} />
        <TextInput id="reference" label={de ? 'Aktenzeichen' : 'Reference'} hint={de ? 'Zum Beispiel HAL-2026-000123-7' : 'For example HAL-2026-000123-7'} value={p.reference} error={err('reference') ?? p.notFound} required autocomplete="off" />
        <TextInput id="accessCode" label={de ? 'Zugangscode' : 'Access code'} hint={de ? '10 Zeichen, zum Beispiel ABCDE-FGHJK' : '10 characters, for example ABCDE-FGHJK'} value={p.accessCode} error={err('accessCode')} required autocomplete="off" />
        <Button>{de ? 'Stand anzeigen' : 'Show status'}</Button>
      </form>
    </>
  );
}

export function StatusView(p: {
  lang: Lang;
  status: CaseStatus;
  timeZone: string;
  csrfToken: string;
  message?: { kind: 'success' | 'danger'; text: string } | undefined;
  /** The applicant's documents: their uploads and what the office issued to them. */
  documents?: readonly StoredDocument[];
  /** Handing in documents later (open cases only); `error` after a refused file. */
  laterUpload?: { error?: string | undefined } | undefined;
  /** Shown first, above the state (e.g. "waiting for you"). */
  top?: ComponentChildren;
  /** Further parts of the page (Postfach, fees, appointments), after "what happens next". */
  panels?: ComponentChildren;
}) {
  const { status: s, lang } = p;
  const de = lang === 'de';
  return (
    <>
      {p.message ? <Alert kind={p.message.kind} title={p.message.text} role={p.message.kind === 'danger' ? 'alert' : 'status'} /> : null}
      {p.top}
      <span class="kern-preline">{s.service.title[lang]}</span>
      <h1 class="kern-heading-large">
        {de ? 'Stand: ' : 'Status: '}
        <span data-testid="state-label">{s.stateLabel[lang]}</span>
      </h1>
      <p class="kern-body">
        {de ? 'Aktenzeichen' : 'Reference'}: <strong>{s.reference}</strong>
      </p>
      <div class="aw-panel">
        <h2 class="kern-heading-medium">{de ? 'Wie geht es weiter?' : 'What happens next?'}</h2>
        <p class="kern-body">{s.next[lang]}</p>
        {!s.final && s.dueAt ? (
          <p class="kern-body">
            {de ? 'Voraussichtlich bis: ' : 'Expected by: '}
            <strong>{formatDate(s.dueAt, lang, p.timeZone)}</strong>
          </p>
        ) : null}
      </div>
      {p.panels}
      {p.documents && p.documents.length > 0 ? (
        <>
          <h2 class="kern-heading-medium">{de ? 'Ihre Dokumente' : 'Your documents'}</h2>
          <ul class="kern-list" data-testid="applicant-documents">
            {p.documents.map((d) => (
              <li>
                <a class="kern-link" href={`/status/${s.caseId}/documents/${d.id}`} download>
                  {d.fileName}
                </a>{' '}
                <span class="kern-body--small">
                  ({d.createdBy.type === 'applicant' ? (de ? 'von Ihnen hochgeladen' : 'uploaded by you') : de ? 'vom Amt ausgestellt' : 'issued by the office'}, {formatDateTime(d.createdAt, lang, p.timeZone)}, {formatSize(d.size, lang)})
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2 class="kern-heading-medium">{de ? 'Verlauf' : 'History'}</h2>
      <ol class="aw-timeline">
        {[...s.events].reverse().map((e) => (
          <li class="aw-timeline__item">
            <p class="kern-body kern-body--small">
              <time dateTime={e.at.toISOString()}>{formatDateTime(e.at, lang, p.timeZone)}</time>
            </p>
            <p class="kern-body kern-body--bold">{e.text[lang]}</p>
            {e.details.map((d) => (
              <div class="aw-timeline__detail">
                <p class="kern-body kern-body--small">{d.label[lang]}:</p>
                <p class="kern-body aw-pre">{d.value}</p>
              </div>
            ))}
          </li>
        ))}
      </ol>
      {p.laterUpload ? (
        <section aria-labelledby="later-title">
          <h2 class="kern-heading-medium" id="later-title">
            {de ? 'Unterlagen nachreichen' : 'Hand in documents'}
          </h2>
          <form method="post" action={`/status/${s.caseId}/documents`} enctype="multipart/form-data" novalidate class="aw-form">
            <CsrfField token={p.csrfToken} />
            <FileInput
              id="later-file"
              label={de ? 'Datei' : 'File'}
              hint={de ? 'PDF, JPEG oder PNG, höchstens 10 MB. Das Amt sieht die Datei sofort in Ihrer Akte.' : 'PDF, JPEG or PNG, at most 10 MB. The office sees it in your file at once.'}
              accept="application/pdf,image/jpeg,image/png"
              required
              error={p.laterUpload.error}
            />
            <Button kind="secondary">{de ? 'Hochladen' : 'Upload'}</Button>
          </form>
        </section>
      ) : null}
      {s.applicantActions.length > 0 ? <h2 class="kern-heading-medium">{de ? 'Was Sie tun können' : 'What you can do'}</h2> : null}
      {s.applicantActions.map((a) => (
        <p class="kern-body">
          <a class="kern-link" href={`/status/${s.caseId}/actions/${a.id}`}>
            {a.label[lang]}
          </a>
        </p>
      ))}
    </>
  );
}

/** Asks before an action the citizen cannot undo (e.g. withdrawing the notice). */
export function ConfirmActionView(p: { lang: Lang; status: CaseStatus; action: { id: string; label: { de: string; en: string } }; csrfToken: string }) {
  const de = p.lang === 'de';
  return (
    <>
      <span class="kern-preline">
        {p.status.service.title[p.lang]} · {p.status.reference}
      </span>
      <h1 class="kern-heading-large">{p.action.label[p.lang]}?</h1>
      <p class="kern-body">
        {de
          ? 'Das können Sie nicht rückgängig machen. Wenn Sie es sich anders überlegen, stellen Sie Ihr Anliegen einfach neu.'
          : 'You cannot undo this. If you change your mind, simply submit your matter again.'}
      </p>
      <form method="post" action={`/status/${p.status.caseId}/actions/${p.action.id}`} class="aw-inline-form">
        <CsrfField token={p.csrfToken} />
        <input type="hidden" name="version" value={String(p.status.version)} />
        <Button kind="primary">{de ? `Ja, ${p.action.label.de.toLowerCase()}` : `Yes, ${p.action.label.en.toLowerCase()}`}</Button>
      </form>
      <p class="kern-body">
        <a class="kern-link" href={`/status/${p.status.caseId}`}>
          {de ? 'Nein, zurück zum Stand' : 'No, back to the status'}
        </a>
      </p>
    </>
  );
}
