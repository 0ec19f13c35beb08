import { sql, type Kysely } from 'kysely';

// Frozen in time: plain SQL, no application imports (STYLE.md §5).
// Audit entries are first written to audit_pending without any lock; a sealer moves them into
// the hash chain (audit_log) in batches. See docs/adr/0005-audit-hash-chain.md.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table audit_pending (
      id bigint generated always as identity primary key,
      at timestamptz not null,
      actor_type text not null,
      actor_id text,
      action text not null,
      case_id uuid,
      details jsonb not null
    );
    create index audit_pending_case_idx on audit_pending (case_id);

    create view audit_entries as
      select id as chain_id, null::bigint as pending_id, at, actor_type, actor_id, action, case_id, details from audit_log
      union all
      select null::bigint, id, at, actor_type, actor_id, action, case_id, details from audit_pending;
  `.execute(db);
}
