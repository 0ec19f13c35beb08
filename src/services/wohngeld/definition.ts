import { verifiedAddressFields, verifiedNameFields } from '../person-fields.ts';
import type { ServiceDefinition } from '../../catalogue/service-definition.ts';
import { wohngeldDocuments } from './documents.ts';
import {
  grantGuard,
  hasIncome,
  livesWithOthers,
  needsLivelihoodExplanation,
  receivesTransferBenefits,
  rejectGuard,
  transferBenefitsNotice,
  transferBenefitsReminder,
  validateHouseholdPage,
  validateIncomePage,
  validatePersonPage,
} from './rules.ts';

const pdfOrImage = ['application/pdf', 'image/jpeg', 'image/png'] as const;

const INCOME_KINDS = [
  { value: 'employment', label: { de: 'Lohn oder Gehalt', en: 'Wages or salary' } },
  { value: 'selfEmployed', label: { de: 'Selbstständige Arbeit', en: 'Self-employment' } },
  { value: 'pension', label: { de: 'Rente oder Pension', en: 'Pension' } },
  { value: 'unemployment', label: { de: 'Arbeitslosengeld (ALG I)', en: 'Unemployment benefit (ALG I)' } },
  { value: 'maintenance', label: { de: 'Unterhalt oder Unterhaltsvorschuss', en: 'Maintenance payments' } },
  { value: 'student', label: { de: 'BAföG, Ausbildungsvergütung', en: 'Student grant (BAföG), apprentice pay' } },
  { value: 'other', label: { de: 'Anderes Einkommen', en: 'Other income' } },
] as const;

/**
 * Wohngeld as Mietzuschuss (WoGG), applied for at the city's Wohngeldstelle. Identity level
 * substantial (ELSTER or eID); the person's data comes from the verified identity. Missing
 * documents are asked for with the general "request for more information" (ADR 0021), not a
 * state of its own. The clerk computes the amount with the Wohngeld software and enters it with
 * the period; both go into the sealed Bescheid.
 */
export const wohngeld: ServiceDefinition = {
  id: 'wohngeld',
  version: 1,
  leikaKey: '99108001000000', // (unverified) a city can correct it without touching the process
  title: { de: 'Wohngeld beantragen (Mietzuschuss)', en: 'Apply for housing benefit (rent subsidy)' },
  summary: {
    de: 'Zuschuss zur Miete für Haushalte mit geringem Einkommen. Beantragen Sie Wohngeld online mit Mietvertrag und Einkommensnachweisen. Kostenlos.',
    en: 'A subsidy towards the rent for households with a low income. Apply for housing benefit online with your rental contract and proof of income. Free.',
  },
  topic: 'wohnen',
  keywords: [
    'wohngeld',
    'wohngeld plus',
    'mietzuschuss',
    'zuschuss',
    'miete',
    'miete zu hoch',
    'mietkosten',
    'geld für miete',
    'wenig einkommen',
    'rente',
    'sozialleistung',
    'housing benefit',
    'rent subsidy',
  ],
  identityLevel: 'substantial',
  feeCents: 0,
  receivingDepartment: 'sozialamt',
  // (unverified) files of granted benefits are kept for later repayment claims and audits.
  retention: 'P6Y',
  applicantEmailField: 'email',
  applicantNameField: 'familyName',
  caseSummary: (d, lang) => `${lang === 'de' ? 'Mietzuschuss' : 'Rent subsidy'}, ${String(d.householdSize ?? '?')} ${lang === 'de' ? 'Person(en)' : 'person(s)'}`,
  pages: [
    {
      id: 'person',
      title: { de: 'Ihre Angaben', en: 'About you' },
      intro: {
        de: 'Name, Geburtsdatum und Anschrift kommen aus Ihrem geprüften Konto. Die Anschrift ist die Wohnung, für die Sie Wohngeld beantragen.',
        en: 'Name, date of birth and address come from your verified account. The address is the flat you apply for housing benefit for.',
      },
      fields: [
        ...verifiedNameFields(),
        { id: 'birthdate', type: 'date', label: { de: 'Geburtsdatum', en: 'Date of birth' }, required: true, autocomplete: 'bday', prefill: 'birthdate' },
        ...verifiedAddressFields(),
        {
          id: 'email',
          type: 'email',
          label: { de: 'E-Mail-Adresse', en: 'Email address' },
          hint: { de: 'Hierhin senden wir die Eingangsbestätigung und Nachrichten zum Stand.', en: 'We send the receipt and status news here.' },
          required: true,
          maxLength: 254,
          autocomplete: 'email',
        },
        { id: 'phone', type: 'tel', label: { de: 'Telefonnummer (freiwillig)', en: 'Phone number (optional)' }, maxLength: 30, autocomplete: 'tel' },
        {
          id: 'iban',
          type: 'text',
          label: { de: 'IBAN für die Auszahlung', en: 'IBAN for the payment' },
          hint: { de: 'Das Konto, auf das das Wohngeld überwiesen wird.', en: 'The account the housing benefit is paid into.' },
          required: true,
          minLength: 15,
          maxLength: 42,
        },
      ],
      validate: validatePersonPage,
    },
    {
      id: 'haushalt',
      title: { de: 'Wer wohnt mit Ihnen zusammen?', en: 'Who lives with you?' },
      intro: {
        de: 'Zum Haushalt gehören alle, die mit Ihnen in der Wohnung leben und gemeinsam wirtschaften, zum Beispiel Ehe- oder Lebenspartner und Kinder.',
        en: 'Your household is everyone who lives in the flat with you and shares the household, for example your partner and children.',
      },
      fields: [
        { id: 'householdSize', type: 'integer', label: { de: 'Wie viele Personen leben im Haushalt, Sie eingeschlossen?', en: 'How many people live in the household, including you?' }, required: true, min: 1, max: 20 },
        {
          id: 'householdMembers',
          type: 'textarea',
          label: { de: 'Weitere Haushaltsmitglieder', en: 'Other household members' },
          hint: {
            de: 'Jede Person in einer eigenen Zeile: Name, Geburtsdatum, Verhältnis zu Ihnen. Zum Beispiel: Max Mustermann, 02.03.2015, Sohn',
            en: 'Each person on a line of its own: name, date of birth, relation to you. For example: Max Mustermann, 02.03.2015, son',
          },
          required: true,
          maxLength: 4000,
          when: livesWithOthers,
        },
      ],
      validate: validateHouseholdPage,
    },
    {
      id: 'wohnung',
      title: { de: 'Ihre Wohnung und Miete', en: 'Your flat and rent' },
      fields: [
        {
          id: 'rent',
          type: 'integer',
          label: { de: 'Bruttokaltmiete in Euro pro Monat', en: 'Rent excluding heating, in euro per month' },
          hint: {
            de: 'Kaltmiete plus Nebenkosten ohne Heizung und Warmwasser, wie im Mietvertrag. Auf volle Euro runden.',
            en: 'Basic rent plus service charges without heating and hot water, as in the rental contract. Round to whole euro.',
          },
          required: true,
          min: 1,
          max: 10_000,
        },
        { id: 'livingSpace', type: 'integer', label: { de: 'Wohnfläche in Quadratmetern', en: 'Living space in square metres' }, required: true, min: 5, max: 1000 },
        { id: 'moveInDate', type: 'date', label: { de: 'Seit wann wohnen Sie dort?', en: 'Since when have you lived there?' }, required: true },
      ],
    },
    {
      id: 'einkommen',
      title: { de: 'Einkommen des Haushalts', en: 'Household income' },
      fields: [
        {
          id: 'income',
          type: 'integer',
          label: { de: 'Bruttoeinkommen aller Haushaltsmitglieder in Euro pro Monat', en: 'Gross income of all household members, in euro per month' },
          hint: { de: 'Zusammengerechnet, vor Abzug von Steuern und Sozialversicherung. Kein Einkommen: 0.', en: 'Added up, before tax and social insurance. No income: 0.' },
          required: true,
          min: 0,
          max: 100_000,
        },
        { id: 'incomeKinds', type: 'checkboxes', label: { de: 'Welche Einkommen gibt es im Haushalt?', en: 'What kinds of income does the household have?' }, choices: INCOME_KINDS, when: hasIncome, required: true },
        {
          id: 'transferBenefits',
          type: 'radio',
          label: { de: 'Bekommt jemand im Haushalt Bürgergeld, Sozialhilfe oder Grundsicherung?', en: 'Does anyone in the household receive Bürgergeld, social assistance or basic income support?' },
          hint: transferBenefitsNotice,
          required: true,
          choices: [
            { value: 'no', label: { de: 'Nein', en: 'No' } },
            { value: 'yes', label: { de: 'Ja', en: 'Yes' } },
          ],
        },
        {
          id: 'livelihoodExplanation',
          type: 'textarea',
          label: { de: 'Wovon bezahlt Ihr Haushalt Miete und Lebensunterhalt?', en: 'How does your household pay the rent and living costs?' },
          hint: { de: 'Ihr Einkommen ist niedriger als die Miete. Zum Beispiel: Ersparnisse, Unterstützung durch Familie.', en: 'Your income is lower than the rent. For example: savings, support from family.' },
          required: true,
          maxLength: 2000,
          when: needsLivelihoodExplanation,
        },
      ],
      validate: validateIncomePage,
    },
    {
      id: 'nachweise',
      title: { de: 'Nachweise', en: 'Documents' },
      intro: {
        de: 'Laden Sie die Nachweise als PDF oder Foto hoch (je höchstens 20 MB). Mehrere Seiten fassen Sie bitte in einem PDF zusammen. Fehlt etwas, fragt die Wohngeldstelle gezielt nach.',
        en: 'Upload the documents as PDF or photo (at most 20 MB each). Please put several pages into one PDF. If anything is missing, the office will ask for exactly that.',
      },
      notices: (d) => (receivesTransferBenefits(d) ? [transferBenefitsReminder] : []),
      fields: [
        { id: 'rentalContract', type: 'file', label: { de: 'Mietvertrag', en: 'Rental contract' }, required: true, accept: pdfOrImage, maxBytes: 20 * 1024 * 1024 },
        {
          id: 'rentProof',
          type: 'file',
          label: { de: 'Nachweis der aktuellen Miete (freiwillig)', en: 'Proof of the current rent (optional)' },
          hint: { de: 'Zum Beispiel die letzte Mieterhöhung oder Betriebskostenabrechnung.', en: 'For example the latest rent increase or service charge statement.' },
          accept: pdfOrImage,
          maxBytes: 20 * 1024 * 1024,
        },
        {
          id: 'incomeProofs',
          type: 'file',
          label: { de: 'Einkommensnachweise', en: 'Proof of income' },
          hint: { de: 'Zum Beispiel die Lohnabrechnungen der letzten 3 Monate oder der Rentenbescheid, für alle Haushaltsmitglieder.', en: 'For example the payslips of the last 3 months or the pension notice, for all household members.' },
          required: true,
          accept: pdfOrImage,
          maxBytes: 20 * 1024 * 1024,
          when: hasIncome,
        },
      ],
    },
  ],
  process: {
    initial: 'received',
    onSubmit: ['send_receipt'],
    states: [
      {
        id: 'received',
        publicLabel: { de: 'Eingegangen', en: 'Received' },
        next: { de: 'Die Wohngeldstelle prüft, ob Ihr Antrag vollständig ist.', en: 'The housing benefit office checks that your application is complete.' },
        expectedDuration: 'P7D',
      },
      {
        id: 'in_review',
        publicLabel: { de: 'In Bearbeitung', en: 'Being processed' },
        next: {
          de: 'Die Wohngeldstelle berechnet Ihren Anspruch. Fehlt etwas, fragen wir gezielt nach – bitte antworten Sie dann schnell, damit es weitergeht.',
          en: 'The housing benefit office works out your entitlement. If anything is missing, we will ask for exactly that; please answer quickly so it can go on.',
        },
        // (unverified) Wohngeldstellen name about 6 to 8 weeks after a complete application.
        expectedDuration: 'P42D',
      },
      {
        id: 'granted',
        publicLabel: { de: 'Bewilligt', en: 'Granted' },
        next: {
          de: 'Sie bekommen Wohngeld. Betrag und Zeitraum stehen unten und im Bescheid. Stellen Sie rechtzeitig vor dem Ende einen neuen Antrag.',
          en: 'You will receive housing benefit. The amount and period are shown below and in the decision. Apply again in good time before it ends.',
        },
        final: true,
      },
      {
        id: 'rejected',
        publicLabel: { de: 'Abgelehnt', en: 'Rejected' },
        next: {
          de: 'Sie bekommen kein Wohngeld. Den Grund sehen Sie unten und im Bescheid. Sie können innerhalb eines Monats Widerspruch einlegen.',
          en: 'You will not receive housing benefit. The reason is shown below and in the decision. You can object within one month.',
        },
        final: true,
      },
      {
        id: 'withdrawn',
        publicLabel: { de: 'Zurückgezogen', en: 'Withdrawn' },
        next: { de: 'Sie haben den Antrag zurückgezogen. Es ist nichts weiter zu tun.', en: 'You withdrew the application. Nothing else needs to be done.' },
        final: true,
      },
    ],
    transitions: [
      {
        id: 'start_review',
        from: ['received'],
        to: 'in_review',
        label: { de: 'Bearbeitung beginnen', en: 'Start processing' },
        allowed: ['clerk', 'supervisor'],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Die Bearbeitung hat begonnen.', en: 'Processing has started.' },
      },
      {
        id: 'grant',
        from: ['in_review'],
        to: 'granted',
        label: { de: 'Bewilligen', en: 'Grant' },
        allowed: ['clerk', 'supervisor'],
        inputs: [
          { id: 'amount', label: { de: 'Wohngeld pro Monat in Euro', en: 'Housing benefit per month, in euro' }, publicLabel: { de: 'Wohngeld pro Monat (Euro)', en: 'Housing benefit per month (euro)' }, type: 'text', required: true, maxLength: 20, public: true },
          { id: 'periodFrom', label: { de: 'Bewilligungszeitraum von (Datum, z. B. 01.01.2027)', en: 'Period from (date, e.g. 01.01.2027)' }, publicLabel: { de: 'Bewilligt ab', en: 'Granted from' }, type: 'date', required: true, maxLength: 10, public: true },
          { id: 'periodTo', label: { de: 'Bewilligungszeitraum bis (Datum, z. B. 31.12.2027)', en: 'Period until (date, e.g. 31.12.2027)' }, publicLabel: { de: 'Bewilligt bis', en: 'Granted until' }, type: 'date', required: true, maxLength: 10, public: true },
          { id: 'remarks', label: { de: 'Hinweise (freiwillig)', en: 'Remarks (optional)' }, publicLabel: { de: 'Hinweise der Wohngeldstelle', en: 'Remarks from the office' }, type: 'textarea', required: false, maxLength: 4000, public: true },
        ],
        guard: grantGuard,
        effects: ['notify_applicant', 'issue_documents'],
        publicEvent: { de: 'Ihr Wohngeld wurde bewilligt.', en: 'Your housing benefit was granted.' },
      },
      {
        id: 'reject',
        from: ['received', 'in_review'],
        to: 'rejected',
        label: { de: 'Ablehnen', en: 'Reject' },
        allowed: ['clerk', 'supervisor'],
        inputs: [{ id: 'reason', label: { de: 'Begründung', en: 'Reason' }, type: 'textarea', required: true, maxLength: 4000, public: true }],
        guard: rejectGuard,
        effects: ['notify_applicant', 'issue_documents'],
        publicEvent: { de: 'Der Antrag wurde abgelehnt.', en: 'The application was rejected.' },
      },
      {
        id: 'withdraw',
        from: ['received', 'in_review'],
        to: 'withdrawn',
        label: { de: 'Antrag zurückziehen', en: 'Withdraw the application' },
        allowed: ['applicant'],
        effects: [],
        publicEvent: { de: 'Sie haben den Antrag zurückgezogen.', en: 'You withdrew the application.' },
      },
    ],
  },
  documents: wohngeldDocuments,
};
