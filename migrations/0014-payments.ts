import { sql, type Kysely } from 'kysely';

// Frozen in time: plain SQL, no application imports (STYLE.md §5).
// Fees paid online (ADR 0019). A payment is one checkout at one provider for one case's fee;
// `items` holds the fee's labels and amounts (no personal data). payment_events records every
// provider event once: the unique (provider, provider_event_id) makes a replayed webhook a no-op.
// payment_refunds holds each refund a clerk asked for; refunded_cents grows only when the
// provider confirms one. At most one open checkout per case; a second payment that arrives anyway
// (a checkout paid after it was given up) is recorded as paid, for the office to refund.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table payments (
      id uuid primary key default gen_random_uuid(),
      case_id uuid not null references cases(id),
      amount_cents integer not null check (amount_cents > 0),
      currency text not null default 'EUR' check (currency = 'EUR'),
      status text not null default 'created'
        check (status in ('created', 'pending', 'paid', 'failed', 'cancelled', 'refunded', 'partially_refunded')),
      provider text not null,
      provider_payment_id text,
      checkout_url text,
      items jsonb not null default '[]',
      created_at timestamptz not null default now(),
      paid_at timestamptz,
      refunded_cents integer not null default 0 check (refunded_cents >= 0 and refunded_cents <= amount_cents),
      receipt_document_id uuid,
      unique (provider, provider_payment_id)
    );
    create index payments_case_idx on payments (case_id, created_at);
    create unique index payments_one_open_per_case on payments (case_id) where status in ('created', 'pending');

    create table payment_events (
      id bigint generated always as identity primary key,
      payment_id uuid not null references payments(id),
      provider text not null,
      provider_event_id text not null,
      kind text not null,
      received_at timestamptz not null default now(),
      unique (provider, provider_event_id)
    );
    create index payment_events_payment_idx on payment_events (payment_id);

    create table payment_refunds (
      id uuid primary key default gen_random_uuid(),
      payment_id uuid not null references payments(id),
      amount_cents integer not null check (amount_cents > 0),
      status text not null default 'requested' check (status in ('requested', 'succeeded', 'failed')),
      reason text not null check (length(reason) between 1 and 500),
      requested_by uuid not null references staff_users(id),
      provider_refund_id text,
      created_at timestamptz not null default now(),
      completed_at timestamptz
    );
    create index payment_refunds_payment_idx on payment_refunds (payment_id);
  `.execute(db);
}
