import { sql, type Kysely } from 'kysely';

// Frozen in time: plain SQL, no application imports (STYLE.md §5).
// Notifications (ADR 0017): the channels a citizen chose (no row: every channel on), the browsers
// that subscribed to Web Push for the account, and one row per push delivered, so that a retried
// job never pushes the same notification to the same device twice. Everything goes with the account.
// Mails name the case they are about (mail_outbox.case_id), so that erasing a case (ADR 0015) finds
// every mail sent about it, whatever its dedupe key.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table notification_preferences (
      citizen_id uuid primary key references citizens(id) on delete cascade,
      email boolean not null default true,
      push boolean not null default true,
      updated_at timestamptz not null default now()
    );

    create table push_subscriptions (
      id uuid primary key default gen_random_uuid(),
      citizen_id uuid not null references citizens(id) on delete cascade,
      endpoint text not null unique check (endpoint like 'https://%' and length(endpoint) <= 1000),
      p256dh text not null check (length(p256dh) between 80 and 100),
      auth text not null check (length(auth) between 16 and 30),
      label text check (label is null or length(label) <= 100),
      created_at timestamptz not null default now(),
      last_success_at timestamptz,
      failures integer not null default 0
    );
    create index push_subscriptions_citizen_idx on push_subscriptions (citizen_id);

    create table push_deliveries (
      subscription_id uuid not null references push_subscriptions(id) on delete cascade,
      notification_key text not null,
      created_at timestamptz not null default now(),
      sent_at timestamptz,
      primary key (subscription_id, notification_key)
    );

    alter table mail_outbox add column case_id uuid;
    create index mail_outbox_case_idx on mail_outbox (case_id) where case_id is not null;
  `.execute(db);
}
