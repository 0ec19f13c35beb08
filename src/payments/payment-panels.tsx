import { formatEuro } from '../catalogue/fees.ts';
import type { FeeBreakdown, Lang } from '../catalogue/service-definition.ts';
import type { FieldProblem } from '../platform/errors.ts';
import { formatDate, formatDateTime } from '../platform/i18n/time.ts';
import { Button, CsrfField, Table, TextInput } from '../platform/views/components.tsx';
import type { PaymentOverview, PaymentSummary, StaffPayments } from './payments.ts';
import { REFUND_REASON_MAX } from './payments.ts';
import type { PaymentStatus } from '../schema.ts';

/** The citizen's and the clerk's words for a payment's status. */
export const PAYMENT_STATUS_LABEL: Readonly<Record<PaymentStatus, { de: string; en: string }>> = {
  created: { de: 'begonnen', en: 'started' },
  pending: { de: 'offen – Bezahlung begonnen', en: 'open – payment started' },
  paid: { de: 'bezahlt', en: 'paid' },
  failed: { de: 'fehlgeschlagen', en: 'failed' },
  cancelled: { de: 'abgebrochen', en: 'cancelled' },
  refunded: { de: 'erstattet', en: 'refunded' },
  partially_refunded: { de: 'teilweise erstattet', en: 'partly refunded' },
};

function FeeTable(p: { lang: Lang; fee: FeeBreakdown; caption: string }) {
  const de = p.lang === 'de';
  return (
    <Table caption={p.caption} headers={[de ? 'Posten' : 'Item', de ? 'Betrag' : 'Amount']} testId="fee-items">
      {p.fee.items.map((i) => (
        <tr class="kern-table__row">
          <td class="kern-table__cell">{i.label[p.lang]}</td>
          <td class="kern-table__cell">{formatEuro(i.cents, p.lang)}</td>
        </tr>
      ))}
      <tr class="kern-table__row">
        <th class="kern-table__cell" scope="row">
          {de ? 'Gesamt' : 'Total'}
        </th>
        <td class="kern-table__cell" data-testid="fee-total">
          {formatEuro(p.fee.cents, p.lang)}
        </td>
      </tr>
    </Table>
  );
}

export interface PaymentPanelProps {
  readonly lang: Lang;
  readonly caseId: string;
  /** From `paymentOverview(deps, caseId)`. */
  readonly overview: PaymentOverview;
  readonly csrfToken: string;
  readonly timeZone: string;
}

/**
 * The fee on the citizen's status page: its breakdown, whether it is paid, the button to pay
 * online (a plain form post, no JavaScript) and where the receipt is. Nothing for a free service.
 */
export function PaymentPanel(p: PaymentPanelProps) {
  const de = p.lang === 'de';
  const { fee, payments, settled, canPay } = p.overview;
  if (fee.cents <= 0 && payments.length === 0) return null;
  const paid = [...payments].reverse().find((x) => x.paidAt && ['paid', 'partially_refunded', 'refunded'].includes(x.status));
  const last = payments[payments.length - 1];
  return (
    <section class="aw-payment" aria-labelledby="payment-title" data-testid="payment-panel">
      <h2 class="kern-heading-medium" id="payment-title">
        {de ? 'Gebühr' : 'Fee'}
      </h2>
      <FeeTable lang={p.lang} fee={fee} caption={de ? 'Zusammensetzung der Gebühr' : 'How the fee is made up'} />
      <p class="kern-body" data-testid="payment-status">
        {paid
          ? de
            ? `Bezahlt am ${formatDate(paid.paidAt!, 'de', p.timeZone)}.${paid.refundedCents > 0 ? ` Davon erstattet: ${formatEuro(paid.refundedCents, 'de')}.` : ''}`
            : `Paid on ${formatDate(paid.paidAt!, 'en', p.timeZone)}.${paid.refundedCents > 0 ? ` Refunded: ${formatEuro(paid.refundedCents, 'en')}.` : ''}`
          : last && (last.status === 'cancelled' || last.status === 'failed')
            ? de
              ? `Noch nicht bezahlt: Der letzte Bezahlversuch wurde ${last.status === 'cancelled' ? 'abgebrochen' : 'nicht abgeschlossen'}. Sie können es erneut versuchen.`
              : `Not paid yet: the last attempt was ${last.status === 'cancelled' ? 'cancelled' : 'not completed'}. You can try again.`
            : de
              ? 'Noch nicht bezahlt.'
              : 'Not paid yet.'}
      </p>
      {paid?.receiptDocumentId ? (
        <p class="kern-body" data-testid="payment-receipt">
          {de ? 'Die Zahlungsbestätigung finden Sie unter „Ihre Dokumente“.' : 'You find the payment confirmation under "Your documents".'}
        </p>
      ) : null}
      {canPay ? (
        <form method="post" action={`/status/${p.caseId}/pay`}>
          <CsrfField token={p.csrfToken} />
          <Button>{de ? 'Jetzt bezahlen' : 'Pay now'}</Button>
        </form>
      ) : !settled && fee.cents > 0 ? (
        <p class="kern-body">{de ? 'Online bezahlen ist hier noch nicht möglich. Bitte bezahlen Sie die Gebühr bei Ihrem Termin im Amt.' : 'Paying online is not possible here yet. Please pay the fee at your appointment at the office.'}</p>
      ) : null}
    </section>
  );
}

export interface StaffPaymentsPanelProps {
  readonly lang: Lang;
  /** From `staffPayments(deps, actor, caseId)`. */
  readonly data: StaffPayments;
  readonly csrfToken: string;
  readonly timeZone: string;
  /** After a refused refund: the payment, the problems and what was typed. */
  readonly refused?: { readonly paymentId: string; readonly errors: readonly FieldProblem[]; readonly amount: string; readonly reason: string };
}

function refundable(x: PaymentSummary, pendingCents: number): number {
  return ['paid', 'partially_refunded'].includes(x.status) ? x.amountCents - x.refundedCents - pendingCents : 0;
}

/** The payments of a case in the staff case view: status, amounts, refunds, and the refund form for clerks of the department. */
export function StaffPaymentsPanel(p: StaffPaymentsPanelProps) {
  const de = p.lang === 'de';
  const { fee, payments, refunds } = p.data;
  if (fee.cents <= 0 && payments.length === 0) return null;
  const euro = (c: number) => formatEuro(c, p.lang);
  return (
    <section class="aw-payments" aria-labelledby="payments-title" data-testid="staff-payments">
      <h2 class="kern-heading-medium" id="payments-title">
        {de ? 'Gebühren und Zahlungen' : 'Fees and payments'}
      </h2>
      <FeeTable lang={p.lang} fee={fee} caption={de ? 'Gebühr laut Antrag' : 'Fee according to the application'} />
      {payments.length === 0 ? (
        <p class="kern-body">{de ? 'Noch keine Zahlung.' : 'No payment yet.'}</p>
      ) : (
        <Table caption={de ? 'Zahlungen' : 'Payments'} headers={[de ? 'Begonnen' : 'Started', de ? 'Betrag' : 'Amount', de ? 'Stand' : 'Status', de ? 'Erstattet' : 'Refunded', de ? 'Referenz' : 'Reference']} testId="staff-payments-table">
          {payments.map((x) => (
            <tr class="kern-table__row">
              <td class="kern-table__cell">{formatDateTime(x.createdAt, p.lang, p.timeZone)}</td>
              <td class="kern-table__cell">{euro(x.amountCents)}</td>
              <td class="kern-table__cell" data-testid={`payment-status-${x.id}`}>
                {PAYMENT_STATUS_LABEL[x.status][p.lang]}
                {x.paidAt ? (de ? ` am ${formatDateTime(x.paidAt, 'de', p.timeZone)}` : ` on ${formatDateTime(x.paidAt, 'en', p.timeZone)}`) : ''}
              </td>
              <td class="kern-table__cell">{euro(x.refundedCents)}</td>
              <td class="kern-table__cell">
                <code>{x.id}</code>
              </td>
            </tr>
          ))}
        </Table>
      )}
      {refunds.length > 0 ? (
        <Table caption={de ? 'Erstattungen' : 'Refunds'} headers={[de ? 'Angefordert' : 'Requested', de ? 'Betrag' : 'Amount', de ? 'Stand' : 'Status', de ? 'Grund (intern)' : 'Reason (internal)']} testId="staff-refunds-table">
          {refunds.map((r) => (
            <tr class="kern-table__row">
              <td class="kern-table__cell">{formatDateTime(r.createdAt, p.lang, p.timeZone)}</td>
              <td class="kern-table__cell">{euro(r.amountCents)}</td>
              <td class="kern-table__cell">{r.status === 'succeeded' ? (de ? 'erstattet' : 'refunded') : r.status === 'failed' ? (de ? 'fehlgeschlagen' : 'failed') : de ? 'in Bearbeitung' : 'in progress'}</td>
              <td class="kern-table__cell">
                <span class="aw-pre">{r.reason}</span>
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
      {p.data.canRefund
        ? payments.map((x) => {
            const pending = refunds.filter((r) => r.paymentId === x.id && r.status === 'requested').reduce((s, r) => s + r.amountCents, 0);
            const max = refundable(x, pending);
            if (max <= 0) return null;
            const refused = p.refused?.paymentId === x.id ? p.refused : undefined;
            const err = (field: string) => refused?.errors.find((e) => e.field === field)?.message[p.lang];
            return (
              <form method="post" action={`/staff/cases/${p.data.caseId}/payments/${x.id}/refund`} novalidate data-testid={`refund-form-${x.id}`}>
                <h3 class="kern-heading-small">{de ? `Erstatten (höchstens ${euro(max)})` : `Refund (at most ${euro(max)})`}</h3>
                <CsrfField token={p.csrfToken} />
                <TextInput id="refundAmount" label={de ? 'Betrag in Euro' : 'Amount in euros'} hint={de ? 'Zum Beispiel 12,50' : 'For example 12.50'} inputMode="text" width="short" required value={refused?.amount ?? ''} error={err('refundAmount')} />
                <TextInput
                  id="refundReason"
                  label={de ? 'Grund der Erstattung' : 'Reason for the refund'}
                  hint={de ? `Nur intern sichtbar, höchstens ${REFUND_REASON_MAX} Zeichen.` : `Internal only, at most ${REFUND_REASON_MAX} characters.`}
                  multiline
                  required
                  maxLength={REFUND_REASON_MAX}
                  value={refused?.reason ?? ''}
                  error={err('refundReason')}
                />
                <Button kind="secondary">{de ? 'Erstattung veranlassen' : 'Refund'}</Button>
              </form>
            );
          })
        : null}
    </section>
  );
}
