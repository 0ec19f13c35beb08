import { buildApp } from './app.ts';
import { ConfigError, DEV_STAFF_CLIENT_ID, loadConfig } from './config.ts';
import { seedDemoCases } from './demo.ts';
import type { DevIdp } from './devidp/dev-idp.tsx';
import { DEMO_STAFF, seedDemoStaff } from './identity/demo-data.ts';
import { createLogger, createRuntime } from './runtime.ts';

/** Process entry: config → database → migrations → server and/or worker (`ROLE=web|worker|all`). */
async function main(): Promise<void> {
  let config;
  // `--role=web|worker|all` on the command line wins over the ROLE setting.
  const roleArg = process.argv.find((a) => a.startsWith('--role='))?.slice('--role='.length);
  try {
    config = loadConfig(roleArg ? { ...process.env, ROLE: roleArg } : process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config);
  const runtime = await createRuntime(config, { log });
  if (config.demoData) {
    await seedDemoStaff(runtime.db);
    const clerk = await runtime.db.selectFrom('staff_users').select('id').where('username', '=', 'clerk').executeTakeFirstOrThrow();
    const n = await seedDemoCases(runtime, clerk.id);
    if (n > 0) log.info({ cases: n }, 'demo cases created');
  }
  if (config.role !== 'web') {
    await runtime.jobs.work();
    runtime.auditSealer.start();
  }

  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  if (config.role !== 'worker') {
    app = await buildApp(runtime);
    await app.listen({ host: config.host, port: config.port });
  }

  const database = runtime.engine === 'pglite' ? `embedded PGlite in ${config.dataDir}/pglite` : 'PostgreSQL (DATABASE_URL)';
  const lines = [
    '',
    `Amtsweg is running (${config.profile}, role ${config.role}, ${database}).`,
    ...(app ? [`  Portal:      ${config.publicUrl}/`, `  Back office: ${config.publicUrl}/staff`, `  API docs:    ${config.publicUrl}/api/docs`] : []),
  ];
  if (config.demoData && app) {
    lines.push('', 'Demo staff logins (development only; current one-time codes at /dev/staff):');
    for (const s of DEMO_STAFF) lines.push(`  ${s.username.padEnd(11)} password ${s.password.padEnd(22)} TOTP secret ${s.totpSecret}`);
    lines.push(`  Mails that would be sent: ${config.publicUrl}/dev/mail`);
  }
  // The bundled development identity provider (config refuses it in production), with the
  // portal as its client; the secret was generated for this start (config.ts).
  let devIdp: DevIdp | undefined;
  const devProvider = config.identityProviders.find((p) => p.id === 'dev');
  if (config.devIdp && app && devProvider) {
    // Loaded only here: oidc-provider and its dependencies are the largest module tree of all and
    // have no place in a production process (ADR 0026).
    const [{ startDevIdp }, { STAFF_ACCOUNTS, STAFF_TEST_OTP, TEST_PERSONS }] = await Promise.all([import('./devidp/dev-idp.tsx'), import('./devidp/test-persons.ts')]);
    devIdp = await startDevIdp({
      port: config.devIdpPort,
      host: config.host,
      publicHost: new URL(devProvider.issuer).hostname,
      citizenClients: [{ clientId: devProvider.clientId, clientSecret: devProvider.clientSecret, redirectUris: [`${config.publicUrl}/identity/callback`] }],
      staffClients:
        config.staffSso?.clientId === DEV_STAFF_CLIENT_ID
          ? [{ clientId: config.staffSso.clientId, clientSecret: config.staffSso.clientSecret, redirectUris: [`${config.publicUrl}/staff/sign-in/directory/callback`] }]
          : [],
    });
    lines.push('', `Test identity provider (development only): ${devIdp.url}/`, '  Test persons (choose on its page; ELSTER-like = substantial, online ID card = high):');
    for (const p of TEST_PERSONS) lines.push(`    ${`${p.given_name} ${p.family_name}`.padEnd(24)} ${p.birthdate}  ${p.address.locality.padEnd(14)} ${p.nationality}  ${p.note.en}`);
    lines.push(`  Staff directory at ${devIdp.staffIssuer} (one-time code ${STAFF_TEST_OTP}): ${STAFF_ACCOUNTS.map((a) => a.preferred_username).join(', ')}`);
  }
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await app?.close();
    await devIdp?.close();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
