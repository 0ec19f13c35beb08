import { randomBytes } from 'node:crypto';
import path from 'node:path';

/**
 * Typed, validated, frozen configuration. Read once at start-up from the environment;
 * every wrong or missing setting is reported by name, all at once, and the start stops.
 * There is no secret default outside the development profile (STYLE.md §4).
 */
type Profile = 'development' | 'production' | 'test';
type ProcessRole = 'web' | 'worker' | 'all';

export interface Config {
  readonly profile: Profile;
  readonly host: string;
  readonly port: number;
  readonly publicUrl: string;
  readonly dataDir: string;
  /** PostgreSQL connection string; undefined means embedded PGlite in `<dataDir>/pglite`. */
  readonly databaseUrl: string | undefined;
  readonly sessionSecret: string;
  readonly cookieSecure: boolean;
  readonly city: string;
  readonly demoData: boolean;
  readonly role: ProcessRole;
  readonly logLevel: string;
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  readonly trustProxy: boolean;
  /** Status lookups allowed per client and minute. */
  readonly statusLookupsPerMinute: number;
  /** Sign-in attempts allowed per client and 15 minutes. */
  readonly signInAttemptsPer15Min: number;
  /** Bearer token for /metrics; required in production (deny by default). */
  readonly metricsToken: string | undefined;
  /** Connections per process to PostgreSQL (DATABASE_URL); PGlite has one. */
  readonly databasePoolSize: number;
  /** Runs the bundled development identity provider (test persons, staff directory); refused in production. */
  readonly devIdp: boolean;
  /** Port of the bundled development identity provider. */
  readonly devIdpPort: number;
  /** OpenID Connect providers that verify citizens' identities (BundID-style, eID servers, the dev IdP). */
  readonly identityProviders: readonly IdentityProviderConfig[];
  /** The city's staff directory for single sign-on (Keycloak, Entra ID, …); undefined: local accounts only. */
  readonly staffSso: StaffSsoConfig | undefined;
  /** Where document blobs live: `fs` (`<dataDir>/blobs`) or an S3-compatible bucket (ADR 0012). */
  readonly documentStore: 'fs' | 's3';
  /** Set exactly when `documentStore` is `s3`. */
  readonly s3: S3Config | undefined;
  /**
   * Master keys that wrap the documents' data keys (MASTER_KEYS); the first wraps new documents,
   * the others are kept for reading until `npm run keys:rotate` has re-wrapped everything.
   * Empty outside production: development keeps one in `<dataDir>/master.key`, tests use one per run.
   */
  readonly masterKeys: readonly MasterKeyConfig[];
  /**
   * ClamAV's daemon that scans every upload (CLAMD_URL: `tcp://host:port` or a unix socket path);
   * undefined: uploads are not scanned. When set and clamd does not answer, uploads are refused.
   */
  readonly clamdUrl: string | undefined;
  /**
   * What the daily retention job does with closed files past their retention period (ADR 0015):
   * `erase` them, or only `list` them (cities that first offer files to their archive).
   */
  readonly retentionMode: 'erase' | 'list';
  /**
   * The city's seal for issued PDFs: a PKCS#12 file with key and certificate chain (SEAL_P12_FILE,
   * SEAL_P12_PASSWORD). Required in production; development keeps a self-signed one in
   * `<dataDir>/seal.p12`, tests make one per run (`efile/seal.ts`, ADR 0013).
   */
  readonly sealP12File: string | undefined;
  readonly sealP12Password: string | undefined;
  /**
   * Who takes fee payments online (ADR 0019): `dev`, the development provider with its own hosted
   * page and HMAC-signed webhooks (refused in production), or `none` (fees are shown, paid at
   * the office). Production stays on `none` until ePayBL (or a card provider) is connected.
   */
  readonly paymentProvider: 'dev' | 'none';
  /** HMAC-SHA256 key of the development provider's webhooks (PAYMENT_DEV_WEBHOOK_SECRET); generated per process when not set. */
  readonly paymentDevWebhookSecret: string | undefined;
  /**
   * Web Push (VAPID, RFC 8292): the server's P-256 key pair (base64url, as `npx web-push
   * generate-vapid-keys` prints them) and a contact (`mailto:` or `https:`) for the push services.
   * All three or none. In production push is off unless all three are set (mail and the Postfach
   * still work); development keeps a generated pair in `<dataDir>/vapid.json`, tests make one per
   * run (`notifications/vapid.ts`, ADR 0017).
   */
  readonly vapidPublicKey: string | undefined;
  readonly vapidPrivateKey: string | undefined;
  readonly vapidSubject: string | undefined;
}

export interface S3Config {
  /** Undefined: AWS's own endpoint for the region. */
  readonly endpoint: string | undefined;
  readonly bucket: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** `bucket` in the path rather than the host name (MinIO, Ceph); default on when an endpoint is given. */
  readonly forcePathStyle: boolean;
}

export interface MasterKeyConfig {
  /** Stored with every document, so the right key is found after a rotation. */
  readonly id: string;
  /** 32 bytes (AES-256). */
  readonly key: Buffer;
}

/** `id:base64` pairs, comma-separated; ids are short names such as `2026-11`. */
const MASTER_KEY_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

/** Reads MASTER_KEYS (`id1:base64,id2:base64`); each fault is one message naming the entry, never the key. */
export function parseMasterKeys(raw: string | undefined, name: string, problems: string[]): MasterKeyConfig[] {
  if (raw === undefined) return [];
  const out: MasterKeyConfig[] = [];
  raw.split(',').forEach((entry, i) => {
    const at = entry.indexOf(':');
    const id = at < 0 ? '' : entry.slice(0, at).trim();
    const b64 = at < 0 ? entry.trim() : entry.slice(at + 1).trim();
    const where = `${name} entry ${i + 1}${MASTER_KEY_ID.test(id) ? ` ("${id}")` : ''}`;
    if (!MASTER_KEY_ID.test(id)) {
      problems.push(`${where} must be "<id>:<base64 key>" with an id of 1–32 letters, digits, "-" or "_"`);
      return;
    }
    if (out.some((k) => k.id === id)) {
      problems.push(`${where}: the id is used twice`);
      return;
    }
    const key = /^[A-Za-z0-9+/]+={0,2}$/.test(b64) ? Buffer.from(b64, 'base64') : Buffer.alloc(0);
    if (key.length !== 32) {
      problems.push(`${where} must be base64 of exactly 32 random bytes (for example: openssl rand -base64 32)`);
      return;
    }
    out.push({ id, key });
  });
  return out;
}

export interface StaffSsoConfig {
  /** Short stable id, stored with each directory account (provider + subject). */
  readonly id: string;
  readonly name: { readonly de: string; readonly en: string };
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Directory groups for Amtsweg start with this; the rest is `<department>-<role>`. */
  readonly groupPrefix: string;
}

/** The client the back office uses at the bundled development identity provider's staff directory. */
export const DEV_STAFF_CLIENT_ID = 'amtsweg-staff';

/** Reads STAFF_SSO (a JSON object); every fault is one message naming the field. */
function parseStaffSso(raw: string | undefined, production: boolean, problems: string[]): StaffSsoConfig | undefined {
  if (raw === undefined) return undefined;
  let e: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    e = parsed as Record<string, unknown>;
  } catch {
    problems.push('STAFF_SSO must be a JSON object ({"id", "name": {"de", "en"}, "issuer", "clientId", "clientSecret", "groupPrefix"?})');
    return undefined;
  }
  const before = problems.length;
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  const id = text(e.id);
  if (!id || !/^[a-z][a-z0-9-]{0,30}$/.test(id)) problems.push('STAFF_SSO.id must be 1–31 lower-case letters, digits or hyphens, starting with a letter');
  const name = (typeof e.name === 'object' && e.name !== null ? e.name : {}) as Record<string, unknown>;
  if (!text(name.de) || !text(name.en)) problems.push('STAFF_SSO.name must have a German (de) and an English (en) text');
  let issuer: URL | undefined;
  try {
    issuer = text(e.issuer) ? new URL(text(e.issuer)!) : undefined;
  } catch {
    issuer = undefined;
  }
  if (!issuer) problems.push('STAFF_SSO.issuer must be an absolute URL');
  else if (production && issuer.protocol !== 'https:') problems.push('STAFF_SSO.issuer must use https:// in production');
  if (!text(e.clientId)) problems.push('STAFF_SSO.clientId is required');
  const secret = text(e.clientSecret);
  if (!secret) problems.push('STAFF_SSO.clientSecret is required');
  else if (production && secret.length < 16) problems.push('STAFF_SSO.clientSecret must be at least 16 characters long in production');
  const groupPrefix = e.groupPrefix === undefined ? 'amtsweg-' : text(e.groupPrefix);
  if (groupPrefix === undefined) problems.push('STAFF_SSO.groupPrefix must be a non-empty text, such as "amtsweg-"');
  if (problems.length > before) return undefined;
  return { id: id!, name: { de: text(name.de)!, en: text(name.en)! }, issuer: text(e.issuer)!.replace(/\/$/, ''), clientId: text(e.clientId)!, clientSecret: secret!, groupPrefix: groupPrefix! };
}

/** The eIDAS levels of assurance as OpenID Connect `acr` values (BSI TR-03107, eIDAS 2015/1502). */
export const EIDAS_ACR = { substantial: 'http://eidas.europa.eu/LoA/substantial', high: 'http://eidas.europa.eu/LoA/high' } as const;

export interface IdentityProviderConfig {
  /** Short stable id, stored with each verified identity (provider + subject). */
  readonly id: string;
  readonly name: { readonly de: string; readonly en: string };
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Which `acr` values mean which level; the eIDAS URIs unless the provider uses its own. */
  readonly acr: { readonly substantial: string; readonly high: string };
}

/** The client the portal uses at the bundled development identity provider. */
const DEV_IDP_CLIENT_ID = 'amtsweg-portal';

/** Reads IDENTITY_PROVIDERS (a JSON array); every fault is one message naming the entry and the field. */
function parseIdentityProviders(raw: string | undefined, production: boolean, problems: string[]): IdentityProviderConfig[] {
  if (raw === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    problems.push('IDENTITY_PROVIDERS must be a JSON array of providers ({"id", "name": {"de", "en"}, "issuer", "clientId", "clientSecret", "acr"?})');
    return [];
  }
  if (!Array.isArray(parsed)) {
    problems.push('IDENTITY_PROVIDERS must be a JSON array');
    return [];
  }
  const out: IdentityProviderConfig[] = [];
  const seen = new Set<string>();
  parsed.forEach((entry: unknown, i) => {
    const before = problems.length;
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const where = `IDENTITY_PROVIDERS[${i}]${typeof e.id === 'string' ? ` ("${e.id}")` : ''}`;
    const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
    const id = text(e.id);
    if (!id || !/^[a-z][a-z0-9-]{0,30}$/.test(id)) problems.push(`${where}.id must be 1–31 lower-case letters, digits or hyphens, starting with a letter`);
    else if (seen.has(id)) problems.push(`${where}.id is used twice`);
    else seen.add(id);
    const name = (typeof e.name === 'object' && e.name !== null ? e.name : {}) as Record<string, unknown>;
    if (!text(name.de) || !text(name.en)) problems.push(`${where}.name must have a German (de) and an English (en) text`);
    const issuer = text(e.issuer);
    let issuerUrl: URL | undefined;
    try {
      issuerUrl = issuer ? new URL(issuer) : undefined;
    } catch {
      issuerUrl = undefined;
    }
    if (!issuerUrl) problems.push(`${where}.issuer must be an absolute URL`);
    else if (production && issuerUrl.protocol !== 'https:') problems.push(`${where}.issuer must use https:// in production`);
    else if (!['https:', 'http:'].includes(issuerUrl.protocol)) problems.push(`${where}.issuer must be an http(s) URL`);
    if (!text(e.clientId)) problems.push(`${where}.clientId is required`);
    const secret = text(e.clientSecret);
    if (!secret) problems.push(`${where}.clientSecret is required`);
    else if (production && secret.length < 16) problems.push(`${where}.clientSecret must be at least 16 characters long in production`);
    let acr: IdentityProviderConfig['acr'] = EIDAS_ACR;
    if (e.acr !== undefined) {
      const a = (typeof e.acr === 'object' && e.acr !== null ? e.acr : {}) as Record<string, unknown>;
      if (!text(a.substantial) || !text(a.high)) problems.push(`${where}.acr must name the acr value for "substantial" and for "high"`);
      else if (text(a.substantial) === text(a.high)) problems.push(`${where}.acr must use different values for "substantial" and "high"`);
      else acr = { substantial: text(a.substantial)!, high: text(a.high)! };
    }
    if (problems.length === before) out.push({ id: id!, name: { de: text(name.de)!, en: text(name.en)! }, issuer: issuer!.replace(/\/$/, ''), clientId: text(e.clientId)!, clientSecret: secret!, acr });
  });
  return out;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const problems: string[] = [];
  const str = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const v = str(name);
    if (v === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(v)) {
      problems.push(`${name} must be one of ${allowed.join(', ')} (got "${v}")`);
      return fallback;
    }
    return v as T;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const v = str(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${v}")`);
      return fallback;
    }
    return n;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const v = str(name);
    if (v === undefined) return fallback;
    if (['true', '1', 'yes'].includes(v.toLowerCase())) return true;
    if (['false', '0', 'no'].includes(v.toLowerCase())) return false;
    problems.push(`${name} must be true or false (got "${v}")`);
    return fallback;
  };

  const profile = oneOf<Profile>('AMTSWEG_PROFILE', ['development', 'production', 'test'], 'development');
  const dev = profile !== 'production';
  const host = str('HOST') ?? '127.0.0.1';
  const port = int('PORT', 3000, 0, 65535);
  const dataDir = path.resolve(str('DATA_DIR') ?? './data');

  const databaseUrl = str('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }

  let sessionSecret = str('SESSION_SECRET');
  if (sessionSecret === undefined) {
    if (dev) sessionSecret = randomBytes(32).toString('base64url');
    else problems.push('SESSION_SECRET is required in production (at least 32 characters of random data)');
  } else if (sessionSecret.length < 32) {
    problems.push('SESSION_SECRET must be at least 32 characters long');
  }

  const publicUrlRaw = str('PUBLIC_URL') ?? `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  let publicUrl = publicUrlRaw.replace(/\/$/, '');
  try {
    const u = new URL(publicUrl);
    if (!dev && u.protocol !== 'https:') problems.push('PUBLIC_URL must use https:// in production');
  } catch {
    problems.push(`PUBLIC_URL must be an absolute URL (got "${publicUrlRaw}")`);
    publicUrl = 'http://127.0.0.1';
  }

  const demoData = bool('DEMO_DATA', dev);
  if (!dev && demoData) problems.push('DEMO_DATA must not be enabled in production: demo accounts have published passwords');

  const logLevel = str('LOG_LEVEL') ?? (profile === 'test' ? 'silent' : 'info');
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);

  const smtpUrl = str('SMTP_URL');
  if (smtpUrl !== undefined && !/^smtps?:\/\//.test(smtpUrl)) problems.push('SMTP_URL must start with smtp:// or smtps://');
  if (smtpUrl === undefined && !dev) problems.push('SMTP_URL is required in production: receipts and status mails must leave the building');

  const metricsToken = str('METRICS_TOKEN');
  if (metricsToken !== undefined && metricsToken.length < 24) problems.push('METRICS_TOKEN must be at least 24 characters long');
  if (metricsToken === undefined && !dev) problems.push('METRICS_TOKEN is required in production: /metrics is only served with "Authorization: Bearer <METRICS_TOKEN>"');

  const city = str('CITY') ?? 'halle';
  if (!/^[a-z0-9-]+$/.test(city)) problems.push(`CITY must be a configuration name such as "halle" (got "${city}")`);

  // The bundled identity provider publishes its test persons and signs whatever is chosen on its
  // pages: never in production.
  const devIdp = bool('DEV_IDP', profile === 'development');
  if (!dev && devIdp) problems.push('DEV_IDP must not be enabled in production: the development identity provider lets anyone pick an identity');
  const devIdpPort = int('DEV_IDP_PORT', port > 0 && port < 65535 ? port + 1 : 3001, 0, 65535);
  const identityProviders = parseIdentityProviders(str('IDENTITY_PROVIDERS'), !dev, problems);
  if (devIdp && profile === 'development' && !identityProviders.some((p) => p.id === 'dev')) {
    if (devIdpPort === 0) problems.push('DEV_IDP_PORT must be a fixed port when DEV_IDP is on: the portal has to know where the development identity provider listens');
    let idpHost = '127.0.0.1';
    try {
      idpHost = new URL(publicUrl).hostname;
    } catch {
      // PUBLIC_URL is reported above.
    }
    identityProviders.push({
      id: 'dev',
      name: { de: 'Test-Identitätsanbieter (Entwicklung)', en: 'Test identity provider (development)' },
      issuer: `http://${idpHost}:${devIdpPort}/citizen`,
      clientId: DEV_IDP_CLIENT_ID,
      // Per start: the dev IdP is started by the same process with this very secret (main.ts).
      clientSecret: randomBytes(24).toString('base64url'),
      acr: EIDAS_ACR,
    });
  }

  const staffSso =
    parseStaffSso(str('STAFF_SSO'), !dev, problems) ??
    (devIdp && profile === 'development'
      ? {
          id: 'dev-directory',
          name: { de: 'Test-Verzeichnis der Stadt (Entwicklung)', en: "City's test directory (development)" },
          issuer: identityProviders.find((p) => p.id === 'dev')?.issuer.replace(/\/citizen$/, '/staff') ?? `http://127.0.0.1:${devIdpPort}/staff`,
          clientId: DEV_STAFF_CLIENT_ID,
          // Per start, like the citizen client's (main.ts registers it with the dev IdP).
          clientSecret: randomBytes(24).toString('base64url'),
          groupPrefix: 'amtsweg-',
        }
      : undefined);

  const documentStore = oneOf<'fs' | 's3'>('DOCUMENT_STORE', ['fs', 's3'], 'fs');
  const s3Names = ['S3_ENDPOINT', 'S3_BUCKET', 'S3_REGION', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'S3_FORCE_PATH_STYLE'];
  let s3: S3Config | undefined;
  if (documentStore === 's3') {
    const need = (name: string): string => {
      const v = str(name);
      if (v === undefined) problems.push(`${name} is required when DOCUMENT_STORE is s3`);
      return v ?? '';
    };
    const endpoint = str('S3_ENDPOINT');
    if (endpoint !== undefined && !/^https?:\/\/[^/]+/.test(endpoint)) problems.push(`S3_ENDPOINT must be an http:// or https:// URL (got "${endpoint}")`);
    const bucket = need('S3_BUCKET');
    if (bucket !== '' && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) problems.push(`S3_BUCKET must be a bucket name of 3–63 lower-case letters, digits, "." or "-" (got "${bucket}")`);
    const region = need('S3_REGION');
    const accessKeyId = need('S3_ACCESS_KEY_ID');
    const secretAccessKey = need('S3_SECRET_ACCESS_KEY');
    s3 = { endpoint: endpoint?.replace(/\/$/, ''), bucket, region, accessKeyId, secretAccessKey, forcePathStyle: bool('S3_FORCE_PATH_STYLE', endpoint !== undefined) };
  } else {
    // S3 settings without DOCUMENT_STORE=s3 would put documents on one replica's disk unnoticed.
    const given = s3Names.filter((n) => str(n) !== undefined);
    if (given.length > 0) problems.push(`${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} set but DOCUMENT_STORE is not s3: set DOCUMENT_STORE=s3 or remove them`);
  }

  if (str('MASTER_KEY') !== undefined) problems.push('MASTER_KEY is not read: give the key with an id as MASTER_KEYS=<id>:<base64 of 32 bytes>');
  const masterKeys = parseMasterKeys(str('MASTER_KEYS'), 'MASTER_KEYS', problems);
  if (!dev && masterKeys.length === 0 && str('MASTER_KEYS') === undefined) {
    problems.push('MASTER_KEYS is required in production: <id>:<base64 of 32 random bytes>, the first encrypts new documents');
  }

  const clamdUrl = str('CLAMD_URL');
  if (clamdUrl !== undefined && !/^(tcp:\/\/([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):\d{1,5}\/?|unix:\/\/\/.+|\/.+)$/.test(clamdUrl)) {
    problems.push(`CLAMD_URL must be tcp://host:port or the path of clamd's unix socket, such as /run/clamav/clamd.ctl (got "${clamdUrl}")`);
  }

  const sealP12File = str('SEAL_P12_FILE');
  // Taken as given: a password may have spaces at either end.
  const sealP12Password = env.SEAL_P12_PASSWORD;
  if (!dev && sealP12File === undefined) problems.push("SEAL_P12_FILE is required in production: the PKCS#12 file with the city's seal key and certificate for issued PDFs");
  if (!dev && sealP12Password === undefined) problems.push('SEAL_P12_PASSWORD is required in production: the password of SEAL_P12_FILE');
  if (sealP12File === undefined && sealP12Password !== undefined) problems.push('SEAL_P12_PASSWORD is set but SEAL_P12_FILE is not: name the PKCS#12 file or remove the password');

  const vapidPublicKey = str('VAPID_PUBLIC_KEY');
  const vapidPrivateKey = str('VAPID_PRIVATE_KEY');
  const vapidSubject = str('VAPID_SUBJECT');
  const vapidGiven = [vapidPublicKey, vapidPrivateKey, vapidSubject].filter((v) => v !== undefined).length;
  if (vapidGiven > 0 && vapidGiven < 3) {
    const missing = (['VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY', 'VAPID_SUBJECT'] as const).filter((n) => str(n) === undefined);
    problems.push(`${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing: Web Push needs all three VAPID settings, or none (push off)`);
  }
  const b64urlBytes = (v: string) => (/^[A-Za-z0-9_-]+={0,2}$/.test(v) ? Buffer.from(v, 'base64url').length : -1);
  if (vapidPublicKey !== undefined && (b64urlBytes(vapidPublicKey) !== 65 || Buffer.from(vapidPublicKey, 'base64url')[0] !== 4))
    problems.push('VAPID_PUBLIC_KEY must be an uncompressed P-256 public key, base64url (65 bytes; npx web-push generate-vapid-keys)');
  if (vapidPrivateKey !== undefined && b64urlBytes(vapidPrivateKey) !== 32) problems.push('VAPID_PRIVATE_KEY must be a P-256 private key, base64url (32 bytes; npx web-push generate-vapid-keys)');
  if (vapidSubject !== undefined && !/^(mailto:[^\s@]+@[^\s@]+|https:\/\/[^\s/]+.*)$/.test(vapidSubject)) problems.push(`VAPID_SUBJECT must be a mailto: address or an https:// URL where the push services can reach the city (got "${vapidSubject}")`);

  // The development provider lets anyone "pay" with a button: never in production (like DEV_IDP).
  const paymentProvider = oneOf<'dev' | 'none'>('PAYMENT_PROVIDER', ['dev', 'none'], dev ? 'dev' : 'none');
  if (!dev && paymentProvider === 'dev') problems.push('PAYMENT_PROVIDER must not be dev in production: the development payment provider marks fees paid without any money moving (use none until ePayBL is connected)');
  let paymentDevWebhookSecret = str('PAYMENT_DEV_WEBHOOK_SECRET');
  if (paymentDevWebhookSecret !== undefined && paymentDevWebhookSecret.length < 32) problems.push('PAYMENT_DEV_WEBHOOK_SECRET must be at least 32 characters long');
  if (paymentProvider === 'dev' && paymentDevWebhookSecret === undefined) paymentDevWebhookSecret = randomBytes(32).toString('base64url');

  const config: Config = {
    profile,
    host,
    port,
    publicUrl,
    dataDir,
    databaseUrl,
    sessionSecret: sessionSecret ?? '',
    cookieSecure: bool('COOKIE_SECURE', !dev),
    city,
    demoData,
    role: oneOf<ProcessRole>('ROLE', ['web', 'worker', 'all'], 'all'),
    logLevel,
    smtpUrl,
    mailFrom: str('MAIL_FROM') ?? 'Amtsweg <noreply@amtsweg.invalid>',
    trustProxy: bool('TRUST_PROXY', false),
    statusLookupsPerMinute: int('STATUS_LOOKUPS_PER_MINUTE', 10, 1, 10000),
    signInAttemptsPer15Min: int('SIGN_IN_ATTEMPTS_PER_15_MIN', 10, 1, 10000),
    metricsToken,
    databasePoolSize: int('DATABASE_POOL_SIZE', 20, 1, 500),
    devIdp,
    devIdpPort,
    identityProviders,
    staffSso,
    documentStore,
    s3,
    masterKeys,
    clamdUrl,
    retentionMode: oneOf<'erase' | 'list'>('RETENTION_MODE', ['erase', 'list'], 'erase'),
    sealP12File: sealP12File === undefined ? undefined : path.resolve(sealP12File),
    sealP12Password,
    paymentProvider,
    paymentDevWebhookSecret,
    vapidPublicKey,
    vapidPrivateKey,
    vapidSubject,
    ...overrides,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}
