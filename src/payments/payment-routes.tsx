import type { FastifyInstance, FastifyRequest } from 'fastify';
import { formatEuro } from '../catalogue/fees.ts';
import { NotFoundError } from '../platform/errors.ts';
import { Alert, Button, CsrfField, Table } from '../platform/views/components.tsx';
import { sendPage } from '../portal/shell.tsx';
import type { Runtime } from '../runtime.ts';
import { DevPaymentProvider } from './dev-payment-provider.ts';
import { PAYMENT_STATUS_LABEL } from './payment-panels.tsx';
import { WebhookRejectedError, type PaymentProvider } from './payment-provider.ts';
import { handlePaymentEvent, startPayment, toSummary, type PaymentDeps } from './payments.ts';
import { provenCaseOf } from '../portal/proven-case.ts';

/**
 * Payment routes (ADR 0019):
 *  - POST /status/:caseId/pay — the citizen who proved the case (access code in this session, or
 *    the owning account) starts paying its fee; 303 to the provider's hosted page.
 *  - POST /payments/webhook/<provider> — the provider's notifications. The signature is checked
 *    over the raw bytes, so this route alone takes its body unparsed (an encapsulated content
 *    type parser); it carries no session and no CSRF token (app.ts exempts it), its proof is the
 *    signature. Answers: 200 (applied or a replay), 401 (signature), 400 (unreadable), 404 (unknown payment).
 *  - GET/POST /dev/pay/:providerPaymentId — the development provider's hosted page (not in production).
 */
const providers = new WeakMap<FastifyInstance, PaymentProvider | undefined>();

/** The app's payment provider (one per app; the staff routes get the same one). */
export function paymentProviderFor(app: FastifyInstance, deps: Pick<Runtime, 'config' | 'now'>): PaymentProvider | undefined {
  if (providers.has(app)) return providers.get(app);
  let provider: PaymentProvider | undefined;
  if (deps.config.paymentProvider === 'dev') {
    if (deps.config.profile === 'production') throw new Error('The development payment provider is refused in production');
    provider = new DevPaymentProvider({
      secret: deps.config.paymentDevWebhookSecret ?? '',
      now: deps.now,
      // Server to server, in-process through the app's whole HTTP stack (parsers, hooks, the
      // signature check), so it works without a listening socket (tests) and behind any proxy.
      deliver: async (rawBody, headers) => (await app.inject({ method: 'POST', url: '/payments/webhook/dev', headers, payload: rawBody })).statusCode,
    });
  }
  providers.set(app, provider);
  return provider;
}

export function paymentDepsOf(deps: Runtime, provider: PaymentProvider | undefined): PaymentDeps {
  return { db: deps.db, jobs: deps.jobs, catalogue: deps.catalogue, blobs: deps.blobs, keyring: deps.keyring, seal: deps.seal, now: deps.now, provider };
}

/** The case, when this visitor proved it (reference + access code in the session) or owns it; 404 otherwise. */

const WEBHOOK_BODY_LIMIT = 64 * 1024;

export async function registerPaymentRoutes(app: FastifyInstance, deps: Runtime): Promise<void> {
  const provider = paymentProviderFor(app, deps);
  const paymentDeps = paymentDepsOf(deps, provider);
  const { db, catalogue } = deps;

  app.post('/status/:caseId/pay', async (req: FastifyRequest<{ Params: { caseId: string } }>, reply) => {
    const caseId = await provenCaseOf(deps, req, req.params.caseId);
    const { redirectUrl } = await startPayment(paymentDeps, caseId, { returnUrl: `${deps.config.publicUrl}/status/${caseId}`, actorId: req.session?.citizenId ?? null });
    return reply.redirect(redirectUrl, 303);
  });

  if (!provider) return;

  await app.register(async (scope) => {
    // Only here: the body stays the bytes that were signed.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (_req, body, done) => done(null, body));
    scope.post(`/payments/webhook/${provider.name}`, async (req, reply) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      let event;
      try {
        event = provider.verifyWebhook(raw, req.headers);
      } catch (err) {
        if (!(err instanceof WebhookRejectedError)) throw err;
        // Why, for the operators; nothing of the body.
        req.log.warn({ provider: provider.name, reason: err.reason }, 'payment webhook rejected');
        return reply.status(err.status).send({ error: err.status === 401 ? 'invalid signature' : 'unreadable event' });
      }
      try {
        const outcome = await handlePaymentEvent(paymentDeps, provider.name, event);
        return reply.status(200).send({ received: true, duplicate: outcome.duplicate });
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
        return reply.status(404).send({ error: 'unknown payment' });
      }
    });
  });

  if (!(provider instanceof DevPaymentProvider) || deps.config.profile === 'production') return;
  const dev = provider;

  const devPayment = async (providerPaymentId: string) => {
    const row = /^devpay_[A-Za-z0-9_-]{10,40}$/.test(providerPaymentId)
      ? await db.selectFrom('payments').selectAll().where('provider', '=', dev.name).where('provider_payment_id', '=', providerPaymentId).executeTakeFirst()
      : undefined;
    if (!row) throw new NotFoundError({ de: 'Diese Zahlung gibt es nicht.', en: 'This payment does not exist.' });
    return row;
  };

  app.get('/dev/pay/:providerPaymentId', async (req: FastifyRequest<{ Params: { providerPaymentId: string } }>, reply) => {
    const row = await devPayment(req.params.providerPaymentId);
    const p = toSummary(row);
    const de = req.lang === 'de';
    const open = p.status === 'pending' || p.status === 'created';
    return sendPage(req, reply, catalogue, {
      title: de ? 'Testzahlung (Entwicklung)' : 'Test payment (development)',
      body: (
        <>
          <Alert kind="warning" title={de ? 'Testanbieter der Entwicklungsumgebung' : 'Development test provider'}>
            <p class="kern-body">{de ? 'Hier fließt kein Geld. In der Produktion bezahlen Sie bei einem echten Zahlungsanbieter.' : 'No money moves here. In production you pay at a real payment provider.'}</p>
          </Alert>
          <h1 class="kern-heading-large">{de ? 'Gebühr bezahlen' : 'Pay the fee'}</h1>
          <Table caption={de ? 'Zu zahlen' : 'To pay'} headers={[de ? 'Posten' : 'Item', de ? 'Betrag' : 'Amount']} testId="dev-pay-items">
            {p.items.map((i) => (
              <tr class="kern-table__row">
                <td class="kern-table__cell">{i.label[req.lang]}</td>
                <td class="kern-table__cell">{formatEuro(i.cents, req.lang)}</td>
              </tr>
            ))}
          </Table>
          <p class="kern-body" data-testid="dev-pay-amount">
            {de ? 'Betrag: ' : 'Amount: '}
            <strong>{formatEuro(p.amountCents, req.lang)}</strong>
          </p>
          {open ? (
            <form method="post" action={`/dev/pay/${req.params.providerPaymentId}`}>
              <CsrfField token={reply.generateCsrf()} />
              <Button name="outcome" value="paid">
                {de ? 'Bezahlen' : 'Pay'}
              </Button>{' '}
              <Button kind="secondary" name="outcome" value="cancelled">
                {de ? 'Abbrechen' : 'Cancel'}
              </Button>{' '}
              <Button kind="tertiary" name="outcome" value="failed">
                {de ? 'Fehlschlag simulieren' : 'Simulate a failure'}
              </Button>
            </form>
          ) : (
            <p class="kern-body" data-testid="dev-pay-status">
              {de ? 'Stand: ' : 'Status: '}
              {PAYMENT_STATUS_LABEL[p.status][req.lang]}
            </p>
          )}
        </>
      ),
    });
  });

  app.post('/dev/pay/:providerPaymentId', async (req: FastifyRequest<{ Params: { providerPaymentId: string }; Body: { outcome?: string } }>, reply) => {
    const row = await devPayment(req.params.providerPaymentId);
    const outcome = String(req.body?.outcome ?? '');
    if ((row.status === 'pending' || row.status === 'created') && ['paid', 'cancelled', 'failed'].includes(outcome)) {
      const kind = outcome === 'paid' ? 'payment.succeeded' : outcome === 'cancelled' ? 'payment.cancelled' : 'payment.failed';
      await dev.send({ kind, providerPaymentId: row.provider_payment_id!, amountCents: row.amount_cents });
    }
    // Back where the citizen came from, as a PSP's return URL does.
    return reply.redirect(`/status/${row.case_id}`, 303);
  });
}
