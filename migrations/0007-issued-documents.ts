import { sql, type Kysely } from 'kysely';

// Frozen in time: plain SQL, no application imports (STYLE.md §5).
// Sealed PDFs the office issued (ADR 0013): receipts and decisions. The id is the public
// verification id printed as a QR code on the document; the row holds nothing personal, so the
// verification page can show it to anyone: kind, title, issuing department, date and the SHA-256
// of the sealed file. The PDF itself is an E-Akte document (documents.document_id).
// One document per case, template and triggering event (0 when issued without one): a job that
// runs twice issues once.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table issued_documents (
      id uuid primary key,
      case_id uuid not null references cases(id),
      document_id uuid not null,
      event_id bigint references case_events(id),
      kind text not null check (kind in ('receipt', 'decision')),
      template_id text not null check (template_id ~ '^[a-z][a-zA-Z0-9_-]*$'),
      title_de text not null check (length(title_de) between 1 and 300),
      title_en text not null check (length(title_en) between 1 and 300),
      department_id text not null references departments(id),
      issued_at timestamptz not null,
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$')
    );
    create unique index issued_documents_once_idx on issued_documents (case_id, template_id, coalesce(event_id, 0));
    create index issued_documents_document_idx on issued_documents (document_id);
  `.execute(db);
}
