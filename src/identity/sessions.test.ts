import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { testRuntime, type TestRuntime } from '../test-support/runtime.ts';
import { createSession, destroyAllSessions, hashToken, loadSession, TIMEOUTS, type SessionKind } from './sessions.ts';

let rt: TestRuntime;
before(async () => {
  rt = await testRuntime();
});
after(async () => rt?.close());

const MIN = 60_000;
const age = (token: string, fields: { createdAgoMs?: number; lastSeenAgoMs?: number; expiresInMs?: number }) => {
  const now = Date.now();
  return rt.db
    .updateTable('sessions')
    .set({
      ...(fields.createdAgoMs !== undefined ? { created_at: new Date(now - fields.createdAgoMs) } : {}),
      ...(fields.lastSeenAgoMs !== undefined ? { last_seen_at: new Date(now - fields.lastSeenAgoMs) } : {}),
      ...(fields.expiresInMs !== undefined ? { expires_at: new Date(now + fields.expiresInMs) } : {}),
    })
    .where('id_hash', '=', hashToken(token))
    .execute();
};
const citizenId = async () => (await rt.db.insertInto('citizens').values({ email: `s${Date.now()}${Math.random()}@example.org`.toLowerCase() }).returning('id').executeTakeFirstOrThrow()).id;

test('signed-in citizens time out sooner than staff, anonymous visitors keep their draft longest', () => {
  assert.ok(TIMEOUTS.citizen.idleMs < TIMEOUTS.staff.idleMs, 'citizen idle timeout shorter than staff');
  assert.ok(TIMEOUTS.citizen.absoluteMs < TIMEOUTS.staff.absoluteMs, 'citizen absolute timeout shorter than staff');
});

for (const kind of ['visitor', 'citizen', 'staff'] as const satisfies readonly SessionKind[]) {
  test(`${kind} session: alive within the idle time, gone after it, and gone after the absolute time however active`, async () => {
    const fields = kind === 'citizen' ? { citizenId: await citizenId(), level: 'basic' as const } : {};
    const { token } = await createSession(rt.db, kind, fields);
    const limits = TIMEOUTS[kind];
    assert.ok(await loadSession(rt.db, token), 'a fresh session loads');

    // Active a minute ago with time left: it slides, never beyond the absolute limit.
    await age(token, { createdAgoMs: limits.absoluteMs - 5 * MIN, lastSeenAgoMs: 2 * MIN, expiresInMs: MIN });
    assert.ok(await loadSession(rt.db, token), 'still alive');
    const row = await rt.db.selectFrom('sessions').select(['expires_at', 'created_at']).where('id_hash', '=', hashToken(token)).executeTakeFirstOrThrow();
    assert.ok(row.expires_at.getTime() <= row.created_at.getTime() + limits.absoluteMs + 1000, 'sliding stops at the absolute limit');

    // Idle past the limit.
    await age(token, { createdAgoMs: 10 * MIN, expiresInMs: -1000 });
    assert.equal(await loadSession(rt.db, token), undefined, 'expired after the idle time');
    assert.equal(await rt.db.selectFrom('sessions').select('id_hash').where('id_hash', '=', hashToken(token)).executeTakeFirst(), undefined, 'and deleted');

    // Active, but older than the absolute limit.
    const second = (await createSession(rt.db, kind, fields)).token;
    await age(second, { createdAgoMs: limits.absoluteMs + MIN, lastSeenAgoMs: 0, expiresInMs: limits.idleMs });
    assert.equal(await loadSession(rt.db, second), undefined, 'expired after the absolute time');
  });
}

test('sign out everywhere ends all sessions of one citizen and no one else\'s', async () => {
  const a = await citizenId();
  const b = await citizenId();
  const a1 = (await createSession(rt.db, 'citizen', { citizenId: a, level: 'basic' })).token;
  const a2 = (await createSession(rt.db, 'citizen', { citizenId: a, level: 'high' })).token;
  const b1 = (await createSession(rt.db, 'citizen', { citizenId: b, level: 'basic' })).token;
  assert.equal(await destroyAllSessions(rt.db, { citizenId: a }), 2);
  assert.equal(await loadSession(rt.db, a1), undefined);
  assert.equal(await loadSession(rt.db, a2), undefined);
  assert.ok(await loadSession(rt.db, b1), "the other citizen's session lives on");
});
