import type { ProcessState } from '../catalogue/service-definition.ts';
import { addDuration } from '../platform/i18n/time.ts';

/**
 * The due date of a case that enters `state` at `enteredAt`: the state's `deadline` (a legal or
 * organisational time limit) when it has one, otherwise its `expectedDuration`; none for final
 * states or states without either. Durations count calendar days and hours, not business days:
 * GewO § 15(1)'s "innerhalb von drei Tagen" is read as three calendar days (ADR 0020).
 */
export function stateDueAt(state: Pick<ProcessState, 'deadline' | 'expectedDuration' | 'final'>, enteredAt: Date): Date | null {
  if (state.final) return null;
  const duration = state.deadline ?? state.expectedDuration;
  return duration ? addDuration(enteredAt, duration) : null;
}
