import type { ServiceDefinition } from '../../catalogue/service-definition.ts';
import { beglaubigungFee, beglaubigungRequiredDocuments, copyNotice, COPY_FIRST_PAGE_CENTS, isCopy, isSignature, signatureNotice, validateUsePage } from './rules.ts';

const KINDS = [
  { value: 'copy', label: { de: 'Kopie eines Dokuments beglaubigen (zum Beispiel ein Zeugnis)', en: 'Certify a copy of a document (for example a certificate)' } },
  { value: 'signature', label: { de: 'Unterschrift beglaubigen', en: 'Certify a signature' } },
] as const;

/**
 * Amtliche Beglaubigung (§§ 33, 34 VwVfG) of copies and signatures. It is done in person (the
 * original must be seen, a signature given in front of staff): the form tells the office what is
 * coming and fixes the fee; the appointment is booked from the status page (ADR 0018).
 * Identity level basic: an account to keep the appointment and the status together.
 */
export const beglaubigung: ServiceDefinition = {
  id: 'beglaubigung',
  version: 1,
  leikaKey: '99002002000000', // (unverified) a city can correct it without touching the process
  title: { de: 'Beglaubigung: Kopie oder Unterschrift', en: 'Certification of a copy or a signature' },
  summary: {
    de: 'Lassen Sie Kopien von Zeugnissen und anderen Dokumenten oder Ihre Unterschrift amtlich beglaubigen. Sie melden es hier an, sehen die Gebühr und buchen den Termin im Bürgerservice.',
    en: 'Have copies of certificates and other documents, or your signature, officially certified. Register it here, see the fee and book your appointment at Citizen Services.',
  },
  topic: 'ausweise',
  keywords: [
    'beglaubigung',
    'beglaubigen',
    'beglaubigte kopie',
    'kopie beglaubigen',
    'abschrift',
    'zeugnis',
    'urkunde',
    'unterschrift',
    'unterschrift beglaubigen',
    'unterschriftsbeglaubigung',
    'certified copy',
    'certify',
    'signature',
  ],
  identityLevel: 'basic',
  feeCents: COPY_FIRST_PAGE_CENTS,
  fee: (d) => beglaubigungFee(d),
  requiredDocuments: (d) => beglaubigungRequiredDocuments(d),
  receivingDepartment: 'buergerservice',
  retention: 'P1Y', // (unverified) the certification itself is on the document; the case is only the booking.
  applicantEmailField: 'email',
  applicantNameField: 'name',
  caseSummary: (d, lang) => {
    const kind = KINDS.find((k) => k.value === d.kind)?.value;
    if (kind === 'signature') return lang === 'de' ? `Unterschriftsbeglaubigung × ${String(d.signatures ?? '1')}` : `Signature certification × ${String(d.signatures ?? '1')}`;
    return lang === 'de' ? `Beglaubigte Kopien × ${String(d.copies ?? '1')}, je ${String(d.pages ?? '1')} Seite(n)` : `Certified copies × ${String(d.copies ?? '1')}, ${String(d.pages ?? '1')} page(s) each`;
  },
  pages: [
    {
      id: 'art',
      title: { de: 'Was soll beglaubigt werden?', en: 'What should be certified?' },
      fields: [
        { id: 'kind', type: 'radio', label: { de: 'Art der Beglaubigung', en: 'Kind of certification' }, required: true, choices: KINDS },
        {
          id: 'documentType',
          type: 'text',
          label: { de: 'Welches Dokument?', en: 'Which document?' },
          hint: { de: 'Zum Beispiel: Abiturzeugnis, Arbeitsvertrag, Vollmacht.', en: 'For example: school-leaving certificate, employment contract, power of attorney.' },
          required: true,
          maxLength: 200,
        },
        { id: 'copies', type: 'integer', label: { de: 'Wie viele beglaubigte Kopien brauchen Sie?', en: 'How many certified copies do you need?' }, required: true, min: 1, max: 20, when: isCopy },
        { id: 'pages', type: 'integer', label: { de: 'Wie viele Seiten hat das Dokument?', en: 'How many pages does the document have?' }, required: true, min: 1, max: 50, when: isCopy },
        { id: 'signatures', type: 'integer', label: { de: 'Wie viele Unterschriften sollen beglaubigt werden?', en: 'How many signatures should be certified?' }, required: true, min: 1, max: 10, when: isSignature },
      ],
      notices: (d) => (d.kind === 'signature' ? [signatureNotice] : d.kind === 'copy' ? [copyNotice] : []),
    },
    {
      id: 'verwendung',
      title: { de: 'Wofür brauchen Sie die Beglaubigung?', en: 'What do you need the certification for?' },
      fields: [
        {
          id: 'usage',
          type: 'radio',
          label: { de: 'Wo legen Sie das Dokument vor?', en: 'Where will you present the document?' },
          required: true,
          choices: [
            { value: 'authority', label: { de: 'Bei einer Behörde, Hochschule oder Schule', en: 'At an authority, university or school' } },
            { value: 'other', label: { de: 'Bei einem Arbeitgeber oder einer anderen Stelle', en: 'At an employer or elsewhere' } },
            { value: 'register', label: { de: 'Beim Grundbuchamt, Handelsregister oder Notar', en: 'At the land registry, commercial register or a notary' } },
          ],
        },
        { id: 'recipient', type: 'text', label: { de: 'Name der Stelle (freiwillig)', en: 'Name of the recipient (optional)' }, maxLength: 200 },
      ],
      validate: validateUsePage,
    },
    {
      id: 'kontakt',
      title: { de: 'Ihre Angaben', en: 'About you' },
      fields: [
        { id: 'name', type: 'text', label: { de: 'Vor- und Nachname', en: 'Full name' }, required: true, maxLength: 200, autocomplete: 'name' },
        {
          id: 'email',
          type: 'email',
          label: { de: 'E-Mail-Adresse', en: 'Email address' },
          hint: { de: 'Hierhin senden wir die Eingangsbestätigung und die Terminbestätigung.', en: 'We send the receipt and the appointment confirmation here.' },
          required: true,
          maxLength: 254,
          autocomplete: 'email',
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
        publicLabel: { de: 'Angemeldet – bitte Termin buchen', en: 'Registered: please book an appointment' },
        next: {
          de: 'Buchen Sie jetzt Ihren Termin im Bürgerservice. Bringen Sie Ihren Ausweis und das Original mit; Unterschriften leisten Sie erst vor Ort. Die Gebühr zahlen Sie online oder beim Termin.',
          en: 'Book your appointment at Citizen Services now. Bring your ID and the original; sign only at the office. Pay the fee online or at the appointment.',
        },
        expectedDuration: 'P28D',
      },
      {
        id: 'certified',
        publicLabel: { de: 'Beglaubigt', en: 'Certified' },
        next: { de: 'Die Beglaubigung ist erledigt. Sie haben die Dokumente beim Termin erhalten.', en: 'The certification is done. You received the documents at your appointment.' },
        final: true,
      },
      {
        id: 'rejected',
        publicLabel: { de: 'Nicht möglich', en: 'Not possible' },
        next: { de: 'Die Beglaubigung war nicht möglich. Den Grund sehen Sie unten.', en: 'The certification was not possible. You can see the reason below.' },
        final: true,
      },
      {
        id: 'withdrawn',
        publicLabel: { de: 'Zurückgezogen', en: 'Withdrawn' },
        next: { de: 'Sie haben das Anliegen zurückgezogen. Es ist nichts weiter zu tun.', en: 'You withdrew the matter. Nothing else needs to be done.' },
        final: true,
      },
    ],
    transitions: [
      {
        id: 'certify',
        from: ['received'],
        to: 'certified',
        label: { de: 'Beglaubigung vermerken', en: 'Record the certification' },
        allowed: ['clerk', 'supervisor'],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Die Beglaubigung ist erledigt.', en: 'The certification is done.' },
      },
      {
        id: 'reject',
        from: ['received'],
        to: 'rejected',
        label: { de: 'Beglaubigung ablehnen', en: 'Refuse the certification' },
        allowed: ['clerk', 'supervisor'],
        inputs: [{ id: 'reason', label: { de: 'Begründung', en: 'Reason' }, type: 'textarea', required: true, maxLength: 4000, public: true }],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Die Beglaubigung war nicht möglich.', en: 'The certification was not possible.' },
      },
      {
        id: 'withdraw',
        from: ['received'],
        to: 'withdrawn',
        label: { de: 'Anliegen zurückziehen', en: 'Withdraw the matter' },
        allowed: ['applicant'],
        effects: [],
        publicEvent: { de: 'Sie haben das Anliegen zurückgezogen.', en: 'You withdrew the matter.' },
      },
    ],
  },
  appointment: {
    purpose: { de: 'Beglaubigung im Bürgerservice', en: 'Certification at Citizen Services' },
    slotMinutes: 10,
    capacityPerSlot: 2,
    locations: ['buergerservice-markt', 'buergerservice-neustadt'],
    bookAheadDays: 28,
    minNoticeHours: 2,
  },
};
