import type { MyCase, MyDraft } from '../../cases/citizen-cases.ts';
import type { Lang } from '../../catalogue/service-definition.ts';
import type { AccountView as Account } from '../../identity/citizens.ts';
import type { FieldProblem } from '../../platform/errors.ts';
import { formatDate, formatDateTime } from '../../platform/i18n/time.ts';
import { Alert, Button, CsrfField, ErrorSummary, TextInput } from '../../platform/views/components.tsx';

/**
 * The citizen's account pages: sign-in (passkey or e-mail link), the link's confirmation, the
 * account with its passkeys and verified identities, deletion, and "Meine Anliegen".
 * Passkey controls are rendered `hidden` and shown by /assets/passkey.js only where the browser
 * can use passkeys; until then (and without JavaScript) the page says why and offers the link.
 */
type Message = { kind: 'success' | 'danger' | 'info'; text: string };

const summaryTitle = (de: boolean) => (de ? 'Bitte korrigieren Sie Folgendes' : 'There is a problem');
const errorOf = (errors: readonly FieldProblem[], field: string, lang: Lang) => errors.find((e) => e.field === field)?.message[lang];

function MessageBox(p: { message?: Message | undefined }) {
  if (!p.message) return null;
  return <Alert kind={p.message.kind} title={p.message.text} role={p.message.kind === 'danger' ? 'alert' : 'status'} />;
}

/** A passkey button, shown by the script; its form carries the CSRF token the script sends along. */
function PasskeyControl(p: { lang: Lang; csrfToken: string; ceremony: 'register' | 'authenticate' | 'add'; label: string; id: string }) {
  const de = p.lang === 'de';
  return (
    <div class="aw-passkey" data-module="passkey" data-ceremony={p.ceremony} data-lang={p.lang}>
      <p class="kern-body aw-passkey__unavailable" data-passkey-unavailable>
        {de
          ? 'Passkeys funktionieren hier gerade nicht: Dazu braucht Ihr Browser JavaScript und Unterstützung für Passkeys. Bitte nutzen Sie stattdessen den Link per E-Mail.'
          : 'Passkeys do not work here right now: they need JavaScript and passkey support in your browser. Please use the link by email instead.'}
      </p>
      <form method="post" action="/account/passkey/unavailable" hidden data-passkey-form>
        <CsrfField token={p.csrfToken} />
        <button class="kern-btn kern-btn--primary" type="submit" id={p.id}>
          <span class="kern-label">{p.label}</span>
        </button>
      </form>
      <div class="aw-passkey__message" data-passkey-message role="alert" aria-live="assertive"></div>
    </div>
  );
}

export function SignInView(p: { lang: Lang; csrfToken: string; email: string; errors: readonly FieldProblem[]; message?: Message | undefined }) {
  const de = p.lang === 'de';
  return (
    <>
      <ErrorSummary title={summaryTitle(de)} errors={p.errors.map((e) => ({ href: `#${e.field}`, text: e.message[p.lang] }))} />
      <MessageBox message={p.message} />
      <h1 class="kern-heading-large">{de ? 'Anmelden' : 'Sign in'}</h1>
      <p class="kern-body">
        {de
          ? 'Mit einem Konto sehen Sie alle Ihre Anliegen an einem Ort und setzen angefangene Anträge fort. Ein Konto ist freiwillig: Sie können jede Leistung auch ohne Konto nutzen.'
          : 'With an account you see all your matters in one place and can continue forms you started. An account is optional: you can use every service without one.'}
      </p>

      <h2 class="kern-heading-medium">{de ? 'Mit Passkey' : 'With a passkey'}</h2>
      <p class="kern-body">
        {de
          ? 'Ein Passkey ist auf Ihrem Gerät gespeichert und wird mit Fingerabdruck, Gesichtserkennung oder Geräte-PIN freigegeben. Kein Passwort nötig.'
          : 'A passkey is stored on your device and unlocked with your fingerprint, face or device PIN. No password needed.'}
      </p>
      <PasskeyControl lang={p.lang} csrfToken={p.csrfToken} ceremony="authenticate" id="passkey-sign-in" label={de ? 'Mit Passkey anmelden' : 'Sign in with a passkey'} />

      <h2 class="kern-heading-medium" id="email-heading">
        {de ? 'Mit einem Link per E-Mail' : 'With a link by email'}
      </h2>
      <p class="kern-body">
        {de
          ? 'Wir schicken Ihnen einen Link, der 15 Minuten gilt. Haben Sie noch kein Konto, legen wir es bei der ersten Anmeldung an.'
          : 'We send you a link that works for 15 minutes. If you have no account yet, we create it when you first sign in.'}
      </p>
      <form method="post" action="/account/sign-in/email" class="aw-form" novalidate aria-labelledby="email-heading">
        <CsrfField token={p.csrfToken} />
        <TextInput id="email" label={de ? 'E-Mail-Adresse' : 'Email address'} type="email" inputMode="email" autocomplete="email" value={p.email} error={errorOf(p.errors, 'email', p.lang)} required maxLength={254} />
        <Button>{de ? 'Link senden' : 'Send link'}</Button>
      </form>

      <h2 class="kern-heading-medium">{de ? 'Noch kein Konto?' : 'No account yet?'}</h2>
      <p class="kern-body">
        {de
          ? 'Legen Sie ein Konto mit einem Passkey an, ganz ohne E-Mail-Adresse. Oder nutzen Sie oben den Link per E-Mail.'
          : 'Create an account with a passkey, without any email address. Or use the link by email above.'}
      </p>
      <PasskeyControl lang={p.lang} csrfToken={p.csrfToken} ceremony="register" id="passkey-sign-up" label={de ? 'Konto mit Passkey anlegen' : 'Create an account with a passkey'} />
    </>
  );
}

export function LinkSentView(p: { lang: Lang }) {
  const de = p.lang === 'de';
  return (
    <>
      <h1 class="kern-heading-large">{de ? 'Bitte sehen Sie in Ihr E-Mail-Postfach' : 'Please check your email'}</h1>
      <div class="aw-panel" role="status">
        <p class="kern-body">
          {de
            ? 'Wenn die Adresse gültig ist, haben wir Ihnen einen Anmeldelink geschickt. Er gilt 15 Minuten und nur einmal.'
            : 'If the address is valid, we have sent you a sign-in link. It works once, within 15 minutes.'}
        </p>
      </div>
      <p class="kern-body">
        {de
          ? 'Keine E-Mail bekommen? Sehen Sie auch im Spam-Ordner nach. Prüfen Sie, ob die Adresse richtig geschrieben war, und fordern Sie sonst einen neuen Link an.'
          : 'No email? Look in your spam folder too. Check that the address was spelled correctly, or ask for a new link.'}
      </p>
      <p class="kern-body">
        <a class="kern-link" href="/account/sign-in">
          {de ? 'Neuen Link anfordern' : 'Ask for a new link'}
        </a>
      </p>
    </>
  );
}

export function LinkConfirmView(p: { lang: Lang; csrfToken: string; token: string }) {
  const de = p.lang === 'de';
  return (
    <>
      <h1 class="kern-heading-large">{de ? 'Anmeldung bestätigen' : 'Confirm sign-in'}</h1>
      <p class="kern-body">
        {de ? 'Sie haben einen Anmeldelink geöffnet. Mit dem Knopf melden Sie sich an.' : 'You opened a sign-in link. Use the button to sign in.'}
      </p>
      <form method="post" action="/account/link" class="aw-inline-form" data-module="submit-once">
        <CsrfField token={p.csrfToken} />
        <input type="hidden" name="token" value={p.token} />
        <Button>{de ? 'Jetzt anmelden' : 'Sign in now'}</Button>
      </form>
    </>
  );
}

export function LinkProblemView(p: { lang: Lang; title: string; text: string }) {
  const de = p.lang === 'de';
  return (
    <>
      <h1 class="kern-heading-large" data-testid="link-problem">
        {p.title}
      </h1>
      <p class="kern-body">{p.text}</p>
      <p class="kern-body">
        <a class="kern-link" href="/account/sign-in">
          {de ? 'Neuen Anmeldelink anfordern' : 'Ask for a new sign-in link'}
        </a>
      </p>
    </>
  );
}

/** Shown when a passkey form was sent without the script (JavaScript off or not loaded). */
export function PasskeyUnavailableView(p: { lang: Lang }) {
  const de = p.lang === 'de';
  return (
    <>
      <h1 class="kern-heading-large">{de ? 'Passkeys brauchen JavaScript' : 'Passkeys need JavaScript'}</h1>
      <p class="kern-body">
        {de
          ? 'Ein Passkey wird über Ihren Browser und Ihr Gerät abgefragt. Dazu muss JavaScript eingeschaltet sein. Sie können sich stattdessen mit einem Link per E-Mail anmelden.'
          : 'A passkey is requested through your browser and device, which needs JavaScript. You can sign in with a link by email instead.'}
      </p>
      <p class="kern-body">
        <a class="kern-link" href="/account/sign-in#email">
          {de ? 'Mit einem Link per E-Mail anmelden' : 'Sign in with a link by email'}
        </a>
      </p>
    </>
  );
}

const LEVEL: Record<'substantial' | 'high', { de: string; en: string }> = {
  substantial: { de: 'substanziell', en: 'substantial' },
  high: { de: 'hoch', en: 'high' },
};

export function AccountPageView(p: { lang: Lang; csrfToken: string; account: Account; timeZone: string; message?: Message | undefined }) {
  const { account: a, lang } = p;
  const de = lang === 'de';
  const canRemove = a.email !== null || a.passkeys.length > 1;
  return (
    <>
      <MessageBox message={p.message} />
      <h1 class="kern-heading-large">{de ? 'Mein Konto' : 'My account'}</h1>
      <p class="kern-body">
        <a class="kern-link" href="/my-cases">
          {de ? 'Zu meinen Anliegen' : 'To my matters'}
        </a>
      </p>

      <h2 class="kern-heading-medium">{de ? 'E-Mail-Adresse' : 'Email address'}</h2>
      <p class="kern-body" data-testid="account-email">
        {a.email ?? (de ? 'Keine hinterlegt. Sie melden sich mit Passkey an.' : 'None saved. You sign in with a passkey.')}
      </p>

      <h2 class="kern-heading-medium">{de ? 'Passkeys' : 'Passkeys'}</h2>
      {a.passkeys.length === 0 ? (
        <p class="kern-body">{de ? 'Sie haben noch keinen Passkey.' : 'You have no passkey yet.'}</p>
      ) : (
        <ul class="kern-list aw-passkey-list">
          {a.passkeys.map((k, i) => (
            <li>
              <p class="kern-body kern-body--bold">{k.label ?? `Passkey ${i + 1}`}</p>
              <p class="kern-body kern-body--small">
                {de ? 'Angelegt: ' : 'Created: '}
                {formatDateTime(k.createdAt, lang, p.timeZone)}
                {' · '}
                {de ? 'Zuletzt benutzt: ' : 'Last used: '}
                {k.lastUsedAt ? formatDateTime(k.lastUsedAt, lang, p.timeZone) : de ? 'noch nie' : 'never'}
              </p>
              {canRemove ? (
                <form method="post" action="/account/passkeys/remove" class="aw-form-row">
                  <CsrfField token={p.csrfToken} />
                  <input type="hidden" name="credentialId" value={k.credentialId} />
                  <button class="kern-btn kern-btn--secondary" type="submit">
                    <span class="kern-label">
                      {de ? 'Entfernen' : 'Remove'}
                      <span class="kern-sr-only"> {k.label ?? `Passkey ${i + 1}`}</span>
                    </span>
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {!canRemove && a.passkeys.length > 0 ? (
        <p class="kern-body kern-body--small">
          {de
            ? 'Ihr einziger Passkey ist Ihr einziger Weg ins Konto. Legen Sie erst einen weiteren an, bevor Sie ihn entfernen.'
            : 'Your only passkey is your only way into the account. Add another one before removing it.'}
        </p>
      ) : null}
      <PasskeyControl lang={lang} csrfToken={p.csrfToken} ceremony="add" id="passkey-add" label={de ? 'Weiteren Passkey anlegen' : 'Add another passkey'} />

      <h2 class="kern-heading-medium">{de ? 'Bestätigte Identität' : 'Verified identity'}</h2>
      {a.identities.length === 0 ? (
        <p class="kern-body">
          {de
            ? 'Sie haben Ihre Identität noch nicht bestätigt. Manche Leistungen verlangen das, zum Beispiel mit dem Online-Ausweis.'
            : 'You have not verified your identity yet. Some services require it, for example with the online ID card.'}
        </p>
      ) : (
        <ul class="kern-list">
          {a.identities.map((i) => (
            <li>
              {i.provider} · {de ? 'Vertrauensniveau ' : 'Level '}
              {LEVEL[i.level][lang]} · {de ? 'bestätigt am ' : 'verified on '}
              {formatDate(i.verifiedAt, lang, p.timeZone)}
            </li>
          ))}
        </ul>
      )}
      <p class="kern-body">
        <a class="kern-link" href={'/identity?level=high&return=/account'}>
          {a.identities.length === 0 ? (de ? 'Identität jetzt nachweisen' : 'Prove your identity now') : de ? 'Identität erneut nachweisen' : 'Prove your identity again'}
        </a>
      </p>

      <h2 class="kern-heading-medium">{de ? 'Benachrichtigungen' : 'Notifications'}</h2>
      <p class="kern-body">
        <a class="kern-link" href="/account/notifications">
          {de ? 'E-Mail und Push-Benachrichtigungen einstellen' : 'Choose email and push notifications'}
        </a>
      </p>

      <h2 class="kern-heading-medium">{de ? 'Datenschutz' : 'Data protection'}</h2>
      <p class="kern-body">
        {de
          ? 'Sehen Sie, welche Stelle wann auf die Akten Ihrer Anliegen zugegriffen hat, und laden Sie alle Ihre Daten herunter.'
          : 'See which office accessed the files of your cases and when, and download all your data.'}
      </p>
      <p class="kern-body">
        <a class="kern-link" href="/account/data-protection">
          {de ? 'Zum Datenschutz-Cockpit' : 'To the data protection cockpit'}
        </a>
      </p>

      <h2 class="kern-heading-medium">{de ? 'Abmelden' : 'Sign out'}</h2>
      <form method="post" action="/account/sign-out" class="aw-form-row">
        <CsrfField token={p.csrfToken} />
        <Button kind="secondary">{de ? 'Abmelden' : 'Sign out'}</Button>
      </form>
      <p class="kern-body">
        {de
          ? 'Haben Sie sich auf einem fremden oder verlorenen Gerät angemeldet? Dann melden Sie sich überall ab.'
          : 'Did you sign in on a shared or lost device? Then sign out everywhere.'}
      </p>
      <form method="post" action="/account/sign-out-everywhere" class="aw-form-row">
        <CsrfField token={p.csrfToken} />
        <Button kind="secondary">{de ? 'Überall abmelden' : 'Sign out everywhere'}</Button>
      </form>

      <h2 class="kern-heading-medium">{de ? 'Konto löschen' : 'Delete account'}</h2>
      <p class="kern-body">
        <a class="kern-link" href="/account/delete">
          {de ? 'Mein Konto löschen' : 'Delete my account'}
        </a>
      </p>
    </>
  );
}

export function DeleteAccountView(p: { lang: Lang; csrfToken: string; caseCount: number }) {
  const de = p.lang === 'de';
  return (
    <>
      <h1 class="kern-heading-large">{de ? 'Konto wirklich löschen?' : 'Really delete your account?'}</h1>
      <p class="kern-body">{de ? 'Wenn Sie Ihr Konto löschen,' : 'If you delete your account,'}</p>
      <ul class="kern-list">
        <li>{de ? 'entfernen wir Ihre Anmeldedaten: E-Mail-Adresse, Passkeys und bestätigte Identitäten,' : 'we remove your sign-in data: email address, passkeys and verified identities,'}</li>
        <li>{de ? 'löschen wir Ihre angefangenen, nicht gesendeten Anträge,' : 'we delete your unsent forms,'}</li>
        <li>{de ? 'werden Sie auf allen Geräten abgemeldet.' : 'you are signed out on every device.'}</li>
      </ul>
      <p class="kern-body">
        {de
          ? `Gesendete Anliegen (${p.caseCount}) bleiben beim Amt und werden weiter bearbeitet. Den Stand fragen Sie dann mit Aktenzeichen und Zugangscode ab.`
          : `Cases you sent (${p.caseCount}) stay with the office and are still dealt with. You then check their status with the reference and access code.`}
      </p>
      <p class="kern-body">{de ? 'Das können Sie nicht rückgängig machen.' : 'You cannot undo this.'}</p>
      <form method="post" action="/account/delete" class="aw-inline-form">
        <CsrfField token={p.csrfToken} />
        <Button>{de ? 'Ja, Konto löschen' : 'Yes, delete my account'}</Button>
      </form>
      <p class="kern-body">
        <a class="kern-link" href="/account">
          {de ? 'Nein, zurück zum Konto' : 'No, back to my account'}
        </a>
      </p>
    </>
  );
}

export function GoodbyeView(p: { lang: Lang; reason: 'signed-out' | 'everywhere' | 'deleted' }) {
  const de = p.lang === 'de';
  const title =
    p.reason === 'deleted'
      ? de
        ? 'Ihr Konto ist gelöscht'
        : 'Your account has been deleted'
      : p.reason === 'everywhere'
        ? de
          ? 'Sie sind auf allen Geräten abgemeldet'
          : 'You are signed out on every device'
        : de
          ? 'Sie sind abgemeldet'
          : 'You are signed out';
  return (
    <>
      <h1 class="kern-heading-large" data-testid="goodbye">
        {title}
      </h1>
      {p.reason === 'deleted' ? (
        <p class="kern-body">
          {de
            ? 'Ihre Anmeldedaten sind entfernt. Gesendete Anliegen bearbeitet das Amt weiter; den Stand fragen Sie mit Aktenzeichen und Zugangscode ab.'
            : 'Your sign-in data has been removed. The office still deals with the cases you sent; check their status with the reference and access code.'}
        </p>
      ) : null}
      <p class="kern-body">
        <a class="kern-link" href="/">
          {de ? 'Zur Startseite' : 'To the home page'}
        </a>
        {p.reason === 'deleted' ? null : (
          <>
            {' · '}
            <a class="kern-link" href="/account/sign-in">
              {de ? 'Wieder anmelden' : 'Sign in again'}
            </a>
          </>
        )}
      </p>
    </>
  );
}

export function MyCasesView(p: {
  lang: Lang;
  csrfToken: string;
  timeZone: string;
  cases: readonly MyCase[];
  drafts: readonly MyDraft[];
  claim: { reference: string; accessCode: string; errors: readonly FieldProblem[]; notFound?: string | undefined };
  message?: Message | undefined;
}) {
  const { lang } = p;
  const de = lang === 'de';
  const claimErrors = [...p.claim.errors.map((e) => ({ href: `#${e.field}`, text: e.message[lang] })), ...(p.claim.notFound ? [{ href: '#reference', text: p.claim.notFound }] : [])];
  return (
    <>
      <ErrorSummary title={summaryTitle(de)} errors={claimErrors} />
      <MessageBox message={p.message} />
      <h1 class="kern-heading-large">{de ? 'Meine Anliegen' : 'My matters'}</h1>

      <h2 class="kern-heading-medium">{de ? 'Gesendet' : 'Sent'}</h2>
      {p.cases.length === 0 ? (
        <p class="kern-body" data-testid="no-cases">
          {de
            ? 'Sie haben mit diesem Konto noch nichts gesendet. Was Sie angemeldet senden, erscheint hier. Ein Anliegen, das Sie ohne Konto gesendet haben, können Sie unten hinzufügen.'
            : 'You have not sent anything with this account yet. What you send while signed in appears here. You can add a case you sent without an account below.'}
        </p>
      ) : (
        // A list of cards rather than a table: it reads well on a phone and with a screen reader.
        <ul class="aw-case-list" data-testid="my-cases">
          {p.cases.map((c) => (
            <li class="aw-case-card">
              <h3 class="kern-heading-small">
                <a class="kern-link" href={`/status/${c.caseId}`}>
                  {c.serviceTitle[lang]}
                  <span class="kern-sr-only">{de ? `, Aktenzeichen ${c.reference}, Stand ansehen` : `, reference ${c.reference}, view status`}</span>
                </a>
              </h3>
              <dl class="aw-case-card__facts">
                <div>
                  <dt>{de ? 'Aktenzeichen' : 'Reference'}</dt>
                  <dd class="aw-nowrap">{c.reference}</dd>
                </div>
                <div>
                  <dt>{de ? 'Stand' : 'Status'}</dt>
                  <dd>
                    <span class={`kern-badge ${c.final ? 'kern-badge--success' : 'kern-badge--info'}`}>{c.stateLabel[lang]}</span>
                    {c.waitingForYou ? <span class="kern-badge kern-badge--warning">{de ? 'Wartet auf Sie' : 'Waiting for you'}</span> : null}
                    {c.unreadMessages > 0 ? (
                      <span class="kern-badge kern-badge--info" data-testid="unread-messages">
                        {de ? `${c.unreadMessages} neue ${c.unreadMessages === 1 ? 'Nachricht' : 'Nachrichten'}` : `${c.unreadMessages} new ${c.unreadMessages === 1 ? 'message' : 'messages'}`}
                      </span>
                    ) : null}
                  </dd>
                </div>
                <div>
                  <dt>{de ? 'Gesendet am' : 'Sent on'}</dt>
                  <dd>{formatDate(c.submittedAt, lang, p.timeZone)}</dd>
                </div>
              </dl>
            </li>
          ))}
        </ul>
      )}

      <h2 class="kern-heading-medium">{de ? 'Angefangen, noch nicht gesendet' : 'Started, not sent yet'}</h2>
      {p.drafts.length === 0 ? (
        <p class="kern-body">{de ? 'Sie haben keine angefangenen Anträge.' : 'You have no forms in progress.'}</p>
      ) : (
        <ul class="kern-list" data-testid="my-drafts">
          {p.drafts.map((d) => (
            <li>
              <a class="kern-link" href={d.continueHref}>
                {de ? `${d.serviceTitle.de} fortsetzen` : `Continue ${d.serviceTitle.en}`}
              </a>{' '}
              <span class="kern-body--small">
                ({de ? 'zuletzt bearbeitet ' : 'last changed '}
                {formatDateTime(d.updatedAt, lang, p.timeZone)})
              </span>
            </li>
          ))}
        </ul>
      )}

      <h2 class="kern-heading-medium" id="claim-heading">
        {de ? 'Ein Anliegen hinzufügen' : 'Add a case'}
      </h2>
      <p class="kern-body">
        {de
          ? 'Haben Sie etwas ohne Konto gesendet? Mit Aktenzeichen und Zugangscode von der Bestätigung nehmen Sie es in Ihr Konto auf.'
          : 'Did you send something without an account? Add it to your account with the reference and access code from the confirmation.'}
      </p>
      <form method="post" action="/my-cases/claim" class="aw-form" novalidate aria-labelledby="claim-heading">
        <CsrfField token={p.csrfToken} />
        <TextInput
          id="reference"
          label={de ? 'Aktenzeichen' : 'Reference'}
          hint={de ? 'Zum Beispiel HAL-2026-000123-7' : 'For example HAL-2026-000123-7'}
          value={p.claim.reference}
          error={errorOf(p.claim.errors, 'reference', lang) ?? p.claim.notFound}
          required
          autocomplete="off"
        />
        <TextInput
          id="accessCode"
          label={de ? 'Zugangscode' : 'Access code'}
          hint={de ? '10 Zeichen, zum Beispiel ABCDE-FGHJK' : '10 characters, for example ABCDE-FGHJK'}
          value={p.claim.accessCode}
          error={errorOf(p.claim.errors, 'accessCode', lang)}
          required
          autocomplete="off"
        />
        <Button kind="secondary">{de ? 'Hinzufügen' : 'Add'}</Button>
      </form>
    </>
  );
}
