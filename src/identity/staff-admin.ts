import type { Kysely } from 'kysely';
import { appendAudit } from '../efile/audit-chain.ts';
import { ConflictError, ValidationError, type FieldProblem } from '../platform/errors.ts';
import type { Database, StaffRole } from '../schema.ts';
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
