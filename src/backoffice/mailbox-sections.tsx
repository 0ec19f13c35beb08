import type { Field, Lang } from '../catalogue/service-definition.ts';
import type { InformationRequest } from '../cases/information-requests.ts';
import type { CaseMessage } from '../cases/mailbox.ts';
import type { ReplyTemplate } from '../cases/reply-templates.ts';
import { formatDate, formatDateTime } from '../platform/i18n/time.ts';
import { Button, ChoiceGroup, CsrfField, FileInput, MessageList, SelectInput, TextInput } from '../platform/views/components.tsx';
import { toListItems } from '../portal/pages/message-items.ts';

/** The staff case file's Postfach and Nachforderung sections. */

export interface MailboxFeedback {
  readonly field: string;
  readonly message: string;
  readonly values?: Readonly<Record<string, string | readonly string[]>>;
}

const ACCEPT = 'application/pdf,image/jpeg,image/png';


export function StaffMailboxSection(p: {
  lang: Lang;
  caseId: string;
  reference: string;
  messages: readonly CaseMessage[];
  staffNames: Readonly<Record<string, string>>;
  timeZone: string;
  canWrite: boolean;
  templates: readonly ReplyTemplate[];
  draft: string;
  selectedTemplate: string;
  csrfToken: string;
  feedback?: MailboxFeedback | undefined;
}) {
  const de = p.lang === 'de';
  const fb = p.feedback;
  const author = (m: CaseMessage) => (m.direction === 'from_applicant' ? (de ? 'Antragsteller/in' : 'Applicant') : (m.authorStaffId && p.staffNames[m.authorStaffId]) || (de ? 'Amt' : 'Office'));
  return (
    <>
      <MessageList lang={p.lang} messages={toListItems(p.messages, author, (id) => `/staff/cases/${p.caseId}/documents/${id}`)} timeZone={p.timeZone} testId="staff-messages" />
      {p.canWrite ? (
        <>
          <form method="get" action={`/staff/cases/${p.caseId}#postfach`} class="aw-filters" novalidate>
            <SelectInput id="template" legend={de ? 'Textvorlage' : 'Reply template'} selected={p.selectedTemplate} emptyLabel={de ? 'Keine' : 'None'} choices={p.templates.map((t) => ({ value: t.id, label: t.title[p.lang] }))} />
            <Button kind="tertiary">{de ? 'Vorlage einfügen' : 'Insert template'}</Button>
          </form>
          <form method="post" action={`/staff/cases/${p.caseId}/messages`} enctype="multipart/form-data" novalidate class="aw-form">
            <CsrfField token={p.csrfToken} />
            <TextInput id="message-body" label={de ? 'Nachricht an die Antragstellenden' : 'Message to the applicant'} hint={de ? 'Die Benachrichtigung sagt nur, dass eine Nachricht wartet; der Text steht im Postfach.' : 'The notification only says that a message is waiting; the text is in the Postfach.'} value={fb?.field === 'message-body' || fb?.field === 'message-file' ? String(fb.values?.['message-body'] ?? '') : p.draft} multiline maxLength={5000} error={fb?.field === 'message-body' ? fb.message : undefined} />
            <FileInput id="message-file" label={de ? 'Anlage (freiwillig)' : 'Attachment (optional)'} hint={de ? 'PDF, JPEG oder PNG, höchstens 10 MB.' : 'PDF, JPEG or PNG, at most 10 MB.'} accept={ACCEPT} error={fb?.field === 'message-file' ? fb.message : undefined} />
            <Button kind="secondary">{de ? 'Nachricht senden' : 'Send message'}</Button>
          </form>
        </>
      ) : null}
    </>
  );
}

export function StaffRequestSection(p: {
  lang: Lang;
  caseId: string;
  requests: readonly InformationRequest[];
  fields: readonly Field[];
  allFields: readonly Field[];
  timeZone: string;
  canWrite: boolean;
  csrfToken: string;
  feedback?: MailboxFeedback | undefined;
}) {
  const de = p.lang === 'de';
  const open = p.requests.find((r) => r.status === 'open');
  const answered = [...p.requests].reverse().find((r) => r.status === 'answered');
  const label = (id: string) => p.allFields.find((f) => f.id === id)?.label[p.lang] ?? id;
  const fb = p.feedback;
  const err = (field: string) => (fb?.field === field ? fb.message : undefined);
  const value = (field: string) => fb?.values?.[field];
  return (
    <>
      {open ? (
        <div class="aw-panel" data-testid="open-request">
          <p class="kern-body">
            <strong>{de ? 'Offen, Frist: ' : 'Open, deadline: '}</strong>
            {formatDate(open.dueAt, p.lang, p.timeZone)}
          </p>
          <ul class="kern-list">
            {open.fieldIds.map((f) => (
              <li>{label(f)}</li>
            ))}
            {open.documents.map((d) => (
              <li>{d.label}</li>
            ))}
          </ul>
          {p.canWrite ? (
            <form method="post" action={`/staff/cases/${p.caseId}/request/cancel`} novalidate>
              <CsrfField token={p.csrfToken} />
              <Button kind="tertiary">{de ? 'Nachforderung zurückziehen' : 'Withdraw the request'}</Button>
            </form>
          ) : null}
        </div>
      ) : null}
      {answered?.answer ? (
        <div class="aw-panel" data-testid="request-answer">
          <p class="kern-body">
            <strong>{de ? 'Beantwortet am ' : 'Answered on '}</strong>
            {formatDateTime(answered.answeredAt!, p.lang, p.timeZone)}
          </p>
          {answered.answer.changed.length === 0 && answered.answer.documents.length === 0 ? <p class="kern-body">{de ? 'Keine Angabe geändert.' : 'No answer changed.'}</p> : null}
          <ul class="kern-list">
            {answered.answer.changed.map((c) => (
              <li>
                {label(c.field)}: <del>{c.before || '—'}</del> → <ins>{c.after || '—'}</ins>
              </li>
            ))}
            {answered.answer.documents.map((d) => (
              <li>
                {d.requested}: {de ? 'hochgeladen (siehe Dokumente)' : 'uploaded (see documents)'}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {!open && p.canWrite ? (
        <details class="aw-details" open={fb !== undefined}>
          <summary>{de ? 'Neue Nachforderung stellen' : 'Make a new request'}</summary>
        <form method="post" action={`/staff/cases/${p.caseId}/request`} novalidate class="aw-form">
          <CsrfField token={p.csrfToken} />
          <ChoiceGroup
            id="request-fields"
            legend={de ? 'Welche Angaben fehlen oder sind zu korrigieren?' : 'Which answers are missing or need correcting?'}
            multiple
            selected={(value('request-fields') as readonly string[] | undefined) ?? []}
            choices={p.fields.map((f) => ({ value: f.id, label: f.label[p.lang] }))}
            error={err('request-fields')}
          />
          <TextInput id="request-documents" label={de ? 'Welche Dokumente fehlen? (eines je Zeile, freiwillig)' : 'Which documents are missing? (one per line, optional)'} value={String(value('request-documents') ?? '')} multiline maxLength={2000} error={err('request-documents')} />
          <TextInput id="request-note" label={de ? 'Hinweis an die Antragstellenden' : 'Note to the applicant'} value={String(value('request-note') ?? '')} multiline maxLength={4000} error={err('request-note')} />
          <TextInput id="request-due" label={de ? 'Frist' : 'Deadline'} hint={de ? 'Zum Beispiel 17.05.2027' : 'For example 17.05.2027'} type="date" width="short" value={String(value('request-due') ?? '')} error={err('request-due')} />
          <Button kind="secondary">{de ? 'Nachfordern' : 'Request'}</Button>
        </form>
        </details>
      ) : null}
    </>
  );
}
