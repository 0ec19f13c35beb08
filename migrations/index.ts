import type { Migration } from 'kysely';
import * as m0001 from './0001-initial.ts';
import * as m0002 from './0002-audit-pending.ts';

/** Every migration, in order. Forward-only: a migration is never edited once it has landed. */
export const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-audit-pending': m0002,
};
