import { sql, type Kysely } from 'kysely';

// Frozen in time: plain SQL, no application imports (STYLE.md §5).
// The Postfach: messages between the office and the applicant, per case, both ways; attachments
// are documents of the case file that point to their message. Requests for more information: a
// clerk names the fields and documents that are missing, with a note and a deadline; the answer
// (which fields changed, which documents came) is kept on the request.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table case_messages (
      id uuid primary key default gen_random_uuid(),
      case_id uuid not null references cases(id),
      direction text not null check (direction in ('to_applicant', 'from_applicant')),
      author_staff_id uuid references staff_users(id),
      body text not null check (length(body) between 1 and 5000),
      request_id uuid,
      created_at timestamptz not null default now(),
      read_at timestamptz
    );
    create index case_messages_case_idx on case_messages (case_id, created_at);
    create index case_messages_unread_idx on case_messages (case_id, direction) where read_at is null;
    alter table documents add column message_id uuid references case_messages(id);

    create table information_requests (
      id uuid primary key default gen_random_uuid(),
      case_id uuid not null references cases(id),
      requested_by uuid references staff_users(id),
      field_ids jsonb not null,
      documents jsonb not null,
      note text not null check (length(note) between 1 and 4000),
      due_at timestamptz not null,
      status text not null default 'open' check (status in ('open', 'answered', 'cancelled')),
      created_at timestamptz not null default now(),
      reminder_sent_at timestamptz,
      answered_at timestamptz,
      answer jsonb,
      check (jsonb_typeof(field_ids) = 'array' and jsonb_typeof(documents) = 'array'),
      check (jsonb_array_length(field_ids) + jsonb_array_length(documents) >= 1)
    );
    -- At most one open request per case: the citizen answers one list, not several.
    create unique index information_requests_open_idx on information_requests (case_id) where status = 'open';
    create index information_requests_due_idx on information_requests (due_at) where status = 'open';
  `.execute(db);
}
