import { sql, type Kysely } from 'kysely';

// Frozen in time: plain SQL, no application imports (STYLE.md §5).
// Wohnungsgeberbestätigungen given online (BMG § 19(4)). One row per confirmation, started by the
// tenant (a link mailed to the landlord: invite_token_hash is the SHA-256 of the token, the token
// itself is never stored) or by the landlord straight away (no invite). `request` holds what the
// tenant asked to be confirmed (flat address, move-in date), `confirmation` what the landlord
// confirmed (the contents BMG § 19(3) names). The code the landlord hands to the tenant is kept
// only as its SHA-256 (code_hash). used_by_case_id: the Wohnsitzanmeldung that referenced it; a
// code is used once.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table landlord_confirmations (
      id uuid primary key default gen_random_uuid(),
      started_by text not null check (started_by in ('tenant', 'landlord')),
      invite_token_hash text unique,
      invite_email text,
      invite_expires_at timestamptz,
      request jsonb not null default '{}'::jsonb,
      confirmation jsonb,
      confirmed_at timestamptz,
      code_hash text unique,
      code_expires_at timestamptz,
      used_by_case_id uuid references cases(id),
      used_at timestamptz,
      created_at timestamptz not null default now(),
      constraint landlord_confirmations_confirmed check ((confirmed_at is null) = (code_hash is null) and (confirmed_at is null) = (confirmation is null)),
      constraint landlord_confirmations_invite check (started_by = 'landlord' or (invite_token_hash is not null and invite_expires_at is not null))
    );
    create index landlord_confirmations_invite_email_idx on landlord_confirmations (invite_email, created_at) where invite_email is not null;
    create index landlord_confirmations_case_idx on landlord_confirmations (used_by_case_id) where used_by_case_id is not null;
  `.execute(db);
}
