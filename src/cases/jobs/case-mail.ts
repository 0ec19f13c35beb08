import type { Kysely } from 'kysely';
import type { Catalogue } from '../../catalogue/registry.ts';
import type { Text } from '../../catalogue/service-definition.ts';
import type { Mailer } from '../../platform/mail/mailer.ts';
import type { JobDefinition } from '../../platform/jobs/queue.ts';
import type { Database } from '../../schema.ts';

/**
 * Mails to the applicant. They carry no personal details and no form data: only the service,
 * the reference, the public state and the link to the status page (where the access code is
 * asked for). German first, English below.
 */
interface CaseMailPayload {
  caseId: string;
  eventId: string;
}

function parsePayload(data: unknown): CaseMailPayload {
  const d = data as Partial<CaseMailPayload> | null;
  if (!d || typeof d.caseId !== 'string' || typeof d.eventId !== 'string') throw new Error('case mail job: payload needs caseId and eventId');
  return { caseId: d.caseId, eventId: String(d.eventId) };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function render(lines: { de: string[]; en: string[] }, link: string): { text: string; html: string } {
  const text = [...lines.de, '', `Status: ${link}`, '', '— English —', '', ...lines.en, '', `Status: ${link}`, ''].join('\n');
  const para = (ls: string[]) => ls.map((l) => `<p>${escapeHtml(l)}</p>`).join('');
  const html = `<!doctype html><html lang="de"><body>${para(lines.de)}<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p><hr><div lang="en">${para(lines.en)}</div></body></html>`;
  return { text, html };
}

interface Deps {
  readonly db: Kysely<Database>;
  readonly catalogue: Catalogue;
  readonly mailer: Mailer;
  readonly publicUrl: string;
}

async function loadCase(deps: Deps, caseId: string) {
  return deps.db.selectFrom('cases').select(['id', 'reference', 'service_id', 'state', 'applicant']).where('id', '=', caseId).executeTakeFirst();
}

/** Retry: 5 attempts, 60 s apart doubling (about 30 minutes in all), then the job fails visibly. */
const RETRY = { limit: 5, delaySeconds: 60, backoff: true } as const;

export function receiptMailJob(deps: Deps): JobDefinition<CaseMailPayload> {
  return {
    name: 'mail.receipt',
    retry: RETRY,
    parse: parsePayload,
    async handle({ caseId }, { log }) {
      const row = await loadCase(deps, caseId);
      const to = (row?.applicant as { email?: string } | undefined)?.email;
      if (!row || !to) return log.info('no case or no address: nothing to send');
      const def = deps.catalogue.get(row.service_id);
      const title: Text = def?.title ?? { de: row.service_id, en: row.service_id };
      const link = `${deps.publicUrl}/status`;
      const body = render(
        {
          de: ['Guten Tag,', `Ihr Antrag „${title.de}“ ist eingegangen. Ihr Aktenzeichen: ${row.reference}.`, 'Den Stand sehen Sie jederzeit auf der Statusseite mit Aktenzeichen und Zugangscode. Den Zugangscode haben wir Ihnen nach dem Absenden angezeigt; aus Sicherheitsgründen steht er nicht in dieser E-Mail.'],
          en: ['Hello,', `We have received your “${title.en}” submission. Your reference: ${row.reference}.`, 'You can check its status at any time on the status page with the reference and access code. We showed you the access code after you submitted; for your security it is not in this email.'],
        },
        link,
      );
      await deps.mailer.send({ dedupeKey: `receipt:${row.id}`, to, subject: `Eingangsbestätigung / Receipt ${row.reference}`, ...body });
    },
  };
}

// Status changes are told by the job `notify.applicant` (notifications/notify-applicant.job.ts, ADR 0017).
