import type { Lang } from '../../catalogue/service-definition.ts';
import type { NotificationPreferences, PushDevice } from '../../notifications/notification-settings.ts';
import { formatDateTime } from '../../platform/i18n/time.ts';
import { Alert, Button, ChoiceGroup, CsrfField } from '../../platform/views/components.tsx';

/**
 * The citizen's notification settings (`/account/notifications`): which channels notify them,
 * and the browsers that get pushes, each removable with a plain form. Switching push on for this
 * browser needs JavaScript by nature: the button is rendered `hidden` and shown by
 * /assets/push.js only where the browser has service workers and the Push API; until then the
 * page says what is needed.
 */
type Message = { kind: 'success' | 'danger' | 'info'; text: string };

export const PUSH_SCRIPT = '/assets/push.js';

export function NotificationSettingsView(p: {
  lang: Lang;
  csrfToken: string;
  preferences: NotificationPreferences;
  accountEmail: string | null;
  devices: readonly PushDevice[];
  /** The VAPID public key; undefined when this installation sends no pushes. */
  vapidPublicKey: string | undefined;
  timeZone: string;
  message?: Message | undefined;
}) {
  const { lang } = p;
  const de = lang === 'de';
  const selected = [p.preferences.email ? 'email' : '', p.preferences.push ? 'push' : ''].filter(Boolean);
  return (
    <>
      {p.message ? <Alert kind={p.message.kind} title={p.message.text} role={p.message.kind === 'danger' ? 'alert' : 'status'} /> : null}
      <h1 class="kern-heading-large">{de ? 'Benachrichtigungen' : 'Notifications'}</h1>
      <p class="kern-body">
        {de
          ? 'Wir benachrichtigen Sie, wenn sich der Stand eines Ihrer Anliegen ändert, eine Nachricht im Postfach auf Sie wartet oder das Amt etwas von Ihnen braucht. Die Benachrichtigungen enthalten keine persönlichen Angaben: nur die Leistung, das Aktenzeichen und einen Link zur Statusseite.'
          : 'We notify you when the status of one of your matters changes, a message is waiting in your mailbox, or the office needs something from you. Notifications contain no personal details: only the service, the reference and a link to the status page.'}
      </p>
      <p class="kern-body">
        {de
          ? 'Im Postfach und auf der Statusseite sehen Sie immer alles, ganz gleich, was Sie hier wählen.'
          : 'The mailbox and the status page always show everything, whatever you choose here.'}
      </p>

      <form method="post" action="/account/notifications" class="aw-form" novalidate>
        <CsrfField token={p.csrfToken} />
        <ChoiceGroup
          id="channels"
          legend={de ? 'Wie möchten Sie benachrichtigt werden?' : 'How would you like to be notified?'}
          hint={
            p.accountEmail
              ? de
                ? `E-Mails gehen an ${p.accountEmail}. Push-Benachrichtigungen gehen an die Geräte unten.`
                : `Emails go to ${p.accountEmail}. Push notifications go to the devices below.`
              : de
                ? 'Ihr Konto hat keine E-Mail-Adresse: E-Mails gehen an die Adresse, die Sie im Antrag angegeben haben. Push-Benachrichtigungen gehen an die Geräte unten.'
                : 'Your account has no email address: emails go to the address you gave in the application. Push notifications go to the devices below.'
          }
          multiple
          choices={[
            { value: 'email', label: de ? 'Per E-Mail' : 'By email' },
            { value: 'push', label: de ? 'Als Push-Benachrichtigung' : 'As push notifications' },
          ]}
          selected={selected}
        />
        <Button>{de ? 'Einstellungen speichern' : 'Save settings'}</Button>
      </form>

      <h2 class="kern-heading-medium" id="devices-heading">
        {de ? 'Geräte für Push-Benachrichtigungen' : 'Devices for push notifications'}
      </h2>
      {!p.preferences.push ? (
        <p class="kern-body">
          {de
            ? 'Push-Benachrichtigungen sind oben ausgeschaltet: Ihre Geräte bekommen keine, bis Sie sie wieder einschalten.'
            : 'Push notifications are switched off above: your devices get none until you switch them on again.'}
        </p>
      ) : null}
      {p.devices.length === 0 ? (
        <p class="kern-body" data-testid="no-push-devices">
          {de ? 'Sie haben noch kein Gerät eingerichtet.' : 'You have not set up a device yet.'}
        </p>
      ) : (
        <ul class="kern-list aw-passkey-list" aria-labelledby="devices-heading" data-testid="push-devices">
          {p.devices.map((d, i) => {
            const name = d.label ?? (de ? `Gerät ${i + 1}` : `Device ${i + 1}`);
            return (
              <li>
                <p class="kern-body kern-body--bold">{name}</p>
                <p class="kern-body kern-body--small">
                  {de ? 'Eingerichtet: ' : 'Set up: '}
                  {formatDateTime(d.createdAt, lang, p.timeZone)}
                  {' · '}
                  {de ? 'Zuletzt zugestellt: ' : 'Last delivered: '}
                  {d.lastSuccessAt ? formatDateTime(d.lastSuccessAt, lang, p.timeZone) : de ? 'noch nie' : 'never'}
                </p>
                <form method="post" action="/account/push-subscriptions/remove" class="aw-form-row">
                  <CsrfField token={p.csrfToken} />
                  <input type="hidden" name="id" value={d.id} />
                  <button class="kern-btn kern-btn--secondary" type="submit">
                    <span class="kern-label">
                      {de ? 'Entfernen' : 'Remove'}
                      <span class="kern-sr-only"> {name}</span>
                    </span>
                  </button>
                </form>
              </li>
            );
          })}
        </ul>
      )}

      {p.vapidPublicKey ? (
        <div class="aw-passkey" data-module="push" data-vapid-key={p.vapidPublicKey} data-csrf={p.csrfToken} data-lang={lang}>
          <p class="kern-body" data-push-unavailable>
            {de
              ? 'Um Push-Benachrichtigungen auf diesem Gerät einzuschalten, braucht Ihr Browser JavaScript und Unterstützung für Push-Benachrichtigungen. Auf iPhone und iPad geht das erst, wenn Sie das Portal zum Home-Bildschirm hinzugefügt haben. E-Mails bekommen Sie in jedem Fall.'
              : 'To switch on push notifications on this device, your browser needs JavaScript and support for push notifications. On iPhone and iPad this works only once you have added the portal to your home screen. You get emails in any case.'}
          </p>
          <p class="kern-body" hidden data-push-active>
            {de ? 'Dieses Gerät bekommt Push-Benachrichtigungen.' : 'This device gets push notifications.'}
          </p>
          <button class="kern-btn kern-btn--primary" type="button" hidden data-push-button id="push-enable">
            <span class="kern-label">{de ? 'Push-Benachrichtigungen auf diesem Gerät aktivieren' : 'Turn on push notifications on this device'}</span>
          </button>
          <div class="aw-passkey__message" data-push-message role="status" aria-live="polite"></div>
        </div>
      ) : (
        <p class="kern-body">
          {de ? 'Dieses Portal verschickt zurzeit keine Push-Benachrichtigungen.' : 'This portal does not send push notifications at the moment.'}
        </p>
      )}

      <p class="kern-body">
        <a class="kern-link" href="/account">
          {de ? 'Zurück zu meinem Konto' : 'Back to my account'}
        </a>
      </p>
    </>
  );
}
