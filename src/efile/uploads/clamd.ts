import net from 'node:net';
import type { Config } from '../../config.ts';
import type { ScanResult, VirusScanner } from './upload-check.ts';

/**
 * A small client for ClamAV's daemon (clamd), spoken over TCP or a unix socket with the
 * null-terminated `z` commands (clamd.conf(5), "COMMANDS"):
 *   zPING\0 → "PONG"; zVERSION\0 → "ClamAV 1.4.6/…";
 *   zINSTREAM\0, then chunks each prefixed by its length as 4 bytes big-endian, then a chunk of
 *   length 0 → "stream: OK" | "stream: <signature> FOUND" | "<reason> ERROR".
 * One connection per command: clamd closes the connection after answering anyway, and uploads are
 * rare enough that a pool would only add failure modes.
 */

/** Where clamd listens: `tcp://host:port`, `unix:///path/clamd.ctl` or an absolute socket path. */
export type ClamdAddress = { readonly host: string; readonly port: number } | { readonly path: string };

export interface ClamdOptions {
  /** Time to open the connection (default 5 s). */
  readonly connectTimeoutMs?: number;
  /** Time for the whole command, including the scan (default 60 s). */
  readonly timeoutMs?: number;
}

/** clamd did not answer, answered an error, or answered something this client does not understand. */
export class ClamdError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ClamdError';
  }
}

/** Parses CLAMD_URL; undefined when it is neither `tcp://host:port`, `unix:///path` nor an absolute path. */
export function parseClamdUrl(raw: string): ClamdAddress | undefined {
  if (raw.startsWith('/')) return { path: raw };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol === 'unix:') return url.pathname.startsWith('/') && url.pathname.length > 1 && !url.host ? { path: decodeURIComponent(url.pathname) } : undefined;
  if (url.protocol !== 'tcp:' || !url.hostname || !url.port || url.pathname.replace(/^\/$/, '') !== '' || url.search || url.username) return undefined;
  const port = Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  // IPv6 literals come back in brackets from URL.
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port };
}

/** Chunk size sent to clamd; far below its StreamMaxLength and the socket's buffers. */
const CHUNK = 64 * 1024;

export class ClamdScanner implements VirusScanner {
  readonly address: ClamdAddress;
  private readonly connectTimeoutMs: number;
  private readonly timeoutMs: number;

  constructor(address: ClamdAddress | string, options: ClamdOptions = {}) {
    const parsed = typeof address === 'string' ? parseClamdUrl(address) : address;
    if (!parsed) throw new ClamdError('clamd address must be tcp://host:port, unix:///path or an absolute socket path');
    this.address = parsed;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  /** Resolves when clamd answers PONG; throws ClamdError otherwise. */
  async ping(): Promise<void> {
    const reply = await this.command('PING');
    if (reply !== 'PONG') throw new ClamdError(`clamd answered PING with "${reply.slice(0, 80)}"`);
  }

  /** clamd's version line, such as `ClamAV 1.4.6/27836/Sun Nov 29 09:12:45 2026`. */
  async version(): Promise<string> {
    return this.command('VERSION');
  }

  async scan(bytes: Buffer): Promise<ScanResult> {
    const reply = await this.command('INSTREAM', bytes);
    if (reply === 'stream: OK') return { clean: true };
    const found = /^stream: (.+) FOUND$/.exec(reply);
    if (found) return { clean: false, signature: found[1]! };
    // e.g. "INSTREAM size limit exceeded. ERROR" when the file is above clamd's StreamMaxLength.
    throw new ClamdError(`clamd could not scan the stream: "${reply.slice(0, 200)}"`);
  }

  private command(name: 'PING' | 'VERSION' | 'INSTREAM', body?: Buffer): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const socket = 'path' in this.address ? net.createConnection({ path: this.address.path }) : net.createConnection({ host: this.address.host, port: this.address.port });
      const received: Buffer[] = [];
      let settled = false;
      const finish = (err: Error | undefined, reply?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        clearTimeout(overallTimer);
        socket.destroy();
        if (err) reject(err);
        else resolve(reply!);
      };
      const replyText = () => Buffer.concat(received).toString('utf8').replace(/\0[\s\S]*$/, '').trim();
      const connectTimer = setTimeout(() => finish(new ClamdError(`clamd did not accept the connection within ${this.connectTimeoutMs} ms`)), this.connectTimeoutMs);
      const overallTimer = setTimeout(() => finish(new ClamdError(`clamd did not answer ${name} within ${this.timeoutMs} ms`)), this.timeoutMs);

      socket.on('data', (chunk: Buffer) => {
        received.push(chunk);
        // The z-commands end their reply with a NUL byte.
        if (chunk.includes(0)) finish(undefined, replyText());
      });
      socket.on('end', () => {
        const text = replyText();
        if (text) finish(undefined, text);
        else finish(new ClamdError(`clamd closed the connection without answering ${name}`));
      });
      socket.on('error', (err) => {
        // clamd may answer (size limit exceeded) and close while we are still writing: its answer counts.
        const text = replyText();
        if (text) finish(undefined, text);
        else finish(new ClamdError(`clamd is not reachable or broke off ${name} (${(err as NodeJS.ErrnoException).code ?? err.message})`, { cause: err }));
      });
      socket.on('connect', () => {
        clearTimeout(connectTimer);
        void (async () => {
          try {
            await write(socket, Buffer.from(`z${name}\0`, 'latin1'));
            if (body) {
              for (let at = 0; at < body.length && !settled; at += CHUNK) {
                const part = body.subarray(at, at + CHUNK);
                const length = Buffer.alloc(4);
                length.writeUInt32BE(part.length);
                await write(socket, Buffer.concat([length, part]));
              }
              await write(socket, Buffer.alloc(4));
            }
          } catch {
            // Reported by the socket's 'error' handler (or superseded by clamd's answer).
          }
        })();
      });
    });
  }
}

/** Writes and waits until the data has been handed to the socket (no unbounded buffering). */
function write(socket: net.Socket, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.destroyed) return reject(new Error('socket closed'));
    socket.write(data, (err) => (err ? reject(err) : resolve()));
  });
}

/**
 * The virus scanner the deployment configured (CLAMD_URL), or undefined when none is: uploads are
 * then accepted unscanned. When one is configured, an unreachable scanner refuses uploads
 * (fail closed, see checkUpload).
 */
export function openVirusScanner(config: Pick<Config, 'clamdUrl'>, options: ClamdOptions = {}): ClamdScanner | undefined {
  return config.clamdUrl === undefined ? undefined : new ClamdScanner(config.clamdUrl, options);
}
