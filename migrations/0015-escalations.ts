import { sql, type Kysely } from 'kysely';

// Frozen in time: plain SQL, no application imports (STYLE.md §5).
// Escalations of overdue cases to the department's supervisors (ADR 0020). One row per overdue
// period: a case that stays overdue escalates once; entering a state again gives a new due date
// and so, if that passes too, a new escalation. The mail to the supervisors is a job of its own;
// it records how many it reached and when.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table case_escalations (
      id uuid primary key default gen_random_uuid(),
      case_id uuid not null references cases(id),
      state text not null,
      due_at timestamptz not null,
      escalated_at timestamptz not null,
      notified_supervisors integer not null default 0 check (notified_supervisors >= 0),
      notified_at timestamptz,
      unique (case_id, state, due_at)
    );
    create index case_escalations_escalated_idx on case_escalations (escalated_at);
    create index cases_due_idx on cases (due_at) where due_at is not null and closed_at is null;
  `.execute(db);
  // The timeline gets an internal 'escalation' event. Other migrations of the same release may
  // have widened the list of kinds as well, so the list is read from the constraint and extended
  // rather than written out again.
  await sql`
    do $$
    declare
      kinds text[];
    begin
      select array(select (regexp_matches(pg_get_constraintdef(c.oid), '''([a-z_]+)''', 'g'))[1])
        into kinds
        from pg_constraint c
       where c.conname = 'case_events_kind_check' and c.conrelid = 'case_events'::regclass;
      if not ('escalation' = any (kinds)) then
        kinds := kinds || array['escalation'];
      end if;
      alter table case_events drop constraint case_events_kind_check;
      execute format('alter table case_events add constraint case_events_kind_check check (kind = any (%L::text[]))', kinds);
    end
    $$;
  `.execute(db);
}
