import type { Kysely, Transaction } from 'kysely';
import { Secret, TOTP } from 'otpauth';
import { appendAudit } from '../efile/audit-chain.ts';
import { TooManyRequestsError, UnauthenticatedError, ValidationError } from '../platform/errors.ts';
import type { Database, StaffRole } from '../schema.ts';

/**
 * Local staff accounts: argon2id password, then a TOTP second factor (RFC 6238, 30 s steps).
 * A used TOTP step is remembered so a code cannot be replayed; five wrong passwords lock the
 * account for 15 minutes.
 */
// OWASP's argon2id baseline (19 MiB, 2 iterations, 1 lane).
const ARGON2 = { algorithm: 2 /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
const LOCK_AFTER = 5;
const LOCK_MINUTES = 15;

let dummyHash: Promise<string> | undefined;
/** The native argon2 binding loads at the first password check, not at start (ADR 0026). */
let argon2: Promise<typeof import('@node-rs/argon2')> | undefined;
const loadArgon2 = () => (argon2 ??= import('@node-rs/argon2'));

export async function hashPassword(password: string): Promise<string> {
  return (await loadArgon2()).hash(password, ARGON2);
}

async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return (await loadArgon2()).verify(passwordHash, password).catch(() => false);
}

export function totpFor(secretBase32: string, label = 'staff'): TOTP {
  return new TOTP({ issuer: 'Amtsweg', label, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secretBase32) });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export interface StaffIdentity {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly grants: ReadonlyArray<{ departmentId: string; role: StaffRole }>;
}

const WRONG = { de: 'Benutzername oder Passwort ist falsch.', en: 'The username or password is wrong.' };

function lockedError(until: Date): TooManyRequestsError {
  const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
  return new TooManyRequestsError(Math.ceil((until.getTime() - Date.now()) / 1000), {
    de: `Nach ${LOCK_AFTER} falschen Versuchen ist dieses Konto für ${LOCK_MINUTES} Minuten gesperrt (noch etwa ${minutes} Minute${minutes === 1 ? '' : 'n'}). Wenden Sie sich bei Bedarf an die IT-Administration.`,
    en: `After ${LOCK_AFTER} wrong attempts this account is locked for ${LOCK_MINUTES} minutes (about ${minutes} minute${minutes === 1 ? '' : 's'} left). Contact IT administration if needed.`,
  });
}

/** Wrong passwords and wrong one-time codes count together; the fifth locks the account. */
async function countFailure(trx: Transaction<Database>, staffUserId: string, failedSoFar: number): Promise<void> {
  const failed = failedSoFar + 1;
  await trx
    .updateTable('staff_users')
    .set({ failed_sign_ins: failed >= LOCK_AFTER ? 0 : failed, locked_until: failed >= LOCK_AFTER ? new Date(Date.now() + LOCK_MINUTES * 60_000) : null })
    .where('id', '=', staffUserId)
    .execute();
}

/** First factor. Unknown users cost the same argon2 work as known ones. */
export async function checkPassword(db: Kysely<Database>, username: string, password: string): Promise<string> {
  const problems = [];
  if (username.trim() === '') problems.push({ field: 'username', message: { de: 'Bitte geben Sie Ihren Benutzernamen an.', en: 'Enter your username.' } });
  if (password === '') problems.push({ field: 'password', message: { de: 'Bitte geben Sie Ihr Passwort an.', en: 'Enter your password.' } });
  if (problems.length > 0) throw new ValidationError(problems);
  const user = await db.selectFrom('staff_users').selectAll().where('username', '=', username.trim().toLowerCase()).executeTakeFirst();
  if (!user || !user.active) {
    dummyHash ??= hashPassword('not-a-real-password');
    await verifyPassword(await dummyHash, password);
    throw new UnauthenticatedError(WRONG);
  }
  if (user.locked_until && user.locked_until.getTime() > Date.now()) throw lockedError(user.locked_until);
  // Staff who sign in through the city's directory have no password here.
  const ok = user.password_hash !== null && (await verifyPassword(user.password_hash, password));
  await db.transaction().execute(async (trx) => {
    if (ok) {
      await trx.updateTable('staff_users').set({ failed_sign_ins: 0, locked_until: null }).where('id', '=', user.id).execute();
    } else {
      await countFailure(trx, user.id, user.failed_sign_ins);
    }
    await appendAudit(trx, { actorType: 'staff', actorId: user.id, action: ok ? 'staff.password_ok' : 'staff.password_wrong', caseId: null, details: {} });
  });
  if (!ok) throw new UnauthenticatedError(WRONG);
  return user.id;
}

/** Second factor. Accepts the current step ±1 (clock drift) and never the same step twice. */
export async function checkTotp(db: Kysely<Database>, staffUserId: string, code: string): Promise<void> {
  const clean = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(clean)) throw new ValidationError([{ field: 'code', message: { de: 'Der Code hat 6 Ziffern.', en: 'The code has 6 digits.' } }]);
  const ok = await db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('staff_users').select(['id', 'totp_secret', 'totp_last_step', 'failed_sign_ins', 'locked_until']).where('id', '=', staffUserId).forUpdate().executeTakeFirstOrThrow();
    if (user.locked_until && user.locked_until.getTime() > Date.now()) return user.locked_until;
    const delta = totpFor(user.totp_secret).validate({ token: clean, window: 1 });
    const step = Math.floor(Date.now() / 30_000) + (delta ?? 0);
    const ok = delta !== null && step > Number(user.totp_last_step);
    if (ok) await trx.updateTable('staff_users').set({ totp_last_step: step, failed_sign_ins: 0 }).where('id', '=', user.id).execute();
    else await countFailure(trx, user.id, user.failed_sign_ins);
    await appendAudit(trx, { actorType: 'staff', actorId: user.id, action: ok ? 'staff.sign_in' : 'staff.totp_wrong', caseId: null, details: {} });
    return ok;
  });
  // Thrown after the commit, so the failed attempt stays in the audit log.
  if (ok instanceof Date) throw lockedError(ok);
  if (!ok) throw new ValidationError([{ field: 'code', message: { de: 'Der Code ist falsch oder schon benutzt. Bitte nehmen Sie den aktuellen Code aus Ihrer Authenticator-App.', en: 'The code is wrong or already used. Use the current code from your authenticator app.' } }]);
}

export async function loadStaffIdentity(db: Kysely<Database>, staffUserId: string): Promise<StaffIdentity | undefined> {
  const user = await db.selectFrom('staff_users').select(['id', 'username', 'display_name', 'active']).where('id', '=', staffUserId).executeTakeFirst();
  if (!user || !user.active) return undefined;
  const grants = await db.selectFrom('role_grants').select(['department_id', 'role']).where('staff_user_id', '=', staffUserId).execute();
  return { id: user.id, username: user.username, displayName: user.display_name, grants: grants.map((g) => ({ departmentId: g.department_id, role: g.role })) };
}
