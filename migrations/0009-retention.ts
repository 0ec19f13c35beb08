import { sql, type Kysely } from 'kysely';

// Frozen in time: plain SQL, no application imports (STYLE.md §5).
// Retention and legal hold (ADR 0015). A case is closed when it reaches a final state of its
// process; its retention period runs from closed_at. Which states are final is known only to the
// service definitions, which a migration must not import: existing closed cases keep closed_at
// null here and the daily retention job fills it in from the case's last transition.
// Erasure keeps the row (reference, service, state, dates) with its personal data blanked, and
// counts the erased case in retention_statistics, which holds no personal data at all.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table cases
      add column closed_at timestamptz,
      add column legal_hold_at timestamptz,
      add column legal_hold_by uuid references staff_users(id),
      add column legal_hold_reason text check (legal_hold_reason is null or length(legal_hold_reason) between 1 and 500),
      add column erased_at timestamptz,
      add constraint cases_legal_hold_complete check ((legal_hold_at is null) = (legal_hold_reason is null));
    create index cases_retention_due_idx on cases (closed_at) where erased_at is null and legal_hold_at is null and closed_at is not null;
    create index cases_legal_hold_idx on cases (department_id) where legal_hold_at is not null;

    create table retention_statistics (
      department_id text not null references departments(id),
      service_id text not null,
      closed_year integer not null,
      final_state text not null,
      erased_count integer not null default 0 check (erased_count >= 0),
      primary key (department_id, service_id, closed_year, final_state)
    );
  `.execute(db);
}
