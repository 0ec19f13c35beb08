import { caseEventPayloadParser, type CaseEventPayload } from '../cases/jobs/case-event-payload.ts';
import type { JobDefinition } from '../platform/jobs/queue.ts';
import { DELIVER_TRADE_MESSAGE_JOB, deliverTradeMessage, PLAN_TRADE_MESSAGES_JOB, planTradeMessagesForEvent, type TradeDeliveryDeps } from './deliveries.ts';

/**
 * The `deliver_trade_messages` effect: records one delivery per recipient of the accepted
 * notice and enqueues each. Idempotent (unique per case, event and recipient).
 * Retry: 5 attempts 10 s apart and doubling (about 5 minutes), then it fails visibly at /staff/admin/jobs.
 */
function planTradeMessagesJob(deps: TradeDeliveryDeps): JobDefinition<CaseEventPayload> {
  return {
    name: PLAN_TRADE_MESSAGES_JOB,
    retry: { limit: 5, delaySeconds: 10, backoff: true },
    parse: caseEventPayloadParser(PLAN_TRADE_MESSAGES_JOB),
    async handle(payload, { log }) {
      const rows = await planTradeMessagesForEvent(deps, payload);
      // Ids and recipients only: nothing of the notice.
      log.info({ caseId: payload.caseId, recipients: rows.map((r) => r.recipientId) }, 'trade messages planned');
    },
  };
}

interface DeliverPayload {
  readonly deliveryId: string;
}

function parseDeliverPayload(data: unknown): DeliverPayload {
  const d = data as { deliveryId?: unknown } | null;
  if (!d || typeof d.deliveryId !== 'string' || !/^[0-9a-f-]{36}$/i.test(d.deliveryId)) throw new Error(`${DELIVER_TRADE_MESSAGE_JOB} job: payload needs deliveryId (uuid)`);
  return { deliveryId: d.deliveryId };
}

/**
 * One attempt to POST one message. A thrown error (network, timeout, non-2xx) means retry.
 * Retry: 10 attempts starting 60 s apart and doubling (60 s … about 8.5 hours; about 17 hours
 * in all), so a recipient that is down overnight still gets the message; after that the delivery
 * stays "failed" in the case file, where a clerk can send it again.
 */
function deliverTradeMessageJob(deps: TradeDeliveryDeps): JobDefinition<DeliverPayload> {
  return {
    name: DELIVER_TRADE_MESSAGE_JOB,
    retry: { limit: 10, delaySeconds: 60, backoff: true },
    parse: parseDeliverPayload,
    async handle(payload, { log }) {
      const outcome = await deliverTradeMessage(deps, payload.deliveryId);
      log.info({ deliveryId: payload.deliveryId, outcome }, 'trade message delivery');
    },
  };
}

/** Both jobs, for the composition root. */
export function tradeJobs(deps: TradeDeliveryDeps): JobDefinition<any>[] {
  return [planTradeMessagesJob(deps), deliverTradeMessageJob(deps)];
}
