import type { ServiceDefinition } from '../../catalogue/service-definition.ts';
import { formatIsoDate } from '../../platform/i18n/time.ts';
import { MAX_CUBIC_METRES, MAX_DAYS_AHEAD, pickupDateRefusal, validateItemsPage, validateWindowPage, wantsOther, windowNotice } from './rules.ts';

const ITEMS = [
  { value: 'furniture', label: { de: 'Möbel, z. B. Schrank, Sofa, Tisch, Stühle', en: 'Furniture, e.g. wardrobe, sofa, table, chairs' } },
  { value: 'mattresses', label: { de: 'Matratzen, Lattenroste', en: 'Mattresses, slatted frames' } },
  { value: 'carpets', label: { de: 'Teppiche, Bodenbeläge (gerollt)', en: 'Carpets, floor coverings (rolled up)' } },
  { value: 'bikes', label: { de: 'Fahrräder, Kinderwagen', en: 'Bicycles, prams' } },
  { value: 'garden', label: { de: 'Gartenmöbel', en: 'Garden furniture' } },
  { value: 'other', label: { de: 'Etwas anderes', en: 'Something else' } },
] as const;

/**
 * Sperrmüll: bulky household waste collected at the door. No account needed (identity level none),
 * like a phone call to the waste service. Free of charge: (unverified) in Halle the pick-up is
 * covered by the waste fee; a city that charges sets `feeCents` here.
 */
export const sperrmuell: ServiceDefinition = {
  id: 'sperrmuell',
  version: 1,
  leikaKey: '99127013000000', // (unverified) a city can correct it without touching the process
  title: { de: 'Sperrmüll abholen lassen', en: 'Book a bulky waste pick-up' },
  summary: {
    de: 'Alte Möbel, Matratzen oder Teppiche, die nicht in die Tonne passen? Wir holen sie vor Ihrem Haus ab. Kostenlos, ohne Konto.',
    en: 'Old furniture, mattresses or carpets that do not fit in the bin? We collect them in front of your building. Free, no account needed.',
  },
  topic: 'alltag',
  keywords: [
    'sperrmüll',
    'sperrmuell',
    'müll',
    'abfall',
    'möbel',
    'sofa',
    'couch',
    'schrank',
    'matratze',
    'entsorgen',
    'abholen',
    'wegwerfen',
    'entrümpeln',
    'umziehen',
    'umzug',
    'bulky waste',
    'furniture',
    'rubbish',
  ],
  identityLevel: 'none',
  feeCents: 0,
  receivingDepartment: 'stadtwirtschaft',
  retention: 'P1Y', // (unverified) nothing is decided, the file only documents the pick-up
  applicantEmailField: 'email',
  applicantNameField: 'name',
  caseSummary: (d, lang) => `${String(d.volume ?? '?')} m³, ${formatIsoDate(String(d.windowFrom ?? ''), lang)} – ${formatIsoDate(String(d.windowTo ?? ''), lang)}`,
  pages: [
    {
      id: 'adresse',
      title: { de: 'Wo sollen wir abholen?', en: 'Where should we collect?' },
      fields: [
        { id: 'name', type: 'text', label: { de: 'Vor- und Nachname', en: 'Full name' }, required: true, maxLength: 200, autocomplete: 'name' },
        { id: 'street', type: 'text', label: { de: 'Straße und Hausnummer', en: 'Street and house number' }, required: true, maxLength: 200, autocomplete: 'street-address' },
        { id: 'postcode', type: 'postcode', label: { de: 'Postleitzahl', en: 'Postcode' }, required: true, maxLength: 5, autocomplete: 'postal-code' },
        { id: 'town', type: 'text', label: { de: 'Ort', en: 'Town' }, required: true, maxLength: 100, autocomplete: 'address-level2' },
        {
          id: 'placement',
          type: 'textarea',
          label: { de: 'Hinweise zum Standort (freiwillig)', en: 'Notes on the place (optional)' },
          hint: { de: 'Zum Beispiel: Zufahrt über den Hof, Einfahrt 2.', en: 'For example: access through the courtyard, gate 2.' },
          maxLength: 1000,
        },
        {
          id: 'email',
          type: 'email',
          label: { de: 'E-Mail-Adresse', en: 'Email address' },
          hint: { de: 'Hierhin senden wir die Bestätigung und den Abholtag.', en: 'We send the confirmation and the pick-up day here.' },
          required: true,
          maxLength: 254,
          autocomplete: 'email',
        },
        { id: 'phone', type: 'tel', label: { de: 'Telefonnummer (freiwillig)', en: 'Phone number (optional)' }, maxLength: 30, autocomplete: 'tel' },
      ],
    },
    {
      id: 'gegenstaende',
      title: { de: 'Was sollen wir abholen?', en: 'What should we collect?' },
      intro: {
        de: 'Sperrmüll sind große Gegenstände aus dem Haushalt. Nicht dazu gehören Elektrogeräte, Bauschutt, Autoreifen und Farben – dafür gibt es eigene Wege.',
        en: 'Bulky waste means large household items. It does not include electrical appliances, rubble, car tyres or paint – these are collected separately.',
      },
      fields: [
        { id: 'items', type: 'checkboxes', label: { de: 'Gegenstände', en: 'Items' }, required: true, choices: ITEMS },
        {
          id: 'itemsOther',
          type: 'textarea',
          label: { de: 'Was genau?', en: 'What exactly?' },
          hint: { de: 'Zum Beispiel: ein Bettgestell aus Metall.', en: 'For example: a metal bed frame.' },
          required: true,
          maxLength: 1000,
          when: wantsOther,
        },
        {
          id: 'volume',
          type: 'integer',
          label: { de: 'Ungefähre Menge in Kubikmetern', en: 'Approximate amount in cubic metres' },
          hint: {
            de: `Ein großer Kleiderschrank ist etwa 2 Kubikmeter, ein Sofa etwa 1 Kubikmeter. Höchstens ${MAX_CUBIC_METRES} Kubikmeter pro Abholung.`,
            en: `A large wardrobe is about 2 cubic metres, a sofa about 1 cubic metre. At most ${MAX_CUBIC_METRES} cubic metres per pick-up.`,
          },
          required: true,
          min: 1,
          max: 100,
        },
      ],
      validate: validateItemsPage,
    },
    {
      id: 'termin',
      title: { de: 'In welchem Zeitraum passt die Abholung?', en: 'When would the pick-up suit you?' },
      fields: [
        { id: 'windowFrom', type: 'date', label: { de: 'Frühestens am', en: 'Not before' }, hint: { de: 'Zum Beispiel 07.12.2026', en: 'For example 07.12.2026' }, required: true },
        { id: 'windowTo', type: 'date', label: { de: 'Spätestens am', en: 'Not after' }, required: true },
      ],
      notices: (_data, ctx) => [windowNotice(ctx)],
      validate: validateWindowPage,
    },
  ],
  process: {
    initial: 'received',
    onSubmit: ['send_receipt'],
    states: [
      {
        id: 'received',
        publicLabel: { de: 'Eingegangen', en: 'Received' },
        next: { de: 'Wir planen die Abholung in Ihrem Zeitraum und teilen Ihnen den Abholtag mit.', en: 'We will plan the pick-up within your period and tell you the day.' },
        expectedDuration: 'P3D',
      },
      {
        id: 'scheduled',
        publicLabel: { de: 'Abholtag steht fest', en: 'Pick-up day set' },
        next: {
          de: 'Stellen Sie die Sachen am Abend vor dem Abholtag ab 18 Uhr an den Straßenrand vor Ihrem Haus, ohne Geh- oder Radweg zu versperren.',
          en: 'Put the items at the roadside in front of your building from 6 pm on the evening before the pick-up day, without blocking the pavement or cycle path.',
        },
        // The pick-up day lies within the citizen's window, at most MAX_DAYS_AHEAD days away; a
        // shorter estimate would escalate cases whose day simply has not come yet (ADR 0020).
        expectedDuration: `P${MAX_DAYS_AHEAD}D`,
      },
      {
        id: 'done',
        publicLabel: { de: 'Abgeholt', en: 'Collected' },
        next: { de: 'Ihr Sperrmüll wurde abgeholt. Es ist nichts weiter zu tun.', en: 'Your bulky waste has been collected. Nothing else needs to be done.' },
        final: true,
      },
      {
        id: 'rejected',
        publicLabel: { de: 'Nicht möglich', en: 'Not possible' },
        next: { de: 'Wir können diese Abholung nicht übernehmen. Den Grund und andere Wege lesen Sie unten.', en: 'We cannot do this pick-up. The reason and other options are shown below.' },
        final: true,
      },
      {
        id: 'withdrawn',
        publicLabel: { de: 'Abgesagt', en: 'Cancelled' },
        next: { de: 'Sie haben die Abholung abgesagt. Es ist nichts weiter zu tun.', en: 'You cancelled the pick-up. Nothing else needs to be done.' },
        final: true,
      },
    ],
    transitions: [
      {
        id: 'schedule',
        from: ['received'],
        to: 'scheduled',
        label: { de: 'Abholtag festlegen', en: 'Set the pick-up day' },
        allowed: ['clerk', 'supervisor'],
        inputs: [
          { id: 'pickupDate', label: { de: 'Abholtag (z. B. 14.12.2026)', en: 'Pick-up day (e.g. 14.12.2026)' }, publicLabel: { de: 'Abholtag', en: 'Pick-up day' }, type: 'date', required: true, maxLength: 10, public: true },
        ],
        guard: ({ input, now }) => pickupDateRefusal(input, now),
        effects: ['notify_applicant'],
        publicEvent: { de: 'Der Abholtag steht fest.', en: 'The pick-up day is set.' },
      },
      {
        id: 'complete',
        from: ['scheduled'],
        to: 'done',
        label: { de: 'Als abgeholt markieren', en: 'Mark as collected' },
        allowed: ['clerk', 'supervisor'],
        inputs: [{ id: 'remarks', label: { de: 'Hinweis (freiwillig)', en: 'Remark (optional)' }, publicLabel: { de: 'Hinweis', en: 'Remark' }, type: 'textarea', required: false, maxLength: 2000, public: true }],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Der Sperrmüll wurde abgeholt.', en: 'The bulky waste was collected.' },
      },
      {
        id: 'reject',
        from: ['received'],
        to: 'rejected',
        label: { de: 'Abholung ablehnen', en: 'Refuse the pick-up' },
        allowed: ['clerk', 'supervisor'],
        inputs: [{ id: 'reason', label: { de: 'Begründung und andere Wege', en: 'Reason and other options' }, type: 'textarea', required: true, maxLength: 4000, public: true }],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Die Abholung ist so nicht möglich.', en: 'The pick-up is not possible as requested.' },
      },
      {
        id: 'withdraw',
        from: ['received', 'scheduled'],
        to: 'withdrawn',
        label: { de: 'Abholung absagen', en: 'Cancel the pick-up' },
        allowed: ['applicant'],
        effects: [],
        publicEvent: { de: 'Sie haben die Abholung abgesagt.', en: 'You cancelled the pick-up.' },
      },
    ],
  },
};
