import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { FieldError, FormData, Text } from '../catalogue/service-definition.ts';
import type { Mailer } from '../platform/mail/mailer.ts';
import type { Database } from '../schema.ts';
import { codeShape, formatCode, hashCode, newConfirmationCode } from './confirmation-code.ts';
import { CODE_VALIDITY_DAYS, INVITE_VALIDITY_DAYS, type ConfirmationData } from './confirmation-form.ts';

/**
 * The store of online Wohnungsgeberbestätigungen (BMG § 19(4)), migration 0017.
 *
 * - The tenant starts: `requestConfirmation` keeps the flat and date they named and mails the
 *   landlord a link. The link carries 32 random bytes; the table keeps their SHA-256 only.
 * - The landlord confirms, from that link or straight away (`confirm`), and gets a code
 *   (`confirmation-code.ts`), stored as its SHA-256 only and shown once.
 * - A registration references the code: `checkCode` says whether it can be used now, `claimCode`
 *   binds it to the case (once).
 */
const INVITE_PATH = '/wohnungsgeber/b/';
/** At most this many open requests to one landlord address a day, whoever asks (no mail bombing). */
const INVITES_PER_ADDRESS_PER_DAY = 5;

const DAY = 86_400_000;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const hashInviteToken = (token: string): string => createHash('sha256').update(`amtsweg-landlord-invite:${token}`).digest('hex');

export interface LandlordDeps {
  readonly db: Kysely<Database>;
  readonly mailer: Mailer;
  readonly publicUrl: string;
  readonly now: () => Date;
}

export interface ConfirmationRequest {
  readonly flatStreet: string;
  readonly flatDetail: string;
  readonly flatPostcode: string;
  readonly flatTown: string;
  readonly moveDate: string;
  readonly residents: string;
}

/** The tenant's request: stored, and the landlord mailed a link. 'throttled' past the per-address limit. */
export async function requestConfirmation(deps: LandlordDeps, input: { request: ConfirmationRequest; landlordEmail: string }): Promise<'sent' | 'throttled'> {
  const now = deps.now();
  const email = input.landlordEmail.trim().toLowerCase();
  const recent = await deps.db
    .selectFrom('landlord_confirmations')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('invite_email', '=', email)
    .where('created_at', '>', new Date(now.getTime() - DAY))
    .executeTakeFirstOrThrow();
  if (Number(recent.n) >= INVITES_PER_ADDRESS_PER_DAY) return 'throttled';
  const token = randomBytes(32).toString('base64url');
  const tokenHash = hashInviteToken(token);
  const expires = new Date(now.getTime() + INVITE_VALIDITY_DAYS * DAY);
  await deps.db
    .insertInto('landlord_confirmations')
    .values({
      started_by: 'tenant',
      invite_token_hash: tokenHash,
      invite_email: email,
      invite_expires_at: expires,
      request: JSON.stringify(input.request),
      created_at: now,
    })
    .execute();
  const link = `${deps.publicUrl}${INVITE_PATH}${token}`;
  const until = expires.toLocaleDateString('de-DE', { timeZone: 'Europe/Berlin' });
  const untilEn = expires.toLocaleDateString('en-GB', { timeZone: 'Europe/Berlin' });
  // No personal data in the mail: who asks and for which flat is shown behind the link.
  const de = [
    'Guten Tag,',
    'eine Person, die in eine von Ihnen vermietete Wohnung einzieht, bittet Sie um eine Wohnungsgeberbestätigung nach § 19 Bundesmeldegesetz. Sie können sie online abgeben:',
    link,
    `Der Link gilt bis zum ${until}. Nach der Bestätigung erhalten Sie einen Code, den Sie der Person geben. Wenn Sie die Wohnung nicht vermieten, löschen Sie diese E-Mail bitte einfach.`,
  ];
  const en = [
    'Hello,',
    'Someone moving into a flat you let asks you for a landlord confirmation (Wohnungsgeberbestätigung) under § 19 of the Federal Registration Act. You can give it online:',
    link,
    `The link works until ${untilEn}. After confirming you get a code to give to that person. If you do not let this flat, simply delete this email.`,
  ];
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const para = (ls: string[]) => ls.map((l) => (l === link ? `<p><a href="${esc(link)}">${esc(link)}</a></p>` : `<p>${esc(l)}</p>`)).join('');
  await deps.mailer.send({
    dedupeKey: `landlord-invite:${tokenHash}`,
    to: email,
    subject: 'Bitte um Wohnungsgeberbestätigung / Request for a landlord confirmation',
    text: [...de, '', '— English —', '', ...en, ''].join('\n'),
    html: `<!doctype html><html lang="de"><body>${para(de)}<hr><div lang="en">${para(en)}</div></body></html>`,
    // The link is a capability: once sent over SMTP, the outbox keeps no usable copy.
    redactAfterSending: true,
  });
  return 'sent';
}

export type InviteState = 'open' | 'unknown' | 'expired' | 'confirmed';

/** What the link is now, and what the tenant asked to be confirmed. */
export async function inspectInvite(deps: Pick<LandlordDeps, 'db' | 'now'>, token: string): Promise<{ state: InviteState; request?: ConfirmationRequest }> {
  if (!TOKEN.test(token)) return { state: 'unknown' };
  const row = await deps.db.selectFrom('landlord_confirmations').select(['invite_expires_at', 'confirmed_at', 'request']).where('invite_token_hash', '=', hashInviteToken(token)).executeTakeFirst();
  if (!row) return { state: 'unknown' };
  if (row.confirmed_at) return { state: 'confirmed' };
  if (!row.invite_expires_at || row.invite_expires_at.getTime() <= deps.now().getTime()) return { state: 'expired' };
  return { state: 'open', request: row.request as unknown as ConfirmationRequest };
}

/**
 * The landlord confirms: from the link (`token`, one confirmation per link, two clicks at once
 * give one code) or straight away. Returns the code, formatted, to be shown once.
 */
export async function confirm(deps: Pick<LandlordDeps, 'db' | 'now'>, input: { token?: string; data: ConfirmationData }): Promise<{ ok: true; code: string } | { ok: false; state: Exclude<InviteState, 'open'> }> {
  const now = deps.now();
  const code = newConfirmationCode();
  const confirmed = {
    confirmation: JSON.stringify(input.data),
    confirmed_at: now,
    code_hash: hashCode(code),
    code_expires_at: new Date(now.getTime() + CODE_VALIDITY_DAYS * DAY),
  };
  if (input.token === undefined) {
    await deps.db.insertInto('landlord_confirmations').values({ started_by: 'landlord', created_at: now, ...confirmed }).execute();
    return { ok: true, code: formatCode(code) };
  }
  const token = input.token;
  if (!TOKEN.test(token)) return { ok: false, state: 'unknown' };
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('landlord_confirmations').select(['id', 'invite_expires_at', 'confirmed_at']).where('invite_token_hash', '=', hashInviteToken(token)).forUpdate().executeTakeFirst();
    if (!row) return { ok: false as const, state: 'unknown' as const };
    if (row.confirmed_at) return { ok: false as const, state: 'confirmed' as const };
    if (!row.invite_expires_at || row.invite_expires_at.getTime() <= now.getTime()) return { ok: false as const, state: 'expired' as const };
    // The landlord's address is no longer needed once the link has been used.
    await trx.updateTable('landlord_confirmations').set({ ...confirmed, invite_email: null }).where('id', '=', row.id).execute();
    return { ok: true as const, code: formatCode(code) };
  });
}

type CodeProblem = 'format' | 'typo' | 'unknown' | 'expired' | 'used' | 'move_out';

const CODE_MESSAGES: Record<CodeProblem, Text> = {
  format: {
    de: 'Der Code hat 10 Zeichen aus Ziffern und Buchstaben, zum Beispiel ABCDE-12345. Bitte prüfen Sie Ihre Eingabe.',
    en: 'The code has 10 characters, digits and letters, for example ABCDE-12345. Please check what you typed.',
  },
  typo: {
    de: 'Dieser Code enthält einen Tippfehler. Bitte vergleichen Sie ihn Zeichen für Zeichen mit dem Code Ihres Wohnungsgebers.',
    en: "This code contains a typing mistake. Please compare it character by character with your landlord's code.",
  },
  unknown: {
    de: 'Zu diesem Code gibt es keine Wohnungsgeberbestätigung. Bitte prüfen Sie den Code oder laden Sie stattdessen die unterschriebene Bestätigung auf Papier hoch.',
    en: 'There is no landlord confirmation with this code. Please check the code, or upload the signed paper confirmation instead.',
  },
  expired: {
    de: `Dieser Code ist abgelaufen (er gilt ${CODE_VALIDITY_DAYS} Tage). Bitten Sie Ihren Wohnungsgeber um eine neue Bestätigung oder laden Sie die unterschriebene Bestätigung auf Papier hoch.`,
    en: `This code has expired (it works for ${CODE_VALIDITY_DAYS} days). Ask your landlord for a new confirmation, or upload the signed paper confirmation.`,
  },
  used: {
    de: 'Dieser Code wurde schon für eine Anmeldung verwendet. Jeder Code gilt nur einmal. Bitten Sie Ihren Wohnungsgeber um eine neue Bestätigung.',
    en: 'This code has already been used for a registration. Each code works once. Ask your landlord for a new confirmation.',
  },
  move_out: {
    de: 'Dieser Code gehört zu einer Bestätigung eines Auszugs. Für die Anmeldung brauchen Sie eine Bestätigung des Einzugs.',
    en: 'This code belongs to a confirmation of a move-out. To register you need a confirmation of the move-in.',
  },
};

export interface UsableConfirmation {
  readonly id: string;
  readonly data: ConfirmationData;
  readonly confirmedAt: Date;
}

/** Whether the typed code names a confirmation that can be used now (not expired, not used, a move-in). */
async function checkCode(db: Kysely<Database>, typed: string, now: Date): Promise<{ ok: true; confirmation: UsableConfirmation } | { ok: false; problem: CodeProblem }> {
  const shape = codeShape(typed);
  if (shape === 'length' || shape === 'characters') return { ok: false, problem: 'format' };
  if (shape === 'typo') return { ok: false, problem: 'typo' };
  const row = await db.selectFrom('landlord_confirmations').select(['id', 'confirmation', 'confirmed_at', 'code_expires_at', 'used_by_case_id']).where('code_hash', '=', hashCode(typed)).executeTakeFirst();
  if (!row || !row.confirmation || !row.confirmed_at) return { ok: false, problem: 'unknown' };
  if (row.used_by_case_id) return { ok: false, problem: 'used' };
  if (!row.code_expires_at || row.code_expires_at.getTime() <= now.getTime()) return { ok: false, problem: 'expired' };
  const data = row.confirmation as unknown as ConfirmationData;
  if (data.movement !== 'move_in') return { ok: false, problem: 'move_out' };
  return { ok: true, confirmation: { id: row.id, data, confirmedAt: row.confirmed_at } };
}

const comparable = (s: string) => s.toLowerCase().replace(/straße/g, 'str').replace(/str\./g, 'str').replace(/[^a-z0-9äöü]/g, '');

/**
 * The page check of a registration that references a code (`FormPage.check`): the code must be
 * usable, and the confirmation must be for the flat and the move-in date the applicant named.
 * Errors stand at the code field, so what was typed is kept and the reason is told.
 */
export async function landlordCodeErrors(db: Kysely<Database>, data: FormData, now: Date, fields: { code: string; street: readonly string[]; postcode: string; moveInDate: string }): Promise<FieldError[]> {
  const typed = typeof data[fields.code] === 'string' ? (data[fields.code] as string) : '';
  if (typed.trim() === '') return [];
  const result = await checkCode(db, typed, now);
  if (!result.ok) return [{ field: fields.code, message: CODE_MESSAGES[result.problem] }];
  const c = result.confirmation.data;
  const at = (k: string) => (typeof data[k] === 'string' ? (data[k] as string) : '');
  if (c.flatPostcode !== at(fields.postcode).trim() || comparable(c.flatStreet) !== comparable(fields.street.map(at).join(' ')))
    return [
      {
        field: fields.code,
        message: {
          de: `Die Bestätigung zu diesem Code gilt für eine andere Wohnung (${c.flatStreet}, ${c.flatPostcode}). Bitte prüfen Sie die neue Anschrift oder den Code.`,
          en: `The confirmation with this code is for another flat (${c.flatStreet}, ${c.flatPostcode}). Please check the new address or the code.`,
        },
      },
    ];
  if (c.moveDate !== at(fields.moveInDate))
    return [
      {
        field: fields.code,
        message: {
          de: `Ihr Wohnungsgeber hat einen anderen Einzugstag bestätigt (${c.moveDate.split('-').reverse().join('.')}). Bitte prüfen Sie das Einzugsdatum oder den Code.`,
          en: `Your landlord confirmed a different move-in date (${c.moveDate}). Please check the move-in date or the code.`,
        },
      },
    ];
  return [];
}

/**
 * Binds the code to the registration that referenced it (once). Returns the confirmation, and
 * whether another case had already claimed it (two registrations racing with one code: the
 * clerk is told). Idempotent for the same case.
 */
export async function claimCode(db: Kysely<Database>, typed: string, caseId: string, now: Date): Promise<{ confirmation: UsableConfirmation; claimedByOther: boolean } | undefined> {
  if (codeShape(typed) !== 'ok') return undefined;
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('landlord_confirmations').select(['id', 'confirmation', 'confirmed_at', 'used_by_case_id']).where('code_hash', '=', hashCode(typed)).forUpdate().executeTakeFirst();
    if (!row || !row.confirmation || !row.confirmed_at) return undefined;
    if (!row.used_by_case_id) await trx.updateTable('landlord_confirmations').set({ used_by_case_id: caseId, used_at: now }).where('id', '=', row.id).execute();
    return {
      confirmation: { id: row.id, data: row.confirmation as unknown as ConfirmationData, confirmedAt: row.confirmed_at },
      claimedByOther: row.used_by_case_id !== null && row.used_by_case_id !== caseId,
    };
  });
}

/**
 * Housekeeping: requests whose link expired unconfirmed hold a landlord's address and the
 * tenant's flat for nothing; codes never used within their validity likewise. Used confirmations
 * stay: their content is in the case file.
 */
export async function purgeLandlordConfirmations(db: Kysely<Database>, now: Date): Promise<number> {
  const gone = await db
    .deleteFrom('landlord_confirmations')
    .where((eb) =>
      eb.or([
        eb.and([eb('confirmed_at', 'is', null), eb('invite_expires_at', '<', now)]),
        eb.and([eb('used_by_case_id', 'is', null), eb('code_expires_at', '<', now)]),
      ]),
    )
    .executeTakeFirst();
  return Number(gone.numDeletedRows);
}
