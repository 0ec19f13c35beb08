import type { FastifyInstance, FastifyRequest } from 'fastify';
import { formatEuro } from '../catalogue/fees.ts';
import { setFlash } from '../identity/sessions.ts';
import type { StaffIdentity } from '../identity/staff-auth.ts';
import { ConflictError, ValidationError } from '../platform/errors.ts';
import { Alert, ErrorSummary } from '../platform/views/components.tsx';
import { sendPage } from '../portal/shell.tsx';
import type { Runtime } from '../runtime.ts';
import { StaffPaymentsPanel } from './payment-panels.tsx';
import { paymentDepsOf, paymentProviderFor } from './payment-routes.tsx';
import { requestRefund, staffPayments } from './payments.ts';

/**
 * Refunds for clerks: POST /staff/cases/:id/payments/:paymentId/refund (case.work in the case's
 * department, part of the query in `requestRefund`; anyone else gets the 404 of a case that does
 * not exist). The staff session (both factors) and CSRF are checked before this runs. A refused
 * form comes back with status 422 and the payments panel, the message at its field.
 */
export function registerStaffPaymentRoutes(app: FastifyInstance, deps: Runtime, staff: (req: FastifyRequest) => StaffIdentity): void {
  const paymentDeps = paymentDepsOf(deps, paymentProviderFor(app, deps));
  const { db, catalogue } = deps;

  app.post('/staff/cases/:id/payments/:paymentId/refund', async (req: FastifyRequest<{ Params: { id: string; paymentId: string }; Body: { refundAmount?: string; refundReason?: string } }>, reply) => {
    const me = staff(req);
    const actor = { id: me.id, grants: me.grants };
    const amount = String(req.body?.refundAmount ?? '').slice(0, 40);
    const reason = String(req.body?.refundReason ?? '').slice(0, 5000);
    try {
      const { status } = await requestRefund(paymentDeps, actor, { caseId: req.params.id, paymentId: req.params.paymentId }, { amount, reason });
      const done =
        status === 'refunded' || status === 'partially_refunded'
          ? { de: 'Die Erstattung ist gebucht.', en: 'The refund is booked.' }
          : { de: 'Die Erstattung ist beim Zahlungsanbieter beauftragt; sie wird gebucht, sobald er sie bestätigt.', en: 'The refund was sent to the payment provider; it is booked once the provider confirms it.' };
      await setFlash(db, req.session!, done);
      return reply.redirect(`/staff/cases/${req.params.id}`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError) && !(err instanceof ConflictError)) throw err;
      // Only reached past the department check: the case and the payment are the actor's to see.
      const data = await staffPayments(deps, actor, req.params.id);
      const de = req.lang === 'de';
      const errors = err instanceof ValidationError ? err.fields : [];
      return sendPage(req, reply, catalogue, {
        area: 'staff',
        title: de ? 'Erstattung' : 'Refund',
        status: err.status,
        hasErrors: true,
        body: (
          <>
            <p class="kern-body">
              <a class="kern-link" href={`/staff/cases/${data.caseId}`}>
                {de ? 'Zurück zum Vorgang' : 'Back to the case'}
              </a>
            </p>
            <ErrorSummary title={de ? 'Bitte korrigieren Sie Folgendes' : 'There is a problem'} errors={errors.map((e) => ({ href: `#${e.field}`, text: e.message[req.lang] }))} />
            {err instanceof ConflictError ? (
              <Alert kind="danger" title={de ? 'Nicht ausgeführt' : 'Not carried out'} role="alert">
                <p class="kern-body">{err.userMessage[req.lang]}</p>
              </Alert>
            ) : null}
            <h1 class="kern-heading-large">{de ? `Erstattung (Gebühr ${formatEuro(data.fee.cents, 'de')})` : `Refund (fee ${formatEuro(data.fee.cents, 'en')})`}</h1>
            <StaffPaymentsPanel lang={req.lang} data={data} csrfToken={reply.generateCsrf()} timeZone={catalogue.city.timeZone} refused={{ paymentId: req.params.paymentId, errors, amount, reason }} />
          </>
        ),
      });
    }
  });
}
