import type { Kysely } from 'kysely';
import pino, { type Logger } from 'pino';
import { migrations } from '../migrations/index.ts';
import { checkDefinitions } from './catalogue/check-definitions.ts';
import { loadCity } from './catalogue/city.ts';
import { Catalogue } from './catalogue/registry.ts';
import { syncDepartments } from './catalogue/sync-city.ts';
import type { CaseDeps } from './cases/case-deps.ts';
import { decideAutomaticallyJob } from './cases/jobs/decide-automatically.job.ts';
import { CaseFiler } from './cases/case-filer.ts';
import { CaseNumbers } from './cases/case-numbers.ts';
import { knownEffects } from './cases/effects.ts';
import { receiptMailJob } from './cases/jobs/case-mail.ts';
import { legacyStatusMailJob, notifyApplicantJob } from './notifications/notify-applicant.job.ts';
import { loadVapidKeys } from './notifications/vapid.ts';
import { WebPushSender } from './notifications/web-push-sender.ts';
import { housekeepingJob } from './cases/jobs/housekeeping.job.ts';
import { escalateOverdueJob, escalationMailJob } from './cases/jobs/escalate-overdue.job.ts';
import type { Config } from './config.ts';
import { AuditSealer } from './efile/audit-sealer.ts';
import { openBlobStore, type BlobStore } from './efile/blob-store.ts';
import { loadMasterKeyring, type MasterKeyring } from './efile/document-crypto.ts';
import { loadCitySeal, type CitySeal } from './efile/seal.ts';
import { issueDocumentJob } from './cases/jobs/issue-document.job.ts';
import { openVirusScanner } from './efile/uploads/clamd.ts';
import type { VirusScanner } from './efile/uploads/upload-check.ts';
import { retentionJob } from './efile/retention.job.ts';
import { searchIndexJob } from './efile/search-indexer.ts';
import { requestRemindersJob } from './cases/information-requests.ts';
import { migrateToLatest, openDatabase, type Engine } from './platform/db/database.ts';
import { JobQueue } from './platform/jobs/queue.ts';
import { Mailer } from './platform/mail/mailer.ts';
import type { Database } from './schema.ts';
import { serviceDefinitions } from './services/index.ts';
import { appointmentJobs } from './appointments/appointment-jobs.ts';
import { tradeJobs } from './trade/trade-jobs.ts';
import { authorityForwardingJob } from './services/versammlungsanzeige/forward-to-authority.job.ts';
import { linkLandlordConfirmationJob } from './landlord/link-confirmation.job.ts';
import { purgeLandlordConfirmationsJob } from './landlord/purge-landlord-confirmations.job.ts';

/**
 * The composition root shared by `main.ts`, the CLI commands and the tests:
 * configuration → catalogue checks → database → migrations → job queue.
 */
export interface Runtime extends CaseDeps {
  readonly config: Config;
  readonly engine: Engine;
  readonly log: Logger;
  readonly mailer: Mailer;
  readonly migrations: typeof migrations;
  /** Seals audit entries into the hash chain; started by worker processes. */
  readonly auditSealer: AuditSealer;
  /** The E-Akte's document store and master keys (`efile/documents.ts`, ADR 0012). */
  readonly blobs: BlobStore;
  readonly keyring: MasterKeyring;
  /** The city's seal on issued PDFs (`efile/seal.ts`, ADR 0013). */
  readonly seal: CitySeal;
  /** clamd, where configured (CLAMD_URL): every upload is scanned, and refused when it cannot be. */
  readonly scanner: VirusScanner | undefined;
  /** Web Push with the server's VAPID keys; undefined when push is off (production without VAPID_*, ADR 0017). */
  readonly webPush: WebPushSender | undefined;
  close(): Promise<void>;
}

/** Log fields that may carry personal data; pino replaces them before anything is written. */
const REDACT_PATHS = [
  'req.remoteAddress',
  'req.remotePort',
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["idempotency-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.accessCode',
  '*.access_code',
  '*.email',
  '*.applicant',
  '*.form_data',
  '*.formData',
  '*.data',
  '*.organiserName',
  '*.totp',
  '*.code',
];

export function createLogger(config: Config, destination?: pino.DestinationStream): Logger {
  const options = { level: config.logLevel, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'amtsweg', role: config.role } };
  return destination ? pino(options, destination) : pino(options);
}

export async function createRuntime(config: Config, options: { log?: Logger; now?: () => Date; jobPollingSeconds?: number; /** Tests: a city configuration instead of cities/<CITY>.json. */ city?: ReturnType<typeof loadCity> } = {}): Promise<Runtime> {
  const log = options.log ?? createLogger(config);
  const city = options.city ?? loadCity(config.city);
  checkDefinitions(serviceDefinitions, knownEffects, city);
  const catalogue = new Catalogue(serviceDefinitions, city);
  // Before the database: a missing or damaged development key file stops the start here.
  const keyring = await loadMasterKeyring(config);
  // Before the database too: a wrong seal password stops the start, not the first decision.
  const seal = await loadCitySeal(config);
  const vapid = await loadVapidKeys(config);
  const webPush = vapid ? new WebPushSender(vapid) : undefined;

  const handle = await openDatabase<Database>({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
    onConnectionError: (err) => log.warn({ err: { message: err.message } }, 'idle database connection failed; the pool replaces it'),
  });
  const db: Kysely<Database> = handle.db;
  try {
    const applied = await migrateToLatest(db, migrations);
    if (applied.length > 0) log.info({ applied }, 'migrations applied');
    await syncDepartments(db, city);
  } catch (err) {
    await handle.close();
    throw err;
  }

  let blobs: BlobStore;
  try {
    blobs = await openBlobStore(config);
  } catch (err) {
    await handle.close();
    throw err;
  }
  const mailer = new Mailer(db, config.smtpUrl, config.mailFrom);
  const jobs = new JobQueue(db, log, { pollingIntervalSeconds: options.jobPollingSeconds ?? 2, maintenance: config.role !== 'web' });
  const mailDeps = { db, catalogue, mailer, publicUrl: config.publicUrl };
  jobs.register(receiptMailJob(mailDeps));
  jobs.register(notifyApplicantJob({ ...mailDeps, webPush }));
  jobs.register(legacyStatusMailJob({ ...mailDeps, webPush }));
  const now = options.now ?? (() => new Date());
  jobs.register(housekeepingJob({ db, now, blobs }));
  jobs.register(searchIndexJob({ db, blobs, keyring, catalogue }));
  jobs.register(requestRemindersJob({ db, jobs, now }));
  jobs.register(issueDocumentJob({ db, blobs, keyring, seal, catalogue, publicUrl: config.publicUrl, now }));
  jobs.register(decideAutomaticallyJob({ db, jobs, catalogue, now }));
  jobs.register(retentionJob({ db, blobs, catalogue, now, mode: config.retentionMode }));
  jobs.register(linkLandlordConfirmationJob({ db, blobs, keyring, catalogue, now }));
  jobs.register(purgeLandlordConfirmationsJob({ db, now }));
  jobs.register(escalateOverdueJob({ db, jobs, catalogue, now }));
  jobs.register(escalationMailJob({ db, catalogue, mailer, publicUrl: config.publicUrl, now }));
  for (const job of appointmentJobs({ db, jobs, catalogue, now, mailer, publicUrl: config.publicUrl, secret: config.sessionSecret })) jobs.register(job);
  for (const job of tradeJobs({ db, jobs, catalogue, now, publicUrl: config.publicUrl, production: config.profile === 'production' })) jobs.register(job);
  // ADR 0023: a service's external receiving authority (its secret from the environment, checked here).
  jobs.register(authorityForwardingJob({ db, jobs, catalogue, now, publicUrl: config.publicUrl, production: config.profile === 'production', env: process.env }));
  await jobs.start();
  const auditSealer = new AuditSealer(db, log);

  return {
    config,
    engine: handle.engine,
    log,
    db,
    jobs,
    catalogue,
    mailer,
    migrations,
    now,
    caseNumbers: new CaseNumbers(db),
    // One transaction at a time on the embedded engine's single connection; a few on PostgreSQL.
    caseFiler: new CaseFiler(db, jobs, { maxConcurrent: handle.engine === 'pglite' ? 1 : 4 }),
    auditSealer,
    blobs,
    keyring,
    seal,
    scanner: openVirusScanner(config),
    webPush,
    async close() {
      await auditSealer.stop();
      await jobs.stop();
      mailer.close();
      await blobs.close();
      await handle.close();
    },
  };
}
