import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';

/**
 * Storage for one development identity provider instance, in memory and private to it (the
 * library's own quick-start adapter shares one cache across instances and warns on every start).
 * Expired entries are dropped when read; nothing survives a restart, as intended.
 */
export function memoryAdapter(): AdapterFactory {
  const entries = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  const grants = new Map<string, Set<string>>();
  const live = (key: string) => {
    const e = entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return e.payload;
  };
  return (name: string): Adapter => {
    const key = (id: string) => `${name}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        entries.set(key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY });
        if (payload.grantId) {
          const set = grants.get(payload.grantId) ?? new Set<string>();
          set.add(key(id));
          grants.set(payload.grantId, set);
        }
      },
      async find(id) {
        return live(key(id));
      },
      async findByUserCode(userCode) {
        for (const [k, e] of entries) if (k.startsWith(`${name}:`) && e.payload.userCode === userCode) return live(k);
        return undefined;
      },
      async findByUid(uid) {
        for (const [k, e] of entries) if (k.startsWith(`${name}:`) && e.payload.uid === uid) return live(k);
        return undefined;
      },
      async consume(id) {
        const p = live(key(id));
        if (p) p.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        entries.delete(key(id));
      },
      async revokeByGrantId(grantId) {
        for (const k of grants.get(grantId) ?? []) entries.delete(k);
        grants.delete(grantId);
      },
    };
  };
}
