import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { loadConfig } from '../config.ts';
import { IntegrityError } from '../platform/errors.ts';
import { DEV_MASTER_KEY_FILE, MasterKeyring, MasterKeyMissingError, decryptBlob, encryptBlob, encryptingStream, loadMasterKeyring, newDataKey } from './document-crypto.ts';

const DOC = '2f1c6a52-7d0e-4e55-9a35-0a1b2c3d4e5f';

test('a blob encrypted in one go or as a stream decrypts to the plaintext; each uses a fresh nonce', async () => {
  const key = newDataKey();
  const plain = Buffer.from('Meldebescheinigung für Erika Mustermann');
  const one = encryptBlob(plain, key, DOC);
  const two = encryptBlob(plain, key, DOC);
  assert.notDeepEqual(one, two, 'the same plaintext never gives the same blob');
  assert.deepEqual(decryptBlob(one, key, DOC), plain);
  const chunks: Buffer[] = [];
  for await (const c of Readable.from([plain.subarray(0, 5), plain.subarray(5)]).pipe(encryptingStream(key, DOC))) chunks.push(c as Buffer);
  assert.deepEqual(decryptBlob(Buffer.concat(chunks), key, DOC), plain);
  const empty: Buffer[] = [];
  for await (const c of Readable.from([]).pipe(encryptingStream(key, DOC))) empty.push(c as Buffer);
  assert.equal(decryptBlob(Buffer.concat(empty), key, DOC).length, 0);
});

test('a wrong key, another document id, a flipped bit or a cut blob are integrity errors', () => {
  const key = newDataKey();
  const blob = encryptBlob(Buffer.from('x'.repeat(100)), key, DOC);
  assert.throws(() => decryptBlob(blob, newDataKey(), DOC), IntegrityError);
  assert.throws(() => decryptBlob(blob, key, '00000000-0000-0000-0000-000000000000'), IntegrityError);
  for (const at of [0, 5, 20, blob.length - 1]) {
    const changed = Buffer.from(blob);
    changed[at]! ^= 0x01;
    assert.throws(() => decryptBlob(changed, key, DOC), IntegrityError, `a flipped bit at ${at}`);
  }
  assert.throws(() => decryptBlob(blob.subarray(0, 20), key, DOC), IntegrityError);
});

test('the keyring wraps with its first key, unwraps with any, and names a missing key', () => {
  const a = { id: 'a', key: randomBytes(32) };
  const b = { id: 'b', key: randomBytes(32) };
  const dataKey = newDataKey();
  const wrapped = new MasterKeyring([a]).wrap(dataKey, DOC);
  assert.equal(wrapped.keyId, 'a');
  assert.equal(wrapped.wrapped.length, 61);
  assert.deepEqual(new MasterKeyring([b, a]).unwrap('a', wrapped.wrapped, DOC), dataKey);
  assert.equal(new MasterKeyring([b, a]).wrap(dataKey, DOC).keyId, 'b');
  assert.throws(() => new MasterKeyring([b]).unwrap('a', wrapped.wrapped, DOC), MasterKeyMissingError);
  assert.throws(() => new MasterKeyring([a]).unwrap('a', wrapped.wrapped, 'another-document'), IntegrityError);
  assert.throws(() => new MasterKeyring([{ id: 'a', key: randomBytes(32) }]).unwrap('a', wrapped.wrapped, DOC), IntegrityError);
  assert.throws(() => new MasterKeyring([]), /at least one key/);
});

test('development keeps its master key in DATA_DIR/master.key (mode 0600) across restarts', async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'amtsweg-keys-'));
  try {
    const config = { ...loadConfig({ DATA_DIR: dataDir, DEV_IDP: 'false' }) };
    assert.deepEqual(config.masterKeys, []);
    const first = await loadMasterKeyring(config);
    const file = path.join(dataDir, DEV_MASTER_KEY_FILE);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.match(await readFile(file, 'utf8'), /^dev-[0-9a-f]{8}:[A-Za-z0-9+/]{43}=\n$/);
    const second = await loadMasterKeyring(config);
    assert.equal(second.currentId, first.currentId);
    const dataKey = newDataKey();
    const wrapped = first.wrap(dataKey, DOC);
    assert.deepEqual(second.unwrap(wrapped.keyId, wrapped.wrapped, DOC), dataKey, 'a restart reads what the previous run wrapped');

    await writeFile(file, 'dev-1:not-a-key\n');
    await assert.rejects(loadMasterKeyring(config), /master\.key is damaged: .*base64 of exactly 32 random bytes/);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('the test profile uses a random key per run; configured keys win over both', async () => {
  const t1 = await loadMasterKeyring(loadConfig({ AMTSWEG_PROFILE: 'test' }, { dataDir: 'memory://' }));
  const t2 = await loadMasterKeyring(loadConfig({ AMTSWEG_PROFILE: 'test' }, { dataDir: 'memory://' }));
  assert.notEqual(t1.currentId, t2.currentId);
  const configured = await loadMasterKeyring(loadConfig({ AMTSWEG_PROFILE: 'test', MASTER_KEYS: `k2:${randomBytes(32).toString('base64')},k1:${randomBytes(32).toString('base64')}` }));
  assert.equal(configured.currentId, 'k2');
  assert.deepEqual(configured.ids, ['k2', 'k1']);
});
