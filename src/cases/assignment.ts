import { appendAudit } from '../efile/audit-chain.ts';
import { CASE_WORKER_ROLES, hasPermission } from '../identity/permissions.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import type { Actor, CaseDeps } from './case-deps.ts';
import { staffDepartments } from './case-deps.ts';

export interface AssignRequest {
  readonly caseId: string;
  /** The staff member to give the case to; null takes it back into the department's pool. */
  readonly assigneeId: string | null;
  readonly expectedVersion: number;
  readonly actor: Actor;
}

const NOT_FOUND = { de: 'Diesen Vorgang gibt es nicht.', en: 'This case does not exist.' } as const;

/**
 * Gives a case to a staff member (or back to the pool). A supervisor assigns and reassigns
 * within the department, to anyone who works its cases; a clerk may only take an unassigned case
 * for themselves. Row lock, version check, timeline event (internal) and audit entry, like a
 * transition; the department is part of the query.
 */
export async function assignCase(deps: CaseDeps, req: AssignRequest): Promise<{ version: number }> {
  const actor = req.actor;
  const departments = staffDepartments(actor);
  if (actor.type !== 'staff' || departments.length === 0 || !/^[0-9a-f-]{36}$/.test(req.caseId)) throw new NotFoundError(NOT_FOUND);
  const now = deps.now();
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('cases').select(['id', 'department_id', 'assignee_id', 'version']).where('id', '=', req.caseId).where('department_id', 'in', departments).forUpdate().executeTakeFirst();
    if (!row) throw new NotFoundError(NOT_FOUND);
    if (row.version !== req.expectedVersion) {
      throw new ConflictError({
        de: 'Jemand anderes hat diesen Vorgang inzwischen bearbeitet. Die Zuweisung wurde nicht geändert. Bitte sehen Sie sich den aktuellen Stand an.',
        en: 'Someone else has changed this case in the meantime. The assignment was not changed. Please look at the current state.',
      });
    }
    const supervises = hasPermission(actor, 'case.assign', row.department_id);
    const takesForSelf = req.assigneeId === actor.id && row.assignee_id === null;
    if (!supervises && !takesForSelf) {
      throw new ForbiddenError({
        de: 'Vorgänge zuweisen und umverteilen darf die Sachgebietsleitung. Sie können nur einen Vorgang übernehmen, der noch niemandem zugewiesen ist.',
        en: 'Assigning and reassigning cases is for supervisors. You can only take a case that is not assigned to anyone yet.',
      });
    }
    if (req.assigneeId === row.assignee_id) return { version: row.version };
    if (req.assigneeId !== null) {
      // The assignee must be active and work cases in this department.
      const ok = await trx
        .selectFrom('staff_users')
        .innerJoin('role_grants', 'role_grants.staff_user_id', 'staff_users.id')
        .select('staff_users.id')
        .where('staff_users.id', '=', req.assigneeId)
        .where('staff_users.active', '=', true)
        .where('role_grants.department_id', '=', row.department_id)
        .where('role_grants.role', 'in', CASE_WORKER_ROLES)
        .executeTakeFirst();
      if (!ok) {
        throw new ValidationError([
          { field: 'assignee', message: { de: 'Diese Person bearbeitet keine Vorgänge dieser Abteilung.', en: 'This person does not work on cases of this department.' } },
        ]);
      }
    }
    const version = row.version + 1;
    await trx.updateTable('cases').set({ assignee_id: req.assigneeId, version, updated_at: now }).where('id', '=', row.id).execute();
    await trx
      .insertInto('case_events')
      .values({
        case_id: row.id,
        at: now,
        kind: 'assignment',
        actor_type: 'staff',
        actor_id: actor.id,
        public: false,
        payload: JSON.stringify({ assigneeId: req.assigneeId, previousAssigneeId: row.assignee_id }),
      })
      .execute();
    await appendAudit(trx, {
      actorType: 'staff',
      actorId: actor.id,
      action: req.assigneeId === null ? 'case.unassigned' : 'case.assigned',
      caseId: row.id,
      details: { assigneeId: req.assigneeId, previousAssigneeId: row.assignee_id, version },
    });
    return { version };
  });
}

/** The people a supervisor can give a department's case to. */
export async function caseWorkers(deps: Pick<CaseDeps, 'db'>, departmentId: string): Promise<Array<{ id: string; displayName: string }>> {
  const rows = await deps.db
    .selectFrom('staff_users')
    .innerJoin('role_grants', 'role_grants.staff_user_id', 'staff_users.id')
    .select(['staff_users.id', 'staff_users.display_name'])
    .distinct()
    .where('role_grants.department_id', '=', departmentId)
    .where('role_grants.role', 'in', CASE_WORKER_ROLES)
    .where('staff_users.active', '=', true)
    .orderBy('staff_users.display_name')
    .execute();
  return rows.map((r) => ({ id: r.id, displayName: r.display_name }));
}
