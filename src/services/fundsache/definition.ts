import type { ServiceDefinition } from '../../catalogue/service-definition.ts';
import { findersRightsNotice, isFound, isLost, keepingPeriodGuard, KEEP_MONTHS, lostIdCardNotice, validateWhenWherePage } from './rules.ts';

const KINDS = [
  { value: 'lost', label: { de: 'Ich habe etwas verloren (Verlustmeldung)', en: 'I have lost something (loss report)' } },
  { value: 'found', label: { de: 'Ich habe etwas gefunden (Fundanzeige)', en: 'I have found something (report a find)' } },
] as const;

const CATEGORIES = [
  { value: 'idcard', label: { de: 'Ausweis/Personalausweis, Reisepass, Führerschein', en: 'ID card, passport, driving licence' } },
  { value: 'wallet', label: { de: 'Geldbörse, Portemonnaie', en: 'Wallet, purse' } },
  { value: 'keys', label: { de: 'Schlüssel', en: 'Keys' } },
  { value: 'phone', label: { de: 'Handy, Smartphone, Tablet', en: 'Mobile phone, smartphone, tablet' } },
  { value: 'bicycle', label: { de: 'Fahrrad', en: 'Bicycle' } },
  { value: 'bag', label: { de: 'Tasche, Rucksack, Koffer', en: 'Bag, backpack, suitcase' } },
  { value: 'jewellery', label: { de: 'Schmuck, Uhr', en: 'Jewellery, watch' } },
  { value: 'clothing', label: { de: 'Kleidung, Brille', en: 'Clothing, glasses' } },
  { value: 'other', label: { de: 'Sonstiges', en: 'Something else' } },
] as const;

const yesNo = [
  { value: 'yes', label: { de: 'Ja', en: 'Yes' } },
  { value: 'no', label: { de: 'Nein', en: 'No' } },
] as const;

/**
 * Fundsache: a Verlustmeldung (loss report) or Fundanzeige (report of a find, §§ 965 ff. BGB) at
 * the Fundbüro. No account needed; the status reaches the applicant by e-mail. Halle's Fundbüro
 * is part of Citizen Services here (unverified); the city configuration can route it elsewhere.
 */
export const fundsache: ServiceDefinition = {
  id: 'fundsache',
  version: 1,
  leikaKey: '99031004000000', // (unverified) a city can correct it without touching the process
  title: { de: 'Fundbüro: Verlust oder Fund melden', en: 'Lost property office: report a loss or a find' },
  summary: {
    de: 'Etwas verloren oder gefunden? Melden Sie es dem Fundbüro. Wir vergleichen Verlust- und Fundmeldungen und sagen Ihnen Bescheid, wenn etwas passt. Kostenlos, ohne Konto.',
    en: 'Lost or found something? Tell the lost property office. We compare loss reports with finds and let you know when something matches. Free, no account needed.',
  },
  topic: 'alltag',
  keywords: [
    'fundbüro',
    'fundbuero',
    'fundsache',
    'verloren',
    'verlust',
    'verlustmeldung',
    'gefunden',
    'fund',
    'fundanzeige',
    'ausweis',
    'ausweis verloren',
    'personalausweis',
    'reisepass',
    'führerschein',
    'geldbörse',
    'portemonnaie',
    'brieftasche',
    'schlüssel',
    'schlüssel verloren',
    'handy',
    'smartphone',
    'fahrrad',
    'tasche',
    'rucksack',
    'lost',
    'found',
    'lost property',
  ],
  identityLevel: 'none',
  feeCents: 0,
  receivingDepartment: 'buergerservice',
  // (unverified) the keeping period plus time for questions and the finder's claims.
  retention: 'P2Y',
  applicantEmailField: 'email',
  applicantNameField: 'name',
  caseSummary: (d, lang) => {
    const kind = KINDS.find((k) => k.value === d.reportKind);
    const category = CATEGORIES.find((c) => c.value === d.category)?.label[lang] ?? '';
    const word = kind?.value === 'found' ? (lang === 'de' ? 'Fund' : 'Find') : lang === 'de' ? 'Verlust' : 'Loss';
    return `${word}: ${category}`;
  },
  pages: [
    {
      id: 'art',
      title: { de: 'Was möchten Sie melden?', en: 'What would you like to report?' },
      fields: [{ id: 'reportKind', type: 'radio', label: { de: 'Art der Meldung', en: 'Kind of report' }, required: true, choices: KINDS }],
    },
    {
      id: 'gegenstand',
      title: { de: 'Um welchen Gegenstand geht es?', en: 'Which item is it?' },
      fields: [
        { id: 'category', type: 'radio', label: { de: 'Art des Gegenstands', en: 'Kind of item' }, required: true, choices: CATEGORIES },
        {
          id: 'description',
          type: 'textarea',
          label: { de: 'Beschreibung', en: 'Description' },
          hint: {
            de: 'Farbe, Marke, besondere Merkmale, Inhalt. Bei einer Fundanzeige: keine Geheimzahlen oder Kartennummern, damit nur die Eigentümerin oder der Eigentümer den Gegenstand genau beschreiben kann.',
            en: 'Colour, make, special features, contents. When reporting a find: no PINs or card numbers, so that only the owner can describe the item exactly.',
          },
          required: true,
          minLength: 5,
          maxLength: 2000,
        },
        {
          id: 'frameNumber',
          type: 'text',
          label: { de: 'Rahmennummer oder Codierung des Fahrrads (freiwillig)', en: 'Frame number or code of the bicycle (optional)' },
          maxLength: 50,
          when: (d) => d.category === 'bicycle',
        },
      ],
    },
    {
      id: 'wann-wo',
      title: { de: 'Wann und wo?', en: 'When and where?' },
      fields: [
        { id: 'lostDate', type: 'date', label: { de: 'Wann haben Sie den Gegenstand verloren?', en: 'When did you lose the item?' }, hint: { de: 'Ungefähr, zum Beispiel 17.05.2027', en: 'Roughly, for example 17.05.2027' }, required: true, when: isLost },
        { id: 'foundDate', type: 'date', label: { de: 'Wann haben Sie den Gegenstand gefunden?', en: 'When did you find the item?' }, hint: { de: 'Zum Beispiel 17.05.2027', en: 'For example 17.05.2027' }, required: true, when: isFound },
        {
          id: 'place',
          type: 'text',
          label: { de: 'Wo? (Straße, Platz, Haltestelle oder Straßenbahnlinie)', en: 'Where? (street, square, stop or tram line)' },
          hint: { de: 'So genau wie möglich. Wenn Sie es nicht wissen: den Weg, den Sie gegangen sind.', en: "As precisely as you can. If you don't know: the way you went." },
          required: true,
          maxLength: 300,
        },
        {
          id: 'itemWhereabouts',
          type: 'radio',
          label: { de: 'Wo ist der Gegenstand jetzt?', en: 'Where is the item now?' },
          required: true,
          choices: [
            { value: 'withFinder', label: { de: 'Bei mir – ich bringe ihn zum Fundbüro', en: 'With me: I will bring it to the lost property office' } },
            { value: 'handedIn', label: { de: 'Schon im Fundbüro abgegeben', en: 'Already handed in at the lost property office' } },
            { value: 'elsewhere', label: { de: 'Woanders abgegeben (zum Beispiel Polizei, Verkehrsbetrieb)', en: 'Handed in elsewhere (for example police, transport company)' } },
          ],
          when: isFound,
        },
        {
          id: 'ownershipClaim',
          type: 'radio',
          label: { de: 'Möchten Sie den Gegenstand erhalten, falls sich niemand meldet?', en: 'Would you like to have the item if nobody comes forward?' },
          required: true,
          choices: yesNo,
          when: isFound,
        },
      ],
      // Notices stand on the page after the answer they depend on: a page that reveals no field
      // moves on at once, so a notice about its own answers would never be seen.
      notices: (d) => (isFound(d) ? [findersRightsNotice] : d.category === 'idcard' ? [lostIdCardNotice] : []),
      validate: validateWhenWherePage,
    },
    {
      id: 'kontakt',
      title: { de: 'Wie erreichen wir Sie?', en: 'How can we reach you?' },
      intro: {
        de: 'Wir melden uns nur, wenn es Neuigkeiten zu Ihrer Meldung gibt.',
        en: 'We only contact you when there is news about your report.',
      },
      fields: [
        { id: 'name', type: 'text', label: { de: 'Vor- und Nachname', en: 'Full name' }, required: true, maxLength: 200, autocomplete: 'name' },
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
        next: { de: 'Das Fundbüro nimmt Ihre Meldung auf.', en: 'The lost property office records your report.' },
        expectedDuration: 'P3D',
      },
      {
        id: 'registered',
        publicLabel: { de: 'Im Fundbüro erfasst', en: 'Recorded at the lost property office' },
        next: {
          de: `Das Fundbüro vergleicht Ihre Meldung mit den Verlust- und Fundmeldungen. Passt etwas, melden wir uns. Fundsachen werden ${KEEP_MONTHS} Monate aufbewahrt.`,
          en: `The lost property office compares your report with the loss reports and finds. If something matches, we will contact you. Found items are kept for ${KEEP_MONTHS} months.`,
        },
        expectedDuration: 'P180D',
      },
      {
        id: 'match_found',
        publicLabel: { de: 'Passende Meldung gefunden', en: 'Matching report found' },
        next: {
          de: 'Es gibt eine passende Meldung. Wie es weitergeht, steht in der Nachricht unten. Zur Abholung bringen Sie bitte einen Ausweis mit.',
          en: 'There is a matching report. The message below says what happens next. Please bring an ID document when you collect the item.',
        },
        expectedDuration: 'P14D',
      },
      {
        id: 'handed_over',
        publicLabel: { de: 'Übergeben', en: 'Handed over' },
        next: { de: 'Der Gegenstand wurde übergeben. Es ist nichts weiter zu tun.', en: 'The item was handed over. Nothing else needs to be done.' },
        final: true,
      },
      {
        id: 'not_found',
        publicLabel: { de: 'Abgeschlossen ohne passende Meldung', en: 'Closed without a match' },
        next: {
          de: `In ${KEEP_MONTHS} Monaten hat sich nichts Passendes gefunden. Haben Sie etwas gefunden und möchten es behalten, meldet sich das Fundbüro wegen der Abholung.`,
          en: `Nothing matching turned up within ${KEEP_MONTHS} months. If you found something and want to keep it, the lost property office will contact you about collecting it.`,
        },
        final: true,
      },
      {
        id: 'withdrawn',
        publicLabel: { de: 'Zurückgezogen', en: 'Withdrawn' },
        next: { de: 'Sie haben die Meldung zurückgezogen, zum Beispiel weil der Gegenstand wieder da ist. Es ist nichts weiter zu tun.', en: 'You withdrew the report, for example because the item turned up. Nothing else needs to be done.' },
        final: true,
      },
    ],
    transitions: [
      {
        id: 'register',
        from: ['received'],
        to: 'registered',
        label: { de: 'Im Fundbuch erfassen', en: 'Record in the lost property register' },
        allowed: ['clerk', 'supervisor'],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Ihre Meldung wurde im Fundbüro erfasst.', en: 'Your report was recorded at the lost property office.' },
      },
      {
        id: 'report_match',
        from: ['received', 'registered'],
        to: 'match_found',
        label: { de: 'Passende Meldung mitteilen', en: 'Tell about a matching report' },
        allowed: ['clerk', 'supervisor'],
        inputs: [
          {
            id: 'message',
            label: { de: 'Nachricht (wo und wann abholen oder abgeben)', en: 'Message (where and when to collect or hand in)' },
            publicLabel: { de: 'Nachricht des Fundbüros', en: 'Message from the lost property office' },
            type: 'textarea',
            required: true,
            maxLength: 2000,
            public: true,
          },
        ],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Es gibt eine passende Meldung.', en: 'There is a matching report.' },
      },
      {
        id: 'no_match_after_all',
        from: ['match_found'],
        to: 'registered',
        label: { de: 'Doch nicht passend – weiter suchen', en: 'Not a match after all: keep looking' },
        allowed: ['clerk', 'supervisor'],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Die Meldung passte doch nicht. Wir suchen weiter.', en: 'The report did not match after all. We keep looking.' },
      },
      {
        id: 'hand_over',
        from: ['match_found'],
        to: 'handed_over',
        label: { de: 'Übergabe vermerken', en: 'Record the handover' },
        allowed: ['clerk', 'supervisor'],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Der Gegenstand wurde übergeben.', en: 'The item was handed over.' },
      },
      {
        id: 'close_not_found',
        from: ['registered'],
        to: 'not_found',
        label: { de: 'Nach Ablauf der Frist ohne Ergebnis abschließen', en: 'Close without a result after the period' },
        allowed: ['clerk', 'supervisor'],
        guard: keepingPeriodGuard,
        effects: ['notify_applicant'],
        publicEvent: { de: 'Die Meldung wurde ohne passendes Ergebnis abgeschlossen.', en: 'The report was closed without a match.' },
      },
      {
        id: 'withdraw',
        from: ['received', 'registered', 'match_found'],
        to: 'withdrawn',
        label: { de: 'Meldung zurückziehen', en: 'Withdraw the report' },
        allowed: ['applicant'],
        effects: [],
        publicEvent: { de: 'Sie haben die Meldung zurückgezogen.', en: 'You withdrew the report.' },
      },
    ],
  },
};
