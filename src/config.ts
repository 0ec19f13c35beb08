import { randomBytes } from 'node:crypto';
import path from 'node:path';

/**
 * Typed, validated, frozen configuration. Read once at start-up from the environment;
 * every wrong or missing setting is reported by name, all at once, and the start stops.
 * There is no secret default outside the development profile (STYLE.md §4).
 */
export type Profile = 'development' | 'production' | 'test';
export type ProcessRole = 'web' | 'worker' | 'all';

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
    ...overrides,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}
