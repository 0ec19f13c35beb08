import type { FormData, RequiredDocument, RuleContext, ServiceDefinition, Text } from '../../catalogue/service-definition.ts';
import { formatIsoDate } from '../../platform/i18n/time.ts';
import { validateWishPage, weddingFee } from './rules.ts';

const yesNo = [
  { value: 'yes', label: { de: 'Ja', en: 'Yes' } },
  { value: 'no', label: { de: 'Nein', en: 'No' } },
] as const;

const doc = (de: string, en: string, hint?: Text): RequiredDocument => ({ label: { de, en }, ...(hint ? { hint } : {}) });
const list = (v: FormData[string] | undefined): string[] => (Array.isArray(v) ? v : typeof v === 'string' && v ? [v] : []);

/**
 * The documents the Standesamt asks for, by the couple's situation (*(unverified)* the usual
 * list of German registry offices; a city adapts it here): always ID and birth register
 * printouts, more after an earlier marriage, for children together, for foreign nationals and
 * for people who live elsewhere.
 */
export function weddingDocuments(d: FormData, _ctx: RuleContext): RequiredDocument[] {
  const docs: RequiredDocument[] = [
    doc('Gültiger Personalausweis oder Reisepass (beide)', 'Valid ID card or passport (both of you)'),
    doc('Beglaubigter Ausdruck aus dem Geburtenregister (beide, nicht älter als 6 Monate)', 'Certified extract from the birth register (both of you, not older than 6 months)', {
      de: 'beim Standesamt Ihres Geburtsorts, meist online bestellbar',
      en: 'from the registry office of your place of birth, usually to be ordered online',
    }),
  ];
  if (d.residence === 'elsewhere' || d.residence === 'abroad')
    docs.push(
      doc('Erweiterte Meldebescheinigung mit Familienstand und Staatsangehörigkeit (wer nicht in Halle wohnt)', 'Extended registration certificate with marital status and nationality (whoever does not live in Halle)', {
        de: 'von der Meldebehörde Ihres Wohnorts',
        en: 'from the registration office where you live',
      }),
    );
  const earlier = list(d.previousMarriage);
  if (earlier.includes('divorced'))
    docs.push(
      doc('Eheurkunde oder Lebenspartnerschaftsurkunde der früheren Ehe mit Auflösungsvermerk, oder das rechtskräftige Scheidungsurteil', 'Marriage or civil partnership certificate of the earlier marriage with the note of its dissolution, or the final divorce decree'),
    );
  if (earlier.includes('widowed')) docs.push(doc('Sterbeurkunde der früheren Ehegattin oder des früheren Ehegatten', 'Death certificate of the former spouse'));
  if (d.commonChildren === 'yes')
    docs.push(doc('Geburtsurkunden der gemeinsamen Kinder und gegebenenfalls die Vaterschaftsanerkennung', 'Birth certificates of your children together and, where there is one, the acknowledgement of paternity'));
  if (d.nationality === 'foreign')
    docs.push(
      doc('Ehefähigkeitszeugnis des Heimatstaats oder die Befreiung davon durch das Oberlandesgericht', "Certificate of no impediment from the home country, or an exemption from the Higher Regional Court", {
        de: 'das Standesamt berät Sie dazu beim Termin; ausländische Urkunden mit Übersetzung und gegebenenfalls Apostille',
        en: 'the registry office advises you at the appointment; foreign documents with translation and, where required, an apostille',
      }),
    );
  if (d.bornAbroad === 'yes') docs.push(doc('Ausländische Geburtsurkunde mit beglaubigter Übersetzung (wer im Ausland geboren ist)', 'Foreign birth certificate with a certified translation (whoever was born abroad)'));
  return docs;
}

/**
 * Eheschließung: the one matter that stays in person (DOMAIN.md). Online: which documents the
 * couple needs for their situation, the appointment for registering the intent to marry
 * (Anmeldung der Eheschließung) at the Standesamt, and the wish for the wedding date, which the
 * Standesamt reserves after the registration.
 */
export const eheschliessung: ServiceDefinition = {
  id: 'eheschliessung',
  version: 1,
  leikaKey: '99126001000000', // (unverified) Anmeldung der Eheschließung; a city can correct it
  title: { de: 'Eheschließung anmelden', en: 'Register your intent to marry' },
  summary: {
    de: 'Heiraten in Halle: Sehen Sie, welche Unterlagen Sie beide brauchen, buchen Sie den Termin zur Anmeldung der Eheschließung beim Standesamt und nennen Sie Ihren Wunschtermin für die Trauung. Die Trauung selbst findet persönlich statt.',
    en: 'Getting married in Halle: see which documents you both need, book the appointment to register your intent to marry at the registry office and name your preferred wedding date. The wedding itself takes place in person.',
  },
  topic: 'familie',
  keywords: ['heiraten', 'hochzeit', 'ehe', 'trauung', 'standesamt', 'eheschliessung', 'trautermin', 'verheiraten', 'marry', 'wedding', 'marriage'],
  identityLevel: 'none',
  feeCents: 5500,
  fee: weddingFee,
  receivingDepartment: 'standesamt',
  retention: 'P2Y',
  applicantEmailField: 'email',
  applicantNameField: 'partner1Name',
  caseSummary: (d, lang) => `${lang === 'de' ? 'Wunschtermin' : 'Preferred date'} ${d.wishDate ? formatIsoDate(String(d.wishDate), lang) : '–'}`,
  requiredDocuments: weddingDocuments,
  pages: [
    {
      id: 'paar',
      title: { de: 'Wer möchte heiraten?', en: 'Who wants to marry?' },
      intro: {
        de: 'Eine oder einer von Ihnen beiden füllt das Formular für beide aus. Zur Anmeldung beim Standesamt kommen Sie beide.',
        en: 'One of you fills in the form for both of you. You both come to the registration at the registry office.',
      },
      fields: [
        { id: 'partner1Name', type: 'text', label: { de: 'Ihr Vor- und Nachname', en: 'Your full name' }, required: true, maxLength: 200, autocomplete: 'name' },
        { id: 'partner2Name', type: 'text', label: { de: 'Vor- und Nachname Ihrer Partnerin oder Ihres Partners', en: "Your partner's full name" }, required: true, maxLength: 200 },
        {
          id: 'email',
          type: 'email',
          label: { de: 'E-Mail-Adresse', en: 'Email address' },
          hint: { de: 'Hierhin senden wir die Bestätigung und die Terminerinnerung.', en: 'We send the confirmation and the appointment reminder here.' },
          required: true,
          maxLength: 254,
          autocomplete: 'email',
        },
        { id: 'phone', type: 'tel', label: { de: 'Telefonnummer (freiwillig)', en: 'Phone number (optional)' }, maxLength: 30, autocomplete: 'tel' },
      ],
    },
    {
      id: 'situation',
      title: { de: 'Ihre Situation', en: 'Your situation' },
      intro: {
        de: 'Danach richtet sich, welche Unterlagen Sie mitbringen. Sie sehen die Liste vor dem Absenden.',
        en: 'This decides which documents you bring. You see the list before sending.',
      },
      fields: [
        {
          id: 'residence',
          type: 'radio',
          label: { de: 'Wo wohnen Sie beide?', en: 'Where do you both live?' },
          required: true,
          choices: [
            { value: 'halle', label: { de: 'Beide in Halle (Saale)', en: 'Both in Halle (Saale)' } },
            { value: 'elsewhere', label: { de: 'Mindestens eine oder einer in einem anderen Ort in Deutschland', en: 'At least one of us elsewhere in Germany' } },
            { value: 'abroad', label: { de: 'Mindestens eine oder einer im Ausland', en: 'At least one of us abroad' } },
          ],
        },
        {
          id: 'nationality',
          type: 'radio',
          label: { de: 'Staatsangehörigkeit', en: 'Nationality' },
          required: true,
          choices: [
            { value: 'german', label: { de: 'Wir sind beide Deutsche', en: 'We are both German' } },
            { value: 'foreign', label: { de: 'Mindestens eine oder einer hat eine andere Staatsangehörigkeit', en: 'At least one of us has another nationality' } },
          ],
        },
        { id: 'bornAbroad', type: 'radio', label: { de: 'Ist eine oder einer von Ihnen im Ausland geboren?', en: 'Was one of you born abroad?' }, required: true, choices: yesNo },
        {
          id: 'previousMarriage',
          type: 'checkboxes',
          label: { de: 'Frühere Ehe oder Lebenspartnerschaft (freiwillig, falls zutreffend)', en: 'Earlier marriage or civil partnership (optional, if any)' },
          hint: { de: 'Kreuzen Sie an, was auf eine oder einen von Ihnen zutrifft.', en: 'Tick what applies to either of you.' },
          choices: [
            { value: 'divorced', label: { de: 'Geschieden oder aufgehoben', en: 'Divorced or dissolved' } },
            { value: 'widowed', label: { de: 'Verwitwet', en: 'Widowed' } },
          ],
        },
        { id: 'commonChildren', type: 'radio', label: { de: 'Haben Sie gemeinsame Kinder?', en: 'Do you have children together?' }, required: true, choices: yesNo },
      ],
    },
    {
      id: 'wunsch',
      title: { de: 'Ihr Wunsch für die Trauung', en: 'Your wish for the wedding' },
      intro: {
        de: 'Die Anmeldung gilt sechs Monate. Den Trautermin reserviert das Standesamt nach der Anmeldung; Ihren Wunsch berücksichtigen wir nach Möglichkeit.',
        en: 'The registration is valid for six months. The registry office reserves the wedding date after the registration and follows your wish where it can.',
      },
      fields: [
        { id: 'wishDate', type: 'date', label: { de: 'Wunschdatum der Trauung', en: 'Preferred wedding date' }, hint: { de: 'Zum Beispiel 12.06.2027', en: 'For example 12.06.2027' }, required: true },
        {
          id: 'venue',
          type: 'radio',
          label: { de: 'Ort der Trauung', en: 'Place of the wedding' },
          required: true,
          choices: [
            { value: 'standesamt', label: { de: 'Trauzimmer im Standesamt', en: 'Wedding room at the registry office' } },
            { value: 'special', label: { de: 'Besonderer Trauort der Stadt (gegen Aufpreis)', en: "One of the city's special wedding venues (extra fee)" } },
          ],
        },
        { id: 'guests', type: 'integer', label: { de: 'Ungefähre Zahl der Gäste', en: 'Approximate number of guests' }, required: true, min: 0, max: 200 },
      ],
      validate: validateWishPage,
    },
  ],
  process: {
    initial: 'received',
    onSubmit: ['send_receipt'],
    states: [
      {
        id: 'received',
        publicLabel: { de: 'Eingegangen – Termin buchen', en: 'Received – book your appointment' },
        next: {
          de: 'Buchen Sie unten den Termin zur Anmeldung der Eheschließung. Kommen Sie beide mit den Unterlagen aus der Liste.',
          en: 'Book the appointment for registering your intent to marry below. Come together and bring the documents on the list.',
        },
        expectedDuration: 'P30D',
      },
      {
        id: 'registered',
        publicLabel: { de: 'Anmeldung aufgenommen', en: 'Registration taken' },
        next: {
          de: 'Das Standesamt prüft, ob Sie heiraten dürfen, und reserviert Ihren Trautermin. Sie bekommen eine Nachricht.',
          en: 'The registry office checks that you may marry and reserves your wedding date. You will get a message.',
        },
        expectedDuration: 'P14D',
      },
      {
        id: 'wedding_scheduled',
        publicLabel: { de: 'Trautermin reserviert', en: 'Wedding date reserved' },
        next: {
          de: 'Ihr Trautermin steht unten. Bringen Sie zur Trauung Ihre Ausweise mit; Trauzeuginnen und Trauzeugen sind freiwillig.',
          en: 'Your wedding date is shown below. Bring your ID cards to the wedding; witnesses are optional.',
        },
        expectedDuration: 'P180D',
      },
      {
        id: 'married',
        publicLabel: { de: 'Getraut', en: 'Married' },
        next: { de: 'Herzlichen Glückwunsch! Ihre Eheurkunde erhalten Sie vom Standesamt.', en: 'Congratulations! The registry office gives you your marriage certificate.' },
        final: true,
      },
      {
        id: 'not_possible',
        publicLabel: { de: 'Anmeldung nicht möglich', en: 'Registration not possible' },
        next: {
          de: 'Die Eheschließung kann so nicht angemeldet werden. Den Grund finden Sie unten; das Standesamt berät Sie gern.',
          en: 'The marriage cannot be registered like this. The reason is shown below; the registry office is happy to advise you.',
        },
        final: true,
      },
      {
        id: 'withdrawn',
        publicLabel: { de: 'Zurückgezogen', en: 'Withdrawn' },
        next: { de: 'Sie haben die Anmeldung zurückgezogen. Es ist nichts weiter zu tun.', en: 'You withdrew the registration. Nothing else needs to be done.' },
        final: true,
      },
    ],
    transitions: [
      {
        id: 'record_registration',
        from: ['received'],
        to: 'registered',
        label: { de: 'Anmeldung aufgenommen', en: 'Registration taken' },
        allowed: ['clerk', 'supervisor'],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Das Standesamt hat Ihre Anmeldung aufgenommen.', en: 'The registry office took your registration.' },
      },
      {
        id: 'schedule_wedding',
        from: ['registered'],
        to: 'wedding_scheduled',
        label: { de: 'Trautermin reservieren', en: 'Reserve the wedding date' },
        allowed: ['clerk', 'supervisor'],
        inputs: [
          {
            id: 'weddingDate',
            label: { de: 'Trautermin (Datum, Uhrzeit, Ort)', en: 'Wedding date (date, time, place)' },
            publicLabel: { de: 'Ihr Trautermin', en: 'Your wedding date' },
            type: 'text',
            required: true,
            maxLength: 300,
            public: true,
          },
        ],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Ihr Trautermin ist reserviert.', en: 'Your wedding date is reserved.' },
      },
      {
        id: 'record_marriage',
        from: ['wedding_scheduled'],
        to: 'married',
        label: { de: 'Eheschließung beurkundet', en: 'Marriage recorded' },
        allowed: ['clerk', 'supervisor'],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Die Ehe ist geschlossen.', en: 'The marriage has taken place.' },
      },
      {
        id: 'refuse',
        from: ['received', 'registered'],
        to: 'not_possible',
        label: { de: 'Anmeldung nicht möglich', en: 'Registration not possible' },
        allowed: ['clerk', 'supervisor'],
        inputs: [{ id: 'reason', label: { de: 'Begründung', en: 'Reason' }, type: 'textarea', required: true, maxLength: 4000, public: true }],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Die Anmeldung ist so nicht möglich.', en: 'The registration is not possible like this.' },
      },
      {
        id: 'withdraw',
        from: ['received', 'registered', 'wedding_scheduled'],
        to: 'withdrawn',
        label: { de: 'Anmeldung zurückziehen', en: 'Withdraw the registration' },
        allowed: ['applicant'],
        effects: [],
        publicEvent: { de: 'Sie haben die Anmeldung zurückgezogen.', en: 'You withdrew the registration.' },
      },
    ],
  },
  appointment: {
    purpose: { de: 'Anmeldung der Eheschließung (beide Partner)', en: 'Registering the intent to marry (both partners)' },
    slotMinutes: 45,
    capacityPerSlot: 1,
    locations: ['standesamt'],
    bookAheadDays: 90,
    minNoticeHours: 24,
  },
};
