import { sql, type Kysely } from 'kysely';

// Frozen in time: plain SQL, no application imports (STYLE.md §5).
// Forwarding to an external receiving authority (ADR 0026). One delivery row per case event that
// is forwarded (the notice on submission, a later withdrawal): its status, how many attempts it
// took and the last error (a status code or "timeout", never a body), for the staff's case file.
// One answer row per answer the authority sent, keyed by the authority's own answer id, so an
// answer delivered twice moves the case once.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table authority_deliveries (
      id uuid primary key default gen_random_uuid(),
      case_id uuid not null references cases(id),
      event_id bigint not null references case_events(id),
      authority_id text not null,
      message_kind text not null check (message_kind in ('notice', 'withdrawal')),
      status text not null default 'pending' check (status in ('pending', 'retrying', 'delivered', 'failed', 'cancelled')),
      attempts integer not null default 0 check (attempts >= 0),
      last_error text,
      created_at timestamptz not null default now(),
      last_attempt_at timestamptz,
      delivered_at timestamptz,
      unique (case_id, event_id)
    );
    create index authority_deliveries_case_idx on authority_deliveries (case_id, created_at);

    create table authority_answers (
      id uuid primary key default gen_random_uuid(),
      authority_id text not null,
      answer_id text not null,
      case_id uuid not null references cases(id),
      kind text not null,
      received_at timestamptz not null,
      case_event_id bigint references case_events(id),
      unique (authority_id, answer_id)
    );
    create index authority_answers_case_idx on authority_answers (case_id);
  `.execute(db);
}
