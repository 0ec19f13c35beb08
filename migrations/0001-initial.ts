import { sql, type Kysely } from 'kysely';

// Frozen in time: plain SQL, no application imports (STYLE.md §5).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table departments (
      id text primary key,
      name_de text not null,
      name_en text not null,
      created_at timestamptz not null default now()
    );

    create table staff_users (
      id uuid primary key default gen_random_uuid(),
      username text not null unique,
      display_name text not null,
      email text,
      password_hash text not null,
      totp_secret text not null,
      totp_last_step bigint not null default 0,
      active boolean not null default true,
      failed_sign_ins integer not null default 0,
      locked_until timestamptz,
      created_at timestamptz not null default now()
    );

    create table role_grants (
      staff_user_id uuid not null references staff_users(id) on delete cascade,
      department_id text not null references departments(id),
      role text not null check (role in ('clerk', 'supervisor', 'department_admin', 'system_admin')),
      primary key (staff_user_id, department_id, role)
    );

    create table sessions (
      id_hash text primary key,
      kind text not null check (kind in ('visitor', 'staff')),
      staff_user_id uuid references staff_users(id) on delete cascade,
      second_factor_done boolean not null default false,
      data jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null
    );
    create index sessions_expires_idx on sessions (expires_at);

    create table drafts (
      id uuid primary key default gen_random_uuid(),
      session_id_hash text not null references sessions(id_hash) on delete cascade,
      service_id text not null,
      data jsonb not null default '{}'::jsonb,
      form_token uuid not null default gen_random_uuid(),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (session_id_hash, service_id)
    );

    create sequence case_number_seq;

    create table cases (
      id uuid primary key default gen_random_uuid(),
      reference text not null unique,
      access_code_hash text not null,
      service_id text not null,
      service_version integer not null,
      state text not null,
      department_id text not null references departments(id),
      assignee_id uuid references staff_users(id),
      applicant jsonb not null default '{}'::jsonb,
      form_data jsonb not null,
      submitted_at timestamptz not null default now(),
      due_at timestamptz,
      updated_at timestamptz not null default now(),
      version integer not null default 1
    );
    create index cases_inbox_idx on cases (department_id, state, due_at);
    create index cases_service_idx on cases (service_id);

    create table case_events (
      id bigint generated always as identity primary key,
      case_id uuid not null references cases(id),
      at timestamptz not null default now(),
      kind text not null check (kind in ('submitted', 'transition', 'note')),
      transition_id text,
      from_state text,
      to_state text,
      actor_type text not null check (actor_type in ('applicant', 'staff', 'system')),
      actor_id uuid,
      public boolean not null,
      payload jsonb not null default '{}'::jsonb
    );
    create index case_events_case_idx on case_events (case_id, id);

    create table idempotency_keys (
      scope text not null,
      key text not null,
      case_id uuid not null references cases(id),
      response jsonb not null,
      created_at timestamptz not null default now(),
      primary key (scope, key)
    );

    create table audit_log (
      id bigint primary key,
      at timestamptz not null,
      actor_type text not null,
      actor_id text,
      action text not null,
      case_id uuid,
      details jsonb not null,
      prev_hash text not null,
      hash text not null
    );
    create index audit_log_case_idx on audit_log (case_id);

    create table audit_chain_head (
      singleton boolean primary key default true check (singleton),
      last_id bigint not null,
      last_hash text not null
    );
    insert into audit_chain_head (last_id, last_hash) values (0, repeat('0', 64));

    create table mail_outbox (
      id uuid primary key default gen_random_uuid(),
      dedupe_key text not null unique,
      to_address text not null,
      subject text not null,
      text_body text not null,
      html_body text not null,
      transport text,
      created_at timestamptz not null default now(),
      sent_at timestamptz
    );
  `.execute(db);
}
