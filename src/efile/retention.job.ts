import type { Logger } from 'pino';
import type { JobDefinition } from '../platform/jobs/queue.ts';
import { backfillClosedAt, countRetentionDue, eraseCase, retentionDue, type RetentionDeps } from './retention.ts';

/**
 * The daily retention run (ADR 0015): fill in missing closing dates, count the files past their
 * retention period and — unless RETENTION_MODE is `list` (cities that first offer files to their
 * archive) — erase them in batches of RETENTION_BATCH, up to RETENTION_MAX_BATCHES per run; what is
 * left waits for the next day. Idempotent: every erasure re-checks its case under lock, so a
 * repeated or overlapping run erases nothing twice. The log carries counts only.
 * Retry: 3 attempts 10 minutes apart (about half an hour); the next daily run catches up anyway.
 */
const RETENTION_BATCH = 200;
const RETENTION_MAX_BATCHES = 50;

export interface RetentionRunResult {
  readonly closedAtFilled: number;
  readonly due: number;
  readonly erased: number;
  readonly skipped: number;
  readonly blobsLeft: number;
}

export async function runRetention(deps: RetentionDeps & { readonly mode: 'erase' | 'list' }, options: { batchSize?: number; maxBatches?: number } = {}): Promise<RetentionRunResult> {
  const batchSize = options.batchSize ?? RETENTION_BATCH;
  const maxBatches = options.maxBatches ?? RETENTION_MAX_BATCHES;
  const closedAtFilled = await backfillClosedAt(deps.db, deps.catalogue);
  const due = await countRetentionDue(deps.db, deps.catalogue, deps.now());
  let erased = 0;
  let skipped = 0;
  let blobsLeft = 0;
  if (deps.mode === 'erase') {
    for (let batch = 0; batch < maxBatches; batch++) {
      const cases = await retentionDue(deps.db, deps.catalogue, deps.now(), undefined, batchSize);
      let erasedNow = 0;
      for (const c of cases) {
        const outcome = await eraseCase(deps, c.id, { type: 'system' });
        if (outcome.erased) {
          erasedNow += 1;
          blobsLeft += outcome.blobsLeft;
        } else skipped += 1;
      }
      erased += erasedNow;
      // A short batch was the last; a batch that erased nothing would only repeat itself.
      if (cases.length < batchSize || erasedNow === 0) break;
    }
  }
  return { closedAtFilled, due, erased, skipped, blobsLeft };
}

export function retentionJob(deps: RetentionDeps & { readonly mode: 'erase' | 'list' }): JobDefinition<Record<string, never>> {
  return {
    name: 'retention',
    cron: '43 2 * * *',
    retry: { limit: 3, delaySeconds: 600, backoff: false },
    parse: () => ({}),
    async handle(_data, { log }: { log: Logger }) {
      const result = await runRetention(deps);
      log.info({ mode: deps.mode, ...result }, 'retention run done');
    },
  };
}
