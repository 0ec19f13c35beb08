import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, SessionLevel } from '../schema.ts';

/**
 * Server-side sessions. The cookie holds a random token; the database holds only its SHA-256,
 * so a copy of the table cannot be replayed as cookies. Idle and absolute timeouts differ for
 * anonymous visitors (filling in a form, holding nothing but their draft), signed-in citizens
 * (shorter: a shared or lost phone) and staff (a working day).
 */
export const SESSION_COOKIE = 'aw_session';

export type SessionKind = 'visitor' | 'citizen' | 'staff';

export const TIMEOUTS: Readonly<Record<SessionKind, { readonly idleMs: number; readonly absoluteMs: number }>> = {
  visitor: { idleMs: 2 * 3600_000, absoluteMs: 24 * 3600_000 },
  citizen: { idleMs: 15 * 60_000, absoluteMs: 4 * 3600_000 },
  staff: { idleMs: 30 * 60_000, absoluteMs: 10 * 3600_000 },
};

export interface Session {
  readonly idHash: string;
  readonly kind: SessionKind;
  readonly staffUserId: string | null;
  readonly citizenId: string | null;
  /** The identity level reached in this session (`none` for visitors and staff). */
  readonly level: SessionLevel;
  readonly levelAt: Date | null;
  readonly secondFactorDone: boolean;
  readonly data: Record<string, unknown>;
  readonly createdAt: Date;
}

export interface SessionFields {
  staffUserId?: string;
  citizenId?: string;
  level?: SessionLevel;
  secondFactorDone?: boolean;
  data?: Record<string, unknown>;
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export async function createSession(db: Kysely<Database>, kind: SessionKind, fields: SessionFields = {}): Promise<{ token: string; session: Session }> {
  const token = randomBytes(32).toString('base64url');
  const idHash = hashToken(token);
  const now = new Date();
  const level = fields.level ?? 'none';
  const levelAt = level === 'none' ? null : now;
  await db
    .insertInto('sessions')
    .values({
      id_hash: idHash,
      kind,
      staff_user_id: fields.staffUserId ?? null,
      citizen_id: fields.citizenId ?? null,
      level,
      level_at: levelAt,
      second_factor_done: fields.secondFactorDone ?? false,
      data: JSON.stringify(fields.data ?? {}),
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + TIMEOUTS[kind].idleMs),
    })
    .execute();
  return {
    token,
    session: {
      idHash,
      kind,
      staffUserId: fields.staffUserId ?? null,
      citizenId: fields.citizenId ?? null,
      level,
      levelAt,
      secondFactorDone: fields.secondFactorDone ?? false,
      data: fields.data ?? {},
      createdAt: now,
    },
  };
}

/** The live session for a cookie token, sliding its idle expiry; undefined when unknown or expired. */
export async function loadSession(db: Kysely<Database>, token: string | undefined): Promise<Session | undefined> {
  if (!token || token.length > 100) return undefined;
  const idHash = hashToken(token);
  const row = await db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  if (!row) return undefined;
  const now = Date.now();
  const limits = TIMEOUTS[row.kind];
  if (row.expires_at.getTime() <= now || row.created_at.getTime() + limits.absoluteMs <= now) {
    await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    return undefined;
  }
  // Slide the idle timeout at most once a minute, not on every request.
  if (now - row.last_seen_at.getTime() > 60_000) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(now), expires_at: new Date(Math.min(now + limits.idleMs, row.created_at.getTime() + limits.absoluteMs)) })
      .where('id_hash', '=', idHash)
      .execute();
  }
  return {
    idHash,
    kind: row.kind,
    staffUserId: row.staff_user_id,
    citizenId: row.citizen_id,
    level: row.level,
    levelAt: row.level_at,
    secondFactorDone: row.second_factor_done,
    data: row.data as Record<string, unknown>,
    createdAt: row.created_at,
  };
}

export async function updateSessionData(db: Kysely<Database>, idHash: string, data: Record<string, unknown>): Promise<void> {
  await db.updateTable('sessions').set({ data: JSON.stringify(data) }).where('id_hash', '=', idHash).execute();
}

export async function destroySession(db: Kysely<Database>, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

/** "Sign out everywhere": every session of this citizen or staff member, this one included. */
export async function destroyAllSessions(db: Kysely<Database>, owner: { citizenId: string } | { staffUserId: string }): Promise<number> {
  const r =
    'citizenId' in owner
      ? await db.deleteFrom('sessions').where('citizen_id', '=', owner.citizenId).executeTakeFirst()
      : await db.deleteFrom('sessions').where('staff_user_id', '=', owner.staffUserId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function purgeExpiredSessions(db: Kysely<Database>): Promise<number> {
  const r = await db.deleteFrom('sessions').where('expires_at', '<', new Date()).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** A one-time message for the next page after a redirect (post/redirect/get). */
export type Flash = { readonly de: string; readonly en: string };

export async function setFlash(db: Kysely<Database>, session: Session, flash: Flash): Promise<void> {
  await updateSessionData(db, session.idHash, { ...session.data, flash });
}

export async function takeFlash(db: Kysely<Database>, session: Session | undefined): Promise<Flash | undefined> {
  const flash = session?.data.flash as Flash | undefined;
  if (!session || !flash) return undefined;
  const { flash: _taken, ...rest } = session.data;
  await updateSessionData(db, session.idHash, rest);
  return flash;
}
