import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { casesOfCitizen, claimCase, ClaimedByOtherError, draftsOfCitizen } from '../cases/citizen-cases.ts';
import { deleteCitizen, loadAccount, parseEmail, recordSignOut } from '../identity/citizens.ts';
import { inspectSignInLink, LINK_MESSAGES, redeemSignInLink, sendSignInLink } from '../identity/email-link.ts';
import {
  authenticationOptions,
  finishAuthentication,
  finishRegistration,
  PasskeyError,
  registrationOptions,
  relyingParty,
  removePasskey,
  type PendingCeremony,
} from '../identity/passkeys.ts';
import { destroyAllSessions, setFlash, takeFlash, updateSessionData, type Session } from '../identity/sessions.ts';
import { endSession, ensureVisitorSession, rotateSession, sessionCookieName } from '../identity/web-session.ts';
import { NotFoundError, ValidationError, type FieldProblem } from '../platform/errors.ts';
import type { Runtime } from '../runtime.ts';
import {
  AccountPageView,
  DeleteAccountView,
  GoodbyeView,
  LinkConfirmView,
  LinkProblemView,
  LinkSentView,
  MyCasesView,
  PasskeyUnavailableView,
  SignInView,
} from './pages/account-pages.tsx';
import { sendPage } from './shell.tsx';
import { citizenOf, requireCitizen } from './citizen-session.ts';
import { appPath } from '../platform/app-paths.ts';

/**
 * Citizens' accounts and "Meine Anliegen": sign-in with a passkey or a one-time e-mail link,
 * the account page (passkeys, verified identities, sign out, delete) and the citizen's cases.
 * Handlers parse, call one domain function, render. Sign-in always gives a new session id
 * (session fixation) at level `basic`; higher levels come only from identity verification.
 */
const PASSKEY_SCRIPT = '/assets/passkey.js';
const WEBAUTHN_BUNDLE = '/assets/vendor/simplewebauthn-browser.js';

/** Link requests per client address and quarter of an hour (besides the per-address limit). */
const LINK_REQUEST_LIMIT = { max: 5, timeWindow: 15 * 60_000 };
/** Passkey ceremonies per client address and minute. */
const PASSKEY_LIMIT = { max: 30, timeWindow: 60_000 };

export async function registerAccountRoutes(app: FastifyInstance, deps: Runtime): Promise<void> {
  const { catalogue, db, config } = deps;
  const policy = { secure: config.cookieSecure };
  const rp = relyingParty(config.publicUrl);
  const tz = catalogue.city.timeZone;
  const claimLimit = { max: config.statusLookupsPerMinute, timeWindow: 60_000 };

  // The browser half of WebAuthn, served from our own origin (CSP `script-src 'self'`).
  const bundle = readFileSync(appPath('node_modules', '@simplewebauthn', 'browser', 'dist', 'bundle', 'index.umd.min.js'), 'utf8');
  app.get(WEBAUTHN_BUNDLE, async (_req, reply) => reply.type('text/javascript; charset=utf-8').send(bundle));

  const scripts = (
    <>
      <script src={WEBAUTHN_BUNDLE} defer></script>
      <script src={PASSKEY_SCRIPT} defer></script>
    </>
  );


  const flashMessage = async (req: FastifyRequest) => {
    const flash = await takeFlash(db, req.session);
    return flash ? { kind: 'success' as const, text: flash[req.lang] } : undefined;
  };

  /* ---------- sign-in page and the e-mail link ---------- */

  function renderSignIn(req: FastifyRequest, reply: FastifyReply, email: string, errors: readonly FieldProblem[], message?: { kind: 'danger' | 'info'; text: string }) {
    return sendPage(req, reply, catalogue, {
      title: req.lang === 'de' ? 'Anmelden' : 'Sign in',
      status: errors.length > 0 ? 422 : 200,
      hasErrors: errors.length > 0,
      body: (
        <>
          <SignInView lang={req.lang} csrfToken={reply.generateCsrf()} email={email} errors={errors} message={message} />
          {scripts}
        </>
      ),
    });
  }

  app.get('/account/sign-in', async (req, reply) => {
    if (citizenOf(req)) return reply.redirect('/account', 303);
    return renderSignIn(req, reply, '', []);
  });

  app.post('/account/sign-in/email', { config: { rateLimit: LINK_REQUEST_LIMIT } }, async (req: FastifyRequest<{ Body: { email?: string } }>, reply) => {
    const typed = String(req.body?.email ?? '').slice(0, 300);
    const parsed = parseEmail(typed);
    if ('problem' in parsed) return renderSignIn(req, reply, typed, [parsed.problem]);
    await sendSignInLink({ db, mailer: deps.mailer, publicUrl: config.publicUrl, now: deps.now }, parsed.email);
    // The same answer whether the address has an account, is new or was throttled.
    return reply.redirect('/account/sign-in/sent', 303);
  });

  app.get('/account/sign-in/sent', async (req, reply) => sendPage(req, reply, catalogue, { title: req.lang === 'de' ? 'E-Mail gesendet' : 'Email sent', body: <LinkSentView lang={req.lang} /> }));

  function renderLinkProblem(req: FastifyRequest, reply: FastifyReply, state: keyof typeof LINK_MESSAGES) {
    const m = LINK_MESSAGES[state];
    return sendPage(req, reply, catalogue, {
      title: m.title[req.lang],
      status: state === 'unknown' ? 404 : 410,
      body: <LinkProblemView lang={req.lang} title={m.title[req.lang]} text={m.text[req.lang]} />,
    });
  }

  // The token is in this URL (it comes from the mail): no request log lines at info level for it.
  app.get('/account/link/:token', { logLevel: 'warn' }, async (req: FastifyRequest<{ Params: { token: string } }>, reply) => {
    const state = await inspectSignInLink(deps, req.params.token);
    if (state !== 'valid') return renderLinkProblem(req, reply, state);
    return sendPage(req, reply, catalogue, {
      title: req.lang === 'de' ? 'Anmeldung bestätigen' : 'Confirm sign-in',
      body: <LinkConfirmView lang={req.lang} csrfToken={reply.generateCsrf()} token={req.params.token} />,
    });
  });

  app.post('/account/link', { config: { rateLimit: PASSKEY_LIMIT } }, async (req: FastifyRequest<{ Body: { token?: string } }>, reply) => {
    const result = await redeemSignInLink(deps, String(req.body?.token ?? '').slice(0, 100));
    if (!result.ok) return renderLinkProblem(req, reply, result.state);
    await rotateSession(req, reply, db, policy, { kind: 'citizen', citizenId: result.citizenId, level: 'basic' });
    return reply.redirect('/my-cases', 303);
  });

  /* ---------- passkeys (JSON, driven by /assets/passkey.js) ---------- */

  const pendingOf = (session: Session | undefined) => session?.data.webauthn as PendingCeremony | undefined;
  const keepPending = (session: Session, pending: PendingCeremony | undefined) => {
    const { webauthn: _old, ...rest } = session.data;
    return updateSessionData(db, session.idHash, pending ? { ...rest, webauthn: pending } : rest);
  };
  const passkeyFailure = (req: FastifyRequest, reply: FastifyReply, err: unknown) => {
    if (err instanceof PasskeyError) return reply.status(400).send({ error: err.userMessage[req.lang] });
    throw err;
  };

  app.post('/account/passkey/sign-in/options', { config: { rateLimit: PASSKEY_LIMIT } }, async (req, reply) => {
    const session = await ensureVisitorSession(req, reply, db, policy);
    const { options, pending } = await authenticationOptions(rp);
    await keepPending(session, pending);
    return reply.send({ options });
  });

  app.post('/account/passkey/sign-in', { config: { rateLimit: PASSKEY_LIMIT } }, async (req: FastifyRequest<{ Body: unknown }>, reply) => {
    const session = req.session;
    try {
      if (!session) throw new PasskeyError({ de: 'Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.', en: 'Please reload the page and try again.' });
      const pending = pendingOf(session);
      await keepPending(session, undefined); // a challenge is good for one answer only
      const { citizenId } = await finishAuthentication(db, rp, pending, (req.body as { response?: never })?.response ?? ({} as never));
      await rotateSession(req, reply, db, policy, { kind: 'citizen', citizenId, level: 'basic' });
      return reply.send({ redirect: '/my-cases' });
    } catch (err) {
      return passkeyFailure(req, reply, err);
    }
  });

  app.post('/account/passkey/sign-up/options', { config: { rateLimit: PASSKEY_LIMIT } }, async (req, reply) => {
    const session = await ensureVisitorSession(req, reply, db, policy);
    const { options, pending } = await registrationOptions(db, rp, undefined);
    await keepPending(session, pending);
    return reply.send({ options });
  });

  app.post('/account/passkey/sign-up', { config: { rateLimit: PASSKEY_LIMIT } }, async (req: FastifyRequest<{ Body: unknown }>, reply) => {
    const session = req.session;
    try {
      if (!session) throw new PasskeyError({ de: 'Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.', en: 'Please reload the page and try again.' });
      const pending = pendingOf(session);
      await keepPending(session, undefined);
      const { citizenId } = await finishRegistration(db, rp, pending, (req.body as { response?: never })?.response ?? ({} as never), undefined);
      await rotateSession(req, reply, db, policy, { kind: 'citizen', citizenId, level: 'basic' });
      await setFlash(db, req.session!, { de: 'Ihr Konto ist angelegt. Sie sind angemeldet.', en: 'Your account has been created. You are signed in.' });
      return reply.send({ redirect: '/account' });
    } catch (err) {
      return passkeyFailure(req, reply, err);
    }
  });

  app.post('/account/passkeys/add/options', { config: { rateLimit: PASSKEY_LIMIT } }, async (req, reply) => {
    const session = citizenOf(req);
    if (!session) return reply.status(401).send({ error: req.lang === 'de' ? 'Bitte melden Sie sich erneut an.' : 'Please sign in again.' });
    const { options, pending } = await registrationOptions(db, rp, session.citizenId);
    await keepPending(session, pending);
    return reply.send({ options });
  });

  app.post('/account/passkeys/add', { config: { rateLimit: PASSKEY_LIMIT } }, async (req: FastifyRequest<{ Body: unknown }>, reply) => {
    const session = citizenOf(req);
    if (!session) return reply.status(401).send({ error: req.lang === 'de' ? 'Bitte melden Sie sich erneut an.' : 'Please sign in again.' });
    try {
      const pending = pendingOf(session);
      await keepPending(session, undefined);
      await finishRegistration(db, rp, pending, (req.body as { response?: never })?.response ?? ({} as never), session.citizenId);
      await setFlash(db, { ...session, data: Object.fromEntries(Object.entries(session.data).filter(([k]) => k !== 'webauthn')) }, { de: 'Der Passkey ist gespeichert.', en: 'The passkey has been saved.' });
      return reply.send({ redirect: '/account' });
    } catch (err) {
      return passkeyFailure(req, reply, err);
    }
  });

  // A passkey form sent without the script: explain and offer the e-mail link.
  app.post('/account/passkey/unavailable', async (req, reply) =>
    sendPage(req, reply, catalogue, { title: req.lang === 'de' ? 'Passkeys brauchen JavaScript' : 'Passkeys need JavaScript', body: <PasskeyUnavailableView lang={req.lang} /> }),
  );

  /* ---------- the account ---------- */

  app.get('/account', async (req, reply) => {
    const session = requireCitizen(req, reply);
    if (!session) return reply;
    const account = await loadAccount(db, session.citizenId);
    if (!account) {
      await endSession(req, reply, db, policy);
      return reply.redirect('/account/sign-in', 303);
    }
    const message = await flashMessage(req);
    return sendPage(req, reply, catalogue, {
      title: req.lang === 'de' ? 'Mein Konto' : 'My account',
      body: (
        <>
          <AccountPageView lang={req.lang} csrfToken={reply.generateCsrf()} account={account} timeZone={tz} message={message} />
          {scripts}
        </>
      ),
    });
  });

  app.post('/account/passkeys/remove', async (req: FastifyRequest<{ Body: { credentialId?: string } }>, reply) => {
    const session = requireCitizen(req, reply);
    if (!session) return reply;
    const outcome = await removePasskey(db, session.citizenId, String(req.body?.credentialId ?? '').slice(0, 1024));
    const flash =
      outcome === 'removed'
        ? { de: 'Der Passkey ist entfernt.', en: 'The passkey has been removed.' }
        : outcome === 'last'
          ? { de: 'Ihr letzter Passkey kann nicht entfernt werden: Ohne ihn kämen Sie nicht mehr in Ihr Konto.', en: 'Your last passkey cannot be removed: without it you could not get into your account.' }
          : { de: 'Diesen Passkey gibt es nicht mehr.', en: 'This passkey no longer exists.' };
    await setFlash(db, session, flash);
    return reply.redirect('/account', 303);
  });

  app.post('/account/sign-out', async (req, reply) => {
    const session = citizenOf(req);
    if (session) await recordSignOut(db, session.citizenId, false);
    await endSession(req, reply, db, policy);
    return reply.redirect('/account/signed-out', 303);
  });

  app.post('/account/sign-out-everywhere', async (req, reply) => {
    const session = citizenOf(req);
    if (session) {
      await recordSignOut(db, session.citizenId, true);
      await destroyAllSessions(db, { citizenId: session.citizenId });
    }
    await endSession(req, reply, db, policy);
    return reply.redirect(session ? '/account/signed-out?everywhere=1' : '/account/signed-out', 303);
  });

  app.get('/account/signed-out', async (req: FastifyRequest<{ Querystring: { everywhere?: string } }>, reply) =>
    sendPage(req, reply, catalogue, {
      title: req.lang === 'de' ? 'Abgemeldet' : 'Signed out',
      body: <GoodbyeView lang={req.lang} reason={req.query.everywhere === '1' ? 'everywhere' : 'signed-out'} />,
    }),
  );

  app.get('/account/delete', async (req, reply) => {
    const session = requireCitizen(req, reply);
    if (!session) return reply;
    const cases = await casesOfCitizen(deps, session.citizenId);
    return sendPage(req, reply, catalogue, {
      title: req.lang === 'de' ? 'Konto löschen' : 'Delete account',
      body: <DeleteAccountView lang={req.lang} csrfToken={reply.generateCsrf()} caseCount={cases.length} />,
    });
  });

  app.post('/account/delete', async (req, reply) => {
    const session = requireCitizen(req, reply);
    if (!session) return reply;
    await deleteCitizen(db, session.citizenId);
    // The session row went with the account (foreign key); the cookie goes too.
    reply.clearCookie(sessionCookieName(policy), { path: '/' });
    req.session = undefined;
    return reply.redirect('/account/deleted', 303);
  });

  app.get('/account/deleted', async (req, reply) =>
    sendPage(req, reply, catalogue, { title: req.lang === 'de' ? 'Konto gelöscht' : 'Account deleted', body: <GoodbyeView lang={req.lang} reason="deleted" /> }),
  );

  /* ---------- Meine Anliegen ---------- */

  async function renderMyCases(
    req: FastifyRequest,
    reply: FastifyReply,
    session: Session & { citizenId: string },
    claim: { reference: string; accessCode: string; errors: readonly FieldProblem[]; notFound?: string | undefined },
    status = 200,
  ) {
    const [cases, drafts] = await Promise.all([casesOfCitizen(deps, session.citizenId), draftsOfCitizen(deps, session.citizenId, session.idHash)]);
    const message = status === 200 ? await flashMessage(req) : undefined;
    const failed = claim.errors.length > 0 || claim.notFound !== undefined;
    return sendPage(req, reply, catalogue, {
      title: req.lang === 'de' ? 'Meine Anliegen' : 'My matters',
      status,
      hasErrors: failed,
      body: <MyCasesView lang={req.lang} csrfToken={reply.generateCsrf()} timeZone={tz} cases={cases} drafts={drafts} claim={claim} message={message} />,
    });
  }

  app.get('/my-cases', async (req, reply) => {
    const session = requireCitizen(req, reply);
    if (!session) return reply;
    return renderMyCases(req, reply, session, { reference: '', accessCode: '', errors: [] });
  });

  app.post('/my-cases/claim', { config: { rateLimit: claimLimit } }, async (req: FastifyRequest<{ Body: { reference?: string; accessCode?: string } }>, reply) => {
    const session = requireCitizen(req, reply);
    if (!session) return reply;
    const reference = String(req.body?.reference ?? '').slice(0, 40);
    const accessCode = String(req.body?.accessCode ?? '').slice(0, 40);
    try {
      const claimed = await claimCase(deps, session.citizenId, reference, accessCode);
      await setFlash(db, session, {
        de: claimed.alreadyYours ? `${claimed.reference} gehört schon zu Ihrem Konto.` : `${claimed.reference} ist jetzt in Ihrem Konto.`,
        en: claimed.alreadyYours ? `${claimed.reference} already belongs to your account.` : `${claimed.reference} is now in your account.`,
      });
      return reply.redirect('/my-cases', 303);
    } catch (err) {
      if (err instanceof ValidationError) return renderMyCases(req, reply, session, { reference, accessCode, errors: err.fields }, 422);
      if (err instanceof NotFoundError) return renderMyCases(req, reply, session, { reference, accessCode, errors: [], notFound: err.userMessage[req.lang] }, 404);
      if (err instanceof ClaimedByOtherError) return renderMyCases(req, reply, session, { reference, accessCode, errors: [], notFound: err.userMessage[req.lang] }, 409);
      throw err;
    }
  });
}
