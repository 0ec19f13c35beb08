import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

/** A well-formed master key setting for production configurations (not a real key). */
const MASTER_KEYS = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
/** The seal settings production requires (ADR 0013); the file is only read at start-up, not by loadConfig. */
const SEAL = { SEAL_P12_FILE: '/run/secrets/seal.p12', SEAL_P12_PASSWORD: 'not-a-real-password' };

test('development starts on embedded defaults with a generated session secret', () => {
  const c = loadConfig({});
  assert.equal(c.profile, 'development');
  assert.equal(c.port, 3000);
  assert.equal(c.databaseUrl, undefined);
  assert.match(c.dataDir, /data$/);
  assert.ok(c.sessionSecret.length >= 32, 'c.sessionSecret.length >= 32');
  assert.equal(c.demoData, true);
  assert.ok(Object.isFrozen(c), 'Object.isFrozen(c)');
});

test('production has no secret defaults and names every wrong setting at once', () => {
  assert.throws(
    () => loadConfig({ AMTSWEG_PROFILE: 'production', PORT: 'eighty', DEMO_DATA: 'true', PUBLIC_URL: 'http://example.org' }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError, 'err instanceof ConfigError');
      const text = err.problems.join('\n');
      assert.match(text, /SESSION_SECRET is required/);
      assert.match(text, /PORT must be a whole number/);
      assert.match(text, /DEMO_DATA must not be enabled in production/);
      assert.match(text, /PUBLIC_URL must use https/);
      assert.match(text, /SMTP_URL is required/);
      assert.match(text, /METRICS_TOKEN is required in production/);
      assert.match(text, /MASTER_KEYS is required in production/);
      return true;
    },
  );
});

test('a valid production configuration is accepted', () => {
  const c = loadConfig({
    AMTSWEG_PROFILE: 'production',
    SESSION_SECRET: 'x'.repeat(40),
    PUBLIC_URL: 'https://amtsweg.halle.de',
    SMTP_URL: 'smtp://mail.halle.de:25',
    DATABASE_URL: 'postgres://amtsweg@db/amtsweg',
    METRICS_TOKEN: 'm'.repeat(32), MASTER_KEYS, ...SEAL,
  });
  assert.equal(c.cookieSecure, true);
  assert.equal(c.demoData, false);
});

test('malformed values are rejected with the setting named', () => {
  assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL must start with postgres/);
  assert.throws(() => loadConfig({ ROLE: 'both' }), /ROLE must be one of web, worker, all/);
  assert.throws(() => loadConfig({ SESSION_SECRET: 'short' }), /SESSION_SECRET must be at least 32/);
  assert.throws(() => loadConfig({ DATABASE_POOL_SIZE: '0' }), /DATABASE_POOL_SIZE must be a whole number from 1 to 500/);
  assert.equal(loadConfig({ DATABASE_POOL_SIZE: '40' }).databasePoolSize, 40);
});

test('development runs the bundled identity provider and offers it as provider "dev"; test and production do not', () => {
  const dev = loadConfig({ PORT: '4000' });
  assert.equal(dev.devIdp, true);
  assert.equal(dev.devIdpPort, 4001);
  const provider = dev.identityProviders.find((p) => p.id === 'dev');
  assert.ok(provider, 'a provider "dev" is added');
  assert.equal(provider.issuer, 'http://127.0.0.1:4001/citizen');
  assert.equal(provider.acr.high, 'http://eidas.europa.eu/LoA/high');
  assert.ok(provider.clientSecret.length >= 32, 'the client secret is generated per start');
  assert.equal(loadConfig({ DEV_IDP: 'false' }).identityProviders.length, 0);
  const testProfile = loadConfig({ AMTSWEG_PROFILE: 'test' });
  assert.equal(testProfile.devIdp, false);
  assert.deepEqual(testProfile.identityProviders, []);
  assert.equal(loadConfig({ AMTSWEG_PROFILE: 'production', SESSION_SECRET: 'x'.repeat(40), PUBLIC_URL: 'https://a.example', SMTP_URL: 'smtp://m', METRICS_TOKEN: 'm'.repeat(32), MASTER_KEYS, ...SEAL }).devIdp, false);
  assert.throws(() => loadConfig({ DEV_IDP_PORT: '0' }), /DEV_IDP_PORT must be a fixed port when DEV_IDP is on/);
});

test('production refuses to start with the development identity provider', () => {
  assert.throws(
    () => loadConfig({ AMTSWEG_PROFILE: 'production', DEV_IDP: 'true', SESSION_SECRET: 'x'.repeat(40), PUBLIC_URL: 'https://a.example', SMTP_URL: 'smtp://m', METRICS_TOKEN: 'm'.repeat(32), MASTER_KEYS, ...SEAL }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError, 'err instanceof ConfigError');
      assert.deepEqual(err.problems, ['DEV_IDP must not be enabled in production: the development identity provider lets anyone pick an identity']);
      return true;
    },
  );
});

test('IDENTITY_PROVIDERS is checked entry by entry, one message per fault', () => {
  const good = { id: 'bundid', name: { de: 'BundID', en: 'BundID' }, issuer: 'https://id.bund.example/', clientId: 'halle-amtsweg', clientSecret: 's'.repeat(32) };
  const c = loadConfig({ AMTSWEG_PROFILE: 'test', IDENTITY_PROVIDERS: JSON.stringify([good, { ...good, id: 'eid', acr: { substantial: 'urn:x:3', high: 'urn:x:4' } }]) });
  assert.equal(c.identityProviders.length, 2);
  assert.equal(c.identityProviders[0]!.issuer, 'https://id.bund.example', 'trailing slash dropped');
  assert.deepEqual(c.identityProviders[1]!.acr, { substantial: 'urn:x:3', high: 'urn:x:4' });
  assert.deepEqual(c.identityProviders[0]!.acr, { substantial: 'http://eidas.europa.eu/LoA/substantial', high: 'http://eidas.europa.eu/LoA/high' });

  assert.throws(() => loadConfig({ IDENTITY_PROVIDERS: '{not json' }), /IDENTITY_PROVIDERS must be a JSON array of providers/);
  assert.throws(() => loadConfig({ IDENTITY_PROVIDERS: '{}' }), /IDENTITY_PROVIDERS must be a JSON array/);
  assert.throws(
    () =>
      loadConfig({
        AMTSWEG_PROFILE: 'production',
        SESSION_SECRET: 'x'.repeat(40),
        PUBLIC_URL: 'https://a.example',
        SMTP_URL: 'smtp://m',
        METRICS_TOKEN: 'm'.repeat(32), MASTER_KEYS, ...SEAL,
        IDENTITY_PROVIDERS: JSON.stringify([
          { ...good, id: 'Bad Id', name: { de: 'Nur deutsch' }, issuer: 'http://insecure.example', clientSecret: 'short' },
          { ...good, clientId: '', acr: { substantial: 'same', high: 'same' } },
          good,
        ]),
      }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError, 'err instanceof ConfigError');
      assert.deepEqual(err.problems, [
        'IDENTITY_PROVIDERS[0] ("Bad Id").id must be 1–31 lower-case letters, digits or hyphens, starting with a letter',
        'IDENTITY_PROVIDERS[0] ("Bad Id").name must have a German (de) and an English (en) text',
        'IDENTITY_PROVIDERS[0] ("Bad Id").issuer must use https:// in production',
        'IDENTITY_PROVIDERS[0] ("Bad Id").clientSecret must be at least 16 characters long in production',
        'IDENTITY_PROVIDERS[1] ("bundid").clientId is required',
        'IDENTITY_PROVIDERS[1] ("bundid").acr must use different values for "substantial" and "high"',
        'IDENTITY_PROVIDERS[2] ("bundid").id is used twice',
      ]);
      return true;
    },
  );
});

test('the document store is the filesystem unless DOCUMENT_STORE=s3, which needs its settings', () => {
  const c = loadConfig({});
  assert.equal(c.documentStore, 'fs');
  assert.equal(c.s3, undefined);
  assert.throws(
    () => loadConfig({ DOCUMENT_STORE: 's3' }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError, 'err instanceof ConfigError');
      assert.deepEqual(err.problems, [
        'S3_BUCKET is required when DOCUMENT_STORE is s3',
        'S3_REGION is required when DOCUMENT_STORE is s3',
        'S3_ACCESS_KEY_ID is required when DOCUMENT_STORE is s3',
        'S3_SECRET_ACCESS_KEY is required when DOCUMENT_STORE is s3',
      ]);
      return true;
    },
  );
  assert.throws(() => loadConfig({ DOCUMENT_STORE: 'ftp' }), /DOCUMENT_STORE must be one of fs, s3 \(got "ftp"\)/);
  assert.throws(() => loadConfig({ DOCUMENT_STORE: 's3', S3_ENDPOINT: 'minio:9000', S3_BUCKET: 'Bad_Bucket', S3_REGION: 'x', S3_ACCESS_KEY_ID: 'a', S3_SECRET_ACCESS_KEY: 'b' }), (err: unknown) => {
    assert.ok(err instanceof ConfigError, 'err instanceof ConfigError');
    assert.deepEqual(err.problems, ['S3_ENDPOINT must be an http:// or https:// URL (got "minio:9000")', 'S3_BUCKET must be a bucket name of 3–63 lower-case letters, digits, "." or "-" (got "Bad_Bucket")']);
    return true;
  });
  const s3 = loadConfig({ DOCUMENT_STORE: 's3', S3_ENDPOINT: 'http://minio:9000/', S3_BUCKET: 'amtsweg-docs', S3_REGION: 'eu-central-1', S3_ACCESS_KEY_ID: 'a', S3_SECRET_ACCESS_KEY: 'b' });
  assert.deepEqual(s3.s3, { endpoint: 'http://minio:9000', bucket: 'amtsweg-docs', region: 'eu-central-1', accessKeyId: 'a', secretAccessKey: 'b', forcePathStyle: true });
  assert.equal(loadConfig({ DOCUMENT_STORE: 's3', S3_BUCKET: 'docs', S3_REGION: 'eu-central-1', S3_ACCESS_KEY_ID: 'a', S3_SECRET_ACCESS_KEY: 'b' }).s3?.forcePathStyle, false);
  // S3 settings without the switch would quietly keep documents on one machine's disk.
  assert.throws(() => loadConfig({ S3_BUCKET: 'docs', S3_ENDPOINT: 'http://minio:9000' }), /S3_ENDPOINT, S3_BUCKET are set but DOCUMENT_STORE is not s3/);
});

test('MASTER_KEYS is a list of id:base64 pairs; faults name the entry, never the key', () => {
  const k1 = Buffer.alloc(32, 1).toString('base64');
  const k2 = Buffer.alloc(32, 2).toString('base64');
  const c = loadConfig({ MASTER_KEYS: `2026-11:${k2}, 2026-05:${k1}` });
  assert.deepEqual(c.masterKeys.map((k) => k.id), ['2026-11', '2026-05']);
  assert.deepEqual(c.masterKeys[0]!.key, Buffer.alloc(32, 2));
  assert.throws(
    () => loadConfig({ MASTER_KEYS: `a:${k1},a:${k2},${k1},b:${Buffer.alloc(16).toString('base64')},c:***` }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError, 'err instanceof ConfigError');
      assert.deepEqual(err.problems, [
        'MASTER_KEYS entry 2 ("a"): the id is used twice',
        'MASTER_KEYS entry 3 must be "<id>:<base64 key>" with an id of 1–32 letters, digits, "-" or "_"',
        'MASTER_KEYS entry 4 ("b") must be base64 of exactly 32 random bytes (for example: openssl rand -base64 32)',
        'MASTER_KEYS entry 5 ("c") must be base64 of exactly 32 random bytes (for example: openssl rand -base64 32)',
      ]);
      assert.ok(!err.message.includes(k1), 'no key appears in the message');
      return true;
    },
  );
  assert.throws(() => loadConfig({ MASTER_KEY: k1 }), /MASTER_KEY is not read: give the key with an id as MASTER_KEYS=<id>:<base64 of 32 bytes>/);
  assert.deepEqual(loadConfig({}).masterKeys, [], 'development generates its key at start (DATA_DIR/master.key)');
});
