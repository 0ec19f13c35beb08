import { sql, type Kysely } from 'kysely';

// Frozen in time: plain SQL, no application imports (STYLE.md §5).
// The E-Akte's documents (ADR 0012). One row per stored version: a new version is a new row with
// the same document_id and the next number, never an update of the bytes. The bytes live
// encrypted in the blob store under blob_key; wrapped_key is the document's data key wrapped by
// the master key master_key_id (re-wrapped by `npm run keys:rotate`, the only update allowed).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table documents (
      id uuid primary key default gen_random_uuid(),
      document_id uuid not null,
      version integer not null check (version >= 1),
      case_id uuid references cases(id),
      file_name text not null check (length(file_name) between 1 and 255),
      content_type text not null,
      size bigint not null check (size >= 0),
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      blob_sha256 text not null check (blob_sha256 ~ '^[0-9a-f]{64}$'),
      blob_key text not null unique,
      wrapped_key bytea not null,
      master_key_id text not null,
      created_by_type text not null check (created_by_type in ('applicant', 'staff', 'system')),
      created_by_id uuid,
      created_at timestamptz not null default now(),
      unique (document_id, version)
    );
    create index documents_case_idx on documents (case_id, document_id, version) where case_id is not null;
    create index documents_master_key_idx on documents (master_key_id);
  `.execute(db);
}
