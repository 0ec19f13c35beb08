import { sql, type Kysely } from 'kysely';

/**
 * Case numbers in blocks: the sequence advances by BLOCK (migration 0003), each call hands this
 * process the next BLOCK numbers, so a submission needs no sequence round trip 99 times in 100.
 * Numbers stay unique across processes; a restart leaves a gap, which references allow.
 */
const BLOCK = 100;

export class CaseNumbers {
  private next = 0;
  private end = 0;
  private refill: Promise<void> | undefined;

  constructor(private readonly db: Kysely<any>) {}

  async take(): Promise<number> {
    while (this.next >= this.end) {
      this.refill ??= sql<{ n: string }>`select nextval('case_number_seq')::text as n`
        .execute(this.db)
        .then(({ rows }) => {
          const first = Number(rows[0]!.n);
          this.next = first;
          this.end = first + BLOCK;
        })
        .finally(() => {
          this.refill = undefined;
        });
      await this.refill;
    }
    return this.next++;
  }
}
