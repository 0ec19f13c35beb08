import { verifiedAddressFields } from '../person-fields.ts';
import { formatEuro } from '../../catalogue/fees.ts';
import type { ServiceDefinition } from '../../catalogue/service-definition.ts';
import { anwohnerparkausweisDocuments } from './documents.ts';
import {
  addressZoneErrors,
  HOLDER_CHOICES,
  holderDiffers,
  normaliseKennzeichen,
  PERMIT_FEE_CENTS_PER_YEAR,
  permitFee,
  vehicleErrors,
  ZONE_CHOICES,
  zoneOf,
} from './rules.ts';

/**
 * Bewohnerparkausweis (Anwohnerparkausweis): a resident of a Bewohnerparkzone may park there with
 * a permit (§ 45 Abs. 1b Nr. 2a StVO). Identity level substantial: the permit is tied to where one
 * is registered, and the verified identity supplies that address, so nobody types (or invents) an
 * address in the zone. Fees and zones are in `rules.ts`, all (unverified).
 */
export const anwohnerparkausweis: ServiceDefinition = {
  id: 'anwohnerparkausweis',
  version: 1,
  leikaKey: '99058009000000', // (unverified) a city can correct it without touching the process
  title: { de: 'Bewohnerparkausweis beantragen', en: 'Apply for a resident parking permit' },
  summary: {
    de: 'Wenn Sie in einer Bewohnerparkzone wohnen, können Sie dort mit einem Bewohnerparkausweis (Anwohnerparkausweis) parken. Ihre Adresse übernehmen wir aus Ihrem Online-Ausweis oder ELSTER-Zertifikat.',
    en: 'If you live in a resident parking zone, a resident parking permit lets you park there. We take your address from your online ID card or ELSTER certificate.',
  },
  topic: 'verkehr',
  keywords: [
    'parkausweis',
    'anwohnerparkausweis',
    'bewohnerparkausweis',
    'anwohnerparken',
    'bewohnerparken',
    'parken',
    'parkplatz',
    'auto',
    'anwohner',
    'parkvignette',
    'parking permit',
    'resident parking',
    'car',
  ],
  identityLevel: 'substantial',
  feeCents: PERMIT_FEE_CENTS_PER_YEAR,
  fee: (data) => permitFee(data),
  receivingDepartment: 'ordnungsamt',
  retention: 'P3Y', // (unverified) three years after the permit ran out or was refused
  applicantEmailField: 'email',
  applicantNameField: 'familyName',
  caseSummary: (d, lang) => {
    const zone = zoneOf(String(d.zone ?? ''))?.label[lang] ?? String(d.zone ?? '');
    const years = d.years === '2' ? (lang === 'de' ? '2 Jahre' : '2 years') : lang === 'de' ? '1 Jahr' : '1 year';
    return `${zone}, ${years}`;
  },
  pages: [
    {
      id: 'wohnung',
      title: { de: 'Wo wohnen Sie?', en: 'Where do you live?' },
      intro: {
        de: 'Einen Bewohnerparkausweis bekommt, wer in der Zone gemeldet ist. Name und Adresse übernehmen wir aus Ihrem nachgewiesenen Ausweis; wenn Sie gerade umgezogen sind, melden Sie bitte zuerst Ihre neue Wohnung an.',
        en: 'You can get a resident parking permit if you are registered in the zone. We take your name and address from your verified identity; if you have just moved, please register your new address first.',
      },
      fields: [
        { id: 'givenName', type: 'text', label: { de: 'Vorname', en: 'Given name' }, required: true, maxLength: 100, autocomplete: 'given-name', prefill: 'given_name' },
        { id: 'familyName', type: 'text', label: { de: 'Nachname', en: 'Family name' }, required: true, maxLength: 100, autocomplete: 'family-name', prefill: 'family_name' },
        ...verifiedAddressFields(),
        {
          id: 'zone',
          type: 'radio',
          label: { de: 'In welcher Bewohnerparkzone wohnen Sie?', en: 'Which resident parking zone do you live in?' },
          hint: { de: 'Die Zone steht auf den Schildern „Bewohner mit Parkausweis Nr. …“ in Ihrer Straße.', en: 'The zone is shown on the “Residents with permit no. …” signs in your street.' },
          required: true,
          choices: ZONE_CHOICES,
        },
        {
          id: 'email',
          type: 'email',
          label: { de: 'E-Mail-Adresse', en: 'Email address' },
          hint: { de: 'Hierhin senden wir die Eingangsbestätigung und den Ausweis.', en: 'We send the receipt and the permit here.' },
          required: true,
          maxLength: 254,
          autocomplete: 'email',
        },
      ],
      validate: (data) => addressZoneErrors(data),
    },
    {
      id: 'fahrzeug',
      title: { de: 'Für welches Fahrzeug?', en: 'For which vehicle?' },
      intro: {
        de: 'Ein Bewohnerparkausweis gilt für ein Fahrzeug bis 3,5 Tonnen, das Sie selbst nutzen.',
        en: 'A resident parking permit is for one vehicle up to 3.5 tonnes that you use yourself.',
      },
      fields: [
        {
          id: 'kennzeichen',
          type: 'text',
          label: { de: 'Kennzeichen', en: 'Number plate' },
          hint: { de: 'Zum Beispiel HAL-AB 123', en: 'For example HAL-AB 123' },
          required: true,
          maxLength: 14,
        },
        { id: 'holder', type: 'radio', label: { de: 'Auf wen ist das Fahrzeug zugelassen?', en: 'Who is the registered keeper of the vehicle?' }, required: true, choices: HOLDER_CHOICES },
        {
          id: 'registrationCertificate',
          type: 'file',
          label: { de: 'Fahrzeugschein (Zulassungsbescheinigung Teil I)', en: 'Vehicle registration certificate (Zulassungsbescheinigung Teil I)' },
          hint: { de: 'Ein Foto oder Scan der Vorderseite genügt.', en: 'A photo or scan of the front is enough.' },
          required: true,
          when: holderDiffers,
          accept: ['application/pdf', 'image/jpeg', 'image/png'],
          maxBytes: 10 * 1024 * 1024,
        },
        {
          id: 'usageConfirmation',
          type: 'file',
          label: { de: 'Bestätigung der Halterin oder des Halters, dass Sie das Fahrzeug dauerhaft nutzen', en: "The registered keeper's confirmation that you use the vehicle permanently" },
          hint: {
            de: 'Beim Firmenwagen die Bestätigung des Arbeitgebers, dass Sie ihn auch privat nutzen dürfen.',
            en: 'For a company car, your employer’s confirmation that you may also use it privately.',
          },
          required: true,
          when: holderDiffers,
          accept: ['application/pdf', 'image/jpeg', 'image/png'],
          maxBytes: 10 * 1024 * 1024,
        },
      ],
      validate: (data) => vehicleErrors(data),
    },
    {
      id: 'gueltigkeit',
      title: { de: 'Wie lange soll der Ausweis gelten?', en: 'How long should the permit be valid?' },
      fields: [
        {
          id: 'years',
          type: 'radio',
          label: { de: 'Gültigkeit', en: 'Validity' },
          required: true,
          choices: [
            { value: '1', label: { de: `1 Jahr (${formatEuro(PERMIT_FEE_CENTS_PER_YEAR, 'de')})`, en: `1 year (${formatEuro(PERMIT_FEE_CENTS_PER_YEAR, 'en')})` } },
            { value: '2', label: { de: `2 Jahre (${formatEuro(2 * PERMIT_FEE_CENTS_PER_YEAR, 'de')})`, en: `2 years (${formatEuro(2 * PERMIT_FEE_CENTS_PER_YEAR, 'en')})` } },
          ],
        },
      ],
    },
  ],
  process: {
    initial: 'received',
    onSubmit: ['send_receipt', 'issue_documents'],
    states: [
      {
        id: 'received',
        publicLabel: { de: 'Eingegangen', en: 'Received' },
        next: { de: 'Wir prüfen, ob Ihre Adresse in der Zone liegt und das Fahrzeug zu Ihnen gehört.', en: 'We check that your address is in the zone and that the vehicle is yours to use.' },
        expectedDuration: 'P3D',
      },
      {
        id: 'in_review',
        publicLabel: { de: 'In Prüfung', en: 'Under review' },
        next: { de: 'Wir stellen den Ausweis aus oder melden uns, wenn etwas fehlt.', en: 'We will issue the permit or contact you if something is missing.' },
        expectedDuration: 'P7D',
      },
      {
        id: 'issued',
        publicLabel: { de: 'Ausweis erteilt', en: 'Permit issued' },
        next: {
          de: 'Ihr Bewohnerparkausweis liegt unten zum Herunterladen bereit. Drucken Sie ihn aus und legen Sie ihn gut sichtbar hinter die Windschutzscheibe.',
          en: 'Your resident parking permit is ready to download below. Print it and place it clearly visible behind the windscreen.',
        },
        final: true,
      },
      {
        id: 'rejected',
        publicLabel: { de: 'Abgelehnt', en: 'Refused' },
        next: {
          de: 'Wir können Ihnen keinen Bewohnerparkausweis erteilen. Den Grund lesen Sie unten und im Bescheid. Sie können innerhalb eines Monats Widerspruch einlegen.',
          en: 'We cannot issue you a resident parking permit. The reason is shown below and in the decision. You can object within one month.',
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
        label: { de: 'Prüfung beginnen', en: 'Start review' },
        allowed: ['clerk', 'supervisor'],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Die Prüfung hat begonnen.', en: 'The review has started.' },
      },
      {
        id: 'issue',
        from: ['in_review'],
        to: 'issued',
        label: { de: 'Ausweis erteilen', en: 'Issue the permit' },
        allowed: ['clerk', 'supervisor'],
        inputs: [
          { id: 'permitNumber', label: { de: 'Ausweisnummer', en: 'Permit number' }, type: 'text', required: true, maxLength: 30, public: true },
          { id: 'remarks', label: { de: 'Hinweise (freiwillig)', en: 'Remarks (optional)' }, publicLabel: { de: 'Hinweise des Amts', en: 'Remarks from the office' }, type: 'textarea', required: false, maxLength: 2000, public: true },
        ],
        guard: ({ caseData }) =>
          normaliseKennzeichen(String(caseData.kennzeichen ?? ''))
            ? undefined
            : { de: 'Das Kennzeichen im Antrag ist ungültig; bitte fragen Sie es nach, bevor Sie den Ausweis erteilen.', en: 'The number plate in the application is invalid; ask for it before issuing the permit.' },
        effects: ['notify_applicant', 'issue_documents'],
        publicEvent: { de: 'Der Bewohnerparkausweis wurde erteilt.', en: 'The resident parking permit was issued.' },
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
  documents: anwohnerparkausweisDocuments,
};
