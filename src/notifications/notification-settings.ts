import type { Kysely } from 'kysely';
import { appendAudit } from '../efile/audit-chain.ts';
import type { Bilingual } from '../platform/errors.ts';
import type { Database } from '../schema.ts';
import type { PushTarget } from './web-push-sender.ts';

/**
 * What a citizen chose: which channels notify them (e-mail, Web Push; the Postfach and the status
 * page always show everything), and which of their browsers receive pushes. Every function takes
 * the signed-in account's id and puts it in the query: no one reads or removes another's device.
 * Audit entries name the account and what changed, never an endpoint or an address.
 */
export interface NotificationPreferences {
  readonly email: boolean;
  readonly push: boolean;
}

/** No row yet: every channel on. */
const DEFAULT_PREFERENCES: NotificationPreferences = { email: true, push: true };

export async function loadPreferences(db: Kysely<Database>, citizenId: string): Promise<NotificationPreferences> {
  const row = await db.selectFrom('notification_preferences').select(['email', 'push']).where('citizen_id', '=', citizenId).executeTakeFirst();
  return row ? { email: row.email, push: row.push } : DEFAULT_PREFERENCES;
}

export async function savePreferences(db: Kysely<Database>, citizenId: string, prefs: NotificationPreferences): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('notification_preferences')
      .values({ citizen_id: citizenId, email: prefs.email, push: prefs.push, updated_at: new Date() })
      .onConflict((oc) => oc.column('citizen_id').doUpdateSet({ email: prefs.email, push: prefs.push, updated_at: new Date() }))
      .execute();
    await appendAudit(trx, { actorType: 'applicant', actorId: citizenId, action: 'citizen.notifications_changed', caseId: null, details: { email: prefs.email, push: prefs.push } });
  });
}

/* ---------- push subscriptions ---------- */

const MAX_ENDPOINT_LENGTH = 1000;

const b64url = (v: unknown): Buffer | undefined => (typeof v === 'string' && /^[A-Za-z0-9_-]+={0,2}$/.test(v) ? Buffer.from(v, 'base64url') : undefined);

/**
 * Reads a browser's `PushSubscription.toJSON()` ({ endpoint, keys: { p256dh, auth } }). The
 * endpoint must be https (every browser's push service is; anything else would make the server
 * call into the network it stands in); the keys must be a P-256 point and a 16-byte secret.
 */
export function parsePushSubscription(body: unknown): { target: PushTarget } | { problem: Bilingual } {
  const b = (typeof body === 'object' && body !== null ? body : {}) as { endpoint?: unknown; keys?: { p256dh?: unknown; auth?: unknown } };
  const endpoint = typeof b.endpoint === 'string' ? b.endpoint.trim() : '';
  let url: URL | undefined;
  try {
    url = endpoint ? new URL(endpoint) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || endpoint.length > MAX_ENDPOINT_LENGTH) {
    return { problem: { de: 'Die Anmeldung für Push-Benachrichtigungen ist unvollständig. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.', en: 'The push registration is incomplete. Please reload the page and try again.' } };
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') {
    return {
      problem: {
        de: 'Dieser Push-Dienst wird nicht unterstützt: Die Adresse muss mit https:// beginnen. Bitte nutzen Sie einen aktuellen Browser.',
        en: 'This push service is not supported: its address must start with https://. Please use an up-to-date browser.',
      },
    };
  }
  const key = b64url(b.keys?.p256dh);
  const auth = b64url(b.keys?.auth);
  if (!key || key.length !== 65 || key[0] !== 4 || !auth || auth.length !== 16) {
    return { problem: { de: 'Die Schlüssel für Push-Benachrichtigungen sind ungültig. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.', en: 'The push keys are not valid. Please reload the page and try again.' } };
  }
  return { target: { endpoint: url.toString(), p256dh: key.toString('base64url'), auth: auth.toString('base64url') } };
}

/** A short name for the device list, from the browser's User-Agent ("Firefox · Android"). */
export function deviceLabel(userAgent: string | undefined): string | null {
  if (!userAgent) return null;
  const ua = userAgent.slice(0, 500);
  const browser = /Edg\//.test(ua) ? 'Edge' : /OPR\//.test(ua) ? 'Opera' : /Firefox\//.test(ua) ? 'Firefox' : /Chrom(e|ium)\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : undefined;
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad|iPod/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows' : /Mac OS X|Macintosh/.test(ua) ? 'macOS' : /CrOS/.test(ua) ? 'ChromeOS' : /Linux/.test(ua) ? 'Linux' : undefined;
  const label = [browser, os].filter(Boolean).join(' · ');
  return label === '' ? null : label;
}

/**
 * Saves the browser's subscription for this account. An endpoint belongs to one browser profile:
 * when another account signs in there and switches push on, the subscription moves to that
 * account (the person holding the browser now), with the keys the browser just sent.
 */
export async function savePushSubscription(db: Kysely<Database>, citizenId: string, target: PushTarget, label: string | null): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('push_subscriptions').select(['id', 'citizen_id']).where('endpoint', '=', target.endpoint).forUpdate().executeTakeFirst();
    if (before && before.citizen_id !== citizenId) await trx.deleteFrom('push_subscriptions').where('id', '=', before.id).execute();
    await trx
      .insertInto('push_subscriptions')
      .values({ citizen_id: citizenId, endpoint: target.endpoint, p256dh: target.p256dh, auth: target.auth, label })
      .onConflict((oc) => oc.column('endpoint').doUpdateSet({ p256dh: target.p256dh, auth: target.auth, label, failures: 0 }))
      .execute();
    if (!before || before.citizen_id !== citizenId) {
      await appendAudit(trx, { actorType: 'applicant', actorId: citizenId, action: 'citizen.push_device_added', caseId: null, details: { label } });
    }
  });
}

export interface PushDevice {
  readonly id: string;
  readonly label: string | null;
  readonly createdAt: Date;
  readonly lastSuccessAt: Date | null;
}

export async function listPushDevices(db: Kysely<Database>, citizenId: string): Promise<PushDevice[]> {
  const rows = await db.selectFrom('push_subscriptions').select(['id', 'label', 'created_at', 'last_success_at']).where('citizen_id', '=', citizenId).orderBy('created_at').execute();
  return rows.map((r) => ({ id: r.id, label: r.label, createdAt: r.created_at, lastSuccessAt: r.last_success_at }));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Removes one of the account's own devices; false when there is no such device of this account. */
export async function removePushDevice(db: Kysely<Database>, citizenId: string, deviceId: string): Promise<boolean> {
  if (!UUID.test(deviceId)) return false;
  return db.transaction().execute(async (trx) => {
    const removed = await trx.deleteFrom('push_subscriptions').where('id', '=', deviceId).where('citizen_id', '=', citizenId).returning('id').executeTakeFirst();
    if (removed) await appendAudit(trx, { actorType: 'applicant', actorId: citizenId, action: 'citizen.push_device_removed', caseId: null, details: {} });
    return removed !== undefined;
  });
}
