import { sql } from 'kysely';
import { departmentsWith } from '../identity/permissions.ts';
import { ForbiddenError } from '../platform/errors.ts';
import type { Actor, CaseDeps } from './case-deps.ts';

export interface DepartmentFigures {
  readonly departmentId: string;
  /** Cases not in a final state, by service and state. */
  readonly openByState: ReadonlyArray<{ serviceId: string; state: string; count: number }>;
  readonly open: number;
  readonly overdue: number;
  readonly unassigned: number;
  readonly receivedLast7Days: number;
  readonly receivedLast30Days: number;
  /** Cases that reached a final state in the last 30 days, and the median time it took. */
  readonly decidedLast30Days: number;
  readonly medianDaysToDecision: number | null;
  /**
   * Sealed receipts issued in the last 30 days and the time from submission to each (seconds;
   * e.g. an automatically accepted trade notice): the figure the founding target is about.
   */
  readonly receiptsLast30Days: number;
  readonly medianSecondsToReceipt: number | null;
  readonly maxSecondsToReceipt: number | null;
  /** Open cases per assignee (people without open cases are not listed). */
  readonly workload: ReadonlyArray<{ assigneeId: string; name: string; open: number }>;
}

/**
 * A supervisor's figures for each department they supervise: no personal data, only counts,
 * so reading them is not a case-file access (nothing to audit). The departments are part of
 * every query.
 */
export async function departmentFigures(deps: CaseDeps, actor: Actor): Promise<DepartmentFigures[]> {
  const departments = actor.type === 'staff' ? departmentsWith(actor, 'department.figures') : [];
  if (departments.length === 0) throw new ForbiddenError({ de: 'Die Kennzahlen sieht die Sachgebietsleitung.', en: 'Figures are for supervisors.' });
  const now = deps.now();
  const day = 24 * 3600_000;
  const finalPairs = deps.catalogue.all().flatMap((def) => def.process.states.filter((s) => s.final).map((s) => `${def.id}/${s.id}`));
  const isFinal = (serviceId: string, state: string) => finalPairs.includes(`${serviceId}/${state}`);
  const out: DepartmentFigures[] = [];
  for (const departmentId of departments) {
    const byState = await deps.db
      .selectFrom('cases')
      .select(['service_id', 'state', sql<string>`count(*)::text`.as('n'), sql<string>`count(*) filter (where assignee_id is null)::text`.as('unassigned'), sql<string>`count(*) filter (where due_at < ${now})::text`.as('overdue')])
      .where('department_id', '=', departmentId)
      .groupBy(['service_id', 'state'])
      .execute();
    const open = byState.filter((r) => !isFinal(r.service_id, r.state));
    const received = await deps.db
      .selectFrom('cases')
      .select([sql<string>`count(*) filter (where submitted_at >= ${new Date(now.getTime() - 7 * day)})::text`.as('d7'), sql<string>`count(*) filter (where submitted_at >= ${new Date(now.getTime() - 30 * day)})::text`.as('d30')])
      .where('department_id', '=', departmentId)
      .executeTakeFirstOrThrow();
    // The event that moved a case into a final state, within the last 30 days.
    const decided =
      finalPairs.length === 0
        ? { n: '0', median: null }
        : await deps.db
            .selectFrom('case_events as e')
            .innerJoin('cases as c', 'c.id', 'e.case_id')
            .select([sql<string>`count(*)::text`.as('n'), sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from e.at - c.submitted_at))`.as('median')])
            .where('c.department_id', '=', departmentId)
            .where('e.kind', '=', 'transition')
            .where('e.at', '>=', new Date(now.getTime() - 30 * day))
            .where(sql<string>`c.service_id || '/' || e.to_state`, 'in', finalPairs)
            .executeTakeFirstOrThrow();
    const receipts = await deps.db
      .selectFrom('issued_documents as d')
      .innerJoin('cases as c', 'c.id', 'd.case_id')
      .select([
        sql<string>`count(*)::text`.as('n'),
        sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from d.issued_at - c.submitted_at))`.as('median'),
        sql<number | null>`max(extract(epoch from d.issued_at - c.submitted_at))`.as('max'),
      ])
      .where('c.department_id', '=', departmentId)
      .where('d.kind', '=', 'receipt')
      .where('d.issued_at', '>=', new Date(now.getTime() - 30 * day))
      .executeTakeFirstOrThrow();
    const workload = await deps.db
      .selectFrom('cases')
      .innerJoin('staff_users', 'staff_users.id', 'cases.assignee_id')
      .select(['cases.assignee_id', 'cases.service_id', 'cases.state', 'staff_users.display_name', sql<string>`count(*)::text`.as('n')])
      .where('cases.department_id', '=', departmentId)
      .groupBy(['cases.assignee_id', 'cases.service_id', 'cases.state', 'staff_users.display_name'])
      .execute();
    const perAssignee = new Map<string, { assigneeId: string; name: string; open: number }>();
    for (const w of workload) {
      if (isFinal(w.service_id, w.state) || !w.assignee_id) continue;
      const entry = perAssignee.get(w.assignee_id) ?? { assigneeId: w.assignee_id, name: w.display_name, open: 0 };
      entry.open += Number(w.n);
      perAssignee.set(w.assignee_id, entry);
    }
    out.push({
      departmentId,
      openByState: open.map((r) => ({ serviceId: r.service_id, state: r.state, count: Number(r.n) })),
      open: open.reduce((a, r) => a + Number(r.n), 0),
      overdue: open.reduce((a, r) => a + Number(r.overdue), 0),
      unassigned: open.reduce((a, r) => a + Number(r.unassigned), 0),
      receivedLast7Days: Number(received.d7),
      receivedLast30Days: Number(received.d30),
      decidedLast30Days: Number(decided.n),
      medianDaysToDecision: decided.median === null ? null : Math.round((Number(decided.median) / 86400) * 10) / 10,
      receiptsLast30Days: Number(receipts.n),
      medianSecondsToReceipt: receipts.median === null ? null : Math.round(Number(receipts.median) * 10) / 10,
      maxSecondsToReceipt: receipts.max === null ? null : Math.round(Number(receipts.max) * 10) / 10,
      workload: [...perAssignee.values()].sort((a, b) => b.open - a.open),
    });
  }
  return out;
}
