import type { CityLocation } from '../catalogue/city.ts';
import type { Lang, ServiceDefinition, Text } from '../catalogue/service-definition.ts';
import type { FieldProblem } from '../platform/errors.ts';
import { formatDateTime } from '../platform/i18n/time.ts';
import { Alert, Button, CsrfField, ErrorSummary, SummaryList, Table, TextInput } from '../platform/views/components.tsx';
import type { AppointmentStatus } from '../schema.ts';
import type { BookingView, DayEntry, FreeSlot } from './appointments.ts';

/**
 * The appointment pages: choose place → day → time → e-mail and confirm, the page behind the
 * manage link, and the staff's day. Plain links and forms: nothing here needs JavaScript.
 */

const dayFormatters = new Map<Lang, Intl.DateTimeFormat>();
/** `2026-12-01` → `Dienstag, 1. Dezember 2026` / `Tuesday 1 December 2026`. */
function formatDay(day: string, lang: Lang): string {
  let f = dayFormatters.get(lang);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
    dayFormatters.set(lang, f);
  }
  return f.format(new Date(`${day}T12:00:00Z`));
}

const clock = (time: string, lang: Lang) => (lang === 'de' ? `${time} Uhr` : time);

/** Where the picking links lead and where the final form posts (booking anew, or rebooking). */
export interface PickFlow {
  /** GET path of the picking pages. */
  readonly base: string;
  /** Extra query parameters every link keeps (the case a booking is for). */
  readonly keep: Readonly<Record<string, string>>;
  readonly mode: 'book' | 'rebook';
}

function flowHref(flow: PickFlow, params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...flow.keep, ...params })) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `${flow.base}?${s}` : flow.base;
}

function Heading(p: { lang: Lang; def: ServiceDefinition; purpose: Text; mode: PickFlow['mode']; title: string }) {
  return (
    <>
      <span class="kern-preline">
        {p.def.title[p.lang]} · {p.purpose[p.lang]}
      </span>
      <h1 class="kern-heading-large">{p.title}</h1>
      {p.mode === 'rebook' ? (
        <p class="kern-body">{p.lang === 'de' ? 'Ihr bisheriger Termin bleibt bestehen, bis Sie einen neuen bestätigt haben.' : 'Your current appointment stays until you confirm a new one.'}</p>
      ) : null}
    </>
  );
}

export function AppointmentServicesView(p: { lang: Lang; services: readonly ServiceDefinition[] }) {
  const de = p.lang === 'de';
  return (
    <>
      <h1 class="kern-heading-large">{de ? 'Termin vereinbaren' : 'Book an appointment'}</h1>
      <p class="kern-body">{de ? 'Manches geht nur vor Ort, zum Beispiel Fingerabdrücke für den Personalausweis. Wählen Sie, wofür Sie einen Termin brauchen.' : 'Some things can only be done in person, for example fingerprints for an ID card. Choose what you need an appointment for.'}</p>
      <ul class="kern-list" data-testid="appointment-services">
        {p.services.map((s) => (
          <li>
            <a class="kern-link" href={`/appointments/book/${s.id}`}>
              {s.title[p.lang]}
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}

export function PickLocationView(p: { lang: Lang; def: ServiceDefinition; purpose: Text; locations: readonly CityLocation[]; flow: PickFlow }) {
  const de = p.lang === 'de';
  return (
    <>
      <Heading lang={p.lang} def={p.def} purpose={p.purpose} mode={p.flow.mode} title={de ? 'Wo möchten Sie hinkommen?' : 'Where would you like to go?'} />
      <ul class="kern-list" data-testid="appointment-locations">
        {p.locations.map((l) => (
          <li>
            <a class="kern-link" href={flowHref(p.flow, { location: l.id })}>
              {l.name[p.lang]}
            </a>
            <br />
            <span class="kern-body kern-body--small">{l.address}</span>
          </li>
        ))}
      </ul>
    </>
  );
}

function WaitlistForm(p: { lang: Lang; serviceId: string; csrfToken: string; locationId?: string | undefined; day?: string | undefined; email: string; error?: string | undefined; caseId?: string | undefined }) {
  const de = p.lang === 'de';
  return (
    <section aria-labelledby="waitlist-title" class="aw-panel">
      <h2 class="kern-heading-medium" id="waitlist-title">
        {de ? 'Kein passender Termin frei?' : 'No suitable time free?'}
      </h2>
      <p class="kern-body">
        {de
          ? 'Tragen Sie sich auf die Warteliste ein. Wird ein Termin frei, schicken wir Ihnen ein Angebot per E-Mail und halten den Termin zwei Stunden für Sie – wer sich zuerst eingetragen hat, bekommt das erste Angebot.'
          : 'Join the waiting list. When a time becomes free, we email you an offer and hold the time for two hours — first come, first served.'}
      </p>
      <form method="post" action={`/appointments/waitlist/${p.serviceId}`} novalidate>
        <CsrfField token={p.csrfToken} />
        {p.locationId ? <input type="hidden" name="location" value={p.locationId} /> : null}
        {p.day ? <input type="hidden" name="day" value={p.day} /> : null}
        {p.caseId ? <input type="hidden" name="case" value={p.caseId} /> : null}
        <TextInput id="waitlist-email" label={de ? 'E-Mail-Adresse' : 'Email address'} type="email" autocomplete="email" value={p.email} error={p.error} required />
        <Button kind="secondary">{de ? 'Auf die Warteliste' : 'Join the waiting list'}</Button>
      </form>
    </section>
  );
}

export function PickDayView(p: {
  lang: Lang;
  def: ServiceDefinition;
  purpose: Text;
  location: CityLocation;
  days: readonly { day: string; free: number }[];
  flow: PickFlow;
  csrfToken: string;
  email: string;
}) {
  const de = p.lang === 'de';
  const anyFree = p.days.some((d) => d.free > 0);
  return (
    <>
      <Heading lang={p.lang} def={p.def} purpose={p.purpose} mode={p.flow.mode} title={de ? 'An welchem Tag?' : 'On which day?'} />
      <p class="kern-body">
        {p.location.name[p.lang]}, {p.location.address} ·{' '}
        <a class="kern-link" href={flowHref(p.flow, {})}>
          {de ? 'Anderen Ort wählen' : 'Choose another place'}
        </a>
      </p>
      {anyFree ? null : <Alert kind="info" title={de ? 'Zurzeit ist hier kein Termin frei.' : 'No time is free here at the moment.'} />}
      <ul class="kern-list" data-testid="appointment-days">
        {p.days.map((d) => (
          <li>
            {d.free > 0 ? (
              <a class="kern-link" href={flowHref(p.flow, { location: p.location.id, day: d.day })}>
                {formatDay(d.day, p.lang)}
              </a>
            ) : (
              <span>{formatDay(d.day, p.lang)}</span>
            )}{' '}
            <span class="kern-body kern-body--small">({d.free > 0 ? (de ? `${d.free} frei` : `${d.free} free`) : de ? 'ausgebucht' : 'fully booked'})</span>
          </li>
        ))}
      </ul>
      {p.flow.mode === 'book' ? <WaitlistForm lang={p.lang} serviceId={p.def.id} csrfToken={p.csrfToken} locationId={p.location.id} email={p.email} caseId={p.flow.keep.case} /> : null}
    </>
  );
}

export function PickTimeView(p: {
  lang: Lang;
  def: ServiceDefinition;
  purpose: Text;
  location: CityLocation;
  day: string;
  slots: readonly FreeSlot[];
  flow: PickFlow;
  csrfToken: string;
  email: string;
  /** After a lost race: the message and the next free times anywhere ahead. */
  taken?: { message: string; next: readonly FreeSlot[] } | undefined;
}) {
  const de = p.lang === 'de';
  const free = p.slots.filter((s) => s.free > 0);
  return (
    <>
      {p.taken ? (
        <Alert kind="danger" title={p.taken.message} role="alert">
          {p.taken.next.length > 0 ? (
            <>
              <p class="kern-body">{de ? 'Die nächsten freien Termine:' : 'The next free times:'}</p>
              <ul class="kern-list" data-testid="next-free">
                {p.taken.next.map((s) => (
                  <li>
                    <a class="kern-link" href={flowHref(p.flow, { location: p.location.id, day: s.day, time: s.time })}>
                      {formatDay(s.day, p.lang)}, {clock(s.time, p.lang)}
                    </a>
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p class="kern-body">{de ? 'Zurzeit ist kein weiterer Termin frei. Tragen Sie sich gern auf die Warteliste ein.' : 'No other time is free at the moment. You are welcome to join the waiting list.'}</p>
          )}
        </Alert>
      ) : null}
      <Heading lang={p.lang} def={p.def} purpose={p.purpose} mode={p.flow.mode} title={de ? 'Um wie viel Uhr?' : 'At what time?'} />
      <p class="kern-body">
        {p.location.name[p.lang]} · {formatDay(p.day, p.lang)} ·{' '}
        <a class="kern-link" href={flowHref(p.flow, { location: p.location.id })}>
          {de ? 'Anderen Tag wählen' : 'Choose another day'}
        </a>
      </p>
      {free.length === 0 ? <p class="kern-body">{de ? 'An diesem Tag ist kein Termin mehr frei.' : 'No time is free on this day any more.'}</p> : null}
      <ul class="kern-list aw-slot-list" data-testid="appointment-times">
        {p.slots.map((s) => (
          <li>
            {s.free > 0 ? (
              <a class="kern-link" href={flowHref(p.flow, { location: p.location.id, day: p.day, time: s.time })}>
                {clock(s.time, p.lang)}
              </a>
            ) : (
              <span>
                {clock(s.time, p.lang)} <span class="kern-body kern-body--small">({de ? 'vergeben' : 'taken'})</span>
              </span>
            )}
          </li>
        ))}
      </ul>
      {p.flow.mode === 'book' ? <WaitlistForm lang={p.lang} serviceId={p.def.id} csrfToken={p.csrfToken} locationId={p.location.id} day={p.day} email={p.email} caseId={p.flow.keep.case} /> : null}
    </>
  );
}

export function ConfirmSlotView(p: {
  lang: Lang;
  def: ServiceDefinition;
  purpose: Text;
  location: CityLocation;
  day: string;
  time: string;
  flow: PickFlow;
  action: string;
  csrfToken: string;
  email: string;
  errors: readonly FieldProblem[];
  reference?: string | undefined;
}) {
  const de = p.lang === 'de';
  const err = (f: string) => p.errors.find((e) => e.field === f)?.message[p.lang];
  return (
    <>
      <ErrorSummary title={de ? 'Bitte korrigieren Sie Folgendes' : 'There is a problem'} errors={p.errors.map((e) => ({ href: `#${e.field === 'email' ? 'email' : 'confirm-time'}`, text: e.message[p.lang] }))} />
      <Heading lang={p.lang} def={p.def} purpose={p.purpose} mode={p.flow.mode} title={p.flow.mode === 'book' ? (de ? 'Termin prüfen und buchen' : 'Check and book the appointment') : de ? 'Neuen Termin bestätigen' : 'Confirm the new time'} />
      <SummaryList
        rows={[
          { key: de ? 'Wofür' : 'What for', value: p.purpose[p.lang] },
          ...(p.reference ? [{ key: de ? 'Aktenzeichen' : 'Reference', value: p.reference }] : []),
          { key: de ? 'Wo' : 'Where', value: `${p.location.name[p.lang]}, ${p.location.address}` },
          {
            key: de ? 'Wann' : 'When',
            value: (
              <span id="confirm-time">
                {formatDay(p.day, p.lang)}, {clock(p.time, p.lang)}
              </span>
            ),
            action: { href: flowHref(p.flow, { location: p.location.id, day: p.day }), label: de ? 'Ändern' : 'Change', hidden: de ? 'Uhrzeit' : 'time' },
          },
        ]}
      />
      {err('time') ? <Alert kind="danger" title={err('time')!} role="alert" /> : null}
      <form method="post" action={p.action} novalidate>
        <CsrfField token={p.csrfToken} />
        <input type="hidden" name="location" value={p.location.id} />
        <input type="hidden" name="day" value={p.day} />
        <input type="hidden" name="time" value={p.time} />
        {p.flow.keep.case ? <input type="hidden" name="case" value={p.flow.keep.case} /> : null}
        {p.flow.mode === 'book' ? (
          <TextInput
            id="email"
            label={de ? 'E-Mail-Adresse' : 'Email address'}
            hint={de ? 'Hierhin senden wir die Bestätigung mit dem Termin für Ihren Kalender und dem Link zum Verschieben oder Absagen.' : 'We send the confirmation here, with the calendar entry and the link to move or cancel.'}
            type="email"
            autocomplete="email"
            value={p.email}
            error={err('email')}
            required
          />
        ) : null}
        <Button>{p.flow.mode === 'book' ? (de ? 'Termin verbindlich buchen' : 'Book the appointment') : de ? 'Termin verlegen' : 'Move the appointment'}</Button>
      </form>
    </>
  );
}

const STATUS: Record<AppointmentStatus, Text> = {
  held: { de: 'Für Sie reserviert', en: 'Reserved for you' },
  booked: { de: 'Gebucht', en: 'Booked' },
  cancelled: { de: 'Abgesagt', en: 'Cancelled' },
  expired: { de: 'Angebot abgelaufen', en: 'Offer expired' },
  attended: { de: 'Wahrgenommen', en: 'Attended' },
  no_show: { de: 'Nicht erschienen', en: 'Did not attend' },
};

export function ManageView(p: { lang: Lang; booking: BookingView; def: ServiceDefinition; purpose: Text; location: CityLocation | undefined; timeZone: string; token: string; csrfToken: string; now: Date; message?: { kind: 'success' | 'danger'; text: string } | undefined }) {
  const de = p.lang === 'de';
  const b = p.booking;
  const upcoming = b.startsAt.getTime() > p.now.getTime();
  const base = `/appointments/manage/${p.token}`;
  return (
    <>
      {p.message ? <Alert kind={p.message.kind} title={p.message.text} role={p.message.kind === 'danger' ? 'alert' : 'status'} /> : null}
      <span class="kern-preline">{p.def.title[p.lang]}</span>
      <h1 class="kern-heading-large">
        {de ? 'Ihr Termin: ' : 'Your appointment: '}
        <span data-testid="appointment-status">{STATUS[b.status][p.lang]}</span>
      </h1>
      <SummaryList
        rows={[
          { key: de ? 'Wofür' : 'What for', value: p.purpose[p.lang] },
          { key: de ? 'Wann' : 'When', value: <span data-testid="appointment-when">{formatDateTime(b.startsAt, p.lang, p.timeZone)}</span> },
          { key: de ? 'Wo' : 'Where', value: p.location ? `${p.location.name[p.lang]}, ${p.location.address}` : b.locationId },
        ]}
      />
      {b.status === 'held' && b.heldUntil ? (
        <>
          <p class="kern-body">
            {de ? `Dieser Termin ist bis ${formatDateTime(b.heldUntil, 'de', p.timeZone)} Uhr für Sie reserviert.` : `This time is reserved for you until ${formatDateTime(b.heldUntil, 'en', p.timeZone)}.`}
          </p>
          <form method="post" action={`${base}/accept`} class="aw-inline-form">
            <CsrfField token={p.csrfToken} />
            <Button>{de ? 'Termin annehmen' : 'Accept the appointment'}</Button>
          </form>
          <form method="post" action={`${base}/cancel`} class="aw-inline-form">
            <CsrfField token={p.csrfToken} />
            <Button kind="secondary">{de ? 'Ablehnen' : 'Decline'}</Button>
          </form>
        </>
      ) : null}
      {b.status === 'booked' && upcoming ? (
        <>
          <h2 class="kern-heading-medium">{de ? 'Was Sie tun können' : 'What you can do'}</h2>
          <ul class="kern-list">
            <li>
              <a class="kern-link" href={`${base}/rebook`}>
                {de ? 'Termin verschieben' : 'Move the appointment'}
              </a>
            </li>
            <li>
              <a class="kern-link" href={`${base}/cancel`}>
                {de ? 'Termin absagen' : 'Cancel the appointment'}
              </a>
            </li>
          </ul>
        </>
      ) : null}
      {b.status === 'cancelled' || b.status === 'expired' ? (
        <p class="kern-body">
          <a class="kern-link" href={`/appointments/book/${b.serviceId}`}>
            {de ? 'Neuen Termin buchen' : 'Book a new appointment'}
          </a>
        </p>
      ) : null}
    </>
  );
}

export function CancelConfirmView(p: { lang: Lang; booking: BookingView; purpose: Text; timeZone: string; token: string; csrfToken: string }) {
  const de = p.lang === 'de';
  return (
    <>
      <h1 class="kern-heading-large">{de ? 'Termin absagen?' : 'Cancel the appointment?'}</h1>
      <p class="kern-body">
        {p.purpose[p.lang]}, {formatDateTime(p.booking.startsAt, p.lang, p.timeZone)}
      </p>
      <p class="kern-body">{de ? 'Der Termin wird frei und kann von jemand anderem gebucht werden. Das können Sie nicht rückgängig machen.' : 'The time becomes free for someone else. You cannot undo this.'}</p>
      <form method="post" action={`/appointments/manage/${p.token}/cancel`} class="aw-inline-form">
        <CsrfField token={p.csrfToken} />
        <Button>{de ? 'Ja, Termin absagen' : 'Yes, cancel the appointment'}</Button>
      </form>
      <p class="kern-body">
        <a class="kern-link" href={`/appointments/manage/${p.token}`}>
          {de ? 'Nein, zurück' : 'No, go back'}
        </a>
      </p>
    </>
  );
}

export function WaitlistJoinedView(p: { lang: Lang; def: ServiceDefinition; location?: CityLocation | undefined; day?: string | undefined }) {
  const de = p.lang === 'de';
  const what = [p.location?.name[p.lang], p.day ? formatDay(p.day, p.lang) : undefined].filter(Boolean).join(', ');
  return (
    <>
      <Alert kind="success" title={de ? 'Sie stehen auf der Warteliste.' : 'You are on the waiting list.'} role="status" />
      <h1 class="kern-heading-large">{p.def.title[p.lang]}</h1>
      <p class="kern-body">
        {de
          ? `Wird ein Termin frei${what ? ` (${what})` : ''}, schicken wir Ihnen ein Angebot per E-Mail. Sie haben dann zwei Stunden Zeit, es anzunehmen.`
          : `When a time becomes free${what ? ` (${what})` : ''}, we email you an offer. You then have two hours to accept it.`}
      </p>
    </>
  );
}

/* ---------- the status page (for the integrator) ---------- */

/**
 * The appointment on a case's status page: the booked time with links to move or cancel it, or a
 * link to book one. Shown only for services with appointments; `manageHref` is the booking's
 * manage link where the page can build it (the token is derived, never stored).
 */
export interface AppointmentPanelProps {
  readonly lang: Lang;
  readonly caseId: string;
  readonly serviceId: string;
  readonly booking: BookingView | undefined;
  readonly manageHref: string | undefined;
  readonly location: CityLocation | undefined;
  readonly timeZone: string;
}

export function AppointmentPanel(p: AppointmentPanelProps) {
  const de = p.lang === 'de';
  return (
    <section class="aw-panel" aria-labelledby="appointment-title" data-testid="appointment-panel">
      <h2 class="kern-heading-medium" id="appointment-title">
        {de ? 'Ihr Termin vor Ort' : 'Your appointment in person'}
      </h2>
      {p.booking ? (
        <>
          <p class="kern-body">
            {p.booking.status === 'held' ? (de ? 'Für Sie reserviert: ' : 'Reserved for you: ') : null}
            <strong>{formatDateTime(p.booking.startsAt, p.lang, p.timeZone)}</strong>
            {p.location ? `, ${p.location.name[p.lang]}, ${p.location.address}` : ''}
          </p>
          {p.manageHref ? (
            <p class="kern-body">
              <a class="kern-link" href={p.manageHref}>
                {de ? 'Termin verschieben oder absagen' : 'Move or cancel the appointment'}
              </a>
            </p>
          ) : null}
        </>
      ) : (
        <p class="kern-body">
          <a class="kern-link" href={`/appointments/book/${p.serviceId}?case=${p.caseId}`}>
            {de ? 'Termin buchen' : 'Book an appointment'}
          </a>
        </p>
      )}
    </section>
  );
}

/* ---------- the staff's day ---------- */

export function StaffDayView(p: {
  lang: Lang;
  locations: readonly CityLocation[];
  location: CityLocation;
  day: string;
  entries: readonly DayEntry[];
  purposeOf: (serviceId: string) => string;
  timeZone: string;
  csrfToken: string;
  prevDay: string;
  nextDay: string;
  done?: string | undefined;
}) {
  const de = p.lang === 'de';
  const href = (location: string, day: string) => `/staff/appointments?location=${encodeURIComponent(location)}&day=${day}`;
  const time = (d: Date) => new Intl.DateTimeFormat('de-DE', { timeZone: p.timeZone, hour: '2-digit', minute: '2-digit' }).format(d);
  return (
    <>
      {p.done ? <Alert kind="success" title={p.done} role="status" /> : null}
      <h1 class="kern-heading-large">
        {de ? 'Termine' : 'Appointments'}: {p.location.name[p.lang]}
      </h1>
      <p class="kern-body" data-testid="staff-day">
        {formatDay(p.day, p.lang)}
      </p>
      <nav aria-label={de ? 'Tag und Standort' : 'Day and location'}>
        <p class="kern-body">
          <a class="kern-link" href={href(p.location.id, p.prevDay)} rel="prev">
            {de ? '← Vorheriger Tag' : '← Previous day'}
          </a>{' '}
          ·{' '}
          <a class="kern-link" href={href(p.location.id, p.nextDay)} rel="next">
            {de ? 'Nächster Tag →' : 'Next day →'}
          </a>
        </p>
        {p.locations.length > 1 ? (
          <ul class="kern-list">
            {p.locations.map((l) => (
              <li>
                {l.id === p.location.id ? (
                  <strong aria-current="page">{l.name[p.lang]}</strong>
                ) : (
                  <a class="kern-link" href={href(l.id, p.day)}>
                    {l.name[p.lang]}
                  </a>
                )}
              </li>
            ))}
          </ul>
        ) : null}
      </nav>
      {p.entries.length === 0 ? (
        <p class="kern-body">{de ? 'An diesem Tag ist kein Termin gebucht.' : 'No appointment is booked on this day.'}</p>
      ) : (
        <Table caption={de ? 'Termine des Tages in zeitlicher Reihenfolge' : "The day's appointments in time order"} headers={de ? ['Uhrzeit', 'Anliegen', 'Aktenzeichen', 'Stand', 'Erschienen?'] : ['Time', 'Purpose', 'Reference', 'Status', 'Attended?']} testId="staff-appointments">
          {p.entries.map((e) => (
            <tr class="kern-table__row">
              <td class="kern-table__cell">
                {time(e.startsAt)}–{time(e.endsAt)}
              </td>
              <td class="kern-table__cell">{p.purposeOf(e.serviceId)}</td>
              <td class="kern-table__cell">
                {e.reference && e.caseId ? (
                  <a class="kern-link" href={`/staff/cases/${e.caseId}`}>
                    {e.reference}
                  </a>
                ) : (
                  '—'
                )}
              </td>
              <td class="kern-table__cell">{STATUS[e.status][p.lang]}</td>
              <td class="kern-table__cell">
                {e.status === 'held' ? (
                  '—'
                ) : (
                  <form method="post" action={`/staff/appointments/${e.id}/attendance`} class="aw-button-row">
                    <CsrfField token={p.csrfToken} />
                    <Button kind={e.status === 'attended' ? 'primary' : 'secondary'} name="status" value="attended" ariaLabel={`${de ? 'Erschienen' : 'Attended'} ${time(e.startsAt)}`}>
                      {de ? 'Erschienen' : 'Attended'}
                    </Button>
                    <Button kind={e.status === 'no_show' ? 'primary' : 'tertiary'} name="status" value="no_show" ariaLabel={`${de ? 'Nicht erschienen' : 'No-show'} ${time(e.startsAt)}`}>
                      {de ? 'Nicht erschienen' : 'No-show'}
                    </Button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}

export function StaffLocationsView(p: { lang: Lang; locations: readonly CityLocation[]; day: string }) {
  const de = p.lang === 'de';
  return (
    <>
      <h1 class="kern-heading-large">{de ? 'Termine' : 'Appointments'}</h1>
      <ul class="kern-list">
        {p.locations.map((l) => (
          <li>
            <a class="kern-link" href={`/staff/appointments?location=${encodeURIComponent(l.id)}&day=${p.day}`}>
              {l.name[p.lang]}
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}
