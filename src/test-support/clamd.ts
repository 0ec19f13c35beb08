import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ClamdScanner } from '../efile/uploads/clamd.ts';

/**
 * A real ClamAV daemon for tests (Debian package clamav-daemon, /usr/sbin/clamd), started in the
 * foreground as a child process with its own configuration in a temporary directory. Its database
 * holds one local signature only, for the EICAR test file: no freshclam, no network, and it starts
 * in about a second instead of loading the full virus database (about 1 GB of memory).
 */
const CLAMD_BINARY = process.env.CLAMD_BINARY ?? '/usr/sbin/clamd';

/**
 * Whether the tests that need a real clamd run here. clamd is a system daemon that `npm install`
 * cannot bring, so on a developer's fresh machine without it those tests are skipped, with the
 * reason printed; where `CI=true` (`.ci/run` installs it) they are required and fail without it.
 * Use as `{ skip: clamdMissing }` on the tests or suites that start one.
 */
export const clamdMissing: string | false =
  existsSync(CLAMD_BINARY) || process.env.CI === 'true'
    ? false
    : `skipped: ${CLAMD_BINARY} (ClamAV's daemon) is not installed; apt-get install clamav-daemon to run these tests (required where CI=true; .ci/run installs it)`;
if (clamdMissing) process.stderr.write(`\n# ${clamdMissing}\n`);

const SIGNATURE_NAME = 'Amtsweg-Test.EICAR';
/** The name clamd reports for the EICAR test file: ours, marked as not from ClamAV's own database. */
export const EICAR_SIGNATURE = `${SIGNATURE_NAME}.UNOFFICIAL`;

/**
 * The EICAR anti-virus test file (eicar.org), put together at run time so that this repository
 * never contains it in one piece (scanners on developers' machines would quarantine the file).
 */
export function eicarTestFile(): Buffer {
  const parts = ['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-', 'ANTIVIRUS-TEST-', 'FILE!$H+H*'];
  return Buffer.from(parts.join(''), 'latin1');
}

export interface RunningClamd {
  /** `tcp://127.0.0.1:<port>`, for CLAMD_URL or `new ClamdScanner(url)`. */
  readonly url: string;
  /** Its unix socket, when asked for one. */
  readonly socketPath: string | undefined;
  stop(): Promise<void>;
}

export interface ClamdTestOptions {
  readonly startTimeoutMs?: number;
  /** clamd's StreamMaxLength, such as `1M` (default 64M). */
  readonly streamMaxLength?: string;
  /** Also listen on a unix socket in the temporary directory. */
  readonly unixSocket?: boolean;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startClamd(options: ClamdTestOptions = {}): Promise<RunningClamd> {
  if (!existsSync(CLAMD_BINARY)) {
    throw new Error(`${CLAMD_BINARY} is missing: install ClamAV's daemon (apt-get install clamav-daemon; .ci/run does it)`);
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'amtsweg-clamd-'));
  const db = path.join(dir, 'db');
  const eicar = eicarTestFile();
  // An .ndb body signature (name:target type:offset:hex) matches the EICAR bytes anywhere in any
  // file, so also inside a PDF; the .hdb hash signature (md5:size:name) matches the file itself.
  await mkdir(db);
  await writeFile(path.join(db, 'amtsweg-test.ndb'), `${SIGNATURE_NAME}:0:*:${eicar.toString('hex')}\n`);
  await writeFile(path.join(db, 'amtsweg-test.hdb'), `${createHash('md5').update(eicar).digest('hex')}:${eicar.length}:${SIGNATURE_NAME}\n`);

  let lastError: unknown;
  // A free port can be taken between asking for it and clamd binding it: try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const conf = path.join(dir, `clamd-${port}.conf`);
    const socketPath = options.unixSocket ? path.join(dir, `clamd-${port}.sock`) : undefined;
    await writeFile(
      conf,
      [
        'Foreground yes',
        `TCPSocket ${port}`,
        'TCPAddr 127.0.0.1',
        `DatabaseDirectory ${db}`,
        `TemporaryDirectory ${dir}`,
        `LogFile ${path.join(dir, 'clamd.log')}`,
        `PidFile ${path.join(dir, `clamd-${port}.pid`)}`,
        // No User: runs as whoever runs the tests (root in CI). LocalSocket only when asked for.
        ...(socketPath ? [`LocalSocket ${socketPath}`] : []),
        'Bytecode no',
        'MaxThreads 4',
        `StreamMaxLength ${options.streamMaxLength ?? '64M'}`,
        'ConcurrentDatabaseReload no',
        'SelfCheck 3600',
        '',
      ].join('\n'),
    );
    const child = spawn(CLAMD_BINARY, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout!.on('data', (c: Buffer) => output.push(c.toString('utf8')));
    child.stderr!.on('data', (c: Buffer) => output.push(c.toString('utf8')));
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    const url = `tcp://127.0.0.1:${port}`;
    try {
      await waitForPong(child, new ClamdScanner(url, { connectTimeoutMs: 1_000, timeoutMs: 2_000 }), options.startTimeoutMs ?? 60_000, output);
    } catch (err) {
      lastError = err;
      process.off('exit', killOnExit);
      await stopChild(child);
      continue;
    }
    return {
      url,
      socketPath,
      async stop() {
        process.off('exit', killOnExit);
        await stopChild(child);
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}

async function waitForPong(child: ChildProcess, scanner: ClamdScanner, timeoutMs: number, output: string[]): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.once('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error(`clamd stopped while starting:\n${output.join('').slice(-2000)}`);
    try {
      await scanner.ping();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`clamd did not answer PING within ${timeoutMs} ms:\n${output.join('').slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
