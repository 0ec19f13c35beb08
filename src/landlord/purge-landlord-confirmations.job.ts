import type { Kysely } from 'kysely';
import type { JobDefinition } from '../platform/jobs/queue.ts';
import type { Database } from '../schema.ts';
import { purgeLandlordConfirmations } from './landlord-confirmations.ts';

/**
 * Hourly: unconfirmed requests whose link expired, and codes never used within their validity,
 * are deleted (they hold a landlord's address and a flat for nothing). Retry: 2 attempts a
 * minute apart; the next hour tries again anyway.
 */
const PURGE_LANDLORD_CONFIRMATIONS_JOB = 'landlord.purge';

export function purgeLandlordConfirmationsJob(deps: { db: Kysely<Database>; now: () => Date }): JobDefinition<Record<string, never>> {
  return {
    name: PURGE_LANDLORD_CONFIRMATIONS_JOB,
    cron: '23 * * * *',
    retry: { limit: 2, delaySeconds: 60, backoff: false },
    parse: () => ({}),
    async handle(_payload, { log }) {
      const deleted = await purgeLandlordConfirmations(deps.db, deps.now());
      log.info({ deleted }, 'landlord confirmations purged');
    },
  };
}
