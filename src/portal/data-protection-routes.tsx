import type { FastifyInstance, FastifyRequest } from 'fastify';
import { caseAccessLog } from '../identity/data-access-log.ts';
import { exportCitizenData } from '../identity/data-export.ts';
import { sendAttachment } from '../platform/http/attachment.ts';
import type { Runtime } from '../runtime.ts';
import { DataProtectionView } from './pages/data-protection-pages.tsx';
import { sendPage } from './shell.tsx';
import { requireCitizen } from './citizen-session.ts';

/** Entries per page of the access log. */
const PAGE_SIZE = 25;
/**
 * Data exports per account and hour: each one decrypts every document of every case, so a
 * script must not be able to turn the button into load. Keyed by the account, not the address,
 * so signing in again does not reset it.
 */
const EXPORT_LIMIT = {
  max: 5,
  timeWindow: 60 * 60_000,
  keyGenerator: (req: FastifyRequest) => (req.session?.kind === 'citizen' && req.session.citizenId ? `data-export:${req.session.citizenId}` : `data-export-ip:${req.ip}`),
};

/**
 * The Datenschutz-Cockpit (`/account/data-protection`: which office accessed the citizen's own
 * cases, when) and the complete data export (`POST /account/data-export`, a ZIP attachment;
 * Art. 15/20 DSGVO). Both for a signed-in citizen only; visitors are sent to the sign-in.
 */
export async function registerDataProtectionRoutes(app: FastifyInstance, deps: Runtime): Promise<void> {
  const { catalogue, db } = deps;


  app.get('/account/data-protection', async (req: FastifyRequest<{ Querystring: { before?: string } }>, reply) => {
    const session = requireCitizen(req, reply);
    if (!session) return reply;
    const before = typeof req.query.before === 'string' ? req.query.before.slice(0, 40) : undefined;
    const page = await caseAccessLog(db, session.citizenId, { limit: PAGE_SIZE, before });
    return sendPage(req, reply, catalogue, {
      title: req.lang === 'de' ? 'Datenschutz-Cockpit' : 'Data protection cockpit',
      body: (
        <DataProtectionView
          lang={req.lang}
          csrfToken={reply.generateCsrf()}
          catalogue={catalogue}
          entries={page.entries}
          olderHref={page.next ? `/account/data-protection?before=${encodeURIComponent(page.next)}` : undefined}
          paged={before !== undefined && before !== ''}
        />
      ),
    });
  });

  app.post('/account/data-export', { config: { rateLimit: EXPORT_LIMIT } }, async (req, reply) => {
    const session = requireCitizen(req, reply);
    if (!session) return reply;
    const { fileName, zip } = await exportCitizenData(deps, session.citizenId);
    return sendAttachment(reply, { fileName, contentType: 'application/zip', bytes: zip });
  });
}
