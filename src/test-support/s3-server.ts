import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import type { S3Config } from '../config.ts';

/**
 * A real S3 protocol server for tests (s3rver, files in a temporary directory) on a random port,
 * with one bucket; the store under test talks to it through @aws-sdk/client-s3 like to Ceph or MinIO.
 * s3rver accepts only its built-in account (S3RVER / S3RVER).
 */
export async function startS3Server(bucket = 'amtsweg-test'): Promise<{ config: S3Config; directory: string; close(): Promise<void> }> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'amtsweg-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const address = await server.run();
  return {
    config: { endpoint: `http://127.0.0.1:${address.port}`, bucket, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true },
    directory,
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
