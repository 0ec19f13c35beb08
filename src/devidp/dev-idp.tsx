import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { memoryAdapter } from './memory-adapter.ts';
import { Button, CancelForm, CSS, ErrorSummary, page, PrimaryAction, RadioGroup, T, type Bi } from './pages.tsx';
import { STAFF_ACCOUNTS, STAFF_TEST_OTP, TEST_PERSONS, type TestPerson } from './test-persons.ts';

/**
 * The bundled development identity provider, two OpenID Connect issuers on one port:
 *  - `/citizen` behaves like BundID's test environment: pick a test person and a method
 *    (ELSTER-like certificate → eIDAS substantial, online ID card → eIDAS high), then consent to
 *    exactly the data the service asked for.
 *  - `/staff` behaves like a city's Keycloak: test staff accounts with directory `groups`, a
 *    password-like choice plus a fixed one-time code (`amr` pwd + otp).
 * Authorization code flow with PKCE required (S256), `nonce` supported. In-memory storage and
 * fresh signing and cookie keys per start: everything is forgotten when it stops. Never in
 * production (config.ts refuses DEV_IDP there).
 */

export const ACR = { substantial: 'http://eidas.europa.eu/LoA/substantial', high: 'http://eidas.europa.eu/LoA/high' } as const;

interface DevIdpClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUris: readonly string[];
}

export interface DevIdpOptions {
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly host?: string;
  /** Host name in the issuer URLs (what browsers and the portal use); defaults to `host`. */
  readonly publicHost?: string;
  readonly citizenClients: readonly DevIdpClient[];
  readonly staffClients?: readonly DevIdpClient[];
}

export interface DevIdp {
  readonly citizenIssuer: string;
  readonly staffIssuer: string;
  readonly url: string;
  close(): Promise<void>;
}

/** Which claims each scope releases; the consent page lists exactly these. */
const CITIZEN_SCOPES: Record<string, readonly string[]> = {
  openid: ['sub'],
  profile: ['given_name', 'family_name', 'birthdate'],
  address: ['address'],
  birth: ['place_of_birth'],
  nationality: ['nationality'],
};

const STAFF_SCOPES: Record<string, readonly string[]> = {
  openid: ['sub'],
  profile: ['name', 'given_name', 'family_name', 'preferred_username'],
  email: ['email'],
  groups: ['groups'],
};

/**
 * Claims about the sign-in itself (not the person). oidc-provider puts `acr` and `amr` into the
 * ID token only when a scope names them (or the client asked with acr_values): `openid` does.
 */
const TOKEN_CLAIMS = { acr: null, amr: null, auth_time: null, sid: null, iss: null };
const withSignInClaims = (scopes: Record<string, readonly string[]>) =>
  Object.fromEntries(Object.entries(scopes).map(([scope, claims]) => [scope, scope === 'openid' ? [...claims, 'acr', 'amr', 'auth_time'] : [...claims]]));

const CLAIM_LABELS: Record<string, Bi> = {
  sub: { de: 'Pseudonyme Kennung', en: 'Pseudonymous identifier' },
  given_name: { de: 'Vorname', en: 'Given name' },
  family_name: { de: 'Familienname', en: 'Family name' },
  birthdate: { de: 'Geburtsdatum', en: 'Date of birth' },
  address: { de: 'Anschrift', en: 'Address' },
  place_of_birth: { de: 'Geburtsort', en: 'Place of birth' },
  nationality: { de: 'Staatsangehörigkeit', en: 'Nationality' },
};

const METHODS = [
  { value: 'elster', acr: ACR.substantial, amr: ['swk', 'pwd'], label: { de: 'ELSTER-Zertifikat (ELSTER-ähnlich)', en: 'ELSTER certificate (ELSTER-like)' }, hint: { de: 'Vertrauensniveau substanziell', en: 'level of assurance substantial' } },
  { value: 'eid', acr: ACR.high, amr: ['hwk', 'pin'], label: { de: 'Online-Ausweis (eID)', en: 'Online ID card (eID)' }, hint: { de: 'Vertrauensniveau hoch', en: 'level of assurance high' } },
] as const;

function personClaims(p: TestPerson): Record<string, unknown> {
  return { sub: p.sub, given_name: p.given_name, family_name: p.family_name, birthdate: p.birthdate, place_of_birth: p.place_of_birth, address: { ...p.address }, nationality: p.nationality };
}

function claimText(p: TestPerson, claim: string): string {
  switch (claim) {
    case 'address':
      return `${p.address.street_address}, ${p.address.postal_code} ${p.address.locality}, ${p.address.country}`;
    case 'birthdate':
      return p.birthdate.split('-').reverse().join('.');
    default:
      return String(personClaims(p)[claim] ?? '');
  }
}

/* ---------- tiny HTTP helpers (the IdP has its own server, no Fastify) ---------- */

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16 * 1024) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function clientConfig(c: DevIdpClient) {
  return {
    client_id: c.clientId,
    client_secret: c.clientSecret,
    redirect_uris: [...c.redirectUris],
    grant_types: ['authorization_code'],
    response_types: ['code' as const],
    token_endpoint_auth_method: 'client_secret_basic' as const,
  };
}

function baseConfiguration(clients: readonly DevIdpClient[], names: string, interactionPath: string, renderError: Configuration['renderError']): Configuration {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    clients: clients.map(clientConfig),
    adapter: memoryAdapter(),
    jwks: { keys: [{ ...(privateKey.export({ format: 'jwk' }) as object), kid: randomBytes(8).toString('hex'), use: 'sig', alg: 'RS256' } as never] },
    cookies: {
      keys: [randomBytes(32).toString('base64url')],
      // Both issuers share one host: separate cookie names keep their sessions apart.
      names: { session: `_${names}_session`, interaction: `_${names}_interaction`, resume: `_${names}_resume` },
    },
    pkce: { required: () => true },
    // The claims of the granted scopes go into the ID token as well as to userinfo, as BundID does.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: false }, userinfo: { enabled: true } },
    interactions: { url: (_ctx, interaction) => `${interactionPath}/${interaction.uid}` },
    renderError,
    ttl: { AccessToken: 300, AuthorizationCode: 60, IdToken: 300, Interaction: 1800, Session: 1800, Grant: 1800 },
  };
}

const renderError: Configuration['renderError'] = async (ctx, out) => {
  ctx.type = 'html';
  ctx.body = page(
    { de: 'Das hat nicht geklappt', en: 'That did not work' },
    <>
      <p>
        <T t={{ de: 'Der Identitätsanbieter hat die Anfrage abgelehnt.', en: 'The identity provider refused the request.' }} />
      </p>
      <p>
        <code>{String(out.error ?? 'error')}</code>
        {out.error_description ? `: ${String(out.error_description)}` : ''}
      </p>
    </>,
  );
};

export async function startDevIdp(options: DevIdpOptions): Promise<DevIdp> {
  const host = options.host ?? '127.0.0.1';
  let citizen: Provider | undefined;
  let staff: Provider | undefined;
  const allClients = [...options.citizenClients, ...(options.staffClients ?? [])];
  const formTargets = [...new Set(allClients.flatMap((c) => c.redirectUris.map((u) => new URL(u).origin)))];
  const headers = {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    // The consent form's answer redirects on to the service: its origin must be a form target.
    'content-security-policy': `default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self' ${formTargets.join(' ')}; frame-ancestors 'none'; base-uri 'none'`,
  };
  const send = (res: ServerResponse, status: number, html: string) => {
    res.writeHead(status, headers);
    res.end(html);
  };

  /* ---------- citizen interactions ---------- */

  const personsBySub = new Map(TEST_PERSONS.map((p) => [p.sub, p]));

  async function citizenInteraction(req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined) {
    const provider = citizen!;
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) return send(res, 400, page({ de: 'Sitzung passt nicht', en: 'Session mismatch' }, <p>Bitte beginnen Sie erneut. / Please start again.</p>));
    const requested = String(details.params.acr_values ?? '').split(' ').filter(Boolean);
    // Asked for "high" only: an ELSTER-like certificate would not be enough, so only eID is offered.
    const methods = requested.length > 0 && !requested.includes(ACR.substantial) ? METHODS.filter((m) => m.acr === ACR.high) : METHODS;
    const clientId = String(details.params.client_id);

    if (action === 'abort') {
      return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The user cancelled the identification' }, { mergeWithLastSubmission: false });
    }

    if (details.prompt.name === 'login') {
      const renderLogin = (status: number, chosen: { person?: string; method?: string }, errors: Array<{ field: string; text: Bi }>) =>
        send(
          res,
          status,
          page(
            { de: 'Identität nachweisen (Testumgebung)', en: 'Prove your identity (test environment)' },
            <>
              <ErrorSummary errors={errors.map((e) => ({ href: `#${e.field}`, text: e.text }))} />
              <p>
                <T t={{ de: `Der Dienst „${clientId}“ möchte Ihre Identität prüfen. Wählen Sie eine Testperson und ein Verfahren.`, en: `The service “${clientId}” wants to verify your identity. Choose a test person and a method.` }} />
              </p>
              <form method="post" action={`/citizen/interaction/${uid}/login`}>
                <RadioGroup
                  name="person"
                  legend={{ de: 'Testperson', en: 'Test person' }}
                  options={TEST_PERSONS.map((p) => ({ value: p.sub, label: `${p.given_name} ${p.family_name}`, hint: p.note }))}
                  selected={chosen.person}
                  error={errors.find((e) => e.field === 'person')?.text}
                />
                <RadioGroup
                  name="method"
                  legend={{ de: 'Verfahren', en: 'Method' }}
                  options={methods.map((m) => ({ value: m.value, label: m.label, hint: m.hint }))}
                  selected={chosen.method ?? (methods.length === 1 ? methods[0]!.value : undefined)}
                  error={errors.find((e) => e.field === 'method')?.text}
                />
                <PrimaryAction label={{ de: 'Weiter', en: 'Continue' }} />
              </form>
              <CancelForm action={`/citizen/interaction/${uid}/abort`} />
            </>,
          ),
        );
      if (action !== 'login' || req.method !== 'POST') return renderLogin(200, {}, []);
      const form = await readForm(req);
      const person = personsBySub.get(form.get('person') ?? '');
      const method = methods.find((m) => m.value === form.get('method'));
      const errors: Array<{ field: string; text: Bi }> = [];
      if (!person) errors.push({ field: 'person', text: { de: 'Bitte wählen Sie eine Testperson.', en: 'Choose a test person.' } });
      if (!method) errors.push({ field: 'method', text: { de: 'Bitte wählen Sie ein Verfahren.', en: 'Choose a method.' } });
      if (errors.length > 0) return renderLogin(422, { person: form.get('person') ?? undefined, method: form.get('method') ?? undefined }, errors);
      return provider.interactionFinished(req, res, { login: { accountId: person!.sub, acr: method!.acr, amr: [...method!.amr], remember: false } }, { mergeWithLastSubmission: false });
    }

    if (details.prompt.name === 'consent') {
      const person = personsBySub.get(String(details.session?.accountId));
      if (!person) return send(res, 400, page({ de: 'Unbekannte Person', en: 'Unknown person' }, <p>Bitte beginnen Sie erneut. / Please start again.</p>));
      const scopes = ((details.prompt.details.missingOIDCScope as string[] | undefined) ?? []).filter((s) => s in CITIZEN_SCOPES);
      const claims = [...new Set(scopes.flatMap((s) => CITIZEN_SCOPES[s]!))];
      if (action === 'consent' && req.method === 'POST') {
        const grant = details.grantId ? ((await provider.Grant.find(details.grantId)) ?? new provider.Grant({ accountId: person.sub, clientId })) : new provider.Grant({ accountId: person.sub, clientId });
        if (scopes.length > 0) grant.addOIDCScope(scopes.join(' '));
        const missingClaims = (details.prompt.details.missingOIDCClaims as string[] | undefined) ?? [];
        if (missingClaims.length > 0) grant.addOIDCClaims(missingClaims);
        const grantId = await grant.save();
        return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      }
      return send(
        res,
        200,
        page(
          { de: 'Daten übermitteln?', en: 'Pass on your data?' },
          <>
            <p>
              <T t={{ de: `Der Dienst „${clientId}“ erhält folgende Daten von ${person.given_name} ${person.family_name}:`, en: `The service “${clientId}” will receive the following data of ${person.given_name} ${person.family_name}:` }} />
            </p>
            <dl data-testid="consent-claims">
              {claims.map((c) => (
                <>
                  <dt>
                    <T t={CLAIM_LABELS[c] ?? { de: c, en: c }} />
                  </dt>
                  <dd>{claimText(person, c)}</dd>
                </>
              ))}
            </dl>
            <p>
              <T t={{ de: 'Sonst wird nichts übermittelt.', en: 'Nothing else is passed on.' }} />
            </p>
            <div class="actions">
              <form method="post" action={`/citizen/interaction/${uid}/consent`}>
                <Button kind="primary">
                  <T t={{ de: 'Erlauben', en: 'Allow' }} />
                </Button>
              </form>
              <form method="post" action={`/citizen/interaction/${uid}/abort`}>
                <Button kind="secondary">
                  <T t={{ de: 'Abbrechen', en: 'Cancel' }} />
                </Button>
              </form>
            </div>
          </>,
        ),
      );
    }
    return send(res, 400, page({ de: 'Unerwarteter Schritt', en: 'Unexpected step' }, <p>{details.prompt.name}</p>));
  }

  /* ---------- staff directory interactions ---------- */

  const staffBySub = new Map(STAFF_ACCOUNTS.map((a) => [a.sub, a]));

  async function staffInteraction(req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined) {
    const provider = staff!;
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) return send(res, 400, page({ de: 'Sitzung passt nicht', en: 'Session mismatch' }, <p>Bitte beginnen Sie erneut. / Please start again.</p>));
    const clientId = String(details.params.client_id);
    if (action === 'abort') {
      return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The user cancelled the sign-in' }, { mergeWithLastSubmission: false });
    }
    const renderLogin = (status: number, chosen: { account?: string }, errors: Array<{ field: string; text: Bi }>) =>
      send(
        res,
        status,
        page(
          { de: 'Anmeldung Stadtverwaltung (Testverzeichnis)', en: 'City administration sign-in (test directory)' },
          <>
            <ErrorSummary errors={errors.map((e) => ({ href: `#${e.field}`, text: e.text }))} />
            <form method="post" action={`/staff/interaction/${uid}/login`}>
              <RadioGroup
                name="account"
                legend={{ de: 'Testkonto', en: 'Test account' }}
                options={STAFF_ACCOUNTS.map((a) => ({ value: a.sub, label: `${a.given_name} ${a.family_name} (${a.preferred_username})`, hint: {
                    de: `${a.groups.join(', ') || 'keine Gruppen'}${a.secondFactor === false ? ' · ohne zweiten Faktor' : ''}`,
                    en: `${a.groups.join(', ') || 'no groups'}${a.secondFactor === false ? ' · without a second factor' : ''}`,
                  },
                }))}
                selected={chosen.account}
                error={errors.find((e) => e.field === 'account')?.text}
              />
              <p>
                <label for="otp">
                  <T t={{ de: 'Einmalcode (zweiter Faktor)', en: 'One-time code (second factor)' }} />
                </label>
              </p>
              <p class="hint" id="otp-hint">
                <T t={{ de: 'In dieser Testumgebung lautet der Code immer', en: 'In this test environment the code is always' }} /> <span class="code">{STAFF_TEST_OTP}</span>
              </p>
              {errors.find((e) => e.field === 'otp') ? (
                <p class="error" id="otp-error">
                  <T t={errors.find((e) => e.field === 'otp')!.text} />
                </p>
              ) : null}
              <input type="text" id="otp" name="otp" inputMode="numeric" autoComplete="one-time-code" aria-describedby={errors.some((e) => e.field === 'otp') ? 'otp-hint otp-error' : 'otp-hint'} />
              <PrimaryAction label={{ de: 'Anmelden', en: 'Sign in' }} />
            </form>
            <CancelForm action={`/staff/interaction/${uid}/abort`} />
          </>,
        ),
      );
    if (action !== 'login' || req.method !== 'POST') return renderLogin(200, {}, []);
    const form = await readForm(req);
    const account = staffBySub.get(form.get('account') ?? '');
    const errors: Array<{ field: string; text: Bi }> = [];
    if (!account) errors.push({ field: 'account', text: { de: 'Bitte wählen Sie ein Testkonto.', en: 'Choose a test account.' } });
    if (account?.secondFactor !== false && (form.get('otp') ?? '').replace(/\s/g, '') !== STAFF_TEST_OTP) errors.push({ field: 'otp', text: { de: 'Der Einmalcode ist falsch.', en: 'The one-time code is wrong.' } });
    if (errors.length > 0) return renderLogin(422, { account: form.get('account') ?? undefined }, errors);
    // Like a city's Keycloak for its own applications: no consent screen for staff.
    const grant = new provider.Grant({ accountId: account!.sub, clientId });
    grant.addOIDCScope(String(details.params.scope ?? 'openid').split(' ').filter((s) => s in STAFF_SCOPES).join(' '));
    const grantId = await grant.save();
    const amr = account!.secondFactor === false ? ['pwd'] : ['pwd', 'otp'];
    return provider.interactionFinished(req, res, { login: { accountId: account!.sub, amr, remember: false }, consent: { grantId } }, { mergeWithLastSubmission: false });
  }

  /* ---------- one server, two issuers ---------- */

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return res.destroy();
      const sessionGone = err instanceof Error && err.name === 'SessionNotFound';
      send(
        res,
        sessionGone ? 400 : 500,
        page(
          sessionGone ? { de: 'Sitzung abgelaufen', en: 'Session expired' } : { de: 'Fehler', en: 'Error' },
          <p>
            <T t={{ de: 'Bitte gehen Sie zurück zum Dienst und beginnen Sie erneut.', en: 'Please go back to the service and start again.' }} />
          </p>,
        ),
      );
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://idp.invalid');
    const path = url.pathname;
    if (path === '/assets/devidp.css') {
      res.writeHead(200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=300', 'x-content-type-options': 'nosniff' });
      return void res.end(CSS);
    }
    if (path === '/favicon.ico') return void res.writeHead(204).end();
    const interaction = /^\/(citizen|staff)\/interaction\/([A-Za-z0-9_-]{1,64})(?:\/(login|consent|abort))?$/.exec(path);
    if (interaction) {
      if (req.method === 'POST' && !interaction[3]) return send(res, 405, page({ de: 'Nicht erlaubt', en: 'Not allowed' }, <p />));
      if (interaction[1] === 'citizen') return citizenInteraction(req, res, interaction[2]!, req.method === 'POST' ? interaction[3] : undefined);
      return staffInteraction(req, res, interaction[2]!, req.method === 'POST' ? interaction[3] : undefined);
    }
    for (const [prefix, provider] of [
      ['/citizen', citizen],
      ['/staff', staff],
    ] as const) {
      if (provider && (path === prefix || path.startsWith(`${prefix}/`))) {
        // Mounted below a path: oidc-provider reads the mount path from `originalUrl`.
        (req as IncomingMessage & { originalUrl?: string }).originalUrl = req.url;
        req.url = (req.url ?? '/').slice(prefix.length) || '/';
        return provider.callback()(req, res);
      }
    }
    if (path === '/') {
      return send(
        res,
        200,
        page(
          { de: 'Test-Identitätsanbieter', en: 'Test identity provider' },
          <ul>
            <li>
              <a href="/citizen/.well-known/openid-configuration">
                <T t={{ de: 'Bürgerinnen und Bürger (BundID-ähnlich)', en: 'Citizens (BundID-like)' }} />
              </a>
            </li>
            <li>
              <a href="/staff/.well-known/openid-configuration">
                <T t={{ de: 'Mitarbeitende (Verzeichnis der Stadt)', en: 'Staff (city directory)' }} />
              </a>
            </li>
          </ul>,
        ),
      );
    }
    return send(res, 404, page({ de: 'Nicht gefunden', en: 'Not found' }, <p />));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const publicHost = options.publicHost ?? host;
  const base = `http://${publicHost.includes(':') && !publicHost.startsWith('[') ? `[${publicHost}]` : publicHost}:${port}`;

  const citizenConfig = baseConfiguration(options.citizenClients, 'citizen', '/citizen/interaction', renderError);
  citizen = new Provider(`${base}/citizen`, {
    ...citizenConfig,
    acrValues: [ACR.substantial, ACR.high],
    scopes: Object.keys(CITIZEN_SCOPES),
    claims: { ...TOKEN_CLAIMS, ...withSignInClaims(CITIZEN_SCOPES) },
    findAccount: async (_ctx: KoaContextWithOIDC, sub: string) => {
      const person = personsBySub.get(sub);
      return person ? { accountId: sub, claims: async () => ({ ...personClaims(person), sub }) } : undefined;
    },
  });
  const staffConfig = baseConfiguration(options.staffClients ?? [], 'staff', '/staff/interaction', renderError);
  staff = new Provider(`${base}/staff`, {
    ...staffConfig,
    scopes: Object.keys(STAFF_SCOPES),
    claims: { ...TOKEN_CLAIMS, ...withSignInClaims(STAFF_SCOPES) },
    findAccount: async (_ctx: KoaContextWithOIDC, sub: string) => {
      const a = staffBySub.get(sub);
      return a
        ? { accountId: sub, claims: async () => ({ sub, name: `${a.given_name} ${a.family_name}`, given_name: a.given_name, family_name: a.family_name, preferred_username: a.preferred_username, email: a.email, groups: [...a.groups] }) }
        : undefined;
    },
  });

  return {
    citizenIssuer: `${base}/citizen`,
    staffIssuer: `${base}/staff`,
    url: base,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
