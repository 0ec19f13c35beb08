import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign as rsaSign, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import forge from 'node-forge';
import { loadCity } from '../catalogue/city.ts';
import type { Config } from '../config.ts';
import { readOrCreateSecretFile } from '../platform/dev-secret-file.ts';

/**
 * The city's electronic seal on issued PDFs (ADR 0013): PAdES baseline B-B.
 *  - The PDF gets a signature dictionary with /SubFilter ETSI.CAdES.detached and the signing time
 *    in /M (@signpdf/placeholder-pdf-lib), and @signpdf/signpdf fills /ByteRange and /Contents.
 *  - /Contents is a detached CMS SignedData over the byte range whose signed attributes are
 *    exactly content-type, message-digest and ESS signing-certificate-v2, as ETSI EN 319 142-1
 *    asks for B-B. We build it here rather than with @signpdf/signer-p12, because that signer
 *    writes a CMS signing-time attribute (not allowed in PAdES baseline) and no
 *    signing-certificate-v2 (required), so its output is only adbe.pkcs7.detached quality.
 *  - Key and certificate chain come from a PKCS#12 file (SEAL_P12_FILE, SEAL_P12_PASSWORD). In
 *    development the city gets a self-signed seal in `<dataDir>/seal.p12`; tests make one per run.
 *    A qualified seal needs the key in a QSCD or a remote signing service: see the ADR.
 */
const SUBFILTER_ETSI_CADES_DETACHED = 'ETSI.CAdES.detached';

/** Bytes reserved for the CMS in the PDF; a 4096-bit chain of three certificates fits easily. */
const SIGNATURE_BYTES = 16_384;

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
} as const;

/** The development seal file beside `master.key`. */
export const DEV_SEAL_FILE = 'seal.p12';
/** The development seal's PKCS#12 password: the file is no secret worth protecting (self-signed, untrusted). */
const DEV_SEAL_PASSWORD = 'amtsweg-development';

export class SealConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealConfigError';
  }
}

export interface SealIdentity {
  /** /Name of the signature: the sealing authority. */
  readonly name: string;
  /** /Location: the city. */
  readonly location: string;
  /** /ContactInfo: the city's contact line. */
  readonly contactInfo: string;
}

const { asn1 } = forge;
type Asn1 = forge.asn1.Asn1;
const U = asn1.Class.UNIVERSAL;
const T = asn1.Type;
const oid = (o: string): Asn1 => asn1.create(U, T.OID, false, asn1.oidToDer(o).getBytes());
const int = (n: number): Asn1 => asn1.create(U, T.INTEGER, false, asn1.integerToDer(n).getBytes());
const seq = (items: Asn1[]): Asn1 => asn1.create(U, T.SEQUENCE, true, items);
const set = (items: Asn1[]): Asn1 => asn1.create(U, T.SET, true, items);
const octets = (b: Buffer): Asn1 => asn1.create(U, T.OCTETSTRING, false, b.toString('binary'));
const der = (a: Asn1): Buffer => Buffer.from(asn1.toDer(a).getBytes(), 'binary');
const fromDer = (b: Buffer): Asn1 => asn1.fromDer(forge.util.createBuffer(b.toString('binary')));

/** Issuer name and serial number of a certificate, taken from its own encoding (never re-encoded). */
function issuerAndSerial(certDer: Buffer): { issuer: Asn1; serial: Asn1 } {
  const cert = fromDer(certDer).value as Asn1[];
  const tbs = cert[0]!.value as Asn1[];
  const at = tbs[0]!.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  return { serial: tbs[at]!, issuer: tbs[at + 2]! };
}

/** Elements of a DER `SET OF` are ordered by their encodings (X.690 11.6); OpenSSL re-encodes before verifying. */
function derSetOf(items: Asn1[]): Asn1[] {
  return items.map((a) => ({ a, d: der(a) })).sort((x, y) => Buffer.compare(x.d, y.d)).map((x) => x.a);
}

/** The city's seal: a private key and the certificate chain that names it. */
export class CitySeal {
  /** DER of the signer's certificate, then the rest of the chain. */
  readonly certificates: readonly Buffer[];
  readonly subject: string;
  readonly notAfter: Date;
  /** Hex SHA-256 of the signer's certificate, for the ADR's "which seal signed this" question. */
  readonly certificateSha256: string;
  private readonly key: KeyObject;

  constructor(
    p12: Buffer,
    password: string,
    readonly identity: SealIdentity,
  ) {
    let parsed: forge.pkcs12.Pkcs12Pfx;
    try {
      parsed = forge.pkcs12.pkcs12FromAsn1(fromDer(p12), false, password);
    } catch (err) {
      throw new SealConfigError(`The seal's PKCS#12 could not be opened (wrong SEAL_P12_PASSWORD or not a PKCS#12 file): ${(err as Error).message}`);
    }
    const keyBags = [
      ...(parsed.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? []),
      ...(parsed.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!] ?? []),
    ];
    const certs = (parsed.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? []).map((b) => b.cert).filter((c): c is forge.pki.Certificate => c !== undefined);
    const key = keyBags[0]?.key as forge.pki.rsa.PrivateKey | undefined;
    if (keyBags.length !== 1 || !key) throw new SealConfigError(`The seal's PKCS#12 must hold exactly one RSA private key (found ${keyBags.length})`);
    const own = certs.find((c) => {
      const pub = c.publicKey as forge.pki.rsa.PublicKey;
      return pub.n?.equals(key.n) && pub.e?.equals(key.e);
    });
    if (!own) throw new SealConfigError("The seal's PKCS#12 has no certificate for its private key");
    const toDerCert = (c: forge.pki.Certificate) => der(forge.pki.certificateToAsn1(c));
    this.certificates = [toDerCert(own), ...certs.filter((c) => c !== own).map(toDerCert)];
    this.subject = own.subject.getField('CN')?.value ?? '';
    this.notAfter = own.validity.notAfter;
    this.certificateSha256 = createHash('sha256').update(this.certificates[0]!).digest('hex');
    this.key = createPrivateKey(forge.pki.privateKeyToPem(key));
  }

  /**
   * A detached CAdES signature (CMS SignedData) over `content`: signed attributes content-type,
   * message-digest and signing-certificate-v2 (ESSCertIDv2 with SHA-256 and issuer/serial).
   */
  cms(content: Buffer): Buffer {
    const signer = this.certificates[0]!;
    const { issuer, serial } = issuerAndSerial(signer);
    const essCertIdV2 = seq([
      // hashAlgorithm is DEFAULT sha256, so DER leaves it out.
      octets(createHash('sha256').update(signer).digest()),
      seq([seq([asn1.create(asn1.Class.CONTEXT_SPECIFIC, 4, true, [issuer])]), serial]),
    ]);
    const attributes = derSetOf([
      seq([oid(OID.contentType), set([oid(OID.data)])]),
      seq([oid(OID.messageDigest), set([octets(createHash('sha256').update(content).digest())])]),
      seq([oid(OID.signingCertificateV2), set([seq([seq([essCertIdV2])])])]),
    ]);
    // The signature covers the attributes encoded as a SET; in the SignerInfo they are [0] IMPLICIT.
    const signature = rsaSign('sha256', der(set(attributes)), this.key);
    const sha256Alg = seq([oid(OID.sha256)]);
    const signerInfo = seq([
      int(1),
      seq([issuer, serial]),
      sha256Alg,
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, attributes),
      seq([oid(OID.sha256WithRSAEncryption), asn1.create(U, T.NULL, false, '')]),
      octets(signature),
    ]);
    const signedData = seq([
      int(1),
      set([sha256Alg]),
      seq([oid(OID.data)]),
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, this.certificates.map(fromDer)),
      set([signerInfo]),
    ]);
    return der(seq([oid(OID.signedData), asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [signedData])]));
  }
}

/**
 * pdf-lib and @signpdf, loaded at the first seal (ADR 0026): a web process that never seals does
 * not carry them. forge stays a static import, because the seal's PKCS#12 is read at start.
 */
let signingModules:
  | Promise<{
      PDFDocument: typeof import('pdf-lib').PDFDocument;
      pdflibAddPlaceholder: typeof import('@signpdf/placeholder-pdf-lib').pdflibAddPlaceholder;
      SignPdf: typeof import('@signpdf/signpdf').SignPdf;
      cadesSigner: (seal: CitySeal) => import('@signpdf/signpdf').Signer;
    }>
  | undefined;

function loadSigningModules(): NonNullable<typeof signingModules> {
  signingModules ??= (async () => {
    const [{ PDFDocument }, { pdflibAddPlaceholder }, { SignPdf, Signer }] = await Promise.all([import('pdf-lib'), import('@signpdf/placeholder-pdf-lib'), import('@signpdf/signpdf')]);
    /** Bridges the seal to @signpdf/signpdf, which hands over the bytes of the /ByteRange. */
    class CadesSigner extends Signer {
      constructor(private readonly seal: CitySeal) {
        super();
      }

      override async sign(pdfBuffer: Buffer): Promise<Buffer> {
        return this.seal.cms(pdfBuffer);
      }
    }
    return { PDFDocument, pdflibAddPlaceholder, SignPdf, cadesSigner: (seal: CitySeal) => new CadesSigner(seal) };
  })();
  return signingModules;
}

/** Characters PDFDocEncoding cannot hold would be garbled in /Name, /Reason and /Location. */
const latin1 = (s: string) => s.normalize('NFC').replace(/[^\u0020-\u007e\u00a0-\u00ff]/g, '?');

/**
 * Seals a PDF: adds an invisible signature field with the city's seal (PAdES B-B) and returns the
 * signed file. The input should be a finished document; anything appended later breaks the seal
 * unless it is an incremental update.
 */
export async function sealPdf(pdf: Uint8Array, seal: CitySeal, options: { reason: string; signingTime: Date }): Promise<Buffer> {
  const { PDFDocument, pdflibAddPlaceholder, SignPdf, cadesSigner } = await loadSigningModules();
  // updateMetadata false: the document keeps its own title, author, dates and producer.
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  pdflibAddPlaceholder({
    pdfDoc: doc,
    reason: latin1(options.reason),
    contactInfo: latin1(seal.identity.contactInfo),
    name: latin1(seal.identity.name),
    location: latin1(seal.identity.location),
    signingTime: options.signingTime,
    signatureLength: SIGNATURE_BYTES,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    appName: 'Amtsweg',
  });
  // Without object streams: the signature dictionary must stay a plain object signpdf can find.
  const prepared = Buffer.from(await doc.save({ useObjectStreams: false }));
  return new SignPdf().sign(prepared, cadesSigner(seal));
}

/** A self-signed seal certificate for development and tests, as a PKCS#12 (DER). */
export function createDevelopmentSealP12(cityName: string, password: string, options: { bits?: 2048 | 3072; now?: Date } = {}): Buffer {
  const now = options.now ?? new Date();
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: options.bits ?? 3072 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  // Positive serial: first bit cleared.
  cert.serialNumber = `0${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(now.getTime() - 24 * 3600_000);
  cert.validity.notAfter = new Date(now.getTime() + 5 * 365 * 24 * 3600_000);
  const name = [
    { name: 'commonName', value: `${cityName} Dienstsiegel (Entwicklung)` },
    { name: 'organizationName', value: cityName },
    { name: 'countryName', value: 'DE' },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  const p12 = forge.pkcs12.toPkcs12Asn1(key, [cert], password, { algorithm: 'aes256', friendlyName: 'seal' });
  return der(p12);
}

/** A development seal made in this process; tests of one run share it (one key generation per process). */
const processSeals = new Map<string, Buffer>();

/**
 * The seal for this process:
 *  - SEAL_P12_FILE with SEAL_P12_PASSWORD when configured (production must; `loadConfig` refuses it missing);
 *  - test profile or an in-memory data directory: a self-signed seal kept in memory;
 *  - development: `<dataDir>/seal.p12`, created on first start (mode 0600), self-signed with
 *    CN "<city> Dienstsiegel (Entwicklung)".
 * The city's name, the office's contact line and the location come from the city configuration.
 */
export async function loadCitySeal(config: Pick<Config, 'profile' | 'dataDir' | 'city' | 'sealP12File' | 'sealP12Password'>): Promise<CitySeal> {
  const city = loadCity(config.city);
  const identity: SealIdentity = { name: city.name.de, location: city.name.de.replace(/^Stadt\s+/, ''), contactInfo: city.contact.de };
  if (config.sealP12File !== undefined) {
    let p12: Buffer;
    try {
      p12 = await readFile(config.sealP12File);
    } catch (err) {
      throw new SealConfigError(`SEAL_P12_FILE ${config.sealP12File} could not be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    return new CitySeal(p12, config.sealP12Password ?? '', identity);
  }
  if (config.profile === 'production') throw new SealConfigError('SEAL_P12_FILE is required in production');
  if (config.profile === 'test' || config.dataDir === 'memory://') {
    let p12 = processSeals.get(city.name.de);
    if (!p12) {
      // 2048 bits: generated once per test process, where 3072 would cost most of a second each time.
      p12 = createDevelopmentSealP12(city.name.de, DEV_SEAL_PASSWORD, { bits: 2048 });
      processSeals.set(city.name.de, p12);
    }
    return new CitySeal(p12, DEV_SEAL_PASSWORD, identity);
  }
  const file = path.join(path.resolve(config.dataDir), DEV_SEAL_FILE);
  const p12 = await readOrCreateSecretFile(file, () => createDevelopmentSealP12(city.name.de, DEV_SEAL_PASSWORD));
  try {
    return new CitySeal(p12, DEV_SEAL_PASSWORD, identity);
  } catch (err) {
    throw new SealConfigError(`${file} is damaged (${(err as Error).message}); delete it and a new development seal is made on the next start`);
  }
}
