import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import webPush from 'web-push';
import { ConfigError, loadConfig } from '../config.ts';
import { DEV_VAPID_FILE, generateVapidKeys, loadVapidKeys } from './vapid.ts';

const pair = webPush.generateVAPIDKeys();
const PRODUCTION = {
  AMTSWEG_PROFILE: 'production',
  SESSION_SECRET: 'x'.repeat(40),
  PUBLIC_URL: 'https://amtsweg.example',
  SMTP_URL: 'smtp://mail.example:25',
  METRICS_TOKEN: 'm'.repeat(30),
  MASTER_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  SEAL_P12_FILE: '/run/secrets/seal.p12',
  SEAL_P12_PASSWORD: 'not-a-real-password',
};

test('VAPID settings come all three or not at all, each checked by name', () => {
  assert.throws(
    () => loadConfig({ VAPID_PUBLIC_KEY: pair.publicKey }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError, 'a configuration error');
      assert.match(err.problems.join('\n'), /VAPID_PRIVATE_KEY, VAPID_SUBJECT are missing/);
      return true;
    },
  );
  assert.throws(
    () => loadConfig({ VAPID_PUBLIC_KEY: 'abc', VAPID_PRIVATE_KEY: pair.publicKey, VAPID_SUBJECT: 'noreply@example.org' }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError, 'a configuration error');
      const text = err.problems.join('\n');
      assert.match(text, /VAPID_PUBLIC_KEY must be an uncompressed P-256 public key/);
      assert.match(text, /VAPID_PRIVATE_KEY must be a P-256 private key/);
      assert.match(text, /VAPID_SUBJECT must be a mailto: address or an https:\/\/ URL/);
      return true;
    },
  );
  const c = loadConfig({ VAPID_PUBLIC_KEY: pair.publicKey, VAPID_PRIVATE_KEY: pair.privateKey, VAPID_SUBJECT: 'https://amtsweg.example/kontakt' });
  assert.equal(c.vapidSubject, 'https://amtsweg.example/kontakt');
});

test('production without VAPID settings runs without push; with them, uses them as given', async () => {
  const off = loadConfig(PRODUCTION);
  assert.equal(await loadVapidKeys(off), undefined, 'push is off, the start does not fail');
  const on = loadConfig({ ...PRODUCTION, VAPID_PUBLIC_KEY: pair.publicKey, VAPID_PRIVATE_KEY: pair.privateKey, VAPID_SUBJECT: 'mailto:buergeramt@halle.example' });
  assert.deepEqual(await loadVapidKeys(on), { publicKey: pair.publicKey, privateKey: pair.privateKey, subject: 'mailto:buergeramt@halle.example' });
});

test('development keeps one generated key pair in the data directory; a damaged file stops the start', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'amtsweg-vapid-'));
  try {
    const config = loadConfig({ DATA_DIR: dir });
    const first = await loadVapidKeys(config);
    const second = await loadVapidKeys(config);
    assert.ok(first, 'development has push');
    assert.deepEqual(second, first, 'the same keys after a restart: subscriptions stay valid');
    assert.equal(Buffer.from(first.publicKey, 'base64url').length, 65);
    assert.equal(first.subject, 'mailto:noreply@amtsweg.invalid', 'the contact defaults to the sender address');
    const stored = JSON.parse(await readFile(path.join(dir, DEV_VAPID_FILE), 'utf8')) as { publicKey: string };
    assert.equal(stored.publicKey, first.publicKey);
    await writeFile(path.join(dir, DEV_VAPID_FILE), '{"publicKey": 1}');
    await assert.rejects(loadVapidKeys(config), /vapid\.json is damaged/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('tests and memory:// get keys without touching the disk', async () => {
  const keys = await loadVapidKeys(loadConfig({ AMTSWEG_PROFILE: 'test' }, { dataDir: 'memory://' }));
  assert.ok(keys && Buffer.from(keys.privateKey, 'base64url').length === 32, 'a generated key pair');
});

test('a key pair made without web-push is one web-push and the configuration accept', () => {
  for (let i = 0; i < 20; i++) {
    const keys = generateVapidKeys();
    assert.equal(Buffer.from(keys.publicKey, 'base64url').length, 65);
    assert.equal(Buffer.from(keys.privateKey, 'base64url').length, 32);
    const headers = webPush.getVapidHeaders('https://push.example.org', 'mailto:noreply@example.org', keys.publicKey, keys.privateKey, 'aes128gcm');
    assert.match(String(headers.Authorization), /^vapid t=.+, k=/);
    loadConfig({ VAPID_PUBLIC_KEY: keys.publicKey, VAPID_PRIVATE_KEY: keys.privateKey, VAPID_SUBJECT: 'mailto:noreply@example.org' });
  }
});
