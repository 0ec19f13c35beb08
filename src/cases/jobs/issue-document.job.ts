import { issueDocumentsForEvent, type IssueDeps } from '../../efile/issued-documents.ts';
import type { JobDefinition } from '../../platform/jobs/queue.ts';
import { caseEventPayloadParser, type CaseEventPayload } from './case-event-payload.ts';

/**
 * The `issue_documents` effect (ADR 0013): renders, seals and files the receipts and decisions
 * that the service definition issues on this submission or transition. Idempotent: a document
 * already issued for the case, template and event is not issued again, so a retry after a crash
 * (or a second delivery) changes nothing.
 * Retry: 5 attempts starting 30 s apart and doubling (30 + 60 + 120 + 240 + 480 s, about
 * 15 minutes in all), then the job fails visibly in the queue; the citizen's mail does not wait for it.
 */
export type IssueDocumentPayload = CaseEventPayload;
export const parseIssueDocumentPayload = caseEventPayloadParser('efile.issue-document');

const ISSUE_DOCUMENT_JOB = 'efile.issue-document';

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
