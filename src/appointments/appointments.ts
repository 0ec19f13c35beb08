import { createHash, createHmac, randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { CityLocation } from '../catalogue/city.ts';
import type { Catalogue } from '../catalogue/registry.ts';
import type { AppointmentSettings, ServiceDefinition, Text } from '../catalogue/service-definition.ts';
import { appendAudit } from '../efile/audit-chain.ts';
import { departmentsWith, type Grants } from '../identity/permissions.ts';
import { enqueueNotification, NOTIFY_JOB } from '../notifications/notify.ts';
import { ConflictError, NotFoundError, ValidationError, type FieldProblem } from '../platform/errors.ts';
import { isCalendarDate, zonedInstant, zonedToday } from '../platform/i18n/time.ts';
import type { JobQueue } from '../platform/jobs/queue.ts';
import type { AppointmentStatus, Database } from '../schema.ts';
import { addDays, bookableDays, bookableSlotsOfDay, type SlotTime } from './slots.ts';

/**
 * Appointments (ADR 0018): free places, booking, rebooking, cancelling, the waitlist and the
 * staff's day. Every place is counted in `appointment_slots.booked`; a booking takes it with a
 * conditional update (`booked < capacity`) inside its transaction, so on PostgreSQL two people
 * racing for the last place cannot both get it: the row lock serialises them and the loser's
 * update finds no row.
 */
export interface AppointmentDeps {
  readonly db: Kysely<Database>;
  readonly jobs: JobQueue;
  readonly catalogue: Catalogue;
  readonly now: () => Date;
  /** Server secret the manage links are derived from (the session secret). */
  readonly secret: string;
}

export const APPOINTMENT_MAIL_JOB = 'appointments.mail';
export const APPOINTMENT_OFFER_JOB = 'appointments.offer';
export type AppointmentMailKind = 'confirmation' | 'rebooked' | 'cancelled' | 'reminder' | 'offer';

/** How long a freed place is held for the person first on the waitlist. */
const OFFER_HOLD_MS = 2 * 3600_000;
/** A freed place starting sooner than this is not offered (nobody could plan for it). */
const OFFER_MIN_LEAD_MS = 3 * 3600_000;
/** Bookings' e-mail addresses are blanked this long after the appointment (data minimisation). */
const EMAIL_KEPT_AFTER_MS = 30 * 24 * 3600_000;

export class SlotTakenError extends ConflictError {
  constructor() {
    super({
      de: 'Dieser Termin ist soeben vergeben worden – jemand anderes war einen Augenblick schneller. Ihr Termin wurde nicht gebucht. Bitte wählen Sie eine andere Uhrzeit.',
      en: 'This time has just been taken — someone else was a moment faster. Your appointment was not booked. Please choose another time.',
    });
  }
}

const CASE_HAS_APPOINTMENT: Text = {
  de: 'Für dieses Anliegen ist schon ein Termin gebucht. Sie können ihn über den Link in der Bestätigung oder auf der Statusseite verschieben.',
  en: 'An appointment is already booked for this matter. You can move it with the link in the confirmation or on the status page.',
};
const NOT_FOUND: Text = { de: 'Diesen Termin gibt es nicht. Bitte prüfen Sie den Link aus Ihrer E-Mail.', en: 'This appointment does not exist. Please check the link in your email.' };
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/* ---------- configuration ---------- */

export interface AppointmentService {
  readonly def: ServiceDefinition;
  readonly settings: AppointmentSettings;
  readonly locations: readonly CityLocation[];
}

export function appointmentService(catalogue: Catalogue, serviceId: string): AppointmentService {
  const def = catalogue.get(serviceId);
  if (!def?.appointment) throw new NotFoundError({ de: 'Für diese Leistung gibt es keine Termine.', en: 'This service has no appointments.' });
  const locations = def.appointment.locations.map((id) => catalogue.city.locations.find((l) => l.id === id)).filter((l): l is CityLocation => !!l);
  return { def, settings: def.appointment, locations };
}

/** The services that offer appointments. */
export function appointmentServices(catalogue: Catalogue): ServiceDefinition[] {
  return catalogue.all().filter((d) => d.appointment);
}

export function locationOf(service: AppointmentService, locationId: string | undefined): CityLocation | undefined {
  return service.locations.find((l) => l.id === locationId);
}

/* ---------- the manage link ---------- */

/**
 * The token in the manage link, derived from the booking id with the server secret: the mail job
 * can rebuild it after a retry, and the database keeps only its SHA-256.
 */
export function manageToken(secret: string, bookingId: string): string {
  const key = createHmac('sha256', secret).update('amtsweg/appointment-manage/v1').digest();
  return createHmac('sha256', key).update(bookingId).digest('base64url');
}

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/* ---------- free places ---------- */

export interface FreeSlot extends SlotTime {
  readonly free: number;
}

function dayBounds(day: string, timeZone: string): { from: Date; to: Date } {
  return { from: zonedInstant(day, '00:00', timeZone)!, to: zonedInstant(addDays(day, 1), '00:00', timeZone)! };
}

async function bookedCounts(db: Kysely<Database>, serviceId: string, locationId: string, from: Date, to: Date): Promise<Map<number, { booked: number; capacity: number }>> {
  const rows = await db
    .selectFrom('appointment_slots')
    .select(['starts_at', 'booked', 'capacity'])
    .where('service_id', '=', serviceId)
    .where('location_id', '=', locationId)
    .where('starts_at', '>=', from)
    .where('starts_at', '<', to)
    .execute();
  return new Map(rows.map((r) => [new Date(r.starts_at).getTime(), { booked: r.booked, capacity: r.capacity }]));
}

function withFree(slots: readonly SlotTime[], counts: Map<number, { booked: number; capacity: number }>, capacity: number): FreeSlot[] {
  return slots.map((s) => {
    const c = counts.get(s.startsAt.getTime());
    return { ...s, free: c ? Math.max(0, c.capacity - c.booked) : capacity };
  });
}

/** The bookable slots of a day at a location, each with its free places (0 = full). */
export async function slotsWithPlaces(deps: AppointmentDeps, service: AppointmentService, location: CityLocation, day: string): Promise<FreeSlot[]> {
  const tz = deps.catalogue.city.timeZone;
  const slots = bookableSlotsOfDay(location, service.settings, day, deps.now(), tz);
  if (slots.length === 0) return [];
  const { from, to } = dayBounds(day, tz);
  return withFree(slots, await bookedCounts(deps.db, service.def.id, location.id, from, to), service.settings.capacityPerSlot);
}

/** The bookable days at a location with their number of free places (days without slots left out). */
export async function daysWithPlaces(deps: AppointmentDeps, service: AppointmentService, location: CityLocation): Promise<{ day: string; free: number }[]> {
  const tz = deps.catalogue.city.timeZone;
  const now = deps.now();
  const days = bookableDays(service.settings, now, tz);
  const counts = await bookedCounts(deps.db, service.def.id, location.id, dayBounds(days[0]!, tz).from, dayBounds(days.at(-1)!, tz).to);
  return days
    .map((day) => ({ day, slots: withFree(bookableSlotsOfDay(location, service.settings, day, now, tz), counts, service.settings.capacityPerSlot) }))
    .filter((d) => d.slots.length > 0)
    .map((d) => ({ day: d.day, free: d.slots.reduce((n, s) => n + s.free, 0) }));
}

/** The next free slots at the location after `fromDay` `afterTime` (for "this one is taken, how about …"). */
export async function nextFreeSlots(deps: AppointmentDeps, service: AppointmentService, location: CityLocation, fromDay: string, afterTime = '', limit = 5): Promise<FreeSlot[]> {
  const out: FreeSlot[] = [];
  for (const { day, free } of await daysWithPlaces(deps, service, location)) {
    if (day < fromDay || free === 0) continue;
    for (const s of await slotsWithPlaces(deps, service, location, day)) if (s.free > 0 && out.length < limit && (day > fromDay || s.time > afterTime)) out.push(s);
    if (out.length >= limit) break;
  }
  return out;
}

/* ---------- booking ---------- */

export interface SlotChoice {
  readonly locationId: string;
  readonly day: string;
  readonly time: string;
}

/** The slot a choice names, if it is bookable now (configuration, window, notice); bookings aside. */
function chosenSlot(deps: AppointmentDeps, service: AppointmentService, choice: SlotChoice): { location: CityLocation; slot: SlotTime } {
  const problems: FieldProblem[] = [];
  const location = locationOf(service, choice.locationId);
  if (!location) problems.push({ field: 'location', message: { de: 'Bitte wählen Sie einen Ort.', en: 'Please choose a place.' } });
  const slot =
    location && isCalendarDate(choice.day) ? bookableSlotsOfDay(location, service.settings, choice.day, deps.now(), deps.catalogue.city.timeZone).find((s) => s.time === choice.time) : undefined;
  if (location && !slot)
    problems.push({ field: 'time', message: { de: 'Diese Uhrzeit kann nicht (mehr) gebucht werden. Bitte wählen Sie eine der angebotenen Zeiten.', en: 'This time cannot be booked (any more). Please choose one of the times offered.' } });
  if (problems.length > 0 || !location || !slot) throw new ValidationError(problems);
  return { location, slot };
}

/** Takes one place in the slot, or throws SlotTakenError. Must run inside the booking's transaction. */
async function takePlace(trx: Transaction<Database>, serviceId: string, locationId: string, slot: { startsAt: Date; endsAt: Date }, capacity: number): Promise<string> {
  await trx
    .insertInto('appointment_slots')
    .values({ service_id: serviceId, location_id: locationId, starts_at: slot.startsAt, ends_at: slot.endsAt, capacity })
    .onConflict((oc) => oc.columns(['service_id', 'location_id', 'starts_at']).doNothing())
    .execute();
  const taken = await trx
    .updateTable('appointment_slots')
    .set({ booked: sql`booked + 1` })
    .where('service_id', '=', serviceId)
    .where('location_id', '=', locationId)
    .where('starts_at', '=', slot.startsAt)
    .where(sql<boolean>`booked < capacity`)
    .returning('id')
    .executeTakeFirst();
  if (!taken) throw new SlotTakenError();
  return taken.id;
}

async function releasePlace(trx: Transaction<Database>, slotId: string): Promise<void> {
  await trx.updateTable('appointment_slots').set({ booked: sql`booked - 1` }).where('id', '=', slotId).where('booked', '>', 0).execute();
}

function checkEmail(value: string): string {
  const email = value.trim();
  if (email.length > 254 || !EMAIL.test(email)) throw new ValidationError([{ field: 'email', message: { de: 'Bitte geben Sie eine E-Mail-Adresse im Format name@beispiel.de an.', en: 'Enter an email address in the format name@example.com.' } }]);
  return email;
}

async function enqueueMail(trx: Transaction<Database>, jobs: JobQueue, bookingId: string, kind: AppointmentMailKind, sequence: number): Promise<void> {
  await jobs.enqueue(trx, APPOINTMENT_MAIL_JOB, { bookingId, kind, sequence }, { singletonKey: `${kind}:${bookingId}:${sequence}` });
}

/** The case's applicant hears of it on their chosen channels, once the notifications job exists. */
async function notifyCase(trx: Transaction<Database>, jobs: JobQueue, caseId: string | null, bookingId: string): Promise<void> {
  if (caseId && jobs.has(NOTIFY_JOB)) await enqueueNotification(trx, jobs, { caseId, topic: 'appointment', ref: bookingId });
}

export interface Booked {
  readonly bookingId: string;
  readonly token: string;
}

/**
 * Books a place: validates the choice, takes the place (or throws SlotTakenError), records the
 * booking and enqueues the confirmation with its calendar file — one transaction.
 */
export async function bookAppointment(deps: AppointmentDeps, input: SlotChoice & { serviceId: string; email: string; caseId?: string | undefined }): Promise<Booked> {
  const service = appointmentService(deps.catalogue, input.serviceId);
  const problems: FieldProblem[] = [];
  let email = '';
  try {
    email = checkEmail(input.email);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    problems.push(...err.fields);
  }
  let chosen: ReturnType<typeof chosenSlot> | undefined;
  try {
    chosen = chosenSlot(deps, service, input);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    problems.push(...err.fields);
  }
  if (problems.length > 0 || !chosen) throw new ValidationError(problems);
  const { location, slot } = chosen;
  if (input.caseId !== undefined) {
    const owner = await deps.db.selectFrom('cases').select('id').where('id', '=', input.caseId).where('service_id', '=', service.def.id).executeTakeFirst();
    if (!owner) throw new NotFoundError();
  }
  const bookingId = randomUUID();
  const token = manageToken(deps.secret, bookingId);
  await deps.db.transaction().execute(async (trx) => {
    if (input.caseId !== undefined) {
      // One upcoming appointment per case: the case row's lock makes a double click book once.
      await trx.selectFrom('cases').select('id').where('id', '=', input.caseId).forUpdate().executeTakeFirstOrThrow();
      const existing = await trx.selectFrom('appointment_bookings').select('id').where('case_id', '=', input.caseId).where('status', 'in', ['booked', 'held']).where('ends_at', '>', deps.now()).executeTakeFirst();
      if (existing) throw new ConflictError(CASE_HAS_APPOINTMENT);
    }
    const slotId = await takePlace(trx, service.def.id, location.id, slot, service.settings.capacityPerSlot);
    await trx
      .insertInto('appointment_bookings')
      .values({
        id: bookingId,
        service_id: service.def.id,
        case_id: input.caseId ?? null,
        location_id: location.id,
        slot_id: slotId,
        starts_at: slot.startsAt,
        ends_at: slot.endsAt,
        status: 'booked',
        email,
        manage_token_hash: tokenHash(token),
        held_until: null,
        released_from: null,
        cancelled_at: null,
        attendance_by: null,
      })
      .execute();
    await enqueueMail(trx, deps.jobs, bookingId, 'confirmation', 0);
    await notifyCase(trx, deps.jobs, input.caseId ?? null, bookingId);
  });
  return { bookingId, token };
}

/* ---------- the manage link's page ---------- */

export interface BookingView {
  readonly id: string;
  readonly serviceId: string;
  readonly caseId: string | null;
  readonly locationId: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly status: AppointmentStatus;
  readonly sequence: number;
  readonly heldUntil: Date | null;
}

const toView = (r: { id: string; service_id: string; case_id: string | null; location_id: string; starts_at: Date; ends_at: Date; status: AppointmentStatus; sequence: number; held_until: Date | null }): BookingView => ({
  id: r.id,
  serviceId: r.service_id,
  caseId: r.case_id,
  locationId: r.location_id,
  startsAt: new Date(r.starts_at),
  endsAt: new Date(r.ends_at),
  status: r.status,
  sequence: r.sequence,
  heldUntil: r.held_until ? new Date(r.held_until) : null,
});

const VIEW_COLUMNS = ['id', 'service_id', 'case_id', 'location_id', 'starts_at', 'ends_at', 'status', 'sequence', 'held_until'] as const;

/** The booking the manage link names; 404 for anything else (a wrong token looks like no token). */
export async function bookingByToken(deps: Pick<AppointmentDeps, 'db'>, token: string): Promise<BookingView> {
  if (!TOKEN.test(token)) throw new NotFoundError(NOT_FOUND);
  const row = await deps.db.selectFrom('appointment_bookings').select(VIEW_COLUMNS).where('manage_token_hash', '=', tokenHash(token)).executeTakeFirst();
  if (!row) throw new NotFoundError(NOT_FOUND);
  return toView(row);
}

/** The case's current (upcoming, not cancelled) appointment, for its status page. */
export async function appointmentOfCase(deps: Pick<AppointmentDeps, 'db' | 'now'>, caseId: string): Promise<BookingView | undefined> {
  const row = await deps.db
    .selectFrom('appointment_bookings')
    .select(VIEW_COLUMNS)
    .where('case_id', '=', caseId)
    .where('status', 'in', ['booked', 'held'])
    .where('ends_at', '>', deps.now())
    .orderBy('starts_at')
    .executeTakeFirst();
  return row ? toView(row) : undefined;
}

async function lockByToken(trx: Transaction<Database>, token: string) {
  if (!TOKEN.test(token)) throw new NotFoundError(NOT_FOUND);
  const row = await trx.selectFrom('appointment_bookings').selectAll().where('manage_token_hash', '=', tokenHash(token)).forUpdate().executeTakeFirst();
  if (!row) throw new NotFoundError(NOT_FOUND);
  return row;
}

const NOT_CHANGEABLE: Text = { de: 'Dieser Termin kann nicht mehr geändert werden.', en: 'This appointment can no longer be changed.' };

/**
 * Moves the booking to another slot: the new place is taken before the old one is released, in
 * one transaction, so the person never ends up with neither. The link stays the same.
 */
export async function rebookAppointment(deps: AppointmentDeps, token: string, choice: SlotChoice): Promise<BookingView> {
  const current = await bookingByToken(deps, token);
  const service = appointmentService(deps.catalogue, current.serviceId);
  const { location, slot } = chosenSlot(deps, service, choice);
  if (location.id === current.locationId && slot.startsAt.getTime() === current.startsAt.getTime())
    throw new ValidationError([{ field: 'time', message: { de: 'Das ist schon Ihr Termin. Bitte wählen Sie eine andere Zeit.', en: 'That is already your appointment. Please choose another time.' } }]);
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const row = await lockByToken(trx, token);
      if (row.status !== 'booked' || new Date(row.starts_at).getTime() <= deps.now().getTime()) throw new ConflictError(NOT_CHANGEABLE);
      const slotId = await takePlace(trx, service.def.id, location.id, slot, service.settings.capacityPerSlot);
      await releasePlace(trx, row.slot_id);
      const sequence = row.sequence + 1;
      const updated = await trx
        .updateTable('appointment_bookings')
        .set({ slot_id: slotId, location_id: location.id, starts_at: slot.startsAt, ends_at: slot.endsAt, sequence })
        .where('id', '=', row.id)
        .returning(VIEW_COLUMNS)
        .executeTakeFirstOrThrow();
      await enqueueMail(trx, deps.jobs, row.id, 'rebooked', sequence);
      await enqueueOffer(trx, deps.jobs, row.slot_id, `${row.id}:${sequence}`);
      await notifyCase(trx, deps.jobs, row.case_id, `${row.id}:${sequence}`);
      return toView(updated);
    });
  } catch (err) {
    // Two people swapping slots at the same instant: PostgreSQL breaks the deadlock; the loser tries again.
    if ((err as { code?: string }).code === '40P01') throw new SlotTakenError();
    throw err;
  }
}

/** Cancels the booking (or declines an offered place); the place goes to the waitlist or back to all. */
export async function cancelAppointment(deps: AppointmentDeps, token: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await lockByToken(trx, token);
    if (row.status === 'cancelled' || row.status === 'expired') return;
    if (row.status !== 'booked' && row.status !== 'held') throw new ConflictError(NOT_CHANGEABLE);
    await trx.updateTable('appointment_bookings').set({ status: 'cancelled', cancelled_at: deps.now(), held_until: null }).where('id', '=', row.id).execute();
    await releasePlace(trx, row.slot_id);
    if (row.status === 'held') await trx.updateTable('appointment_waitlist').set({ status: 'expired' }).where('offered_booking_id', '=', row.id).execute();
    else await enqueueMail(trx, deps.jobs, row.id, 'cancelled', row.sequence);
    await enqueueOffer(trx, deps.jobs, row.slot_id, `${row.id}:cancelled`);
    await notifyCase(trx, deps.jobs, row.case_id, `${row.id}:cancelled`);
  });
}

/** Accepts a place offered from the waitlist while its hold lasts. */
export async function acceptOffer(deps: AppointmentDeps, token: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await lockByToken(trx, token);
    if (row.status === 'booked') return;
    if (row.status !== 'held' || !row.held_until || new Date(row.held_until).getTime() <= deps.now().getTime())
      throw new ConflictError({ de: 'Dieses Angebot ist abgelaufen. Der Termin wurde an die nächste Person auf der Warteliste weitergegeben.', en: 'This offer has expired. The time was passed on to the next person on the waiting list.' });
    await trx.updateTable('appointment_bookings').set({ status: 'booked', held_until: null }).where('id', '=', row.id).execute();
    await trx.updateTable('appointment_waitlist').set({ status: 'taken' }).where('offered_booking_id', '=', row.id).execute();
    await enqueueMail(trx, deps.jobs, row.id, 'confirmation', row.sequence);
  });
}

/* ---------- waitlist ---------- */

export async function joinWaitlist(deps: AppointmentDeps, input: { serviceId: string; locationId?: string | undefined; day?: string | undefined; email: string }): Promise<string> {
  const service = appointmentService(deps.catalogue, input.serviceId);
  const email = checkEmail(input.email);
  const locationId = input.locationId ? locationOf(service, input.locationId)?.id : undefined;
  if (input.locationId && !locationId) throw new ValidationError([{ field: 'location', message: { de: 'Bitte wählen Sie einen Ort.', en: 'Please choose a place.' } }]);
  const day = input.day && isCalendarDate(input.day) ? input.day : null;
  const row = await deps.db
    .insertInto('appointment_waitlist')
    .values({ service_id: service.def.id, location_id: locationId ?? null, day, email, offered_booking_id: null, offered_until: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function enqueueOffer(trx: Transaction<Database>, jobs: JobQueue, slotId: string, releaseKey: string): Promise<void> {
  await jobs.enqueue(trx, APPOINTMENT_OFFER_JOB, { slotId, releaseKey }, { singletonKey: releaseKey });
}

/**
 * A place in the slot was released (`releaseKey` names the release): hold it for the first person
 * waiting for this service (and location and day, where they named one) and mail them the offer.
 * Idempotent: a release is offered at most once (`released_from` is unique). Returns the hold's id.
 */
export async function offerFreedPlace(deps: AppointmentDeps, input: { slotId: string; releaseKey: string }): Promise<string | undefined> {
  const now = deps.now();
  return deps.db.transaction().execute(async (trx) => {
    const earlier = await trx.selectFrom('appointment_bookings').select(['id', 'sequence']).where('released_from', '=', input.releaseKey).executeTakeFirst();
    if (earlier) {
      await enqueueMail(trx, deps.jobs, earlier.id, 'offer', earlier.sequence);
      return earlier.id;
    }
    const slot = await trx.selectFrom('appointment_slots').selectAll().where('id', '=', input.slotId).executeTakeFirst();
    if (!slot || new Date(slot.starts_at).getTime() < now.getTime() + OFFER_MIN_LEAD_MS) return undefined;
    const day = zonedToday(new Date(slot.starts_at), deps.catalogue.city.timeZone);
    const next = await trx
      .selectFrom('appointment_waitlist')
      .select(['id', 'email'])
      .where('service_id', '=', slot.service_id)
      .where('status', '=', 'waiting')
      .where((eb) => eb.or([eb('location_id', 'is', null), eb('location_id', '=', slot.location_id)]))
      .where((eb) => eb.or([eb('day', 'is', null), eb('day', '=', day)]))
      .orderBy('created_at')
      .orderBy('id')
      .limit(1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!next) return undefined;
    const taken = await trx
      .updateTable('appointment_slots')
      .set({ booked: sql`booked + 1` })
      .where('id', '=', slot.id)
      .where(sql<boolean>`booked < capacity`)
      .returning('id')
      .executeTakeFirst();
    // Someone booked the freed place directly: first come, first served.
    if (!taken) return undefined;
    const bookingId = randomUUID();
    const heldUntil = new Date(now.getTime() + OFFER_HOLD_MS);
    await trx
      .insertInto('appointment_bookings')
      .values({
        id: bookingId,
        service_id: slot.service_id,
        case_id: null,
        location_id: slot.location_id,
        slot_id: slot.id,
        starts_at: slot.starts_at,
        ends_at: slot.ends_at,
        status: 'held',
        email: next.email,
        manage_token_hash: tokenHash(manageToken(deps.secret, bookingId)),
        held_until: heldUntil,
        released_from: input.releaseKey,
        cancelled_at: null,
        attendance_by: null,
      })
      .execute();
    await trx.updateTable('appointment_waitlist').set({ status: 'offered', offered_booking_id: bookingId, offered_until: heldUntil }).where('id', '=', next.id).execute();
    await enqueueMail(trx, deps.jobs, bookingId, 'offer', 0);
    return bookingId;
  });
}

/**
 * The sweep: offers whose hold ran out are released (and offered to the next person), waitlist
 * entries for days gone by expire, and e-mail addresses of long-past appointments are blanked.
 */
export async function sweepAppointments(deps: AppointmentDeps): Promise<{ expiredOffers: number }> {
  const now = deps.now();
  const due = await deps.db.selectFrom('appointment_bookings').select('id').where('status', '=', 'held').where('held_until', '<=', now).execute();
  let expiredOffers = 0;
  for (const { id } of due) {
    await deps.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('appointment_bookings').select(['id', 'slot_id', 'status', 'held_until']).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!row || row.status !== 'held' || !row.held_until || new Date(row.held_until).getTime() > now.getTime()) return;
      await trx.updateTable('appointment_bookings').set({ status: 'expired', held_until: null }).where('id', '=', row.id).execute();
      await releasePlace(trx, row.slot_id);
      await trx.updateTable('appointment_waitlist').set({ status: 'expired' }).where('offered_booking_id', '=', row.id).execute();
      await enqueueOffer(trx, deps.jobs, row.slot_id, `${row.id}:expired`);
      expiredOffers++;
    });
  }
  const today = zonedToday(now, deps.catalogue.city.timeZone);
  await deps.db.updateTable('appointment_waitlist').set({ status: 'expired' }).where('status', '=', 'waiting').where('day', '<', today).execute();
  await deps.db.updateTable('appointment_bookings').set({ email: null }).where('ends_at', '<', new Date(now.getTime() - EMAIL_KEPT_AFTER_MS)).where('email', 'is not', null).execute();
  await deps.db.deleteFrom('appointment_waitlist').where('status', 'in', ['taken', 'expired']).where('created_at', '<', new Date(now.getTime() - EMAIL_KEPT_AFTER_MS)).execute();
  return { expiredOffers };
}

/** Bookings starting 23 to 25 hours from now: the hourly reminder run mails each once. */
export async function dueReminders(deps: Pick<AppointmentDeps, 'db' | 'now'>): Promise<{ id: string; sequence: number }[]> {
  const now = deps.now().getTime();
  return deps.db
    .selectFrom('appointment_bookings')
    .select(['id', 'sequence'])
    .where('status', '=', 'booked')
    .where('starts_at', '>=', new Date(now + 23 * 3600_000))
    .where('starts_at', '<', new Date(now + 25 * 3600_000))
    .execute();
}

/* ---------- the staff's day ---------- */

/** The locations run by departments where the person reads cases. */
export function staffLocations(catalogue: Catalogue, who: Grants): CityLocation[] {
  const departments = departmentsWith(who, 'case.read');
  return catalogue.city.locations.filter((l) => departments.includes(l.departmentId));
}

export interface DayEntry {
  readonly id: string;
  readonly serviceId: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly status: AppointmentStatus;
  readonly reference: string | null;
  readonly caseId: string | null;
}

/** The day's appointments at a location of the person's departments, in time order; 404 otherwise. */
export async function dayAtLocation(deps: Pick<AppointmentDeps, 'db' | 'catalogue'>, who: Grants, locationId: string, day: string): Promise<{ location: CityLocation; entries: DayEntry[] }> {
  const location = staffLocations(deps.catalogue, who).find((l) => l.id === locationId);
  if (!location || !isCalendarDate(day)) throw new NotFoundError({ de: 'Diesen Standort gibt es nicht oder er gehört nicht zu Ihrem Bereich.', en: 'This location does not exist or is not in your area.' });
  const { from, to } = dayBounds(day, deps.catalogue.city.timeZone);
  const rows = await deps.db
    .selectFrom('appointment_bookings as b')
    .leftJoin('cases as c', 'c.id', 'b.case_id')
    .select(['b.id', 'b.service_id', 'b.starts_at', 'b.ends_at', 'b.status', 'b.case_id', 'c.reference'])
    .where('b.location_id', '=', location.id)
    .where('b.status', 'in', ['booked', 'held', 'attended', 'no_show'])
    .where('b.starts_at', '>=', from)
    .where('b.starts_at', '<', to)
    .orderBy('b.starts_at')
    .orderBy('b.created_at')
    .execute();
  return {
    location,
    entries: rows.map((r) => ({ id: r.id, serviceId: r.service_id, startsAt: new Date(r.starts_at), endsAt: new Date(r.ends_at), status: r.status, reference: r.reference, caseId: r.case_id })),
  };
}

/** Marks a booking as attended or not; only at a location of the person's departments (in the query). */
export async function markAttendance(deps: Pick<AppointmentDeps, 'db' | 'catalogue'>, who: Grants & { id: string }, bookingId: string, status: 'attended' | 'no_show'): Promise<{ locationId: string; startsAt: Date }> {
  const locations = staffLocations(deps.catalogue, who).map((l) => l.id);
  if (locations.length === 0 || !UUID.test(bookingId)) throw new NotFoundError(NOT_FOUND);
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('appointment_bookings')
      .set({ status, attendance_by: who.id })
      .where('id', '=', bookingId)
      .where('location_id', 'in', locations)
      .where('status', 'in', ['booked', 'attended', 'no_show'])
      .returning(['id', 'case_id', 'location_id', 'starts_at'])
      .executeTakeFirst();
    if (!row) throw new NotFoundError(NOT_FOUND);
    await appendAudit(trx, { actorType: 'staff', actorId: who.id, action: `appointment.${status}`, caseId: row.case_id, details: { bookingId: row.id } });
    return { locationId: row.location_id, startsAt: new Date(row.starts_at) };
  });
}
