import { createECDH, generateKeyPairSync, randomBytes, type ECDH } from 'node:crypto';
import { Agent, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';

/**
 * A stand-in for a browser vendor's push service, on this machine: an HTTPS server (web-push
 * only speaks https) with a self-signed certificate for 127.0.0.1, and an https.Agent that trusts
 * exactly that certificate (web-push's `agent` option), so nothing turns certificate checks off.
 * Every request is recorded; a path can be told to answer with another status (410: gone).
 * `browserKeys()` makes what a browser makes when it subscribes: a P-256 key pair and a 16-byte
 * auth secret, for decrypting the pushes (RFC 8291) the way the browser would.
 */
interface ReceivedPush {
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

export interface PushService {
  readonly origin: string;
  readonly agent: Agent;
  readonly received: ReceivedPush[];
  /** Answer requests to this path with `status` from now on. */
  answer(path: string, status: number): void;
  close(): Promise<void>;
}

function selfSignedForLocalhost(): { key: string; cert: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = `0${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  const name = [{ name: 'commonName', value: '127.0.0.1' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
  ]);
  cert.sign(key, forge.md.sha256.create());
  return { key: forge.pki.privateKeyToPem(key), cert: forge.pki.certificateToPem(cert) };
}

export async function startPushService(): Promise<PushService> {
  const { key, cert } = selfSignedForLocalhost();
  const received: ReceivedPush[] = [];
  const answers = new Map<string, number>();
  const server: Server = createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: { ...req.headers }, body: Buffer.concat(chunks) });
      res.writeHead(answers.get(path) ?? 201, { location: `${path}/message` });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ ca: cert, keepAlive: false });
  return {
    origin: `https://127.0.0.1:${port}`,
    agent,
    received,
    answer: (path, status) => void answers.set(path, status),
    async close() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What a browser's PushManager.subscribe() creates: the subscription's keys and, kept on the device, the private half. */
export function browserKeys(): { ecdh: ECDH; p256dh: string; auth: string; authSecret: Buffer } {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const authSecret = randomBytes(16);
  return { ecdh, p256dh: ecdh.getPublicKey().toString('base64url'), auth: authSecret.toString('base64url'), authSecret };
}
