import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  deviceLabel,
  listPushDevices,
  loadPreferences,
  parsePushSubscription,
  removePushDevice,
  savePreferences,
  savePushSubscription,
} from '../notifications/notification-settings.ts';
import { setFlash, takeFlash } from '../identity/sessions.ts';
import type { Runtime } from '../runtime.ts';
import { NotificationSettingsView, PUSH_SCRIPT } from './pages/notification-pages.tsx';
import { sendPage } from './shell.tsx';
import { citizenOf, requireCitizen } from './citizen-session.ts';
import { appPath } from '../platform/app-paths.ts';

/**
 * Notification settings for a signed-in citizen (`/account/notifications`: channels and push
 * devices), the endpoint /assets/push.js posts a browser's push subscription to, and the service
 * worker. The worker is served from `/sw.js`, not from /assets/: a service worker controls only
 * the path it is served under and below, and notification clicks open status pages at `/status/…`.
 */
const SUBSCRIBE_LIMIT = { max: 20, timeWindow: 60_000 };

export async function registerNotificationRoutes(app: FastifyInstance, deps: Runtime): Promise<void> {
  const { catalogue, db } = deps;
  const tz = catalogue.city.timeZone;

  const worker = readFileSync(appPath('public', 'sw.js'), 'utf8');
  app.get('/sw.js', async (_req, reply) =>
    // no-cache: browsers check for a new worker on every registration (they cap it at 24 h anyway).
    reply.type('application/javascript; charset=utf-8').header('cache-control', 'no-cache').send(worker),
  );


  app.get('/account/notifications', async (req, reply) => {
    const session = requireCitizen(req, reply);
    if (!session) return reply;
    const [preferences, devices, account, flash] = await Promise.all([
      loadPreferences(db, session.citizenId),
      listPushDevices(db, session.citizenId),
      db.selectFrom('citizens').select('email').where('id', '=', session.citizenId).executeTakeFirst(),
      takeFlash(db, req.session),
    ]);
    return sendPage(req, reply, catalogue, {
      title: req.lang === 'de' ? 'Benachrichtigungen' : 'Notifications',
      body: (
        <>
          <NotificationSettingsView
            lang={req.lang}
            csrfToken={reply.generateCsrf()}
            preferences={preferences}
            accountEmail={account?.email ?? null}
            devices={devices}
            vapidPublicKey={deps.webPush?.publicKey}
            timeZone={tz}
            message={flash ? { kind: 'success', text: flash[req.lang] } : undefined}
          />
          {deps.webPush ? <script src={PUSH_SCRIPT} defer></script> : null}
        </>
      ),
    });
  });

  app.post('/account/notifications', async (req: FastifyRequest<{ Body: { channels?: string | string[] } }>, reply) => {
    const session = requireCitizen(req, reply);
    if (!session) return reply;
    const raw = req.body?.channels;
    const channels = new Set(Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]);
    const email = channels.has('email');
    const push = channels.has('push');
    await savePreferences(db, session.citizenId, { email, push });
    await setFlash(db, session, {
      de: email || push ? 'Ihre Einstellungen sind gespeichert.' : 'Ihre Einstellungen sind gespeichert. Sie bekommen keine Benachrichtigungen mehr; den Stand sehen Sie weiter auf der Statusseite und im Postfach.',
      en: email || push ? 'Your settings have been saved.' : 'Your settings have been saved. You will get no notifications; the status page and your mailbox still show everything.',
    });
    return reply.redirect('/account/notifications', 303);
  });

  // JSON from /assets/push.js, with the page's CSRF token in the `csrf-token` header.
  app.post('/account/push-subscriptions', { config: { rateLimit: SUBSCRIBE_LIMIT } }, async (req: FastifyRequest<{ Body: unknown }>, reply) => {
    const session = citizenOf(req);
    if (!session) return reply.status(401).send({ error: req.lang === 'de' ? 'Bitte melden Sie sich erneut an.' : 'Please sign in again.' });
    if (!deps.webPush) {
      return reply.status(409).send({ error: req.lang === 'de' ? 'Dieses Portal verschickt zurzeit keine Push-Benachrichtigungen.' : 'This portal does not send push notifications at the moment.' });
    }
    const parsed = parsePushSubscription(req.body);
    if ('problem' in parsed) return reply.status(400).send({ error: parsed.problem[req.lang] });
    await savePushSubscription(db, session.citizenId, parsed.target, deviceLabel(req.headers['user-agent']));
    await setFlash(db, session, { de: 'Dieses Gerät bekommt jetzt Push-Benachrichtigungen.', en: 'This device now gets push notifications.' });
    return reply.status(201).send({ redirect: '/account/notifications' });
  });

  app.post('/account/push-subscriptions/remove', async (req: FastifyRequest<{ Body: { id?: string } }>, reply) => {
    const session = requireCitizen(req, reply);
    if (!session) return reply;
    const removed = await removePushDevice(db, session.citizenId, String(req.body?.id ?? '').slice(0, 64));
    await setFlash(
      db,
      session,
      removed
        ? { de: 'Das Gerät ist entfernt. Es bekommt keine Push-Benachrichtigungen mehr.', en: 'The device has been removed. It gets no more push notifications.' }
        : { de: 'Dieses Gerät gibt es nicht mehr.', en: 'This device no longer exists.' },
    );
    return reply.redirect('/account/notifications', 303);
  });
}
