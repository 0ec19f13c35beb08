/**
 * The ServiceDefinition: everything about one procedure, as typed data. One folder under
 * `src/services/<slug>/` exports one definition; `check-definitions.ts` proves at start-up that
 * it is complete and consistent (every state reachable, every label in de and en, every effect known).
 */

import type { Kysely } from 'kysely';
import type { TopicId } from './topics.ts';
import type { Database } from '../schema.ts';

export type Lang = 'de' | 'en';
export type Text = { readonly de: string; readonly en: string };

export type IdentityLevel = 'none' | 'basic' | 'substantial' | 'high';
export type ActorRole = 'applicant' | 'clerk' | 'supervisor' | 'system';

/** Values as a form posts them: text, or several texts for multiple choice. */
export type FormValue = string | string[];
export type FormData = Record<string, FormValue>;

export interface FieldError {
  readonly field: string;
  readonly message: Text;
}

export interface Choice {
  readonly value: string;
  readonly label: Text;
}

interface FieldBase {
  /** Stable id: form name, JSON property and API pointer (`/data/<id>`). */
  readonly id: string;
  readonly label: Text;
  readonly hint?: Text;
  readonly required?: boolean;
  /** Shown (and validated) only when this returns true for the data entered so far. */
  readonly when?: (data: FormData, ctx: RuleContext) => boolean;
  /** Autocomplete token for the browser (WCAG 1.3.5). */
  readonly autocomplete?: string;
  /**
   * Once-only: the verified identity's claim that fills this field. With a verified identity in the
   * session the field shows as confirmed data and the server takes the value from the identity,
   * never from the form post.
   */
  readonly prefill?: VerifiedClaimName;
}

/** Claims of a verified identity that can fill a form field (the `address` claim's parts flattened). */
export const VERIFIED_CLAIM_NAMES = ['given_name', 'family_name', 'birthdate', 'place_of_birth', 'street_address', 'postal_code', 'locality', 'country', 'nationality'] as const;
export type VerifiedClaimName = (typeof VERIFIED_CLAIM_NAMES)[number];

interface TextField extends FieldBase {
  readonly type: 'text' | 'textarea' | 'email' | 'tel' | 'postcode';
  readonly minLength?: number;
  readonly maxLength: number;
}
interface DateField extends FieldBase {
  readonly type: 'date';
}
interface TimeField extends FieldBase {
  readonly type: 'time';
}
interface IntegerField extends FieldBase {
  readonly type: 'integer';
  readonly min: number;
  readonly max: number;
}
interface ChoiceField extends FieldBase {
  readonly type: 'radio' | 'checkboxes' | 'select';
  readonly choices: readonly Choice[];
}
/** File types an upload field may accept; the type is judged by the content, not the name. */
export const UPLOAD_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type UploadType = (typeof UPLOAD_TYPES)[number];
/** No service may accept larger files than this (the multipart parser's hard cap). */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

/**
 * A document the citizen uploads with the form. The stored value is `<document row id>:<file name>`,
 * set by the server after the upload passed its checks, never taken from the post.
 */
export interface FileField extends FieldBase {
  readonly type: 'file';
  readonly accept: readonly UploadType[];
  /** The service's size limit for this document, in bytes (at most MAX_UPLOAD_BYTES). */
  readonly maxBytes: number;
}
export type Field = TextField | DateField | TimeField | IntegerField | ChoiceField | FileField;

/** One line of a fee: a label (no personal data) and its amount in euro cents. */
export interface FeeItem {
  readonly label: Text;
  readonly cents: number;
}
export interface FeeBreakdown {
  readonly cents: number;
  readonly items: readonly FeeItem[];
}

export interface RuleContext {
  readonly now: Date;
  readonly timeZone: string;
}

export interface FormPage {
  readonly id: string;
  readonly title: Text;
  readonly intro?: Text;
  readonly fields: readonly Field[];
  /** Cross-field rules of this page, run after each field passed its own checks. */
  readonly validate?: (data: FormData, ctx: RuleContext) => FieldError[];
  /** Explanations shown above the fields when they apply (e.g. the 48-hour rule). */
  readonly notices?: (data: FormData, ctx: RuleContext) => Text[];
  /**
   * A check that must read stored data (e.g. a code another module issued): run by the portal
   * after the page passed its fields and `validate`, again on the summary and at submission.
   * Its errors stand at their fields like any other (status 422, what was typed kept).
   */
  readonly check?: (data: FormData, ctx: PageCheckContext) => Promise<FieldError[]>;
}

/** What an asynchronous page check may use besides the answers and the clock. */
interface PageCheckContext extends RuleContext {
  readonly db: Kysely<Database>;
}

export interface ProcessState {
  readonly id: string;
  /** Plain-language label the citizen sees. */
  readonly publicLabel: Text;
  /** What happens next, in plain language, for the status page. */
  readonly next: Text;
  /** Expected time in this state (ISO 8601 duration in days/hours: P2D, PT12H); absent for final states. */
  readonly expectedDuration?: string;
  /**
   * A legal or organisational time limit: the case must leave this state within it (ISO 8601
   * duration in days/hours, counted in calendar days: `P3D` for GewO § 15(1)'s receipt). When
   * present it, not `expectedDuration`, sets the case's due date on entering the state: the date
   * staff must meet and the citizen sees as "expected by" (so `expectedDuration` may not be
   * longer). Whichever field set it, a case still in the state after its due date is escalated
   * once to the department's supervisors (ADR 0020). Never on final states.
   */
  readonly deadline?: string;
  readonly final?: boolean;
}

export interface TransitionInput {
  readonly id: string;
  readonly label: Text;
  /** Heading on the citizen's status page when it differs from the clerk's label. */
  readonly publicLabel?: Text;
  readonly type: 'textarea' | 'text' | 'date';
  readonly required: boolean;
  readonly maxLength: number;
  /** Shown to the citizen on the status page (e.g. conditions, reason for a ban). */
  readonly public: boolean;
}

export interface GuardContext {
  readonly caseData: FormData;
  readonly input: Record<string, string>;
  readonly now: Date;
}

export interface Transition {
  readonly id: string;
  readonly from: readonly string[];
  readonly to: string;
  readonly label: Text;
  /** Who may take it. `applicant` = the citizen who submitted (proved by access code or account). */
  readonly allowed: readonly ActorRole[];
  readonly inputs?: readonly TransitionInput[];
  /** Returns a reason when the transition may not be taken now. */
  readonly guard?: (ctx: GuardContext) => Text | undefined;
  /** Names of known effects (see `cases/effects.ts`), run as jobs after the commit. */
  readonly effects: readonly string[];
  /** Public timeline text; the event is public when present. */
  readonly publicEvent?: Text;
}

export interface ServiceDefinition {
  /** URL slug and folder name. */
  readonly id: string;
  /** Bumped whenever fields or process change; each case records the version it was filed under. */
  readonly version: number;
  /** LeiKa key (14 digits, `^99\d{12}$`). */
  readonly leikaKey: string;
  readonly title: Text;
  readonly summary: Text;
  /** The life situation the home page lists it under (`catalogue/topics.ts`). */
  readonly topic?: TopicId;
  /** Everyday words citizens search for, the most telling first (an early keyword ranks higher). */
  readonly keywords: readonly string[];
  readonly identityLevel: IdentityLevel;
  /**
   * Fee in euro cents; 0 when free. With `fee` below it is the lowest fee, shown as "from" before
   * the answers are known.
   */
  readonly feeCents: number;
  /**
   * A fee that depends on the answers (e.g. the applicant's age, delivery by post), as a breakdown
   * whose items add up to `cents`. Evaluated with the case's submission time as `ctx.now`, so the
   * fee of a case never changes afterwards. Read it through `feeFor` (`catalogue/fees.ts`).
   */
  readonly fee?: (data: FormData, ctx: RuleContext) => FeeBreakdown;
  readonly receivingDepartment: string;
  /** Staff reply templates for the Postfach besides the general ones (`cases/reply-templates.ts`). */
  readonly replyTemplates?: ReadonlyArray<{ readonly id: string; readonly title: Text; readonly body: string }>;
  /** How long closed files are kept (ISO 8601 duration in years: P5Y). */
  readonly retention: string;
  readonly pages: readonly FormPage[];
  /** Which field holds the applicant's e-mail for receipts and notices. */
  readonly applicantEmailField?: string;
  /** Which fields name the applicant (shown in the inbox); never logged. */
  readonly applicantNameField: string;
  /** One line describing the case in the inbox (no personal data). */
  readonly caseSummary: (data: FormData, lang: Lang) => string;
  readonly process: {
    readonly initial: string;
    readonly states: readonly ProcessState[];
    readonly transitions: readonly Transition[];
    /** Effects of the submission itself. */
    readonly onSubmit: readonly string[];
    /**
     * A decision the office lets the system take at once (ADR 0022): given the submitted answers,
     * the transition to take from the initial state (allowed to `system`), or undefined to leave
     * the case to a clerk. Needs the effect `decide_automatically` in `onSubmit`; the job runs it
     * after the submission committed, with the submission time as `ctx.now`.
     */
    readonly automatic?: (data: FormData, ctx: RuleContext) => AutomaticDecision | undefined;
  };
  /**
   * Receipts and decisions the office issues as sealed PDFs (ADR 0013), each when the submission
   * or a named transition happens; the `issue_documents` effect there issues them.
   */
  readonly documents?: readonly DocumentTemplate[];
  /**
   * The documents the citizen must bring or send for their situation (e.g. for a wedding: birth
   * certificates, a divorce decree after an earlier marriage), from the answers. Shown before
   * sending and on the status page while the case is open.
   */
  readonly requiredDocuments?: (data: FormData, ctx: RuleContext) => readonly RequiredDocument[];
  /**
   * The step that must be done in person, booked online (ADR 0018): at which of the city's
   * locations, how long one slot is and how many people it takes. Absent: no appointments.
   */
  readonly appointment?: AppointmentSettings;
}

/** One document the citizen needs, with a plain-language hint where to get it. */
export interface RequiredDocument {
  readonly label: Text;
  readonly hint?: Text;
}

export interface AppointmentSettings {
  /** What the appointment is for, in the mail, the calendar entry and the staff day view. */
  readonly purpose: Text;
  /** Length of one slot in minutes (5–480); slots follow each other from the opening time. */
  readonly slotMinutes: number;
  /** How many people one slot takes (counters open at the same time). */
  readonly capacityPerSlot: number;
  /** Ids of the city's locations (CityConfig.locations) that offer it. */
  readonly locations: readonly string[];
  /** How many days ahead (from today) slots can be booked. */
  readonly bookAheadDays: number;
  /** Slots starting sooner than this are not offered (default 0). */
  readonly minNoticeHours?: number;
}

/**
 * A paragraph of an issued document. Official documents are German (§ 23 VwVfG); an English
 * wording is optional and not printed yet. `heading` sets it as a section heading.
 */
export interface DocumentParagraph {
  readonly de: string;
  readonly en?: string;
  readonly heading?: boolean;
}

export interface DocumentContext {
  /** The case's human reference. */
  readonly reference: string;
  readonly submittedAt: Date;
  readonly issuedAt: Date;
  readonly timeZone: string;
  /** The issuing department and the city. */
  readonly department: Text;
  readonly city: Text;
  /** The inputs of the transition that issued the document (e.g. conditions); empty for the submission. */
  readonly input: Readonly<Record<string, string>>;
}

export interface DocumentContent {
  /** Printed before the table. */
  readonly paragraphs: readonly DocumentParagraph[];
  /** Label/value facts of the matter, printed as a table. */
  readonly rows?: readonly { readonly label: DocumentParagraph; readonly value: string }[];
  /** Printed after the table (further reasons, Rechtsbehelfsbelehrung). */
  readonly closing?: readonly DocumentParagraph[];
}

/** What `process.automatic` decides: a transition from the initial state, with its inputs. */
export interface AutomaticDecision {
  readonly transition: string;
  readonly input?: Readonly<Record<string, string>>;
}

/** The submission effect that runs `process.automatic` (ADR 0022). */
export const DECIDE_AUTOMATICALLY_EFFECT = 'decide_automatically';

/** The effect that issues a service's document templates for the submission or transition it is named on. */
export const ISSUE_DOCUMENTS_EFFECT = 'issue_documents';

export interface DocumentTemplate {
  /** Stable id, unique within the service; recorded with every issued document. */
  readonly id: string;
  readonly kind: 'receipt' | 'decision';
  /** The document's title; shown on the public verification page, so never personal. */
  readonly title: Text;
  /** `submit`, or the id of the transition that issues it. */
  readonly issuedOn: string;
  readonly content: (caseData: FormData, ctx: DocumentContext) => DocumentContent;
}

export function allFields(def: ServiceDefinition): Field[] {
  return def.pages.flatMap((p) => p.fields);
}
