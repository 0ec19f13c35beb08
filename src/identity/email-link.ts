import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Bilingual } from '../platform/errors.ts';
import type { Mailer } from '../platform/mail/mailer.ts';
import type { Database } from '../schema.ts';
import { findOrCreateCitizenByEmail, recordSignIn } from './citizens.ts';

/**
 * Sign-in with a one-time link to the e-mail address. The link carries 32 random bytes; the
 * database keeps only their SHA-256, so a copy of the table signs nobody in. A link is valid
 * for 15 minutes and once. Opening it shows a page with a button (a POST consumes it), so mail
 * scanners that fetch links do not use it up. Every valid address gets a link (the first use
 * creates the account), so the answer tells nothing about which addresses have an account.
 */
const LINK_VALIDITY_MS = 15 * 60_000;
/** At most this many links to one address per validity window, whoever asks (no mail bombing). */
const LINKS_PER_ADDRESS = 3;
const LINK_PATH = '/account/link/';

const hashLinkToken = (token: string): string => createHash('sha256').update(`amtsweg-sign-in:${token}`).digest('hex');
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export interface LinkDeps {
  readonly db: Kysely<Database>;
  readonly mailer: Mailer;
  readonly publicUrl: string;
  readonly now: () => Date;
}

/** Creates a link for the (already validated) address and mails it; does nothing past the per-address limit. */
export async function sendSignInLink(deps: LinkDeps, email: string): Promise<'sent' | 'throttled'> {
  const now = deps.now();
  const recent = await deps.db
    .selectFrom('email_sign_in_links')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('email', '=', email)
    .where('created_at', '>', new Date(now.getTime() - LINK_VALIDITY_MS))
    .executeTakeFirstOrThrow();
  if (Number(recent.n) >= LINKS_PER_ADDRESS) return 'throttled';
  const token = randomBytes(32).toString('base64url');
  const tokenHash = hashLinkToken(token);
  await deps.db.insertInto('email_sign_in_links').values({ token_hash: tokenHash, email, expires_at: new Date(now.getTime() + LINK_VALIDITY_MS), created_at: now }).execute();
  const link = `${deps.publicUrl}${LINK_PATH}${token}`;
  const de = [
    'Guten Tag,',
    'mit diesem Link melden Sie sich bei Amtsweg an. Er gilt 15 Minuten und nur einmal:',
    link,
    'Wenn Sie keine Anmeldung angefordert haben, können Sie diese E-Mail einfach löschen. Geben Sie den Link nicht weiter.',
  ];
  const en = ['Hello,', 'Use this link to sign in to Amtsweg. It works once, within 15 minutes:', link, 'If you did not ask to sign in, simply delete this email. Do not pass the link on.'];
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const para = (ls: string[]) => ls.map((l) => (l === link ? `<p><a href="${esc(link)}">${esc(link)}</a></p>` : `<p>${esc(l)}</p>`)).join('');
  await deps.mailer.send({
    dedupeKey: `sign-in-link:${tokenHash}`,
    to: email,
    subject: 'Ihr Anmeldelink / Your sign-in link',
    text: [...de, '', '— English —', '', ...en, ''].join('\n'),
    html: `<!doctype html><html lang="de"><body>${para(de)}<hr><div lang="en">${para(en)}</div></body></html>`,
    // The link signs in: once sent over SMTP, the outbox keeps no usable copy.
    redactAfterSending: true,
  });
  return 'sent';
}

export type LinkState = 'valid' | 'unknown' | 'expired' | 'used';

export const LINK_MESSAGES: Record<Exclude<LinkState, 'valid'>, { title: Bilingual; text: Bilingual }> = {
  unknown: {
    title: { de: 'Dieser Anmeldelink ist ungültig', en: 'This sign-in link is not valid' },
    text: {
      de: 'Der Link ist unvollständig oder falsch. Bitte öffnen Sie den Link genau so, wie er in der E-Mail steht, oder fordern Sie einen neuen an.',
      en: 'The link is incomplete or wrong. Open the link exactly as it appears in the email, or ask for a new one.',
    },
  },
  expired: {
    title: { de: 'Dieser Anmeldelink ist abgelaufen', en: 'This sign-in link has expired' },
    text: { de: 'Ein Anmeldelink gilt 15 Minuten. Bitte fordern Sie einen neuen an.', en: 'A sign-in link works for 15 minutes. Please ask for a new one.' },
  },
  used: {
    title: { de: 'Dieser Anmeldelink wurde schon benutzt', en: 'This sign-in link has already been used' },
    text: { de: 'Jeder Anmeldelink gilt nur einmal. Bitte fordern Sie einen neuen an.', en: 'Each sign-in link works only once. Please ask for a new one.' },
  },
};

function stateOf(row: { expires_at: Date; used_at: Date | null } | undefined, now: Date): LinkState {
  if (!row) return 'unknown';
  if (row.used_at) return 'used';
  if (row.expires_at.getTime() <= now.getTime()) return 'expired';
  return 'valid';
}

/** What the link is now, without using it (for the confirmation page). */
export async function inspectSignInLink(deps: Pick<LinkDeps, 'db' | 'now'>, token: string): Promise<LinkState> {
  if (!TOKEN.test(token)) return 'unknown';
  const row = await deps.db.selectFrom('email_sign_in_links').select(['expires_at', 'used_at']).where('token_hash', '=', hashLinkToken(token)).executeTakeFirst();
  return stateOf(row, deps.now());
}

/**
 * Uses the link: in one transaction, with the link row locked, marks it used, creates the
 * account if the address has none, records the sign-in. Two clicks at once: one wins.
 */
export async function redeemSignInLink(deps: Pick<LinkDeps, 'db' | 'now'>, token: string): Promise<{ ok: true; citizenId: string; created: boolean } | { ok: false; state: Exclude<LinkState, 'valid'> }> {
  if (!TOKEN.test(token)) return { ok: false, state: 'unknown' };
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('email_sign_in_links').select(['email', 'expires_at', 'used_at']).where('token_hash', '=', hashLinkToken(token)).forUpdate().executeTakeFirst();
    const state = stateOf(row, deps.now());
    if (state !== 'valid' || !row) return { ok: false as const, state: state === 'valid' ? 'unknown' : state };
    await trx.updateTable('email_sign_in_links').set({ used_at: deps.now() }).where('token_hash', '=', hashLinkToken(token)).execute();
    const citizen = await findOrCreateCitizenByEmail(trx, row.email);
    await recordSignIn(trx, citizen.id, 'email_link', citizen.created);
    return { ok: true as const, citizenId: citizen.id, created: citizen.created };
  });
}

/**
 * Housekeeping: links past their validity are of no use, and they hold an address. Kept an hour
 * longer so that a late click still hears "expired" or "already used" rather than "invalid".
 */
export async function purgeSignInLinks(db: Kysely<Database>, now: Date): Promise<number> {
  const r = await db.deleteFrom('email_sign_in_links').where('expires_at', '<', new Date(now.getTime() - 3600_000)).executeTakeFirst();
  return Number(r.numDeletedRows);
}
