import { sql, type Kysely } from 'kysely';

// Frozen in time: plain SQL, no application imports (STYLE.md §5).
// Assigning a case to a staff member is a timeline event of its own (internal, never public).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table case_events drop constraint case_events_kind_check;
    alter table case_events add constraint case_events_kind_check check (kind in ('submitted', 'transition', 'note', 'assignment'));
    create index cases_assignee_idx on cases (assignee_id) where assignee_id is not null;
  `.execute(db);
}
