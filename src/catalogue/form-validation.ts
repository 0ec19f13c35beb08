import { isCalendarDate, isClockTime } from '../platform/i18n/time.ts';
import type {
  Field,
  FieldError,
  FormData,
  FormPage,
  FormValue,
  RuleContext,
  ServiceDefinition,
  Text,
} from './service-definition.ts';

/**
 * Generic, server-side validation of form pages against a service definition. Works the same for
 * the HTML form (one page at a time) and the API (all pages at once). Returns the cleaned values of
 * the visible fields and one message per invalid field, in German and English.
 */

const msg = (de: string, en: string): Text => ({ de, en });

export function isVisible(field: Field, data: FormData, ctx: RuleContext): boolean {
  return field.when ? field.when(data, ctx) : true;
}

function asText(value: FormValue | undefined): string {
  if (value === undefined) return '';
  return (Array.isArray(value) ? (value[0] ?? '') : value).trim();
}

function asList(value: FormValue | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => v.trim()).filter((v) => v !== '');
}

/** The stored value of a file field: the document row's id and the (safe) file name. */
export function fileFieldValue(documentRowId: string, fileName: string): string {
  return `${documentRowId}:${fileName}`;
}

export function parseFileFieldValue(value: FormValue | undefined): { documentRowId: string; fileName: string } | undefined {
  const m = typeof value === 'string' ? /^([0-9a-f-]{36}):(.+)$/s.exec(value) : null;
  return m ? { documentRowId: m[1]!, fileName: m[2]! } : undefined;
}

/** Takes the page's fields out of a posted body (extra keys are ignored, never stored). */
export function pickPageValues(page: FormPage, body: Record<string, unknown>): FormData {
  const out: FormData = {};
  for (const field of page.fields) {
    const raw = body[field.id];
    // A file field's value is set by the upload handling after its checks, never from the post.
    if (field.type === 'file') continue;
    if (field.type === 'checkboxes') {
      const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
      out[field.id] = list.filter((v): v is string => typeof v === 'string').map((v) => v.slice(0, 200));
    } else if (typeof raw === 'string') {
      out[field.id] = raw.slice(0, 20000);
    } else if (typeof raw === 'number' || typeof raw === 'boolean') {
      out[field.id] = String(raw);
    } else {
      out[field.id] = '';
    }
  }
  return out;
}

function checkField(field: Field, value: FormValue | undefined): { value: FormValue; error?: Text } {
  if (field.type === 'checkboxes') {
    const list = asList(value);
    const allowed = new Set(field.choices.map((c) => c.value));
    if (list.some((v) => !allowed.has(v))) return { value: list, error: msg('Bitte wählen Sie nur aus den angebotenen Möglichkeiten.', 'Please choose only from the options offered.') };
    if (field.required && list.length === 0) return { value: list, error: msg(`Bitte wählen Sie mindestens eine Angabe zu „${field.label.de}“.`, `Select at least one option for “${field.label.en}”.`) };
    return { value: list };
  }
  const text = asText(value);
  if (field.type === 'file') {
    if (text === '') return field.required ? { value: text, error: msg(`Bitte laden Sie „${field.label.de}“ hoch.`, `Upload “${field.label.en}”.`) } : { value: text };
    if (!parseFileFieldValue(text)) return { value: '', error: msg(`Bitte laden Sie „${field.label.de}“ erneut hoch.`, `Upload “${field.label.en}” again.`) };
    return { value: text };
  }
  if (text === '') {
    if (field.required) {
      const choice = field.type === 'radio' || field.type === 'select';
      return {
        value: text,
        error: choice
          ? msg(`Bitte wählen Sie eine Angabe zu „${field.label.de}“.`, `Select an option for “${field.label.en}”.`)
          : msg(`Bitte geben Sie „${field.label.de}“ an.`, `Enter “${field.label.en}”.`),
      };
    }
    return { value: text };
  }
  switch (field.type) {
    case 'text':
    case 'textarea':
    case 'tel':
      if (field.minLength !== undefined && text.length < field.minLength)
        return { value: text, error: msg(`„${field.label.de}“ muss mindestens ${field.minLength} Zeichen lang sein.`, `“${field.label.en}” must be at least ${field.minLength} characters long.`) };
      if (text.length > field.maxLength)
        return { value: text, error: msg(`„${field.label.de}“ darf höchstens ${field.maxLength} Zeichen lang sein (jetzt ${text.length}).`, `“${field.label.en}” must be ${field.maxLength} characters or fewer (now ${text.length}).`) };
      if (field.type === 'tel' && !/^\+?[0-9 ()/-]{5,30}$/.test(text))
        return { value: text, error: msg('Bitte geben Sie eine Telefonnummer nur mit Ziffern, Leerzeichen und + ( ) / - an, z. B. 0345 221-0.', 'Enter a phone number using only digits, spaces and + ( ) / -, for example 0345 221-0.') };
      return { value: text };
    case 'email':
      if (text.length > field.maxLength || !/^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(text))
        return { value: text, error: msg('Bitte geben Sie eine E-Mail-Adresse im Format name@beispiel.de an.', 'Enter an email address in the format name@example.com.') };
      return { value: text };
    case 'postcode':
      if (!/^\d{5}$/.test(text))
        return { value: text, error: msg('Bitte geben Sie eine fünfstellige Postleitzahl an, z. B. 06108.', 'Enter a five-digit postcode, for example 06108.') };
      return { value: text };
    case 'date': {
      // Browsers send YYYY-MM-DD; where the date field falls back to text, people type 17.05.2027.
      const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
      const iso = german ? `${german[3]}-${german[2]!.padStart(2, '0')}-${german[1]!.padStart(2, '0')}` : text;
      if (!isCalendarDate(iso))
        return { value: text, error: msg(`„${field.label.de}“ muss ein echtes Datum sein, z. B. 17.05.2027.`, `“${field.label.en}” must be a real date, for example 17.05.2027.`) };
      return { value: iso };
    }
    case 'time': {
      const t = /^(\d{1,2})[:.](\d{2})(?:\s*Uhr)?$/i.exec(text);
      const hhmm = t ? `${t[1]!.padStart(2, '0')}:${t[2]}` : text;
      if (!isClockTime(hhmm))
        return { value: text, error: msg(`„${field.label.de}“ muss eine Uhrzeit sein, z. B. 14:30.`, `“${field.label.en}” must be a time, for example 14:30.`) };
      return { value: hhmm };
    }
    case 'integer': {
      if (!/^-?\d+$/.test(text.replace(/[.\s]/g, '')))
        return { value: text, error: msg(`„${field.label.de}“ muss eine ganze Zahl sein.`, `“${field.label.en}” must be a whole number.`) };
      const n = Number(text.replace(/[.\s]/g, ''));
      if (n < field.min || n > field.max)
        return { value: text, error: msg(`„${field.label.de}“ muss zwischen ${field.min.toLocaleString('de-DE')} und ${field.max.toLocaleString('de-DE')} liegen.`, `“${field.label.en}” must be between ${field.min.toLocaleString('en-GB')} and ${field.max.toLocaleString('en-GB')}.`) };
      return { value: String(n) };
    }
    case 'radio':
    case 'select':
      if (!field.choices.some((c) => c.value === text))
        return { value: text, error: msg('Bitte wählen Sie eine der angebotenen Möglichkeiten.', 'Select one of the options offered.') };
      return { value: text };
  }
}

export interface PageResult {
  /** Values of the visible fields, cleaned (what would be stored). */
  readonly values: FormData;
  readonly errors: FieldError[];
}

/**
 * Validates one page. `previous` is what the applicant entered on other pages (conditions and
 * cross-field rules may look at it). Hidden fields are dropped, so stale answers never survive.
 */
export function validatePage(page: FormPage, input: FormData, previous: FormData, ctx: RuleContext): PageResult {
  const merged: FormData = { ...previous, ...input };
  const values: FormData = {};
  const errors: FieldError[] = [];
  for (const field of page.fields) {
    if (!isVisible(field, merged, ctx)) continue;
    const result = checkField(field, input[field.id]);
    values[field.id] = result.value;
    if (result.error) errors.push({ field: field.id, message: result.error });
  }
  if (errors.length === 0 && page.validate) {
    errors.push(...page.validate({ ...previous, ...values }, ctx));
  }
  return { values, errors };
}

/** Validates every page of a service (API submission and the final check before submit). */
export function validateAll(def: ServiceDefinition, input: FormData, ctx: RuleContext): PageResult & { firstInvalidPage?: string } {
  let values: FormData = {};
  const errors: FieldError[] = [];
  let firstInvalidPage: string | undefined;
  for (const page of def.pages) {
    const pageInput: FormData = {};
    for (const f of page.fields) if (input[f.id] !== undefined) pageInput[f.id] = input[f.id]!;
    const result = validatePage(page, pageInput, { ...input, ...values }, ctx);
    values = { ...values, ...result.values };
    if (result.errors.length > 0) {
      errors.push(...result.errors);
      firstInvalidPage ??= page.id;
    }
  }
  return firstInvalidPage ? { values, errors, firstInvalidPage } : { values, errors };
}

/** The pages the applicant has to go through, given the answers so far. */
export function visiblePages(def: ServiceDefinition, data: FormData, ctx: RuleContext): FormPage[] {
  return def.pages.filter((p) => p.fields.some((f) => isVisible(f, data, ctx)));
}

/** Human-readable value of a field for check-your-answers and the case view. */
export function displayValue(field: Field, value: FormValue | undefined, lang: 'de' | 'en'): string {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return lang === 'de' ? '—' : '—';
  if (field.type === 'file') return parseFileFieldValue(value)?.fileName ?? (lang === 'de' ? '—' : '—');
  if (field.type === 'radio' || field.type === 'select' || field.type === 'checkboxes') {
    const list = Array.isArray(value) ? value : [value];
    return list.map((v) => field.choices.find((c) => c.value === v)?.label[lang] ?? v).join(', ');
  }
  return Array.isArray(value) ? value.join(', ') : value;
}
