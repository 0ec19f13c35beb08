import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Config } from '../config.ts';

/**
 * Where the E-Akte's document bytes live (ADR 0012). The store knows nothing about documents:
 * it keeps opaque, already encrypted blobs under keys the application chooses.
 */
export type BlobBody = Uint8Array | Readable | AsyncIterable<Uint8Array>;

export interface BlobStore {
  readonly kind: 'fs' | 's3';
  /** Writes the whole blob or nothing; an existing key is replaced (as S3 does). */
  put(key: string, body: BlobBody): Promise<void>;
  /** The whole blob; `BlobNotFoundError` when there is none. */
  get(key: string): Promise<Buffer>;
  /** The blob as a stream, for large reads; `BlobNotFoundError` when there is none. */
  getStream(key: string): Promise<Readable>;
  /** Size in bytes, or undefined when there is no such blob. */
  head(key: string): Promise<{ size: number } | undefined>;
  exists(key: string): Promise<boolean>;
  /** Removes the blob; removing a missing blob is not an error. */
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}

/** A key the application built wrongly or an attacker shaped (`../`, absolute, odd characters). */
export class InvalidBlobKeyError extends Error {
  constructor() {
    super('Invalid blob key: only segments of letters, digits, "-", "_" and "." (not leading), separated by "/", at most 200 characters');
    this.name = 'InvalidBlobKeyError';
  }
}

export class BlobNotFoundError extends Error {
  constructor() {
    super('No blob under this key');
    this.name = 'BlobNotFoundError';
  }
}

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/;

/** Refuses anything that is not a plain relative key: no `..`, no leading `/` or `.`, no backslash, no empty segment. */
export function assertBlobKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > 200) throw new InvalidBlobKeyError();
  for (const segment of key.split('/')) if (!SEGMENT.test(segment)) throw new InvalidBlobKeyError();
}

export async function toBuffer(body: BlobBody): Promise<Buffer> {
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/**
 * Blobs as files under one directory. A write goes to a temporary file in the same file system,
 * is flushed to disk (fsync), then renamed into place and the directory flushed: a crash leaves
 * either the old state or the whole new blob, never half a file.
 */
export class FsBlobStore implements BlobStore {
  readonly kind = 'fs';
  private constructor(
    readonly root: string,
    private readonly removeOnClose: boolean,
  ) {}

  /** `dataDir` `memory://` (tests): a fresh temporary directory, removed again by `close()`. */
  static async open(dataDir: string): Promise<FsBlobStore> {
    if (dataDir === 'memory://') return new FsBlobStore(await mkdtemp(path.join(os.tmpdir(), 'amtsweg-blobs-')), true);
    const root = path.join(path.resolve(dataDir), 'blobs');
    await mkdir(path.join(root, '.tmp'), { recursive: true, mode: 0o700 });
    return new FsBlobStore(root, false);
  }

  private file(key: string): string {
    assertBlobKey(key);
    const file = path.resolve(this.root, key);
    // Second line of defence: whatever the key, the file stays under the root.
    if (!file.startsWith(this.root + path.sep)) throw new InvalidBlobKeyError();
    return file;
  }

  async put(key: string, body: BlobBody): Promise<void> {
    const file = this.file(key);
    const tmpDir = path.join(this.root, '.tmp');
    await mkdir(tmpDir, { recursive: true, mode: 0o700 });
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = path.join(tmpDir, `${randomBytes(12).toString('hex')}.part`);
    try {
      if (body instanceof Uint8Array) {
        const handle = await open(tmp, 'wx', 0o600);
        try {
          await handle.writeFile(body);
          await handle.sync();
        } finally {
          await handle.close();
        }
      } else {
        await pipeline(Readable.from(body), createWriteStream(tmp, { flags: 'wx', mode: 0o600 }));
        const handle = await open(tmp, 'r');
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
      }
      await rename(tmp, file);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
    // The rename itself is durable only once the directory entry is on disk.
    const dir = await open(path.dirname(file), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  async get(key: string): Promise<Buffer> {
    try {
      return await readFile(this.file(key));
    } catch (err) {
      throw notFound(err);
    }
  }

  async getStream(key: string): Promise<Readable> {
    const file = this.file(key);
    // Opened before returning, so a missing blob is an error here and not later in the stream.
    const handle = await open(file, 'r').catch((err: unknown) => {
      throw notFound(err);
    });
    return handle.createReadStream();
  }

  async head(key: string): Promise<{ size: number } | undefined> {
    const s = await stat(this.file(key)).catch((err: unknown) => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    });
    return s?.isFile() ? { size: s.size } : undefined;
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== undefined;
  }

  async delete(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }

  async close(): Promise<void> {
    if (this.removeOnClose) await rm(this.root, { recursive: true, force: true });
  }
}

function notFound(err: unknown): unknown {
  return (err as NodeJS.ErrnoException).code === 'ENOENT' ? new BlobNotFoundError() : err;
}

/** The store the configuration asks for. */
export async function openBlobStore(config: Pick<Config, 'documentStore' | 's3' | 'dataDir'>): Promise<BlobStore> {
  if (config.documentStore === 's3') {
    if (!config.s3) throw new Error('DOCUMENT_STORE is s3 but the S3 settings are missing');
    // The AWS SDK is a large module tree: loaded only by processes that use S3 (ADR 0026).
    const { S3BlobStore } = await import('./s3-blob-store.ts');
    return new S3BlobStore(config.s3);
  }
  return FsBlobStore.open(config.dataDir);
}
