import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { migrations } from '../../migrations/index.ts';
import { FsBlobStore } from '../efile/blob-store.ts';
import { MasterKeyring } from '../efile/document-crypto.ts';
import { readDocument, storeDocument, type DocumentDeps } from '../efile/documents.ts';
import { migrateToLatest, openDatabase } from '../platform/db/database.ts';
import type { Database } from '../schema.ts';

const run = promisify(execFile);
const masterKey = (id: string) => ({ id, key: randomBytes(32) });
const setting = (...keys: { id: string; key: Buffer }[]) => keys.map((k) => `${k.id}:${k.key.toString('base64')}`).join(',');

/** The database and blob store of a temporary DATA_DIR, as the command sees them. */
async function withDataDir<T>(dataDir: string, keys: { id: string; key: Buffer }[], fn: (deps: DocumentDeps) => Promise<T>): Promise<T> {
  const handle = await openDatabase<Database>({ dataDir });
  const blobs = await FsBlobStore.open(dataDir);
  try {
    await migrateToLatest(handle.db, migrations);
    return await fn({ db: handle.db, blobs, keyring: new MasterKeyring(keys) });
  } finally {
    await blobs.close();
    await handle.close();
  }
}

/**
 * The command end to end on an embedded database in a temporary DATA_DIR (the re-wrapping SQL
 * itself runs on both engines in efile/documents.test.ts).
 */
test('npm run keys:rotate re-wraps under the first key, reports counts and missing keys, and is idempotent', async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'amtsweg-rotate-'));
  const [A, B, Z] = [masterKey('key-a'), masterKey('key-b'), masterKey('key-z')];
  const cli = (masterKeys: string) =>
    run(process.execPath, ['--import', 'tsx', 'src/cli/keys-rotate.ts'], { env: { ...process.env, AMTSWEG_PROFILE: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, MASTER_KEYS: masterKeys, DATABASE_URL: '' } }).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (err: { code?: number; stdout?: string }) => ({ code: err.code ?? -1, stdout: err.stdout ?? '' }),
    );
  const actor = { type: 'system', id: null } as const;
  try {
    const ids = await withDataDir(dataDir, [A], async (deps) => {
      const out: string[] = [];
      for (let i = 0; i < 3; i++) out.push((await storeDocument(deps, { caseId: null, fileName: `d${i}.txt`, contentType: 'text/plain', body: Buffer.from(`document ${i}`), createdBy: actor })).id);
      // One document under a key that will not be configured.
      await storeDocument({ ...deps, keyring: new MasterKeyring([Z]) }, { caseId: null, fileName: 'z.txt', contentType: 'text/plain', body: Buffer.from('z'), createdBy: actor });
      return out;
    });

    const first = await cli(setting(B, A));
    assert.match(first.stdout, /Current master key: "key-b"/);
    assert.match(first.stdout, /Documents: 4\. Re-wrapped now: 3\. Already under "key-b": 0\./);
    assert.match(first.stdout, /1 document\(s\) need master key "key-z", which is not configured/);
    assert.equal(first.code, 1, 'exit 1 while a document needs a missing key');

    // Run again with the missing key added: only what is left is done (the three stay as they are).
    const second = await cli(setting(B, Z));
    assert.match(second.stdout, /Documents: 4\. Re-wrapped now: 1\. Already under "key-b": 3\./);
    assert.equal(second.code, 0);

    await withDataDir(dataDir, [B], async (deps) => {
      for (const [i, id] of ids.entries()) assert.equal((await readDocument(deps, id)).bytes.toString(), `document ${i}`);
    });
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
