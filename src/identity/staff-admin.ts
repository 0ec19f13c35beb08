import type { Kysely } from 'kysely';
import { appendAudit } from '../efile/audit-chain.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldProblem } from '../platform/errors.ts';
import type { Database, StaffRole } from '../schema.ts';
import { grantableRoles, isSystemAdmin, managedDepartments, type Grants } from './permissions.ts';
import { hashPassword, newTotpSecret, totpFor } from './staff-auth.ts';

export const STAFF_ROLES: readonly StaffRole[] = ['clerk', 'supervisor', 'department_admin', 'system_admin'];

export interface NewStaffUser {
  readonly username: string;
  readonly displayName: string;
  readonly password: string;
  readonly grants: ReadonlyArray<{ departmentId: string; role: StaffRole }>;
  /** Only for demo accounts with published secrets; otherwise a fresh secret is generated. */
  readonly totpSecret?: string;
}

/** Creates a local staff account (argon2id password, TOTP secret); returns the secret once, for enrolment. */
export async function createStaffUser(db: Kysely<Database>, input: NewStaffUser, createdBy: string | null): Promise<{ id: string; totpSecret: string; otpauthUri: string }> {
  const problems: FieldProblem[] = [];
  const username = input.username.trim().toLowerCase();
  if (!/^[a-z][a-z0-9._-]{1,62}$/.test(username)) problems.push({ field: 'username', message: { de: 'Der Benutzername besteht aus 2–63 Kleinbuchstaben, Ziffern, Punkt, Binde- oder Unterstrich und beginnt mit einem Buchstaben.', en: 'The username has 2–63 lower-case letters, digits, dot, hyphen or underscore and starts with a letter.' } });
  if (input.displayName.trim().length < 2) problems.push({ field: 'displayName', message: { de: 'Bitte geben Sie den Namen an.', en: 'Enter the name.' } });
  if (input.password.length < 12) problems.push({ field: 'password', message: { de: 'Das Passwort muss mindestens 12 Zeichen lang sein.', en: 'The password must be at least 12 characters long.' } });
  if (input.grants.length === 0) problems.push({ field: 'grants', message: { de: 'Mindestens eine Rolle in einer Abteilung ist nötig.', en: 'At least one role in a department is needed.' } });
  for (const g of input.grants) if (!STAFF_ROLES.includes(g.role)) problems.push({ field: 'grants', message: { de: `Unbekannte Rolle „${g.role}“.`, en: `Unknown role “${g.role}”.` } });
  const departments = new Set((await db.selectFrom('departments').select('id').execute()).map((d) => d.id));
  for (const g of input.grants) if (!departments.has(g.departmentId)) problems.push({ field: 'grants', message: { de: `Unbekannte Abteilung „${g.departmentId}“.`, en: `Unknown department “${g.departmentId}”.` } });
  if (problems.length > 0) throw new ValidationError(problems);

  const totpSecret = input.totpSecret ?? newTotpSecret();
  const passwordHash = await hashPassword(input.password);
  const id = await db.transaction().execute(async (trx) => {
    const exists = await trx.selectFrom('staff_users').select('id').where('username', '=', username).executeTakeFirst();
    if (exists) throw new ConflictError({ de: `Den Benutzernamen „${username}“ gibt es schon.`, en: `The username “${username}” already exists.` });
    const user = await trx.insertInto('staff_users').values({ username, display_name: input.displayName.trim(), password_hash: passwordHash, totp_secret: totpSecret }).returning('id').executeTakeFirstOrThrow();
    for (const g of input.grants) await trx.insertInto('role_grants').values({ staff_user_id: user.id, department_id: g.departmentId, role: g.role }).execute();
    await appendAudit(trx, { actorType: createdBy ? 'staff' : 'system', actorId: createdBy, action: 'staff.created', caseId: null, details: { staffUserId: user.id, grants: input.grants.map((g) => `${g.departmentId}:${g.role}`) } });
    return user.id;
  });
  return { id, totpSecret, otpauthUri: totpFor(totpSecret, username).toString() };
}

/* ---------- administration by department and system administrators ---------- */

export interface StaffListEntry {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly active: boolean;
  readonly signsInWith: 'password' | 'sso';
  readonly grants: ReadonlyArray<{ departmentId: string; role: StaffRole }>;
}

const NOT_FOUND_STAFF = { de: 'Diese Person gibt es nicht oder Sie verwalten sie nicht.', en: 'This person does not exist or is not managed by you.' } as const;

function requireManager(actor: Grants, allDepartments: readonly string[]): string[] {
  const managed = managedDepartments(actor, allDepartments);
  if (managed.length === 0) throw new ForbiddenError({ de: 'Die Verwaltung der Mitarbeitenden ist Administratorinnen und Administratoren vorbehalten.', en: 'Managing staff is for administrators.' });
  return managed;
}

/** Staff who hold a role in a department the actor manages (a system administrator: everyone). */
export async function listStaff(db: Kysely<Database>, actor: Grants, allDepartments: readonly string[]): Promise<StaffListEntry[]> {
  const managed = requireManager(actor, allDepartments);
  let q = db.selectFrom('staff_users').select(['id', 'username', 'display_name', 'active', 'password_hash', 'sso_subject']).orderBy('display_name');
  if (!isSystemAdmin(actor)) q = q.where('id', 'in', (eb) => eb.selectFrom('role_grants').select('staff_user_id').where('department_id', 'in', managed));
  const users = await q.execute();
  const grants = users.length > 0 ? await db.selectFrom('role_grants').select(['staff_user_id', 'department_id', 'role']).where('staff_user_id', 'in', users.map((u) => u.id)).execute() : [];
  return users.map((u) => ({
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    active: u.active,
    signsInWith: u.sso_subject ? 'sso' : 'password',
    grants: grants.filter((g) => g.staff_user_id === u.id).map((g) => ({ departmentId: g.department_id, role: g.role })),
  }));
}

export async function staffEntry(db: Kysely<Database>, actor: Grants, allDepartments: readonly string[], staffUserId: string): Promise<StaffListEntry> {
  if (!/^[0-9a-f-]{36}$/.test(staffUserId)) throw new NotFoundError(NOT_FOUND_STAFF);
  const entry = (await listStaff(db, actor, allDepartments)).find((s) => s.id === staffUserId);
  if (!entry) throw new NotFoundError(NOT_FOUND_STAFF);
  return entry;
}

/** Creates an account with roles the actor may grant (see `grantableRoles`). */
export async function createStaffUserAs(db: Kysely<Database>, actor: Grants & { id: string }, allDepartments: readonly string[], input: NewStaffUser) {
  requireManager(actor, allDepartments);
  const refused = input.grants.filter((g) => STAFF_ROLES.includes(g.role) && !grantableRoles(actor, g.departmentId, allDepartments).includes(g.role));
  if (refused.length > 0) {
    throw new ValidationError(
      refused.map((g) => ({ field: 'grants', message: { de: `Die Rolle „${g.role}“ in „${g.departmentId}“ dürfen Sie nicht vergeben.`, en: `You may not grant the role “${g.role}” in “${g.departmentId}”.` } })),
    );
  }
  return createStaffUser(db, input, actor.id);
}

/**
 * Sets the roles a person holds in one department (replacing that department's roles). An
 * administrator cannot take their own administrator role away (no locking oneself out).
 */
export async function setDepartmentRoles(
  db: Kysely<Database>,
  actor: Grants & { id: string },
  allDepartments: readonly string[],
  change: { staffUserId: string; departmentId: string; roles: readonly string[] },
): Promise<void> {
  const entry = await staffEntry(db, actor, allDepartments, change.staffUserId);
  if (entry.signsInWith === 'sso') {
    throw new ValidationError([
      { field: 'roles', message: { de: 'Die Rollen dieser Person kommen aus dem Verzeichnis der Stadt; ändern Sie dort ihre Gruppen.', en: "This person's roles come from the city's directory; change their groups there." } },
    ]);
  }
  const grantable = grantableRoles(actor, change.departmentId, allDepartments);
  if (grantable.length === 0) throw new ForbiddenError({ de: 'Diese Abteilung verwalten Sie nicht.', en: 'You do not manage this department.' });
  const unknown = change.roles.filter((r) => !STAFF_ROLES.includes(r as StaffRole));
  if (unknown.length > 0) throw new ValidationError([{ field: 'roles', message: { de: `Unbekannte Rolle „${unknown[0]}“.`, en: `Unknown role “${unknown[0]}”.` } }]);
  const roles = change.roles as StaffRole[];
  await db.transaction().execute(async (trx) => {
    const before = (await trx.selectFrom('role_grants').select('role').where('staff_user_id', '=', change.staffUserId).where('department_id', '=', change.departmentId).execute()).map((g) => g.role);
    const added = roles.filter((r) => !before.includes(r));
    const removed = before.filter((r) => !roles.includes(r));
    const beyond = [...added, ...removed].filter((r) => !grantable.includes(r));
    if (beyond.length > 0) throw new ValidationError([{ field: 'roles', message: { de: `Die Rolle „${beyond[0]}“ dürfen Sie nicht ändern.`, en: `You may not change the role “${beyond[0]}”.` } }]);
    if (change.staffUserId === actor.id && removed.some((r) => r === 'department_admin' || r === 'system_admin')) {
      throw new ValidationError([{ field: 'roles', message: { de: 'Ihre eigene Administratorrolle können Sie nicht entfernen.', en: 'You cannot remove your own administrator role.' } }]);
    }
    if (added.length === 0 && removed.length === 0) return;
    if (removed.length > 0) await trx.deleteFrom('role_grants').where('staff_user_id', '=', change.staffUserId).where('department_id', '=', change.departmentId).where('role', 'in', removed).execute();
    for (const role of added) await trx.insertInto('role_grants').values({ staff_user_id: change.staffUserId, department_id: change.departmentId, role }).execute();
    // Sessions carry no roles (they are loaded per request), so the change applies at once.
    await appendAudit(trx, { actorType: 'staff', actorId: actor.id, action: 'staff.roles_changed', caseId: null, details: { staffUserId: change.staffUserId, departmentId: change.departmentId, added, removed } });
  });
}

/** Deactivates (ending every session at once) or reactivates an account; never one's own. */
export async function setStaffActive(db: Kysely<Database>, actor: Grants & { id: string }, allDepartments: readonly string[], staffUserId: string, active: boolean): Promise<void> {
  await staffEntry(db, actor, allDepartments, staffUserId);
  if (staffUserId === actor.id) throw new ValidationError([{ field: 'active', message: { de: 'Ihr eigenes Konto können Sie nicht sperren.', en: 'You cannot deactivate your own account.' } }]);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('staff_users').set({ active, ...(active ? { failed_sign_ins: 0, locked_until: null } : {}) }).where('id', '=', staffUserId).execute();
    if (!active) await trx.deleteFrom('sessions').where('staff_user_id', '=', staffUserId).execute();
    await appendAudit(trx, { actorType: 'staff', actorId: actor.id, action: active ? 'staff.reactivated' : 'staff.deactivated', caseId: null, details: { staffUserId } });
  });
}
