import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pickPageValues, validatePage } from '../catalogue/form-validation.ts';
import type { FieldError, FormData, FormPage } from '../catalogue/service-definition.ts';
import { updateSessionData } from '../identity/sessions.ts';
import { ensureVisitorSession } from '../identity/web-session.ts';
import { sendPage } from '../portal/shell.tsx';
import type { Runtime } from '../runtime.ts';
import { confirmPage, requestPage, toConfirmationData } from './confirmation-form.ts';
import { confirm, inspectInvite, requestConfirmation, type ConfirmationRequest, type InviteState } from './landlord-confirmations.ts';
import { CodeView, InviteProblemView, LandlordFormView, LandlordStartView, RequestSentView } from './landlord-pages.tsx';

/**
 * The online Wohnungsgeberbestätigung (BMG § 19(4)): public pages, plain forms with CSRF (the
 * app's hook guards every POST), no JavaScript needed. The link to the landlord carries only a
 * random token; the code is shown once, from the session, never in a URL.
 */
const CODE_KEY = 'landlordCode';
const PROBLEM_STATUS: Record<Exclude<InviteState, 'open'>, number> = { unknown: 404, expired: 410, confirmed: 409 };

export async function registerLandlordRoutes(app: FastifyInstance, deps: Runtime): Promise<void> {
  const { db, catalogue } = deps;
  const policy = { secure: deps.config.cookieSecure };
  const ctx = () => ({ now: deps.now(), timeZone: catalogue.city.timeZone });
  const limit = { rateLimit: { max: deps.config.statusLookupsPerMinute, timeWindow: 60_000 } };
  const landlordDeps = { db, mailer: deps.mailer, publicUrl: deps.config.publicUrl, now: deps.now };

  const form = (req: FastifyRequest, reply: FastifyReply, o: { page: FormPage; data: FormData; errors?: readonly FieldError[]; action: string; requested?: boolean }) => {
    // The pages behind a link or with typed data are nobody else's business: never cached.
    reply.header('cache-control', 'no-store');
    const de = req.lang === 'de';
    const errors = o.errors ?? [];
    return sendPage(req, reply, catalogue, {
      title: o.page.title[req.lang],
      status: errors.length > 0 ? 422 : 200,
      hasErrors: errors.length > 0,
      body: (
        <LandlordFormView
          page={o.page}
          data={o.data}
          errors={errors}
          lang={req.lang}
          csrfToken={reply.generateCsrf()}
          action={o.action}
          requested={o.requested ?? false}
          submitLabel={o.page === requestPage ? (de ? 'Anfrage senden' : 'Send request') : de ? 'Verbindlich bestätigen' : 'Confirm'}
        />
      ),
    });
  };

  const problem = (req: FastifyRequest, reply: FastifyReply, state: Exclude<InviteState, 'open'>) => {
    reply.header('cache-control', 'no-store');
    return sendPage(req, reply, catalogue, { title: req.lang === 'de' ? 'Wohnungsgeberbestätigung' : 'Landlord confirmation', status: PROBLEM_STATUS[state], body: <InviteProblemView lang={req.lang} state={state} /> });
  };

  /** Shows the code once: it goes from the session as it is shown. */
  const showCode = async (req: FastifyRequest, reply: FastifyReply, code: string) => {
    const session = await ensureVisitorSession(req, reply, db, policy);
    await updateSessionData(db, session.idHash, { ...session.data, [CODE_KEY]: code });
    return reply.redirect('/wohnungsgeber/code', 303);
  };

  app.get('/wohnungsgeber', async (req, reply) =>
    sendPage(req, reply, catalogue, { title: req.lang === 'de' ? 'Wohnungsgeberbestätigung' : 'Landlord confirmation', body: <LandlordStartView lang={req.lang} /> }),
  );

  /* ---------- the tenant asks the landlord ---------- */

  app.get('/wohnungsgeber/anfrage', async (req, reply) => form(req, reply, { page: requestPage, data: {}, action: '/wohnungsgeber/anfrage' }));

  app.post('/wohnungsgeber/anfrage', { config: limit }, async (req: FastifyRequest<{ Body: Record<string, unknown> }>, reply) => {
    const input = pickPageValues(requestPage, req.body ?? {});
    const { values, errors } = validatePage(requestPage, input, {}, ctx());
    if (errors.length > 0) return form(req, reply, { page: requestPage, data: input, errors, action: '/wohnungsgeber/anfrage' });
    const request: ConfirmationRequest = {
      flatStreet: String(values.flatStreet ?? ''),
      flatDetail: String(values.flatDetail ?? ''),
      flatPostcode: String(values.flatPostcode ?? ''),
      flatTown: String(values.flatTown ?? ''),
      moveDate: String(values.moveDate ?? ''),
      residents: String(values.residents ?? ''),
    };
    const sent = await requestConfirmation(landlordDeps, { request, landlordEmail: String(values.landlordEmail) });
    if (sent === 'throttled')
      return form(req, reply, {
        page: requestPage,
        data: input,
        action: '/wohnungsgeber/anfrage',
        errors: [
          {
            field: 'landlordEmail',
            message: {
              de: 'An diese Adresse wurden heute schon mehrere Anfragen geschickt. Bitte warten Sie einen Tag oder bitten Sie Ihren Wohnungsgeber direkt um die Bestätigung.',
              en: 'Several requests have already been sent to this address today. Please wait a day or ask your landlord directly.',
            },
          },
        ],
      });
    return reply.redirect('/wohnungsgeber/anfrage/gesendet', 303);
  });

  app.get('/wohnungsgeber/anfrage/gesendet', async (req, reply) =>
    sendPage(req, reply, catalogue, { title: req.lang === 'de' ? 'Anfrage gesendet' : 'Request sent', body: <RequestSentView lang={req.lang} /> }),
  );

  /* ---------- the landlord confirms, straight away or from the link ---------- */

  app.get('/wohnungsgeber/bestaetigen', async (req, reply) => form(req, reply, { page: confirmPage, data: {}, action: '/wohnungsgeber/bestaetigen' }));

  app.post('/wohnungsgeber/bestaetigen', { config: limit }, async (req: FastifyRequest<{ Body: Record<string, unknown> }>, reply) => {
    const input = pickPageValues(confirmPage, req.body ?? {});
    const { values, errors } = validatePage(confirmPage, input, {}, ctx());
    if (errors.length > 0) return form(req, reply, { page: confirmPage, data: input, errors, action: '/wohnungsgeber/bestaetigen' });
    const done = await confirm(landlordDeps, { data: toConfirmationData(values) });
    if (!done.ok) return problem(req, reply, done.state);
    return showCode(req, reply, done.code);
  });

  app.get('/wohnungsgeber/b/:token', async (req: FastifyRequest<{ Params: { token: string } }>, reply) => {
    const invite = await inspectInvite(landlordDeps, req.params.token);
    if (invite.state !== 'open' || !invite.request) return problem(req, reply, invite.state === 'open' ? 'unknown' : invite.state);
    const r = invite.request;
    const data: FormData = { movement: 'move_in', moveDate: r.moveDate, flatStreet: r.flatStreet, flatDetail: r.flatDetail, flatPostcode: r.flatPostcode, flatTown: r.flatTown, residents: r.residents };
    return form(req, reply, { page: confirmPage, data, action: `/wohnungsgeber/b/${req.params.token}`, requested: true });
  });

  app.post('/wohnungsgeber/b/:token', { config: limit }, async (req: FastifyRequest<{ Params: { token: string }; Body: Record<string, unknown> }>, reply) => {
    const invite = await inspectInvite(landlordDeps, req.params.token);
    if (invite.state !== 'open') return problem(req, reply, invite.state);
    const input = pickPageValues(confirmPage, req.body ?? {});
    const { values, errors } = validatePage(confirmPage, input, {}, ctx());
    if (errors.length > 0) return form(req, reply, { page: confirmPage, data: input, errors, action: `/wohnungsgeber/b/${req.params.token}`, requested: true });
    const done = await confirm(landlordDeps, { token: req.params.token, data: toConfirmationData(values) });
    if (!done.ok) return problem(req, reply, done.state);
    return showCode(req, reply, done.code);
  });

  app.get('/wohnungsgeber/code', async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const session = req.session;
    const code = typeof session?.data[CODE_KEY] === 'string' ? (session.data[CODE_KEY] as string) : undefined;
    if (session && code) {
      const { [CODE_KEY]: _shown, ...rest } = session.data;
      await updateSessionData(db, session.idHash, rest);
    }
    return sendPage(req, reply, catalogue, { title: req.lang === 'de' ? 'Ihr Code' : 'Your code', body: <CodeView lang={req.lang} code={code} /> });
  });
}
