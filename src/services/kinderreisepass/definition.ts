import type { ServiceDefinition } from '../../catalogue/service-definition.ts';
import {
  changeExplained,
  childNotices,
  consentByUpload,
  FEES_UNDER_24,
  isJointCustody,
  isSoleCustody,
  kinderausweisFee,
  kinderausweisRequiredDocuments,
  photoByCode,
  validateChildPage,
  validatePhotoPage,
} from './rules.ts';

const DOCUMENTS = [
  { value: 'personalausweis', label: { de: 'Personalausweis (27,60 €, gilt 6 Jahre)', en: 'ID card (€27.60, valid for 6 years)' } },
  { value: 'reisepass', label: { de: 'Reisepass (37,50 €, gilt 6 Jahre)', en: 'Passport (€37.50, valid for 6 years)' } },
] as const;

const pdfOrImage = ['application/pdf', 'image/jpeg', 'image/png'] as const;

/**
 * "Kinderreisepass" is what parents still search for; since 1 January 2024 (unverified) it is no
 * longer issued and children get a Reisepass or Personalausweis. This service says so plainly and
 * prepares that application: the document, the child's data, both custodians' consent (PassG § 6,
 * unverified), the photo, the fee; the child and a parent then come to the booked appointment.
 * Identity level basic: the parent's account keeps status and appointment together; identity and
 * custody are checked at the counter.
 */
export const kinderreisepass: ServiceDefinition = {
  id: 'kinderreisepass',
  version: 1,
  leikaKey: '99088003000000', // (unverified) a city can correct it without touching the process
  title: { de: 'Ausweisdokument für ein Kind beantragen (Kinderreisepass-Nachfolge)', en: 'Apply for an ID document for a child (replacing the children’s passport)' },
  summary: {
    de: 'Den Kinderreisepass gibt es seit 2024 nicht mehr. Ihr Kind bekommt stattdessen einen Reisepass oder einen Personalausweis. Hier bereiten Sie den Antrag vor und buchen den Termin, zu dem Ihr Kind mitkommt.',
    en: 'The children’s passport (Kinderreisepass) was discontinued in 2024. Your child gets a passport or an ID card instead. Prepare the application here and book the appointment your child comes to.',
  },
  topic: 'familie',
  keywords: [
    'kinderreisepass',
    'kinderpass',
    'kinderausweis',
    'kind',
    'kinder',
    'baby',
    'reisepass kind',
    'personalausweis kind',
    'ausweis',
    'urlaub',
    'reise',
    'children passport',
    'child id card',
  ],
  identityLevel: 'basic',
  feeCents: Math.min(...Object.values(FEES_UNDER_24)),
  fee: (d) => kinderausweisFee(d),
  requiredDocuments: (d) => kinderausweisRequiredDocuments(d),
  receivingDepartment: 'buergerservice',
  // (unverified) the passport and ID registers have their own periods; the case is the preparation only.
  retention: 'P2Y',
  applicantEmailField: 'email',
  applicantNameField: 'parentName',
  caseSummary: (d, lang) => DOCUMENTS.find((k) => k.value === d.documentType)?.label[lang].replace(/ \(.*\)$/, '') ?? String(d.documentType ?? ''),
  pages: [
    {
      id: 'dokument',
      title: { de: 'Welches Dokument soll Ihr Kind bekommen?', en: 'Which document should your child get?' },
      intro: changeExplained,
      fields: [{ id: 'documentType', type: 'radio', label: { de: 'Dokument', en: 'Document' }, required: true, choices: DOCUMENTS }],
    },
    {
      id: 'kind',
      title: { de: 'Angaben zum Kind', en: 'About the child' },
      fields: [
        { id: 'childGivenName', type: 'text', label: { de: 'Vornamen des Kindes', en: "Child's given names" }, required: true, maxLength: 200 },
        { id: 'childFamilyName', type: 'text', label: { de: 'Familienname des Kindes', en: "Child's family name" }, required: true, maxLength: 200 },
        { id: 'childBirthdate', type: 'date', label: { de: 'Geburtsdatum des Kindes', en: "Child's date of birth" }, hint: { de: 'Zum Beispiel 17.05.2019', en: 'For example 17.05.2019' }, required: true },
        { id: 'childPlaceOfBirth', type: 'text', label: { de: 'Geburtsort des Kindes', en: "Child's place of birth" }, required: true, maxLength: 200 },
        {
          id: 'childGerman',
          type: 'radio',
          label: { de: 'Hat das Kind die deutsche Staatsangehörigkeit?', en: 'Does the child have German nationality?' },
          required: true,
          choices: [
            { value: 'yes', label: { de: 'Ja', en: 'Yes' } },
            { value: 'no', label: { de: 'Nein', en: 'No' } },
          ],
        },
      ],
      validate: validateChildPage,
    },
    {
      id: 'sorgerecht',
      title: { de: 'Einverständnis der Sorgeberechtigten', en: 'Consent of the custodians' },
      intro: {
        de: 'Für ein Kind beantragen die Eltern oder der Vormund das Dokument. Haben beide Eltern das Sorgerecht, müssen beide einverstanden sein.',
        en: 'For a child, the parents or the guardian apply. If both parents have custody, both must agree.',
      },
      fields: [
        { id: 'parentName', type: 'text', label: { de: 'Ihr Vor- und Nachname', en: 'Your full name' }, required: true, maxLength: 200, autocomplete: 'name' },
        {
          id: 'email',
          type: 'email',
          label: { de: 'Ihre E-Mail-Adresse', en: 'Your email address' },
          hint: { de: 'Hierhin senden wir die Eingangsbestätigung und die Nachricht, wenn das Dokument abholbereit ist.', en: 'We send the receipt here, and the news when the document is ready.' },
          required: true,
          maxLength: 254,
          autocomplete: 'email',
        },
        {
          id: 'custody',
          type: 'radio',
          label: { de: 'Wer hat das Sorgerecht?', en: 'Who has custody?' },
          required: true,
          choices: [
            { value: 'joint', label: { de: 'Beide Elternteile gemeinsam', en: 'Both parents together' } },
            { value: 'sole', label: { de: 'Ich allein (oder ich bin der Vormund)', en: 'Only me (or I am the guardian)' } },
          ],
        },
        {
          id: 'secondConsent',
          type: 'radio',
          label: { de: 'Wie stimmt der andere Elternteil zu?', en: 'How does the other parent consent?' },
          required: true,
          choices: [
            { value: 'together', label: { de: 'Er oder sie kommt zum Termin mit', en: 'They come to the appointment too' } },
            { value: 'upload', label: { de: 'Mit einer unterschriebenen Einverständniserklärung', en: 'With a signed letter of consent' } },
          ],
          when: isJointCustody,
        },
        {
          id: 'consentFile',
          type: 'file',
          label: { de: 'Einverständniserklärung des anderen Elternteils mit Kopie seines Ausweises', en: "The other parent's signed consent with a copy of their ID" },
          hint: { de: 'PDF oder Foto, höchstens 10 MB. Bringen Sie das Original zum Termin mit.', en: 'PDF or photo, at most 10 MB. Bring the original to the appointment.' },
          required: true,
          accept: pdfOrImage,
          maxBytes: 10 * 1024 * 1024,
          when: consentByUpload,
        },
        {
          id: 'custodyProof',
          type: 'file',
          label: { de: 'Nachweis des alleinigen Sorgerechts (freiwillig)', en: 'Proof of sole custody (optional)' },
          hint: {
            de: 'Zum Beispiel der Beschluss des Familiengerichts oder die Bescheinigung des Jugendamts. Sie können ihn auch zum Termin mitbringen.',
            en: "For example the family court's order or the youth welfare office's certificate. You can also bring it to the appointment.",
          },
          accept: pdfOrImage,
          maxBytes: 10 * 1024 * 1024,
          when: isSoleCustody,
        },
      ],
    },
    {
      id: 'foto',
      title: { de: 'Das Foto', en: 'The photo' },
      intro: {
        de: 'Fotos werden nur noch digital angenommen: vom Fotostudio mit einem Code oder im Bürgerservice aufgenommen (6,00 €).',
        en: 'Photos are accepted digitally only: from a photographer with a code, or taken at Citizen Services (€6.00).',
      },
      fields: [
        {
          id: 'photo',
          type: 'radio',
          label: { de: 'Woher kommt das Foto?', en: 'Where does the photo come from?' },
          required: true,
          choices: [
            { value: 'code', label: { de: 'Vom Fotostudio – ich habe einen Fotocode', en: 'From a photographer: I have a photo code' } },
            { value: 'office', label: { de: 'Es wird im Bürgerservice gemacht (6,00 €)', en: 'Taken at Citizen Services (€6.00)' } },
          ],
        },
        {
          id: 'photoCode',
          type: 'text',
          label: { de: 'Fotocode', en: 'Photo code' },
          hint: { de: 'Steht auf dem Beleg des Fotostudios.', en: "It is on the photographer's slip." },
          required: true,
          maxLength: 64,
          when: photoByCode,
        },
      ],
      // On the page after the birth date: a page that reveals nothing moves on at once.
      notices: childNotices,
      validate: validatePhotoPage,
    },
  ],
  process: {
    initial: 'received',
    onSubmit: ['send_receipt'],
    states: [
      {
        id: 'received',
        publicLabel: { de: 'Vorbereitet – bitte Termin buchen', en: 'Prepared: please book an appointment' },
        next: {
          de: 'Buchen Sie jetzt den Termin. Ihr Kind kommt mit; bringen Sie Geburtsurkunde, alten Ausweis oder Kinderreisepass und Ihren eigenen Ausweis mit.',
          en: "Book the appointment now. Your child comes too; bring the birth certificate, the old ID or children's passport and your own ID.",
        },
        expectedDuration: 'P28D',
      },
      {
        id: 'in_production',
        publicLabel: { de: 'Beantragt – in Herstellung', en: 'Applied for: being made' },
        next: {
          de: 'Die Bundesdruckerei stellt das Dokument her. Das dauert meist 2 bis 6 Wochen. Wir sagen Ihnen Bescheid, sobald es abholbereit ist.',
          en: 'The Bundesdruckerei is making the document. This usually takes 2 to 6 weeks. We will tell you as soon as it is ready.',
        },
        expectedDuration: 'P42D',
      },
      {
        id: 'ready',
        publicLabel: { de: 'Abholbereit', en: 'Ready for collection' },
        next: {
          de: 'Das Dokument liegt im Bürgerservice bereit. Holen Sie es mit Ihrem eigenen Ausweis und dem alten Dokument des Kindes ab.',
          en: "The document is ready at Citizen Services. Collect it with your own ID and the child's old document.",
        },
        expectedDuration: 'P30D',
      },
      {
        id: 'handed_over',
        publicLabel: { de: 'Ausgehändigt', en: 'Handed over' },
        next: { de: 'Das Dokument wurde ausgehändigt. Gute Reise!', en: 'The document was handed over. Have a good trip!' },
        final: true,
      },
      {
        id: 'rejected',
        publicLabel: { de: 'Nicht möglich', en: 'Not possible' },
        next: { de: 'Der Antrag kann so nicht bearbeitet werden. Den Grund sehen Sie unten.', en: 'The application cannot be processed as it is. You can see the reason below.' },
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
        id: 'record_application',
        from: ['received'],
        to: 'in_production',
        label: { de: 'Antrag aufgenommen (an die Bundesdruckerei)', en: 'Application taken (to the Bundesdruckerei)' },
        allowed: ['clerk', 'supervisor'],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Der Antrag wurde aufgenommen und an die Bundesdruckerei geschickt.', en: 'The application was taken and sent to the Bundesdruckerei.' },
      },
      {
        id: 'mark_ready',
        from: ['in_production'],
        to: 'ready',
        label: { de: 'Als abholbereit markieren', en: 'Mark as ready for collection' },
        allowed: ['clerk', 'supervisor'],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Das Dokument ist abholbereit.', en: 'The document is ready for collection.' },
      },
      {
        id: 'hand_over',
        from: ['ready'],
        to: 'handed_over',
        label: { de: 'Aushändigung vermerken', en: 'Record the handover' },
        allowed: ['clerk', 'supervisor'],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Das Dokument wurde ausgehändigt.', en: 'The document was handed over.' },
      },
      {
        id: 'reject',
        from: ['received'],
        to: 'rejected',
        label: { de: 'Ablehnen', en: 'Reject' },
        allowed: ['clerk', 'supervisor'],
        inputs: [{ id: 'reason', label: { de: 'Begründung', en: 'Reason' }, type: 'textarea', required: true, maxLength: 4000, public: true }],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Der Antrag kann so nicht bearbeitet werden.', en: 'The application cannot be processed as it is.' },
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
  appointment: {
    purpose: { de: 'Ausweisantrag für ein Kind (Kind kommt mit)', en: 'ID application for a child (the child comes too)' },
    slotMinutes: 20,
    capacityPerSlot: 2,
    locations: ['buergerservice-markt', 'buergerservice-neustadt'],
    bookAheadDays: 42,
    minNoticeHours: 2,
  },
};
