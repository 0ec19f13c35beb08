import { sql, type Kysely } from 'kysely';

// Frozen in time: plain SQL, no application imports (STYLE.md §5).
// Appointments for the steps that must be done in person (ADR 0018).
// appointment_slots: one row per (service, location, start) that anyone ever booked. `booked`
// counts the bookings and offer holds on it; the check keeps it within the capacity, and a
// booking takes its place with `update … set booked = booked + 1 where … and booked < capacity`,
// so of two transactions racing for the last place exactly one gets a row back.
// appointment_bookings: the person's appointment. The link in the mail carries a token whose
// SHA-256 is manage_token_hash; the token is a capability and the page behind it asks nothing
// personal. e-mail is the only personal datum, blanked some weeks after the appointment.
// appointment_waitlist: people waiting for a place; a freed place is held for the first of them
// (a booking in status 'held' until offered_until).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table appointment_slots (
      id uuid primary key default gen_random_uuid(),
      service_id text not null,
      location_id text not null,
      starts_at timestamptz not null,
      ends_at timestamptz not null check (ends_at > starts_at),
      capacity integer not null check (capacity >= 1),
      booked integer not null default 0,
      constraint appointment_slots_within_capacity check (booked >= 0 and booked <= capacity),
      unique (service_id, location_id, starts_at)
    );
    create index appointment_slots_day_idx on appointment_slots (location_id, starts_at);

    create table appointment_bookings (
      id uuid primary key default gen_random_uuid(),
      service_id text not null,
      case_id uuid references cases(id),
      location_id text not null,
      slot_id uuid not null references appointment_slots(id),
      starts_at timestamptz not null,
      ends_at timestamptz not null check (ends_at > starts_at),
      status text not null check (status in ('held', 'booked', 'cancelled', 'expired', 'attended', 'no_show')),
      email text check (email is null or length(email) between 3 and 254),
      manage_token_hash text not null unique check (manage_token_hash ~ '^[0-9a-f]{64}$'),
      sequence integer not null default 0 check (sequence >= 0),
      held_until timestamptz,
      released_from text unique,
      created_at timestamptz not null default now(),
      cancelled_at timestamptz,
      attendance_by uuid references staff_users(id),
      constraint appointment_bookings_hold check (status <> 'held' or held_until is not null)
    );
    create index appointment_bookings_day_idx on appointment_bookings (location_id, starts_at) where status in ('held', 'booked', 'attended', 'no_show');
    create index appointment_bookings_reminder_idx on appointment_bookings (starts_at) where status = 'booked';
    create index appointment_bookings_case_idx on appointment_bookings (case_id) where case_id is not null;

    create table appointment_waitlist (
      id uuid primary key default gen_random_uuid(),
      service_id text not null,
      location_id text,
      day text check (day is null or day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      email text not null check (length(email) between 3 and 254),
      status text not null default 'waiting' check (status in ('waiting', 'offered', 'taken', 'expired')),
      offered_booking_id uuid references appointment_bookings(id),
      offered_until timestamptz,
      created_at timestamptz not null default now()
    );
    create index appointment_waitlist_queue_idx on appointment_waitlist (service_id, created_at) where status = 'waiting';
  `.execute(db);
}
