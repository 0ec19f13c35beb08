import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { SMTPServer } from 'smtp-server';
import { knownEffects } from '../cases/effects.ts';
import { checkDefinition } from '../catalogue/check-definitions.ts';
import { staffLinks } from '../backoffice/staff-links.ts';
import { createStaffUser } from '../identity/staff-admin.ts';
import { totpFor } from '../identity/staff-auth.ts';
import { zonedInstant } from '../platform/i18n/time.ts';
import { Mailer } from '../platform/mail/mailer.ts';
import { renderPage } from '../platform/views/render.ts';
import { terminBuergerservice } from '../services/termin-buergerservice/definition.ts';
import { HttpClient, pageText, testIdText, type HttpResponse } from '../test-support/http-client.ts';
import { testApp, type TestRuntime } from '../test-support/runtime.ts';
import { appointmentMail, sendDueReminders, type AppointmentJobDeps } from './appointment-jobs.ts';
import { AppointmentPanel } from './appointment-pages.tsx';
import { appointmentPanelProps } from './appointment-routes.tsx';
import { appointmentOfCase, manageToken, sweepAppointments, tokenHash, type AppointmentDeps } from './appointments.ts';
import { parseCalendar, parseUtc } from './ics.ts';
import { waitFor } from '../test-support/wait-for.ts';

/**
 * Appointments end to end over HTTP against the real database (PGlite, or PostgreSQL with
 * TEST_DATABASE=postgres), the job workers running: book, the mail with its manage link and
 * calendar file, rebook, cancel, the race for the last place, the reminder, the waitlist and the
 * staff's day. The clock is fixed: Monday 7 December 2026, 08:00 in Halle.
 */
const SERVICE = 'termin-buergerservice';
const clock = { now: new Date('2026-12-07T07:00:00Z') };
const MONDAY_8AM = clock.now;
let app: FastifyInstance;
let runtime: TestRuntime;
let close: () => Promise<void>;
let deps: AppointmentJobDeps;

before(async () => {
  ({ app, runtime, close } = await testApp({ now: () => clock.now }));
  deps = { db: runtime.db, jobs: runtime.jobs, catalogue: runtime.catalogue, now: runtime.now, secret: runtime.config.sessionSecret, mailer: runtime.mailer, publicUrl: runtime.config.publicUrl };
  await runtime.jobs.work();
});
after(async () => close());

const TOKEN_IN = /\/appointments\/manage\/([A-Za-z0-9_-]{43})/;

async function mailTo(email: string, subject: RegExp) {
  return waitFor(async () => {
    const rows = await runtime.db.selectFrom('mail_outbox').selectAll().where('to_address', '=', email).orderBy('created_at').execute();
    return rows.find((r) => subject.test(r.subject) && r.sent_at) ?? undefined;
  }, `a mail to ${email} matching ${subject}`);
}

/** Opens the confirm step (for the CSRF token) and books. */
async function book(client: HttpClient, slot: { location: string; day: string; time: string; email: string; caseId?: string }): Promise<HttpResponse> {
  const q = new URLSearchParams({ location: slot.location, day: slot.day, time: slot.time, ...(slot.caseId ? { case: slot.caseId } : {}) });
  const page = await client.get(`/appointments/book/${SERVICE}?${q}`);
  assert.equal(page.status, 200, 'the confirm step opens');
  return client.post(`/appointments/book/${SERVICE}`, { location: slot.location, day: slot.day, time: slot.time, email: slot.email, ...(slot.caseId ? { case: slot.caseId } : {}) });
}

async function bookOk(slot: { location: string; day: string; time: string; email: string; caseId?: string }, client = new HttpClient(app)): Promise<{ token: string; client: HttpClient }> {
  const res = await book(client, slot);
  assert.equal(res.status, 303, `booked ${slot.day} ${slot.time} (got ${res.status}: ${pageText(res.body).slice(0, 300)})`);
  const m = TOKEN_IN.exec(res.location ?? '');
  assert.ok(m, 'redirected to the manage page');
  return { token: m[1]!, client };
}

async function slotRow(location: string, day: string, time: string) {
  return runtime.db.selectFrom('appointment_slots').selectAll().where('service_id', '=', SERVICE).where('location_id', '=', location).where('starts_at', '=', zonedInstant(day, time, 'Europe/Berlin')!).executeTakeFirst();
}

/** The booking behind a manage link (the table keeps the token's hash only). */
async function bookingByTokenRow(token: string) {
  const row = await runtime.db.selectFrom('appointment_bookings').selectAll().where('manage_token_hash', '=', tokenHash(token)).executeTakeFirstOrThrow();
  assert.equal(manageToken(runtime.config.sessionSecret, row.id), token, 'the token is derived from the booking id');
  return row;
}

test('the service with appointments passes the definition checks; a wrong location is refused', () => {
  const city = runtime.catalogue.city;
  assert.deepEqual(checkDefinition(terminBuergerservice, knownEffects, city), []);
  const broken = { ...terminBuergerservice, appointment: { ...terminBuergerservice.appointment!, locations: ['nowhere'], slotMinutes: 2 } };
  const faults = checkDefinition(broken, knownEffects, city);
  assert.ok(faults.some((f) => /appointment.locations: location "nowhere" does not exist/.test(f)), 'unknown location named');
  assert.ok(faults.some((f) => /appointment.slotMinutes/.test(f)), 'slot length out of range named');
});

test('book over HTTP: place → day → time → e-mail, CSRF required, the mail carries the manage link', async () => {
  const client = new HttpClient(app);
  const start = await client.get(`/appointments/book/${SERVICE}`);
  assert.equal(start.status, 200);
  assert.match(start.body, /Bürgerservice Am Markt/, 'the places are offered');
  const days = await client.get(`/appointments/book/${SERVICE}?location=buergerservice-markt`);
  assert.match(testIdText(days.body, 'appointment-days') ?? '', /Montag, 7\. Dezember 2026/, 'today is offered (after the notice)');
  assert.ok(days.body.includes('day=2026-12-08'), 'Tuesday links to its times');
  assert.ok(!days.body.includes('day=2026-12-13'), 'Sunday has no slots');
  const times = await client.get(`/appointments/book/${SERVICE}?location=buergerservice-markt&day=2026-12-07`);
  assert.ok(!times.body.includes('time=09%3A45') && times.body.includes('time=10%3A00'), 'today: the first time offered respects the two hours notice');

  const confirm = await client.get(`/appointments/book/${SERVICE}?location=buergerservice-markt&day=2026-12-08&time=10:00`);
  assert.match(pageText(confirm.body), /Termin prüfen und buchen/);
  const noCsrf = await client.post(`/appointments/book/${SERVICE}`, { location: 'buergerservice-markt', day: '2026-12-08', time: '10:00', email: 'anna@example.org' }, { csrf: false });
  assert.equal(noCsrf.status, 403, 'a post without the CSRF token is refused');
  const badEmail = await client.post(`/appointments/book/${SERVICE}`, { location: 'buergerservice-markt', day: '2026-12-08', time: '10:00', email: 'anna' });
  assert.equal(badEmail.status, 422, 'a wrong address is refused at its field');
  assert.match(badEmail.body, /id="email-error"/);
  const offHours = await client.post(`/appointments/book/${SERVICE}`, { location: 'buergerservice-markt', day: '2026-12-08', time: '12:15', email: 'anna@example.org' });
  assert.equal(offHours.status, 422, 'a time outside the opening hours is refused');

  const { token } = await bookOk({ location: 'buergerservice-markt', day: '2026-12-08', time: '10:00', email: 'anna@example.org' }, client);
  const manage = await client.follow({ status: 303, location: `/appointments/manage/${token}` } as HttpResponse);
  assert.equal(testIdText(manage.body, 'appointment-status'), 'Gebucht');
  assert.match(manage.body, /Ihr Termin ist gebucht/, 'the flash confirms the booking');
  assert.match(testIdText(manage.body, 'appointment-when') ?? '', /8\. Dezember 2026 um 10:00/);
  assert.ok(!manage.body.includes('anna@example.org'), 'the manage page shows no e-mail address');
  assert.equal((await slotRow('buergerservice-markt', '2026-12-08', '10:00'))?.booked, 1, 'one place taken');

  const mail = await mailTo('anna@example.org', /^Terminbestätigung/);
  assert.equal(TOKEN_IN.exec(mail.text_body)?.[1], token, 'the mail carries the same manage link');
  assert.match(mail.text_body, /Bürgerservice Am Markt, Marktplatz 1/);
  assert.match(mail.text_body, /8\. Dezember 2026 um 10:00 Uhr/);

  assert.equal((await new HttpClient(app).get(`/appointments/manage/${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).status, 404, 'a wrong token is 404');
  assert.equal((await new HttpClient(app).get('/appointments/manage/not-a-token')).status, 404, 'a malformed token is 404');
  assert.equal((await new HttpClient(app).get(`/appointments/manage/${token}`)).status, 200, 'the link works in any browser');
});

test('the confirmation goes out over real SMTP with a valid iCal attachment', async () => {
  const received: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const mailer = new Mailer(runtime.db, `smtp://127.0.0.1:${port}`, 'termine@halle.example');
  try {
    const { token } = await bookOk({ location: 'buergerservice-neustadt', day: '2026-12-08', time: '13:30', email: 'ical@example.org' });
    const booking = await bookingByTokenRow(token);
    const mail = await appointmentMail({ ...deps, mailer }, booking.id, 'confirmation', 0);
    assert.ok(mail, 'the confirmation is built');
    await runtime.db.deleteFrom('mail_outbox').where('dedupe_key', '=', mail.dedupeKey).execute();
    assert.equal(await mailer.send(mail), 'sent');
    assert.equal(received.length, 1, 'one message reached the SMTP server');
    const ics = calendarPart(received[0]!);
    assert.ok(!/[^\r]\n/.test(ics), 'the calendar file uses CRLF line ends only');
    for (const line of ics.split('\r\n')) assert.ok(Buffer.byteLength(line, 'utf8') <= 75, `folded line within 75 octets: ${line}`);
    const fields = parseCalendar(ics);
    assert.equal(fields.get('METHOD'), 'PUBLISH');
    assert.equal(parseUtc(fields.get('DTSTART')!).toISOString(), '2026-12-08T12:30:00.000Z', 'DTSTART is 13:30 in Halle');
    assert.equal(parseUtc(fields.get('DTEND')!).toISOString(), '2026-12-08T12:45:00.000Z', 'DTEND is 15 minutes later');
    assert.match(fields.get('UID')!, new RegExp(`^${booking.id}@`));
    assert.match(fields.get('LOCATION')!, /Bürgerservice Neustadt/);
    assert.ok(fields.get('URL')!.endsWith(`/appointments/manage/${token}`), 'the calendar entry links to the manage page');
    const outbox = await runtime.db.selectFrom('mail_outbox').select('text_body').where('dedupe_key', '=', mail.dedupeKey).executeTakeFirstOrThrow();
    assert.equal(outbox.text_body, '[redacted after sending]', 'the manage link does not stay in the outbox once sent');
    assert.ok(!received[0]!.includes('Vor- und Nachname') && !/matter|anliegen=/i.test(received[0]!), 'no form data in the mail');
  } finally {
    mailer.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** The text/calendar part of a raw MIME message, decoded. */
function calendarPart(raw: string): string {
  const boundary = /boundary="?([^";\r\n]+)"?/.exec(raw)?.[1];
  assert.ok(boundary, 'a multipart message');
  const parts = raw.split(`--${boundary}`);
  const nested = parts.flatMap((p) => {
    const inner = /boundary="?([^";\r\n]+)"?/.exec(p)?.[1];
    return inner ? p.split(`--${inner}`) : [p];
  });
  const part = nested.find((p) => /Content-Type: text\/calendar/i.test(p));
  assert.ok(part, 'the message has a text/calendar part');
  const split = part.indexOf('\r\n\r\n');
  const headers = part.slice(0, split);
  const body = part.slice(split + 4).replace(/\r\n$/, '');
  const encoding = /Content-Transfer-Encoding: ([\w-]+)/i.exec(headers)?.[1]?.toLowerCase() ?? '7bit';
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

test('rebook: the new place is taken, the old one freed, the same link shows the new time', async () => {
  const { token, client } = await bookOk({ location: 'buergerservice-markt', day: '2026-12-08', time: '10:15', email: 'bernd@example.org' });
  const pick = await client.get(`/appointments/manage/${token}/rebook?location=buergerservice-neustadt&day=2026-12-10`);
  assert.equal(pick.status, 200);
  assert.ok(pick.body.includes(`/appointments/manage/${token}/rebook?location=buergerservice-neustadt&amp;day=2026-12-10&amp;time=14%3A00`), 'times link on within the rebooking');
  await client.get(`/appointments/manage/${token}/rebook?location=buergerservice-neustadt&day=2026-12-10&time=14:00`);
  const same = await client.post(`/appointments/manage/${token}/rebook`, { location: 'buergerservice-markt', day: '2026-12-08', time: '10:15' });
  assert.equal(same.status, 422, 'rebooking to the same time is refused');
  const moved = await client.post(`/appointments/manage/${token}/rebook`, { location: 'buergerservice-neustadt', day: '2026-12-10', time: '14:00' });
  assert.equal(moved.status, 303);
  const page = await client.get(moved.location!);
  assert.match(testIdText(page.body, 'appointment-when') ?? '', /10\. Dezember 2026 um 14:00/);
  assert.match(page.body, /Bürgerservice Neustadt/);
  assert.equal((await slotRow('buergerservice-markt', '2026-12-08', '10:15'))?.booked, 0, 'the old place is free again');
  assert.equal((await slotRow('buergerservice-neustadt', '2026-12-10', '14:00'))?.booked, 1, 'the new place is taken');
  const mail = await mailTo('bernd@example.org', /^Termin verlegt/);
  assert.match(mail.text_body, /10\. Dezember 2026 um 14:00 Uhr/);
  const booking = await bookingByTokenRow(token);
  assert.equal(booking.sequence, 1, 'the calendar entry gets a higher SEQUENCE');
});

test('cancel: asked first, then the place is free and a mail confirms it', async () => {
  const { token, client } = await bookOk({ location: 'buergerservice-markt', day: '2026-12-08', time: '10:30', email: 'carla@example.org' });
  const ask = await client.get(`/appointments/manage/${token}/cancel`);
  assert.match(pageText(ask.body), /Termin absagen\?/);
  const other = new HttpClient(app);
  await other.get(`/appointments/book/${SERVICE}?location=buergerservice-markt`);
  assert.equal((await other.post(`/appointments/manage/${'x'.repeat(43)}/cancel`)).status, 404, 'a wrong token cancels nothing');
  const done = await client.post(`/appointments/manage/${token}/cancel`);
  assert.equal(done.status, 303);
  const page = await client.get(done.location!);
  assert.equal(testIdText(page.body, 'appointment-status'), 'Abgesagt');
  assert.equal((await slotRow('buergerservice-markt', '2026-12-08', '10:30'))?.booked, 0, 'the place is free again');
  await mailTo('carla@example.org', /^Termin abgesagt/);
  // Cancelling twice changes nothing.
  assert.equal((await client.post(`/appointments/manage/${token}/cancel`)).status, 303);
  assert.equal((await slotRow('buergerservice-markt', '2026-12-08', '10:30'))?.booked, 0, 'still one place freed, not two');
});

test('the last place, one after the other: the second person is told clearly and offered the next times', async () => {
  await bookOk({ location: 'buergerservice-markt', day: '2026-12-11', time: '09:15', email: 'first@example.org' });
  await bookOk({ location: 'buergerservice-markt', day: '2026-12-11', time: '09:15', email: 'second@example.org' });
  const late = await book(new HttpClient(app), { location: 'buergerservice-markt', day: '2026-12-11', time: '09:15', email: 'third@example.org' });
  assert.equal(late.status, 409, 'the full slot is refused with a conflict');
  assert.match(pageText(late.body), /Dieser Termin ist soeben vergeben worden/, 'the clear message');
  assert.match(testIdText(late.body, 'next-free') ?? '', /^Freitag, 11\. Dezember 2026, 09:30 Uhr/, 'the next free times after the wanted one are offered');
  assert.equal((await slotRow('buergerservice-markt', '2026-12-11', '09:15'))?.booked, 2, 'never more than the capacity');
});

// A real race on PostgreSQL (TEST_DATABASE=postgres); on PGlite's one connection the ten bookings
// queue, and the outcome must be the same.
test('the race for the last place: of 10 parallel bookings exactly one wins', async () => {
  await bookOk({ location: 'buergerservice-markt', day: '2026-12-11', time: '09:00', email: 'early@example.org' });
  // Ten people on the confirm page at once, then all press "book".
  const clients = Array.from({ length: 10 }, () => new HttpClient(app));
  for (const c of clients) await c.get(`/appointments/book/${SERVICE}?location=buergerservice-markt&day=2026-12-11&time=09:00`);
  const results = await Promise.all(clients.map((c, i) => c.post(`/appointments/book/${SERVICE}`, { location: 'buergerservice-markt', day: '2026-12-11', time: '09:00', email: `racer${i}@example.org` })));
  const winners = results.filter((r) => r.status === 303);
  const losers = results.filter((r) => r.status === 409);
  assert.equal(winners.length, 1, `exactly one wins (statuses: ${results.map((r) => r.status).join(', ')})`);
  assert.equal(losers.length, 9, 'all the others are refused');
  for (const l of losers) assert.match(pageText(l.body), /soeben vergeben/, 'each loser is told clearly');
  const slot = await slotRow('buergerservice-markt', '2026-12-11', '09:00');
  assert.equal(slot?.booked, 2, 'the slot holds exactly its capacity');
  const rows = await runtime.db.selectFrom('appointment_bookings').select('id').where('slot_id', '=', slot!.id).where('status', '=', 'booked').execute();
  assert.equal(rows.length, 2, 'two bookings, no third');
});

test('the reminder goes out once, 23 to 25 hours before', async () => {
  const { token } = await bookOk({ location: 'buergerservice-markt', day: '2026-12-09', time: '11:00', email: 'dora@example.org' });
  const booking = await bookingByTokenRow(token);
  const reminders = () => runtime.db.selectFrom('mail_outbox').select(['subject', 'text_body']).where('dedupe_key', '=', `appointment:reminder:${booking.id}:0`).execute();
  try {
    clock.now = new Date('2026-12-08T06:00:00Z'); // 26 hours before 11:00 on Wednesday
    await sendDueReminders(deps);
    assert.equal((await reminders()).length, 0, 'too early: no reminder');
    clock.now = new Date('2026-12-08T09:30:00Z'); // 23.5 hours before
    await sendDueReminders(deps);
    await sendDueReminders(deps);
    clock.now = new Date('2026-12-08T10:00:00Z'); // the next hourly run, still in the window
    await sendDueReminders(deps);
    const sent = await reminders();
    assert.equal(sent.length, 1, 'exactly one reminder');
    assert.match(sent[0]!.subject, /^Erinnerung/);
    assert.match(sent[0]!.text_body, /9\. Dezember 2026 um 11:00 Uhr/);
  } finally {
    clock.now = MONDAY_8AM;
  }
});

test('the waitlist: a freed place is held for the first person, and passes to the next when the offer expires', async () => {
  const ad: AppointmentDeps = deps;
  const slot = { location: 'buergerservice-neustadt', day: '2026-12-10', time: '09:00' };
  const a = await bookOk({ ...slot, email: 'full1@example.org' });
  await bookOk({ ...slot, email: 'full2@example.org' });
  const page = await new HttpClient(app).get(`/appointments/book/${SERVICE}?location=${slot.location}&day=${slot.day}`);
  assert.match(pageText(page.body), /09:00 Uhr \(vergeben\)/, 'the full slot shows as taken');
  for (const email of ['wait1@example.org', 'wait2@example.org']) {
    const c = new HttpClient(app);
    await c.get(`/appointments/book/${SERVICE}?location=${slot.location}&day=${slot.day}`);
    const joined = await c.post(`/appointments/waitlist/${SERVICE}`, { location: slot.location, day: slot.day, email });
    assert.equal(joined.status, 200);
    assert.match(pageText(joined.body), /Sie stehen auf der Warteliste/);
  }
  // The first booker cancels: the offer job holds the place for wait1.
  await a.client.get(`/appointments/manage/${a.token}/cancel`);
  assert.equal((await a.client.post(`/appointments/manage/${a.token}/cancel`)).status, 303);
  const offer1 = await mailTo('wait1@example.org', /^Ein Termin ist frei geworden/);
  assert.match(offer1.text_body, /10\. Dezember 2026 um 09:00 Uhr/);
  const token1 = TOKEN_IN.exec(offer1.text_body)![1]!;
  assert.equal((await slotRow(slot.location, slot.day, slot.time))?.booked, 2, 'the freed place is held for the offer');
  const direct = await book(new HttpClient(app), { ...slot, email: 'sneaky@example.org' }).catch(() => undefined);
  assert.ok(!direct || direct.status !== 303, 'while held, nobody else can book the place');
  const w2 = await runtime.db.selectFrom('appointment_waitlist').select('status').where('email', '=', 'wait2@example.org').executeTakeFirstOrThrow();
  assert.equal(w2.status, 'waiting', 'the second person still waits');

  // wait1 opens the offer but does not answer; two hours later the sweep passes the place on.
  const c1 = new HttpClient(app);
  assert.equal(testIdText((await c1.get(`/appointments/manage/${token1}`)).body, 'appointment-status'), 'Für Sie reserviert');
  try {
    clock.now = new Date(MONDAY_8AM.getTime() + 2 * 3600_000 + 60_000);
    assert.equal((await sweepAppointments(ad)).expiredOffers, 1, 'one offer expired');
    const offer2 = await mailTo('wait2@example.org', /^Ein Termin ist frei geworden/);
    const token2 = TOKEN_IN.exec(offer2.text_body)![1]!;
    const expired = await c1.get(`/appointments/manage/${token1}`);
    assert.equal(testIdText(expired.body, 'appointment-status'), 'Angebot abgelaufen');
    assert.equal((await c1.post(`/appointments/manage/${token1}/accept`)).status, 409, 'an expired offer cannot be accepted');
    const c2 = new HttpClient(app);
    const offered = await c2.get(`/appointments/manage/${token2}`);
    assert.equal(testIdText(offered.body, 'appointment-status'), 'Für Sie reserviert');
    const accepted = await c2.post(`/appointments/manage/${token2}/accept`);
    assert.equal(accepted.status, 303);
    assert.equal(testIdText((await c2.get(accepted.location!)).body, 'appointment-status'), 'Gebucht');
    await mailTo('wait2@example.org', /^Terminbestätigung/);
    assert.equal((await slotRow(slot.location, slot.day, slot.time))?.booked, 2, 'two places, two bookings');
    const statuses = await runtime.db.selectFrom('appointment_waitlist').select(['email', 'status']).where('email', 'in', ['wait1@example.org', 'wait2@example.org']).orderBy('email').execute();
    assert.deepEqual(statuses.map((s) => s.status), ['expired', 'taken']);
  } finally {
    clock.now = MONDAY_8AM;
  }
});

async function signInNewStaff(username: string, departmentId: string): Promise<HttpClient> {
  const password = `${username}-passwort-2026`;
  const { totpSecret } = await createStaffUser(runtime.db, { username, displayName: `Test ${username}`, password, grants: [{ departmentId, role: 'clerk' }] }, null);
  const client = new HttpClient(app);
  await client.get('/staff/sign-in');
  assert.equal((await client.post('/staff/sign-in', { username, password })).status, 303);
  await client.get('/staff/sign-in/code');
  assert.equal((await client.post('/staff/sign-in/code', { code: totpFor(totpSecret).generate() })).status, 303, `${username} signed in`);
  return client;
}

test("the staff's day: the department's locations only, in time order, attendance marked with CSRF", async () => {
  await bookOk({ location: 'buergerservice-markt', day: '2026-12-14', time: '13:00', email: 'late@example.org' });
  const { token: early } = await bookOk({ location: 'buergerservice-markt', day: '2026-12-14', time: '08:30', email: 'early2@example.org' });
  const buerger = await signInNewStaff('buergerclerk', 'buergerservice');
  const standes = await signInNewStaff('standesclerk', 'standesamt');
  const url = '/staff/appointments?location=buergerservice-markt&day=2026-12-14';

  const day = await buerger.get(url);
  assert.equal(day.status, 200);
  const table = testIdText(day.body, 'staff-appointments') ?? day.body;
  const text = pageText(day.body);
  assert.ok(text.indexOf('08:30–08:45') >= 0 && text.indexOf('08:30–08:45') < text.indexOf('13:00–13:15'), 'in time order');
  assert.ok(!day.body.includes('early2@example.org') && !day.body.includes('late@example.org'), 'no e-mail addresses');
  assert.ok(table.length > 0 && day.body.includes('day=2026-12-13') && day.body.includes('day=2026-12-15'), 'previous and next day');

  assert.equal((await standes.get(url)).status, 404, "another department's location is out of reach");
  const versammlung = await signInNewStaff('versclerk', 'versammlungsbehoerde');
  assert.equal((await versammlung.get('/staff/appointments')).status, 403, 'staff without a location get no day view');
  assert.equal((await new HttpClient(app).get(url)).status, 303, 'anonymous visitors go to the sign-in');

  const booking = await bookingByTokenRow(early);
  await standes.get('/staff/appointments?location=standesamt&day=2026-12-14');
  assert.equal((await standes.post(`/staff/appointments/${booking.id}/attendance`, { status: 'no_show' })).status, 404, 'another department cannot mark it');
  await buerger.get(url);
  assert.equal((await buerger.post(`/staff/appointments/${booking.id}/attendance`, { status: 'attended' }, { csrf: false })).status, 403, 'no CSRF token, no change');
  const marked = await buerger.post(`/staff/appointments/${booking.id}/attendance`, { status: 'attended' });
  assert.equal(marked.status, 303);
  assert.equal(marked.location, url);
  const row = await runtime.db.selectFrom('appointment_bookings').select('status').where('id', '=', booking.id).executeTakeFirstOrThrow();
  assert.equal(row.status, 'attended');
  assert.match(pageText((await buerger.get(url)).body), /Wahrgenommen/);
});

test('a booking for a case: only who may see the case books for it; the status page panel shows it', async () => {
  const owner = new HttpClient(app);
  await owner.get(`/services/${SERVICE}/form/anliegen`);
  assert.equal((await owner.post(`/services/${SERVICE}/form/anliegen`, { matter: 'ausweis-beantragen', name: 'Erika Muster', email: 'erika@example.org' })).status, 303);
  const check = await owner.get(`/services/${SERVICE}/check`);
  const formToken = /name="formToken" value="([^"]+)"/.exec(check.body)?.[1];
  assert.ok(formToken, 'the summary carries the form token');
  const sent = await owner.post(`/services/${SERVICE}/submit`, { formToken });
  assert.equal(sent.status, 303);
  const confirmation = await owner.get(sent.location!);
  const reference = testIdText(confirmation.body, 'reference')!;
  const caseRow = await runtime.db.selectFrom('cases').select('id').where('reference', '=', reference).executeTakeFirstOrThrow();

  const stranger = new HttpClient(app);
  assert.equal((await stranger.get(`/appointments/book/${SERVICE}?case=${caseRow.id}`)).status, 404, 'a stranger cannot book for the case');
  await stranger.get(`/appointments/book/${SERVICE}?location=buergerservice-markt`);
  assert.equal((await stranger.post(`/appointments/book/${SERVICE}`, { location: 'buergerservice-markt', day: '2026-12-15', time: '08:00', email: 'x@example.org', case: caseRow.id })).status, 404);

  const confirm = await owner.get(`/appointments/book/${SERVICE}?case=${caseRow.id}&location=buergerservice-markt&day=2026-12-15&time=08:00`);
  assert.ok(confirm.body.includes(reference), 'the confirm step names the case');
  const { token } = await bookOk({ location: 'buergerservice-markt', day: '2026-12-15', time: '08:00', email: 'erika@example.org', caseId: caseRow.id }, owner);
  const linked = await appointmentOfCase(deps, caseRow.id);
  assert.ok(linked && linked.status === 'booked', 'the booking belongs to the case');
  const again = await book(owner, { location: 'buergerservice-markt', day: '2026-12-15', time: '08:15', email: 'erika@example.org', caseId: caseRow.id });
  assert.equal(again.status, 409, 'one upcoming appointment per case');
  assert.match(pageText(again.body), /schon ein Termin gebucht/);
  const props = await appointmentPanelProps(runtime, caseRow.id, SERVICE);
  assert.ok(props, 'the service has appointments: the panel has something to show');
  assert.equal(props.manageHref, `/appointments/manage/${token}`, 'the panel links to the same manage page as the mail');
  assert.equal(await appointmentPanelProps(runtime, caseRow.id, 'versammlungsanzeige'), undefined, 'no panel for services without appointments');
  const panel = renderPage(AppointmentPanel({ lang: 'de', ...props }));
  assert.match(panel, /15\. Dezember 2026 um 08:00/);
  assert.match(panel, /Bürgerservice Am Markt/);
  assert.ok(panel.includes(`/appointments/manage/${token}`), 'the panel links to the manage page');
  const empty = renderPage(AppointmentPanel({ lang: 'en', caseId: caseRow.id, serviceId: SERVICE, booking: undefined, manageHref: undefined, location: undefined, timeZone: 'Europe/Berlin' }));
  assert.ok(empty.includes(`/appointments/book/${SERVICE}?case=${caseRow.id}`) && empty.includes('Book an appointment'), 'without a booking: the link to book');
});

test('the staff link to the day view: case readers of a department that runs a location', () => {
  const locationDepartments = runtime.catalogue.city.locations.map((l) => l.departmentId);
  const has = (departmentId: string, role: string) => staffLinks({ grants: [{ departmentId, role }] }, 'de', locationDepartments).some((l) => l.href === '/staff/appointments');
  assert.equal(has('buergerservice', 'clerk'), true, 'a Bürgerservice clerk');
  assert.equal(has('standesamt', 'supervisor'), true, 'a Standesamt supervisor');
  assert.equal(has('versammlungsbehoerde', 'clerk'), false, 'no location, no link');
  assert.equal(has('buergerservice', 'department_admin'), false, 'administrators read no cases');
});
