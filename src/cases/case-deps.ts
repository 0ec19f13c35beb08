import type { Kysely } from 'kysely';
import type { Catalogue } from '../catalogue/registry.ts';
import { departmentsWith } from '../identity/permissions.ts';
import type { JobQueue } from '../platform/jobs/queue.ts';
import type { Database } from '../schema.ts';
import type { CaseFiler } from './case-filer.ts';
import type { CaseNumbers } from './case-numbers.ts';

/** What the case functions need; tests build it with a real database and a fixed clock. */
export interface CaseDeps {
  readonly db: Kysely<Database>;
  readonly jobs: JobQueue;
  readonly catalogue: Catalogue;
  readonly now: () => Date;
  readonly caseNumbers: CaseNumbers;
  readonly caseFiler: CaseFiler;
}

/** Who acts. Staff carry their role grants per department; an applicant proved ownership of one case. */
export type Actor =
  | { readonly type: 'staff'; readonly id: string; readonly grants: ReadonlyArray<{ readonly departmentId: string; readonly role: string }> }
  | { readonly type: 'applicant'; readonly caseId: string }
  | { readonly type: 'system' };

/** The departments whose cases the actor may read (clerk or supervisor there); [] for non-staff. */
export function staffDepartments(actor: Actor): string[] {
  return actor.type === 'staff' ? departmentsWith(actor, 'case.read') : [];
}
