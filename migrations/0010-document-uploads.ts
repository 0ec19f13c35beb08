import { sql, type Kysely } from 'kysely';

// Frozen in time: plain SQL, no application imports (STYLE.md §5).
// Uploads in forms (issue 4 item 3): a file uploaded while the form is still a draft is stored
// at once (encrypted, like every document) and belongs to that draft until the case is submitted;
// then it moves to the case. field_id names the form field (or is null for a staff upload such as
// scanned incoming mail); title is an optional staff label ("Posteingang vom 3. Mai").
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table documents add column draft_id uuid;
    alter table documents add column field_id text check (field_id is null or length(field_id) between 1 and 100);
    alter table documents add column title text check (title is null or length(title) between 1 and 200);
    alter table documents add constraint documents_owner_check check (case_id is null or draft_id is null);
    create index documents_draft_idx on documents (draft_id) where draft_id is not null;
  `.execute(db);
}
