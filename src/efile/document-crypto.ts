import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import path from 'node:path';
import { Transform } from 'node:stream';
import { parseMasterKeys, type Config, type MasterKeyConfig } from '../config.ts';
import { IntegrityError } from '../platform/errors.ts';
import { readOrCreateSecretFile } from '../platform/dev-secret-file.ts';

/**
 * Encryption at rest (ADR 0012): envelope encryption with AES-256-GCM.
 *  - Every document gets a fresh random 256-bit data key; its blob is
 *    `"AWD1" ‖ iv (12) ‖ ciphertext ‖ tag (16)`, with the document id as associated data, so a
 *    blob only opens as the document it was written for.
 *  - The data key is wrapped with a master key from configuration (AES-256-GCM too):
 *    `0x01 ‖ iv (12) ‖ wrapped key (32) ‖ tag (16)`, associated data again naming the document.
 *    The database keeps the wrapped key and the master key's id; the master keys never leave the
 *    configuration. Rotation re-wraps the small data keys; blobs are not rewritten.
 */
const BLOB_MAGIC = Buffer.from('AWD1', 'ascii');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const WRAP_VERSION = 0x01;

const blobAad = (documentId: string) => Buffer.concat([BLOB_MAGIC, Buffer.from(`amtsweg/document/${documentId}`, 'utf8')]);
const wrapAad = (documentId: string) => Buffer.from(`amtsweg/document-key/v1/${documentId}`, 'utf8');

/** A document names a master key id that the configuration does not hold (removed too early?). */
export class MasterKeyMissingError extends Error {
  constructor(readonly keyId: string) {
    super(`Master key "${keyId}" is not configured (MASTER_KEYS); keep it until "npm run keys:rotate" has re-wrapped every document`);
    this.name = 'MasterKeyMissingError';
  }
}

/** The configured master keys; the first wraps new data keys, all of them unwrap. */
export class MasterKeyring {
  private readonly keys: ReadonlyMap<string, Buffer>;
  readonly currentId: string;

  constructor(keys: readonly MasterKeyConfig[]) {
    if (keys.length === 0) throw new Error('A master keyring needs at least one key');
    for (const k of keys) if (k.key.length !== KEY_BYTES) throw new Error(`Master key "${k.id}" must be ${KEY_BYTES} bytes`);
    this.keys = new Map(keys.map((k) => [k.id, Buffer.from(k.key)]));
    this.currentId = keys[0]!.id;
  }

  get ids(): readonly string[] {
    return [...this.keys.keys()];
  }

  has(id: string): boolean {
    return this.keys.has(id);
  }

  wrap(dataKey: Buffer, documentId: string): { keyId: string; wrapped: Buffer } {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentId)!, iv);
    cipher.setAAD(wrapAad(documentId));
    const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return { keyId: this.currentId, wrapped: Buffer.concat([Buffer.of(WRAP_VERSION), iv, body, cipher.getAuthTag()]) };
  }

  /** The data key; `MasterKeyMissingError` for an unknown key id, `IntegrityError` for a wrong or changed wrapping. */
  unwrap(keyId: string, wrapped: Uint8Array, documentId: string): Buffer {
    const master = this.keys.get(keyId);
    if (!master) throw new MasterKeyMissingError(keyId);
    const w = Buffer.from(wrapped);
    if (w.length !== 1 + IV_BYTES + KEY_BYTES + TAG_BYTES || w[0] !== WRAP_VERSION) throw new IntegrityError();
    try {
      const decipher = createDecipheriv('aes-256-gcm', master, w.subarray(1, 1 + IV_BYTES));
      decipher.setAAD(wrapAad(documentId));
      decipher.setAuthTag(w.subarray(w.length - TAG_BYTES));
      return Buffer.concat([decipher.update(w.subarray(1 + IV_BYTES, w.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new IntegrityError();
    }
  }
}

export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/** A stream that turns plaintext into the blob format; the tag is appended when the input ends. */
export function encryptingStream(dataKey: Buffer, documentId: string): Transform {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  cipher.setAAD(blobAad(documentId));
  let started = false;
  const header = () => {
    started = true;
    return Buffer.concat([BLOB_MAGIC, iv]);
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const out = cipher.update(chunk);
      callback(null, started ? out : Buffer.concat([header(), out]));
    },
    flush(callback) {
      const tail = Buffer.concat([cipher.final(), cipher.getAuthTag()]);
      callback(null, started ? tail : Buffer.concat([header(), tail]));
    },
  });
}

/** The whole blob in one go (small documents, tests). */
export function encryptBlob(plaintext: Uint8Array, dataKey: Buffer, documentId: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  cipher.setAAD(blobAad(documentId));
  return Buffer.concat([BLOB_MAGIC, iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/**
 * The plaintext, released only after the GCM tag has been checked: a changed, cut or swapped
 * blob is an `IntegrityError`, never partial output.
 */
export function decryptBlob(blob: Uint8Array, dataKey: Buffer, documentId: string): Buffer {
  const b = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (b.length < BLOB_MAGIC.length + IV_BYTES + TAG_BYTES || !b.subarray(0, BLOB_MAGIC.length).equals(BLOB_MAGIC)) throw new IntegrityError();
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, b.subarray(BLOB_MAGIC.length, BLOB_MAGIC.length + IV_BYTES));
    decipher.setAAD(blobAad(documentId));
    decipher.setAuthTag(b.subarray(b.length - TAG_BYTES));
    return Buffer.concat([decipher.update(b.subarray(BLOB_MAGIC.length + IV_BYTES, b.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new IntegrityError();
  }
}

/** The file that keeps development's master key across restarts. */
export const DEV_MASTER_KEY_FILE = 'master.key';

/**
 * The master keys for this process:
 *  - MASTER_KEYS when configured (production must; `loadConfig` refuses it missing);
 *  - test profile or an in-memory data directory: one random key per run;
 *  - development: `<dataDir>/master.key` (`<id>:<base64>`, the MASTER_KEYS format, mode 0600),
 *    created on first start, so documents stay readable after a restart.
 */
export async function loadMasterKeyring(config: Pick<Config, 'profile' | 'dataDir' | 'masterKeys'>): Promise<MasterKeyring> {
  if (config.masterKeys.length > 0) return new MasterKeyring(config.masterKeys);
  if (config.profile === 'production') throw new Error('MASTER_KEYS is required in production');
  if (config.profile === 'test' || config.dataDir === 'memory://') return new MasterKeyring([{ id: `run-${randomBytes(4).toString('hex')}`, key: randomBytes(KEY_BYTES) }]);
  const file = path.join(path.resolve(config.dataDir), DEV_MASTER_KEY_FILE);
  const text = (await readOrCreateSecretFile(file, () => `dev-${randomBytes(4).toString('hex')}:${randomBytes(KEY_BYTES).toString('base64')}\n`)).toString('utf8');
  const problems: string[] = [];
  const keys = parseMasterKeys(text.trim(), file, problems);
  if (problems.length > 0 || keys.length === 0) throw new Error(`${file} is damaged: ${problems.join('; ') || 'no key'}. Restore it from a backup; without it the development documents cannot be read.`);
  return new MasterKeyring(keys);
}
