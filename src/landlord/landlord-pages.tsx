import type { FieldError, FormData, FormPage, Lang } from '../catalogue/service-definition.ts';
import { FieldControl } from '../portal/pages/form-pages.tsx';
import { Alert, Button, CsrfField, ErrorSummary } from '../platform/views/components.tsx';
import { CODE_VALIDITY_DAYS, INVITE_VALIDITY_DAYS } from './confirmation-form.ts';
import type { InviteState } from './landlord-confirmations.ts';

/** The public pages of the online Wohnungsgeberbestätigung. Plain forms: no JavaScript needed. */

const PRELINE = { de: 'Wohnungsgeberbestätigung', en: 'Landlord confirmation' };

export function LandlordStartView(p: { lang: Lang }) {
  const de = p.lang === 'de';
  return (
    <>
      <span class="kern-preline">{PRELINE[p.lang]}</span>
      <h1 class="kern-heading-large">{de ? 'Wohnungsgeberbestätigung online' : 'Landlord confirmation online'}</h1>
      <p class="kern-body">
        {de
          ? 'Wer umzieht, braucht für die Anmeldung eine Bestätigung des Wohnungsgebers (§ 19 Bundesmeldegesetz). Der Wohnungsgeber kann sie hier elektronisch abgeben. Er erhält einen Code und gibt ihn der Person, die sich anmeldet; diese nennt den Code in ihrer Online-Anmeldung. Ein Mietvertrag ersetzt die Bestätigung nicht.'
          : 'Anyone who moves needs a confirmation from their landlord to register (§ 19 of the Federal Registration Act). The landlord can give it here electronically. They get a code and give it to the person registering, who enters it in the online registration. A rental contract does not replace the confirmation.'}
      </p>
      <h2 class="kern-heading-medium">{de ? 'Ich bin Wohnungsgeber' : 'I am the landlord'}</h2>
      <p class="kern-body">
        {de
          ? 'Zum Beispiel Vermieterin, Vermieter, Hausverwaltung, oder Eigentümer, die selbst einziehen.'
          : 'For example the landlord, the property manager, or owners moving in themselves.'}
      </p>
      <p class="kern-body">
        <a class="kern-link" href="/wohnungsgeber/bestaetigen" data-testid="start-landlord">
          {de ? 'Jetzt Ein- oder Auszug bestätigen' : 'Confirm a move-in or move-out now'}
        </a>
      </p>
      <h2 class="kern-heading-medium">{de ? 'Ich ziehe ein' : 'I am moving in'}</h2>
      <p class="kern-body">
        <a class="kern-link" href="/wohnungsgeber/anfrage" data-testid="start-tenant">
          {de ? 'Meinen Wohnungsgeber per E-Mail um die Bestätigung bitten' : 'Ask my landlord for the confirmation by email'}
        </a>
      </p>
    </>
  );
}

export function LandlordFormView(p: { page: FormPage; data: FormData; errors: readonly FieldError[]; lang: Lang; csrfToken: string; action: string; submitLabel: string; requested?: boolean }) {
  const de = p.lang === 'de';
  const errorFor = (id: string) => p.errors.find((e) => e.field === id)?.message[p.lang];
  return (
    <>
      <p class="kern-body">
        <a class="kern-link" href="/wohnungsgeber">
          {de ? 'Zurück' : 'Back'}
        </a>
      </p>
      <ErrorSummary title={de ? 'Bitte korrigieren Sie Folgendes' : 'There is a problem'} errors={p.errors.map((e) => ({ href: `#${e.field}`, text: e.message[p.lang] }))} />
      <span class="kern-preline">{PRELINE[p.lang]}</span>
      <h1 class="kern-heading-large">{p.page.title[p.lang]}</h1>
      {p.page.intro ? <p class="kern-body">{p.page.intro[p.lang]}</p> : null}
      {p.requested ? (
        <Alert kind="info" title={de ? 'Angefragt von der einziehenden Person' : 'Requested by the person moving in'}>
          <p class="kern-body">
            {de
              ? 'Die Wohnung, das Datum und die Namen hat die einziehende Person angegeben. Bitte prüfen und, wo nötig, berichtigen Sie sie.'
              : 'The person moving in entered the flat, the date and the names. Please check them and correct them where needed.'}
          </p>
        </Alert>
      ) : null}
      <form method="post" action={p.action} novalidate class="aw-form">
        <CsrfField token={p.csrfToken} />
        {p.page.fields.map((field) => (
          <FieldControl field={field} value={p.data[field.id]} error={errorFor(field.id)} lang={p.lang} />
        ))}
        <p class="kern-body kern-body--small">{de ? 'Alle Angaben ohne „freiwillig“ oder „nur wenn“ sind Pflichtangaben.' : 'All fields not marked “optional” or “only if” are required.'}</p>
        <Button>{p.submitLabel}</Button>
      </form>
    </>
  );
}

export function RequestSentView(p: { lang: Lang }) {
  const de = p.lang === 'de';
  return (
    <>
      <div class="aw-panel" role="status">
        <h1 class="kern-heading-large">{de ? 'Ihr Wohnungsgeber ist benachrichtigt' : 'Your landlord has been notified'}</h1>
      </div>
      <p class="kern-body">
        {de
          ? `Wir haben Ihrem Wohnungsgeber eine E-Mail mit einem Link geschickt, der ${INVITE_VALIDITY_DAYS} Tage gilt. Nach der Bestätigung erhält er einen Code. Bitten Sie ihn, Ihnen den Code zu geben, und nennen Sie ihn in Ihrer Online-Anmeldung.`
          : `We have sent your landlord an email with a link that works for ${INVITE_VALIDITY_DAYS} days. After confirming they get a code. Ask them to give you the code and enter it in your online registration.`}
      </p>
      <p class="kern-body">
        <a class="kern-link" href="/services/wohnsitzanmeldung">
          {de ? 'Zur Online-Anmeldung' : 'To the online registration'}
        </a>
      </p>
    </>
  );
}

export function CodeView(p: { lang: Lang; code: string | undefined }) {
  const de = p.lang === 'de';
  if (!p.code)
    return (
      <>
        <h1 class="kern-heading-large">{de ? 'Code schon angezeigt' : 'Code already shown'}</h1>
        <p class="kern-body">
          {de
            ? 'Den Code zeigen wir aus Sicherheitsgründen nur einmal. Wenn Sie ihn nicht notiert haben, geben Sie die Bestätigung bitte erneut ab.'
            : 'For your security we show the code only once. If you did not write it down, please give the confirmation again.'}
        </p>
        <p class="kern-body">
          <a class="kern-link" href="/wohnungsgeber/bestaetigen">
            {de ? 'Bestätigung erneut abgeben' : 'Give the confirmation again'}
          </a>
        </p>
      </>
    );
  return (
    <>
      <div class="aw-panel" role="status">
        <h1 class="kern-heading-large">{de ? 'Bestätigung abgegeben' : 'Confirmation given'}</h1>
        <p class="kern-body">{de ? 'Der Code für die meldepflichtige Person' : 'The code for the person registering'}</p>
        <p class="aw-reference" data-testid="landlord-code">
          {p.code}
        </p>
      </div>
      <Alert kind="info" title={de ? 'Geben Sie den Code weiter' : 'Pass the code on'}>
        <p class="kern-body">
          {de
            ? `Geben Sie diesen Code der Person, die einzieht. Sie nennt ihn in ihrer Anmeldung. Der Code gilt ${CODE_VALIDITY_DAYS} Tage und nur für eine Anmeldung. Wir zeigen ihn nur jetzt an.`
            : `Give this code to the person moving in. They enter it in their registration. The code works for ${CODE_VALIDITY_DAYS} days and for one registration. We show it only now.`}
        </p>
      </Alert>
    </>
  );
}

const INVITE_PROBLEMS: Record<Exclude<InviteState, 'open'>, { title: { de: string; en: string }; text: { de: string; en: string } }> = {
  unknown: {
    title: { de: 'Dieser Link ist ungültig', en: 'This link is not valid' },
    text: {
      de: 'Der Link ist unvollständig oder falsch. Bitte öffnen Sie ihn genau so, wie er in der E-Mail steht. Sie können die Bestätigung auch ohne Link abgeben.',
      en: 'The link is incomplete or wrong. Open it exactly as it appears in the email. You can also give the confirmation without the link.',
    },
  },
  expired: {
    title: { de: 'Dieser Link ist abgelaufen', en: 'This link has expired' },
    text: {
      de: `Ein Link gilt ${INVITE_VALIDITY_DAYS} Tage. Sie können die Bestätigung trotzdem abgeben: ohne Link, mit allen Angaben.`,
      en: `A link works for ${INVITE_VALIDITY_DAYS} days. You can still give the confirmation: without the link, with all the details.`,
    },
  },
  confirmed: {
    title: { de: 'Diese Anfrage ist schon bestätigt', en: 'This request has already been confirmed' },
    text: {
      de: 'Zu diesem Link wurde die Bestätigung schon abgegeben. Jeder Link gilt nur einmal. Wenn der Code verloren ging, geben Sie die Bestätigung bitte ohne Link erneut ab.',
      en: 'The confirmation for this link has already been given. Each link works once. If the code was lost, please give the confirmation again without the link.',
    },
  },
};

export function InviteProblemView(p: { lang: Lang; state: Exclude<InviteState, 'open'> }) {
  const problem = INVITE_PROBLEMS[p.state];
  return (
    <>
      <h1 class="kern-heading-large" data-testid="invite-problem">
        {problem.title[p.lang]}
      </h1>
      <p class="kern-body">{problem.text[p.lang]}</p>
      <p class="kern-body">
        <a class="kern-link" href="/wohnungsgeber/bestaetigen">
          {p.lang === 'de' ? 'Bestätigung ohne Link abgeben' : 'Give the confirmation without the link'}
        </a>
      </p>
    </>
  );
}
