import type { AutomaticDecision, DocumentTemplate, FormData, RuleContext, ServiceDefinition } from '../../catalogue/service-definition.ts';
import { formatDate, formatIsoDate } from '../../platform/i18n/time.ts';
import { emailField, identityFields, SEAL_NOTE } from '../wohnsitzanmeldung/people.ts';

/**
 * Meldebescheinigung (BMG § 18): a certificate of one's own registration, online around the
 * clock with the online ID card (DOMAIN.md). Issued at once by the system (ADR 0022): the
 * submission's `decide_automatically` effect takes the transition `issue`, which issues the
 * sealed PDF. The data certified is the data of the verified identity (the ID card's chip
 * address is updated at every registration); there is no register connection here, so a case
 * whose identity data is incomplete goes to a clerk instead.
 *
 * Kinds: einfache (names, doctoral degree, current address) and erweiterte (also date and place
 * of birth and nationality; the register's further items are not reachable here).
 * Fee (unverified): at the counter many cities charge 5–10 EUR; online with the eID several
 * issue it free of charge. Here: free; a city sets its fee in this definition.
 */
const str = (d: FormData, k: string) => (typeof d[k] === 'string' ? (d[k] as string).trim() : '');

const KINDS = [
  { value: 'simple', label: { de: 'Einfache Meldebescheinigung (Name und Anschrift)', en: 'Simple certificate (name and address)' } },
  { value: 'extended', label: { de: 'Erweiterte Meldebescheinigung (auch Geburtsdatum, Geburtsort, Staatsangehörigkeit)', en: 'Extended certificate (also date and place of birth, nationality)' } },
] as const;

const REQUIRED_FOR_AUTOMATIC = ['givenNames', 'familyName', 'birthdate', 'currentStreet', 'currentPostcode', 'currentTown'];

/** Issue at once when the identity supplied everything certified; otherwise a clerk looks. */
export function decideMeldebescheinigung(data: FormData, _ctx: RuleContext): AutomaticDecision | undefined {
  if (REQUIRED_FOR_AUTOMATIC.some((k) => str(data, k) === '')) return undefined;
  if (data.kind !== 'simple' && data.kind !== 'extended') return undefined;
  return { transition: 'issue' };
}

const documents: readonly DocumentTemplate[] = [
  {
    id: 'meldebescheinigung',
    kind: 'decision',
    issuedOn: 'issue',
    title: { de: 'Meldebescheinigung', en: 'Registration certificate' },
    content: (d, ctx) => ({
      paragraphs: [
        {
          de: `Die Meldebehörde der ${ctx.city.de} bescheinigt nach § 18 Bundesmeldegesetz, dass die folgende Person mit den folgenden Daten gemeldet ist (${d.kind === 'extended' ? 'erweiterte' : 'einfache'} Meldebescheinigung):`,
        },
      ],
      rows: [
        { label: { de: 'Familienname', en: 'Family name' }, value: str(d, 'familyName') },
        { label: { de: 'Vornamen', en: 'Given names' }, value: str(d, 'givenNames') },
        ...(d.kind === 'extended'
          ? [
              { label: { de: 'Geburtsdatum', en: 'Date of birth' }, value: formatIsoDate(str(d, 'birthdate'), 'de') },
              { label: { de: 'Geburtsort', en: 'Place of birth' }, value: str(d, 'placeOfBirth') },
              { label: { de: 'Staatsangehörigkeit', en: 'Nationality' }, value: str(d, 'nationality') },
            ]
          : []),
        { label: { de: 'Anschrift', en: 'Address' }, value: `${str(d, 'currentStreet')}, ${str(d, 'currentPostcode')} ${str(d, 'currentTown')}` },
        { label: { de: 'Stand', en: 'As of' }, value: formatDate(ctx.issuedAt, 'de', ctx.timeZone) },
      ],
      closing: [...(str(d, 'purpose') ? [{ de: `Verwendungszweck: ${str(d, 'purpose')}` }] : []), SEAL_NOTE],
    }),
  },
];

export const meldebescheinigung: ServiceDefinition = {
  id: 'meldebescheinigung',
  version: 1,
  leikaKey: '99115006001000', // (unverified)
  title: { de: 'Meldebescheinigung', en: 'Registration certificate (Meldebescheinigung)' },
  summary: {
    de: 'Bescheinigung Ihrer Anschrift, zum Beispiel für den Arbeitgeber oder eine Behörde. Mit dem Online-Ausweis sofort als gesiegeltes PDF, rund um die Uhr. Kostenlos.',
    en: 'A certificate of your address, for example for your employer or an authority. With the online ID card at once as a sealed PDF, around the clock. Free of charge.',
  },
  topic: 'wohnen',
  keywords: ['meldebescheinigung', 'meldebestätigung', 'wohnsitz', 'wohnsitzbescheinigung', 'anschrift', 'adresse nachweisen', 'aufenthaltsbescheinigung', 'registration certificate', 'proof of address'],
  identityLevel: 'high',
  feeCents: 0, // (unverified) see above
  receivingDepartment: 'buergerservice',
  retention: 'P1Y', // (unverified)
  applicantEmailField: 'email',
  applicantNameField: 'familyName',
  caseSummary: (d, lang) => KINDS.find((k) => k.value === d.kind)?.label[lang] ?? '',
  pages: [
    {
      id: 'person',
      title: { de: 'Ihre Daten', en: 'About you' },
      intro: {
        de: 'Bescheinigt werden die Daten aus Ihrem Online-Ausweis. Stimmt Ihre Anschrift nicht, melden Sie sich bitte zuerst um.',
        en: 'The certificate states the data from your online ID card. If your address is wrong, please register your new address first.',
      },
      fields: [...identityFields({ address: 'current' }), emailField],
    },
    {
      id: 'art',
      title: { de: 'Welche Bescheinigung brauchen Sie?', en: 'Which certificate do you need?' },
      fields: [
        { id: 'kind', type: 'radio', label: { de: 'Art der Meldebescheinigung', en: 'Kind of certificate' }, required: true, choices: KINDS },
        { id: 'purpose', type: 'text', label: { de: 'Verwendungszweck (freiwillig)', en: 'Purpose (optional)' }, hint: { de: 'Wird auf die Bescheinigung gedruckt, zum Beispiel „zur Vorlage beim Arbeitgeber“.', en: 'Printed on the certificate, for example “for my employer”.' }, maxLength: 100 },
      ],
    },
  ],
  process: {
    initial: 'received',
    onSubmit: ['decide_automatically'],
    automatic: decideMeldebescheinigung,
    states: [
      {
        id: 'received',
        publicLabel: { de: 'Eingegangen', en: 'Received' },
        next: { de: 'Ihre Meldebescheinigung wird erstellt. Das dauert meist nur einen Augenblick; laden Sie die Seite neu.', en: 'Your certificate is being created. This usually takes a moment; reload the page.' },
        expectedDuration: 'PT1H',
      },
      {
        id: 'issued',
        publicLabel: { de: 'Ausgestellt', en: 'Issued' },
        next: { de: 'Ihre Meldebescheinigung steht unten zum Herunterladen. Sie ist elektronisch gesiegelt und ohne Unterschrift gültig.', en: 'Your certificate is below to download. It carries an electronic seal and is valid without a signature.' },
        final: true,
      },
      {
        id: 'refused',
        publicLabel: { de: 'Nicht online möglich', en: 'Not possible online' },
        next: { de: 'Die Bescheinigung kann online nicht ausgestellt werden; den Grund lesen Sie unten. Bitte buchen Sie einen Termin im Bürgerservice.', en: 'The certificate cannot be issued online; the reason is below. Please book an appointment at Citizen Services.' },
        final: true,
      },
    ],
    transitions: [
      {
        id: 'issue',
        from: ['received'],
        to: 'issued',
        label: { de: 'Meldebescheinigung ausstellen', en: 'Issue certificate' },
        allowed: ['system', 'clerk', 'supervisor'],
        effects: ['issue_documents', 'notify_applicant'],
        publicEvent: { de: 'Ihre Meldebescheinigung ist ausgestellt.', en: 'Your certificate has been issued.' },
      },
      {
        id: 'refuse',
        from: ['received'],
        to: 'refused',
        label: { de: 'Online ablehnen', en: 'Refuse online' },
        allowed: ['clerk', 'supervisor'],
        inputs: [{ id: 'reason', label: { de: 'Begründung', en: 'Reason' }, publicLabel: { de: 'Grund', en: 'Reason' }, type: 'textarea', required: true, maxLength: 2000, public: true }],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Die Bescheinigung ist online nicht möglich.', en: 'The certificate is not possible online.' },
      },
    ],
  },
  documents,
};
