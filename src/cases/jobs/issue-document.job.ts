import { issueDocumentsForEvent, type IssueDeps } from '../../efile/issued-documents.ts';
import type { JobDefinition } from '../../platform/jobs/queue.ts';

/**
 * The `issue_documents` effect (ADR 0013): renders, seals and files the receipts and decisions
 * that the service definition issues on this submission or transition. Idempotent: a document
 * already issued for the case, template and event is not issued again, so a retry after a crash
 * (or a second delivery) changes nothing.
 * Retry: 5 attempts starting 30 s apart and doubling (30 + 60 + 120 + 240 + 480 s, about
 * 15 minutes in all), then the job fails visibly in the queue; the citizen's mail does not wait for it.
 */
export interface IssueDocumentPayload {
  readonly caseId: string;
  readonly eventId: string;
}

export function parseIssueDocumentPayload(data: unknown): IssueDocumentPayload {
  const d = data as { caseId?: unknown; eventId?: unknown } | null;
  const eventId = typeof d?.eventId === 'number' ? String(d.eventId) : d?.eventId;
  if (!d || typeof d.caseId !== 'string' || typeof eventId !== 'string' || !/^[1-9][0-9]{0,18}$/.test(eventId))
    throw new Error('efile.issue-document job: payload needs caseId (uuid) and eventId (a case event id)');
  return { caseId: d.caseId, eventId };
}

export const ISSUE_DOCUMENT_JOB = 'efile.issue-document';

export function issueDocumentJob(deps: IssueDeps): JobDefinition<IssueDocumentPayload> {
  return {
    name: ISSUE_DOCUMENT_JOB,
    retry: { limit: 5, delaySeconds: 30, backoff: true },
    parse: parseIssueDocumentPayload,
    async handle(payload, { log }) {
      const issued = await issueDocumentsForEvent(deps, payload);
      // Ids only: the log carries no reference and nothing of the case.
      log.info({ issued: issued.map((d) => ({ id: d.id, templateId: d.templateId, created: d.created })) }, 'documents issued');
    },
  };
}
