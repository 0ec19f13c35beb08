import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Config } from '../config.ts';
import { assertBlobKey, BlobNotFoundError, toBuffer, type BlobBody, type BlobStore } from './blob-store.ts';

/** Blobs as objects in one bucket of an S3-compatible store (Ceph, MinIO, AWS). */
export class S3BlobStore implements BlobStore {
  readonly kind = 's3';
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(config: S3Config) {
    this.bucket = config.bucket;
    this.client = new S3Client({
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      region: config.region,
      forcePathStyle: config.forcePathStyle,
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
      // Since early 2025 the SDK adds CRC checksums in aws-chunked trailers by default, which many
      // S3-compatible servers (older Ceph RGW and MinIO, s3rver) reject. Integrity is ours anyway:
      // AES-GCM tag plus the SHA-256 recorded in the database.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: string, body: BlobBody): Promise<void> {
    assertBlobKey(key);
    // PutObject needs the length up front, so a stream is collected first. Documents are bounded
    // by the upload limits; multipart upload (@aws-sdk/lib-storage) is the step for very large files.
    const bytes = await toBuffer(body);
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentLength: bytes.length, ContentType: 'application/octet-stream' }));
  }

  async get(key: string): Promise<Buffer> {
    return toBuffer(await this.getStream(key));
  }

  async getStream(key: string): Promise<Readable> {
    assertBlobKey(key);
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!(out.Body instanceof Readable)) throw new Error('S3 GetObject returned no Node.js stream');
      return out.Body;
    } catch (err) {
      throw s3NotFound(err);
    }
  }

  async head(key: string): Promise<{ size: number } | undefined> {
    assertBlobKey(key);
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: out.ContentLength ?? 0 };
    } catch (err) {
      if (s3NotFound(err) instanceof BlobNotFoundError) return undefined;
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== undefined;
  }

  async delete(key: string): Promise<void> {
    assertBlobKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

function s3NotFound(err: unknown): unknown {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404 ? new BlobNotFoundError() : err;
}
