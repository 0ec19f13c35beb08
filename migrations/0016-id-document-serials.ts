import { sql, type Kysely } from 'kysely';

// Frozen in time: plain SQL, no application imports (STYLE.md §5).
// The serial number (Seriennummer / Dokumentennummer) of each ID card or passport ordered from the
// Bundesdruckerei, recorded when the clerk moves the application to "in production". A serial
// belongs to one card, so it is unique; a case has one card at a time (a re-order replaces it).
// Staff look cases up by it when the cards arrive (the bulk arrival page).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table id_document_serials (
      serial text primary key check (serial ~ '^[CFGHJKLMNPRTVWXYZ0-9]{9}$'),
      case_id uuid not null unique references cases(id),
      recorded_at timestamptz not null default now()
    );
  `.execute(db);
}
