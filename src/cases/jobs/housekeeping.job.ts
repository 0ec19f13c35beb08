import type { Kysely } from 'kysely';
import type { BlobStore } from '../../efile/blob-store.ts';
import { purgeUnusedUploads } from '../../efile/case-documents.ts';
import { purgeSignInLinks } from '../../identity/email-link.ts';
import { purgeExpiredSessions } from '../../identity/sessions.ts';
import type { JobDefinition } from '../../platform/jobs/queue.ts';
import type { Database } from '../../schema.ts';

/**
 * Hourly data minimisation: expired sessions, abandoned drafts (personal data typed but never sent,
 * kept 7 days), idempotency answers older than 24 hours (they hold access codes for replays) and
 * e-mail sign-in links an hour past their expiry (they hold an address), and files uploaded to
 * forms whose draft is gone.
 * Retry: 3 attempts a minute apart; the next hourly run catches up anyway.
 */
const DRAFT_DAYS = 7;
const IDEMPOTENCY_HOURS = 24;

export async function housekeeping(db: Kysely<Database>, now: Date, blobs?: BlobStore): Promise<{ sessions: number; drafts: number; idempotencyKeys: number; signInLinks: number; uploads: number }> {
  const sessions = await purgeExpiredSessions(db);
  const drafts = await db
    .deleteFrom('drafts')
    .where((eb) =>
      eb.or([
        eb('updated_at', '<', new Date(now.getTime() - DRAFT_DAYS * 24 * 3600_000)),
        // an anonymous draft whose session has ended can never be reached again
        eb.and([eb('session_id_hash', 'is', null), eb('citizen_id', 'is', null)]),
      ]),
    )
    .executeTakeFirst();
  const keys = await db.deleteFrom('idempotency_keys').where('created_at', '<', new Date(now.getTime() - IDEMPOTENCY_HOURS * 3600_000)).executeTakeFirst();
  const signInLinks = await purgeSignInLinks(db, now);
  // Files uploaded to forms that were abandoned (their draft is gone): never sent, so removed.
  const uploads = blobs ? await purgeUnusedUploads(db, blobs) : 0;
  return { sessions, drafts: Number(drafts.numDeletedRows), idempotencyKeys: Number(keys.numDeletedRows), signInLinks, uploads };
}

export function housekeepingJob(deps: { db: Kysely<Database>; now: () => Date; blobs: BlobStore }): JobDefinition<Record<string, never>> {
  return {
    name: 'housekeeping',
    cron: '17 * * * *',
    retry: { limit: 3, delaySeconds: 60, backoff: false },
    parse: () => ({}),
    async handle(_data, { log }) {
      const removed = await housekeeping(deps.db, deps.now(), deps.blobs);
      log.info(removed, 'housekeeping done');
    },
  };
}
