import type { Migration } from 'kysely/migration';
import * as m0001 from './0001-initial.ts';
import * as m0002 from './0002-audit-pending.ts';
import * as m0003 from './0003-case-number-blocks.ts';
import * as m0004 from './0004-identity.ts';
import * as m0005 from './0005-case-assignment.ts';
import * as m0006 from './0006-documents.ts';
import * as m0007 from './0007-issued-documents.ts';
import * as m0008 from './0008-case-search.ts';
import * as m0009 from './0009-retention.ts';
import * as m0010 from './0010-document-uploads.ts';
import * as m0011 from './0011-notifications.ts';
import * as m0012 from './0012-mailbox-and-requests.ts';
import * as m0013 from './0013-appointments.ts';
import * as m0014 from './0014-payments.ts';
import * as m0015 from './0015-escalations.ts';
import * as m0016 from './0016-id-document-serials.ts';
import * as m0017 from './0017-landlord-confirmations.ts';
import * as m0018 from './0018-trade-message-deliveries.ts';
import * as m0019 from './0019-authority-forwarding.ts';

/** Every migration, in order. Forward-only: a migration is never edited once it has landed. */
export const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-audit-pending': m0002,
  '0003-case-number-blocks': m0003,
  '0004-identity': m0004,
  '0005-case-assignment': m0005,
  '0006-documents': m0006,
  '0007-issued-documents': m0007,
  '0008-case-search': m0008,
  '0009-retention': m0009,
  '0010-document-uploads': m0010,
  '0011-notifications': m0011,
  '0012-mailbox-and-requests': m0012,
  '0013-appointments': m0013,
  '0014-payments': m0014,
  '0015-escalations': m0015,
  '0016-id-document-serials': m0016,
  '0017-landlord-confirmations': m0017,
  '0018-trade-message-deliveries': m0018,
  '0019-authority-forwarding': m0019,
};
