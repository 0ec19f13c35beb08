import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Lang } from '../catalogue/service-definition.ts';
import { appendAudit } from '../efile/audit-chain.ts';
import { isSystemAdmin } from '../identity/permissions.ts';
import { setFlash, takeFlash } from '../identity/sessions.ts';
import type { StaffIdentity } from '../identity/staff-auth.ts';
import { ForbiddenError } from '../platform/errors.ts';
import { formatDateTime } from '../platform/i18n/time.ts';
import { listFailedJobs, queueCounts, retryFailedJob, type FailedJob, type QueueCounts } from '../platform/jobs/failed-jobs.ts';
import { Alert, Button, CsrfField, Table } from '../platform/views/components.tsx';
import { sendPage } from '../portal/shell.tsx';
import type { Runtime } from '../runtime.ts';
import { StaffBar } from './pages.tsx';

/* ---------- view ---------- */

function JobsView(p: { lang: Lang; timeZone: string; failed: readonly FailedJob[]; counts: readonly QueueCounts[]; csrfToken: string; done?: string | undefined }) {
  const de = p.lang === 'de';
  const when = (d: Date | null) => (d ? formatDateTime(d, p.lang, p.timeZone) : '—');
  return (
    <>
      {p.done ? <Alert kind="info" title={p.done} role="status" /> : null}
      <p class="kern-body">
        <a class="kern-link" href="/staff/admin/system">
          {de ? 'Zurück zum Systemzustand' : 'Back to the system state'}
        </a>
      </p>
      <h1 class="kern-heading-large">{de ? 'Hintergrundaufträge' : 'Background jobs'}</h1>
      <p class="kern-body">
        {de
          ? 'Jede Wirkung eines Vorgangs (E-Mails, Dokumente, Eskalationen) läuft als Auftrag mit Wiederholungen. Ein Auftrag, der alle Versuche aufgebraucht hat, steht hier eine Woche lang und kann nach Behebung der Ursache erneut versucht werden.'
          : 'Every effect of a case (mails, documents, escalations) runs as a job with retries. A job that used up all its attempts is listed here for a week and can be retried once the cause is fixed.'}
      </p>

      <h2 class="kern-heading-medium">{de ? 'Warteschlangen' : 'Queues'}</h2>
      {p.counts.length === 0 ? (
        <p class="kern-body">{de ? 'Keine wartenden, laufenden oder fehlgeschlagenen Aufträge.' : 'No waiting, running or failed jobs.'}</p>
      ) : (
        <Table
          caption={de ? 'Aufträge je Warteschlange' : 'Jobs per queue'}
          testId="queue-counts"
          headers={de ? ['Warteschlange', 'Wartend', 'Wartet auf Wiederholung', 'Laufend', 'Fehlgeschlagen'] : ['Queue', 'Waiting', 'Waiting to retry', 'Running', 'Failed']}
        >
          {p.counts.map((c) => (
            <tr class="kern-table__row">
              <td class="kern-table__cell">
                <code>{c.name}</code>
              </td>
              <td class="kern-table__cell">{c.created}</td>
              <td class="kern-table__cell">{c.retry}</td>
              <td class="kern-table__cell">{c.active}</td>
              <td class="kern-table__cell">{c.failed}</td>
            </tr>
          ))}
        </Table>
      )}

      <h2 class="kern-heading-medium" id="failed">
        {de ? `Fehlgeschlagene Aufträge (${p.failed.length})` : `Failed jobs (${p.failed.length})`}
      </h2>
      {p.failed.length === 0 ? (
        <p class="kern-body">{de ? 'Kein Auftrag ist fehlgeschlagen.' : 'No job has failed.'}</p>
      ) : (
        <Table
          caption={de ? 'Fehlgeschlagene Aufträge, neueste zuerst' : 'Failed jobs, newest first'}
          testId="failed-jobs"
          headers={de ? ['Auftrag', 'Angelegt', 'Fehlgeschlagen', 'Versuche', 'Fehlermeldung', 'Aktion'] : ['Job', 'Created', 'Failed', 'Attempts', 'Error', 'Action']}
        >
          {p.failed.map((j) => (
            <tr class="kern-table__row" data-job-id={j.id}>
              <td class="kern-table__cell">
                <code>{j.name}</code>
                <span class="kern-body kern-body--small aw-block">{j.id}</span>
              </td>
              <td class="kern-table__cell">{when(j.createdAt)}</td>
              <td class="kern-table__cell">{when(j.failedAt)}</td>
              <td class="kern-table__cell">{j.retryCount + 1}</td>
              <td class="kern-table__cell">{j.error || '—'}</td>
              <td class="kern-table__cell">
                <form method="post" action={`/staff/admin/jobs/${j.id}/retry`}>
                  <CsrfField token={p.csrfToken} />
                  <Button kind="secondary" ariaLabel={`${de ? 'Erneut versuchen' : 'Retry'} ${j.name} ${j.id}`}>
                    {de ? 'Erneut versuchen' : 'Retry'}
                  </Button>
                </form>
              </td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}

/* ---------- routes ---------- */

/**
 * Failed jobs for system administrators (permission `system.manage`): the list and a retry per
 * job, each retry audited as `jobs.retried`. Department administrators and case workers are
 * refused: job errors concern every department.
 */
export function registerJobsAdminRoutes(app: FastifyInstance, deps: Runtime, staff: (req: FastifyRequest) => StaffIdentity): void {
  const { db, catalogue } = deps;
  const refuse = () => new ForbiddenError({ de: 'Die Hintergrundaufträge sieht die Systemverwaltung.', en: 'Background jobs are for system administrators.' });

  app.get('/staff/admin/jobs', async (req: FastifyRequest, reply: FastifyReply) => {
    const me = staff(req);
    if (!isSystemAdmin(me)) throw refuse();
    const [failed, counts] = [await listFailedJobs(db), await queueCounts(db)];
    const flash = await takeFlash(db, req.session);
    const departments = [...new Set(me.grants.map((g) => g.departmentId))].map((d) => catalogue.city.departments.find((x) => x.id === d)?.name[req.lang] ?? d);
    const csrfToken = reply.generateCsrf();
    return sendPage(req, reply, catalogue, {
      area: 'staff',
      title: req.lang === 'de' ? 'Hintergrundaufträge' : 'Background jobs',
      body: (
        <>
          <StaffBar lang={req.lang} staffName={me.displayName} departments={departments} csrfToken={csrfToken} />
          <JobsView lang={req.lang} timeZone={catalogue.city.timeZone} failed={failed} counts={counts} csrfToken={csrfToken} done={flash?.[req.lang]} />
        </>
      ),
    });
  });

  app.post('/staff/admin/jobs/:id/retry', async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const me = staff(req);
    if (!isSystemAdmin(me)) throw refuse();
    const retried = await retryFailedJob(deps.jobs, req.params.id);
    if (retried) {
      await appendAudit(db, { actorType: 'staff', actorId: me.id, action: 'jobs.retried', caseId: null, details: { queue: retried.name, jobId: req.params.id } });
      await setFlash(db, req.session!, { de: `Der Auftrag ${retried.name} wird erneut versucht.`, en: `The ${retried.name} job will be retried.` });
    } else {
      // A second click, or a job that was archived meanwhile: nothing to do, and nothing is changed.
      await setFlash(db, req.session!, { de: 'Dieser Auftrag ist nicht (mehr) fehlgeschlagen; es gibt nichts zu wiederholen.', en: 'This job has not failed (any more); there is nothing to retry.' });
    }
    return reply.redirect('/staff/admin/jobs', 303);
  });
}
