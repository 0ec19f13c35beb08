import type { InboxFilter, InboxPage, StaffCaseView } from '../cases/queries.ts';
import { displayValue, isVisible } from '../catalogue/form-validation.ts';
import type { Catalogue } from '../catalogue/registry.ts';
import type { FormData, Lang, Transition } from '../catalogue/service-definition.ts';
import type { ComponentChildren } from 'preact';
import type { CaseDocument } from '../efile/case-documents.ts';
import type { FieldProblem } from '../platform/errors.ts';
import { CaseFileNav, DocumentsSection, Section, type DocumentFeedback } from './case-file-sections.tsx';
import { EscalationBadge } from './escalation-views.tsx';
import { formatDate, formatDateTime, formatIsoDate } from '../platform/i18n/time.ts';
import { Alert, Button, CsrfField, ErrorSummary, Pager, SelectInput, SummaryList, Table, TextInput } from '../platform/views/components.tsx';

/* ---------- sign-in ---------- */

export function SignInView(p: {
  lang: Lang;
  csrfToken: string;
  username: string;
  errors: readonly FieldProblem[];
  message?: string | undefined;
  /** The city's directory, when single sign-on is configured. */
  directory?: { readonly name: string } | undefined;
}) {
  const de = p.lang === 'de';
  const err = (f: string) => p.errors.find((e) => e.field === f)?.message[p.lang];
  const summary = [...p.errors.map((e) => ({ href: `#${e.field}`, text: e.message[p.lang] })), ...(p.message ? [{ href: '#username', text: p.message }] : [])];
  return (
    <>
      <ErrorSummary title={de ? 'Anmeldung nicht möglich' : 'Sign-in failed'} errors={summary} />
      <h1 class="kern-heading-large">{de ? 'Anmeldung für Mitarbeitende' : 'Staff sign-in'}</h1>
      <form method="post" action="/staff/sign-in" novalidate>
        <CsrfField token={p.csrfToken} />
        <TextInput id="username" label={de ? 'Benutzername' : 'Username'} value={p.username} error={err('username')} autocomplete="username" required />
        <TextInput id="password" type="password" label={de ? 'Passwort' : 'Password'} value="" error={err('password')} autocomplete="current-password" required />
        <Button>{de ? 'Weiter' : 'Continue'}</Button>
      </form>
      {p.directory ? (
        <>
          <h2 class="kern-heading-medium">{de ? 'Oder mit dem Konto der Stadt' : "Or with the city's account"}</h2>
          <p class="kern-body">
            {de
              ? `Melden Sie sich über ${p.directory.name} an, mit Ihrem Dienstkonto und Ihrem zweiten Faktor.`
              : `Sign in through ${p.directory.name}, with your work account and your second factor.`}
          </p>
          <form method="post" action="/staff/sign-in/directory" novalidate>
            <CsrfField token={p.csrfToken} />
            <Button kind="secondary">{de ? 'Mit dem Konto der Stadt anmelden' : "Sign in with the city's account"}</Button>
          </form>
        </>
      ) : null}
    </>
  );
}

export function TotpView(p: { lang: Lang; csrfToken: string; errors: readonly FieldProblem[] }) {
  const de = p.lang === 'de';
  const err = p.errors.find((e) => e.field === 'code')?.message[p.lang];
  return (
    <>
      <ErrorSummary title={de ? 'Anmeldung nicht möglich' : 'Sign-in failed'} errors={p.errors.map((e) => ({ href: '#code', text: e.message[p.lang] }))} />
      <h1 class="kern-heading-large">{de ? 'Zweiter Faktor' : 'Second factor'}</h1>
      <p class="kern-body">{de ? 'Geben Sie den 6-stelligen Code aus Ihrer Authenticator-App ein.' : 'Enter the 6-digit code from your authenticator app.'}</p>
      <form method="post" action="/staff/sign-in/code" novalidate>
        <CsrfField token={p.csrfToken} />
        <TextInput id="code" label={de ? 'Einmalcode' : 'One-time code'} value="" error={err} inputMode="numeric" autocomplete="one-time-code" width="short" required />
        <Button>{de ? 'Anmelden' : 'Sign in'}</Button>
      </form>
    </>
  );
}

/* ---------- the bar above every back-office page ---------- */

export function StaffBar(p: { lang: Lang; staffName: string; departments: readonly string[]; csrfToken: string }) {
  const de = p.lang === 'de';
  return (
    <div class="aw-staff-bar">
      <p class="kern-body">
        {de ? 'Angemeldet als ' : 'Signed in as '}
        <strong>{p.staffName}</strong>
        {p.departments.length > 0 ? ` · ${p.departments.join(', ')}` : ''}
      </p>
      <div class="aw-inline-list">
        <form method="post" action="/staff/sign-out">
          <CsrfField token={p.csrfToken} />
          <Button kind="tertiary">{de ? 'Abmelden' : 'Sign out'}</Button>
        </form>
        <form method="post" action="/staff/sign-out-everywhere">
          <CsrfField token={p.csrfToken} />
          <Button kind="tertiary">{de ? 'Überall abmelden' : 'Sign out everywhere'}</Button>
        </form>
      </div>
    </div>
  );
}

/* ---------- inbox ---------- */

function stateLabel(catalogue: Catalogue, serviceId: string, state: string, lang: Lang): string {
  return catalogue.get(serviceId)?.process.states.find((s) => s.id === state)?.publicLabel[lang] ?? state;
}

function inboxHref(filter: InboxFilter, page: number): string {
  const q = new URLSearchParams();
  if (filter.state) q.set('state', filter.state);
  if (filter.serviceId) q.set('service', filter.serviceId);
  if (filter.due) q.set('due', filter.due);
  if (filter.sort) q.set('sort', filter.sort);
  if (filter.assigned) q.set('assigned', filter.assigned);
  if (page > 1) q.set('page', String(page));
  const s = q.toString();
  return s ? `/staff?${s}` : '/staff';
}

export function InboxView(p: {
  lang: Lang;
  catalogue: Catalogue;
  inbox: InboxPage;
  filter: InboxFilter;
  staffName: string;
  departments: string[];
  csrfToken: string;
  now: Date;
}) {
  const de = p.lang === 'de';
  const tz = p.catalogue.city.timeZone;
  const services = p.catalogue.all();
  const states = [...new Map(services.flatMap((s) => s.process.states.map((st) => [st.id, st.publicLabel[p.lang]] as const))).entries()];
  return (
    <>
      <StaffBar lang={p.lang} staffName={p.staffName} departments={p.departments} csrfToken={p.csrfToken} />
      <h1 class="kern-heading-large">{de ? 'Posteingang' : 'Inbox'}</h1>
      <form method="get" action="/staff" class="aw-filters" aria-label={de ? 'Filter' : 'Filters'}>
        <SelectInput id="state" legend={de ? 'Stand' : 'State'} selected={p.filter.state ?? ''} emptyLabel={de ? 'Alle' : 'All'} choices={states.map(([value, label]) => ({ value, label }))} />
        <SelectInput id="service" legend={de ? 'Leistung' : 'Service'} selected={p.filter.serviceId ?? ''} emptyLabel={de ? 'Alle' : 'All'} choices={services.map((s) => ({ value: s.id, label: s.title[p.lang] }))} />
        <SelectInput
          id="due"
          legend={de ? 'Fällig' : 'Due'}
          selected={p.filter.due ?? ''}
          emptyLabel={de ? 'Egal' : 'Any'}
          choices={[
            { value: 'overdue', label: de ? 'Überfällig' : 'Overdue' },
            { value: 'today', label: de ? 'Innerhalb 24 Stunden' : 'Within 24 hours' },
            { value: 'week', label: de ? 'Innerhalb 7 Tagen' : 'Within 7 days' },
            { value: 'escalated', label: de ? 'Eskaliert' : 'Escalated' },
          ]}
        />
        <SelectInput
          id="assigned"
          legend={de ? 'Zuständig' : 'Assigned'}
          selected={p.filter.assigned ?? ''}
          emptyLabel={de ? 'Alle' : 'All'}
          choices={[
            { value: 'me', label: de ? 'Mir zugewiesen' : 'Assigned to me' },
            { value: 'none', label: de ? 'Noch niemandem zugewiesen' : 'Not assigned yet' },
          ]}
        />
        <SelectInput
          id="sort"
          legend={de ? 'Sortierung' : 'Sort by'}
          selected={p.filter.sort ?? ''}
          emptyLabel={de ? 'Fälligkeit' : 'Due date'}
          choices={[
            { value: 'submitted', label: de ? 'Eingang, älteste zuerst' : 'Received, oldest first' },
            { value: 'submitted_desc', label: de ? 'Eingang, neueste zuerst' : 'Received, newest first' },
          ]}
        />
        <Button kind="secondary">{de ? 'Anwenden' : 'Apply'}</Button>
      </form>
      <p class="kern-body" role="status">
        {de ? `${p.inbox.total} ${p.inbox.total === 1 ? 'Vorgang' : 'Vorgänge'}` : `${p.inbox.total} ${p.inbox.total === 1 ? 'case' : 'cases'}`}
        {p.inbox.pages > 1 ? (de ? ` · Seite ${p.inbox.page} von ${p.inbox.pages}` : ` · page ${p.inbox.page} of ${p.inbox.pages}`) : ''}
      </p>
      <Table
        caption={de ? 'Vorgänge Ihrer Abteilungen' : "Your departments' cases"}
        headers={de ? ['Aktenzeichen', 'Leistung', 'Antragsteller/in', 'Stand', 'Eingang', 'Fällig', 'Zuständig'] : ['Reference', 'Service', 'Applicant', 'State', 'Received', 'Due', 'Assigned to']}
      >
            {p.inbox.rows.map((r) => {
              const def = p.catalogue.get(r.serviceId);
              const overdue = r.dueAt && r.dueAt.getTime() < p.now.getTime();
              return (
                <tr class="kern-table__row">
                  <td class="kern-table__cell aw-nowrap">
                    <a class="kern-link" href={`/staff/cases/${r.id}`}>
                      {r.reference}
                    </a>
                  </td>
                  <td class="kern-table__cell">
                    {def?.title[p.lang] ?? r.serviceId}
                    {def ? <span class="kern-body kern-body--small aw-block">{def.caseSummary(r.summary as FormData, p.lang)}</span> : null}
                  </td>
                  <td class="kern-table__cell">{r.applicantName}</td>
                  <td class="kern-table__cell">{stateLabel(p.catalogue, r.serviceId, r.state, p.lang)}</td>
                  <td class="kern-table__cell">{formatDate(r.submittedAt, p.lang, tz)}</td>
                  <td class="kern-table__cell">
                    {r.dueAt ? formatDate(r.dueAt, p.lang, tz) : '—'}
                    {overdue ? <span class="kern-badge kern-badge--danger aw-badge">{de ? 'überfällig' : 'overdue'}</span> : null}
                    {r.escalatedAt ? <EscalationBadge lang={p.lang} escalatedAt={r.escalatedAt} timeZone={tz} /> : null}
                  </td>
                  <td class="kern-table__cell">{r.assigneeName ?? '—'}</td>
                </tr>
              );
            })}
      </Table>
      {p.inbox.rows.length === 0 ? <p class="kern-body">{de ? 'Keine Vorgänge für diese Auswahl.' : 'No cases for this selection.'}</p> : null}
      <Pager
        lang={p.lang}
        previous={p.inbox.page > 1 ? { href: inboxHref(p.filter, p.inbox.page - 1), label: de ? 'Vorherige Seite' : 'Previous page' } : undefined}
        next={p.inbox.page < p.inbox.pages ? { href: inboxHref(p.filter, p.inbox.page + 1), label: de ? 'Nächste Seite' : 'Next page' } : undefined}
      />
    </>
  );
}

/* ---------- case view ---------- */

export interface ActionFeedback {
  readonly transitionId?: string;
  readonly errors?: readonly FieldProblem[];
  readonly values?: Record<string, string>;
  readonly conflict?: string;
  readonly done?: string;
}

export interface AssignmentOptions {
  /** Supervisors: the people the case can be given to. */
  readonly workers?: ReadonlyArray<{ id: string; displayName: string }>;
  /** A clerk may take an unassigned case for themselves. */
  readonly canTake: boolean;
}

export function CaseView(p: {
  lang: Lang;
  view: StaffCaseView;
  catalogue: Catalogue;
  actions: readonly Transition[];
  assignment: AssignmentOptions;
  csrfToken: string;
  feedback?: ActionFeedback;
  /** The E-Akte: documents with versions, and whether this person may add to them. */
  documents: readonly CaseDocument[];
  canUpload: boolean;
  documentFeedback?: DocumentFeedback | undefined;
  /** Issued decisions and receipts (sealed PDFs). */
  issued?: ReadonlyArray<{ id: string; title: string; issuedAt: Date; documentRowId: string | undefined }>;
  /** Further panels of the file (legal hold, archive export), shown after the assignment. */
  panels?: ComponentChildren;
  /** Further sections of the file (Postfach, Nachforderung, …): listed in the page's navigation, shown after the documents. */
  sections?: ReadonlyArray<{ id: string; label: string; count?: number; content: ComponentChildren }>;
}) {
  const de = p.lang === 'de';
  const { row, def, events } = p.view;
  const notes = events.filter((e) => e.kind === 'note');
  const messages = events.filter((e) => e.public);
  const tz = p.catalogue.city.timeZone;
  const data = row.form_data as FormData;
  const ctx = { now: row.submitted_at, timeZone: tz };
  const stateText = (id: string | null) => (id ? (def.process.states.find((s) => s.id === id)?.publicLabel[p.lang] ?? id) : '');
  const fb = p.feedback;
  const fieldRows = def.pages.flatMap((page) =>
    page.fields
      .filter((f) => isVisible(f, data, ctx))
      .map((f) => ({
        key: f.label[p.lang],
        value: f.type === 'date' && typeof data[f.id] === 'string' && data[f.id] ? formatIsoDate(String(data[f.id]), p.lang) : displayValue(f, data[f.id], p.lang),
      })),
  );
  const actorName = (type: string, id: string | null) =>
    type === 'staff' ? (id ? (p.view.staffNames[id] ?? (de ? 'Mitarbeitende/r' : 'Staff')) : '') : type === 'applicant' ? (de ? 'Antragsteller/in' : 'Applicant') : de ? 'System' : 'System';
  return (
    <>
      <p class="kern-body">
        <a class="kern-link" href="/staff">
          {de ? 'Zurück zum Posteingang' : 'Back to the inbox'}
        </a>
      </p>
      {fb?.conflict ? (
        <Alert kind="danger" title={de ? 'Nicht ausgeführt' : 'Not carried out'} role="alert">
          <p class="kern-body">{fb.conflict}</p>
        </Alert>
      ) : null}
      {fb?.done ? <Alert kind="success" title={fb.done} role="status" /> : null}
      {fb?.errors && fb.errors.length > 0 ? (
        <ErrorSummary title={de ? 'Bitte korrigieren Sie Folgendes' : 'There is a problem'} errors={fb.errors.map((e) => ({ href: fb.transitionId === 'note' ? '#note' : `#${fb.transitionId}-${e.field}`, text: e.message[p.lang] }))} />
      ) : null}
      <span class="kern-preline">{def.title[p.lang]}</span>
      <h1 class="kern-heading-large">{row.reference}</h1>
      <p class="kern-body">
        {de ? 'Stand: ' : 'State: '}
        <strong data-testid="staff-state">{stateText(row.state)}</strong>
        {' · '}
        {de ? 'Eingang: ' : 'Received: '}
        {formatDateTime(row.submitted_at, p.lang, tz)}
        {row.due_at ? ` · ${de ? 'fällig' : 'due'}: ${formatDate(row.due_at, p.lang, tz)}` : ''}
      </p>

      <CaseFileNav
        lang={p.lang}
        sections={[
          { id: 'data', label: de ? 'Angaben' : 'Submitted data' },
          { id: 'documents', label: de ? 'Dokumente' : 'Documents', count: p.documents.length },
          ...(p.sections ?? []).map((x) => ({ id: x.id, label: x.label, ...(x.count !== undefined ? { count: x.count } : {}) })),
          { id: 'decisions', label: de ? 'Bescheide' : 'Decisions', count: p.issued?.length ?? 0 },
          { id: 'messages', label: de ? 'Mitteilungen' : 'Messages', count: messages.length },
          { id: 'notes', label: de ? 'Notizen' : 'Notes', count: notes.length },
          { id: 'actions', label: de ? 'Aktionen' : 'Actions' },
          { id: 'timeline', label: de ? 'Verlauf' : 'Timeline' },
        ]}
      />
      <h2 class="kern-heading-medium">{de ? 'Zuständigkeit' : 'Assignment'}</h2>
      <p class="kern-body" data-testid="assignee">
        {row.assignee_id ? (
          <>
            {de ? 'Zuständig: ' : 'Assigned to: '}
            <strong>{p.view.staffNames[row.assignee_id] ?? '—'}</strong>
          </>
        ) : de ? (
          'Noch niemandem zugewiesen.'
        ) : (
          'Not assigned to anyone yet.'
        )}
      </p>
      {p.assignment.workers ? (
        <form method="post" action={`/staff/cases/${row.id}/assignment`} class="aw-filters" novalidate>
          <CsrfField token={p.csrfToken} />
          <input type="hidden" name="version" value={String(row.version)} />
          <SelectInput
            id="assignee"
            legend={de ? 'Zuweisen an' : 'Assign to'}
            selected={row.assignee_id ?? ''}
            emptyLabel={de ? 'Niemand (zurück in den Posteingang)' : 'Nobody (back to the inbox)'}
            choices={p.assignment.workers.map((w) => ({ value: w.id, label: w.displayName }))}
            error={fb?.transitionId === 'assignment' ? fb.errors?.[0]?.message[p.lang] : undefined}
          />
          <Button kind="secondary">{de ? 'Zuweisen' : 'Assign'}</Button>
        </form>
      ) : p.assignment.canTake && !row.assignee_id ? (
        <form method="post" action={`/staff/cases/${row.id}/assignment`} novalidate>
          <CsrfField token={p.csrfToken} />
          <input type="hidden" name="version" value={String(row.version)} />
          <input type="hidden" name="assignee" value="me" />
          <Button kind="secondary">{de ? 'Vorgang übernehmen' : 'Take this case'}</Button>
        </form>
      ) : null}

      {p.panels}

      <Section id="data" title={de ? 'Angaben' : 'Submitted data'}>
        <SummaryList rows={fieldRows} />
      </Section>

      <Section id="documents" title={de ? 'Dokumente' : 'Documents'}>
        <DocumentsSection lang={p.lang} caseId={row.id} def={def} documents={p.documents} staffNames={p.view.staffNames} timeZone={tz} canUpload={p.canUpload} csrfToken={p.csrfToken} feedback={p.documentFeedback} />
      </Section>

      {(p.sections ?? []).map((x) => (
        <Section id={x.id} title={x.label}>
          {x.content}
        </Section>
      ))}

      <Section id="decisions" title={de ? 'Bescheide und Bestätigungen' : 'Decisions and receipts'}>
        {(p.issued ?? []).length === 0 ? (
          <p class="kern-body">{de ? 'Noch keine ausgestellt.' : 'None issued yet.'}</p>
        ) : (
          <ul class="kern-list" data-testid="issued-documents">
            {(p.issued ?? []).map((d) => (
              <li>
                {d.documentRowId ? (
                  <a class="kern-link" href={`/staff/cases/${row.id}/documents/${d.documentRowId}`} download>
                    {d.title}
                  </a>
                ) : (
                  d.title
                )}
                {`, ${formatDateTime(d.issuedAt, p.lang, tz)} · `}
                <a class="kern-link" href={`/verify/${d.id}`}>
                  {de ? 'Prüfseite' : 'Verification page'}
                </a>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section id="messages" title={de ? 'Mitteilungen an die Antragstellenden' : 'Messages to the applicant'}>
        {messages.length === 0 ? <p class="kern-body">{de ? 'Keine.' : 'None.'}</p> : null}
        <ul class="kern-list">
          {messages.map((e) => {
            const tr = def.process.transitions.find((t) => t.id === e.transition_id);
            const payload = e.payload as Record<string, string>;
            return (
              <li>
                <time dateTime={e.at.toISOString()}>{formatDateTime(e.at, p.lang, tz)}</time>
                {': '}
                {e.kind === 'submitted' ? (de ? 'Eingangsbestätigung' : 'Receipt') : (tr?.publicEvent?.[p.lang] ?? tr?.label[p.lang] ?? e.transition_id)}
                {(tr?.inputs ?? [])
                  .filter((i) => i.public && payload[i.id])
                  .map((i) => (
                    <p class="kern-body aw-pre">
                      {i.label[p.lang]}: {payload[i.id]}
                    </p>
                  ))}
              </li>
            );
          })}
        </ul>
      </Section>

      <Section id="notes" title={de ? 'Interne Notizen' : 'Internal notes'}>
        {notes.length === 0 ? <p class="kern-body">{de ? 'Noch keine.' : 'None yet.'}</p> : null}
        <ul class="kern-list">
          {notes.map((e) => (
            <li>
              <p class="kern-body kern-body--small">
                <time dateTime={e.at.toISOString()}>{formatDateTime(e.at, p.lang, tz)}</time> · {actorName(e.actor_type, e.actor_id)}
              </p>
              <p class="kern-body aw-pre">{(e.payload as Record<string, string>).text}</p>
            </li>
          ))}
        </ul>
        <form method="post" action={`/staff/cases/${row.id}/notes`} novalidate>
          <CsrfField token={p.csrfToken} />
          <TextInput
            id="note"
            label={de ? 'Notiz (nur für Mitarbeitende sichtbar)' : 'Note (visible to staff only)'}
            value={fb?.transitionId === 'note' ? (fb.values?.note ?? '') : ''}
            error={fb?.transitionId === 'note' ? fb.errors?.[0]?.message[p.lang] : undefined}
            multiline
          />
          <Button kind="secondary">{de ? 'Notiz speichern' : 'Save note'}</Button>
        </form>
      </Section>

      <h2 class="kern-heading-medium" id="actions">{de ? 'Aktionen' : 'Actions'}</h2>
      {p.actions.length === 0 ? <p class="kern-body">{de ? 'In diesem Stand sind keine Aktionen möglich.' : 'No actions are possible in this state.'}</p> : null}
      <div class="aw-actions">
        {p.actions.map((tr) => {
          const mine = fb?.transitionId === tr.id;
          return (
            <form method="post" action={`/staff/cases/${row.id}/transitions/${tr.id}`} class="aw-action" novalidate>
              <CsrfField token={p.csrfToken} />
              <input type="hidden" name="version" value={String(row.version)} />
              {(tr.inputs ?? []).map((input) => (
                <TextInput
                  id={`${tr.id}-${input.id}`}
                  label={`${input.label[p.lang]}${input.public ? (de ? ' (für die Antragstellenden sichtbar)' : ' (visible to the applicant)') : ''}`}
                  value={mine ? (fb?.values?.[input.id] ?? '') : ''}
                  error={mine ? fb?.errors?.find((e) => e.field === input.id)?.message[p.lang] : undefined}
                  multiline={input.type === 'textarea'}
                  required={input.required}
                />
              ))}
              <Button kind={tr.to === 'banned' ? 'secondary' : 'primary'} name="_action" value={tr.id}>
                {tr.label[p.lang]}
              </Button>
            </form>
          );
        })}
      </div>

      <h2 class="kern-heading-medium" id="timeline">{de ? 'Verlauf' : 'Timeline'}</h2>
      <ol class="aw-timeline">
        {[...events].reverse().map((e) => {
          const payload = e.payload as Record<string, string>;
          const tr = def.process.transitions.find((t) => t.id === e.transition_id);
          return (
            <li class="aw-timeline__item">
              <p class="kern-body kern-body--small">
                <time dateTime={e.at.toISOString()}>{formatDateTime(e.at, p.lang, tz)}</time> · {actorName(e.actor_type, e.actor_id)}
                {e.public ? '' : de ? ' · intern' : ' · internal'}
              </p>
              <p class="kern-body kern-body--bold">
                {e.kind === 'submitted'
                  ? de
                    ? 'Eingegangen'
                    : 'Received'
                  : e.kind === 'note'
                    ? de
                      ? 'Notiz'
                      : 'Note'
                    : e.kind === 'assignment'
                      ? payload.assigneeId
                        ? `${de ? 'Zugewiesen an' : 'Assigned to'} ${p.view.staffNames[payload.assigneeId] ?? '—'}`
                        : de
                          ? 'Zuweisung aufgehoben'
                          : 'Assignment removed'
                      : `${tr?.label[p.lang] ?? e.transition_id}: ${stateText(e.from_state)} → ${stateText(e.to_state)}`}
              </p>
              {e.kind === 'note' ? <p class="kern-body aw-pre">{payload.text}</p> : null}
              {e.kind === 'transition'
                ? (tr?.inputs ?? [])
                    .filter((i) => payload[i.id])
                    .map((i) => (
                      <p class="kern-body aw-pre">
                        {i.label[p.lang]}: {payload[i.id]}
                      </p>
                    ))
                : null}
            </li>
          );
        })}
      </ol>

    </>
  );
}
