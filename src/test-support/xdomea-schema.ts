import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { memoryPages, validateXML } from 'xmllint-wasm';

/**
 * Validates xdomea 3.0.0 messages against KoSIT's schemas in `../shared/standards/xdomea-3.0.0/`
 * (beside the checkout; test fixtures, not part of the product). xmllint runs in WebAssembly: no
 * native build, no network — every schema file is handed to it up front.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const XDOMEA_SCHEMA_DIR = path.resolve(repoRoot, '..', 'shared', 'standards', 'xdomea-3.0.0');

/**
 * The xdomea schemas import the XÖV core type `xoev-code:Code` from `../xoev/code/1_0/xoev-code.xsd`,
 * which the shared folder does not carry. This is that schema (XÖV-Kernkomponente "Code" 1.0, as
 * published with the xdomea schemas, e.g. in Landesarchiv-Thueringen/xdomea_toolkit), its
 * documentation left out: a complex type with the unqualified elements `code` and optional `name`
 * and the optional attributes `listURI` and `listVersionID`.
 */
const XOEV_CODE_1_0 = `<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xoev-code="http://xoev.de/schemata/code/1_0" targetNamespace="http://xoev.de/schemata/code/1_0" version="1.0" elementFormDefault="qualified" attributeFormDefault="unqualified">
  <xs:complexType name="Code">
    <xs:sequence>
      <xs:element name="code" type="xs:token" form="unqualified"/>
      <xs:element name="name" minOccurs="0" type="xs:normalizedString" form="unqualified"/>
    </xs:sequence>
    <xs:attribute name="listURI" type="xs:anyURI" use="optional"/>
    <xs:attribute name="listVersionID" type="xs:normalizedString" use="optional"/>
  </xs:complexType>
</xs:schema>
`;

let schemaFiles: { main: { fileName: string; contents: string }; others: Array<{ fileName: string; contents: string }> } | undefined;

function loadSchemas() {
  if (!schemaFiles) {
    // The files keep their relative layout in xmllint's in-memory file system, so the schemas'
    // own include/import paths resolve unchanged.
    const xsds = readdirSync(XDOMEA_SCHEMA_DIR).filter((f) => f.endsWith('.xsd'));
    const file = (f: string) => ({ fileName: `xdomea/${f}`, contents: readFileSync(path.join(XDOMEA_SCHEMA_DIR, f), 'utf8') });
    schemaFiles = {
      main: file('xdomea.xsd'),
      others: [...xsds.filter((f) => f !== 'xdomea.xsd').map(file), { fileName: 'xoev/code/1_0/xoev-code.xsd', contents: XOEV_CODE_1_0 }],
    };
  }
  return schemaFiles;
}

export interface XdomeaValidation {
  readonly valid: boolean;
  /** xmllint's messages, without file names. */
  readonly errors: string[];
}

/** Validates one message (UTF-8 text) against `xdomea.xsd`. */
export async function validateXdomea(xml: string, fileName = 'message.xml'): Promise<XdomeaValidation> {
  const { main, others } = loadSchemas();
  const result = await validateXML({
    xml: [{ fileName, contents: xml }],
    schema: [main],
    preload: others,
    maxMemoryPages: 512 * memoryPages.MiB,
  });
  return { valid: result.valid, errors: result.errors.map((e) => e.message) };
}
