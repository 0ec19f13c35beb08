import type { Kysely } from 'kysely';
import type { FormData, Text } from '../catalogue/service-definition.ts';
import { formatDurationSeconds } from '../platform/i18n/time.ts';
import type { Database } from '../schema.ts';
import { caseTradeDeliveries, type TradeDeliveryRow } from '../trade/deliveries.ts';
import { registerAdvice } from './tax-questionnaire.ts';

/**
 * The founder's checklist (issue 6 item 4): every part of founding with its status, read from the
 * case itself: the trade notice's state and receipt, each XGewerbeanzeige delivery (tax office,
 * chamber, accident insurance, statistics office, …), the tax questionnaire the founder files
 * through ELSTER, the commercial register. And the measured time from submission to receipt.
 */
export type PartStatus = 'done' | 'in_progress' | 'todo' | 'not_needed' | 'problem';

interface ChecklistItem {
  readonly id: string;
  readonly title: Text;
  readonly status: PartStatus;
  readonly detail: Text;
  /** A download or next step on this site. */
  readonly action?: { readonly href: string; readonly label: Text };
}

export interface FoundingChecklist {
  readonly items: readonly ChecklistItem[];
  /** Seconds from submission to the sealed receipt; undefined while there is none. */
  readonly receiptSeconds?: number;
}

const deliveryStatus = (rows: readonly TradeDeliveryRow[]): PartStatus =>
  rows.length === 0 ? 'todo' : rows.every((r) => r.status === 'delivered') ? 'done' : 'in_progress';

/** The duration in both languages (`formatSeconds` in platform/i18n/time.ts). */
export const formatSeconds = (seconds: number): Text => ({ de: formatDurationSeconds(seconds, 'de'), en: formatDurationSeconds(seconds, 'en') });

export async function foundingChecklist(db: Kysely<Database>, row: { id: string; state: string; submitted_at: Date; form_data: unknown }): Promise<FoundingChecklist> {
  const data = row.form_data as FormData;
  const [deliveries, receipt] = await Promise.all([
    caseTradeDeliveries(db, row.id),
    db.selectFrom('issued_documents').select('issued_at').where('case_id', '=', row.id).where('kind', '=', 'receipt').orderBy('issued_at').executeTakeFirst(),
  ]);
  const receiptSeconds = receipt ? Math.max(0, (receipt.issued_at.getTime() - row.submitted_at.getTime()) / 1000) : undefined;
  const byKind = (...kinds: string[]) => deliveries.filter((d) => kinds.includes(d.recipientKind));
  const items: ChecklistItem[] = [];

  const accepted = row.state === 'accepted';
  items.push({
    id: 'trade',
    title: { de: 'Gewerbeanmeldung', en: 'Trade registration' },
    status: accepted ? (receipt ? 'done' : 'in_progress') : row.state === 'rejected' ? 'problem' : row.state === 'withdrawn' ? 'not_needed' : 'in_progress',
    detail: accepted
      ? receipt
        ? { de: `Eingang bestätigt; die Empfangsbestätigung kam ${formatSeconds(receiptSeconds!).de} nach dem Absenden.`, en: `Accepted; the receipt came ${formatSeconds(receiptSeconds!).en} after sending.` }
        : { de: 'Angenommen; die Empfangsbestätigung wird gerade ausgestellt.', en: 'Accepted; the receipt is being issued.' }
      : row.state === 'rejected'
        ? { de: 'Das Gewerbeamt hat den Eingang nicht bestätigt; die Begründung steht im Verlauf.', en: 'The trade office did not confirm receipt; the reason is in the history.' }
        : { de: 'Ihre Tätigkeit braucht eine Erlaubnis oder Handwerkskarte oder wird gerade geprüft; das Gewerbeamt meldet sich innerhalb von drei Tagen.', en: 'Your activity needs a permit or craft card or is being checked; the trade office replies within three days.' },
  });

  const tax = byKind('fa');
  items.push({
    id: 'tax-office',
    title: { de: 'Finanzamt informiert', en: 'Tax office informed' },
    status: accepted ? deliveryStatus(tax) : 'todo',
    detail: { de: 'Das Gewerbeamt übermittelt Ihre Anmeldung an das Finanzamt.', en: 'The trade office sends your registration to the tax office.' },
  });
  items.push({
    id: 'elster',
    title: { de: 'Fragebogen zur steuerlichen Erfassung', en: 'Tax registration questionnaire' },
    status: 'todo',
    detail: {
      de: 'Ihre Aufgabe: Laden Sie Ihre Angaben herunter und senden Sie den Fragebogen über ELSTER (Mein ELSTER) innerhalb eines Monats nach dem Beginn der Tätigkeit.',
      en: 'Your task: download your answers and send the questionnaire through ELSTER (Mein ELSTER) within one month of starting.',
    },
    action: { href: `/status/${row.id}/elster-export`, label: { de: 'Angaben für ELSTER herunterladen (XML)', en: 'Download your answers for ELSTER (XML)' } },
  });

  const chambers = byKind('ihk', 'hwk');
  items.push({
    id: 'chamber',
    title: { de: 'Kammer (IHK oder HWK)', en: 'Chamber (IHK or HWK)' },
    status: accepted ? deliveryStatus(chambers) : 'todo',
    detail: { de: 'Die Mitgliedschaft entsteht automatisch; die Kammer meldet sich bei Ihnen.', en: 'Membership is automatic; the chamber will contact you.' },
  });
  const bg = byKind('bg');
  items.push({
    id: 'accident-insurance',
    title: { de: 'Unfallversicherung (Berufsgenossenschaft)', en: 'Accident insurance (Berufsgenossenschaft)' },
    status: accepted ? deliveryStatus(bg) : 'todo',
    detail: {
      de: 'Die Berufsgenossenschaft erhält Ihre Anmeldung. Melden Sie Ihr Unternehmen dort auch selbst innerhalb einer Woche an (§ 192 SGB VII).',
      en: 'The accident insurance receives your registration. Also register your business with it yourself within one week (§ 192 SGB VII).',
    },
  });
  const others = deliveries.filter((d) => !['fa', 'ihk', 'hwk', 'bg'].includes(d.recipientKind));
  if (others.length > 0)
    items.push({
      id: 'other-offices',
      title: { de: 'Weitere Stellen', en: 'Other offices' },
      status: deliveryStatus(others),
      detail: { de: others.map((d) => d.recipientName).join(', '), en: others.map((d) => d.recipientName).join(', ') },
    });

  const register = registerAdvice(data);
  items.push({
    id: 'register',
    title: { de: 'Handelsregister', en: 'Commercial register' },
    status: register.needed === 'yes' ? 'todo' : register.needed === 'already' ? 'done' : 'not_needed',
    detail: register.how,
  });
  return receiptSeconds === undefined ? { items } : { items, receiptSeconds };
}
