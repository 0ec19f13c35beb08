import type { Kysely } from 'kysely';
import type { FormData } from '../catalogue/service-definition.ts';
import type { Database } from '../schema.ts';

/**
 * Unsent form answers, kept server-side per visitor session and service, so a multi-page form
 * works without JavaScript and nothing personal travels in URLs. The form token is the
 * idempotency key of the eventual submission.
 */
export interface Draft {
  readonly id: string;
  readonly data: FormData;
  readonly formToken: string;
}

export async function loadDraft(db: Kysely<Database>, sessionIdHash: string, serviceId: string): Promise<Draft | undefined> {
  const row = await db.selectFrom('drafts').select(['id', 'data', 'form_token']).where('session_id_hash', '=', sessionIdHash).where('service_id', '=', serviceId).executeTakeFirst();
  return row ? { id: row.id, data: row.data as FormData, formToken: row.form_token } : undefined;
}

/**
 * Merges one page's answers into the draft (creating it on first save). With `citizenId` (signed
 * in) the draft belongs to the account: one per service, and it moves to the session in use.
 */
export async function saveDraftPage(db: Kysely<Database>, sessionIdHash: string, serviceId: string, pageFieldIds: readonly string[], values: FormData, citizenId?: string): Promise<Draft> {
  return db.transaction().execute(async (trx) => {
    const existing =
      (await trx.selectFrom('drafts').select(['id', 'data', 'form_token']).where('session_id_hash', '=', sessionIdHash).where('service_id', '=', serviceId).forUpdate().executeTakeFirst()) ??
      (citizenId ? await trx.selectFrom('drafts').select(['id', 'data', 'form_token']).where('citizen_id', '=', citizenId).where('service_id', '=', serviceId).forUpdate().executeTakeFirst() : undefined);
    const data: FormData = { ...((existing?.data as FormData | undefined) ?? {}) };
    for (const id of pageFieldIds) delete data[id];
    Object.assign(data, values);
    if (existing) {
      await trx
        .updateTable('drafts')
        .set({ data: JSON.stringify(data), updated_at: new Date(), ...(citizenId ? { session_id_hash: sessionIdHash, citizen_id: citizenId } : {}) })
        .where('id', '=', existing.id)
        .execute();
      return { id: existing.id, data, formToken: existing.form_token };
    }
    const created = await trx
      .insertInto('drafts')
      .values({ session_id_hash: sessionIdHash, service_id: serviceId, data: JSON.stringify(data), citizen_id: citizenId ?? null })
      .returning(['id', 'form_token'])
      .executeTakeFirstOrThrow();
    return { id: created.id, data, formToken: created.form_token };
  });
}

export async function deleteDraft(db: Kysely<Database>, draftId: string): Promise<void> {
  await db.deleteFrom('drafts').where('id', '=', draftId).execute();
}
