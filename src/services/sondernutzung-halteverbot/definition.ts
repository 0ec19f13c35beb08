import type { ServiceDefinition } from '../../catalogue/service-definition.ts';
import { formatIsoDate } from '../../platform/i18n/time.ts';
import { halteverbotDocuments } from './documents.ts';
import { halteverbotFee, leadTimeNotice, LOWEST_FEE_CENTS, MAX_METRES, MIN_METRES, validateWhenPage } from './rules.ts';

const REASONS = [
  { value: 'umzug', label: { de: 'Umzug (Umzugswagen)', en: 'Moving house (removal van)' } },
  { value: 'lieferung', label: { de: 'Anlieferung, z. B. Möbel oder Baustoffe', en: 'Delivery, e.g. furniture or building materials' } },
  { value: 'sonstiges', label: { de: 'Etwas anderes', en: 'Something else' } },
] as const;

/**
 * Sondernutzung öffentlicher Straßen: a temporary no-parking zone (Halteverbot), above all for a
 * moving van. No account needed (identity level none): anyone may apply, often a removal firm for
 * its customer, and the fee and the order are addressed to whoever applies. The lead time, limits
 * and fee are (unverified) defaults in `rules.ts`.
 */
export const sondernutzungHalteverbot: ServiceDefinition = {
  id: 'sondernutzung-halteverbot',
  version: 1,
  leikaKey: '99066015000000', // (unverified) a city can correct it without touching the process
  title: { de: 'Halteverbot für den Umzug beantragen', en: 'Apply for a no-parking zone for a move' },
  summary: {
    de: 'Sie ziehen um oder bekommen eine große Lieferung? Beantragen Sie ein vorübergehendes Halteverbot vor dem Haus, damit der Umzugswagen Platz hat – mindestens 10 Arbeitstage vorher.',
    en: 'Moving house or getting a large delivery? Apply for a temporary no-parking zone in front of the building so the removal van has room – at least 10 working days ahead.',
  },
  topic: 'wohnen',
  keywords: [
    'halteverbot',
    'halteverbotszone',
    'umzugswagen',
    'parkverbot',
    'umziehen',
    'umzug',
    'umzugsauto',
    'möbelwagen',
    'lkw',
    'sondernutzung',
    'straße',
    'schilder',
    'moving',
    'removal van',
    'no parking',
  ],
  identityLevel: 'none',
  feeCents: LOWEST_FEE_CENTS,
  fee: (data) => halteverbotFee(data),
  receivingDepartment: 'ordnungsamt',
  retention: 'P3Y', // (unverified)
  applicantEmailField: 'email',
  applicantNameField: 'applicantName',
  caseSummary: (d, lang) => {
    const reason = REASONS.find((r) => r.value === d.reason)?.label[lang] ?? '';
    return `${reason}, ${formatIsoDate(String(d.startDate ?? ''), lang)}, ${String(d.lengthMetres ?? '?')} m`;
  },
  pages: [
    {
      id: 'antragsteller',
      title: { de: 'Wer beantragt das Halteverbot?', en: 'Who is applying for the no-parking zone?' },
      intro: {
        de: 'Das kann die Person sein, die umzieht, oder die Umzugsfirma. An sie richten sich die Erlaubnis und die Gebühr.',
        en: 'This can be the person moving or the removal firm. The permit and the fee are addressed to them.',
      },
      fields: [
        { id: 'applicantName', type: 'text', label: { de: 'Vor- und Nachname', en: 'Full name' }, required: true, maxLength: 200, autocomplete: 'name' },
        { id: 'organisation', type: 'text', label: { de: 'Firma (falls zutreffend)', en: 'Company (if any)' }, maxLength: 200, autocomplete: 'organization' },
        { id: 'street', type: 'text', label: { de: 'Straße und Hausnummer', en: 'Street and house number' }, required: true, maxLength: 200, autocomplete: 'street-address' },
        { id: 'postcode', type: 'postcode', label: { de: 'Postleitzahl', en: 'Postcode' }, required: true, maxLength: 5, autocomplete: 'postal-code' },
        { id: 'town', type: 'text', label: { de: 'Ort', en: 'Town' }, required: true, maxLength: 100, autocomplete: 'address-level2' },
        {
          id: 'email',
          type: 'email',
          label: { de: 'E-Mail-Adresse', en: 'Email address' },
          hint: { de: 'Hierhin senden wir die Eingangsbestätigung und die Anordnung.', en: 'We send the receipt and the traffic order here.' },
          required: true,
          maxLength: 254,
          autocomplete: 'email',
        },
        {
          id: 'phone',
          type: 'tel',
          label: { de: 'Telefonnummer', en: 'Phone number' },
          hint: { de: 'Für Rückfragen zum Ort, z. B. 0345 123456.', en: 'In case we have questions about the place, e.g. 0345 123456.' },
          required: true,
          maxLength: 30,
          autocomplete: 'tel',
        },
      ],
    },
    {
      id: 'ort',
      title: { de: 'Wo soll das Halteverbot sein?', en: 'Where should the no-parking zone be?' },
      fields: [
        {
          id: 'placeStreet',
          type: 'text',
          label: { de: 'Straße und Hausnummer', en: 'Street and house number' },
          hint: { de: 'Vor welchem Haus soll der Wagen halten?', en: 'In front of which building should the van stop?' },
          required: true,
          maxLength: 200,
        },
        { id: 'placePostcode', type: 'postcode', label: { de: 'Postleitzahl', en: 'Postcode' }, required: true, maxLength: 5 },
        {
          id: 'placeDetails',
          type: 'textarea',
          label: { de: 'Genauere Lage (freiwillig)', en: 'Exact position (optional)' },
          hint: { de: 'Zum Beispiel: Straßenseite mit den geraden Hausnummern, vor Nr. 12 bis 14.', en: 'For example: the side with even house numbers, in front of no. 12 to 14.' },
          maxLength: 1000,
        },
        {
          id: 'lengthMetres',
          type: 'integer',
          label: { de: 'Länge in Metern', en: 'Length in metres' },
          hint: { de: 'Für einen Umzugswagen mit 7,5 Tonnen reichen meist 15 Meter.', en: 'For a 7.5-tonne removal van, 15 metres are usually enough.' },
          required: true,
          min: MIN_METRES,
          max: MAX_METRES,
        },
        { id: 'reason', type: 'radio', label: { de: 'Wofür brauchen Sie das Halteverbot?', en: 'What do you need the no-parking zone for?' }, required: true, choices: REASONS },
        {
          id: 'reasonOther',
          type: 'text',
          label: { de: 'Bitte beschreiben Sie den Anlass', en: 'Please describe the reason' },
          required: true,
          maxLength: 300,
          when: (d) => d.reason === 'sonstiges',
        },
        {
          id: 'sitePlan',
          type: 'file',
          label: { de: 'Skizze der Stelle (freiwillig)', en: 'Sketch of the place (optional)' },
          accept: ['application/pdf', 'image/jpeg', 'image/png'],
          maxBytes: 10 * 1024 * 1024,
        },
      ],
    },
    {
      id: 'zeit',
      title: { de: 'Wann brauchen Sie das Halteverbot?', en: 'When do you need the no-parking zone?' },
      fields: [
        { id: 'startDate', type: 'date', label: { de: 'Erster Tag', en: 'First day' }, hint: { de: 'Zum Beispiel 17.05.2027', en: 'For example 17.05.2027' }, required: true },
        {
          id: 'endDate',
          type: 'date',
          label: { de: 'Letzter Tag, falls länger als einen Tag (freiwillig)', en: 'Last day, if longer than one day (optional)' },
        },
        { id: 'fromTime', type: 'time', label: { de: 'Täglich von (Uhrzeit)', en: 'Each day from (time)' }, hint: { de: 'Zum Beispiel 07:00', en: 'For example 07:00' }, required: true },
        { id: 'toTime', type: 'time', label: { de: 'Täglich bis (Uhrzeit)', en: 'Each day until (time)' }, hint: { de: 'Zum Beispiel 18:00', en: 'For example 18:00' }, required: true },
      ],
      notices: (_data, ctx) => [leadTimeNotice(ctx)],
      validate: validateWhenPage,
    },
  ],
  process: {
    initial: 'received',
    onSubmit: ['send_receipt', 'issue_documents'],
    states: [
      {
        id: 'received',
        publicLabel: { de: 'Eingegangen', en: 'Received' },
        next: { de: 'Wir prüfen, ob an dieser Stelle ein Halteverbot möglich ist. Bitte stellen Sie noch keine Schilder auf.', en: 'We check whether a no-parking zone is possible there. Please do not put up any signs yet.' },
        expectedDuration: 'P2D',
      },
      {
        id: 'in_review',
        publicLabel: { de: 'In Prüfung', en: 'Under review' },
        next: { de: 'Sie bekommen die Anordnung mit den Auflagen zum Aufstellen der Schilder, oder wir melden uns bei Fragen.', en: 'You will receive the traffic order with the conditions for putting up the signs, or we will contact you with questions.' },
        expectedDuration: 'P5D',
      },
      {
        id: 'approved',
        publicLabel: { de: 'Genehmigt', en: 'Approved' },
        next: {
          de: 'Die Anordnung liegt unten zum Herunterladen bereit. Lassen Sie die Schilder mindestens 72 Stunden vorher aufstellen und die dann parkenden Autos notieren. Führen Sie die Anordnung am Umzugstag mit.',
          en: 'The traffic order is ready to download below. Have the signs put up at least 72 hours before and the cars then parked noted down. Carry the order with you on the day.',
        },
        final: true,
      },
      {
        id: 'rejected',
        publicLabel: { de: 'Abgelehnt', en: 'Refused' },
        next: { de: 'An dieser Stelle ist kein Halteverbot möglich. Den Grund lesen Sie unten und im Bescheid.', en: 'A no-parking zone is not possible there. The reason is shown below and in the decision.' },
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
        label: { de: 'Prüfung beginnen', en: 'Start review' },
        allowed: ['clerk', 'supervisor'],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Die Prüfung hat begonnen.', en: 'The review has started.' },
      },
      {
        id: 'approve',
        from: ['in_review'],
        to: 'approved',
        label: { de: 'Genehmigen und anordnen', en: 'Approve and issue the order' },
        allowed: ['clerk', 'supervisor'],
        inputs: [
          {
            id: 'conditions',
            label: { de: 'Weitere Auflagen und Hinweise (freiwillig)', en: 'Further conditions and remarks (optional)' },
            publicLabel: { de: 'Auflagen und Hinweise', en: 'Conditions and remarks' },
            type: 'textarea',
            required: false,
            maxLength: 4000,
            public: true,
          },
        ],
        effects: ['notify_applicant', 'issue_documents'],
        publicEvent: { de: 'Das Halteverbot wurde genehmigt.', en: 'The no-parking zone was approved.' },
      },
      {
        id: 'reject',
        from: ['received', 'in_review'],
        to: 'rejected',
        label: { de: 'Ablehnen', en: 'Refuse' },
        allowed: ['clerk', 'supervisor'],
        inputs: [{ id: 'reason', label: { de: 'Begründung', en: 'Reason' }, type: 'textarea', required: true, maxLength: 4000, public: true }],
        effects: ['notify_applicant', 'issue_documents'],
        publicEvent: { de: 'Der Antrag wurde abgelehnt.', en: 'The application was refused.' },
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
  documents: halteverbotDocuments,
};
