import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { validateAll } from '../catalogue/form-validation.ts';
import type { FormData, ServiceDefinition } from '../catalogue/service-definition.ts';
import { appendAudit } from '../efile/audit-chain.ts';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { addDuration, zonedYear } from '../platform/i18n/time.ts';
import { hashAccessCode, newAccessCode } from './access-code.ts';
import type { CaseDeps } from './case-deps.ts';
import { enqueueEffects } from './effects.ts';
import { formatReference } from './reference.ts';

export interface SubmitInput {
  readonly serviceId: string;
  readonly data: FormData;
  /** `form` (the HTML form's token) or `api` (the Idempotency-Key header). */
  readonly idempotencyScope: 'form' | 'api';
  readonly idempotencyKey: string;
}

export interface SubmitResult {
  readonly caseId: string;
  readonly reference: string;
  readonly accessCode: string;
  readonly serviceId: string;
  readonly state: string;
  readonly submittedAt: string;
  /** True when this key had already been used: the same case is returned, nothing new is stored. */
  readonly replayed: boolean;
}

type StoredResponse = Omit<SubmitResult, 'replayed'> & { fingerprint: string };

function fingerprint(serviceId: string, data: FormData): string {
  const sorted = Object.fromEntries(Object.entries(data).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(JSON.stringify([serviceId, sorted])).digest('hex');
}

const PG_UNIQUE_VIOLATION = '23505';

/**
 * Files a submission as a case in one transaction: case row, first timeline event, idempotency
 * record, follow-up jobs, audit entry. The same idempotency key always yields the same case,
 * even when two requests with it race (the unique key makes the second one wait, fail and read
 * the first one's answer).
 */
export async function submitCase(deps: CaseDeps, input: SubmitInput): Promise<SubmitResult> {
  const def = deps.catalogue.get(input.serviceId);
  if (!def) throw new NotFoundError({ de: 'Diese Leistung gibt es nicht.', en: 'This service does not exist.' });
  const print = fingerprint(def.id, input.data);

  const earlier = await findReplay(deps, input, print);
  if (earlier) return earlier;

  const now = deps.now();
  const ctx = { now, timeZone: deps.catalogue.city.timeZone };
  const { values, errors } = validateAll(def, input.data, ctx);
  if (errors.length > 0) throw new ValidationError(errors);

  try {
    return await fileCase(deps, def, values, input, print, now);
  } catch (err) {
    if ((err as { code?: string }).code === PG_UNIQUE_VIOLATION && String((err as Error).message).includes('idempotency')) {
      const winner = await findReplay(deps, input, print);
      if (winner) return winner;
    }
    throw err;
  }
}

async function findReplay(deps: CaseDeps, input: SubmitInput, print: string): Promise<SubmitResult | undefined> {
  const row = await deps.db
    .selectFrom('idempotency_keys')
    .select('response')
    .where('scope', '=', input.idempotencyScope)
    .where('key', '=', input.idempotencyKey)
    .executeTakeFirst();
  if (!row) return undefined;
  const stored = row.response as unknown as StoredResponse;
  if (stored.fingerprint !== print) {
    throw new ConflictError({
      de: 'Dieser Idempotenz-Schlüssel wurde schon für eine andere Einreichung verwendet.',
      en: 'This idempotency key was already used for a different submission.',
    });
  }
  const { fingerprint: _f, ...result } = stored;
  return { ...result, replayed: true };
}

async function fileCase(deps: CaseDeps, def: ServiceDefinition, values: FormData, input: SubmitInput, print: string, now: Date): Promise<SubmitResult> {
  const city = deps.catalogue.city;
  const accessCode = newAccessCode();
  const initial = def.process.states.find((s) => s.id === def.process.initial)!;
  const applicant = {
    name: String(values[def.applicantNameField] ?? ''),
    ...(def.applicantEmailField && values[def.applicantEmailField] ? { email: String(values[def.applicantEmailField]) } : {}),
  };

  return deps.db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ n: string }>`select nextval('case_number_seq')::text as n`.execute(trx);
    const reference = formatReference(city.referencePrefix, zonedYear(now, city.timeZone), Number(rows[0]!.n));
    const created = await trx
      .insertInto('cases')
      .values({
        reference,
        access_code_hash: hashAccessCode(accessCode),
        service_id: def.id,
        service_version: def.version,
        state: initial.id,
        department_id: def.receivingDepartment,
        applicant: JSON.stringify(applicant),
        form_data: JSON.stringify(values),
        submitted_at: now,
        updated_at: now,
        due_at: initial.expectedDuration ? addDuration(now, initial.expectedDuration) : null,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    const event = await trx
      .insertInto('case_events')
      .values({
        case_id: created.id,
        at: now,
        kind: 'submitted',
        to_state: initial.id,
        actor_type: 'applicant',
        public: true,
        payload: JSON.stringify({ channel: input.idempotencyScope }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const result: SubmitResult = {
      caseId: created.id,
      reference,
      accessCode,
      serviceId: def.id,
      state: initial.id,
      submittedAt: now.toISOString(),
      replayed: false,
    };
    const { replayed: _r, ...stored } = result;
    await trx
      .insertInto('idempotency_keys')
      .values({ scope: input.idempotencyScope, key: input.idempotencyKey, case_id: created.id, response: JSON.stringify({ ...stored, fingerprint: print }) })
      .execute();
    await enqueueEffects(trx, deps.jobs, def.process.onSubmit, { caseId: created.id, eventId: event.id });
    await appendAudit(trx, {
      actorType: 'applicant',
      actorId: null,
      action: 'case.submitted',
      caseId: created.id,
      details: { serviceId: def.id, serviceVersion: def.version, reference, channel: input.idempotencyScope },
    });
    return result;
  });
}

/** The answer already given for an idempotency key, if any (a double click, a reload after submit). */
export async function earlierSubmission(deps: CaseDeps, scope: 'form' | 'api', key: string): Promise<SubmitResult | undefined> {
  const row = await deps.db.selectFrom('idempotency_keys').select('response').where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
  if (!row) return undefined;
  const { fingerprint: _f, ...result } = row.response as unknown as StoredResponse;
  return { ...result, replayed: true };
}
