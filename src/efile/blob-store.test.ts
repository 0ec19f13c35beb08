import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { startS3Server } from '../test-support/s3-server.ts';
import { BlobNotFoundError, FsBlobStore, InvalidBlobKeyError, assertBlobKey, openBlobStore, type BlobStore } from './blob-store.ts';
import { S3BlobStore } from './s3-blob-store.ts';

const TRAVERSAL_KEYS = ['../outside', 'documents/../../etc/passwd', '/etc/passwd', '..', '.hidden', 'a//b', 'a/./b', 'a\\..\\b', '', 'a/b/', `x${'y'.repeat(200)}`, 'na\u0000me', 'ümlaut'];

/** The same behaviour from every implementation of the one interface. */
function contract(name: string, open: () => Promise<{ store: BlobStore; close(): Promise<void> }>) {
  describe(name, () => {
    let store: BlobStore;
    let close: () => Promise<void>;
    before(async () => {
      ({ store, close } = await open());
    });
    after(async () => close());

    test('bytes go in and come back out unchanged', async () => {
      const bytes = Buffer.from('Wohnungsgeberbestätigung\u0000\u00ff binary', 'utf8');
      await store.put('documents/ab/one', bytes);
      assert.deepEqual(await store.get('documents/ab/one'), bytes);
      assert.deepEqual(await store.head('documents/ab/one'), { size: bytes.length });
      assert.equal(await store.exists('documents/ab/one'), true);
    });

    test('a stream goes in and comes back out as a stream', async () => {
      const chunks = Array.from({ length: 50 }, (_, i) => Buffer.alloc(10_000, i));
      await store.put('documents/cd/streamed', Readable.from(chunks));
      const back: Buffer[] = [];
      for await (const c of await store.getStream('documents/cd/streamed')) back.push(c as Buffer);
      assert.deepEqual(Buffer.concat(back), Buffer.concat(chunks));
    });

    test('a second put replaces the blob as a whole', async () => {
      await store.put('documents/ab/replace', Buffer.from('first version, longer'));
      await store.put('documents/ab/replace', Buffer.from('second'));
      assert.equal((await store.get('documents/ab/replace')).toString(), 'second');
    });

    test('a missing blob is BlobNotFoundError on read, undefined on head, and deleting it is fine', async () => {
      await assert.rejects(store.get('documents/none/here'), BlobNotFoundError);
      await assert.rejects(store.getStream('documents/none/here'), BlobNotFoundError);
      assert.equal(await store.head('documents/none/here'), undefined);
      assert.equal(await store.exists('documents/none/here'), false);
      await store.delete('documents/none/here');
    });

    test('delete removes the blob', async () => {
      await store.put('documents/ef/gone', Buffer.from('x'));
      await store.delete('documents/ef/gone');
      assert.equal(await store.exists('documents/ef/gone'), false);
    });

    test('path-traversal and malformed keys are refused by every operation', async () => {
      for (const key of TRAVERSAL_KEYS) {
        await assert.rejects(store.put(key, Buffer.from('evil')), InvalidBlobKeyError, `put ${JSON.stringify(key)}`);
        await assert.rejects(store.get(key), InvalidBlobKeyError, `get ${JSON.stringify(key)}`);
        await assert.rejects(store.head(key), InvalidBlobKeyError, `head ${JSON.stringify(key)}`);
        await assert.rejects(store.delete(key), InvalidBlobKeyError, `delete ${JSON.stringify(key)}`);
      }
    });
  });
}

test('assertBlobKey accepts plain relative keys only', () => {
  for (const key of ['documents/ab/0123abcd', 'a', 'A-b_c.d/e.f']) assert.doesNotThrow(() => assertBlobKey(key), key);
  for (const key of TRAVERSAL_KEYS) assert.throws(() => assertBlobKey(key), InvalidBlobKeyError, JSON.stringify(key));
});

contract('filesystem store', async () => {
  const store = await FsBlobStore.open('memory://');
  return { store, close: () => store.close() };
});

contract('S3 store against a real s3rver', async () => {
  const server = await startS3Server();
  const store = new S3BlobStore(server.config);
  return {
    store,
    async close() {
      await store.close();
      await server.close();
    },
  };
});

test('the filesystem store writes through a temporary file, leaves none behind and keeps blobs private', async () => {
  const store = await FsBlobStore.open('memory://');
  try {
    await store.put('documents/aa/private', Buffer.from('secret'));
    await store.put('documents/aa/streamed', Readable.from([Buffer.from('a'), Buffer.from('b')]));
    assert.deepEqual(await readdir(path.join(store.root, '.tmp')), [], 'no temporary file is left behind');
    const mode = (await stat(path.join(store.root, 'documents/aa/private'))).mode & 0o777;
    assert.equal(mode, 0o600);
    // A failing source stream leaves neither the blob nor a temporary file.
    const failing = Readable.from(
      (async function* () {
        yield Buffer.from('half');
        throw new Error('connection lost');
      })(),
    );
    await assert.rejects(store.put('documents/aa/half', failing), /connection lost/);
    assert.equal(await store.exists('documents/aa/half'), false);
    assert.deepEqual(await readdir(path.join(store.root, '.tmp')), [], 'the partial file is removed');
  } finally {
    await store.close();
  }
});

test('memory:// gives a fresh temporary directory that close() removes', async () => {
  const a = (await openBlobStore({ documentStore: 'fs', s3: undefined, dataDir: 'memory://' })) as FsBlobStore;
  const b = (await openBlobStore({ documentStore: 'fs', s3: undefined, dataDir: 'memory://' })) as FsBlobStore;
  assert.notEqual(a.root, b.root);
  await a.put('x', Buffer.from('1'));
  await a.close();
  await b.close();
  await assert.rejects(stat(a.root), /ENOENT/);
});
