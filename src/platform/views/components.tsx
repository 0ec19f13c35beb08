import type { ComponentChildren } from 'preact';
import { formatDateTime } from '../i18n/time.ts';

/** Generic, accessible form building blocks in KERN markup. They know nothing of services or cases. */

export interface SummaryError {
  readonly href: string;
  readonly text: string;
}

/** GOV.UK-style error summary: first on the page, each entry links to its field. */
export function ErrorSummary(props: { title: string; errors: readonly SummaryError[] }) {
  if (props.errors.length === 0) return null;
  return (
    <div class="kern-alert kern-alert--danger aw-error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} data-module="error-summary">
      <div class="kern-alert__header">
        <span class="kern-icon kern-icon--danger" aria-hidden="true"></span>
        <h2 class="kern-title" id="error-summary-title">
          {props.title}
        </h2>
      </div>
      <div class="kern-alert__body">
        <ul class="kern-list">
          {props.errors.map((e) => (
            <li>
              <a class="kern-link" href={e.href}>
                {e.text}
              </a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

export function Alert(props: { kind: 'info' | 'success' | 'warning' | 'danger'; title: string; children?: ComponentChildren; role?: 'status' | 'alert' }) {
  return (
    <div class={`kern-alert kern-alert--${props.kind}`} role={props.role}>
      <div class="kern-alert__header">
        <span class={`kern-icon kern-icon--${props.kind === 'danger' ? 'danger' : props.kind}`} aria-hidden="true"></span>
        <span class="kern-title">{props.title}</span>
      </div>
      {props.children ? <div class="kern-alert__body">{props.children}</div> : null}
    </div>
  );
}

function FieldError(props: { id: string; error?: string | undefined }) {
  if (!props.error) return null;
  return (
    <p class="kern-error" id={`${props.id}-error`}>
      <span class="kern-icon kern-icon--danger" aria-hidden="true"></span>
      <span class="kern-body">{props.error}</span>
    </p>
  );
}

/** A control's label and hint (the hint is referenced by the control's aria-describedby). */
function FieldHead(p: { id: string; label: string; hint?: string | undefined; optionalText?: string | undefined }) {
  return (
    <>
      <label class="kern-label" for={p.id}>
        {p.label}
        {p.optionalText ? <span class="kern-label__optional"> {p.optionalText}</span> : null}
      </label>
      {p.hint ? (
        <div class="kern-hint" id={`${p.id}-hint`}>
          {p.hint}
        </div>
      ) : null}
    </>
  );
}

interface InputProps {
  readonly id: string;
  readonly label: string;
  readonly hint?: string | undefined;
  readonly error?: string | undefined;
  readonly optionalText?: string | undefined;
  readonly value: string;
  readonly type?: 'text' | 'email' | 'tel' | 'date' | 'time' | 'number' | 'password' | 'search';
  readonly inputMode?: 'numeric' | 'text' | 'email' | 'tel';
  readonly autocomplete?: string | undefined;
  readonly required?: boolean;
  readonly multiline?: boolean;
  readonly width?: 'short' | 'full';
  readonly maxLength?: number | undefined;
}

function describedBy(id: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

export function TextInput(p: InputProps) {
  const cls = `kern-form-input__input${p.error ? ' kern-form-input__input--error' : ''}${p.width === 'short' ? ' kern-form-input__input--width-4' : ''}`;
  const common = {
    id: p.id,
    name: p.id,
    class: cls,
    'aria-describedby': describedBy(p.id, p.hint, p.error),
    'aria-invalid': p.error ? ('true' as const) : undefined,
    'aria-required': p.required ? ('true' as const) : undefined,
    autoComplete: p.autocomplete,
  };
  return (
    <div class={`kern-form-input${p.error ? ' kern-form-input--error' : ''}`}>
      <FieldHead id={p.id} label={p.label} hint={p.hint} optionalText={p.optionalText} />
      <FieldError id={p.id} error={p.error} />
      {p.multiline ? (
        <textarea {...common} rows={5}>
          {p.value}
        </textarea>
      ) : (
        // Preact 11 types <input> as one variant per `type` (each with the ARIA roles it allows);
        // TypeScript cannot match a `type` that is itself a union against that, so it is named as
        // one variant here. No role is set, so every variant accepts these attributes.
        <input {...common} type={(p.type ?? 'text') as 'text'} inputMode={p.inputMode} value={p.value} spellcheck={p.type === 'email' || p.type === 'password' ? false : undefined} />
      )}
    </div>
  );
}

interface ChoiceProps {
  readonly id: string;
  readonly legend: string;
  readonly hint?: string | undefined;
  readonly error?: string | undefined;
  readonly choices: ReadonlyArray<{ value: string; label: string }>;
  readonly selected: readonly string[];
  readonly multiple: boolean;
  readonly required?: boolean;
}

export function ChoiceGroup(p: ChoiceProps) {
  return (
    // aria-required is not allowed on a fieldset (role group); a required radio group says so with the
    // native `required` on its radios instead (the forms are `novalidate`, the server validates).
    <fieldset class={`kern-fieldset${p.error ? ' kern-fieldset--error' : ''}`} aria-describedby={describedBy(p.id, p.hint, p.error)}>
      <legend class="kern-label">{p.legend}</legend>
      {p.hint ? (
        <div class="kern-hint" id={`${p.id}-hint`}>
          {p.hint}
        </div>
      ) : null}
      <FieldError id={p.id} error={p.error} />
      <div class="kern-fieldset__body">
        {p.choices.map((c, i) => {
          const inputId = i === 0 ? p.id : `${p.id}-${c.value}`;
          return (
            <div class={`kern-form-check${p.error ? ' kern-form-check--error' : ''}`}>
              <input
                class={p.multiple ? 'kern-form-check__checkbox' : 'kern-form-check__radio'}
                type={p.multiple ? 'checkbox' : 'radio'}
                id={inputId}
                name={p.id}
                value={c.value}
                checked={p.selected.includes(c.value)}
                required={p.required && !p.multiple ? true : undefined}
                aria-invalid={p.error ? 'true' : undefined}
              />
              <label class="kern-label" for={inputId}>
                {c.label}
              </label>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

export function SelectInput(p: Omit<ChoiceProps, 'multiple' | 'selected'> & { selected: string; emptyLabel: string }) {
  return (
    <div class={`kern-form-input${p.error ? ' kern-form-input--error' : ''}`}>
      <FieldHead id={p.id} label={p.legend} hint={p.hint} />
      <FieldError id={p.id} error={p.error} />
      <div class="kern-form-input__select-wrapper">
        <select class={`kern-form-input__select${p.error ? ' kern-form-input__select--error' : ''}`} id={p.id} name={p.id} aria-describedby={describedBy(p.id, p.hint, p.error)}>
          <option value="">{p.emptyLabel}</option>
          {p.choices.map((c) => (
            <option value={c.value} selected={c.value === p.selected}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

export function CsrfField(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />;
}

export function Button(props: { children: ComponentChildren; kind?: 'primary' | 'secondary' | 'tertiary'; name?: string; value?: string; type?: 'submit' | 'button'; /** A fuller name for screen readers where the visible one repeats (e.g. per table row). */ ariaLabel?: string }) {
  return (
    <button class={`kern-btn kern-btn--${props.kind ?? 'primary'}`} type={props.type ?? 'submit'} name={props.name} value={props.value} aria-label={props.ariaLabel}>
      <span class="kern-label">{props.children}</span>
    </button>
  );
}

export function SummaryList(props: { rows: ReadonlyArray<{ key: string; value: ComponentChildren; action?: { href: string; label: string; hidden: string } }> }) {
  return (
    <dl class="kern-description-list aw-summary-list">
      {props.rows.map((r) => (
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{r.key}</dt>
          <dd class="kern-description-list-item__value">
            <span class="aw-pre">{r.value}</span>
            {r.action ? (
              <>
                {' '}
                <a class="kern-link aw-change-link" href={r.action.href}>
                  {r.action.label}
                  <span class="kern-sr-only"> {r.action.hidden}</span>
                </a>
              </>
            ) : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * A file input. `current` is the file kept from before (its name, and the hidden value that keeps
 * it when the form is sent without a new file): choosing a new file replaces it.
 */
export function FileInput(p: {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  required?: boolean;
  accept: string;
  current?: { name: string; keptName: string; keptValue: string; text: string } | undefined;
}) {
  return (
    <div class={`kern-form-input${p.error ? ' kern-form-input--error' : ''}`}>
      <FieldHead id={p.id} label={p.label} hint={p.hint} />
      {p.current ? (
        <p class="kern-body aw-file-current" id={`${p.id}-current`}>
          {p.current.text} <strong>{p.current.name}</strong>
          <input type="hidden" name={p.current.keptName} value={p.current.keptValue} />
        </p>
      ) : null}
      <FieldError id={p.id} error={p.error} />
      <input
        id={p.id}
        name={p.id}
        type="file"
        accept={p.accept}
        class={`kern-form-input__input aw-file-input${p.error ? ' kern-form-input__input--error' : ''}`}
        aria-describedby={[p.hint ? `${p.id}-hint` : '', p.current ? `${p.id}-current` : '', p.error ? `${p.id}-error` : ''].filter(Boolean).join(' ') || undefined}
        aria-invalid={p.error ? 'true' : undefined}
        aria-required={p.required && !p.current ? 'true' : undefined}
      />
    </div>
  );
}

/** A data table in KERN markup: a caption for screen readers, column headers with scope, the rows as children. */
export function Table(p: { caption: string; headers: readonly string[]; testId?: string; children: ComponentChildren }) {
  return (
    // Focusable as a named region: a table wider than a phone scrolls, and keyboard users must reach it.
    <div class="kern-table-responsive" role="region" aria-label={p.caption} tabIndex={0}>
      <table class="kern-table kern-table--striped" data-testid={p.testId}>
        <caption class="kern-sr-only">{p.caption}</caption>
        <thead class="kern-table__header">
          <tr class="kern-table__row">
            {p.headers.map((h) => (
              <th class="kern-table__header" scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody class="kern-table__body">{p.children}</tbody>
      </table>
    </div>
  );
}

export interface MessageItem {
  readonly id: string;
  readonly fromOffice: boolean;
  readonly author: string;
  readonly at: Date;
  readonly body: string;
  readonly unread: boolean;
  readonly attachments: ReadonlyArray<{ href: string; name: string }>;
}

/** A conversation, oldest first: who, when, the text, attachments as download links. */
export function MessageList(p: { lang: 'de' | 'en'; messages: readonly MessageItem[]; timeZone: string; testId: string }) {
  const de = p.lang === 'de';
  if (p.messages.length === 0) return <p class="kern-body">{de ? 'Noch keine Nachrichten.' : 'No messages yet.'}</p>;
  return (
    <ol class="aw-messages" data-testid={p.testId}>
      {p.messages.map((m) => (
        <li class={`aw-message aw-message--${m.fromOffice ? 'office' : 'applicant'}`}>
          <p class="kern-body kern-body--small">
            <time dateTime={m.at.toISOString()}>{formatDateTime(m.at, p.lang, p.timeZone)}</time> · {m.author}
            {m.unread ? <strong>{de ? ' · neu' : ' · new'}</strong> : null}
          </p>
          <p class="kern-body aw-pre">{m.body}</p>
          {m.attachments.map((a) => (
            <p class="kern-body">
              {de ? 'Anlage: ' : 'Attachment: '}
              <a class="kern-link" href={a.href} download>
                {a.name}
              </a>
            </p>
          ))}
        </li>
      ))}
    </ol>
  );
}

/** Previous/next links for a paged list (plain links: works without JavaScript). Renders nothing without either. */
export function Pager(p: { lang: 'de' | 'en'; previous?: { href: string; label: string } | undefined; next?: { href: string; label: string } | undefined }) {
  if (!p.previous && !p.next) return null;
  return (
    <nav aria-label={p.lang === 'de' ? 'Seiten' : 'Pages'}>
      <ul class="aw-pagination">
        {p.previous ? (
          <li>
            <a class="kern-link" href={p.previous.href} rel="prev">
              {p.previous.label}
            </a>
          </li>
        ) : null}
        {p.next ? (
          <li>
            <a class="kern-link" href={p.next.href} rel="next">
              {p.next.label}
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
