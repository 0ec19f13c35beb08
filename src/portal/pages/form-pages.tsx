import { displayValue, isVisible, parseFileFieldValue } from '../../catalogue/form-validation.ts';
import type { Field, FieldError, FormData, FormPage, Lang, RequiredDocument, RuleContext, ServiceDefinition, UploadType } from '../../catalogue/service-definition.ts';
import { formatIsoDate } from '../../platform/i18n/time.ts';
import { keptFieldName } from '../../efile/form-uploads.ts';
import { formatSize } from '../../efile/uploads/upload-check.ts';
import { Alert, Button, ChoiceGroup, CsrfField, ErrorSummary, FileInput, SelectInput, SummaryList, TextInput } from '../../platform/views/components.tsx';

const UPLOAD_LABELS: Record<UploadType, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' };

/** The pages of the citizen's form journey: one form page, check your answers, confirmation. */

const optional = (lang: Lang) => (lang === 'de' ? '(freiwillig)' : '(optional)');

export function FieldControl(props: { field: Field; value: FormData[string] | undefined; error?: string | undefined; lang: Lang }) {
  const { field, lang } = props;
  const label = field.label[lang];
  const hint = field.hint?.[lang];
  const textValue = typeof props.value === 'string' ? props.value : '';
  const base = { id: field.id, label, hint, error: props.error, value: textValue, required: field.required === true, autocomplete: field.autocomplete };
  switch (field.type) {
    case 'text':
      return <TextInput {...base} maxLength={field.maxLength} />;
    case 'textarea':
      return <TextInput {...base} multiline maxLength={field.maxLength} />;
    case 'email':
      return <TextInput {...base} type="email" />;
    case 'tel':
      return <TextInput {...base} type="tel" width="short" />;
    case 'postcode':
      return <TextInput {...base} inputMode="numeric" width="short" />;
    case 'date':
      return <TextInput {...base} type="date" width="short" />;
    case 'time':
      return <TextInput {...base} type="time" width="short" />;
    case 'integer':
      return <TextInput {...base} inputMode="numeric" width="short" />;
    case 'radio':
    case 'checkboxes': {
      const selected = Array.isArray(props.value) ? props.value : props.value ? [props.value] : [];
      return (
        <ChoiceGroup
          id={field.id}
          legend={label}
          hint={hint}
          error={props.error}
          required={field.required === true}
          multiple={field.type === 'checkboxes'}
          selected={selected}
          choices={field.choices.map((c) => ({ value: c.value, label: c.label[lang] }))}
        />
      );
    }
    case 'file': {
      const current = parseFileFieldValue(props.value);
      const types = field.accept.map((a) => UPLOAD_LABELS[a]).join(', ');
      const limit = formatSize(field.maxBytes, lang);
      const rules = lang === 'de' ? `Erlaubt: ${types}, höchstens ${limit}.` : `Allowed: ${types}, at most ${limit}.`;
      return (
        <FileInput
          id={field.id}
          label={label}
          hint={hint ? `${hint} ${rules}` : rules}
          error={props.error}
          required={field.required === true}
          accept={field.accept.join(',')}
          current={
            current
              ? {
                  name: current.fileName,
                  keptName: keptFieldName(field.id),
                  keptValue: String(props.value),
                  text: lang === 'de' ? 'Hochgeladen (eine neue Datei ersetzt sie):' : 'Uploaded (a new file replaces it):',
                }
              : undefined
          }
        />
      );
    }
    case 'select':
      return (
        <SelectInput
          id={field.id}
          legend={label}
          hint={hint}
          error={props.error}
          selected={textValue}
          emptyLabel={lang === 'de' ? 'Bitte wählen' : 'Please choose'}
          choices={field.choices.map((c) => ({ value: c.value, label: c.label[lang] }))}
        />
      );
  }
}

export interface FormPageProps {
  readonly def: ServiceDefinition;
  readonly page: FormPage;
  readonly pageNumber: number;
  readonly pageCount: number;
  readonly data: FormData;
  readonly errors: readonly FieldError[];
  readonly ctx: RuleContext;
  readonly lang: Lang;
  readonly csrfToken: string;
  readonly backHref: string;
  readonly returnToCheck: boolean;
  /** Fields that the last answer revealed on this page and that still need an answer. */
  readonly revealed?: readonly Field[];
  /** Values confirmed by the verified identity (once-only): shown as text, not asked for. */
  readonly confirmed?: FormData;
}

/** Data from the verified identity: shown, not editable; the server takes it from the identity, not from the post. */
function ConfirmedFields(props: { fields: readonly Field[]; values: FormData; lang: Lang }) {
  if (props.fields.length === 0) return null;
  const de = props.lang === 'de';
  return (
    <section class="aw-confirmed" aria-labelledby="confirmed-title" data-testid="confirmed-data">
      <h2 class="kern-heading-small" id="confirmed-title">
        {de ? 'Aus Ihrem Identitätsnachweis' : 'From your proof of identity'}
      </h2>
      <SummaryList rows={props.fields.map((f) => ({ key: f.label[props.lang], value: f.type === 'date' ? formatIsoDate(String(props.values[f.id]), props.lang) : String(props.values[f.id]) }))} />
      <p class="kern-body kern-body--small">
        {de
          ? 'Diese Angaben sind bestätigt und müssen nicht neu eingegeben werden. Wenn sie falsch sind, wenden Sie sich bitte an die Meldebehörde Ihres Wohnorts, damit das Melderegister berichtigt wird.'
          : 'These details are confirmed and need not be entered again. If they are wrong, please contact the registration office (Meldebehörde) where you live so that the population register is corrected.'}
      </p>
    </section>
  );
}

export function FormPageView(p: FormPageProps) {
  const { lang, page, def } = p;
  const de = lang === 'de';
  const errorFor = (id: string) => p.errors.find((e) => e.field === id)?.message[lang];
  const visible = page.fields.filter((f) => isVisible(f, p.data, p.ctx));
  const isConfirmed = (f: Field) => p.confirmed?.[f.id] !== undefined;
  const notices = page.notices?.(p.data, p.ctx) ?? [];
  return (
    <>
      <p class="kern-body">
        <a class="kern-link" href={p.backHref}>
          {de ? 'Zurück' : 'Back'}
        </a>
      </p>
      <ErrorSummary
        title={de ? 'Bitte korrigieren Sie Folgendes' : 'There is a problem'}
        errors={p.errors.map((e) => ({ href: `#${e.field}`, text: e.message[lang] }))}
      />
      <span class="kern-preline">
        {def.title[lang]} – {de ? `Schritt ${p.pageNumber} von ${p.pageCount}` : `Step ${p.pageNumber} of ${p.pageCount}`}
      </span>
      <h1 class="kern-heading-large">{page.title[lang]}</h1>
      {page.intro ? <p class="kern-body">{page.intro[lang]}</p> : null}
      {p.revealed && p.revealed.length > 0 ? (
        <Alert kind="info" title={de ? 'Bitte ergänzen Sie' : 'Please add'} role="status">
          <p class="kern-body">
            {de ? 'Nach Ihrer Antwort brauchen wir noch: ' : 'After your answer we also need: '}
            {p.revealed.map((f, i) => (
              <>
                {i > 0 ? ', ' : ''}
                <a class="kern-link" href={`#${f.id}`}>
                  {f.label[lang]}
                </a>
              </>
            ))}
          </p>
        </Alert>
      ) : null}
      {notices.map((n) => (
        <Alert kind="warning" title={de ? 'Bitte beachten' : 'Please note'}>
          <p class="kern-body">{n[lang]}</p>
        </Alert>
      ))}
      {/* multipart only where a file is asked for: every other page posts url-encoded. */}
      <form method="post" action={`/services/${def.id}/form/${page.id}`} novalidate class="aw-form" enctype={visible.some((f) => f.type === 'file') ? 'multipart/form-data' : undefined}>
        <CsrfField token={p.csrfToken} />
        {p.returnToCheck ? <input type="hidden" name="_return" value="check" /> : null}
        {/* Which fields this page showed: a field revealed by an answer on the same page is asked for, not marked wrong. */}
        <input type="hidden" name="_shown" value={visible.map((f) => f.id).join(',')} />
        <ConfirmedFields fields={visible.filter(isConfirmed)} values={p.confirmed ?? {}} lang={lang} />
        {visible
          .filter((f) => !isConfirmed(f))
          .map((field) => (
            <FieldControl field={field} value={p.data[field.id]} error={errorFor(field.id)} lang={lang} />
          ))}
        <p class="kern-body kern-body--small">{de ? 'Alle Angaben ohne „freiwillig“ sind Pflichtangaben.' : 'All fields not marked “optional” are required.'}</p>
        <Button>{p.returnToCheck ? (de ? 'Speichern und zur Übersicht' : 'Save and go to summary') : de ? 'Weiter' : 'Continue'}</Button>
      </form>
    </>
  );
}

function answerRows(def: ServiceDefinition, data: FormData, ctx: RuleContext, lang: Lang, withChangeLinks: boolean, confirmed: FormData = {}) {
  const rows = [];
  for (const page of def.pages) {
    for (const field of page.fields) {
      if (!isVisible(field, data, ctx)) continue;
      const value = field.type === 'date' && typeof data[field.id] === 'string' && data[field.id] ? formatIsoDate(String(data[field.id]), lang) : displayValue(field, data[field.id], lang);
      rows.push({
        key: field.label[lang].replace(` ${optional(lang)}`, ''),
        value,
        // Confirmed identity data cannot be changed here, so it gets no change link.
        ...(withChangeLinks && confirmed[field.id] === undefined
          ? { action: { href: `/services/${def.id}/form/${page.id}?return=check#${field.id}`, label: lang === 'de' ? 'Ändern' : 'Change', hidden: field.label[lang] } }
          : {}),
      });
    }
  }
  return rows;
}

/** "Documents you need" for the citizen's situation (the service's `requiredDocuments`); nothing when none. */
export function RequiredDocumentsList(p: { documents: readonly RequiredDocument[]; lang: Lang }) {
  if (p.documents.length === 0) return null;
  const de = p.lang === 'de';
  return (
    <section class="aw-panel" aria-labelledby="required-documents">
      <h2 class="kern-heading-medium" id="required-documents">
        {de ? 'Diese Unterlagen brauchen Sie' : 'Documents you need'}
      </h2>
      <ul class="kern-list kern-list--bullet" data-testid="required-documents">
        {p.documents.map((d) => (
          <li>
            {d.label[p.lang]}
            {d.hint ? <span class="kern-body--small"> – {d.hint[p.lang]}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function CheckAnswersView(p: {
  def: ServiceDefinition;
  data: FormData;
  ctx: RuleContext;
  lang: Lang;
  csrfToken: string;
  formToken: string;
  errors: readonly FieldError[];
  errorPageOf: (field: string) => string;
  confirmed?: FormData;
}) {
  const de = p.lang === 'de';
  return (
    <>
      <ErrorSummary
        title={de ? 'Bitte korrigieren Sie Folgendes' : 'There is a problem'}
        errors={p.errors.map((e) => ({ href: `/services/${p.def.id}/form/${p.errorPageOf(e.field)}?return=check#${e.field}`, text: e.message[p.lang] }))}
      />
      <span class="kern-preline">{p.def.title[p.lang]}</span>
      <h1 class="kern-heading-large">{de ? 'Prüfen Sie Ihre Angaben' : 'Check your answers'}</h1>
      <SummaryList rows={answerRows(p.def, p.data, p.ctx, p.lang, true, p.confirmed)} />
      <RequiredDocumentsList documents={p.def.requiredDocuments?.(p.data, p.ctx) ?? []} lang={p.lang} />
      <h2 class="kern-heading-medium">{de ? 'Jetzt absenden' : 'Now send'}</h2>
      <p class="kern-body">
        {de
          ? 'Mit dem Absenden bestätigen Sie, dass Ihre Angaben richtig und vollständig sind. Sie erhalten sofort ein Aktenzeichen und einen Zugangscode.'
          : 'By sending, you confirm that what you entered is correct and complete. You will get a reference and an access code straight away.'}
      </p>
      <form method="post" action={`/services/${p.def.id}/submit`} data-module="submit-once">
        <CsrfField token={p.csrfToken} />
        <input type="hidden" name="formToken" value={p.formToken} />
        <Button>{de ? 'Verbindlich absenden' : 'Send'}</Button>
      </form>
    </>
  );
}

export function ConfirmationView(p: { def: ServiceDefinition; reference: string; accessCode?: string | undefined; caseId?: string | undefined; lang: Lang; receiptMailed: boolean }) {
  const de = p.lang === 'de';
  return (
    <>
      <div class="aw-panel" role="status">
        <h1 class="kern-heading-large">{de ? 'Wir haben Ihre Angaben erhalten' : 'We have received your submission'}</h1>
        <p class="kern-body">{de ? 'Ihr Aktenzeichen' : 'Your reference'}</p>
        <p class="aw-reference" data-testid="reference">
          {p.reference}
        </p>
        {p.accessCode ? (
          <>
            <p class="kern-body">{de ? 'Ihr Zugangscode' : 'Your access code'}</p>
            <p class="aw-reference" data-testid="access-code">
              {p.accessCode}
            </p>
          </>
        ) : null}
      </div>
      {p.accessCode ? (
        <Alert kind="info" title={de ? 'Notieren Sie beides' : 'Write both down'}>
          <p class="kern-body">
            {de
              ? 'Mit Aktenzeichen und Zugangscode sehen Sie jederzeit den Stand. Den Zugangscode zeigen wir nur jetzt an; er steht aus Sicherheitsgründen nicht in der E-Mail.'
              : 'With the reference and access code you can check the status at any time. We show the access code only now; for your security it is not in the email.'}
          </p>
        </Alert>
      ) : (
        <Alert kind="info" title={de ? 'Zugangscode schon angezeigt' : 'Access code already shown'}>
          <p class="kern-body">
            {de
              ? 'Den Zugangscode zeigen wir aus Sicherheitsgründen nur einmal. In diesem Browser können Sie den Stand noch bis zum Ende der Sitzung ohne Code sehen.'
              : 'For your security we show the access code only once. In this browser you can still see the status without it until the session ends.'}
          </p>
          {p.caseId ? (
            <p class="kern-body">
              <a class="kern-link" href={`/status/${p.caseId}`}>
                {de ? 'Stand anzeigen' : 'Show status'}
              </a>
            </p>
          ) : null}
        </Alert>
      )}
      <h2 class="kern-heading-medium">{de ? 'Wie geht es weiter?' : 'What happens next?'}</h2>
      <p class="kern-body">{p.def.process.states.find((s) => s.id === p.def.process.initial)?.next[p.lang]}</p>
      {p.receiptMailed ? <p class="kern-body">{de ? 'Eine Eingangsbestätigung ist an Ihre E-Mail-Adresse unterwegs.' : 'A receipt is on its way to your email address.'}</p> : null}
      <p class="kern-body">
        <a class="kern-link" href="/status">
          {de ? 'Stand jetzt abfragen' : 'Check the status now'}
        </a>
      </p>
    </>
  );
}
