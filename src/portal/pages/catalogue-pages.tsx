import type { Lang, ServiceDefinition, Text } from '../../catalogue/service-definition.ts';
import { OTHER_TOPIC, TOPICS } from '../../catalogue/topics.ts';

const LEVELS = {
  none: { de: 'Ohne Konto möglich', en: 'No account needed' },
  basic: { de: 'Mit Nutzerkonto', en: 'With a user account' },
  substantial: { de: 'Mit ELSTER-Zertifikat oder gleichwertig (substanziell)', en: 'With an ELSTER certificate or equivalent (substantial)' },
  high: { de: 'Mit Online-Ausweis (hoch)', en: 'With the online ID card (high)' },
} as const;

function feeText(def: ServiceDefinition, lang: Lang): string {
  if (def.feeCents === 0) return lang === 'de' ? 'Kostenlos' : 'Free of charge';
  return new Intl.NumberFormat(lang === 'de' ? 'de-DE' : 'en-GB', { style: 'currency', currency: 'EUR' }).format(def.feeCents / 100);
}

function SearchForm(props: { lang: Lang; query: string }) {
  const de = props.lang === 'de';
  return (
    <form method="get" action="/services" role="search" class="aw-search">
      <div class="kern-form-input">
        <label class="kern-label" for="q">
          {de ? 'Was möchten Sie erledigen?' : 'What would you like to do?'}
        </label>
        <div class="kern-hint" id="q-hint">
          {de ? 'Zum Beispiel: Demonstration, umziehen, Ausweis' : 'For example: demonstration, moving, ID card'}
        </div>
        <input class="kern-form-input__input" type="search" id="q" name="q" value={props.query} aria-describedby="q-hint" />
      </div>
      <button class="kern-btn kern-btn--secondary" type="submit">
        <span class="kern-label">{de ? 'Suchen' : 'Search'}</span>
      </button>
    </form>
  );
}

function ServiceList(props: { services: ServiceDefinition[]; lang: Lang }) {
  return (
    <ul class="aw-service-list">
      {props.services.map((s) => (
        <li class="kern-card aw-service-card">
          <div class="kern-card__container">
            <div class="kern-card__header">
              <h3 class="kern-title">
                <a class="kern-link" href={`/services/${s.id}`}>
                  {s.title[props.lang]}
                </a>
              </h3>
            </div>
            <div class="kern-card__body">
              <p class="kern-body">{s.summary[props.lang]}</p>
              <p class="kern-body kern-body--small">
                {LEVELS[s.identityLevel][props.lang]} · {feeText(s, props.lang)}
              </p>
            </div>
          </div>
        </li>
      ))}
    </ul>
  );
}

/** The services by life situation, in the topics' order; those without a topic last. */
function groupByTopic(services: readonly ServiceDefinition[]): { title: Text; services: ServiceDefinition[] }[] {
  const groups = TOPICS.map((t) => ({ title: t.title as Text, services: services.filter((s) => s.topic === t.id) }));
  groups.push({ title: OTHER_TOPIC, services: services.filter((s) => !TOPICS.some((t) => t.id === s.topic)) });
  return groups.filter((g) => g.services.length > 0);
}

export function HomeView(props: { lang: Lang; services: ServiceDefinition[]; cityName: string }) {
  const de = props.lang === 'de';
  return (
    <>
      <h1 class="kern-heading-x-large">{de ? `Ihr digitales Bürgeramt – ${props.cityName}` : `Your digital citizen office – ${props.cityName}`}</h1>
      <p class="kern-body kern-body--large">
        {de ? 'Erledigen Sie Ihre Anliegen online, zu jeder Zeit, in wenigen Minuten.' : 'Settle your matters online, at any time, in a few minutes.'}
      </p>
      <SearchForm lang={props.lang} query="" />
      {groupByTopic(props.services).map((g) => (
        <>
          <h2 class="kern-heading-medium">{g.title[props.lang]}</h2>
          <ServiceList services={g.services} lang={props.lang} />
        </>
      ))}
      <h2 class="kern-heading-medium">{de ? 'Schon etwas beantragt?' : 'Already submitted something?'}</h2>
      <p class="kern-body">
        <a class="kern-link" href="/status">
          {de ? 'Stand mit Aktenzeichen und Zugangscode abfragen' : 'Check the status with your reference and access code'}
        </a>
      </p>
    </>
  );
}

export function SearchResultsView(props: { lang: Lang; query: string; services: ServiceDefinition[] }) {
  const de = props.lang === 'de';
  return (
    <>
      <h1 class="kern-heading-large">{de ? 'Leistungen' : 'Services'}</h1>
      <SearchForm lang={props.lang} query={props.query} />
      <h2 class="kern-heading-medium">{de ? 'Ergebnisse' : 'Results'}</h2>
      <p class="kern-body" role="status">
        {props.query
          ? de
            ? `${props.services.length} Treffer für „${props.query}“`
            : `${props.services.length} result(s) for “${props.query}”`
          : de
            ? `${props.services.length} Leistungen`
            : `${props.services.length} services`}
      </p>
      {props.services.length > 0 ? (
        <ServiceList services={props.services} lang={props.lang} />
      ) : (
        <p class="kern-body">{de ? 'Versuchen Sie ein anderes Wort, zum Beispiel „Versammlung“.' : 'Try another word, for example “assembly”.'}</p>
      )}
    </>
  );
}

export function ServiceStartView(props: { lang: Lang; def: ServiceDefinition; departmentName: string }) {
  const { def, lang } = props;
  const de = lang === 'de';
  return (
    <>
      <h1 class="kern-heading-large">{def.title[lang]}</h1>
      <p class="kern-body kern-body--large">{def.summary[lang]}</p>
      <dl class="kern-description-list">
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{de ? 'Anmeldung' : 'Sign-in'}</dt>
          <dd class="kern-description-list-item__value">{LEVELS[def.identityLevel][lang]}</dd>
        </div>
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{de ? 'Gebühr' : 'Fee'}</dt>
          <dd class="kern-description-list-item__value">{feeText(def, lang)}</dd>
        </div>
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{de ? 'Zuständig' : 'Handled by'}</dt>
          <dd class="kern-description-list-item__value">{props.departmentName}</dd>
        </div>
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{de ? 'Dauer' : 'Time needed'}</dt>
          <dd class="kern-description-list-item__value">
            {de ? `${def.pages.length} kurze Schritte, etwa 5 Minuten` : `${def.pages.length} short steps, about 5 minutes`}
          </dd>
        </div>
      </dl>
      <p class="kern-body">
        <a class="kern-btn kern-btn--primary" href={`/services/${def.id}/form/${def.pages[0]!.id}`} role="button" draggable={false}>
          <span class="kern-label">{de ? 'Jetzt starten' : 'Start now'}</span>
        </a>
      </p>
    </>
  );
}
