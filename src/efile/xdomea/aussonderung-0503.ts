import { XMLBuilder } from 'fast-xml-parser';

/**
 * xdomea 3.0.0 message `Aussonderung.Aussonderung.0503`: a closed file handed to the archive
 * (ADR 0014). Built from a plain model so it can be tested against the XSD without a database.
 *
 * Naming follows the xdomea conventions for the transfer container: the ZIP and the message inside
 * it are `<ProzessID>_Aussonderung.Aussonderung.0503.zip|.xml`; each primary document is named by
 * a UUID (`<UUID>.<ext>`), its original name travels in `DateinameOriginal`.
 */

const XDOMEA_NAMESPACE = 'urn:xoev-de:xdomea:schema:3.0.0';
const MESSAGE_0503 = 'Aussonderung.Aussonderung.0503';
/** The schema file the message belongs to (xdomea asks for it in `xsi:schemaLocation`). */
const SCHEMA_LOCATION = `${XDOMEA_NAMESPACE} http://xdomea.de/schemata/300/xdomea-Nachrichten-AussonderungDurchfuehren.xsd`;
/** Code list versions fixed by the 3.0.0 schema. */
const DATEIFORMAT_LIST_VERSION = '1.0';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `Aussonderungsart` code list 1.0: A archivwürdig, B zu bewerten, V zu vernichten. */
type Aussonderungsart = 'A' | 'B' | 'V';

interface XdomeaParty {
  /** Behördenschlüssel (here: the municipality's AGS) and its name. */
  readonly authorityKey?: string;
  readonly authorityName?: string;
  /** The institution, e.g. "Stadt Halle (Saale)". */
  readonly institution?: string;
  /** The organisational unit, e.g. the department or "Stadtarchiv". */
  readonly unit?: string;
}

/** One line of a history protocol (`HistorienProtokollInformation`). */
export interface XdomeaHistoryEntry {
  readonly at: Date;
  readonly actor: string;
  readonly action: string;
  readonly field?: string;
  readonly oldValue?: string;
  readonly newValue?: string;
  readonly remark?: string;
}

/** A primary file format: a code of the `Dateiformat` list 1.0 (`100` = Sonstiges, then `otherName`). */
export interface XdomeaFileFormat {
  readonly code: string;
  readonly otherName?: string;
  /** The format's version (e.g. a PDF's "1.7"); may be empty when unknown. */
  readonly version: string;
}

export interface XdomeaDocumentVersion {
  /** Version number as the E-Akte counts them (1, 2, …). */
  readonly number: number;
  /** The file's name inside the ZIP: `<UUID>.<ext>` (see `primaryFileName`). */
  readonly fileName: string;
  readonly originalFileName: string;
  readonly createdAt: Date;
  readonly creator?: string;
  readonly format: XdomeaFileFormat;
}

export interface XdomeaDocument {
  readonly id: string;
  readonly subject: string;
  readonly type?: string;
  readonly versions: readonly XdomeaDocumentVersion[];
}

export interface Aussonderung0503Input {
  /** ProzessID: a fresh UUID per message; also names the ZIP and the XML. */
  readonly messageId: string;
  readonly createdAt: Date;
  readonly sender: XdomeaParty;
  readonly recipient: XdomeaParty;
  readonly sendingSystem: { readonly productName: string; readonly version: string; readonly instanceId?: string };
  /** The case file (`Akte`) with one procedure (`Vorgang`) that holds the documents. */
  readonly file: {
    readonly id: string;
    /** Kennzeichen: the case reference. */
    readonly reference: string;
    /** Betreff: the service's title. */
    readonly subject: string;
    /** Federführung: the department that handled the case. */
    readonly leadUnit?: string;
    /** Laufzeit as dates (YYYY-MM-DD): submitted … closed. */
    readonly runtime: { readonly begin: string; readonly end: string };
    /** Aufbewahrungsdauer in years; null = unbefristet; absent = not stated. */
    readonly retentionYears?: number | null;
    /** Aufbewahrungsende (YYYY-MM-DD), when known. */
    readonly retentionEnd?: string;
    readonly disposal: Aussonderungsart;
    readonly procedure: {
      readonly id: string;
      readonly subject: string;
      readonly type?: string;
      readonly history: readonly XdomeaHistoryEntry[];
      readonly documents: readonly XdomeaDocument[];
    };
  };
}

/** The container's and the message's names for a ProzessID. */
export function xdomeaFileNames(messageId: string): { zip: string; xml: string } {
  if (!UUID.test(messageId)) throw new Error('the ProzessID must be a UUID');
  const base = `${messageId.toLowerCase()}_${MESSAGE_0503}`;
  return { zip: `${base}.zip`, xml: `${base}.xml` };
}

/** Extension → `Dateiformat` code (code list 1.0). */
const FORMAT_BY_EXTENSION: Readonly<Record<string, string>> = {
  bmp: '001', csv: '002', eml: '006', htm: '007', html: '008', jpe: '009', jpeg: '010', jpg: '011', msg: '012', odp: '013', ods: '014', odt: '015',
  pdf: '018', png: '019', ppt: '020', ps: '021', rtf: '022', tif: '023', tiff: '024', xls: '028', xml: '030', xsd: '031', docx: '035', xlsx: '036',
  pptx: '037', txt: '045',
};
const EXTENSION_BY_TYPE: Readonly<Record<string, string>> = {
  'application/pdf': 'pdf', 'image/png': 'png', 'image/jpeg': 'jpg', 'image/tiff': 'tif', 'image/bmp': 'bmp', 'text/plain': 'txt', 'text/csv': 'csv',
  'text/html': 'html', 'application/xml': 'xml', 'text/xml': 'xml', 'application/json': 'json', 'application/rtf': 'rtf',
  'application/vnd.oasis.opendocument.text': 'odt', 'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
};

/** A safe lower-case extension: the original name's when it has a plain one, else the media type's, else `bin`. */
function fileExtension(originalFileName: string, contentType: string): string {
  const m = /\.([a-z0-9]{1,10})$/i.exec(originalFileName);
  if (m) return m[1]!.toLowerCase();
  return EXTENSION_BY_TYPE[contentType.toLowerCase()] ?? 'bin';
}

/** `<UUID>.<ext>`: the name of a primary document in the container. */
export function primaryFileName(id: string, originalFileName: string, contentType: string): string {
  if (!UUID.test(id)) throw new Error('a primary document is named by a UUID');
  return `${id.toLowerCase()}.${fileExtension(originalFileName, contentType)}`;
}

/** The `Dateiformat` entry for a file; formats the list does not know are `100` (Sonstiges) with the media type. */
export function fileFormat(originalFileName: string, contentType: string, version = ''): XdomeaFileFormat {
  const code = FORMAT_BY_EXTENSION[fileExtension(originalFileName, contentType)];
  return code ? { code, version } : { code: '100', otherName: contentType.toLowerCase(), version };
}

/* ---------- building the XML ---------- */

// XML 1.0 cannot carry these characters at all, not even escaped.
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const text = (s: string): string => s.replace(NOT_XML, '\ufffd');
/** xs:dateTime in UTC, whole seconds. */
const dateTime = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

type Node = Record<string, unknown>;
const x = (name: string) => `xdomea:${name}`;

function party(p: XdomeaParty): Node {
  const out: Node = {};
  if (p.authorityKey) out[x('Behoerdenkennung')] = { [x('Behoerdenschluessel')]: { code: text(p.authorityKey), ...(p.authorityName ? { name: text(p.authorityName) } : {}) } };
  if (p.institution) out[x('Institution')] = { [x('Name')]: text(p.institution) };
  if (p.unit) out[x('Organisationseinheit')] = { [x('Name')]: text(p.unit) };
  return out;
}

function history(h: XdomeaHistoryEntry): Node {
  // Element order as in HistorienProtokollInformationType.
  return {
    ...(h.field !== undefined ? { [x('MetadatumName')]: text(h.field) } : {}),
    ...(h.oldValue !== undefined ? { [x('MetadatumAlterWert')]: text(h.oldValue) } : {}),
    ...(h.newValue !== undefined ? { [x('MetadatumNeuerWert')]: text(h.newValue) } : {}),
    [x('Akteur')]: text(h.actor),
    [x('DatumUhrzeit')]: dateTime(h.at),
    ...(h.remark ? { [x('Bemerkung')]: text(h.remark) } : {}),
    [x('Aktion')]: text(h.action),
  };
}

function document(d: XdomeaDocument): Node {
  if (!UUID.test(d.id)) throw new Error('a document is identified by a UUID');
  return {
    [x('Identifikation')]: { [x('ID')]: d.id },
    [x('AllgemeineMetadaten')]: { [x('Betreff')]: text(d.subject) },
    ...(d.type ? { [x('Typ')]: text(d.type) } : {}),
    [x('Version')]: d.versions.map((v) => {
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\.[a-z0-9]{1,10})?$/i.test(v.fileName)) throw new Error('a primary document is named <UUID>.<ext>');
      return {
        [x('Nummer')]: String(v.number),
        [x('Format')]: {
          [x('Name')]: { '@_listURI': 'urn:xoev-de:xdomea:codeliste:dateiformat', '@_listVersionID': DATEIFORMAT_LIST_VERSION, code: v.format.code },
          ...(v.format.otherName ? { [x('SonstigerName')]: text(v.format.otherName) } : {}),
          [x('Version')]: text(v.format.version),
          [x('Primaerdokument')]: {
            [x('Dateiname')]: v.fileName,
            [x('DateinameOriginal')]: text(v.originalFileName),
            ...(v.creator ? { [x('Ersteller')]: text(v.creator) } : {}),
            [x('DatumUhrzeit')]: dateTime(v.createdAt),
          },
        },
      };
    }),
  };
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, indentBy: '  ', suppressEmptyNode: false, processEntities: true });

/** The 0503 message as UTF-8 XML text, valid against the xdomea 3.0.0 schema. */
export function buildAussonderung0503(input: Aussonderung0503Input): string {
  const f = input.file;
  for (const id of [input.messageId, f.id, f.procedure.id]) if (!UUID.test(id)) throw new Error('xdomea identifiers are UUIDs');
  if (!DATE.test(f.runtime.begin) || !DATE.test(f.runtime.end) || (f.retentionEnd !== undefined && !DATE.test(f.retentionEnd))) throw new Error('dates are YYYY-MM-DD');
  if (typeof f.retentionYears === 'number' && (!Number.isInteger(f.retentionYears) || f.retentionYears < 0 || f.retentionYears > 65535)) throw new Error('retention is a whole number of years');

  const laufzeit = { [x('Beginn')]: f.runtime.begin, [x('Ende')]: f.runtime.end };
  const message = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    [x(MESSAGE_0503)]: {
      '@_xmlns:xdomea': XDOMEA_NAMESPACE,
      '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      '@_xsi:schemaLocation': SCHEMA_LOCATION,
      [x('Kopf')]: {
        [x('ProzessID')]: input.messageId.toLowerCase(),
        [x('Nachrichtentyp')]: { '@_listURI': 'urn:xoev-de:xdomea:codeliste:nachrichtentyp', '@_listVersionID': '2.0', code: '0503' },
        [x('Erstellungszeitpunkt')]: dateTime(input.createdAt),
        [x('Absender')]: party(input.sender),
        [x('Empfaenger')]: party(input.recipient),
        [x('SendendesSystem')]: {
          ...(input.sendingSystem.instanceId ? { [x('InstanzID')]: text(input.sendingSystem.instanceId) } : {}),
          [x('Produktname')]: text(input.sendingSystem.productName),
          [x('Version')]: text(input.sendingSystem.version),
        },
        // Fixed to 1 by the schema for 0503: the archive confirms the import (0506).
        [x('Importbestaetigung')]: '1',
        [x('RueckmeldungArchivkennung')]: '1',
        [x('Empfangsbestaetigung')]: '1',
      },
      [x('Schriftgutobjekt')]: {
        [x('Akte')]: {
          [x('Identifikation')]: { [x('ID')]: f.id },
          [x('AllgemeineMetadaten')]: {
            [x('Betreff')]: text(f.subject),
            [x('Kennzeichen')]: text(f.reference),
            ...(f.leadUnit ? { [x('Federfuehrung')]: text(f.leadUnit) } : {}),
            // 001: the file exists only in electronic form.
            [x('Medium')]: { '@_listURI': 'urn:xoev-de:xdomea:codeliste:medium', '@_listVersionID': '1.0', code: '001' },
          },
          [x('ArchivspezifischeMetadaten')]: {
            ...(f.retentionYears === undefined ? {} : { [x('Aufbewahrungsdauer')]: f.retentionYears === null ? { [x('Unbefristet')]: '1' } : { [x('AnzahlJahre')]: String(f.retentionYears) } }),
            [x('Aussonderungsart')]: {
              [x('Aussonderungsart')]: { '@_listURI': 'urn:xoev-de:xdomea:codeliste:aussonderungsart', '@_listVersionID': '1.0', code: f.disposal },
            },
            ...(f.retentionEnd ? { [x('Aufbewahrungsende')]: f.retentionEnd } : {}),
          },
          [x('Laufzeit')]: laufzeit,
          [x('Akteninhalt')]: {
            [x('Vorgang')]: {
              [x('Identifikation')]: { [x('ID')]: f.procedure.id },
              [x('AllgemeineMetadaten')]: { [x('Betreff')]: text(f.procedure.subject), [x('Kennzeichen')]: text(f.reference) },
              ...(f.procedure.type ? { [x('Typ')]: text(f.procedure.type) } : {}),
              // zdA: the procedure is finished ("zu den Akten").
              [x('ZdA')]: '1',
              [x('ZdADatum')]: f.runtime.end,
              [x('Laufzeit')]: laufzeit,
              ...(f.procedure.history.length > 0 ? { [x('HistorienProtokollInformation')]: f.procedure.history.map(history) } : {}),
              ...(f.procedure.documents.length > 0 ? { [x('Dokument')]: f.procedure.documents.map(document) } : {}),
            },
          },
        },
      },
    },
  };
  return builder.build(message) as string;
}
