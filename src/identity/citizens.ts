import type { Kysely, Transaction } from 'kysely';
import { appendAudit } from '../efile/audit-chain.ts';
import type { FieldProblem } from '../platform/errors.ts';
import type { Database } from '../schema.ts';

/**
 * Citizens' accounts (Basisregistrierung): an account is reached with a passkey or a one-time
 * link to its e-mail address; it holds no name or address of its own (those come, verified,
 * from an identity provider). Audit entries name the account id and the method, never the address.
 */
export type SignInMethod = 'passkey' | 'email_link';

const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]{2,}$/;

/** The address as stored (trimmed, lower case), or a field problem the person can act on. */
export function parseEmail(input: string): { email: string } | { problem: FieldProblem } {
  const email = input.trim().toLowerCase();
  if (email === '') return { problem: { field: 'email', message: { de: 'Bitte geben Sie Ihre E-Mail-Adresse an.', en: 'Enter your email address.' } } };
  if (email.length > 254 || !EMAIL.test(email))
    return { problem: { field: 'email', message: { de: 'Bitte geben Sie eine E-Mail-Adresse in der Form name@beispiel.de an.', en: 'Enter an email address in the form name@example.com.' } } };
  return { email };
}

/** The account of this address, created on first sign-in. */
export async function findOrCreateCitizenByEmail(trx: Transaction<Database>, email: string): Promise<{ id: string; created: boolean }> {
  const inserted = await trx.insertInto('citizens').values({ email }).onConflict((oc) => oc.column('email').doNothing()).returning('id').executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const row = await trx.selectFrom('citizens').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  return { id: row.id, created: false };
}

/** Marks a completed sign-in: last sign-in time and an audit entry (inside the caller's transaction). */
export async function recordSignIn(trx: Transaction<Database>, citizenId: string, method: SignInMethod, created: boolean): Promise<void> {
  await trx.updateTable('citizens').set({ last_sign_in_at: new Date() }).where('id', '=', citizenId).execute();
  await appendAudit(trx, { actorType: 'applicant', actorId: citizenId, action: created ? 'citizen.signed_up' : 'citizen.signed_in', caseId: null, details: { method } });
}

export async function recordSignOut(db: Kysely<Database>, citizenId: string, everywhere: boolean): Promise<void> {
  await db.transaction().execute((trx) => appendAudit(trx, { actorType: 'applicant', actorId: citizenId, action: 'citizen.signed_out', caseId: null, details: { everywhere } }));
}

export interface AccountView {
  readonly id: string;
  readonly email: string | null;
  readonly createdAt: Date;
  readonly passkeys: ReadonlyArray<{ credentialId: string; label: string | null; createdAt: Date; lastUsedAt: Date | null }>;
  readonly identities: ReadonlyArray<{ provider: string; level: 'substantial' | 'high'; verifiedAt: Date }>;
}

export async function loadAccount(db: Kysely<Database>, citizenId: string): Promise<AccountView | undefined> {
  const citizen = await db.selectFrom('citizens').select(['id', 'email', 'created_at']).where('id', '=', citizenId).executeTakeFirst();
  if (!citizen) return undefined;
  const passkeys = await db
    .selectFrom('citizen_passkeys')
    .select(['credential_id', 'label', 'created_at', 'last_used_at'])
    .where('citizen_id', '=', citizenId)
    .orderBy('created_at')
    .execute();
  const identities = await db.selectFrom('verified_identities').select(['provider', 'level', 'verified_at']).where('citizen_id', '=', citizenId).orderBy('verified_at', 'desc').execute();
  return {
    id: citizen.id,
    email: citizen.email,
    createdAt: citizen.created_at,
    passkeys: passkeys.map((p) => ({ credentialId: p.credential_id, label: p.label, createdAt: p.created_at, lastUsedAt: p.last_used_at })),
    identities: identities.map((i) => ({ provider: i.provider, level: i.level, verifiedAt: i.verified_at })),
  };
}

/**
 * Deletes the account: the row goes, and with it (foreign keys) passkeys, verified identities,
 * sessions and drafts. Cases stay with the office; their `citizen_id` becomes null.
 */
export async function deleteCitizen(db: Kysely<Database>, citizenId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const cases = await trx.selectFrom('cases').select((eb) => eb.fn.countAll<string>().as('n')).where('citizen_id', '=', citizenId).executeTakeFirstOrThrow();
    await appendAudit(trx, { actorType: 'applicant', actorId: citizenId, action: 'citizen.deleted', caseId: null, details: { casesKept: Number(cases.n) } });
    await trx.deleteFrom('citizens').where('id', '=', citizenId).execute();
  });
}
