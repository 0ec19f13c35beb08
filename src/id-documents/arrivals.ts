import type { Actor, CaseDeps } from '../cases/case-deps.ts';
import { transitionCase } from '../cases/transition-case.ts';
import type { Catalogue } from '../catalogue/registry.ts';
import { departmentsWith } from '../identity/permissions.ts';
import { AppError, ConflictError, ValidationError } from '../platform/errors.ts';
import { ARRIVAL_TRANSITIONS, IN_PRODUCTION } from './id-document-service.ts';
import { isSerialNumber, normaliseSerial } from './serial-number.ts';

/**
 * Cards and passports arrive from the Bundesdruckerei in batches. A clerk enters or scans their
 * serial numbers, one a line, and every matching case in production moves on — to "ready for
 * pickup", or "sent by post" where the applicant chose delivery — each as its own transition
 * through the engine (own transaction, audit entry and `notify_applicant`), so one bad line never
 * holds up the others and each citizen hears the moment their card is there.
 */
export type ArrivalOutcome = 'moved' | 'unknown' | 'wrong_state' | 'duplicate' | 'invalid';

export interface ArrivalLine {
  /** As entered (trimmed) for invalid lines, else normalised. */
  readonly serial: string;
  readonly outcome: ArrivalOutcome;
  readonly caseId?: string;
  readonly reference?: string;
  readonly serviceId?: string;
  /** The case's state afterwards (moved) or as found (wrong_state). */
  readonly state?: string;
}

/** More lines than a day's delivery; a longer list is refused rather than half-done. */
export const MAX_ARRIVAL_LINES = 500;

type StaffActor = Extract<Actor, { type: 'staff' }>;

/** Departments that receive a service with arrival transitions (the Bürgerservice in Halle). */
export function idDocumentDepartments(catalogue: Catalogue): string[] {
  return [...new Set(catalogue.all().filter((d) => d.process.transitions.some((t) => t.id === ARRIVAL_TRANSITIONS.pickup)).map((d) => d.receivingDepartment))];
}

/** The departments where this person may mark arrivals: they work cases there, and it issues ID documents. */
export function arrivalDepartmentsOf(catalogue: Catalogue, who: { readonly grants: StaffActor['grants'] }): string[] {
  const own = departmentsWith(who, 'case.work');
  return idDocumentDepartments(catalogue).filter((d) => own.includes(d));
}

/** The non-empty lines of the textarea, trimmed. */
export function arrivalLines(text: string): string[] {
  return text
    .split(/\r?\n|\r/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

export async function markArrivals(deps: CaseDeps, actor: StaffActor, lines: readonly string[]): Promise<ArrivalLine[]> {
  const departments = arrivalDepartmentsOf(deps.catalogue, actor);
  const serials = [...new Set(lines.filter(isSerialNumber).map(normaliseSerial))];
  // Ownership in the query: a serial of another department's case is "unknown" here.
  const rows =
    serials.length === 0 || departments.length === 0
      ? []
      : await deps.db
          .selectFrom('id_document_serials as s')
          .innerJoin('cases as c', 'c.id', 's.case_id')
          .select(['s.serial', 'c.id', 'c.reference', 'c.service_id', 'c.state', 'c.version', 'c.form_data'])
          .where('s.serial', 'in', serials)
          .where('c.department_id', 'in', departments)
          .execute();
  const bySerial = new Map(rows.map((r) => [r.serial, r]));

  const seen = new Set<string>();
  const out: ArrivalLine[] = [];
  for (const line of lines) {
    if (!isSerialNumber(line)) {
      out.push({ serial: line, outcome: 'invalid' });
      continue;
    }
    const serial = normaliseSerial(line);
    if (seen.has(serial)) {
      out.push({ serial, outcome: 'duplicate' });
      continue;
    }
    seen.add(serial);
    const row = bySerial.get(serial);
    if (!row) {
      out.push({ serial, outcome: 'unknown' });
      continue;
    }
    const found = { caseId: row.id, reference: row.reference, serviceId: row.service_id };
    if (row.state !== IN_PRODUCTION) {
      out.push({ serial, outcome: 'wrong_state', ...found, state: row.state });
      continue;
    }
    const delivery = (row.form_data as Record<string, unknown>).delivery;
    const transitionId = delivery === 'post' ? ARRIVAL_TRANSITIONS.post : ARRIVAL_TRANSITIONS.pickup;
    try {
      const result = await transitionCase(deps, { caseId: row.id, transitionId, expectedVersion: row.version, actor, input: {} });
      out.push({ serial, outcome: 'moved', ...found, state: result.state });
    } catch (err) {
      // Someone moved the case since it was read, or its process refuses: report it as found, not moved.
      if (!(err instanceof ConflictError || err instanceof ValidationError) && !(err instanceof AppError && err.status < 500)) throw err;
      const now = await deps.db.selectFrom('cases').select('state').where('id', '=', row.id).executeTakeFirst();
      out.push({ serial, outcome: 'wrong_state', ...found, state: now?.state ?? row.state });
    }
  }
  return out;
}
