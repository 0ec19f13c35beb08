import { CompiledQuery } from 'kysely';
import type { Executor } from '../platform/jobs/queue.ts';
import { ValidationError } from '../platform/errors.ts';
import { isSerialNumber, normaliseSerial, SERIAL_FORMAT_ERROR, SERIAL_INPUT as INPUT } from './serial-number.ts';

/**
 * The effect that records the serial number of an ordered card (migration 0016). Unlike the other
 * effects it runs inside the transition's own transaction, before the commit (`cases/effects.ts`):
 * a serial already given to another case must refuse the transition, not fail a job afterwards.
 */
export const RECORD_SERIAL_EFFECT = 'record_id_document_serial';

/**
 * Reads the serial from the transition's event (the engine stored its inputs there) and records it
 * for the case; a case ordered again gets the new serial. Plain compiled queries, because the
 * engine hands effects only a query executor.
 */
export async function recordIdDocumentSerial(trx: Executor, payload: { caseId: string; eventId: string }): Promise<void> {
  const event = await trx.executeQuery<{ serial: string | null }>(
    CompiledQuery.raw(`select payload->>'${INPUT}' as serial from case_events where id = $1 and case_id = $2`, [payload.eventId, payload.caseId]),
  );
  const raw = event.rows[0]?.serial ?? '';
  if (!isSerialNumber(raw)) throw new ValidationError([{ field: INPUT, message: SERIAL_FORMAT_ERROR }]);
  const serial = normaliseSerial(raw);
  const taken = await trx.executeQuery<{ case_id: string }>(CompiledQuery.raw('select case_id from id_document_serials where serial = $1', [serial]));
  const owner = taken.rows[0]?.case_id;
  if (owner !== undefined && owner !== payload.caseId) {
    throw new ValidationError([
      {
        field: INPUT,
        message: {
          de: 'Diese Seriennummer ist schon einem anderen Antrag zugeordnet. Bitte prüfen Sie die Eingabe.',
          en: 'This serial number already belongs to another application. Please check what you entered.',
        },
      },
    ]);
  }
  await trx.executeQuery(
    CompiledQuery.raw(
      `insert into id_document_serials (serial, case_id) values ($1, $2)
       on conflict (case_id) do update set serial = excluded.serial, recorded_at = now()`,
      [serial, payload.caseId],
    ),
  );
}
