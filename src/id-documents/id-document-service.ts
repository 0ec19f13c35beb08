import { verifiedPersonFields } from '../services/person-fields.ts';
import type { TopicId } from '../catalogue/topics.ts';
import type { FeeItem, FormData, RuleContext, ServiceDefinition, Text } from '../catalogue/service-definition.ts';
import { ageOn } from './age.ts';
import { photoCodeProblem } from './photo-code.ts';
import { isSerialNumber, SERIAL_FORMAT_ERROR, SERIAL_INPUT } from './serial-number.ts';
import { RECORD_SERIAL_EFFECT } from './serials.ts';

/**
 * What the Personalausweis and the Reisepass share (DOMAIN.md: "Also Reisepass the same way"):
 * the application is prepared online from the verified identity, the photo code, the delivery
 * choice and the fee by age; fingerprints and signature are given at a booked appointment; the
 * card is made by the Bundesdruckerei and arrives at the office, where staff mark it arrived by
 * its serial number (`arrivals.ts`). Each service folder supplies its names, fees and options.
 */

/** The state in which the card is being made; the arrival page moves cases on from here. */
export const IN_PRODUCTION = 'in_production';
const START_PRODUCTION = 'start_production';
/** The transition the arrival page takes, by the delivery the applicant chose. */
export const ARRIVAL_TRANSITIONS = { pickup: 'mark_ready_for_pickup', post: 'mark_sent_by_post' } as const;

export interface IdDocumentSpec {
  readonly id: string;
  readonly version: number;
  readonly leikaKey: string;
  readonly title: Text;
  readonly summary: Text;
  readonly topic?: TopicId;
  readonly keywords: readonly string[];
  /** The document in running text: "Ihr Personalausweis" / "your ID card" (both German nouns are masculine). */
  readonly noun: Text;
  readonly fees: {
    /** From the 24th birthday on the day of submission. */
    readonly adult: FeeItem;
    readonly under24: FeeItem;
  };
  /** An express production the applicant may choose, with its surcharge. */
  readonly express?: FeeItem;
  /** Direct delivery by post instead of collecting it (DOMAIN.md: +15 EUR). */
  readonly postCents: number;
  /** Only Germans receive it (PAuswG § 1, PassG § 1; (unverified) wording). */
  readonly germansOnly: boolean;
  readonly retention: string;
  readonly appointmentPurpose: Text;
}

const POST_LABEL: Text = { de: 'Direktversand per Post', en: 'Direct delivery by post' };

const EYE_COLOURS = [
  { value: 'blau', label: { de: 'blau', en: 'blue' } },
  { value: 'grau', label: { de: 'grau', en: 'grey' } },
  { value: 'gruen', label: { de: 'grün', en: 'green' } },
  { value: 'braun', label: { de: 'braun', en: 'brown' } },
  { value: 'blaugrau', label: { de: 'blaugrau', en: 'blue-grey' } },
  { value: 'graugruen', label: { de: 'graugrün', en: 'grey-green' } },
  { value: 'gruenbraun', label: { de: 'grünbraun', en: 'green-brown' } },
  { value: 'dunkelbraun', label: { de: 'dunkelbraun', en: 'dark brown' } },
] as const;

const REASONS = [
  { value: 'first', label: { de: 'Erster Ausweis dieser Art', en: 'First document of this kind' } },
  { value: 'expired', label: { de: 'Der bisherige läuft ab oder ist abgelaufen', en: 'The current one expires or has expired' } },
  { value: 'lost', label: { de: 'Verloren oder gestohlen', en: 'Lost or stolen' } },
  { value: 'damaged', label: { de: 'Beschädigt', en: 'Damaged' } },
  { value: 'changed', label: { de: 'Name oder Anschrift haben sich geändert', en: 'Name or address changed' } },
] as const;

/** "DE", "deutsch", "Deutschland", "German": the nationality claim or a typed answer. */
function isGerman(nationality: string): boolean {
  return nationality
    .split(/[,;/]/)
    .map((n) => n.trim().toLowerCase())
    .some((n) => ['de', 'deu', 'deutsch', 'deutschland', 'german', 'germany'].includes(n));
}

/** The fee on the day of submission (`ctx.now`): by age, plus post and express where chosen. */
function idDocumentFee(spec: Pick<IdDocumentSpec, 'fees' | 'express' | 'postCents'>, data: FormData, ctx: RuleContext): { cents: number; items: FeeItem[] } {
  const age = ageOn(String(data.birthdate ?? ''), ctx);
  // Before the birthdate is known the full fee is the safe estimate.
  const items: FeeItem[] = [age !== undefined && age < 24 ? spec.fees.under24 : spec.fees.adult];
  if (spec.express && data.express === 'yes') items.push(spec.express);
  if (data.delivery === 'post') items.push({ label: POST_LABEL, cents: spec.postCents });
  return { cents: items.reduce((s, i) => s + i.cents, 0), items };
}

export function idDocumentService(spec: IdDocumentSpec): ServiceDefinition {
  const n = spec.noun;
  const euro = (cents: number) => `${(cents / 100).toFixed(2).replace('.', ',')} €`;
  const euroEn = (cents: number) => `€${(cents / 100).toFixed(2)}`;
  return {
    id: spec.id,
    version: spec.version,
    leikaKey: spec.leikaKey,
    title: spec.title,
    summary: spec.summary,
    ...(spec.topic ? { topic: spec.topic } : {}),
    keywords: spec.keywords,
    // Substantial (ELSTER-like) is enough to prepare the application: the applicant is identified
    // again in person, with fingerprints, before anything is produced, and someone whose ID card
    // was lost cannot use its online function for "high".
    identityLevel: 'substantial',
    feeCents: spec.fees.under24.cents,
    fee: (data, ctx) => idDocumentFee(spec, data, ctx),
    receivingDepartment: 'buergerservice',
    retention: spec.retention,
    applicantEmailField: 'email',
    applicantNameField: 'familyName',
    caseSummary: (d, lang) =>
      [spec.title[lang], d.delivery === 'post' ? (lang === 'de' ? 'per Post' : 'by post') : lang === 'de' ? 'Abholung' : 'pickup', d.express === 'yes' ? 'Express' : ''].filter(Boolean).join(', '),
    pages: [
      {
        id: 'person',
        title: { de: 'Ihre Angaben', en: 'Your details' },
        intro: {
          de: 'Name, Geburtsdaten, Staatsangehörigkeit und Anschrift kommen aus Ihrem Identitätsnachweis und können hier nicht geändert werden. Stimmt etwas nicht, sagen Sie es bitte bei Ihrem Termin.',
          en: 'Name, birth details, nationality and address come from your proof of identity and cannot be changed here. If something is wrong, please say so at your appointment.',
        },
        fields: [
          ...verifiedPersonFields(),
          {
            id: 'email',
            type: 'email',
            label: { de: 'E-Mail-Adresse', en: 'Email address' },
            hint: { de: 'Hierhin senden wir die Eingangsbestätigung und die Nachricht, sobald Ihr Dokument da ist.', en: 'We send the receipt here, and word as soon as your document has arrived.' },
            required: true,
            maxLength: 254,
            autocomplete: 'email',
          },
        ],
        validate: (d) =>
          spec.germansOnly && typeof d.nationality === 'string' && d.nationality.trim() !== '' && !isGerman(d.nationality)
            ? [
                {
                  field: 'nationality',
                  message: {
                    de: `${n.de.replace(/^Ihr /, 'Einen ')} erhalten nur deutsche Staatsangehörige. Für einen Pass Ihres Landes wenden Sie sich bitte an dessen Botschaft oder Konsulat.`,
                    en: `Only German nationals can get ${n.en.replace(/^your /, 'a German ')}. For a passport of your country, please contact its embassy or consulate.`,
                  },
                },
              ]
            : [],
      },
      {
        id: 'merkmale',
        title: { de: 'Was in das Dokument eingetragen wird', en: 'What goes into the document' },
        fields: [
          {
            id: 'applicationReason',
            type: 'radio',
            label: { de: 'Warum beantragen Sie es?', en: 'Why are you applying?' },
            required: true,
            choices: REASONS,
          },
          {
            id: 'heightCm',
            type: 'integer',
            label: { de: 'Größe in Zentimetern', en: 'Height in centimetres' },
            hint: { de: 'Ohne Schuhe, zum Beispiel 172.', en: 'Without shoes, for example 172.' },
            required: true,
            min: 40,
            max: 250,
          },
          { id: 'eyeColour', type: 'select', label: { de: 'Augenfarbe', en: 'Eye colour' }, required: true, choices: EYE_COLOURS },
        ],
        notices: (d, ctx) => [
          ...((ageOn(String(d.birthdate ?? ''), ctx) ?? 99) < 16
            ? [
                // (unverified) PAuswG § 9(2), PassG § 6(1): under 16 the legal guardians apply.
                {
                  de: 'Unter 16 Jahren stellen die Sorgeberechtigten den Antrag: Bringen Sie zum Termin die Zustimmung beider Eltern mit, am besten kommen beide mit.',
                  en: 'Under 16, the legal guardians apply: bring the consent of both parents to the appointment; ideally both come along.',
                },
              ]
            : []),
          ...(d.applicationReason === 'lost'
            ? [
                {
                  de: 'Ein verlorener oder gestohlener Ausweis wird gesperrt, sobald Sie den Verlust bei uns oder der Polizei melden. Bringen Sie eine Verlustanzeige der Polizei zum Termin mit, falls Sie eine haben.',
                  en: 'A lost or stolen document is blocked as soon as you report the loss to us or to the police. Bring a police loss report to the appointment if you have one.',
                },
              ]
            : []),
        ],
      },
      {
        id: 'foto',
        title: { de: 'Ihr biometrisches Foto', en: 'Your biometric photo' },
        intro: {
          de: 'Seit dem 1. Mai 2025 gibt es Fotos nur noch digital: Ein zertifiziertes Fotostudio lädt Ihr Foto hoch und gibt Ihnen einen Beleg mit einem Data-Matrix-Code und dem Lichtbild-Code. Ausgedruckte Fotos, USB-Sticks oder E-Mails nehmen wir nicht an. Sie können das Foto auch bei Ihrem Termin im Bürgerservice machen lassen (6 Euro); dann lassen Sie das Feld leer.',
          en: 'Since 1 May 2025 photos are digital only: a certified photo studio uploads your photo and gives you a slip with a Data Matrix code and the photo code. We do not accept printed photos, USB sticks or e-mails. You can also have the photo taken at your appointment at Citizen Services (6 euros); then leave the field empty.',
        },
        fields: [
          {
            id: 'photoCode',
            type: 'text',
            label: { de: 'Lichtbild-Code (freiwillig)', en: 'Photo code (optional)' },
            hint: {
              de: '12 Zeichen unter dem Data-Matrix-Code auf dem Beleg, zum Beispiel K7QW-3MXA-9PZD. Groß- und Kleinschreibung und Bindestriche sind egal.',
              en: '12 characters below the Data Matrix code on the slip, for example K7QW-3MXA-9PZD. Upper or lower case and hyphens do not matter.',
            },
            maxLength: 30,
          },
        ],
        validate: (d) => {
          const code = typeof d.photoCode === 'string' ? d.photoCode.trim() : '';
          const problem = code === '' ? undefined : photoCodeProblem(code);
          return problem ? [{ field: 'photoCode', message: problem }] : [];
        },
      },
      {
        id: 'zustellung',
        title: { de: 'Abholung oder Versand', en: 'Collection or delivery' },
        fields: [
          {
            id: 'delivery',
            type: 'radio',
            label: { de: 'Wie möchten Sie das Dokument erhalten?', en: 'How would you like to receive the document?' },
            required: true,
            choices: [
              { value: 'pickup', label: { de: 'Abholung im Bürgerservice', en: 'Collect it at Citizen Services' } },
              {
                value: 'post',
                label: {
                  de: `Direktversand per Post an Ihre Anschrift (zusätzlich ${euro(spec.postCents)})`,
                  en: `Direct delivery by post to your address (${euroEn(spec.postCents)} extra)`,
                },
              },
            ],
          },
          ...(spec.express
            ? [
                {
                  id: 'express',
                  type: 'radio' as const,
                  label: { de: 'Expressverfahren', en: 'Express production' },
                  hint: {
                    de: `Schnellere Herstellung, meist in wenigen Werktagen (zusätzlich ${euro(spec.express.cents)}).`,
                    en: `Faster production, usually within a few working days (${euroEn(spec.express.cents)} extra).`,
                  },
                  required: true,
                  choices: [
                    { value: 'no', label: { de: 'Nein, normale Herstellung', en: 'No, normal production' } },
                    { value: 'yes', label: { de: 'Ja, Expressverfahren', en: 'Yes, express' } },
                  ],
                },
              ]
            : []),
        ],
        notices: (d) => [
          ...(d.delivery === 'post'
            ? [
                {
                  de: 'Die Bundesdruckerei schickt das Dokument an die Anschrift aus Ihren Angaben. Ihr altes Dokument bringen Sie zum Termin mit; es wird dort entwertet.',
                  en: 'The Bundesdruckerei sends the document to the address in your details. Bring your old document to the appointment; it is cancelled there.',
                },
              ]
            : []),
        ],
      },
    ],
    process: {
      initial: 'applied',
      onSubmit: ['send_receipt'],
      states: [
        {
          id: 'applied',
          publicLabel: { de: 'Beantragt', en: 'Applied' },
          next: {
            de: 'Buchen Sie jetzt Ihren Termin für Fingerabdrücke und Unterschrift und bringen Sie Ihr bisheriges Dokument mit. Nach dem Termin bestellen wir das neue bei der Bundesdruckerei.',
            en: 'Book your appointment for fingerprints and signature now, and bring your current document. After the appointment we order the new one from the Bundesdruckerei.',
          },
          expectedDuration: 'P28D',
        },
        {
          id: IN_PRODUCTION,
          publicLabel: { de: 'In Herstellung (Bundesdruckerei)', en: 'In production (Bundesdruckerei)' },
          next: {
            de: `${n.de} wird in der Bundesdruckerei hergestellt, meist in 2 bis 6 Wochen. Wir benachrichtigen Sie, sobald er da ist.`,
            en: `${cap(n.en)} is being made at the Bundesdruckerei, usually in 2 to 6 weeks. We will tell you as soon as it has arrived.`,
          },
          expectedDuration: 'P42D',
        },
        {
          id: 'ready_for_pickup',
          publicLabel: { de: 'Abholbereit', en: 'Ready for pickup' },
          next: {
            de: `${n.de} liegt im Bürgerservice für Sie bereit. Bringen Sie Ihr bisheriges Dokument mit. Einen Termin zum Abholen buchen Sie unter „Termin im Bürgerservice vereinbaren“.`,
            en: `${cap(n.en)} is ready for you at Citizen Services. Bring your current document. Book a time to collect it under “Book an appointment at Citizen Services”.`,
          },
          expectedDuration: 'P90D',
        },
        {
          id: 'sent_by_post',
          publicLabel: { de: 'Per Post versandt', en: 'Sent by post' },
          next: {
            de: `${n.de} ist unterwegs zu Ihnen. Bitte bestätigen Sie hier, wenn er angekommen ist.`,
            en: `${cap(n.en)} is on its way to you. Please confirm here when it has arrived.`,
          },
          expectedDuration: 'P7D',
        },
        {
          id: 'handed_over',
          publicLabel: { de: 'Ausgehändigt', en: 'Handed over' },
          next: { de: `Sie haben ${n.de.replace(/^Ihr /, 'Ihren ')} erhalten. Es ist nichts weiter zu tun.`, en: `You have received ${n.en}. Nothing else needs to be done.` },
          final: true,
        },
        {
          id: 'withdrawn',
          publicLabel: { de: 'Zurückgezogen', en: 'Withdrawn' },
          next: { de: 'Sie haben den Antrag zurückgezogen. Es ist nichts weiter zu tun.', en: 'You withdrew the application. Nothing else needs to be done.' },
          final: true,
        },
        {
          id: 'rejected',
          publicLabel: { de: 'Abgelehnt', en: 'Refused' },
          next: { de: 'Der Antrag wurde abgelehnt. Die Gründe stehen unten.', en: 'The application was refused. The reasons are below.' },
          final: true,
        },
      ],
      transitions: [
        {
          id: START_PRODUCTION,
          from: ['applied'],
          to: IN_PRODUCTION,
          label: { de: 'Bei der Bundesdruckerei bestellt', en: 'Ordered from the Bundesdruckerei' },
          allowed: ['clerk', 'supervisor'],
          inputs: [
            {
              id: SERIAL_INPUT,
              label: { de: 'Seriennummer (Dokumentennummer)', en: 'Serial number (document number)' },
              type: 'text',
              required: true,
              maxLength: 20,
              public: false,
            },
          ],
          guard: ({ input }) => (isSerialNumber(input[SERIAL_INPUT] ?? '') ? undefined : SERIAL_FORMAT_ERROR),
          effects: [RECORD_SERIAL_EFFECT, 'notify_applicant'],
          publicEvent: {
            de: `Ihre Fingerabdrücke und Ihre Unterschrift sind aufgenommen. ${n.de} wird jetzt hergestellt.`,
            en: `Your fingerprints and signature have been taken. ${cap(n.en)} is now being made.`,
          },
        },
        {
          id: ARRIVAL_TRANSITIONS.pickup,
          from: [IN_PRODUCTION],
          to: 'ready_for_pickup',
          label: { de: 'Eingetroffen: abholbereit', en: 'Arrived: ready for pickup' },
          allowed: ['clerk', 'supervisor'],
          guard: ({ caseData }) => (caseData.delivery === 'post' ? { de: 'Dieses Dokument wird per Post versandt.', en: 'This document is delivered by post.' } : undefined),
          effects: ['notify_applicant'],
          publicEvent: { de: `${n.de} ist da und kann abgeholt werden.`, en: `${cap(n.en)} has arrived and is ready for pickup.` },
        },
        {
          id: ARRIVAL_TRANSITIONS.post,
          from: [IN_PRODUCTION],
          to: 'sent_by_post',
          label: { de: 'Per Post versandt', en: 'Sent by post' },
          allowed: ['clerk', 'supervisor'],
          guard: ({ caseData }) => (caseData.delivery === 'post' ? undefined : { de: 'Dieses Dokument wird abgeholt, nicht versandt.', en: 'This document is collected, not sent.' }),
          effects: ['notify_applicant'],
          publicEvent: { de: `${n.de} ist per Post an Sie unterwegs.`, en: `${cap(n.en)} is on its way to you by post.` },
        },
        {
          id: 'hand_over',
          from: ['ready_for_pickup'],
          to: 'handed_over',
          label: { de: 'Ausgehändigt', en: 'Handed over' },
          allowed: ['clerk', 'supervisor'],
          effects: ['notify_applicant'],
          publicEvent: { de: `${n.de} wurde Ihnen ausgehändigt.`, en: `${cap(n.en)} was handed to you.` },
        },
        {
          id: 'confirm_receipt',
          from: ['sent_by_post'],
          to: 'handed_over',
          label: { de: 'Erhalt bestätigen', en: 'Confirm receipt' },
          allowed: ['applicant', 'clerk', 'supervisor'],
          effects: [],
          publicEvent: { de: `Der Erhalt ist bestätigt.`, en: 'Receipt confirmed.' },
        },
        {
          id: 'withdraw',
          from: ['applied'],
          to: 'withdrawn',
          label: { de: 'Antrag zurückziehen', en: 'Withdraw the application' },
          allowed: ['applicant'],
          effects: [],
          publicEvent: { de: 'Sie haben den Antrag zurückgezogen.', en: 'You withdrew the application.' },
        },
        {
          id: 'reject',
          from: ['applied'],
          to: 'rejected',
          label: { de: 'Ablehnen', en: 'Refuse' },
          allowed: ['clerk', 'supervisor'],
          inputs: [
            {
              id: 'reason',
              label: { de: 'Begründung', en: 'Reasons' },
              publicLabel: { de: 'Gründe der Ablehnung', en: 'Reasons for the refusal' },
              type: 'textarea',
              required: true,
              maxLength: 4000,
              public: true,
            },
          ],
          effects: ['notify_applicant'],
          publicEvent: { de: 'Der Antrag wurde abgelehnt.', en: 'The application was refused.' },
        },
      ],
    },
    appointment: {
      purpose: spec.appointmentPurpose,
      slotMinutes: 20,
      capacityPerSlot: 2,
      locations: ['buergerservice-markt', 'buergerservice-neustadt'],
      bookAheadDays: 42,
      minNoticeHours: 2,
    },
  };
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
