import { sql, type Kysely } from 'kysely';

// Frozen in time: plain SQL, no application imports (STYLE.md §5).
// Each process takes case numbers in blocks of 100 (one sequence call per 100 submissions).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter sequence case_number_seq increment by 100`.execute(db);
}
