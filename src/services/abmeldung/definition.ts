import type { DocumentTemplate, FormData, ServiceDefinition } from '../../catalogue/service-definition.ts';
import { formatDate, formatIsoDate } from '../../platform/i18n/time.ts';
import { companionCountPage, companionsPage, countOf, emailField, identityFields, personRows, SEAL_NOTE } from '../wohnsitzanmeldung/people.ts';
import { isLateDeregistration, lateDeregistrationNotice, validateMoveOut } from './rules.ts';

/**
 * Abmeldung bei Wegzug ins Ausland (BMG § 17(2), DOMAIN.md): within two weeks after moving out,
 * at most one week before. Identity level high, like the registration. The clerk accepts it and
 * the sealed Abmeldebestätigung is issued. (XMeld: the record keeps the new country and address
 * abroad and the move-out date, the data of a de-registration message.)
 */
const str = (d: FormData, k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');

const documents: readonly DocumentTemplate[] = [
  {
    id: 'abmeldebestaetigung',
    kind: 'decision',
    issuedOn: 'accept',
    title: { de: 'Abmeldebestätigung', en: 'De-registration confirmation' },
    content: (d, ctx) => ({
      paragraphs: [
        { de: `Die Meldebehörde der ${ctx.city.de} bestätigt die Abmeldung vom ${formatDate(ctx.submittedAt, 'de', ctx.timeZone)} wegen Wegzugs ins Ausland für die folgenden Personen:` },
      ],
      rows: [
        ...personRows(d),
        { label: { de: 'Bisherige Anschrift', en: 'Previous address' }, value: `${str(d, 'currentStreet')}, ${str(d, 'currentPostcode')} ${str(d, 'currentTown')}` },
        { label: { de: 'Tag des Auszugs', en: 'Move-out date' }, value: formatIsoDate(str(d, 'moveOutDate'), 'de') },
        { label: { de: 'Zuzugsstaat', en: 'Country moved to' }, value: str(d, 'country') },
        { label: { de: 'Neue Anschrift', en: 'New address' }, value: str(d, 'foreignAddress').replace(/\s*\r?\n\s*/g, ', ') },
      ],
      closing: [SEAL_NOTE],
    }),
  },
];

export const abmeldung: ServiceDefinition = {
  id: 'abmeldung',
  version: 1,
  leikaKey: '99115002001000', // (unverified)
  title: { de: 'Wohnsitz abmelden (Wegzug ins Ausland)', en: 'De-register (moving abroad)' },
  summary: {
    de: 'Ziehen Sie ins Ausland, melden Sie sich online ab – frühestens eine Woche vor und spätestens zwei Wochen nach dem Auszug. Mit dem Online-Ausweis; Sie erhalten eine gesiegelte Abmeldebestätigung. Kostenlos.',
    en: 'Moving abroad? De-register online, at the earliest one week before and at the latest two weeks after moving out. With your online ID card; you receive a sealed confirmation. Free of charge.',
  },
  topic: 'wohnen',
  keywords: ['abmelden', 'abmeldung', 'ausland', 'auswandern', 'wegzug', 'umziehen', 'umzug ins ausland', 'wohnsitz', 'moving abroad', 'de-register', 'emigrate'],
  identityLevel: 'high',
  feeCents: 0, // (unverified) de-registration is free of charge
  receivingDepartment: 'buergerservice',
  retention: 'P5Y', // (unverified)
  applicantEmailField: 'email',
  applicantNameField: 'familyName',
  caseSummary: (d, lang) => `${lang === 'de' ? 'Wegzug nach' : 'Moving to'} ${str(d, 'country')}, ${formatIsoDate(str(d, 'moveOutDate'), lang)}, ${1 + countOf(d)} ${lang === 'de' ? 'Person(en)' : 'person(s)'}`,
  pages: [
    {
      id: 'person',
      title: { de: 'Ihre Daten', en: 'About you' },
      intro: { de: 'Ihre Daten stammen aus Ihrem Online-Ausweis.', en: 'Your details come from your online ID card.' },
      fields: [...identityFields({ address: 'current' }), emailField],
    },
    {
      id: 'ausland',
      title: { de: 'Wohin ziehen Sie?', en: 'Where are you moving to?' },
      fields: [
        { id: 'country', type: 'text', label: { de: 'Staat', en: 'Country' }, hint: { de: 'Zum Beispiel Frankreich', en: 'For example France' }, required: true, maxLength: 100, autocomplete: 'country-name' },
        {
          id: 'foreignAddress',
          type: 'textarea',
          label: { de: 'Neue Anschrift im Ausland', en: 'New address abroad' },
          hint: { de: 'So, wie sie in dem Staat geschrieben wird; wenn noch nicht bekannt, der Ort.', en: 'As written in that country; if not yet known, the town.' },
          required: true,
          maxLength: 500,
        },
        { id: 'moveOutDate', type: 'date', label: { de: 'Auszugsdatum', en: 'Move-out date' }, hint: { de: 'Zum Beispiel 15.12.2026', en: 'For example 15.12.2026' }, required: true },
        // Shown only for a late de-registration: the page then comes back once, with the explanation above.
        { id: 'delayReason', type: 'textarea', label: { de: 'Grund der Verspätung (freiwillig)', en: 'Reason for the delay (optional)' }, maxLength: 1000, when: isLateDeregistration },
      ],
      notices: (d, ctx) => (isLateDeregistration(d, ctx) ? [lateDeregistrationNotice(d)] : []),
      validate: validateMoveOut,
    },
    companionCountPage({ de: 'zieht', en: 'moves' }),
    companionsPage(),
  ],
  process: {
    initial: 'received',
    onSubmit: ['send_receipt'],
    states: [
      {
        id: 'received',
        publicLabel: { de: 'Eingegangen', en: 'Received' },
        next: { de: 'Die Meldebehörde prüft Ihre Abmeldung.', en: 'The registration office checks your de-registration.' },
        expectedDuration: 'P3D', // (unverified)
      },
      {
        id: 'deregistered',
        publicLabel: { de: 'Abgemeldet', en: 'De-registered' },
        next: { de: 'Sie sind abgemeldet. Ihre Abmeldebestätigung steht unten zum Herunterladen.', en: 'You are de-registered. Your confirmation is below to download.' },
        final: true,
      },
      {
        id: 'rejected',
        publicLabel: { de: 'Online nicht möglich', en: 'Not possible online' },
        next: {
          de: 'Ihre Abmeldung konnte online nicht abgeschlossen werden; den Grund lesen Sie unten. Bitte buchen Sie einen Termin im Bürgerservice oder melden Sie sich schriftlich ab.',
          en: 'Your de-registration could not be completed online; the reason is below. Please book an appointment at Citizen Services or de-register in writing.',
        },
        final: true,
      },
      {
        id: 'withdrawn',
        publicLabel: { de: 'Zurückgezogen', en: 'Withdrawn' },
        next: { de: 'Sie haben die Abmeldung zurückgezogen.', en: 'You withdrew the de-registration.' },
        final: true,
      },
    ],
    transitions: [
      {
        id: 'accept',
        from: ['received'],
        to: 'deregistered',
        label: { de: 'Abmeldung annehmen', en: 'Accept de-registration' },
        allowed: ['clerk', 'supervisor'],
        effects: ['issue_documents', 'notify_applicant'],
        publicEvent: { de: 'Die Meldebehörde hat Ihre Abmeldung angenommen.', en: 'The registration office accepted your de-registration.' },
      },
      {
        id: 'reject',
        from: ['received'],
        to: 'rejected',
        label: { de: 'Online ablehnen', en: 'Refuse online' },
        allowed: ['clerk', 'supervisor'],
        inputs: [{ id: 'reason', label: { de: 'Begründung', en: 'Reason' }, publicLabel: { de: 'Grund', en: 'Reason' }, type: 'textarea', required: true, maxLength: 2000, public: true }],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Die Abmeldung ist online nicht möglich.', en: 'The de-registration is not possible online.' },
      },
      {
        id: 'withdraw',
        from: ['received'],
        to: 'withdrawn',
        label: { de: 'Abmeldung zurückziehen', en: 'Withdraw the de-registration' },
        allowed: ['applicant'],
        effects: [],
        publicEvent: { de: 'Sie haben die Abmeldung zurückgezogen.', en: 'You withdrew the de-registration.' },
      },
    ],
  },
  documents,
};
