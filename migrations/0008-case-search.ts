import { sql, type Kysely } from 'kysely';

// Frozen in time: plain SQL, no application imports (STYLE.md §5).
// Full-text search over the E-Akte: one row per searchable text of a case (the form, a note, a
// document's text layer). Only the tsvector is stored — stemmed lexemes with positions, made by
// to_tsvector('german', …) — never the text itself: the documents are encrypted at rest (ADR
// 0012), and this index must not become a plaintext copy of them. A tsvector still reveals which
// words occur, so the rows go with their case (on delete cascade) and are read only through
// searches limited to the staff member's departments.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table case_search (
      id bigint generated always as identity primary key,
      case_id uuid not null references cases(id) on delete cascade,
      source text not null check (source in ('form', 'note', 'document')),
      source_id text not null check (length(source_id) between 1 and 200),
      tsv tsvector not null,
      unique (case_id, source, source_id)
    );
    create index case_search_tsv_idx on case_search using gin (tsv);
  `.execute(db);
}
