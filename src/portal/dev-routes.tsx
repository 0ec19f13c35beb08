import type { FastifyInstance } from 'fastify';
import { DEMO_STAFF } from '../identity/demo-data.ts';
import { totpFor } from '../identity/staff-auth.ts';
import type { Runtime } from '../runtime.ts';
import { sendPage } from './shell.tsx';

/**
 * Development helpers, never registered in production: the mail outbox (what would have been
 * sent without SMTP) and the current TOTP codes of the demo staff.
 */
export async function registerDevRoutes(app: FastifyInstance, deps: Runtime): Promise<void> {
  app.get('/dev/mail', async (req, reply) => {
    const mails = await deps.db.selectFrom('mail_outbox').selectAll().orderBy('created_at', 'desc').limit(50).execute();
    return sendPage(req, reply, deps.catalogue, {
      title: 'Mail outbox (development)',
      body: (
        <>
          <h1 class="kern-heading-large">Mail outbox (development)</h1>
          <p class="kern-body">Transport: {deps.mailer.transportName}. Newest first.</p>
          {mails.map((m) => (
            <section class="aw-panel">
              <h2 class="kern-heading-small">{m.subject}</h2>
              <p class="kern-body kern-body--small">
                To {m.to_address} · {m.sent_at ? `sent ${m.sent_at.toISOString()}` : 'not sent yet'}
              </p>
              <pre class="aw-code" tabIndex={0}>
                {m.text_body}
              </pre>
            </section>
          ))}
        </>
      ),
    });
  });

  app.get('/dev/staff', async (req, reply) =>
    sendPage(req, reply, deps.catalogue, {
      title: 'Demo staff (development)',
      body: (
        <>
          <h1 class="kern-heading-large">Demo staff (development)</h1>
          <table class="kern-table">
            <caption class="kern-sr-only">Demo staff logins with their current one-time codes</caption>
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Password</th>
                <th scope="col">Current code</th>
              </tr>
            </thead>
            <tbody>
              {DEMO_STAFF.map((s) => (
                <tr>
                  <td>{s.username}</td>
                  <td>{s.password}</td>
                  <td>{totpFor(s.totpSecret).generate()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ),
    }),
  );
}
