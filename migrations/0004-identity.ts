import { sql, type Kysely } from 'kysely';

// Frozen in time: plain SQL, no application imports (STYLE.md §5).
// Citizens' accounts (passkeys, e-mail sign-in links), identities verified over OpenID Connect
// with their level, signed-in sessions with the level they reached, cases and drafts owned by
// an account, staff signing in through the city's directory (single sign-on).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table citizens (
      id uuid primary key default gen_random_uuid(),
      email text unique check (email = lower(email)),
      display_name text,
      created_at timestamptz not null default now(),
      last_sign_in_at timestamptz
    );

    create table citizen_passkeys (
      credential_id text primary key,
      citizen_id uuid not null references citizens(id) on delete cascade,
      public_key bytea not null,
      sign_count bigint not null default 0,
      transports text[] not null default '{}',
      device_type text,
      backed_up boolean not null default false,
      label text,
      created_at timestamptz not null default now(),
      last_used_at timestamptz
    );
    create index citizen_passkeys_citizen_idx on citizen_passkeys (citizen_id);

    create table email_sign_in_links (
      token_hash text primary key,
      email text not null,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index email_sign_in_links_expires_idx on email_sign_in_links (expires_at);

    create table verified_identities (
      id uuid primary key default gen_random_uuid(),
      citizen_id uuid not null references citizens(id) on delete cascade,
      provider text not null,
      subject text not null,
      level text not null check (level in ('substantial', 'high')),
      claims jsonb not null,
      verified_at timestamptz not null,
      unique (provider, subject)
    );
    create index verified_identities_citizen_idx on verified_identities (citizen_id, verified_at desc);

    alter table sessions drop constraint sessions_kind_check;
    alter table sessions add constraint sessions_kind_check check (kind in ('visitor', 'citizen', 'staff'));
    alter table sessions add column citizen_id uuid references citizens(id) on delete cascade;
    alter table sessions add column level text not null default 'none' check (level in ('none', 'basic', 'substantial', 'high'));
    alter table sessions add column level_at timestamptz;
    create index sessions_citizen_idx on sessions (citizen_id);
    create index sessions_staff_idx on sessions (staff_user_id);

    alter table cases add column citizen_id uuid references citizens(id) on delete set null;
    create index cases_citizen_idx on cases (citizen_id, submitted_at desc);

    -- A citizen's draft outlives the session it was started in (housekeeping removes anonymous
    -- drafts whose session is gone).
    alter table drafts alter column session_id_hash drop not null;
    alter table drafts drop constraint drafts_session_id_hash_fkey;
    alter table drafts add constraint drafts_session_id_hash_fkey foreign key (session_id_hash) references sessions(id_hash) on delete set null;
    alter table drafts add column citizen_id uuid references citizens(id) on delete cascade;
    create unique index drafts_citizen_service_idx on drafts (citizen_id, service_id);

    alter table staff_users alter column password_hash drop not null;
    alter table staff_users add column sso_provider text;
    alter table staff_users add column sso_subject text;
    create unique index staff_users_sso_idx on staff_users (sso_provider, sso_subject);
  `.execute(db);
}
