import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { PAYMENT_EVENT_KINDS, WebhookRejectedError, type Checkout, type CheckoutRequest, type PaymentEvent, type PaymentEventKind, type PaymentProvider, type RefundRequest } from './payment-provider.ts';

/**
 * The development payment provider (ADR 0019): a hosted payment page served by the app itself
 * (`/dev/pay/<providerPaymentId>`, non-production profiles only) and webhooks signed with
 * HMAC-SHA256, delivered server-to-server to `/payments/webhook/dev`. It behaves like a card PSP
 * (hosted checkout, signed notifications, asynchronous refunds) so that everything behind the
 * interface is exercised as it will be with a real provider, but no money moves.
 *
 * Signature header: `amtsweg-dev-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`
 * (the scheme Stripe and others use: the timestamp inside the MAC bounds replays in time, the
 * event id makes a replay within that window a no-op).
 */
export const DEV_SIGNATURE_HEADER = 'amtsweg-dev-signature';
/** Signatures older (or newer) than this are refused. */
const TOLERANCE_SECONDS = 300;

/** Sends a signed webhook to the app; returns the HTTP status it answered with. */
export type WebhookDelivery = (rawBody: string, headers: Record<string, string>) => Promise<number>;

export function signDevWebhook(secret: string, rawBody: string | Buffer, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const mac = createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest('hex');
  return `t=${t},v1=${mac}`;
}

/** The JSON body of a development webhook. */
export function devWebhookBody(event: PaymentEvent, at: Date): string {
  return JSON.stringify({
    id: event.eventId,
    type: event.kind,
    created: Math.floor(at.getTime() / 1000),
    data: {
      providerPaymentId: event.providerPaymentId,
      amountCents: event.amountCents,
      ...(event.refundId ? { refundId: event.refundId } : {}),
      ...(event.providerRefundId ? { providerRefundId: event.providerRefundId } : {}),
    },
  });
}

const TOKEN = /^[A-Za-z0-9_-]{1,100}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class DevPaymentProvider implements PaymentProvider {
  readonly name = 'dev';

  constructor(
    private readonly options: {
      readonly secret: string;
      /** How webhooks reach the app (in-process through the whole HTTP stack, see payment-routes.tsx). */
      readonly deliver: WebhookDelivery;
      readonly now: () => Date;
    },
  ) {
    if (options.secret.length < 32) throw new Error('DevPaymentProvider: the webhook secret must be at least 32 characters long');
  }

  async createCheckout(_payment: CheckoutRequest): Promise<Checkout> {
    const providerPaymentId = `devpay_${randomBytes(16).toString('base64url')}`;
    return { providerPaymentId, redirectUrl: `/dev/pay/${providerPaymentId}` };
  }

  verifyWebhook(rawBody: Buffer, headers: Readonly<Record<string, string | string[] | undefined>>): PaymentEvent {
    const header = headers[DEV_SIGNATURE_HEADER];
    if (typeof header !== 'string') throw new WebhookRejectedError(401, 'signature header missing');
    const parts = Object.fromEntries(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
    const t = Number(parts.t);
    const given = parts.v1 ?? '';
    if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(given)) throw new WebhookRejectedError(401, 'signature header malformed');
    const expected = createHmac('sha256', this.options.secret).update(`${t}.`).update(rawBody).digest();
    // Constant time: the comparison takes as long whichever byte differs.
    if (!timingSafeEqual(expected, Buffer.from(given, 'hex'))) throw new WebhookRejectedError(401, 'signature does not match');
    if (Math.abs(this.options.now().getTime() / 1000 - t) > TOLERANCE_SECONDS) throw new WebhookRejectedError(401, 'signature timestamp outside the tolerance');
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw new WebhookRejectedError(400, 'body is not JSON');
    }
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const data = (typeof b.data === 'object' && b.data !== null ? b.data : {}) as Record<string, unknown>;
    const kind = b.type as PaymentEventKind;
    if (typeof b.id !== 'string' || !TOKEN.test(b.id)) throw new WebhookRejectedError(400, 'event id missing');
    if (!PAYMENT_EVENT_KINDS.includes(kind)) throw new WebhookRejectedError(400, 'unknown event type');
    if (typeof data.providerPaymentId !== 'string' || !TOKEN.test(data.providerPaymentId)) throw new WebhookRejectedError(400, 'payment id missing');
    if (typeof data.amountCents !== 'number' || !Number.isInteger(data.amountCents) || data.amountCents <= 0) throw new WebhookRejectedError(400, 'amount missing');
    const refund = kind.startsWith('refund.');
    if (refund && (typeof data.refundId !== 'string' || !UUID.test(data.refundId))) throw new WebhookRejectedError(400, 'refund id missing');
    return {
      eventId: b.id,
      kind,
      providerPaymentId: data.providerPaymentId,
      amountCents: data.amountCents,
      ...(refund ? { refundId: data.refundId as string } : {}),
      ...(typeof data.providerRefundId === 'string' && TOKEN.test(data.providerRefundId) ? { providerRefundId: data.providerRefundId } : {}),
    };
  }

  /** Pays back at once and reports it with a signed `refund.succeeded` webhook, as a PSP would a little later. */
  async refund(payment: { readonly id: string; readonly providerPaymentId: string; readonly amountCents: number }, refund: RefundRequest): Promise<{ readonly providerRefundId: string }> {
    const providerRefundId = `devref_${randomBytes(12).toString('base64url')}`;
    await this.send({ kind: 'refund.succeeded', providerPaymentId: payment.providerPaymentId, amountCents: refund.amountCents, refundId: refund.refundId, providerRefundId });
    return { providerRefundId };
  }

  /** Signs and delivers one event with a fresh event id; throws when the app does not accept it. */
  async send(event: Omit<PaymentEvent, 'eventId'>): Promise<PaymentEvent> {
    const full: PaymentEvent = { eventId: `devevt_${randomBytes(16).toString('base64url')}`, ...event };
    const at = this.options.now();
    const raw = devWebhookBody(full, at);
    const status = await this.options.deliver(raw, { 'content-type': 'application/json', [DEV_SIGNATURE_HEADER]: signDevWebhook(this.options.secret, raw, at) });
    if (status < 200 || status > 299) throw new Error(`DevPaymentProvider: the webhook was answered with ${status}`);
    return full;
  }
}
