import type { StaffRole } from '../schema.ts';

/**
 * What each staff role may do, in one place. Roles are granted per department; a permission
 * holds for the departments where one of the actor's roles grants it. Queries take
 * `departmentsWith(actor, permission)` as part of their WHERE clause (deny by default: no grant,
 * no rows).
 *
 * - clerk: read and work the department's cases (the transitions a process allows clerks).
 * - supervisor: as clerk, plus assign and reassign cases, the department's figures, and hand closed
 *   case files to the archive (xdomea export, ADR 0014).
 * - department_admin: manage the department's staff accounts and their roles; no case access
 *   of its own (least privilege: an administrator who also works cases holds clerk as well).
 * - system_admin: manage staff of every department, grant administrator roles, see the
 *   system's state (audit chain, jobs); no case access of its own.
 */
export type Permission = 'case.read' | 'case.work' | 'case.assign' | 'case.archive' | 'department.figures' | 'staff.manage' | 'system.manage';

export const ROLE_PERMISSIONS: Readonly<Record<StaffRole, readonly Permission[]>> = {
  clerk: ['case.read', 'case.work'],
  supervisor: ['case.read', 'case.work', 'case.assign', 'case.archive', 'department.figures'],
  department_admin: ['staff.manage'],
  system_admin: ['staff.manage', 'system.manage'],
};

/** Roles that may be given a case to work on. */
export const CASE_WORKER_ROLES: readonly StaffRole[] = ['clerk', 'supervisor'];

export interface Grants {
  readonly grants: ReadonlyArray<{ readonly departmentId: string; readonly role: string }>;
}

/** The departments in which the actor holds `permission` (system_admin: see `isSystemAdmin`). */
export function departmentsWith(actor: Grants, permission: Permission): string[] {
  const out = new Set<string>();
  for (const g of actor.grants) if (ROLE_PERMISSIONS[g.role as StaffRole]?.includes(permission)) out.add(g.departmentId);
  return [...out];
}

export function hasPermission(actor: Grants, permission: Permission, departmentId: string): boolean {
  return actor.grants.some((g) => g.departmentId === departmentId && ROLE_PERMISSIONS[g.role as StaffRole]?.includes(permission));
}

/** A system administrator's rights hold in every department, whichever department the grant names. */
export function isSystemAdmin(actor: Grants): boolean {
  return actor.grants.some((g) => g.role === 'system_admin');
}

/** The departments whose staff the actor manages: all for a system administrator. */
export function managedDepartments(actor: Grants, allDepartments: readonly string[]): string[] {
  return isSystemAdmin(actor) ? [...allDepartments] : departmentsWith(actor, 'staff.manage');
}

/** Roles the actor may grant in a department: administrators grant up to their own level. */
export function grantableRoles(actor: Grants, departmentId: string, allDepartments: readonly string[]): StaffRole[] {
  if (isSystemAdmin(actor)) return ['clerk', 'supervisor', 'department_admin', 'system_admin'];
  if (managedDepartments(actor, allDepartments).includes(departmentId)) return ['clerk', 'supervisor', 'department_admin'];
  return [];
}
