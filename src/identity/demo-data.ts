import type { Kysely } from 'kysely';
import type { Database, StaffRole } from '../schema.ts';
import { createStaffUser } from './staff-admin.ts';

/**
 * Demo staff for development and tests only: config refuses DEMO_DATA in production, because
 * these passwords and TOTP secrets are published here and printed at start-up.
 */
export interface DemoStaff {
  readonly username: string;
  readonly displayName: string;
  readonly password: string;
  readonly totpSecret: string;
  /** Where escalations reach a supervisor (ADR 0020); example.org addresses never leave the outbox in development. */
  readonly email?: string;
  readonly grants: ReadonlyArray<{ departmentId: string; role: StaffRole }>;
}

export const DEMO_STAFF: readonly DemoStaff[] = [
  { username: 'clerk', displayName: 'Clara Klein (Sachbearbeitung)', password: 'demo-clerk-2026', totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', email: 'clara.klein@amtsweg.example.org', grants: [{ departmentId: 'versammlungsbehoerde', role: 'clerk' }] },
  { username: 'clerk2', displayName: 'Jonas Berg (Sachbearbeitung)', password: 'demo-clerk2-2026', totpSecret: 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU', grants: [{ departmentId: 'versammlungsbehoerde', role: 'clerk' }] },
  {
    username: 'supervisor',
    displayName: 'Sabine Vogt (Sachgebietsleitung)',
    password: 'demo-supervisor-2026',
    totpSecret: 'MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK',
    email: 'sabine.vogt@amtsweg.example.org',
    grants: [
      { departmentId: 'versammlungsbehoerde', role: 'supervisor' },
      { departmentId: 'versammlungsbehoerde', role: 'clerk' },
    ],
  },
  { username: 'gewerbe', displayName: 'Gerd Wolf (Gewerbeamt)', password: 'demo-gewerbe-2026', totpSecret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', grants: [{ departmentId: 'gewerbeamt', role: 'clerk' }] },
  { username: 'buergerservice', displayName: 'Bea Sommer (Bürgerservice)', password: 'demo-buergerservice-2026', totpSecret: 'MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK', grants: [{ departmentId: 'buergerservice', role: 'clerk' }] },
  { username: 'standesamt', displayName: 'Sophie Brandt (Standesamt)', password: 'demo-standesamt-2026', totpSecret: 'OBQXG43XN5ZGIMJSGM2DKNRXHA4TAMJS', grants: [{ departmentId: 'standesamt', role: 'clerk' }] },
  { username: 'ordnungsamt', displayName: 'Olaf Berger (Ordnungsamt)', password: 'demo-ordnungsamt-2026', totpSecret: 'N5ZGI3TVNZTXGYLNORJGK43UMVZXIMZS', grants: [{ departmentId: 'ordnungsamt', role: 'clerk' }] },
  { username: 'stadtwirtschaft', displayName: 'Petra Lange (Stadtwirtschaft)', password: 'demo-stadtwirtschaft-2026', totpSecret: 'ON2GCZDUO5UXE5DTMNUGCZTUGIYDENRT', grants: [{ departmentId: 'stadtwirtschaft', role: 'clerk' }] },
  { username: 'steueramt', displayName: 'Timo Krüger (Steuerabteilung)', password: 'demo-steueramt-2026', totpSecret: 'ON2GK5LFOJQW23LUGIYDENRSGAZDMNBU', grants: [{ departmentId: 'steueramt', role: 'clerk' }] },
  { username: 'sozialamt', displayName: 'Nina Wolff (Wohngeldstelle)', password: 'demo-sozialamt-2026', totpSecret: 'ON6WM2LBNRQW25DUGIYDENRSGAZDMNBV', grants: [{ departmentId: 'sozialamt', role: 'clerk' }] },
  { username: 'deptadmin', displayName: 'Dana Roth (Verwaltung Versammlungsbehörde)', password: 'demo-deptadmin-2026', totpSecret: 'NBSWY3DPNBSWY3DPNBSWY3DPNBSWY3DP', grants: [{ departmentId: 'versammlungsbehoerde', role: 'department_admin' }] },
  { username: 'sysadmin', displayName: 'Sven Lang (IT-Betrieb)', password: 'demo-sysadmin-2026', totpSecret: 'ONSWG4TFORSXG5DFON2GK43UMVZXIZLT', grants: [{ departmentId: 'versammlungsbehoerde', role: 'system_admin' }] },
];

/** Creates the demo staff accounts that do not exist yet. */
export async function seedDemoStaff(db: Kysely<Database>): Promise<void> {
  for (const s of DEMO_STAFF) {
    const existing = await db.selectFrom('staff_users').select('id').where('username', '=', s.username).executeTakeFirst();
    if (!existing) await createStaffUser(db, { username: s.username, displayName: s.displayName, password: s.password, grants: s.grants, totpSecret: s.totpSecret }, null);
    if (s.email) await db.updateTable('staff_users').set({ email: s.email }).where('username', '=', s.username).where('email', 'is', null).execute();
  }
}
