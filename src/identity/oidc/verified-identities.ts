import type { Kysely } from 'kysely';
import { appendAudit } from '../../efile/audit-chain.ts';
import type { Database } from '../../schema.ts';
import type { VerificationFailure, VerificationResult, VerifiedClaims } from './relying-party.ts';

/**
 * Verified identities: what an identity provider vouched for, one row per provider and subject,
 * linked to a citizen. The same person coming back (same provider, same subject) is the same
 * citizen; otherwise the identity joins the signed-in citizen's account, or starts a new one.
 * The audit log records that and how an identity was verified, never who it was.
 */
export async function recordVerifiedIdentity(db: Kysely<Database>, result: VerificationResult, signedInCitizenId: string | null): Promise<{ citizenId: string; verifiedIdentityId: string }> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('verified_identities').select(['id', 'citizen_id']).where('provider', '=', result.providerId).where('subject', '=', result.subject).forUpdate().executeTakeFirst();
    let citizenId = existing?.citizen_id ?? signedInCitizenId;
    const created = citizenId === null;
    const now = new Date();
    if (citizenId === null) {
      const row = await trx.insertInto('citizens').values({ email: null, display_name: null, last_sign_in_at: now }).returning('id').executeTakeFirstOrThrow();
      citizenId = row.id;
    } else {
      await trx.updateTable('citizens').set({ last_sign_in_at: now }).where('id', '=', citizenId).execute();
    }
    const saved = await trx
      .insertInto('verified_identities')
      .values({ citizen_id: citizenId, provider: result.providerId, subject: result.subject, level: result.level, claims: JSON.stringify(result.claims), verified_at: now })
      .onConflict((oc) => oc.columns(['provider', 'subject']).doUpdateSet({ level: result.level, claims: JSON.stringify(result.claims), verified_at: now }))
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      actorType: 'applicant',
      actorId: citizenId,
      action: 'identity.verified',
      caseId: null,
      details: { provider: result.providerId, level: result.level, citizenCreated: created, identityKnown: existing !== undefined },
    });
    return { citizenId, verifiedIdentityId: saved.id };
  });
}

export async function recordVerificationFailure(db: Kysely<Database>, providerId: string | undefined, reason: VerificationFailure, citizenId: string | null): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await appendAudit(trx, {
      actorType: citizenId ? 'applicant' : 'anonymous',
      actorId: citizenId,
      action: 'identity.verification_failed',
      caseId: null,
      details: { provider: providerId ?? null, reason },
    });
  });
}

export interface VerifiedIdentity {
  readonly id: string;
  readonly citizenId: string;
  readonly provider: string;
  readonly level: 'substantial' | 'high';
  readonly claims: VerifiedClaims;
  readonly verifiedAt: Date;
}

/** The verified identity a session was raised with, if it still belongs to the session's citizen. */
export async function loadVerifiedIdentity(db: Kysely<Database>, id: string, citizenId: string): Promise<VerifiedIdentity | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
  const row = await db.selectFrom('verified_identities').selectAll().where('id', '=', id).where('citizen_id', '=', citizenId).executeTakeFirst();
  return row ? { id: row.id, citizenId: row.citizen_id, provider: row.provider, level: row.level, claims: row.claims as VerifiedClaims, verifiedAt: row.verified_at } : undefined;
}
