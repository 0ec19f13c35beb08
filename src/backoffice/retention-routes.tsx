import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { Catalogue } from '../catalogue/registry.ts';
import type { Lang } from '../catalogue/service-definition.ts';
import { legalHoldTarget, LEGAL_HOLD_PERMISSION, LEGAL_HOLD_REASON_MAX, releaseLegalHold, retentionEndsAt, retentionOverview, setLegalHold, type RetentionOverview, type StaffActor } from '../efile/retention.ts';
import { departmentsWith } from '../identity/permissions.ts';
import { setFlash, takeFlash } from '../identity/sessions.ts';
import type { StaffIdentity } from '../identity/staff-auth.ts';
import { ConflictError, ForbiddenError, ValidationError, type FieldProblem } from '../platform/errors.ts';
import { formatDate } from '../platform/i18n/time.ts';
import { Alert, Button, CsrfField, ErrorSummary, TextInput } from '../platform/views/components.tsx';
import { sendPage } from '../portal/shell.tsx';
import type { Runtime } from '../runtime.ts';
import { StaffBar } from './pages.tsx';

/* ---------- views ---------- */

export interface LegalHoldPanelProps {
  readonly lang: Lang;
  readonly caseId: string;
  readonly hold: { readonly at: Date; readonly reason: string } | null;
  readonly csrfToken: string;
  /** Supervisors of the case's department (permission `case.assign`) set and release holds. */
  readonly canManage: boolean;
  /** The city's time zone for the date; Europe/Berlin when not given. */
  readonly timeZone?: string;
  /** After a refused form: the message at the field and the reason as typed. */
  readonly error?: string;
  readonly value?: string;
}

/**
 * The legal hold on the staff case page: its state for everyone who may open the case, the form
 * to set or release it for supervisors. The reason is internal and shown to supervisors only.
 */
export function LegalHoldPanel(p: LegalHoldPanelProps) {
  const de = p.lang === 'de';
  const tz = p.timeZone ?? 'Europe/Berlin';
  if (!p.hold && !p.canManage) return null;
  return (
    <section class="aw-legal-hold" aria-labelledby="legal-hold-title">
      <h2 class="kern-heading-medium" id="legal-hold-title">
        {de ? 'Aufbewahrungssperre' : 'Legal hold'}
      </h2>
      {p.hold ? (
        <>
          <p class="kern-body" data-testid="legal-hold-state">
            {de ? `Gesperrt seit ${formatDate(p.hold.at, p.lang, tz)}: Diese Akte wird nicht gelöscht, auch wenn ihre Aufbewahrungsfrist abläuft.` : `On hold since ${formatDate(p.hold.at, p.lang, tz)}: this file is not erased, even when its retention period ends.`}
          </p>
          {p.canManage ? (
            <>
              <p class="kern-body">
                {de ? 'Grund (nur intern): ' : 'Reason (internal only): '}
                <span class="aw-pre">{p.hold.reason}</span>
              </p>
              <form method="post" action={`/staff/cases/${p.caseId}/legal-hold/release`}>
                <CsrfField token={p.csrfToken} />
                <Button kind="secondary">{de ? 'Sperre aufheben' : 'Release the hold'}</Button>
              </form>
            </>
          ) : null}
        </>
      ) : (
        <form method="post" action={`/staff/cases/${p.caseId}/legal-hold`} novalidate>
          <CsrfField token={p.csrfToken} />
          <TextInput
            id="legalHoldReason"
            label={de ? 'Grund für die Sperre' : 'Reason for the hold'}
            hint={
              de
                ? `Zum Beispiel ein laufendes Gerichtsverfahren oder eine Prüfung. Nur intern sichtbar, höchstens ${LEGAL_HOLD_REASON_MAX} Zeichen.`
                : `For example pending court proceedings or an inspection. Internal only, at most ${LEGAL_HOLD_REASON_MAX} characters.`
            }
            error={p.error}
            value={p.value ?? ''}
            multiline
            required
            maxLength={LEGAL_HOLD_REASON_MAX}
          />
          <Button kind="secondary">{de ? 'Akte sperren' : 'Put on hold'}</Button>
        </form>
      )}
    </section>
  );
}

const deptName = (catalogue: Catalogue, id: string, lang: Lang) => catalogue.city.departments.find((d) => d.id === id)?.name[lang] ?? id;
const serviceName = (catalogue: Catalogue, id: string, lang: Lang) => catalogue.get(id)?.title[lang] ?? id;
const stateName = (catalogue: Catalogue, serviceId: string, state: string, lang: Lang) => catalogue.get(serviceId)?.process.states.find((s) => s.id === state)?.publicLabel[lang] ?? state;

function Th(props: { children: ComponentChildren }) {
  return (
    <th class="kern-table__header" scope="col">
      {props.children}
    </th>
  );
}

function RetentionView(p: { lang: Lang; catalogue: Catalogue; overview: RetentionOverview; mode: 'erase' | 'list'; now: Date; csrfToken: string; done?: string | undefined }) {
  const de = p.lang === 'de';
  const tz = p.catalogue.city.timeZone;
  const date = (d: Date | null) => (d ? formatDate(d, p.lang, tz) : '—');
  const { due, held, statistics } = p.overview;
  return (
    <>
      {p.done ? <Alert kind="success" title={p.done} role="status" /> : null}
      <h1 class="kern-heading-large">{de ? 'Aufbewahrung und Löschung' : 'Retention and erasure'}</h1>
      <p class="kern-body">
        {de
          ? 'Jede Leistung legt fest, wie lange abgeschlossene Akten aufbewahrt werden. Die Frist beginnt mit dem Abschluss des Vorgangs. Danach löscht ein täglicher Lauf die Dokumente und alle personenbezogenen Daten; es bleiben das Aktenzeichen, eine anonyme Zählung und ein Eintrag im Prüfprotokoll.'
          : 'Each service sets how long closed files are kept. The period starts when the case is closed. After it, a daily run erases the documents and all personal data; the reference, an anonymous count and an audit entry remain.'}
      </p>
      {p.mode === 'list' ? (
        <Alert kind="info" title={de ? 'Fällige Akten werden nur aufgelistet' : 'Due files are only listed'}>
          <p class="kern-body">
            {de
              ? 'In dieser Installation löscht der tägliche Lauf nicht selbst: fällige Akten werden zuerst dem Archiv angeboten (RETENTION_MODE=list).'
              : 'In this installation the daily run does not erase: due files are first offered to the archive (RETENTION_MODE=list).'}
          </p>
        </Alert>
      ) : null}

      <h2 class="kern-heading-medium" id="due">
        {de ? `Zur Löschung fällig (${due.length})` : `Due for erasure (${due.length})`}
      </h2>
      {due.length === 0 ? (
        <p class="kern-body">{de ? 'Keine Akte ist fällig.' : 'No file is due.'}</p>
      ) : (
        <table class="kern-table" data-testid="retention-due">
          <caption class="kern-sr-only">{de ? 'Akten, deren Aufbewahrungsfrist abgelaufen ist' : 'Files whose retention period has ended'}</caption>
          <thead class="kern-table__header">
            <tr class="kern-table__row">
              <Th>{de ? 'Aktenzeichen' : 'Reference'}</Th>
              <Th>{de ? 'Leistung' : 'Service'}</Th>
              <Th>{de ? 'Abgeschlossen am' : 'Closed on'}</Th>
              <Th>{de ? 'Fällig seit' : 'Due since'}</Th>
              <Th>{de ? 'Sperre' : 'Hold'}</Th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {due.map((c) => (
              <tr class="kern-table__row">
                <td class="kern-table__cell">
                  <a class="kern-link" href={`/staff/cases/${c.id}`}>
                    {c.reference}
                  </a>
                </td>
                <td class="kern-table__cell">{serviceName(p.catalogue, c.serviceId, p.lang)}</td>
                <td class="kern-table__cell">{date(c.closedAt)}</td>
                <td class="kern-table__cell">{date(c.dueAt)}</td>
                <td class="kern-table__cell">{de ? 'keine' : 'none'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 class="kern-heading-medium" id="held">
        {de ? `Aufbewahrungssperren (${held.length})` : `Legal holds (${held.length})`}
      </h2>
      {held.length === 0 ? (
        <p class="kern-body">{de ? 'Keine Akte ist gesperrt.' : 'No file is on hold.'}</p>
      ) : (
        <table class="kern-table" data-testid="retention-held">
          <caption class="kern-sr-only">{de ? 'Akten mit Aufbewahrungssperre' : 'Files on legal hold'}</caption>
          <thead class="kern-table__header">
            <tr class="kern-table__row">
              <Th>{de ? 'Aktenzeichen' : 'Reference'}</Th>
              <Th>{de ? 'Leistung' : 'Service'}</Th>
              <Th>{de ? 'Gesperrt seit' : 'On hold since'}</Th>
              <Th>{de ? 'Gesperrt von' : 'Put on hold by'}</Th>
              <Th>{de ? 'Grund (intern)' : 'Reason (internal)'}</Th>
              <Th>{de ? 'Frist' : 'Retention'}</Th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {held.map((h) => {
              const def = p.catalogue.get(h.serviceId);
              const ends = def && h.closedAt ? retentionEndsAt(def, h.closedAt) : null;
              return (
                <tr class="kern-table__row">
                  <td class="kern-table__cell">
                    <a class="kern-link" href={`/staff/cases/${h.id}`}>
                      {h.reference}
                    </a>
                  </td>
                  <td class="kern-table__cell">{serviceName(p.catalogue, h.serviceId, p.lang)}</td>
                  <td class="kern-table__cell">{date(h.heldAt)}</td>
                  <td class="kern-table__cell">{h.heldBy ?? '—'}</td>
                  <td class="kern-table__cell">
                    <span class="aw-pre">{h.reason}</span>
                  </td>
                  <td class="kern-table__cell">
                    {ends === null
                      ? de
                        ? 'Vorgang offen'
                        : 'Case open'
                      : ends <= p.now
                        ? de
                          ? `abgelaufen am ${date(ends)} – wird nach Aufhebung gelöscht`
                          : `ended on ${date(ends)} – erased once released`
                        : de
                          ? `endet am ${date(ends)}`
                          : `ends on ${date(ends)}`}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}

      <h2 class="kern-heading-medium" id="statistics">
        {de ? 'Gelöschte Akten (anonyme Statistik)' : 'Erased files (anonymous statistics)'}
      </h2>
      {statistics.length === 0 ? (
        <p class="kern-body">{de ? 'Bisher wurde keine Akte gelöscht.' : 'No file has been erased yet.'}</p>
      ) : (
        <table class="kern-table" data-testid="retention-statistics">
          <caption class="kern-sr-only">{de ? 'Gelöschte Akten nach Abteilung, Leistung, Jahr des Abschlusses und Ergebnis' : 'Erased files by department, service, year of closing and outcome'}</caption>
          <thead class="kern-table__header">
            <tr class="kern-table__row">
              <Th>{de ? 'Abteilung' : 'Department'}</Th>
              <Th>{de ? 'Leistung' : 'Service'}</Th>
              <Th>{de ? 'Abgeschlossen im Jahr' : 'Closed in'}</Th>
              <Th>{de ? 'Ergebnis' : 'Outcome'}</Th>
              <Th>{de ? 'Gelöscht' : 'Erased'}</Th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {statistics.map((s) => (
              <tr class="kern-table__row">
                <td class="kern-table__cell">{deptName(p.catalogue, s.departmentId, p.lang)}</td>
                <td class="kern-table__cell">{serviceName(p.catalogue, s.serviceId, p.lang)}</td>
                <td class="kern-table__cell">{s.closedYear}</td>
                <td class="kern-table__cell">{stateName(p.catalogue, s.serviceId, s.finalState, p.lang)}</td>
                <td class="kern-table__cell">{s.erased}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** The page a refused legal-hold form comes back on (the case page shows the panel otherwise). */
function LegalHoldFormView(p: { lang: Lang; caseId: string; reference: string; csrfToken: string; hold: { at: Date; reason: string } | null; timeZone: string; errors: readonly FieldProblem[]; value: string; message?: string | undefined }) {
  const de = p.lang === 'de';
  return (
    <>
      <p class="kern-body">
        <a class="kern-link" href={`/staff/cases/${p.caseId}`}>
          {de ? 'Zurück zum Vorgang' : 'Back to the case'}
        </a>
      </p>
      <ErrorSummary title={de ? 'Bitte korrigieren Sie Folgendes' : 'There is a problem'} errors={p.errors.map((e) => ({ href: `#${e.field}`, text: e.message[p.lang] }))} />
      {p.message ? (
        <Alert kind="danger" title={de ? 'Nicht ausgeführt' : 'Not carried out'} role="alert">
          <p class="kern-body">{p.message}</p>
        </Alert>
      ) : null}
      <span class="kern-preline">{de ? 'Aufbewahrungssperre' : 'Legal hold'}</span>
      <h1 class="kern-heading-large">{p.reference}</h1>
      <LegalHoldPanel lang={p.lang} caseId={p.caseId} hold={p.hold} csrfToken={p.csrfToken} canManage timeZone={p.timeZone} error={p.errors[0]?.message[p.lang]} value={p.value} />
    </>
  );
}

/* ---------- routes ---------- */

/**
 * Retention for supervisors: /staff/retention (files due, files on hold, the anonymous count of
 * erased files) and the legal hold on a case. The staff session (both factors) is checked by the
 * back office's preHandler; the permission and the case's department are part of every query
 * (efile/retention.ts), so anyone else gets the 404 of a case that does not exist.
 */
export function registerRetentionRoutes(app: FastifyInstance, deps: Runtime, staff: (req: FastifyRequest) => StaffIdentity): void {
  const { db, catalogue } = deps;
  const actorOf = (id: StaffIdentity): StaffActor => ({ type: 'staff', id: id.id, grants: id.grants });
  const withBar = (req: FastifyRequest, reply: FastifyReply, body: ComponentChildren) => {
    const me = staff(req);
    const departments = [...new Set(me.grants.map((g) => g.departmentId))].map((d) => deptName(catalogue, d, req.lang));
    return (
      <>
        <StaffBar lang={req.lang} staffName={me.displayName} departments={departments} csrfToken={reply.generateCsrf()} />
        {body}
      </>
    );
  };

  app.get('/staff/retention', async (req, reply) => {
    const me = staff(req);
    if (departmentsWith(me, LEGAL_HOLD_PERMISSION).length === 0) throw new ForbiddenError({ de: 'Die Aufbewahrung verwaltet die Sachgebietsleitung.', en: 'Retention is managed by supervisors.' });
    const overview = await retentionOverview(deps, actorOf(me));
    const flash = await takeFlash(db, req.session);
    return sendPage(req, reply, catalogue, {
      area: 'staff',
      title: req.lang === 'de' ? 'Aufbewahrung und Löschung' : 'Retention and erasure',
      body: withBar(req, reply, <RetentionView lang={req.lang} catalogue={catalogue} overview={overview} mode={deps.config.retentionMode} now={deps.now()} csrfToken={reply.generateCsrf()} done={flash?.[req.lang]} />),
    });
  });

  app.post('/staff/cases/:id/legal-hold', async (req: FastifyRequest<{ Params: { id: string }; Body: { legalHoldReason?: string } }>, reply) => {
    const actor = actorOf(staff(req));
    // First the case (404 for anyone who may not hold it), then the form: a refusal shows nothing
    // of a case the person cannot reach.
    const target = await legalHoldTarget(db, actor, req.params.id);
    const value = String(req.body?.legalHoldReason ?? '').slice(0, 5000);
    try {
      await setLegalHold(deps, actor, target.id, value);
    } catch (err) {
      if (!(err instanceof ValidationError) && !(err instanceof ConflictError)) throw err;
      return sendPage(req, reply, catalogue, {
        area: 'staff',
        title: `${target.reference} – ${req.lang === 'de' ? 'Aufbewahrungssperre' : 'Legal hold'}`,
        status: err.status,
        hasErrors: true,
        body: withBar(
          req,
          reply,
          <LegalHoldFormView
            lang={req.lang}
            caseId={target.id}
            reference={target.reference}
            csrfToken={reply.generateCsrf()}
            hold={target.hold}
            timeZone={catalogue.city.timeZone}
            errors={err instanceof ValidationError ? err.fields : []}
            value={value}
            message={err instanceof ConflictError ? err.userMessage[req.lang] : undefined}
          />,
        ),
      });
    }
    await setFlash(db, req.session!, { de: 'Aufbewahrungssperre gesetzt. Die Akte wird nicht gelöscht, bis die Sperre aufgehoben ist.', en: 'Legal hold set. The file is not erased until the hold is released.' });
    return reply.redirect(`/staff/cases/${target.id}`, 303);
  });

  app.post('/staff/cases/:id/legal-hold/release', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const actor = actorOf(staff(req));
    const target = await legalHoldTarget(db, actor, req.params.id);
    try {
      await releaseLegalHold(deps, actor, target.id);
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      await setFlash(db, req.session!, err.userMessage);
      return reply.redirect(`/staff/cases/${target.id}`, 303);
    }
    await setFlash(db, req.session!, { de: 'Aufbewahrungssperre aufgehoben. Die Aufbewahrungsfrist gilt wieder.', en: 'Legal hold released. The retention period applies again.' });
    return reply.redirect(`/staff/cases/${target.id}`, 303);
  });
}
