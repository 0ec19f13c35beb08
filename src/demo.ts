import type { CaseDeps } from './cases/case-deps.ts';
import { submitCase } from './cases/submit-case.ts';
import { transitionCase } from './cases/transition-case.ts';
import { zonedToday } from './platform/i18n/time.ts';
import { validTradeRegistration } from './trade/trade-fixtures.ts';

/** A few Versammlungsanzeigen in different states and cases of other departments, so the inboxes are not empty on first start. */
export async function seedDemoCases(deps: CaseDeps, clerkId: string): Promise<number> {
  const existing = await deps.db.selectFrom('cases').select('id').limit(1).executeTakeFirst();
  if (existing) return 0;
  const tz = deps.catalogue.city.timeZone;
  const day = (offset: number) => zonedToday(new Date(deps.now().getTime() + offset * 24 * 3600_000), tz);
  const base: Record<string, string | string[]> = {
    organisation: '',
    street: 'Große Ulrichstraße 1',
    postcode: '06108',
    town: 'Halle (Saale)',
    phone: '',
    leaderPhone: '0345 123456',
    deputyName: '',
    endDate: '',
    aids: ['banners', 'megaphone'],
    aidsDetails: '',
    alreadyAnnounced: 'no',
    announcementTime: '10:00',
  };
  const samples: Record<string, string>[] = [
    { organiserName: 'Mia Schneider', email: 'mia.schneider@example.org', leaderName: 'Mia Schneider', subject: 'Mehr Radwege in der Innenstadt', kind: 'march', date: day(21), startTime: '14:00', endTime: '16:30', assemblyPoint: 'Marktplatz', route: 'Marktplatz – Leipziger Straße – Riebeckplatz', endPoint: 'Riebeckplatz', participants: '400', stewards: '12', announcementDate: day(7) },
    { organiserName: 'Ahmet Yılmaz', email: 'a.yilmaz@example.org', leaderName: 'Ahmet Yılmaz', subject: 'Mahnwache für den Frieden', kind: 'stationary', date: day(10), startTime: '18:00', endTime: '19:00', place: 'Hallmarkt', participants: '40', stewards: '2', announcementDate: day(4) },
    { organiserName: 'Lena Fischer', email: 'lena.fischer@example.org', leaderName: 'Tom Fischer', subject: 'Klimaschutz jetzt', kind: 'stationary', date: day(30), startTime: '12:00', endTime: '15:00', place: 'Universitätsplatz', participants: '250', stewards: '8', announcementDate: day(14) },
  ];
  let n = 0;
  for (const [i, s] of samples.entries()) {
    const result = await submitCase(deps, { serviceId: 'versammlungsanzeige', data: { ...base, ...s }, idempotencyScope: 'form', idempotencyKey: `00000000-0000-4000-8000-00000000000${i}` });
    n++;
    if (i === 1) {
      await transitionCase(deps, { caseId: result.caseId, transitionId: 'start_review', expectedVersion: 1, actor: { type: 'staff', id: clerkId, grants: [{ departmentId: 'versammlungsbehoerde', role: 'clerk' }] }, input: {} });
    }
  }
  // One of each of the other departments' busiest matters, so their inboxes are not empty either.
  const more: Array<{ serviceId: string; data: Record<string, string | string[]> }> = [
    // A security firm (§ 34a GewO) is never accepted automatically: it waits for the trade office.
    { serviceId: 'gewerbeanmeldung', data: validTradeRegistration(deps.now(), { activityCategory: 'bewachung', wzKey: '80.10.0', activityDescription: 'Objektschutz und Veranstaltungsbewachung', permitStatus: 'applied', businessName: 'Sicher in Halle' }) },
    {
      serviceId: 'eheschliessung',
      data: { partner1Name: 'Lena Hoffmann', partner2Name: 'Yusuf Demir', email: 'lena.hoffmann@example.org', phone: '', residence: 'halle', nationality: 'foreign', bornAbroad: 'yes', commonChildren: 'no', wishDate: day(75), venue: 'standesamt', guests: '30' },
    },
  ];
  for (const [i, m] of more.entries()) {
    await submitCase(deps, { serviceId: m.serviceId, data: m.data, idempotencyScope: 'form', idempotencyKey: `00000000-0000-4000-8000-00000000010${i}` });
    n++;
  }
  return n;
}
