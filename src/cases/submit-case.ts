import { createHash, randomUUID } from 'node:crypto';
import { validateAll } from '../catalogue/form-validation.ts';
import type { FormData, ServiceDefinition } from '../catalogue/service-definition.ts';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { zonedYear } from '../platform/i18n/time.ts';
import { hashAccessCode, newAccessCode } from './access-code.ts';
import type { CaseDeps } from './case-deps.ts';
import { stateDueAt } from './deadlines.ts';
import { formatReference } from './reference.ts';

export interface SubmitInput {
  readonly serviceId: string;
  readonly data: FormData;
  /** `form` (the HTML form's token) or `api` (the Idempotency-Key header). */
  readonly idempotencyScope: 'form' | 'api';
  readonly idempotencyKey: string;
  /** The signed-in citizen's account: the case is theirs and shows in "Meine Anliegen". */
  readonly citizenId?: string | undefined;
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
 * record, follow-up jobs, audit entry (written by the CaseFiler, together with other submissions
 * of the same moment). The same idempotency key always yields the same case,
 * even when two requests with it race: the unique key makes the second one wait, fail and read
 * the first one's answer. (There is no look-up before the insert; a retry is the rare case.)
 */
export async function submitCase(deps: CaseDeps, input: SubmitInput): Promise<SubmitResult> {
  const def = deps.catalogue.get(input.serviceId);
  if (!def) throw new NotFoundError({ de: 'Diese Leistung gibt es nicht.', en: 'This service does not exist.' });
  const print = fingerprint(def.id, input.data);

  const now = deps.now();
  const ctx = { now, timeZone: deps.catalogue.city.timeZone };
  const { values, errors } = validateAll(def, input.data, ctx);
  if (errors.length > 0) {
    // A retry of a submission that was accepted gets the stored answer, even if the rules would
    // refuse it now (its date may have passed since).
    const earlier = await findReplay(deps, input, print);
    if (earlier) return earlier;
    throw new ValidationError(errors);
  }

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

/** The stored answer for the key; a different body under the same key is a conflict. */
async function findReplay(deps: CaseDeps, input: SubmitInput, print: string): Promise<SubmitResult | undefined> {
  const stored = await storedAnswer(deps, input.idempotencyScope, input.idempotencyKey);
  if (!stored) return undefined;
  if (stored.fingerprint !== print) {
    throw new ConflictError({
      de: 'Dieser Idempotenz-Schlüssel wurde schon für eine andere Einreichung verwendet.',
      en: 'This idempotency key was already used for a different submission.',
    });
  }
  const { fingerprint: _f, ...result } = stored;
  return { ...result, replayed: true };
}

async function storedAnswer(deps: CaseDeps, scope: 'form' | 'api', key: string): Promise<StoredResponse | undefined> {
  const row = await deps.db.selectFrom('idempotency_keys').select('response').where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
  return row?.response as unknown as StoredResponse | undefined;
}

async function fileCase(deps: CaseDeps, def: ServiceDefinition, values: FormData, input: SubmitInput, print: string, now: Date): Promise<SubmitResult> {
  const city = deps.catalogue.city;
  const initial = def.process.states.find((s) => s.id === def.process.initial)!;
  const caseId = randomUUID();
  const accessCode = newAccessCode();
  const reference = formatReference(city.referencePrefix, zonedYear(now, city.timeZone), await deps.caseNumbers.take());
  const applicant = {
    name: String(values[def.applicantNameField] ?? ''),
    ...(def.applicantEmailField && values[def.applicantEmailField] ? { email: String(values[def.applicantEmailField]) } : {}),
  };
  const result: SubmitResult = { caseId, reference, accessCode, serviceId: def.id, state: initial.id, submittedAt: now.toISOString(), replayed: false };
  const { replayed: _r, ...stored } = result;
  const dueAt = stateDueAt(initial, now);
  const auditDetails = { serviceId: def.id, serviceVersion: def.version, reference, channel: input.idempotencyScope };

  await deps.caseFiler.file({
    id: caseId,
    reference,
    accessCodeHash: hashAccessCode(accessCode),
    serviceId: def.id,
    serviceVersion: def.version,
    state: initial.id,
    departmentId: def.receivingDepartment,
    applicant,
    formData: values,
    submittedAt: now,
    dueAt,
    idempotencyScope: input.idempotencyScope,
    idempotencyKey: input.idempotencyKey,
    citizenId: input.citizenId ?? null,
    response: { ...stored, fingerprint: print },
    auditAt: new Date(),
    auditDetails,
    effects: def.process.onSubmit,
  });
  return result;
}

/** The answer already given for an idempotency key, if any (a double click, a reload after submit). */
export async function earlierSubmission(deps: CaseDeps, scope: 'form' | 'api', key: string): Promise<SubmitResult | undefined> {
  const stored = await storedAnswer(deps, scope, key);
  if (!stored) return undefined;
  const { fingerprint: _f, ...result } = stored;
  return { ...result, replayed: true };
}
