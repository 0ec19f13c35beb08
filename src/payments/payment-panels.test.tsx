import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderToString } from 'preact-render-to-string';
import { pageText } from '../test-support/http-client.ts';
import { PaymentPanel, StaffPaymentsPanel } from './payment-panels.tsx';
import type { PaymentSummary } from './payments.ts';

const fee = { cents: 6100, items: [{ label: { de: 'Personalausweis (ab 24 Jahren)', en: 'ID card (24 and older)' }, cents: 4600 }, { label: { de: 'Direktversand per Post', en: 'Direct delivery by post' }, cents: 1500 }] };
const CASE = '11111111-2222-4333-8444-555555555555';
const paid: PaymentSummary = { id: 'aaaaaaaa-2222-4333-8444-555555555555', status: 'partially_refunded', amountCents: 6100, refundedCents: 1500, items: fee.items, provider: 'dev', createdAt: new Date('2026-11-30T09:00:00Z'), paidAt: new Date('2026-11-30T09:01:00Z'), receiptDocumentId: 'bbbbbbbb-2222-4333-8444-555555555555' };

test('the citizen panel: breakdown, a pay button (a plain form post) while open, paid state and receipt note afterwards', () => {
  const open = pageText(renderToString(<PaymentPanel lang="de" caseId={CASE} overview={{ fee, payments: [], settled: false, canPay: true }} csrfToken="tok" timeZone="Europe/Berlin" />));
  for (const s of ['Gebühr', 'Personalausweis (ab 24 Jahren)', '46,00 €', '15,00 €', 'Gesamt', '61,00 €', 'Noch nicht bezahlt.', 'Jetzt bezahlen']) assert.ok(open.includes(s), `open: "${s}"`);
  const html = renderToString(<PaymentPanel lang="de" caseId={CASE} overview={{ fee, payments: [], settled: false, canPay: true }} csrfToken="tok" timeZone="Europe/Berlin" />);
  assert.ok(html.includes(`action="/status/${CASE}/pay"`) && html.includes('name="_csrf"'), 'the button posts a CSRF-protected form');

  const done = pageText(renderToString(<PaymentPanel lang="en" caseId={CASE} overview={{ fee, payments: [paid], settled: true, canPay: false }} csrfToken="tok" timeZone="Europe/Berlin" />));
  assert.ok(done.includes('Paid on 30/11/2026') || done.includes('Paid on 30 Nov'), `paid with its date: ${done}`);
  assert.ok(done.includes('Refunded: €15.00'), 'the refunded part');
  assert.ok(done.includes('payment confirmation'), 'where the receipt is');
  assert.ok(!done.includes('Pay now'), 'no pay button once paid');

  const off = pageText(renderToString(<PaymentPanel lang="de" caseId={CASE} overview={{ fee, payments: [], settled: false, canPay: false }} csrfToken="tok" timeZone="Europe/Berlin" />));
  assert.ok(off.includes('Online bezahlen ist hier noch nicht möglich'), 'without a provider: pay at the office');
  assert.equal(renderToString(<PaymentPanel lang="de" caseId={CASE} overview={{ fee: { cents: 0, items: [] }, payments: [], settled: false, canPay: false }} csrfToken="tok" timeZone="Europe/Berlin" />), '', 'nothing for a free service');
});

test('the staff panel: payments with status, refunds with reason, the refund form only for those who may refund', () => {
  const refunds = [{ id: 'r1', paymentId: paid.id, amountCents: 1500, status: 'succeeded' as const, reason: 'Kein Versand', createdAt: new Date('2026-11-30T10:00:00Z') }];
  const data = { caseId: CASE, fee, payments: [paid], refunds, canRefund: true };
  const html = renderToString(<StaffPaymentsPanel lang="de" data={data} csrfToken="tok" timeZone="Europe/Berlin" />);
  const text = pageText(html);
  for (const s of ['Gebühren und Zahlungen', 'teilweise erstattet', '61,00 €', 'Kein Versand', 'Erstatten (höchstens 46,00 €)', 'Betrag in Euro', 'Grund der Erstattung']) assert.ok(text.includes(s), `staff: "${s}"`);
  assert.ok(html.includes(`action="/staff/cases/${CASE}/payments/${paid.id}/refund"`), 'the refund form posts to the payment');
  const readOnly = renderToString(<StaffPaymentsPanel lang="de" data={{ ...data, canRefund: false }} csrfToken="tok" timeZone="Europe/Berlin" />);
  assert.ok(!readOnly.includes('/refund"'), 'no form without case.work');
  const refused = pageText(renderToString(<StaffPaymentsPanel lang="de" data={data} csrfToken="tok" timeZone="Europe/Berlin" refused={{ paymentId: paid.id, errors: [{ field: 'refundReason', message: { de: 'Bitte geben Sie einen Grund an.', en: 'x' } }], amount: '3', reason: '' }} />));
  assert.ok(refused.includes('Bitte geben Sie einen Grund an.'), 'the message at its field');
});
