import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

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
    METRICS_TOKEN: 'm'.repeat(32),
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
