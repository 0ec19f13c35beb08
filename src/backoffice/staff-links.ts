import { departmentsWith, isSystemAdmin, type Grants } from '../identity/permissions.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the back office for a signed-in staff member: the areas their roles open. */
    staffLinks?: StaffLink[];
  }
}

export interface StaffLink {
  readonly href: string;
  readonly label: string;
}

/**
 * The back office's pages a person may open, by their roles (shown beside the inbox link).
 * `locationDepartments`: the departments that run a location (city configuration); their case
 * readers get the appointments' day view. `idDocumentDepartments`: the departments that issue ID cards
 * and passports; their case workers mark arrived documents (id-documents/arrival-routes.tsx).
 */
export function staffLinks(who: Grants, lang: 'de' | 'en', locationDepartments: readonly string[] = [], idDocumentDepartments: readonly string[] = []): StaffLink[] {
  const de = lang === 'de';
  return [
    ...(departmentsWith(who, 'case.read').length > 0
      ? [
          { href: '/staff', label: de ? 'Posteingang' : 'Inbox' },
          { href: '/staff/search', label: de ? 'Suche' : 'Search' },
        ]
      : []),
    ...(departmentsWith(who, 'case.read').some((d) => locationDepartments.includes(d)) ? [{ href: '/staff/appointments', label: de ? 'Termine' : 'Appointments' }] : []),
    ...(departmentsWith(who, 'case.work').some((d) => idDocumentDepartments.includes(d)) ? [{ href: '/staff/id-documents/arrivals', label: de ? 'Ausweise eingetroffen' : 'ID documents arrived' }] : []),
    ...(departmentsWith(who, 'department.figures').length > 0 ? [{ href: '/staff/figures', label: de ? 'Kennzahlen' : 'Figures' }] : []),
    ...(departmentsWith(who, 'case.assign').length > 0 ? [{ href: '/staff/retention', label: de ? 'Aufbewahrung' : 'Retention' }] : []),
    ...(departmentsWith(who, 'staff.manage').length > 0 || isSystemAdmin(who) ? [{ href: '/staff/admin', label: de ? 'Mitarbeitende verwalten' : 'Manage staff' }] : []),
    ...(isSystemAdmin(who) ? [{ href: '/staff/admin/system', label: de ? 'Systemzustand' : 'System state' }] : []),
  ];
}
