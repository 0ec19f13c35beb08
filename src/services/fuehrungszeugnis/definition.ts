import { verifiedPersonFields } from '../person-fields.ts';
import type { ServiceDefinition } from '../../catalogue/service-definition.ts';
import { asksExemption, exemptionNotice, extendedNotice, FEE_CENTS, fuehrungszeugnisFee, isExtended, isForAuthority, validatePersonPage } from './rules.ts';

const KINDS = [
  { value: 'private', label: { de: 'Privatführungszeugnis (wird an Sie geschickt)', en: 'Private certificate (sent to you)' } },
  {
    value: 'extended',
    label: { de: 'Erweitertes Führungszeugnis (für die Arbeit mit Kindern und Jugendlichen)', en: 'Extended certificate (for work with children and young people)' },
  },
  { value: 'authority', label: { de: 'Behördenführungszeugnis (geht direkt an eine Behörde)', en: 'Certificate for an authority (sent straight to the authority)' } },
] as const;

const pdfOrImage = ['application/pdf', 'image/jpeg', 'image/png'] as const;

/**
 * Führungszeugnis (§§ 30, 30a BZRG). The Bundesamt für Justiz (BfJ) issues it; the city's
 * Bürgerservice takes the application, checks the identity and forwards it. Online this needs
 * identity level high (eID), as the BfJ's own online application does (unverified); the data
 * comes from the verified identity.
 */
export const fuehrungszeugnis: ServiceDefinition = {
  id: 'fuehrungszeugnis',
  version: 1,
  leikaKey: '99123004001000', // (unverified) a city can correct it without touching the process
  title: { de: 'Führungszeugnis beantragen', en: 'Apply for a certificate of good conduct' },
  summary: {
    de: 'Beantragen Sie ein Führungszeugnis – privat, erweitert (für die Arbeit mit Kindern) oder für eine Behörde. Das Bundesamt für Justiz stellt es aus und schickt es Ihnen oder der Behörde. Mit Online-Ausweis, 13 €.',
    en: 'Apply for a certificate of good conduct (police certificate): private, extended (for work with children) or for an authority. The Federal Office of Justice issues it and sends it to you or the authority. With your online ID, €13.',
  },
  topic: 'ausweise',
  keywords: [
    'führungszeugnis',
    'fuehrungszeugnis',
    'polizeiliches führungszeugnis',
    'erweitertes führungszeugnis',
    'vorstrafen',
    'bundeszentralregister',
    'bewerbung',
    'arbeitgeber',
    'ehrenamt',
    'kita',
    'certificate of good conduct',
    'police certificate',
    'criminal record',
  ],
  identityLevel: 'high',
  feeCents: FEE_CENTS,
  fee: (d) => fuehrungszeugnisFee(d),
  receivingDepartment: 'buergerservice',
  // (unverified) the application is a copy of what the BfJ keeps; one year is enough for questions.
  retention: 'P1Y',
  applicantEmailField: 'email',
  applicantNameField: 'familyName',
  caseSummary: (d, lang) => KINDS.find((k) => k.value === d.kind)?.label[lang] ?? String(d.kind ?? ''),
  pages: [
    {
      id: 'person',
      title: { de: 'Ihre Angaben', en: 'About you' },
      intro: {
        de: 'Name, Geburtsdaten und Anschrift kommen aus Ihrem Online-Ausweis. Das Führungszeugnis wird an diese Anschrift geschickt.',
        en: 'Name, birth details and address come from your online ID. The certificate is sent to this address.',
      },
      fields: [
        ...verifiedPersonFields(),
        {
          id: 'email',
          type: 'email',
          label: { de: 'E-Mail-Adresse', en: 'Email address' },
          hint: { de: 'Hierhin senden wir die Eingangsbestätigung und Nachrichten zum Stand.', en: 'We send the receipt and status news here.' },
          required: true,
          maxLength: 254,
          autocomplete: 'email',
        },
      ],
      validate: validatePersonPage,
    },
    {
      id: 'art',
      title: { de: 'Welches Führungszeugnis brauchen Sie?', en: 'Which certificate do you need?' },
      intro: {
        de: 'Fragen Sie im Zweifel die Stelle, die das Führungszeugnis verlangt. Arbeitgeber brauchen meist ein Privatführungszeugnis.',
        en: 'If in doubt, ask whoever wants the certificate. Employers usually need a private certificate.',
      },
      fields: [
        { id: 'kind', type: 'radio', label: { de: 'Art des Führungszeugnisses', en: 'Kind of certificate' }, required: true, choices: KINDS },
        {
          id: 'purpose',
          type: 'text',
          label: { de: 'Wofür brauchen Sie es?', en: 'What do you need it for?' },
          hint: { de: 'Zum Beispiel: Bewerbung als Erzieherin, Ehrenamt im Sportverein.', en: 'For example: applying for a job as a nursery teacher, volunteering at a sports club.' },
          required: true,
          minLength: 3,
          maxLength: 300,
        },
        {
          id: 'requestLetter',
          type: 'file',
          label: { de: 'Aufforderung der Stelle (Arbeitgeber, Verein, Träger)', en: 'Request letter from the organisation (employer, club, provider)' },
          hint: { de: 'PDF oder Foto, höchstens 10 MB.', en: 'PDF or photo, at most 10 MB.' },
          required: true,
          accept: pdfOrImage,
          maxBytes: 10 * 1024 * 1024,
          when: isExtended,
        },
        {
          id: 'authorityName',
          type: 'text',
          label: { de: 'Name der Behörde, die das Führungszeugnis erhält', en: 'Name of the authority that receives the certificate' },
          required: true,
          maxLength: 200,
          when: isForAuthority,
        },
        {
          id: 'authorityAddress',
          type: 'textarea',
          label: { de: 'Anschrift der Behörde', en: 'Address of the authority' },
          hint: { de: 'Straße, Postleitzahl und Ort, wie auf dem Schreiben der Behörde.', en: "Street, postcode and town, as on the authority's letter." },
          required: true,
          minLength: 10,
          maxLength: 500,
          when: isForAuthority,
        },
        {
          id: 'authorityReference',
          type: 'text',
          label: { de: 'Aktenzeichen der Behörde (freiwillig)', en: "The authority's reference (optional)" },
          maxLength: 100,
          when: isForAuthority,
        },
      ],
      notices: (d) => (isExtended(d) ? [extendedNotice] : []),
    },
    {
      id: 'gebuehr',
      title: { de: 'Gebühr', en: 'Fee' },
      intro: {
        de: 'Das Führungszeugnis kostet 13,00 €. Wer es für ein Ehrenamt braucht oder wenig Einkommen hat, kann die Befreiung von der Gebühr beantragen.',
        en: 'The certificate costs €13.00. If you need it for volunteering or have a low income, you can ask to be exempted from the fee.',
      },
      fields: [
        {
          id: 'feeExemption',
          type: 'radio',
          label: { de: 'Möchten Sie die Befreiung von der Gebühr beantragen?', en: 'Do you want to ask for an exemption from the fee?' },
          required: true,
          choices: [
            { value: 'no', label: { de: 'Nein, ich zahle die Gebühr', en: 'No, I will pay the fee' } },
            { value: 'yes', label: { de: 'Ja, ich beantrage die Befreiung', en: 'Yes, I ask for an exemption' } },
          ],
        },
        {
          id: 'exemptionReason',
          type: 'radio',
          label: { de: 'Grund für die Befreiung', en: 'Reason for the exemption' },
          required: true,
          choices: [
            { value: 'volunteer', label: { de: 'Ehrenamtliche Tätigkeit in einer gemeinnützigen Einrichtung', en: 'Voluntary work for a non-profit organisation' } },
            { value: 'lowIncome', label: { de: 'Geringes Einkommen (zum Beispiel Bürgergeld)', en: 'Low income (for example Bürgergeld)' } },
          ],
          when: asksExemption,
        },
        {
          id: 'exemptionProof',
          type: 'file',
          label: { de: 'Nachweis für die Befreiung', en: 'Proof for the exemption' },
          hint: {
            de: 'Zum Beispiel die Bestätigung des Vereins über das Ehrenamt oder der aktuelle Bescheid über Bürgergeld. PDF oder Foto, höchstens 10 MB.',
            en: 'For example the organisation’s confirmation of your voluntary work, or your current Bürgergeld decision. PDF or photo, at most 10 MB.',
          },
          required: true,
          accept: pdfOrImage,
          maxBytes: 10 * 1024 * 1024,
          when: asksExemption,
        },
      ],
      notices: (d) => (asksExemption(d) ? [exemptionNotice] : []),
    },
  ],
  process: {
    initial: 'received',
    onSubmit: ['send_receipt'],
    states: [
      {
        id: 'received',
        publicLabel: { de: 'Eingegangen', en: 'Received' },
        next: { de: 'Der Bürgerservice prüft Ihren Antrag und leitet ihn an das Bundesamt für Justiz weiter.', en: 'Citizen Services checks your application and forwards it to the Federal Office of Justice.' },
        expectedDuration: 'P3D',
      },
      {
        id: 'forwarded',
        publicLabel: { de: 'An das Bundesamt für Justiz weitergeleitet', en: 'Forwarded to the Federal Office of Justice' },
        next: {
          de: 'Das Bundesamt für Justiz erstellt das Führungszeugnis und schickt es per Post. Das dauert meist bis zu zwei Wochen.',
          en: 'The Federal Office of Justice prepares the certificate and sends it by post. This usually takes up to two weeks.',
        },
        // (unverified) the BfJ names about two weeks for delivery.
        expectedDuration: 'P14D',
      },
      {
        id: 'sent',
        publicLabel: { de: 'Vom Bundesamt für Justiz verschickt', en: 'Sent by the Federal Office of Justice' },
        next: {
          de: 'Das Führungszeugnis ist unterwegs – an Sie oder, beim Behördenführungszeugnis, direkt an die Behörde. Kommt es nicht innerhalb einer Woche an, schreiben Sie uns.',
          en: 'The certificate is on its way: to you or, for an authority certificate, straight to the authority. If it has not arrived within a week, write to us.',
        },
        final: true,
      },
      {
        id: 'rejected',
        publicLabel: { de: 'Abgelehnt', en: 'Rejected' },
        next: { de: 'Der Antrag kann so nicht weitergeleitet werden. Den Grund sehen Sie unten.', en: 'The application cannot be forwarded as it is. You can see the reason below.' },
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
        id: 'forward',
        from: ['received'],
        to: 'forwarded',
        label: { de: 'An das Bundesamt für Justiz weiterleiten', en: 'Forward to the Federal Office of Justice' },
        allowed: ['clerk', 'supervisor'],
        inputs: [
          {
            id: 'exemptionDecision',
            label: { de: 'Entscheidung über die Gebührenbefreiung (falls beantragt)', en: 'Decision on the fee exemption (if requested)' },
            publicLabel: { de: 'Entscheidung über die Gebührenbefreiung', en: 'Decision on the fee exemption' },
            type: 'textarea',
            required: false,
            maxLength: 2000,
            public: true,
          },
        ],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Ihr Antrag wurde an das Bundesamt für Justiz weitergeleitet.', en: 'Your application was forwarded to the Federal Office of Justice.' },
      },
      {
        id: 'mark_sent',
        from: ['forwarded'],
        to: 'sent',
        label: { de: 'Versand durch das Bundesamt vermerken', en: 'Record dispatch by the Federal Office' },
        allowed: ['clerk', 'supervisor'],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Das Bundesamt für Justiz hat das Führungszeugnis verschickt.', en: 'The Federal Office of Justice has sent the certificate.' },
      },
      {
        id: 'reject',
        from: ['received'],
        to: 'rejected',
        label: { de: 'Ablehnen', en: 'Reject' },
        allowed: ['clerk', 'supervisor'],
        inputs: [{ id: 'reason', label: { de: 'Begründung', en: 'Reason' }, type: 'textarea', required: true, maxLength: 4000, public: true }],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Der Antrag wurde abgelehnt.', en: 'The application was rejected.' },
      },
      {
        id: 'withdraw',
        from: ['received'],
        to: 'withdrawn',
        label: { de: 'Antrag zurückziehen', en: 'Withdraw the application' },
        allowed: ['applicant'],
        effects: [],
        publicEvent: { de: 'Sie haben den Antrag zurückgezogen.', en: 'You withdrew the application.' },
      },
    ],
  },
};
