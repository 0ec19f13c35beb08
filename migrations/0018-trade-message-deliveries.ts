import { sql, type Kysely } from 'kysely';

// Frozen in time: plain SQL, no application imports (STYLE.md §5).
// XGewerbeanzeige messages of accepted trade notices, one row per message and recipient. The
// row holds no personal data: the XML is built again from the case at every attempt, with the
// row's fixed message_uuid (nachrichtenUUID) and created_at, so a repeated delivery is the same
// message and the receiver can drop it. (case_id, event_id, recipient_id) is unique: planning the
// messages of one acceptance twice adds nothing.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table trade_message_deliveries (
      id uuid primary key default gen_random_uuid(),
      case_id uuid not null references cases(id),
      event_id bigint not null,
      notice_kind text not null check (notice_kind in ('anmeldung', 'ummeldung', 'abmeldung')),
      recipient_id text not null,
      recipient_kind text not null,
      recipient_name text not null,
      message_type text not null,
      message_uuid uuid not null unique,
      record_uuid uuid not null,
      status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
      attempts integer not null default 0 check (attempts >= 0),
      last_error text,
      last_attempt_at timestamptz,
      -- A lease: set while an attempt runs, so a manual retry and a scheduled one do not post at once.
      in_flight_since timestamptz,
      delivered_at timestamptz,
      sha256 text,
      created_at timestamptz not null default now(),
      unique (case_id, event_id, recipient_id)
    );
    create index trade_message_deliveries_case_idx on trade_message_deliveries (case_id, created_at);
    create index trade_message_deliveries_open_idx on trade_message_deliveries (status) where status <> 'delivered';
  `.execute(db);
}
