import type { ActorRole, Transition } from '../catalogue/service-definition.ts';
import { appendAudit } from '../efile/audit-chain.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldProblem } from '../platform/errors.ts';
import type { Actor, CaseDeps } from './case-deps.ts';
import { staffDepartments } from './case-deps.ts';
import { stateDueAt } from './deadlines.ts';
import { enqueueEffects } from './effects.ts';

export interface TransitionRequest {
  readonly caseId: string;
  readonly transitionId: string;
  /** The case version the actor saw. Staff must send it; a stale one is a conflict, never an overwrite. */
  readonly expectedVersion: number | undefined;
  readonly actor: Actor;
  readonly input: Record<string, string>;
}

export interface TransitionResult {
  readonly caseId: string;
  readonly state: string;
  readonly version: number;
}

/** Roles the actor holds for the case's department (or `applicant` / `system`). */
function actorRoles(actor: Actor, departmentId: string): Set<ActorRole> {
  if (actor.type === 'system') return new Set(['system']);
  if (actor.type === 'applicant') return new Set(['applicant']);
  return new Set(actor.grants.filter((g) => g.departmentId === departmentId).map((g) => g.role as ActorRole));
}

export function mayTake(transition: Transition, actor: Actor, departmentId: string): boolean {
  const roles = actorRoles(actor, departmentId);
  return transition.allowed.some((r) => roles.has(r));
}

/**
 * One state change, in one transaction: lock the case row, check version, state and the actor's
 * right, update the state, append the timeline event and the audit entry, enqueue the effects.
 * Ownership is part of the query: staff only find cases of their departments, an applicant only
 * the case they proved with its access code.
 */
export async function transitionCase(deps: Pick<CaseDeps, 'db' | 'jobs' | 'catalogue' | 'now'>, req: TransitionRequest): Promise<TransitionResult> {
  const now = deps.now();
  return deps.db.transaction().execute(async (trx) => {
    let query = trx.selectFrom('cases').selectAll().where('id', '=', req.caseId);
    if (req.actor.type === 'staff') {
      const departments = staffDepartments(req.actor);
      if (departments.length === 0) throw new NotFoundError({ de: 'Diesen Vorgang gibt es nicht.', en: 'This case does not exist.' });
      query = query.where('department_id', 'in', departments);
    } else if (req.actor.type === 'applicant') {
      query = query.where('id', '=', req.actor.caseId);
    }
    const row = await query.forUpdate().executeTakeFirst();
    if (!row) throw new NotFoundError({ de: 'Diesen Vorgang gibt es nicht.', en: 'This case does not exist.' });

    const def = deps.catalogue.get(row.service_id);
    const transition = def?.process.transitions.find((t) => t.id === req.transitionId);
    if (!def || !transition) throw new NotFoundError({ de: 'Diese Aktion gibt es nicht.', en: 'This action does not exist.' });

    if (req.expectedVersion !== undefined && req.expectedVersion !== row.version) {
      throw new ConflictError({
        de: 'Jemand anderes hat diesen Vorgang inzwischen bearbeitet. Ihre Aktion wurde nicht ausgeführt. Bitte sehen Sie sich den aktuellen Stand an und entscheiden Sie erneut.',
        en: 'Someone else has changed this case in the meantime. Your action was not carried out. Please look at the current state and decide again.',
      });
    }
    if (!mayTake(transition, req.actor, row.department_id)) throw new ForbiddenError();
    if (!transition.from.includes(row.state)) {
      const current = def.process.states.find((s) => s.id === row.state);
      throw new ConflictError({
        de: `„${transition.label.de}“ ist im Stand „${current?.publicLabel.de ?? row.state}“ nicht mehr möglich.`,
        en: `“${transition.label.en}” is no longer possible in the state “${current?.publicLabel.en ?? row.state}”.`,
      });
    }

    const problems: FieldProblem[] = [];
    const input: Record<string, string> = {};
    for (const spec of transition.inputs ?? []) {
      const value = (req.input[spec.id] ?? '').trim();
      if (spec.required && value === '') problems.push({ field: spec.id, message: { de: `Bitte geben Sie „${spec.label.de}“ an.`, en: `Enter “${spec.label.en}”.` } });
      else if (value.length > spec.maxLength)
        problems.push({ field: spec.id, message: { de: `„${spec.label.de}“ darf höchstens ${spec.maxLength} Zeichen lang sein.`, en: `“${spec.label.en}” must be ${spec.maxLength} characters or fewer.` } });
      if (value !== '') input[spec.id] = value;
    }
    if (problems.length === 0 && transition.guard) {
      const refusal = transition.guard({ caseData: row.form_data as Record<string, string>, input, now });
      if (refusal) problems.push({ field: transition.inputs?.[0]?.id ?? 'transition', message: refusal });
    }
    if (problems.length > 0) throw new ValidationError(problems);

    const target = def.process.states.find((s) => s.id === transition.to)!;
    const version = row.version + 1;
    await trx
      .updateTable('cases')
      .set({
        state: target.id,
        version,
        updated_at: now,
        due_at: stateDueAt(target, now),
        // Retention runs from the closing (ADR 0015): set on entering a final state, kept when moving
        // between final states, cleared if a process ever leads out of one again.
        closed_at: target.final ? (row.closed_at ?? now) : null,
      })
      .where('id', '=', row.id)
      .execute();
    const event = await trx
      .insertInto('case_events')
      .values({
        case_id: row.id,
        at: now,
        kind: 'transition',
        transition_id: transition.id,
        from_state: row.state,
        to_state: target.id,
        actor_type: req.actor.type,
        actor_id: req.actor.type === 'staff' ? req.actor.id : null,
        public: transition.publicEvent !== undefined,
        payload: JSON.stringify(input),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await enqueueEffects(trx, deps.jobs, transition.effects, { caseId: row.id, eventId: event.id });
    await appendAudit(trx, {
      actorType: req.actor.type,
      actorId: req.actor.type === 'staff' ? req.actor.id : null,
      action: `case.transition.${transition.id}`,
      caseId: row.id,
      details: { from: row.state, to: target.id, version, inputs: Object.keys(input) },
    });
    return { caseId: row.id, state: target.id, version };
  });
}
