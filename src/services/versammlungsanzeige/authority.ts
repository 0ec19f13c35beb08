import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CityConfig, ExternalAuthorityConfig } from '../../catalogue/city.ts';
import type { FormData, ServiceDefinition } from '../../catalogue/service-definition.ts';

/**
 * The external receiving authority of a service (ADR 0023): its settings from the city
 * configuration with the shared secret from the environment, the messages sent to it and the
 * signatures both ways.
 *
 * Signatures: `Amtsweg-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` with
 * the shared secret, on our deliveries and on the authority's answers alike (the scheme of the
 * payment webhooks, ADR 0019). A signature older or newer than five minutes is refused.
 */
export const SIGNATURE_HEADER = 'amtsweg-signature';
const TOLERANCE_SECONDS = 300;
const MIN_SECRET_LENGTH = 32;

export interface ExternalAuthority extends Required<Omit<ExternalAuthorityConfig, 'secretEnv'>> {
  readonly secret: string;
}

export class AuthoritySettingsError extends Error {}

/**
 * The service's external authority, or undefined when a city department handles it. Called at
 * start-up (the job and the answer route are built with it), so a missing or short secret, or a
 * plain-http endpoint in production, stops the start.
 */
export function externalAuthorityFor(city: CityConfig, serviceId: string, env: Readonly<Record<string, string | undefined>>, production: boolean): ExternalAuthority | undefined {
  const a = city.services[serviceId]?.externalAuthority;
  if (!a) return undefined;
  const secret = env[a.secretEnv] ?? '';
  const where = `services.${serviceId}.externalAuthority of city "${city.id}"`;
  if (secret.length < MIN_SECRET_LENGTH) throw new AuthoritySettingsError(`${where}: environment variable ${a.secretEnv} must hold the shared secret (at least ${MIN_SECRET_LENGTH} characters)`);
  if (production && new URL(a.endpoint).protocol !== 'https:') throw new AuthoritySettingsError(`${where}: endpoint must be https in production`);
  return Object.freeze({
    id: a.id,
    name: a.name,
    endpoint: a.endpoint,
    format: a.format ?? 'json',
    retryLimit: a.retryLimit ?? 10,
    retryDelaySeconds: a.retryDelaySeconds ?? 60,
    timeoutSeconds: a.timeoutSeconds ?? 15,
    secret,
  });
}

export function signBody(secret: string, rawBody: string | Buffer, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const mac = createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest('hex');
  return `t=${t},v1=${mac}`;
}

/** Why a signature is refused, or undefined when it is good. */
export function signatureProblem(secret: string, rawBody: Buffer, header: unknown, now: Date): string | undefined {
  if (typeof header !== 'string') return 'signature header missing';
  const parts = Object.fromEntries(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.t);
  const given = parts.v1 ?? '';
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(given)) return 'signature header malformed';
  const expected = createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest();
  // Constant time: the comparison takes as long whichever byte differs.
  if (!timingSafeEqual(expected, Buffer.from(given, 'hex'))) return 'signature does not match';
  if (Math.abs(now.getTime() / 1000 - t) > TOLERANCE_SECONDS) return 'signature timestamp outside the tolerance';
  return undefined;
}

/**
 * The token the authority sends back with every answer for a case. Derived from the shared
 * secret, so it is the same on every retry of the delivery and needs no storage; it ties an
 * answer to a case that was forwarded to this authority, so the reference alone never suffices.
 */
export function callbackToken(authority: Pick<ExternalAuthority, 'id' | 'secret'>, caseId: string): string {
  return createHmac('sha256', authority.secret).update(`callback-token:${authority.id}:${caseId}`).digest('base64url');
}

export function callbackTokenMatches(authority: Pick<ExternalAuthority, 'id' | 'secret'>, caseId: string, given: string): boolean {
  const expected = Buffer.from(callbackToken(authority, caseId));
  const got = Buffer.from(given);
  return got.length === expected.length && timingSafeEqual(expected, got);
}

export interface AuthorityMessage {
  /** Unique per delivery: the authority can drop a message it has already seen. */
  readonly messageId: string;
  readonly type: 'notice' | 'withdrawal';
  readonly reference: string;
  readonly submittedAt: string;
  readonly service: { readonly id: string; readonly version: number; readonly leikaKey: string; readonly title: string };
  /** The municipality that forwards it (AGS). */
  readonly municipalityKey: string;
  readonly callback: { readonly url: string; readonly token: string };
  /** The form data as submitted (notice only). Uploaded files stay in the city's file. */
  readonly data?: Readonly<Record<string, string | readonly string[]>>;
}

/** The form's answers without file references (the files stay in the E-Akte; ADR 0023). */
export function forwardableData(def: ServiceDefinition, data: FormData): Record<string, string | string[]> {
  const files = new Set(def.pages.flatMap((p) => p.fields.filter((f) => f.type === 'file').map((f) => f.id)));
  return Object.fromEntries(Object.entries(data).filter(([k, v]) => !files.has(k) && v !== '' && !(Array.isArray(v) && v.length === 0)));
}

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
const XML_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** The message as the authority takes it: `[contentType, body]`. */
export function encodeMessage(message: AuthorityMessage, format: 'json' | 'xml'): [string, string] {
  if (format === 'json') return ['application/json', JSON.stringify(message)];
  const el = (name: string, value: string) => `<${name}>${escapeXml(value)}</${name}>`;
  const data = Object.entries(message.data ?? {})
    .filter(([k]) => XML_NAME.test(k))
    .map(([k, v]) => (Array.isArray(v) ? `<${k}>${(v as string[]).map((x) => el('value', x)).join('')}</${k}>` : el(k, v as string)))
    .join('');
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<authorityMessage xmlns="urn:amtsweg:authority-message:1" type="${message.type}">` +
    el('messageId', message.messageId) +
    el('reference', message.reference) +
    el('submittedAt', message.submittedAt) +
    `<service id="${escapeXml(message.service.id)}" version="${message.service.version}" leikaKey="${escapeXml(message.service.leikaKey)}">${escapeXml(message.service.title)}</service>` +
    el('municipalityKey', message.municipalityKey) +
    `<callback>${el('url', message.callback.url)}${el('token', message.callback.token)}</callback>` +
    (message.data ? `<data>${data}</data>` : '') +
    `</authorityMessage>`;
  return ['application/xml', body];
}
