import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Lang } from '../catalogue/service-definition.ts';
import { setFlash } from '../identity/sessions.ts';
import type { StaffIdentity } from '../identity/staff-auth.ts';
import { ConflictError } from '../platform/errors.ts';
import { formatDateTime } from '../platform/i18n/time.ts';
import { Button, CsrfField, Table } from '../platform/views/components.tsx';
import { sendPage } from '../portal/shell.tsx';
import type { Runtime } from '../runtime.ts';
import type { TradeDeliveryStatus } from '../schema.ts';
import { retryTradeDelivery, type TradeDeliveryRow } from './deliveries.ts';

/** The clerk's words for a delivery's status. */
const DELIVERY_STATUS_LABEL: Readonly<Record<TradeDeliveryStatus, { de: string; en: string }>> = {
  pending: { de: 'wird zugestellt', en: 'pending' },
  delivered: { de: 'zugestellt', en: 'delivered' },
  failed: { de: 'fehlgeschlagen', en: 'failed' },
};

/**
 * The case file's panel "Übermittlungen": each XGewerbeanzeige message with its recipient,
 * status, attempts and last error; a failed one has a button to send it again (a plain form
 * post with CSRF, no JavaScript).
 */
export function TradeDeliveriesPanel(p: { lang: Lang; caseId: string; deliveries: readonly TradeDeliveryRow[]; canRetry: boolean; csrfToken: string; timeZone: string }) {
  const de = p.lang === 'de';
  if (p.deliveries.length === 0) return <p class="kern-body">{de ? 'Noch keine Nachrichten an andere Stellen.' : 'No messages to other offices yet.'}</p>;
  return (
    <>
      <p class="kern-body">
        {de
          ? 'Nachrichten nach XGewerbeanzeige 2.2 an die Stellen, die die Anzeige bekommen. Fehlgeschlagene Zustellungen werden automatisch mit wachsendem Abstand wiederholt.'
          : 'XGewerbeanzeige 2.2 messages to the offices that receive the notice. Failed deliveries are retried automatically with growing intervals.'}
      </p>
      <Table caption={de ? 'Übermittlungen an andere Stellen' : 'Deliveries to other offices'} headers={de ? ['Stelle', 'Nachricht', 'Stand', 'Versuche', 'Letzter Fehler', 'Aktion'] : ['Office', 'Message', 'Status', 'Attempts', 'Last error', 'Action']} testId="trade-deliveries">
        {p.deliveries.map((d) => (
          <tr class="kern-table__row" data-testid={`delivery-${d.recipientId}`}>
            <td class="kern-table__cell">{d.recipientName}</td>
            <td class="kern-table__cell">
              <code>{d.messageType}</code>
            </td>
            <td class="kern-table__cell" data-testid="delivery-status">
              {DELIVERY_STATUS_LABEL[d.status][p.lang]}
              {d.deliveredAt ? ` (${formatDateTime(d.deliveredAt, p.lang, p.timeZone)})` : ''}
            </td>
            <td class="kern-table__cell">{d.attempts}</td>
            <td class="kern-table__cell">{d.lastError ?? '–'}</td>
            <td class="kern-table__cell">
              {d.status === 'failed' && p.canRetry ? (
                <form method="post" action={`/staff/cases/${p.caseId}/trade-deliveries/${d.id}/retry`}>
                  <CsrfField token={p.csrfToken} />
                  <Button kind="secondary" ariaLabel={de ? `Erneut senden an ${d.recipientName}` : `Send again to ${d.recipientName}`}>
                    {de ? 'Erneut senden' : 'Send again'}
                  </Button>
                </form>
              ) : null}
            </td>
          </tr>
        ))}
      </Table>
    </>
  );
}

/** Every message the bundled development receiver got since the start (newest first, at most 100). */
const received: { at: Date; recipientId: string; bytes: number; messageType: string; messageId: string }[] = [];

/**
 * Staff: POST /staff/cases/:id/trade-deliveries/:deliveryId/retry (case.work in the case's
 * department, in the query; the staff session and CSRF are checked before this runs).
 * Development only (never in production): the bundled receiver the default Halle configuration
 * points its recipients at (POST /api/dev/xgewerbeanzeige/:recipientId, outside the CSRF check as
 * the API is), and /dev/xgewerbeanzeige listing what it got (no content, only type and uuid).
 */
export function registerTradeRoutes(app: FastifyInstance, deps: Runtime, staff: (req: FastifyRequest) => StaffIdentity): void {
  app.post('/staff/cases/:id/trade-deliveries/:deliveryId/retry', async (req: FastifyRequest<{ Params: { id: string; deliveryId: string } }>, reply) => {
    const me = staff(req);
    try {
      await retryTradeDelivery(deps, { id: me.id, grants: me.grants }, req.params.id, req.params.deliveryId);
      await setFlash(deps.db, req.session!, { de: 'Die Nachricht wird erneut gesendet.', en: 'The message is being sent again.' });
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      await setFlash(deps.db, req.session!, err.userMessage);
    }
    return reply.redirect(`/staff/cases/${req.params.id}#uebermittlungen`, 303);
  });

  if (deps.config.profile === 'production') return;

  app.register(async (scope) => {
    scope.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_req, body, done) => done(null, body));
    scope.post('/api/dev/xgewerbeanzeige/:recipientId', async (req: FastifyRequest<{ Params: { recipientId: string }; Body: unknown }>, reply) => {
      const xml = typeof req.body === 'string' ? req.body : '';
      const root = /<([A-Za-z0-9_]+:)?([a-z]+\.gewerbemeldung\.\d{4})[\s>]/.exec(xml);
      const id = /<([A-Za-z0-9_]+:)?nachrichtenUUID>([0-9a-f-]{36})</i.exec(xml);
      if (!root || !id) return reply.status(400).type('text/plain').send('not an XGewerbeanzeige message');
      received.unshift({ at: new Date(), recipientId: req.params.recipientId.slice(0, 40), bytes: Buffer.byteLength(xml), messageType: root[2]!, messageId: id[2]! });
      received.length = Math.min(received.length, 100);
      return reply.status(202).type('text/plain').send('accepted');
    });
  });

  app.get('/dev/xgewerbeanzeige', async (req, reply) =>
    sendPage(req, reply, deps.catalogue, {
      title: 'XGewerbeanzeige receiver (development)',
      body: (
        <>
          <h1 class="kern-heading-large">XGewerbeanzeige receiver (development)</h1>
          <p class="kern-body">Messages the default city configuration's recipients received since the start, newest first.</p>
          <Table caption="Received messages" headers={['Received', 'Recipient', 'Message', 'nachrichtenUUID', 'Bytes']} testId="dev-received">
            {received.map((r) => (
              <tr class="kern-table__row">
                <td class="kern-table__cell">{r.at.toISOString()}</td>
                <td class="kern-table__cell">{r.recipientId}</td>
                <td class="kern-table__cell">{r.messageType}</td>
                <td class="kern-table__cell">{r.messageId}</td>
                <td class="kern-table__cell">{r.bytes}</td>
              </tr>
            ))}
          </Table>
        </>
      ),
    }),
  );
}
