/** The payload of the jobs an effect enqueues (`cases/effects.ts`): the case and the event that decided it. */
export interface CaseEventPayload {
  readonly caseId: string;
  readonly eventId: string;
}

/** A parser for that payload, naming the job in its error; an event id stored as a number is taken as text. */
export function caseEventPayloadParser(jobName: string): (data: unknown) => CaseEventPayload {
  return (data) => {
    const d = data as { caseId?: unknown; eventId?: unknown } | null;
    const eventId = typeof d?.eventId === 'number' ? String(d.eventId) : d?.eventId;
    if (!d || typeof d.caseId !== 'string' || typeof eventId !== 'string' || !/^[1-9][0-9]{0,18}$/.test(eventId))
      throw new Error(`${jobName} job: payload needs caseId (uuid) and eventId (a case event id)`);
    return { caseId: d.caseId, eventId };
  };
}
