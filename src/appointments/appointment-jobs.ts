import type { Mailer, OutgoingMail } from '../platform/mail/mailer.ts';
import { formatDateTime } from '../platform/i18n/time.ts';
import type { JobDefinition } from '../platform/jobs/queue.ts';
import {
  APPOINTMENT_MAIL_JOB,
  APPOINTMENT_OFFER_JOB,
  appointmentService,
  dueReminders,
  locationOf,
  manageToken,
  offerFreedPlace,
  sweepAppointments,
  type AppointmentDeps,
  type AppointmentMailKind,
} from './appointments.ts';
import { calendarFile } from './ics.ts';

/**
 * The appointment's own mails, sent from these jobs rather than through `notify.applicant`
 * because they carry what only they may: the calendar file and the personal manage link. They say
 * what the person gave for the appointment — the time, the place, the purpose — and nothing of
 * any form. The link is a secret: once handed to SMTP the outbox keeps a placeholder.
 */
export interface AppointmentJobDeps extends AppointmentDeps {
  readonly mailer: Mailer;
  readonly publicUrl: string;
}

const KINDS: readonly AppointmentMailKind[] = ['confirmation', 'rebooked', 'cancelled', 'reminder', 'offer'];
/** Which booking states each mail is still true for when its job runs. */
const STILL_TRUE: Record<AppointmentMailKind, readonly string[]> = {
  confirmation: ['booked'],
  rebooked: ['booked'],
  reminder: ['booked'],
  cancelled: ['cancelled'],
  offer: ['held'],
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function render(lines: { de: string[]; en: string[] }, link: { href: string; de: string; en: string }): { text: string; html: string } {
  const text = [...lines.de, '', `${link.de}: ${link.href}`, '', '— English —', '', ...lines.en, '', `${link.en}: ${link.href}`, ''].join('\n');
  const para = (ls: string[]) => ls.map((l) => `<p>${escapeHtml(l)}</p>`).join('');
  const a = (label: string) => `<p><a href="${escapeHtml(link.href)}">${escapeHtml(label)}</a></p>`;
  const html = `<!doctype html><html lang="de"><body>${para(lines.de)}${a(link.de)}<hr><div lang="en">${para(lines.en)}${a(link.en)}</div></body></html>`;
  return { text, html };
}

/** Builds the mail for a booking, or undefined when it is no longer true (cancelled since, rebooked since). */
export async function appointmentMail(deps: AppointmentJobDeps, bookingId: string, kind: AppointmentMailKind, sequence: number): Promise<OutgoingMail | undefined> {
  const row = await deps.db.selectFrom('appointment_bookings').selectAll().where('id', '=', bookingId).executeTakeFirst();
  if (!row || !row.email || !STILL_TRUE[kind].includes(row.status) || (kind !== 'cancelled' && row.sequence !== sequence)) return undefined;
  const service = appointmentService(deps.catalogue, row.service_id);
  const location = locationOf(service, row.location_id);
  if (!location) return undefined;
  const tz = deps.catalogue.city.timeZone;
  const start = new Date(row.starts_at);
  const end = new Date(row.ends_at);
  const when = { de: formatDateTime(start, 'de', tz), en: formatDateTime(start, 'en', tz) };
  const where = { de: `${location.name.de}, ${location.address}`, en: `${location.name.en}, ${location.address}` };
  const purpose = service.settings.purpose;
  const manage = `${deps.publicUrl}/appointments/manage/${manageToken(deps.secret, row.id)}`;
  const facts = (lang: 'de' | 'en') => (lang === 'de' ? [`Wofür: ${purpose.de}`, `Wann: ${when.de} Uhr`, `Wo: ${where.de}`] : [`What for: ${purpose.en}`, `When: ${when.en}`, `Where: ${where.en}`]);
  const manageLink = { href: manage, de: 'Termin verschieben oder absagen', en: 'Move or cancel the appointment' };
  let subject: string;
  let body: { text: string; html: string };
  switch (kind) {
    case 'confirmation':
      subject = `Terminbestätigung / Appointment confirmed: ${when.de}`;
      body = render(
        {
          de: ['Guten Tag,', 'Ihr Termin ist gebucht.', ...facts('de'), 'Im Anhang finden Sie den Termin für Ihren Kalender. Wenn Sie nicht kommen können, sagen Sie bitte ab – dann bekommt jemand anderes den Termin.'],
          en: ['Hello,', 'Your appointment is booked.', ...facts('en'), 'The attachment adds it to your calendar. If you cannot come, please cancel so that someone else can have the time.'],
        },
        manageLink,
      );
      break;
    case 'rebooked':
      subject = `Termin verlegt / Appointment moved: ${when.de}`;
      body = render(
        {
          de: ['Guten Tag,', 'Ihr Termin wurde verlegt. Es gilt nur noch dieser Termin:', ...facts('de'), 'Im Anhang finden Sie den geänderten Termin für Ihren Kalender.'],
          en: ['Hello,', 'Your appointment was moved. Only this time applies now:', ...facts('en'), 'The attachment updates it in your calendar.'],
        },
        manageLink,
      );
      break;
    case 'reminder':
      subject = `Erinnerung: Ihr Termin morgen / Reminder: your appointment tomorrow, ${when.de}`;
      body = render(
        {
          de: ['Guten Tag,', 'wir erinnern Sie an Ihren Termin:', ...facts('de'), 'Wenn Sie nicht kommen können, sagen Sie bitte ab.'],
          en: ['Hello,', 'This is a reminder of your appointment:', ...facts('en'), 'If you cannot come, please cancel.'],
        },
        manageLink,
      );
      break;
    case 'cancelled':
      subject = `Termin abgesagt / Appointment cancelled: ${when.de}`;
      body = render(
        {
          de: ['Guten Tag,', `Ihr Termin am ${when.de} Uhr (${purpose.de}, ${where.de}) ist abgesagt.`, 'Einen neuen Termin können Sie jederzeit buchen.'],
          en: ['Hello,', `Your appointment on ${when.en} (${purpose.en}, ${where.en}) is cancelled.`, 'You can book a new appointment at any time.'],
        },
        { href: `${deps.publicUrl}/appointments/book/${service.def.id}`, de: 'Neuen Termin buchen', en: 'Book a new appointment' },
      );
      break;
    case 'offer': {
      const until = row.held_until ? new Date(row.held_until) : start;
      subject = `Ein Termin ist frei geworden / An appointment became free: ${when.de}`;
      body = render(
        {
          de: ['Guten Tag,', 'Sie stehen auf der Warteliste. Ein Termin ist frei geworden:', ...facts('de'), `Wir halten ihn bis ${formatDateTime(until, 'de', tz)} Uhr für Sie. Danach geht er an die nächste Person auf der Warteliste.`],
          en: ['Hello,', 'You are on the waiting list. An appointment became free:', ...facts('en'), `We hold it for you until ${formatDateTime(until, 'en', tz)}. After that it goes to the next person on the list.`],
        },
        { href: manage, de: 'Termin annehmen oder ablehnen', en: 'Accept or decline the appointment' },
      );
      break;
    }
  }
  const withCalendar = kind === 'confirmation' || kind === 'rebooked' || kind === 'reminder';
  const host = new URL(deps.publicUrl).hostname;
  return {
    dedupeKey: `appointment:${kind}:${row.id}:${kind === 'cancelled' ? 'x' : row.sequence}`,
    to: row.email,
    subject,
    ...body,
    redactAfterSending: true,
    ...(withCalendar
      ? {
          attachments: [
            {
              filename: 'termin.ics',
              contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
              content: calendarFile({
                uid: `${row.id}@${host}`,
                sequence: row.sequence,
                stamp: deps.now(),
                start,
                end,
                summary: `${purpose.de} / ${purpose.en}`,
                location: `${location.name.de}, ${location.address}`,
                description: `Termin verschieben oder absagen / Move or cancel: ${manage}`,
                url: manage,
              }),
            },
          ],
        }
      : {}),
  };
}

interface MailPayload {
  readonly bookingId: string;
  readonly kind: AppointmentMailKind;
  readonly sequence: number;
}

/** Retry: 5 attempts, 60 s apart doubling (about 30 minutes in all), then the job fails visibly. */
const MAIL_RETRY = { limit: 5, delaySeconds: 60, backoff: true } as const;

function appointmentMailJob(deps: AppointmentJobDeps): JobDefinition<MailPayload> {
  return {
    name: APPOINTMENT_MAIL_JOB,
    retry: MAIL_RETRY,
    parse(data) {
      const d = data as Partial<MailPayload> | null;
      if (!d || typeof d.bookingId !== 'string' || !KINDS.includes(d.kind as AppointmentMailKind) || !Number.isInteger(d.sequence ?? 0)) throw new Error('appointment mail job: payload needs bookingId, kind and sequence');
      return { bookingId: d.bookingId, kind: d.kind as AppointmentMailKind, sequence: d.sequence ?? 0 };
    },
    async handle({ bookingId, kind, sequence }, { log }) {
      const mail = await appointmentMail(deps, bookingId, kind, sequence);
      if (!mail) return log.info({ kind }, 'appointment changed since: nothing to send');
      await deps.mailer.send(mail);
    },
  };
}

/** Retry: 10 attempts, 30 s apart doubling: a freed place should reach the next person within the hour. */
function appointmentOfferJob(deps: AppointmentJobDeps): JobDefinition<{ slotId: string; releaseKey: string }> {
  return {
    name: APPOINTMENT_OFFER_JOB,
    retry: { limit: 10, delaySeconds: 30, backoff: true },
    parse(data) {
      const d = data as { slotId?: unknown; releaseKey?: unknown } | null;
      if (!d || typeof d.slotId !== 'string' || typeof d.releaseKey !== 'string') throw new Error('appointment offer job: payload needs slotId and releaseKey');
      return { slotId: d.slotId, releaseKey: d.releaseKey };
    },
    async handle(payload) {
      await offerFreedPlace(deps, payload);
    },
  };
}

/**
 * Hourly: reminders for bookings starting 23–25 hours from now. The window overlaps the next run's,
 * so a late run misses nobody; the dedupe key sends each reminder once. Retry: 3 attempts, 5 min
 * apart (the next hourly run catches up anyway).
 */
function appointmentReminderJob(deps: AppointmentJobDeps): JobDefinition<Record<string, never>> {
  return {
    name: 'appointments.reminders',
    cron: '0 * * * *',
    retry: { limit: 3, delaySeconds: 300, backoff: false },
    parse: () => ({}),
    async handle(_payload, { log }) {
      await sendDueReminders(deps, log);
    },
  };
}

export async function sendDueReminders(deps: AppointmentJobDeps, log?: { warn: (obj: object, msg: string) => void }): Promise<number> {
  let sent = 0;
  let failed: unknown;
  for (const b of await dueReminders(deps)) {
    try {
      const mail = await appointmentMail(deps, b.id, 'reminder', b.sequence);
      if (mail && (await deps.mailer.send(mail)) === 'sent') sent++;
    } catch (err) {
      failed = err;
      log?.warn({ err: { message: (err as Error).message } }, 'appointment reminder failed; the run is retried');
    }
  }
  if (failed) throw failed;
  return sent;
}

/** Every five minutes: expired offers go to the next person; old data is cleared. Retry: 3 × 60 s. */
function appointmentSweepJob(deps: AppointmentJobDeps): JobDefinition<Record<string, never>> {
  return {
    name: 'appointments.sweep',
    cron: '*/5 * * * *',
    retry: { limit: 3, delaySeconds: 60, backoff: false },
    parse: () => ({}),
    async handle() {
      await sweepAppointments(deps);
    },
  };
}

/** The appointment jobs, for `runtime.ts`. */
export function appointmentJobs(deps: AppointmentJobDeps): JobDefinition<any>[] {
  return [appointmentMailJob(deps), appointmentOfferJob(deps), appointmentReminderJob(deps), appointmentSweepJob(deps)];
}
