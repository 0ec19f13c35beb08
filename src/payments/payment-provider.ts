import type { FeeItem } from '../catalogue/service-definition.ts';

/**
 * What Amtsweg needs from a payment provider (ADR 0019): open a hosted checkout for one
 * payment, tell a genuine notification (webhook) from a forged one, and pay money back. The
 * development provider implements it here; ePayBL or a card provider implement the same three
 * calls. Everything else (fees, idempotency, receipts, audit, notifications) stays in
 * `payments.ts` and does not change with the provider.
 */
export interface CheckoutRequest {
  /** Our payment id: the provider's reference/idempotency key, so a retried call opens no second checkout. */
  readonly paymentId: string;
  /** The case's human reference, printed as the purpose of the payment (Verwendungszweck). */
  readonly reference: string;
  readonly amountCents: number;
  readonly currency: 'EUR';
  readonly items: readonly FeeItem[];
  /** Where the provider sends the citizen back afterwards (the case's status page). */
  readonly returnUrl: string;
}

export interface Checkout {
  readonly providerPaymentId: string;
  /** The hosted payment page the citizen is sent to (303). */
  readonly redirectUrl: string;
}

export type PaymentEventKind = 'payment.succeeded' | 'payment.failed' | 'payment.cancelled' | 'refund.succeeded' | 'refund.failed';
export const PAYMENT_EVENT_KINDS: readonly PaymentEventKind[] = ['payment.succeeded', 'payment.failed', 'payment.cancelled', 'refund.succeeded', 'refund.failed'];

/** A verified notification from the provider. */
export interface PaymentEvent {
  /** The provider's event id: the same id twice is the same event (a replay changes nothing). */
  readonly eventId: string;
  readonly kind: PaymentEventKind;
  readonly providerPaymentId: string;
  /** The amount the event is about: the payment's for payment events, the refund's for refund events. */
  readonly amountCents: number;
  /** Refund events: our refund id (sent with the refund request) and the provider's. */
  readonly refundId?: string;
  readonly providerRefundId?: string;
}

export interface RefundRequest {
  /** Our refund id: the provider's idempotency key and the reference it reports back. */
  readonly refundId: string;
  readonly amountCents: number;
}

export interface PaymentProvider {
  /** Stored with every payment and part of the webhook path (`/payments/webhook/<name>`). */
  readonly name: string;
  createCheckout(payment: CheckoutRequest): Promise<Checkout>;
  /**
   * Checks the signature over the raw body (never over re-serialised JSON) and parses the event.
   * Throws `WebhookRejectedError` for a missing or wrong signature or a body it cannot read.
   */
  verifyWebhook(rawBody: Buffer, headers: Readonly<Record<string, string | string[] | undefined>>): PaymentEvent;
  /**
   * Asks the provider to pay `amountCents` back; returns the provider's refund id. The refund is
   * final only when its `refund.succeeded` event arrives.
   */
  refund(payment: { readonly id: string; readonly providerPaymentId: string; readonly amountCents: number }, refund: RefundRequest): Promise<{ readonly providerRefundId: string }>;
}

/** A webhook that is not from the provider, or not readable: answered 401/400, nothing changes. */
export class WebhookRejectedError extends Error {
  constructor(
    readonly status: 400 | 401,
    /** Why, for the operators' log: no body content, no personal data. */
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'WebhookRejectedError';
  }
}
