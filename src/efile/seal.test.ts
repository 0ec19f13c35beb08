import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { ConfigError, loadConfig } from '../config.ts';
import { renderPdf } from '../platform/pdf/render-pdf.ts';
import { opensslPrintCms, opensslVerifyDetached, pdfTextAndInfo, signatureParts } from '../test-support/pdf-inspect.ts';
import { CitySeal, DEV_SEAL_FILE, loadCitySeal, SealConfigError, sealPdf } from './seal.ts';

const run = promisify(execFile);
let tmp: string;
before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'amtsweg-seal-'));
});
after(async () => rm(tmp, { recursive: true, force: true }));

const testConfig = { profile: 'test' as const, dataDir: 'memory://', city: 'halle', sealP12File: undefined, sealP12Password: undefined };

async function letter(): Promise<Buffer> {
  return renderPdf({
    letterhead: { organisation: 'Stadt Halle (Saale)', office: 'Versammlungsbehörde' },
    title: 'Bescheid',
    reference: { label: 'Aktenzeichen', value: 'HAL-2026-000001-1' },
    date: { label: 'Datum', value: '30.11.2026' },
    blocks: [{ kind: 'paragraph', text: 'Die Versammlung kann stattfinden.' }],
    footer: 'Stadt Halle (Saale)',
    metadata: { title: 'Bescheid', author: 'Stadt Halle (Saale)' },
  });
}

test('a sealed PDF carries a detached CAdES signature over the whole file except /Contents that OpenSSL verifies', async () => {
  const seal = await loadCitySeal(testConfig);
  const signingTime = new Date('2026-11-30T10:15:00Z');
  const signed = await sealPdf(await letter(), seal, { reason: 'Bescheid über die Versammlung', signingTime });
  const text = signed.toString('latin1');
  assert.match(text, /\/Filter \/Adobe\.PPKLite/);
  assert.match(text, /\/SubFilter \/ETSI\.CAdES\.detached/, 'PAdES subfilter');
  assert.match(text, /\/M \(D:20261130101500Z/, 'the signing time is in /M, as PAdES wants it');
  assert.match(text, /\/Name \(Stadt Halle \(Saale\)\)/);

  const { byteRange, signed: content, cms } = signatureParts(signed);
  assert.equal(byteRange[0], 0, 'the signed range starts at the first byte');
  assert.equal(byteRange[2] + byteRange[3], signed.length, 'and ends at the last');
  const verified = await opensslVerifyDetached(cms, content);
  assert.ok(verified.ok, `OpenSSL verifies the CMS: ${verified.output}`);

  const printed = await opensslPrintCms(cms);
  assert.match(printed, /contentType \(1\.2\.840\.113549\.1\.9\.3\)/, 'signed attribute content-type');
  assert.match(printed, /messageDigest \(1\.2\.840\.113549\.1\.9\.4\)/, 'signed attribute message-digest');
  assert.match(printed, /signingCertificateV2 \(1\.2\.840\.113549\.1\.9\.16\.2\.47\)/, 'signed attribute ESS signing-certificate-v2');
  assert.doesNotMatch(printed, /signingTime \(1\.2\.840\.113549\.1\.9\.5\)/, 'no CMS signing-time: PAdES baseline forbids it');
  assert.match(printed, /eContent: <ABSENT>/, 'detached: the content is not inside the CMS');
  assert.match(printed, /Stadt Halle \(Saale\) Dienstsiegel \(Entwicklung\)/, 'the seal certificate is included');

  // The document is still the same document for a reader.
  const { text: visible, info } = await pdfTextAndInfo(signed);
  assert.ok(visible.includes('HAL-2026-000001-1'), 'the sealed PDF still reads');
  assert.equal(info.Title, 'Bescheid', 'the metadata survives sealing');
});

test('one changed byte anywhere in the signed range makes verification fail', async () => {
  const seal = await loadCitySeal(testConfig);
  const signed = await sealPdf(await letter(), seal, { reason: 'Bescheid', signingTime: new Date() });
  const { byteRange } = signatureParts(signed);
  for (const at of [Math.floor(byteRange[1] / 2), byteRange[2] + Math.floor(byteRange[3] / 2)]) {
    const tampered = Buffer.from(signed);
    tampered[at] = tampered[at]! ^ 0x01;
    const parts = signatureParts(tampered);
    const result = await opensslVerifyDetached(parts.cms, parts.signed);
    assert.equal(result.ok, false, `a flipped bit at ${at} is detected`);
    assert.match(result.output, /digest failure|verification failure/i);
  }
});

test('the development seal: self-signed, RSA 3072, for digital signature and non-repudiation, kept in <dataDir>/seal.p12', async () => {
  const config = { ...testConfig, profile: 'development' as const, dataDir: tmp };
  const first = await loadCitySeal(config);
  const file = path.join(tmp, DEV_SEAL_FILE);
  assert.equal((await stat(file)).mode & 0o777, 0o600, 'only the owner can read the key file');
  const again = await loadCitySeal(config);
  assert.equal(again.certificateSha256, first.certificateSha256, 'a restart keeps the same seal');

  const cert = forge.pki.certificateFromAsn1(forge.asn1.fromDer(forge.util.createBuffer(first.certificates[0]!.toString('binary'))));
  assert.equal(cert.subject.getField('CN').value, 'Stadt Halle (Saale) Dienstsiegel (Entwicklung)');
  assert.equal(cert.issuer.getField('CN').value, cert.subject.getField('CN').value, 'self-signed');
  assert.equal((cert.publicKey as forge.pki.rsa.PublicKey).n.bitLength(), 3072);
  const usage = cert.getExtension('keyUsage') as { digitalSignature?: boolean; nonRepudiation?: boolean; keyCertSign?: boolean } | undefined;
  assert.ok(usage?.digitalSignature && usage.nonRepudiation && !usage.keyCertSign, 'keyUsage digitalSignature + nonRepudiation only');

  const signed = await sealPdf(await letter(), again, { reason: 'x', signingTime: new Date() });
  const parts = signatureParts(signed);
  assert.ok((await opensslVerifyDetached(parts.cms, parts.signed)).ok, 'the persisted seal signs');
  await writeFile(file, Buffer.from('not a p12'));
  await assert.rejects(loadCitySeal(config), /seal\.p12 is damaged/, 'a damaged seal file stops the start with a clear message');
});

test("a configured PKCS#12 made by OpenSSL is the city's seal; a wrong password stops the start", async () => {
  const key = path.join(tmp, 'key.pem');
  const crt = path.join(tmp, 'crt.pem');
  const p12 = path.join(tmp, 'city-seal.p12');
  await run('/usr/bin/openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', crt, '-days', '30', '-subj', '/C=DE/O=Stadt Halle (Saale)/CN=Stadt Halle (Saale) Dienstsiegel Test', '-addext', 'keyUsage=critical,digitalSignature,nonRepudiation']);
  await run('/usr/bin/openssl', ['pkcs12', '-export', '-inkey', key, '-in', crt, '-out', p12, '-passout', 'pass:correct horse battery']);
  const seal = await loadCitySeal({ ...testConfig, profile: 'production', sealP12File: p12, sealP12Password: 'correct horse battery' });
  assert.equal(seal.subject, 'Stadt Halle (Saale) Dienstsiegel Test');
  const signed = await sealPdf(await letter(), seal, { reason: 'Bescheid', signingTime: new Date() });
  const parts = signatureParts(signed);
  const verified = await opensslVerifyDetached(parts.cms, parts.signed);
  assert.ok(verified.ok, `OpenSSL verifies a seal from an OpenSSL-made PKCS#12: ${verified.output}`);

  await assert.rejects(loadCitySeal({ ...testConfig, profile: 'production', sealP12File: p12, sealP12Password: 'wrong' }), SealConfigError);
  await assert.rejects(loadCitySeal({ ...testConfig, profile: 'production', sealP12File: path.join(tmp, 'missing.p12'), sealP12Password: 'x' }), /SEAL_P12_FILE .* could not be read/);
  await assert.rejects(loadCitySeal({ ...testConfig, profile: 'production' }), /SEAL_P12_FILE is required in production/);
  assert.ok(new CitySeal(await readFile(p12), 'correct horse battery', seal.identity).certificates.length === 1, 'the chain holds the one certificate');
});

test('production configuration requires SEAL_P12_FILE and SEAL_P12_PASSWORD', () => {
  assert.throws(
    () => loadConfig({ AMTSWEG_PROFILE: 'production' }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError, 'a ConfigError');
      assert.ok(err.problems.some((p) => p.startsWith('SEAL_P12_FILE is required in production')), 'names SEAL_P12_FILE');
      assert.ok(err.problems.some((p) => p.startsWith('SEAL_P12_PASSWORD is required in production')), 'names SEAL_P12_PASSWORD');
      return true;
    },
  );
  assert.throws(() => loadConfig({ AMTSWEG_PROFILE: 'development', SEAL_P12_PASSWORD: 'x' }), /SEAL_P12_PASSWORD is set but SEAL_P12_FILE is not/);
  const dev = loadConfig({ AMTSWEG_PROFILE: 'development', SEAL_P12_FILE: 'seal/city.p12', SEAL_P12_PASSWORD: ' spaced ' });
  assert.equal(dev.sealP12File, path.resolve('seal/city.p12'));
  assert.equal(dev.sealP12Password, ' spaced ', 'the password is taken as given');
});
