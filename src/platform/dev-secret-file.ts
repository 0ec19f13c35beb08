import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * A development secret kept in a file under DATA_DIR (master key, seal, VAPID keys): read it, or
 * create it once. Created with 'wx' and mode 0600, so two processes starting at once never each
 * write a different secret: the second finds the first's file and reads it.
 */
export async function readOrCreateSecretFile(file: string, create: () => string | Buffer): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const fresh = create();
  await mkdir(path.dirname(file), { recursive: true });
  const handle = await open(file, 'wx', 0o600).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'EEXIST') return undefined;
    throw e;
  });
  if (!handle) return readFile(file);
  try {
    await handle.writeFile(fresh);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return Buffer.isBuffer(fresh) ? fresh : Buffer.from(fresh, 'utf8');
}
