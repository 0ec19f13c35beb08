import type { DocumentContext, DocumentTemplate, FormData, Transition, TransitionInput } from '../../catalogue/service-definition.ts';
import { formatDate } from '../../platform/i18n/time.ts';
import { assemblyRows, heading, sealNote } from './documents.ts';

/**
 * The part of the Versammlungsanzeige's process that an external receiving authority drives
 * (ADR 0023). Every transition here is the system's: the forwarding job takes `forward` once the
 * authority accepted the notice, and the answer API takes the others for the authority's signed
 * answers. No clerk may take them, and no clerk's transition leaves these states, so the engine
 * itself keeps the city's staff from deciding a case the authority decides.
 */

/** The non-final states of a case that an external authority has. */
export const AUTHORITY_STATES = ['forwarded', 'authority_review', 'authority_cooperation_talk'] as const;

/**
 * Which authority answered, as the system records it with each of its transitions: the citizen
 * sees it in the history of the status page, and the issued notices name it.
 */
const authorityInput: TransitionInput = {
  id: 'authority',
  label: { de: 'Zuständige Behörde', en: 'Competent authority' },
  type: 'text',
  required: true,
  maxLength: 200,
  public: true,
};

// 'received' is among the sources so that an answer arriving before the forwarding job has
// recorded the delivery (the authority may answer within the same second) still applies.
const ANSWERABLE = ['received', ...AUTHORITY_STATES];

export const authorityTransitions: readonly Transition[] = [
  {
    id: 'forward',
    from: ['received'],
    to: 'forwarded',
    label: { de: 'An die zuständige Behörde weitergeleitet', en: 'Forwarded to the competent authority' },
    allowed: ['system'],
    inputs: [authorityInput],
    effects: ['notify_applicant'],
    publicEvent: { de: 'Ihre Anzeige wurde an die zuständige Behörde weitergeleitet.', en: 'Your notice was forwarded to the competent authority.' },
  },
  {
    id: 'authority_receive',
    from: ['received', 'forwarded'],
    to: 'authority_review',
    label: { de: 'Eingang bei der Behörde', en: 'Received by the authority' },
    allowed: ['system'],
    inputs: [authorityInput],
    effects: ['notify_applicant'],
    publicEvent: { de: 'Die zuständige Behörde hat Ihre Anzeige erhalten und prüft sie.', en: 'The competent authority has received your notice and is reviewing it.' },
  },
  {
    id: 'authority_request_cooperation_talk',
    from: ['received', 'forwarded', 'authority_review'],
    to: 'authority_cooperation_talk',
    label: { de: 'Kooperationsgespräch (Behörde)', en: 'Cooperation talk (authority)' },
    allowed: ['system'],
    inputs: [
      authorityInput,
      { id: 'message', label: { de: 'Nachricht der Behörde', en: 'Message from the authority' }, type: 'textarea', required: true, maxLength: 2000, public: true },
    ],
    effects: ['notify_applicant'],
    publicEvent: { de: 'Die zuständige Behörde bittet um ein Kooperationsgespräch.', en: 'The competent authority asks for a cooperation talk.' },
  },
  {
    id: 'authority_confirm',
    from: ANSWERABLE,
    to: 'confirmed',
    label: { de: 'Bestätigt (Behörde)', en: 'Confirmed (authority)' },
    allowed: ['system'],
    inputs: [authorityInput, { id: 'conditions', label: { de: 'Hinweise der Behörde', en: 'Remarks from the authority' }, type: 'textarea', required: false, maxLength: 4000, public: true }],
    effects: ['notify_applicant', 'issue_documents'],
    publicEvent: { de: 'Die zuständige Behörde hat die Anzeige bestätigt.', en: 'The competent authority confirmed the notice.' },
  },
  {
    id: 'authority_restrict',
    from: ANSWERABLE,
    to: 'restricted',
    label: { de: 'Mit Beschränkungen (Behörde)', en: 'With restrictions (authority)' },
    allowed: ['system'],
    inputs: [
      authorityInput,
      { id: 'restrictions', label: { de: 'Beschränkungen', en: 'Restrictions' }, type: 'textarea', required: true, maxLength: 4000, public: true },
      { id: 'reason', label: { de: 'Begründung', en: 'Reason' }, type: 'textarea', required: true, maxLength: 4000, public: true },
    ],
    effects: ['notify_applicant', 'issue_documents'],
    publicEvent: { de: 'Die zuständige Behörde hat die Versammlung mit Beschränkungen bestätigt.', en: 'The competent authority confirmed the assembly with restrictions.' },
  },
  {
    id: 'authority_ban',
    from: ANSWERABLE,
    to: 'banned',
    label: { de: 'Verboten (Behörde)', en: 'Banned (authority)' },
    allowed: ['system'],
    inputs: [authorityInput, { id: 'reason', label: { de: 'Begründung des Verbots', en: 'Reason for the ban' }, type: 'textarea', required: true, maxLength: 4000, public: true }],
    effects: ['notify_applicant', 'issue_documents'],
    publicEvent: { de: 'Die zuständige Behörde hat die Versammlung verboten.', en: 'The competent authority banned the assembly.' },
  },
];

/** The answers an authority can send, and the transition each one takes. */
export const AUTHORITY_ANSWER_TRANSITIONS = {
  received: 'authority_receive',
  cooperation_talk: 'authority_request_cooperation_talk',
  confirmed: 'authority_confirm',
  restricted: 'authority_restrict',
  banned: 'authority_ban',
} as const;
export type AuthorityAnswerKind = keyof typeof AUTHORITY_ANSWER_TRANSITIONS;
export const AUTHORITY_ANSWER_KINDS = Object.keys(AUTHORITY_ANSWER_TRANSITIONS) as AuthorityAnswerKind[];

/**
 * The city's sealed notice of the authority's final answer. It is not the authority's decision
 * (that is the authority's own Bescheid, which it sends itself); it records what the authority
 * told the city, so that the citizen's file holds it like any other decision.
 * The wording is a draft for the city's legal office (unverified).
 */
function authorityNotice(outcome: string, closing: (ctx: DocumentContext) => { de: string; heading?: boolean }[]) {
  return (d: FormData, ctx: DocumentContext) => ({
    paragraphs: [
      { de: 'Sehr geehrte Damen und Herren,' },
      {
        de: `Ihre Anzeige vom ${formatDate(ctx.submittedAt, 'de', ctx.timeZone)} haben wir an die zuständige Versammlungsbehörde weitergeleitet: ${ctx.input.authority ?? 'die zuständige Behörde'}. Sie hat uns mitgeteilt: ${outcome}`,
      },
    ],
    rows: assemblyRows(d),
    closing: [
      ...closing(ctx),
      heading('Hinweis', 'Note'),
      {
        de: `Maßgeblich ist die Entscheidung der ${ctx.input.authority ?? 'zuständigen Behörde'}. Fragen und Rechtsbehelfe richten Sie bitte an diese Behörde; das Aktenzeichen ${ctx.reference} hilft ihr, Ihre Anzeige zu finden.`,
      },
      sealNote,
    ],
  });
}

export const authorityDocuments: readonly DocumentTemplate[] = [
  {
    id: 'mitteilung-bestaetigung',
    kind: 'decision',
    issuedOn: 'authority_confirm',
    title: { de: 'Mitteilung: Versammlung von der zuständigen Behörde bestätigt', en: 'Notice: assembly confirmed by the competent authority' },
    content: authorityNotice('Die Versammlung kann wie angezeigt stattfinden.', (ctx) =>
      ctx.input.conditions ? [heading('Hinweise der Behörde', 'Remarks from the authority'), { de: ctx.input.conditions }] : [],
    ),
  },
  {
    id: 'mitteilung-beschraenkungen',
    kind: 'decision',
    issuedOn: 'authority_restrict',
    title: { de: 'Mitteilung: Versammlung mit Beschränkungen', en: 'Notice: assembly with restrictions' },
    content: authorityNotice('Die Versammlung kann nur mit den unten genannten Beschränkungen stattfinden.', (ctx) => [
      heading('Beschränkungen', 'Restrictions'),
      { de: ctx.input.restrictions ?? '' },
      heading('Begründung', 'Reasons'),
      { de: ctx.input.reason ?? '' },
    ]),
  },
  {
    id: 'mitteilung-verbot',
    kind: 'decision',
    issuedOn: 'authority_ban',
    title: { de: 'Mitteilung: Versammlung von der zuständigen Behörde verboten', en: 'Notice: assembly banned by the competent authority' },
    content: authorityNotice('Die Versammlung wird verboten. Sie darf nicht stattfinden.', (ctx) => [heading('Begründung', 'Reasons'), { de: ctx.input.reason ?? '' }]),
  },
];
