import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { externalAuthorityProblems, loadCity, type CityConfig } from '../../catalogue/city.ts';
import { callbackToken, signBody, SIGNATURE_HEADER } from './authority.ts';

/**
 * For tests only (ADR 0023): a real HTTP server on a random port that plays the external
 * authority, Halle's configuration with that authority, and the authority's signed answers.
 */
export const TEST_AUTHORITY_ID = 'polizei-halle';
export const TEST_AUTHORITY_SECRET_ENV = 'AMTSWEG_TEST_AUTHORITY_SECRET';

/** Sets a fresh shared secret in this process's environment (where the runtime reads it) and returns it. */
export function useTestAuthoritySecret(): string {
  const secret = randomBytes(32).toString('base64url');
  process.env[TEST_AUTHORITY_SECRET_ENV] = secret;
  return secret;
}

export interface ReceivedMessage {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly json: Record<string, any>;
}

/** The authority's intake: records every request; answers 503 while `failuresLeft` > 0, else 202. */
export class FakeAuthority {
  readonly received: ReceivedMessage[] = [];
  failuresLeft = 0;
  port = 0;
  private server: Server | undefined;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: Record<string, any> = {};
        try {
          json = JSON.parse(body) as Record<string, any>;
        } catch {
          json = {};
        }
        this.received.push({ headers: req.headers, body, json });
        if (this.failuresLeft > 0) {
          this.failuresLeft--;
          res.writeHead(503).end('busy');
        } else res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":true}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  messagesFor(reference: string): ReceivedMessage[] {
    return this.received.filter((r) => r.json.reference === reference);
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Halle with the Versammlungsanzeige handled by the test authority at `port`, retrying every second. */
export function cityWithTestAuthority(port: number): CityConfig {
  const halle = loadCity('halle');
  const externalAuthority = {
    id: TEST_AUTHORITY_ID,
    name: { de: 'Polizeiinspektion Halle', en: 'Halle Police Inspectorate' },
    endpoint: `http://127.0.0.1:${port}/versammlungen`,
    secretEnv: TEST_AUTHORITY_SECRET_ENV,
    retryLimit: 3,
    retryDelaySeconds: 1,
    timeoutSeconds: 5,
  };
  const problems = externalAuthorityProblems(externalAuthority);
  if (problems.length > 0) throw new Error(`test authority configuration: ${problems.join('; ')}`);
  return { ...halle, services: { ...halle.services, versammlungsanzeige: { receivingDepartment: 'versammlungsbehoerde', externalAuthority } } };
}

/** An answer body and its headers, signed as the authority's system signs them. */
export function signedAnswer(secret: string, caseId: string, body: Record<string, unknown>, options: { key?: string; at?: Date } = {}): { payload: string; headers: Record<string, string> } {
  const payload = JSON.stringify({ authority: TEST_AUTHORITY_ID, callbackToken: callbackToken({ id: TEST_AUTHORITY_ID, secret }, caseId), ...body });
  return { payload, headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signBody(options.key ?? secret, payload, options.at ?? new Date()) } };
}
