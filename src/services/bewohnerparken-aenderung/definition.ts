import { verifiedAddressFields } from '../person-fields.ts';
import type { ServiceDefinition } from '../../catalogue/service-definition.ts';
import { CHANGE_FEE_CENTS, HOLDER_CHOICES, holderDiffers, normaliseKennzeichen, ZONE_CHOICES, zoneOf } from '../anwohnerparkausweis/rules.ts';
import { bewohnerparkenAenderungDocuments } from './documents.ts';
import { changesVehicle, validateNewVehiclePage, validatePermitPage, validUntilRefusal } from './rules.ts';

/**
 * Bewohnerparken ändern: a new number plate, or a move within the zone, on an existing resident
 * parking permit. Identity level substantial like the permit itself: the address in the zone comes
 * from the verified identity. Fee (unverified) in `anwohnerparkausweis/rules.ts`.
 */
export const bewohnerparkenAenderung: ServiceDefinition = {
  id: 'bewohnerparken-aenderung',
  version: 1,
  leikaKey: '99058009000001', // (unverified) a city can correct it without touching the process
  title: { de: 'Bewohnerparkausweis ändern', en: 'Change a resident parking permit' },
  summary: {
    de: 'Neues Auto, neues Kennzeichen oder innerhalb der Zone umgezogen? Ändern Sie Ihren Bewohnerparkausweis online, statt einen neuen zu beantragen.',
    en: 'New car, new number plate, or moved within the zone? Change your resident parking permit online instead of applying for a new one.',
  },
  topic: 'verkehr',
  keywords: [
    'parkausweis',
    'anwohnerparkausweis',
    'bewohnerparkausweis',
    'bewohnerparken',
    'anwohnerparken',
    'kennzeichen',
    'neues auto',
    'autowechsel',
    'umziehen',
    'umzug',
    'ändern',
    'parking permit',
    'new car',
  ],
  identityLevel: 'substantial',
  feeCents: CHANGE_FEE_CENTS,
  receivingDepartment: 'ordnungsamt',
  retention: 'P3Y', // (unverified)
  applicantEmailField: 'email',
  applicantNameField: 'familyName',
  caseSummary: (d, lang) => {
    const zone = zoneOf(String(d.zone ?? ''))?.label[lang] ?? String(d.zone ?? '');
    const changes = (Array.isArray(d.changes) ? d.changes : [d.changes ?? '']).map((c) =>
      c === 'vehicle' ? (lang === 'de' ? 'Fahrzeug' : 'vehicle') : c === 'address' ? (lang === 'de' ? 'Adresse' : 'address') : c,
    );
    return `${zone}: ${changes.join(', ')}`;
  },
  pages: [
    {
      id: 'ausweis',
      title: { de: 'Welcher Ausweis, was ändert sich?', en: 'Which permit, and what changes?' },
      intro: {
        de: 'Name und Adresse übernehmen wir aus Ihrem nachgewiesenen Ausweis. Wenn Sie innerhalb der Zone umgezogen sind, melden Sie bitte zuerst Ihre neue Wohnung an.',
        en: 'We take your name and address from your verified identity. If you have moved within the zone, please register your new address first.',
      },
      fields: [
        { id: 'givenName', type: 'text', label: { de: 'Vorname', en: 'Given name' }, required: true, maxLength: 100, autocomplete: 'given-name', prefill: 'given_name' },
        { id: 'familyName', type: 'text', label: { de: 'Nachname', en: 'Family name' }, required: true, maxLength: 100, autocomplete: 'family-name', prefill: 'family_name' },
        ...verifiedAddressFields(),
        {
          id: 'permitNumber',
          type: 'text',
          label: { de: 'Nummer Ihres Bewohnerparkausweises', en: 'Number of your resident parking permit' },
          hint: { de: 'Sie steht auf dem Ausweis, z. B. BP-2025-01234.', en: 'It is printed on the permit, for example BP-2025-01234.' },
          required: true,
          maxLength: 30,
        },
        { id: 'zone', type: 'radio', label: { de: 'Zone Ihres Ausweises', en: 'Zone of your permit' }, required: true, choices: ZONE_CHOICES },
        {
          id: 'changes',
          type: 'checkboxes',
          label: { de: 'Was hat sich geändert?', en: 'What has changed?' },
          required: true,
          choices: [
            { value: 'vehicle', label: { de: 'Ich habe ein anderes Fahrzeug oder ein neues Kennzeichen', en: 'I have a different vehicle or a new number plate' } },
            { value: 'address', label: { de: 'Ich bin innerhalb der Zone umgezogen', en: 'I have moved within the zone' } },
          ],
        },
        {
          id: 'email',
          type: 'email',
          label: { de: 'E-Mail-Adresse', en: 'Email address' },
          hint: { de: 'Hierhin senden wir die Eingangsbestätigung und den geänderten Ausweis.', en: 'We send the receipt and the changed permit here.' },
          required: true,
          maxLength: 254,
          autocomplete: 'email',
        },
      ],
      validate: validatePermitPage,
    },
    {
      id: 'fahrzeug',
      title: { de: 'Ihr neues Fahrzeug', en: 'Your new vehicle' },
      fields: [
        {
          id: 'kennzeichen',
          type: 'text',
          label: { de: 'Neues Kennzeichen', en: 'New number plate' },
          hint: { de: 'Zum Beispiel HAL-AB 123', en: 'For example HAL-AB 123' },
          required: true,
          maxLength: 14,
          when: changesVehicle,
        },
        {
          id: 'holder',
          type: 'radio',
          label: { de: 'Auf wen ist das Fahrzeug zugelassen?', en: 'Who is the registered keeper of the vehicle?' },
          required: true,
          choices: HOLDER_CHOICES,
          when: changesVehicle,
        },
        {
          id: 'registrationCertificate',
          type: 'file',
          label: { de: 'Fahrzeugschein (Zulassungsbescheinigung Teil I)', en: 'Vehicle registration certificate (Zulassungsbescheinigung Teil I)' },
          hint: { de: 'Ein Foto oder Scan der Vorderseite genügt.', en: 'A photo or scan of the front is enough.' },
          required: true,
          when: (d) => changesVehicle(d) && holderDiffers(d),
          accept: ['application/pdf', 'image/jpeg', 'image/png'],
          maxBytes: 10 * 1024 * 1024,
        },
        {
          id: 'usageConfirmation',
          type: 'file',
          label: { de: 'Bestätigung der Halterin oder des Halters, dass Sie das Fahrzeug dauerhaft nutzen', en: "The registered keeper's confirmation that you use the vehicle permanently" },
          required: true,
          when: (d) => changesVehicle(d) && holderDiffers(d),
          accept: ['application/pdf', 'image/jpeg', 'image/png'],
          maxBytes: 10 * 1024 * 1024,
        },
      ],
      validate: validateNewVehiclePage,
    },
  ],
  process: {
    initial: 'received',
    onSubmit: ['send_receipt', 'issue_documents'],
    states: [
      {
        id: 'received',
        publicLabel: { de: 'Eingegangen', en: 'Received' },
        next: { de: 'Wir prüfen Ihre Änderung.', en: 'We will check your change.' },
        expectedDuration: 'P3D',
      },
      {
        id: 'in_review',
        publicLabel: { de: 'In Prüfung', en: 'Under review' },
        next: { de: 'Wir stellen den geänderten Ausweis aus oder melden uns, wenn etwas fehlt.', en: 'We will issue the changed permit or contact you if something is missing.' },
        expectedDuration: 'P5D',
      },
      {
        id: 'changed',
        publicLabel: { de: 'Ausweis geändert', en: 'Permit changed' },
        next: {
          de: 'Ihr geänderter Bewohnerparkausweis liegt unten zum Herunterladen bereit. Der bisherige Ausweis gilt nicht mehr.',
          en: 'Your changed resident parking permit is ready to download below. The previous permit is no longer valid.',
        },
        final: true,
      },
      {
        id: 'rejected',
        publicLabel: { de: 'Abgelehnt', en: 'Refused' },
        next: {
          de: 'Wir können den Ausweis nicht ändern. Den Grund lesen Sie unten und im Bescheid. Sie können innerhalb eines Monats Widerspruch einlegen.',
          en: 'We cannot change the permit. The reason is shown below and in the decision. You can object within one month.',
        },
        final: true,
      },
      {
        id: 'withdrawn',
        publicLabel: { de: 'Zurückgezogen', en: 'Withdrawn' },
        next: { de: 'Sie haben den Antrag zurückgezogen. Ihr bisheriger Ausweis gilt unverändert weiter.', en: 'You withdrew the application. Your current permit stays valid as it is.' },
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
        id: 'change',
        from: ['in_review'],
        to: 'changed',
        label: { de: 'Geänderten Ausweis erteilen', en: 'Issue the changed permit' },
        allowed: ['clerk', 'supervisor'],
        inputs: [
          {
            id: 'validUntil',
            label: { de: 'Gültig bis (Ablauf des bisherigen Ausweises, z. B. 31.03.2027)', en: 'Valid until (expiry of the current permit, e.g. 31.03.2027)' },
            publicLabel: { de: 'Gültig bis', en: 'Valid until' },
            type: 'date',
            required: true,
            maxLength: 10,
            public: true,
          },
        ],
        guard: ({ caseData, input, now }) =>
          changesVehicle(caseData) && !normaliseKennzeichen(String(caseData.kennzeichen ?? ''))
            ? { de: 'Das neue Kennzeichen im Antrag ist ungültig; bitte fragen Sie es nach.', en: 'The new number plate in the application is invalid; ask for it first.' }
            : validUntilRefusal(input, now),
        effects: ['notify_applicant', 'issue_documents'],
        publicEvent: { de: 'Der geänderte Bewohnerparkausweis wurde erteilt.', en: 'The changed resident parking permit was issued.' },
      },
      {
        id: 'reject',
        from: ['received', 'in_review'],
        to: 'rejected',
        label: { de: 'Ablehnen', en: 'Refuse' },
        allowed: ['clerk', 'supervisor'],
        inputs: [{ id: 'reason', label: { de: 'Begründung', en: 'Reason' }, type: 'textarea', required: true, maxLength: 4000, public: true }],
        effects: ['notify_applicant', 'issue_documents'],
        publicEvent: { de: 'Die Änderung wurde abgelehnt.', en: 'The change was refused.' },
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
  documents: bewohnerparkenAenderungDocuments,
};
