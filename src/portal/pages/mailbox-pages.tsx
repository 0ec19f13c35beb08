import type { FieldError, FormData, FormPage, Lang, RuleContext } from '../../catalogue/service-definition.ts';
import type { CaseStatus } from '../../cases/queries.ts';
import { documentFieldName, type InformationRequest } from '../../cases/information-requests.ts';
import type { CaseMessage } from '../../cases/mailbox.ts';
import { toListItems } from './message-items.ts';
import { formatDate } from '../../platform/i18n/time.ts';
import { Alert, Button, CsrfField, ErrorSummary, FileInput, MessageList, TextInput } from '../../platform/views/components.tsx';
import { FieldControl } from './form-pages.tsx';

/** The citizen's side of the Postfach and of a request for more information. */

const ACCEPT = 'application/pdf,image/jpeg,image/png';

/** "Waiting for you": shown at the top of the status page while a request is open. */
export function WaitingForYou(p: { lang: Lang; caseId: string; request: InformationRequest; timeZone: string }) {
  const de = p.lang === 'de';
  return (
    <div data-testid="waiting-for-you">
      <Alert kind="warning" title={de ? 'Wartet auf Sie' : 'Waiting for you'}>
        <p class="kern-body">
          {de ? 'Das Amt bittet Sie um weitere Angaben oder Unterlagen bis ' : 'The office asks you for more information or documents by '}
          <strong>{formatDate(p.request.dueAt, p.lang, p.timeZone)}</strong>.
        </p>
        <p class="kern-body aw-pre">{p.request.note}</p>
        <p class="kern-body">
          <a class="kern-link" href={`/status/${p.caseId}/request`}>
            {de ? 'Jetzt ergänzen' : 'Add it now'}
          </a>
        </p>
      </Alert>
    </div>
  );
}

export function ApplicantMailbox(p: { lang: Lang; caseId: string; messages: readonly CaseMessage[]; unread: number; timeZone: string; csrfToken: string; error?: { field: string; message: string } | undefined; typed?: string | undefined; open: boolean }) {
  const de = p.lang === 'de';
  return (
    <section aria-labelledby="postfach-title">
      <h2 class="kern-heading-medium" id="postfach-title">
        <span id="postfach">{de ? 'Postfach' : 'Mailbox'}</span>
        {p.unread > 0 ? <span class="kern-body"> ({de ? `${p.unread} neu` : `${p.unread} new`})</span> : null}
      </h2>
      <MessageList
        lang={p.lang}
        messages={toListItems(p.messages, (m) => (m.direction === 'to_applicant' ? (de ? 'Amt' : 'Office') : de ? 'Sie' : 'You'), (id) => `/status/${p.caseId}/documents/${id}`, 'to_applicant')}
        timeZone={p.timeZone}
        testId="applicant-messages"
      />
      {p.open ? (
        <form method="post" action={`/status/${p.caseId}/messages`} enctype="multipart/form-data" novalidate class="aw-form">
          <CsrfField token={p.csrfToken} />
          <TextInput id="reply-body" label={de ? 'Nachricht an das Amt' : 'Message to the office'} value={p.typed ?? ''} multiline maxLength={5000} error={p.error?.field === 'reply-body' ? p.error.message : undefined} />
          <FileInput id="reply-file" label={de ? 'Anlage (freiwillig)' : 'Attachment (optional)'} hint={de ? 'PDF, JPEG oder PNG, höchstens 10 MB.' : 'PDF, JPEG or PNG, at most 10 MB.'} accept={ACCEPT} error={p.error?.field === 'reply-file' ? p.error.message : undefined} />
          <Button kind="secondary">{de ? 'Nachricht senden' : 'Send message'}</Button>
        </form>
      ) : null}
    </section>
  );
}

/** The form reopened with only the requested answers (prefilled) and the requested documents. */
export function RequestAnswerView(p: { lang: Lang; status: CaseStatus; request: InformationRequest; page: FormPage; data: FormData; errors: readonly FieldError[]; ctx: RuleContext; csrfToken: string; timeZone: string }) {
  const de = p.lang === 'de';
  const errorFor = (id: string) => p.errors.find((e) => e.field === id)?.message[p.lang];
  return (
    <>
      <p class="kern-body">
        <a class="kern-link" href={`/status/${p.status.caseId}`}>
          {de ? 'Zurück zum Stand' : 'Back to the status'}
        </a>
      </p>
      <ErrorSummary title={de ? 'Bitte korrigieren Sie Folgendes' : 'There is a problem'} errors={p.errors.map((e) => ({ href: `#${e.field}`, text: e.message[p.lang] }))} />
      <span class="kern-preline">
        {p.status.service.title[p.lang]} · {p.status.reference}
      </span>
      <h1 class="kern-heading-large">{de ? 'Angaben und Unterlagen ergänzen' : 'Add information and documents'}</h1>
      <Alert kind="info" title={de ? `Frist: ${formatDate(p.request.dueAt, 'de', p.timeZone)}` : `Deadline: ${formatDate(p.request.dueAt, 'en', p.timeZone)}`}>
        <p class="kern-body aw-pre">{p.request.note}</p>
      </Alert>
      <form method="post" action={`/status/${p.status.caseId}/request`} enctype="multipart/form-data" novalidate class="aw-form">
        <CsrfField token={p.csrfToken} />
        {p.page.fields.map((field) => (
          <FieldControl field={field} value={p.data[field.id]} error={errorFor(field.id)} lang={p.lang} />
        ))}
        {p.request.documents.map((d) => (
          <FileInput id={documentFieldName(d.id)} label={d.label} hint={de ? 'PDF, JPEG oder PNG, höchstens 10 MB.' : 'PDF, JPEG or PNG, at most 10 MB.'} accept={ACCEPT} required error={errorFor(documentFieldName(d.id))} />
        ))}
        {p.request.documents.length > 0 && p.errors.length > 0 ? (
          <p class="kern-body">{de ? 'Bitte wählen Sie die Dateien noch einmal aus: Aus Sicherheitsgründen behält der Browser sie nicht.' : 'Please choose the files again: for your security the browser does not keep them.'}</p>
        ) : null}
        <Button>{de ? 'Ergänzung senden' : 'Send'}</Button>
      </form>
    </>
  );
}
