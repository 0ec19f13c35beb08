import type { IdentityLevel, Lang } from '../../catalogue/service-definition.ts';
import type { IdentityProviderConfig } from '../../config.ts';
import { LEVEL_NAMES } from '../../identity/oidc/levels.ts';
import { Alert, Button, CsrfField } from '../../platform/views/components.tsx';

/** "Prove your identity": the providers offered, each a small form (works without JavaScript). */
function ProviderChoice(props: { providers: readonly IdentityProviderConfig[]; level: 'substantial' | 'high'; returnTo: string; csrfToken: string; lang: Lang }) {
  const de = props.lang === 'de';
  if (props.providers.length === 0) {
    return (
      <Alert kind="warning" title={de ? 'Zurzeit nicht möglich' : 'Not possible right now'}>
        <p class="kern-body">
          {de
            ? 'Der Online-Nachweis der Identität ist hier gerade nicht eingerichtet. Bitte wenden Sie sich an das Bürgeramt.'
            : 'Online proof of identity is not set up here at the moment. Please contact the citizen office.'}
        </p>
      </Alert>
    );
  }
  return (
    <div class="aw-provider-list">
      {props.providers.map((p) => (
        <form method="post" action="/identity/start" class="aw-form">
          <CsrfField token={props.csrfToken} />
          <input type="hidden" name="provider" value={p.id} />
          <input type="hidden" name="level" value={props.level} />
          <input type="hidden" name="return" value={props.returnTo} />
          <Button kind="primary">{de ? `Weiter mit ${p.name.de}` : `Continue with ${p.name.en}`}</Button>
        </form>
      ))}
    </div>
  );
}

export function IdentityProofView(props: {
  providers: readonly IdentityProviderConfig[];
  level: 'substantial' | 'high';
  current: IdentityLevel;
  returnTo: string;
  csrfToken: string;
  lang: Lang;
  serviceTitle?: string | undefined;
  /** The service needs only an account (level basic): signing in is enough, a proof also does. */
  accountEnough?: boolean;
}) {
  const de = props.lang === 'de';
  const need = LEVEL_NAMES[props.level][props.lang];
  return (
    <>
      <h1 class="kern-heading-large">{de ? 'Identität nachweisen' : 'Prove your identity'}</h1>
      {props.serviceTitle ? (
        <p class="kern-body" data-testid="step-up-reason">
          {de
            ? `Für „${props.serviceTitle}“ brauchen wir einen Nachweis Ihrer Identität mit dem Vertrauensniveau ${need}. Ihr jetziger Stand: ${LEVEL_NAMES[props.current].de}.`
            : `For “${props.serviceTitle}” we need proof of your identity at the level of assurance ${need}. Your current level: ${LEVEL_NAMES[props.current].en}.`}
        </p>
      ) : (
        <p class="kern-body">
          {de ? `Weisen Sie Ihre Identität mit dem Vertrauensniveau ${need} nach.` : `Prove your identity at the level of assurance ${need}.`}
        </p>
      )}
      <p class="kern-body">
        {de
          ? 'Sie werden zu einem Identitätsanbieter weitergeleitet. Dort sehen Sie, welche Daten übermittelt werden, und stimmen zu. Danach kommen Sie hierher zurück; bisherige Angaben bleiben erhalten.'
          : 'You will be taken to an identity provider. There you see which data will be passed on and agree to it. Then you come back here; what you entered so far is kept.'}
      </p>
      {props.level === 'high' ? (
        <p class="kern-body">{de ? 'Dafür brauchen Sie Ihren Online-Ausweis (Personalausweis, eID-Karte oder elektronischer Aufenthaltstitel) und die AusweisApp.' : 'For this you need your online ID card (identity card, eID card or electronic residence permit) and the AusweisApp.'}</p>
      ) : null}
      {props.accountEnough ? (
        <p class="kern-body">
          {de ? 'Für diese Leistung genügt auch ein Nutzerkonto: ' : 'For this service a user account is enough as well: '}
          <a class="kern-link" href="/account/sign-in">
            {de ? 'Mit Nutzerkonto anmelden' : 'Sign in with a user account'}
          </a>
        </p>
      ) : null}
      <h2 class="kern-heading-medium">{de ? 'Anbieter wählen' : 'Choose a provider'}</h2>
      <ProviderChoice {...props} />
    </>
  );
}

export function VerificationFailedView(props: { message: { de: string; en: string }; retryHref: string; lang: Lang }) {
  const de = props.lang === 'de';
  return (
    <>
      <h1 class="kern-heading-large">{de ? 'Identitätsnachweis nicht abgeschlossen' : 'Proof of identity not completed'}</h1>
      <Alert kind="danger" title={de ? 'Nicht übernommen' : 'Not accepted'} role="alert">
        <p class="kern-body" data-testid="verification-error">
          {props.message[props.lang]}
        </p>
      </Alert>
      <p class="kern-body">
        <a class="kern-link" href={props.retryHref}>
          {de ? 'Erneut versuchen' : 'Try again'}
        </a>
      </p>
    </>
  );
}
