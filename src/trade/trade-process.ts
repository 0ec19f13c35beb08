import type { AutomaticDecision, FormData, RuleContext, ServiceDefinition, Text } from '../catalogue/service-definition.ts';
import { assessForm } from './permit-rules.ts';
import { isThirdCountry } from './recipients.ts';
import { listOf, textOf } from './trade-fields.ts';
import type { NoticeKind } from './trade-notice.ts';

/**
 * The process every trade notice follows (GewO §§ 14, 15): received → accepted, by the system
 * at once when the rules allow it (ADR 0022), else by a clerk within three days (§ 15(1)); a
 * clerk may ask for more through the request feature, or refuse to confirm it (e.g. not a trade).
 * Acceptance issues the sealed receipt and sends the XGewerbeanzeige messages.
 */
const ACCEPT_EFFECTS = ['issue_documents', 'notify_applicant', 'deliver_trade_messages'] as const;
export const ACCEPT_AUTOMATICALLY = 'accept_automatically';
export const ACCEPT = 'accept';

/** Why a notice goes to a clerk, or undefined when the system may accept it at once. */
export function clerkReasons(kind: NoticeKind, d: FormData): Text[] {
  const reasons: Text[] = [];
  const permits = (prefix: string) => {
    for (const r of assessForm(d, prefix).reasons) reasons.push({ de: `${r.what.de} (${r.law})`, en: `${r.what.en} (${r.law})` });
  };
  if (kind === 'anmeldung') permits('');
  if (kind === 'ummeldung' && listOf(d, 'changeKinds').includes('activity')) permits('new');
  if (kind !== 'abmeldung' && isThirdCountry(textOf(d, 'nationality')) && textOf(d, 'residenceTitle') !== 'yes')
    reasons.push({ de: 'Aufenthaltstitel erlaubt die selbstständige Tätigkeit nicht (§ 4 AufenthG)', en: 'Residence title does not allow self-employment' });
  return reasons;
}

function automaticDecision(kind: NoticeKind) {
  return (d: FormData, _ctx: RuleContext): AutomaticDecision | undefined => (clerkReasons(kind, d).length === 0 ? { transition: ACCEPT_AUTOMATICALLY } : undefined);
}

const noun: Record<NoticeKind, Text> = {
  anmeldung: { de: 'Gewerbeanmeldung', en: 'trade registration' },
  ummeldung: { de: 'Gewerbeummeldung', en: 'change of trade registration' },
  abmeldung: { de: 'Gewerbeabmeldung', en: 'trade deregistration' },
};

export function tradeProcess(kind: NoticeKind): ServiceDefinition['process'] {
  const n = noun[kind];
  return {
    initial: 'received',
    onSubmit: ['send_receipt', 'decide_automatically'],
    automatic: automaticDecision(kind),
    states: [
      {
        id: 'received',
        publicLabel: { de: 'Eingegangen', en: 'Received' },
        next: {
          de: `Das Gewerbeamt prüft Ihre ${n.de}. Braucht die Tätigkeit keine Erlaubnis, bestätigt es den Eingang sofort; sonst prüft eine Sachbearbeiterin oder ein Sachbearbeiter sie innerhalb von drei Tagen.`,
          en: `The trade office checks your ${n.en}. If the activity needs no permit, receipt is confirmed at once; otherwise a clerk checks it within three days.`,
        },
        // GewO § 15(1): receipt confirmed within three days (wording unverified, DOMAIN.md).
        deadline: 'P3D',
      },
      {
        id: 'accepted',
        publicLabel: { de: 'Eingang bestätigt', en: 'Accepted' },
        next: {
          de: 'Die Empfangsbestätigung nach § 15 Abs. 1 GewO liegt unten zum Herunterladen bereit. Das Gewerbeamt hat die Anzeige an das Finanzamt, die Kammer und die weiteren zuständigen Stellen weitergeleitet; diese melden sich bei Ihnen.',
          en: 'The receipt under § 15(1) GewO is ready to download below. The trade office has forwarded the notice to the tax office, the chamber and the other offices concerned; they will contact you.',
        },
        final: true,
      },
      {
        id: 'rejected',
        publicLabel: { de: 'Nicht bestätigt', en: 'Not confirmed' },
        next: {
          de: 'Das Gewerbeamt kann den Eingang so nicht bestätigen. Die Begründung steht unten. Bei Fragen antworten Sie über das Postfach.',
          en: 'The trade office cannot confirm the notice as filed. The reason is shown below. If you have questions, reply through the mailbox.',
        },
        final: true,
      },
      {
        id: 'withdrawn',
        publicLabel: { de: 'Zurückgezogen', en: 'Withdrawn' },
        next: { de: 'Sie haben die Anzeige zurückgezogen. Es ist nichts weiter zu tun.', en: 'You withdrew the notice. Nothing else needs to be done.' },
        final: true,
      },
    ],
    transitions: [
      {
        id: ACCEPT_AUTOMATICALLY,
        from: ['received'],
        to: 'accepted',
        label: { de: 'Automatisch bestätigen (erlaubnisfrei)', en: 'Accept automatically (no permit needed)' },
        allowed: ['system'],
        effects: ACCEPT_EFFECTS,
        publicEvent: { de: 'Der Eingang wurde bestätigt; die Tätigkeit braucht keine Erlaubnis.', en: 'Receipt confirmed; the activity needs no permit.' },
      },
      {
        id: ACCEPT,
        from: ['received'],
        to: 'accepted',
        label: { de: 'Eingang bestätigen', en: 'Accept' },
        allowed: ['clerk', 'supervisor'],
        inputs: [
          {
            id: 'note',
            label: { de: 'Hinweis an die Gewerbetreibenden (freiwillig)', en: 'Note to the applicant (optional)' },
            publicLabel: { de: 'Hinweis des Gewerbeamts', en: 'Note from the trade office' },
            type: 'textarea',
            required: false,
            maxLength: 2000,
            public: true,
          },
        ],
        effects: ACCEPT_EFFECTS,
        publicEvent: { de: 'Das Gewerbeamt hat den Eingang bestätigt.', en: 'The trade office confirmed receipt.' },
      },
      {
        id: 'reject',
        from: ['received'],
        to: 'rejected',
        label: { de: 'Nicht bestätigen', en: 'Do not confirm' },
        allowed: ['clerk', 'supervisor'],
        inputs: [{ id: 'reason', label: { de: 'Begründung', en: 'Reason' }, type: 'textarea', required: true, maxLength: 4000, public: true }],
        effects: ['notify_applicant'],
        publicEvent: { de: 'Das Gewerbeamt hat den Eingang nicht bestätigt.', en: 'The trade office did not confirm the notice.' },
      },
      {
        id: 'withdraw',
        from: ['received'],
        to: 'withdrawn',
        label: { de: 'Anzeige zurückziehen', en: 'Withdraw the notice' },
        allowed: ['applicant'],
        effects: [],
        publicEvent: { de: 'Sie haben die Anzeige zurückgezogen.', en: 'You withdrew the notice.' },
      },
    ],
  };
}
