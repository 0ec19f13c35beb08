import { randomUUID } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { sql, type Kysely } from 'kysely';
import { appendAudit } from '../efile/audit-chain.ts';
import type { Bilingual } from '../platform/errors.ts';
import type { Database } from '../schema.ts';
import { recordSignIn } from './citizens.ts';

/**
 * Passkeys (WebAuthn) for citizens' accounts. The relying party is this site: its ID is the host
 * name of PUBLIC_URL and responses must come from exactly that origin. User verification (PIN,
 * fingerprint, face) is required, so a passkey alone is "something you have" plus "something you
 * know or are". The challenge lives in the server-side session between the two steps and is used
 * once. Sign-in uses discoverable credentials: no user name is typed, the authenticator offers
 * the accounts it holds for this site.
 */
/** @simplewebauthn/server (with @peculiar/* and its ASN.1 schemas) loads at the first passkey ceremony (ADR 0026). */
let webauthn: Promise<typeof import('@simplewebauthn/server')> | undefined;
const loadWebauthn = () => (webauthn ??= import('@simplewebauthn/server'));

export interface RelyingParty {
  readonly id: string;
  readonly origin: string;
  readonly name: string;
}

export function relyingParty(publicUrl: string, name = 'Amtsweg'): RelyingParty {
  const url = new URL(publicUrl);
  return { id: url.hostname, origin: url.origin, name };
}

/** The ceremony in progress, kept in the session's data (challenge and, for a new account, its id-to-be). */
export interface PendingCeremony {
  readonly type: 'register' | 'authenticate';
  readonly challenge: string;
  readonly userId?: string;
  readonly at: number;
}

/** A ceremony must be finished within five minutes of asking for its options. */
const CEREMONY_MS = 5 * 60_000;

export class PasskeyError extends Error {
  constructor(readonly userMessage: Bilingual) {
    super(userMessage.en);
  }
}

const FAILED: Bilingual = {
  de: 'Der Passkey konnte nicht geprüft werden. Bitte versuchen Sie es noch einmal oder melden Sie sich mit einem Link per E-Mail an.',
  en: 'The passkey could not be checked. Please try again, or sign in with a link by email.',
};
const STALE: Bilingual = {
  de: 'Die Anfrage ist abgelaufen. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.',
  en: 'The request has expired. Please reload the page and try again.',
};
const UNKNOWN_PASSKEY: Bilingual = {
  de: 'Diesen Passkey kennen wir nicht. Vielleicht wurde er entfernt oder das Konto gelöscht. Legen Sie ein neues Konto an oder melden Sie sich mit einem Link per E-Mail an.',
  en: 'We do not know this passkey. It may have been removed or its account deleted. Create a new account or sign in with a link by email.',
};

const userIdBytes = (id: string) => new TextEncoder().encode(id);

function fresh(pending: PendingCeremony | undefined, type: PendingCeremony['type'], now: number): PendingCeremony {
  if (!pending || pending.type !== type || typeof pending.challenge !== 'string' || now - pending.at > CEREMONY_MS) throw new PasskeyError(STALE);
  return pending;
}

/** Options to create a passkey: for a new account (no `citizenId`) or another one for an existing account. */
export async function registrationOptions(
  db: Kysely<Database>,
  rp: RelyingParty,
  citizenId: string | undefined,
): Promise<{ options: PublicKeyCredentialCreationOptionsJSON; pending: PendingCeremony }> {
  const userId = citizenId ?? randomUUID();
  const existing = citizenId ? await db.selectFrom('citizen_passkeys').select(['credential_id', 'transports']).where('citizen_id', '=', citizenId).execute() : [];
  const email = citizenId ? (await db.selectFrom('citizens').select('email').where('id', '=', citizenId).executeTakeFirst())?.email : undefined;
  const { generateRegistrationOptions } = await loadWebauthn();
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userID: userIdBytes(userId),
    // What the authenticator shows in its account list; no personal data unless the account has an address.
    userName: email ?? `amtsweg-${userId.slice(0, 8)}`,
    userDisplayName: email ?? 'Amtsweg',
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({ id: c.credential_id, transports: c.transports })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
  return { options, pending: { type: 'register', challenge: options.challenge, userId, at: Date.now() } };
}

/**
 * Verifies the new passkey and stores it. Without `citizenId` it creates the account (the id
 * promised in the options) and signs it up; with one, it adds the passkey to that account.
 */
export async function finishRegistration(
  db: Kysely<Database>,
  rp: RelyingParty,
  pendingInput: PendingCeremony | undefined,
  response: RegistrationResponseJSON,
  citizenId: string | undefined,
): Promise<{ citizenId: string; created: boolean }> {
  const pending = fresh(pendingInput, 'register', Date.now());
  if (citizenId && pending.userId !== citizenId) throw new PasskeyError(STALE);
  let verification;
  try {
    verification = await (await loadWebauthn()).verifyRegistrationResponse({ response, expectedChallenge: pending.challenge, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification: true });
  } catch {
    throw new PasskeyError(FAILED);
  }
  if (!verification.verified) throw new PasskeyError(FAILED);
  const { credential, credentialDeviceType, credentialBackedUp } = verification.registrationInfo;
  const owner = citizenId ?? pending.userId;
  if (!owner) throw new PasskeyError(STALE);
  return db.transaction().execute(async (trx) => {
    const created = !citizenId;
    if (created) await trx.insertInto('citizens').values({ id: owner }).execute();
    const stored = await trx
      .insertInto('citizen_passkeys')
      .values({
        credential_id: credential.id,
        citizen_id: owner,
        public_key: credential.publicKey,
        sign_count: credential.counter,
        transports: credential.transports ?? [],
        device_type: credentialDeviceType,
        backed_up: credentialBackedUp,
      })
      .onConflict((oc) => oc.column('credential_id').doNothing())
      .returning('credential_id')
      .executeTakeFirst();
    if (!stored) throw new PasskeyError({ de: 'Dieser Passkey ist schon gespeichert.', en: 'This passkey is already saved.' });
    if (created) await recordSignIn(trx, owner, 'passkey', true);
    else await appendAudit(trx, { actorType: 'applicant', actorId: owner, action: 'citizen.passkey_added', caseId: null, details: {} });
    return { citizenId: owner, created };
  });
}

export async function authenticationOptions(rp: RelyingParty): Promise<{ options: PublicKeyCredentialRequestOptionsJSON; pending: PendingCeremony }> {
  const { generateAuthenticationOptions } = await loadWebauthn();
  const options = await generateAuthenticationOptions({ rpID: rp.id, userVerification: 'required', allowCredentials: [] });
  return { options, pending: { type: 'authenticate', challenge: options.challenge, at: Date.now() } };
}

/** Verifies a sign-in with a passkey; returns its account. */
export async function finishAuthentication(db: Kysely<Database>, rp: RelyingParty, pendingInput: PendingCeremony | undefined, response: AuthenticationResponseJSON): Promise<{ citizenId: string }> {
  const pending = fresh(pendingInput, 'authenticate', Date.now());
  if (typeof response?.id !== 'string' || response.id.length > 1024) throw new PasskeyError(FAILED);
  const row = await db.selectFrom('citizen_passkeys').selectAll().where('credential_id', '=', response.id).executeTakeFirst();
  if (!row) throw new PasskeyError(UNKNOWN_PASSKEY);
  let verification;
  try {
    verification = await (await loadWebauthn()).verifyAuthenticationResponse({
      response,
      expectedChallenge: pending.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: { id: row.credential_id, publicKey: new Uint8Array(row.public_key), counter: Number(row.sign_count), transports: row.transports },
      requireUserVerification: true,
    });
  } catch {
    throw new PasskeyError(FAILED);
  }
  if (!verification.verified) throw new PasskeyError(FAILED);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('citizen_passkeys')
      .set({ sign_count: verification.authenticationInfo.newCounter, last_used_at: new Date(), backed_up: verification.authenticationInfo.credentialBackedUp })
      .where('credential_id', '=', row.credential_id)
      .execute();
    await recordSignIn(trx, row.citizen_id, 'passkey', false);
  });
  return { citizenId: row.citizen_id };
}

/**
 * Removes one of the account's passkeys, unless it is the last way to sign in (no e-mail
 * address and no other passkey). The condition is part of the statement, so two removals at
 * once cannot both succeed.
 */
export async function removePasskey(db: Kysely<Database>, citizenId: string, credentialId: string): Promise<'removed' | 'last' | 'unknown'> {
  return db.transaction().execute(async (trx) => {
    // Lock the account row: concurrent removals of its passkeys queue here.
    const citizen = await trx.selectFrom('citizens').select(['id', 'email']).where('id', '=', citizenId).forUpdate().executeTakeFirst();
    if (!citizen) return 'unknown';
    const r = await trx
      .deleteFrom('citizen_passkeys')
      .where('credential_id', '=', credentialId)
      .where('citizen_id', '=', citizenId)
      .where((eb) =>
        eb.or([
          eb.exists(eb.selectFrom('citizens').select('id').where('id', '=', citizenId).where('email', 'is not', null)),
          eb(eb.selectFrom('citizen_passkeys').select(sql<number>`count(*)::int`.as('n')).where('citizen_id', '=', citizenId), '>', 1),
        ]),
      )
      .executeTakeFirst();
    if (Number(r.numDeletedRows) === 1) {
      await appendAudit(trx, { actorType: 'applicant', actorId: citizenId, action: 'citizen.passkey_removed', caseId: null, details: {} });
      return 'removed';
    }
    const exists = await trx.selectFrom('citizen_passkeys').select('credential_id').where('credential_id', '=', credentialId).where('citizen_id', '=', citizenId).executeTakeFirst();
    return exists ? 'last' : 'unknown';
  });
}
