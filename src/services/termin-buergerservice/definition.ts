import type { ServiceDefinition } from '../../catalogue/service-definition.ts';

const MATTERS = [
  { value: 'ausweis-beantragen', label: { de: 'Personalausweis oder Reisepass beantragen (Fingerabdrücke, Unterschrift)', en: 'Apply for an ID card or passport (fingerprints, signature)' } },
  { value: 'ausweis-abholen', label: { de: 'Personalausweis oder Reisepass abholen', en: 'Collect an ID card or passport' } },
  { value: 'meldebescheinigung', label: { de: 'Meldebescheinigung', en: 'Registration certificate' } },
  { value: 'sonstiges', label: { de: 'Sonstiges', en: 'Something else' } },
] as const;

/**
 * "Termin im Bürgerservice vereinbaren": the steps that must be done in person (ID card
 * fingerprints and signature, collecting documents), booked online (ADR 0018). The case records
 * the matter; the appointment itself is booked from its status page or straight away at
 * /appointments/book/termin-buergerservice.
 */
export const terminBuergerservice: ServiceDefinition = {
  id: 'termin-buergerservice',
  version: 1,
  // (unverified) LeiKa has no service "appointment" as such; a city can correct the key.
  leikaKey: '99000000000001',
  title: { de: 'Termin im Bürgerservice vereinbaren', en: 'Book an appointment at Citizen Services' },
  summary: {
    de: 'Buchen Sie einen Termin für das, was nur vor Ort geht: Fingerabdrücke und Unterschrift für Personalausweis oder Reisepass, Abholung und Meldebescheinigung. Kostenlos, ohne Konto.',
    en: 'Book an appointment for what can only be done in person: fingerprints and signature for an ID card or passport, collecting documents and registration certificates. Free, no account needed.',
  },
  topic: 'ausweise',
  keywords: ['termin', 'terminvereinbarung', 'personalausweis', 'reisepass', 'ausweis', 'fingerabdruck', 'buergerbuero', 'bürgeramt', 'appointment', 'id card', 'passport'],
  identityLevel: 'none',
  feeCents: 0,
  receivingDepartment: 'buergerservice',
  retention: 'P1Y',
  applicantEmailField: 'email',
  applicantNameField: 'name',
  caseSummary: (d, lang) => MATTERS.find((m) => m.value === d.matter)?.label[lang] ?? String(d.matter ?? ''),
  pages: [
    {
      id: 'anliegen',
      title: { de: 'Worum geht es?', en: 'What is it about?' },
      intro: {
        de: 'Nach dem Absenden wählen Sie auf der Statusseite Ort, Tag und Uhrzeit.',
        en: 'After sending, you choose the place, day and time on the status page.',
      },
      fields: [
        { id: 'matter', type: 'radio', label: { de: 'Ihr Anliegen', en: 'Your matter' }, required: true, choices: MATTERS },
        { id: 'name', type: 'text', label: { de: 'Vor- und Nachname', en: 'Full name' }, required: true, maxLength: 200, autocomplete: 'name' },
        {
          id: 'email',
          type: 'email',
          label: { de: 'E-Mail-Adresse', en: 'Email address' },
          hint: { de: 'Hierhin senden wir die Terminbestätigung.', en: 'We send the appointment confirmation here.' },
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
        publicLabel: { de: 'Eingegangen', en: 'Received' },
        next: { de: 'Buchen Sie jetzt Ihren Termin. Kommen Sie zum gebuchten Termin mit Ihren Unterlagen vorbei.', en: 'Book your appointment now. Come at the booked time with your documents.' },
        expectedDuration: 'P30D',
      },
      {
        id: 'closed',
        publicLabel: { de: 'Erledigt', en: 'Done' },
        next: { de: 'Ihr Anliegen ist erledigt.', en: 'Your matter is done.' },
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
        id: 'close',
        from: ['received'],
        to: 'closed',
        label: { de: 'Als erledigt markieren', en: 'Mark as done' },
        allowed: ['clerk', 'supervisor'],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Ihr Anliegen ist erledigt.', en: 'Your matter is done.' },
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
    purpose: { de: 'Vorsprache im Bürgerservice', en: 'Visit to Citizen Services' },
    slotMinutes: 15,
    capacityPerSlot: 2,
    locations: ['buergerservice-markt', 'buergerservice-neustadt'],
    bookAheadDays: 28,
    minNoticeHours: 2,
  },
};
