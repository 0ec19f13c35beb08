import type { Kysely } from 'kysely';
import { IntegrityError } from '../platform/errors.ts';
import type { Database } from '../schema.ts';
import { MasterKeyMissingError, type MasterKeyring } from './document-crypto.ts';

export interface RotationReport {
  /** Documents (versions) in the table. */
  readonly total: number;
  /** Re-wrapped with the current master key in this run. */
  readonly rewrapped: number;
  /** Already under the current key before this run. */
  readonly alreadyCurrent: number;
  /** Rows whose master key is not configured, by key id: they stay as they are. */
  readonly missingKey: Readonly<Record<string, number>>;
  /** Rows whose wrapped key failed its check (changed in the database): their ids. */
  readonly damaged: readonly string[];
}

/**
 * Re-wraps every document's data key with the keyring's current (first) master key, in batches of
 * `batchSize`, one transaction per batch. Blobs are not touched: the data keys stay the same.
 * Idempotent: rows already under the current key are skipped, so a second run (or a run after an
 * interruption) does only what is left. Each update is conditional on the key id it read, so a
 * concurrent run cannot wrap twice.
 */
export async function rewrapDocumentKeys(db: Kysely<Database>, keyring: MasterKeyring, options: { batchSize?: number; onBatch?: (done: number) => void } = {}): Promise<RotationReport> {
  const batchSize = options.batchSize ?? 500;
  const current = keyring.currentId;
  const count = async (currentOnly: boolean) => {
    let q = db.selectFrom('documents').select((eb) => eb.fn.countAll<string>().as('n'));
    if (currentOnly) q = q.where('master_key_id', '=', current);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };
  const alreadyCurrent = await count(true);
  let rewrapped = 0;
  const missingKey: Record<string, number> = {};
  const damaged: string[] = [];
  let cursor = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('documents')
        .select(['id', 'master_key_id', 'wrapped_key'])
        .where('master_key_id', '<>', current)
        .where('id', '>', cursor)
        .orderBy('id')
        .limit(batchSize)
        .forUpdate()
        .execute();
      for (const row of rows) {
        cursor = row.id;
        let dataKey: Buffer;
        try {
          dataKey = keyring.unwrap(row.master_key_id, row.wrapped_key, row.id);
        } catch (err) {
          if (err instanceof MasterKeyMissingError) missingKey[err.keyId] = (missingKey[err.keyId] ?? 0) + 1;
          else if (err instanceof IntegrityError) damaged.push(row.id);
          else throw err;
          continue;
        }
        const { keyId, wrapped } = keyring.wrap(dataKey, row.id);
        dataKey.fill(0);
        const result = await trx.updateTable('documents').set({ wrapped_key: wrapped, master_key_id: keyId }).where('id', '=', row.id).where('master_key_id', '=', row.master_key_id).executeTakeFirst();
        rewrapped += Number(result.numUpdatedRows);
      }
      return rows.length < batchSize;
    });
    options.onBatch?.(rewrapped);
    if (done) break;
  }
  return { total: await count(false), rewrapped, alreadyCurrent, missingKey, damaged };
}
