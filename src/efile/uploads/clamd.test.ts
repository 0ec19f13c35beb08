import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { ConfigError, loadConfig } from '../../config.ts';
import { clamdMissing, EICAR_SIGNATURE, eicarTestFile, startClamd, type RunningClamd } from '../../test-support/clamd.ts';
import { ClamdError, ClamdScanner, openVirusScanner, parseClamdUrl } from './clamd.ts';

let clamd: RunningClamd;
before(async () => {
  if (!clamdMissing) clamd = await startClamd();
});
/** Tests that talk to the real daemon (skipped, with the reason, where it is not installed and CI is not set). */
const needsClamd = { skip: clamdMissing };
after(async () => clamd?.stop());

/** A port nothing listens on: bound once, then closed again. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('the real clamd answers PING and VERSION', needsClamd, async () => {
  const scanner = new ClamdScanner(clamd.url);
  await scanner.ping();
  assert.match(await scanner.version(), /^ClamAV \d+\.\d+/);
});

test('the EICAR test file is found, with the signature name', needsClamd, async () => {
  const result = await new ClamdScanner(clamd.url).scan(eicarTestFile());
  assert.deepEqual(result, { clean: false, signature: EICAR_SIGNATURE });
});

test('EICAR at the end of 1 MB sent in many chunks is found too; the same bytes without it are clean', needsClamd, async () => {
  const filler = Buffer.alloc(1024 * 1024, 'Wohnungsgeberbestätigung ');
  const scanner = new ClamdScanner(clamd.url);
  assert.deepEqual(await scanner.scan(Buffer.concat([filler, eicarTestFile()])), { clean: false, signature: EICAR_SIGNATURE });
  assert.deepEqual(await scanner.scan(filler), { clean: true });
  assert.deepEqual(await scanner.scan(randomBytes(300_000)), { clean: true });
});

test('several scans at once each get their own answer', needsClamd, async () => {
  const scanner = new ClamdScanner(clamd.url);
  const results = await Promise.all([eicarTestFile(), Buffer.from('sauber'), eicarTestFile(), Buffer.from('auch sauber')].map((b) => scanner.scan(b)));
  assert.deepEqual(
    results.map((r) => r.clean),
    [false, true, false, true],
  );
});

test('a closed port is a ClamdError, quickly', async () => {
  const started = Date.now();
  await assert.rejects(new ClamdScanner(`tcp://127.0.0.1:${await closedPort()}`).scan(Buffer.from('x')), (err: unknown) => {
    assert.ok(err instanceof ClamdError, 'a ClamdError');
    assert.match(err.message, /ECONNREFUSED/);
    return true;
  });
  assert.ok(Date.now() - started < 2_000, 'no waiting for a timeout');
});

test('a server that accepts but never answers runs into the timeout', async () => {
  const sockets: net.Socket[] = [];
  const silent = net.createServer((s) => void sockets.push(s.on('error', () => undefined)));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as net.AddressInfo;
  try {
    const started = Date.now();
    await assert.rejects(new ClamdScanner(`tcp://127.0.0.1:${port}`, { timeoutMs: 300 }).scan(Buffer.from('x')), /did not answer INSTREAM within 300 ms/);
    assert.ok(Date.now() - started < 2_000, 'the timeout is kept');
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});

test('clamd addresses: tcp://host:port, unix:///path or an absolute path; anything else is refused', () => {
  assert.deepEqual(parseClamdUrl('tcp://127.0.0.1:3310'), { host: '127.0.0.1', port: 3310 });
  assert.deepEqual(parseClamdUrl('tcp://clamav.internal:3310/'), { host: 'clamav.internal', port: 3310 });
  assert.deepEqual(parseClamdUrl('tcp://[::1]:3310'), { host: '::1', port: 3310 });
  assert.deepEqual(parseClamdUrl('/run/clamav/clamd.ctl'), { path: '/run/clamav/clamd.ctl' });
  assert.deepEqual(parseClamdUrl('unix:///run/clamav/clamd.ctl'), { path: '/run/clamav/clamd.ctl' });
  for (const bad of ['tcp://127.0.0.1', 'http://127.0.0.1:3310', 'clamd:3310', 'relative/clamd.ctl', 'tcp://127.0.0.1:99999']) {
    assert.equal(parseClamdUrl(bad), undefined, `${bad} is refused`);
  }
  assert.throws(() => new ClamdScanner('clamd:3310'), ClamdError);
});

test('CLAMD_URL: unset means no scanner; a wrong value stops the start', () => {
  const base = { AMTSWEG_PROFILE: 'test' };
  assert.equal(loadConfig(base).clamdUrl, undefined);
  assert.equal(openVirusScanner(loadConfig(base)), undefined, 'no scanner when not configured');
  assert.equal(loadConfig({ ...base, CLAMD_URL: '/run/clamav/clamd.ctl' }).clamdUrl, '/run/clamav/clamd.ctl');
  assert.throws(
    () => loadConfig({ ...base, CLAMD_URL: 'clamav:3310' }),
    (err: unknown) => err instanceof ConfigError && err.problems.some((p) => p.startsWith('CLAMD_URL must be tcp://host:port')),
  );
});

test('CLAMD_URL set: openVirusScanner gives a scanner that reaches clamd', needsClamd, async () => {
  const scanner = openVirusScanner(loadConfig({ AMTSWEG_PROFILE: 'test', CLAMD_URL: clamd.url }));
  assert.ok(scanner instanceof ClamdScanner, 'a clamd scanner');
  await scanner.ping();
});

test('over a unix socket, and a stream above clamd\'s StreamMaxLength is an error, not "clean"', needsClamd, async () => {
  const small = await startClamd({ unixSocket: true, streamMaxLength: '1M' });
  try {
    assert.ok(small.socketPath, 'a socket path');
    const overSocket = new ClamdScanner(small.socketPath);
    await overSocket.ping();
    assert.deepEqual(await overSocket.scan(eicarTestFile()), { clean: false, signature: EICAR_SIGNATURE });
    assert.deepEqual(await new ClamdScanner(`unix://${small.socketPath}`).scan(Buffer.from('sauber')), { clean: true });
    await assert.rejects(overSocket.scan(Buffer.alloc(3 * 1024 * 1024, 0x20)), (err: unknown) => {
      assert.ok(err instanceof ClamdError, 'a ClamdError');
      // clamd answers "size limit exceeded" and closes while the client is still writing; which of
      // the two the client sees first (the answer, or EPIPE on its next write) is a race. Either
      // way it is an error, never "clean", and the upload is refused.
      assert.match(err.message, /size limit exceeded|broke off INSTREAM/);
      return true;
    });
  } finally {
    await small.stop();
  }
});
