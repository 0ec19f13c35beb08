import { createECDH } from 'node:crypto';
import path from 'node:path';
import type { Config } from '../config.ts';
import { readOrCreateSecretFile } from '../platform/dev-secret-file.ts';

/**
 * The server's VAPID identity for Web Push (RFC 8292): a P-256 key pair whose public half the
 * browser binds each subscription to, and a contact for the push services. Configured with
 * VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY / VAPID_SUBJECT; without them production runs without
 * push, development keeps a generated pair in `<dataDir>/vapid.json` (changing it would silently
 * orphan every subscription), tests make one per run.
 */
export interface VapidKeys {
  /** base64url, uncompressed point (65 bytes): given to the browser as `applicationServerKey`. */
  readonly publicKey: string;
  readonly privateKey: string;
  /** `mailto:` or `https:`, sent to the push services in the signed token. */
  readonly subject: string;
}

export const DEV_VAPID_FILE = 'vapid.json';

/**
 * A new VAPID key pair: P-256, the public key as the uncompressed point, both base64url — what
 * web-push's generateVAPIDKeys() makes, without loading web-push at start (ADR 0026).
 */
export function generateVapidKeys(): { publicKey: string; privateKey: string } {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  // getPrivateKey() drops leading zero bytes; the key is always 32 bytes.
  const privateKey = Buffer.alloc(32);
  const raw = ecdh.getPrivateKey();
  raw.copy(privateKey, 32 - raw.length);
  return { publicKey: ecdh.getPublicKey().toString('base64url'), privateKey: privateKey.toString('base64url') };
}

/** Per test process, like the test seal: generated once. */
let testKeys: { publicKey: string; privateKey: string } | undefined;

function parseKeyFile(text: string, file: string): { publicKey: string; privateKey: string } {
  try {
    const parsed = JSON.parse(text) as { publicKey?: unknown; privateKey?: unknown };
    if (typeof parsed.publicKey === 'string' && typeof parsed.privateKey === 'string' && Buffer.from(parsed.publicKey, 'base64url').length === 65 && Buffer.from(parsed.privateKey, 'base64url').length === 32) {
      return { publicKey: parsed.publicKey, privateKey: parsed.privateKey };
    }
  } catch {
    // reported below
  }
  throw new Error(`${file} is damaged. Delete it and a new key pair is made on the next start; browsers then have to switch push on again.`);
}

/** The contact for development and tests: the sender address of the mails. */
function devSubject(config: Pick<Config, 'mailFrom'>): string {
  const address = /<([^>]+)>/.exec(config.mailFrom)?.[1] ?? config.mailFrom.trim();
  return `mailto:${address}`;
}

/** The VAPID keys, or undefined when push is off (production without the three settings). */
export async function loadVapidKeys(config: Pick<Config, 'profile' | 'dataDir' | 'mailFrom' | 'vapidPublicKey' | 'vapidPrivateKey' | 'vapidSubject'>): Promise<VapidKeys | undefined> {
  if (config.vapidPublicKey !== undefined && config.vapidPrivateKey !== undefined && config.vapidSubject !== undefined) {
    return { publicKey: config.vapidPublicKey, privateKey: config.vapidPrivateKey, subject: config.vapidSubject };
  }
  if (config.profile === 'production') return undefined;
  const subject = config.vapidSubject ?? devSubject(config);
  if (config.profile === 'test' || config.dataDir === 'memory://') {
    testKeys ??= generateVapidKeys();
    return { ...testKeys, subject };
  }
  const file = path.join(path.resolve(config.dataDir), DEV_VAPID_FILE);
  const text = (await readOrCreateSecretFile(file, () => `${JSON.stringify(generateVapidKeys())}\n`)).toString('utf8');
  return { ...parseKeyFile(text, file), subject };
}
