import { XMLBuilder } from 'fast-xml-parser';
import { recipientKindSpec, type RecipientKind } from './recipients.ts';
import type { PostalAddress, TradeNotice, TradePerson } from './trade-notice.ts';

/**
 * XGewerbeanzeige 2.2 messages `<prefix>.gewerbemeldung.<code>` (DOMAIN.md): one per notice and
 * recipient. Element names and their order follow KoSIT's valid samples in
 * `../shared/standards/xgewerbeanzeige/` (Anmeldung: 2.2 sample; Abmeldung: 2.1 sample, same
 * elements); the Ummeldung's own elements are not in a sample and are (unverified). Code values
 * that the samples do not show are (unverified) and kept in the tables below, so they are
 * corrected in one place.
 *
 * Built with fast-xml-parser's builder from ordered objects: every text is escaped, characters
 * XML 1.0 forbids are dropped first.
 */
export const XGEWERBEANZEIGE_NAMESPACE = 'http://www.xgewerbeanzeige.de/spezifikation/2.2';
const NS = 'xga';

/** The trade office that writes the message (`autor`): MELDID + AGS, from the city configuration. */
interface TradeOfficeAuthor {
  /** Amtlicher Gemeindeschlüssel, 8 digits. */
  readonly municipalityKey: string;
  /** e.g. "Gewerbeamt, Stadt Halle (Saale)" */
  readonly name: string;
  readonly email?: string;
  readonly phone?: string;
  readonly address?: PostalAddress;
}

export interface MessageReader {
  readonly kind: RecipientKind;
  readonly name: string;
  /** The reader's identifier after its DVDV prefix (configured; defaults to the recipient id). */
  readonly readerId: string;
  /** Absolute endpoint, given as the reader's channel 09 (URL) when known. */
  readonly url?: string;
  readonly messageCode?: string;
}

export interface GewerbemeldungInput {
  readonly notice: TradeNotice;
  readonly reader: MessageReader;
  readonly author: TradeOfficeAuthor;
  /** nachrichtenUUID: fixed per delivery, so a repeated delivery is recognisably the same message. */
  readonly messageId: string;
  /** The record's uuid: the same in every recipient's message of one notice. */
  readonly recordId: string;
  /** gewerbebetriebID */
  readonly businessId: string;
  /** The case reference (gemeindeMeldungNr). */
  readonly reference: string;
  readonly createdAt: Date;
  /** When the office accepted the notice (ereigniszeitpunkt). */
  readonly eventAt: Date;
  /** When the citizen filed it (datumMeldung). */
  readonly submittedAt: Date;
  readonly timeZone: string;
}

/* ---------- code tables ---------- */

/** rechtsformSchluessel: 170 (e. K.) and 180 (Einzelunternehmen) as in the samples; the rest (unverified). */
const LEGAL_FORM_CODES: Record<string, string> = { einzelunternehmen: '180', ek: '170', gbr: '140', ohg: '110', kg: '120', gmbh: '320', ug: '321', ag: '310', sonstige: '900' };
/** eintragungArt: A as in the sample for HRA; the rest (unverified). */
const REGISTER_CODES: Record<string, string> = { HRA: 'A', HRB: 'B', GnR: 'G', PR: 'P', VR: 'V' };
/** niederlassungArt: 1 (Hauptniederlassung) as in the samples; the rest (unverified). */
const BRANCH_CODES: Record<string, string> = { haupt: '1', zweig: '2', unselbst: '3' };
/** geschlecht: 1 (male) as in the samples; the rest (unverified). */
const GENDER_CODES: Record<string, string> = { m: '1', w: '2', d: '3', x: '4' };
/** grundAbmeldungSchluessel (unverified; the 2.1 sample shows 04). */
export const END_REASONS = [
  { value: '01', label: { de: 'Vollständige Aufgabe des Betriebes', en: 'The business closes completely' } },
  { value: '02', label: { de: 'Verlegung in einen anderen Meldebezirk', en: 'Move to another municipality' } },
  { value: '03', label: { de: 'Wechsel der Rechtsform', en: 'Change of legal form' } },
  { value: '04', label: { de: 'Übergabe an andere (Verkauf, Verpachtung, Erbfolge)', en: 'Handed over (sale, lease, inheritance)' } },
  { value: '05', label: { de: 'Austritt als Gesellschafterin oder Gesellschafter', en: 'Leaving as a partner' } },
] as const;
/** ursacheAbmeldungSchluessel (unverified; the 2.1 sample shows 17). */
export const END_CAUSES = [
  { value: '11', label: { de: 'Wirtschaftliche Schwierigkeiten', en: 'Economic difficulties' } },
  { value: '12', label: { de: 'Insolvenzverfahren', en: 'Insolvency proceedings' } },
  { value: '13', label: { de: 'Ruhestand oder Alter', en: 'Retirement or age' } },
  { value: '14', label: { de: 'Krankheit', en: 'Illness' } },
  { value: '17', label: { de: 'Sonstige Gründe', en: 'Other reasons' } },
] as const;
/**
 * staatsangehoerigkeitSchluessel (Destatis): 000 Germany and 332 Chile as in the samples; the
 * others (unverified). An unknown nationality is sent as 998 (unverified: "ungeklärt").
 */
const NATIONALITY_CODES: Record<string, string> = {
  DE: '000', PL: '152', TR: '163', IT: '137', FR: '129', AT: '151', NL: '148', ES: '161', GR: '134', RO: '154', BG: '125',
  UA: '166', RU: '160', SY: '475', AF: '423', IQ: '438', IR: '439', VN: '432', CN: '479', IN: '436', US: '368', CL: '332',
};

/* ---------- helpers ---------- */

/** Drops characters XML 1.0 does not allow; the builder escapes the rest. */
const clean = (s: string): string => s.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '').trim();
const el = (name: string) => `${NS}:${name}`;
const code = (value: string, attrs: Record<string, string> = {}) => ({ ...Object.fromEntries(Object.entries(attrs).map(([k, v]) => [`@_${k}`, v])), code: value });
const flag = (b: boolean) => code(b ? '1' : '0');
/** xs:dateTime without milliseconds, in UTC. */
const dateTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, '+00:00');
const localDate = (d: Date, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
/** The samples write geburtsdatum as DDMMYYYY. */
const birthDate = (iso: string) => (/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso.slice(8, 10)}${iso.slice(5, 7)}${iso.slice(0, 4)}` : '');

/** Adds `name: value` to an ordered object when the value is present. */
function put(target: Record<string, unknown>, name: string, value: unknown): void {
  if (value === undefined || value === null || value === '') return;
  target[el(name)] = typeof value === 'string' ? clean(value) : value;
}

function behoerdenkennung(prefix: string, id: string, idAttrs: Record<string, string> = {}) {
  return { [el('praefix')]: code(prefix, { listVersionID: '7' }), [el('kennung')]: code(id, idAttrs) };
}

function officeAnschrift(a: PostalAddress) {
  const o: Record<string, unknown> = {};
  put(o, 'strasse', a.street);
  put(o, 'hausNr', a.houseNumber);
  put(o, 'ort', a.town);
  put(o, 'plz', a.postcode);
  return o;
}

/** Street address as in `gewerbe/anschrift` and `beteiligtePerson/anschrift` (nationSchluessel 276: Germany). */
function anschrift(a: PostalAddress) {
  const o: Record<string, unknown> = {};
  put(o, 'strasse', a.street);
  put(o, 'hausNrVon', a.houseNumber);
  put(o, 'ort', a.town);
  put(o, 'plz', a.postcode);
  o[el('nationSchluessel')] = code('276', { listVersionID: '2' });
  return o;
}

function erreichbarkeit(kanal: string, kennung: string) {
  return { [el('kanal')]: code(kanal), [el('kennung')]: clean(kennung) };
}

function autor(a: TradeOfficeAuthor) {
  const o: Record<string, unknown> = {
    [el('behoerdenkennung')]: behoerdenkennung('MELDID', a.municipalityKey, { listURI: 'urn:de:bund:destatis:bevoelkerungsstatistik:schluessel:ags', listVersionID: '2018-01-31' }),
  };
  const channels = [...(a.email ? [erreichbarkeit('01', a.email)] : []), ...(a.phone ? [erreichbarkeit('02', a.phone)] : [])];
  if (channels.length > 0) o[el('erreichbarkeit')] = channels;
  if (a.address) o[el('anschrift')] = officeAnschrift(a.address);
  put(o, 'behoerdenname', a.name);
  return o;
}

function leser(r: MessageReader) {
  const spec = recipientKindSpec(r.kind);
  const o: Record<string, unknown> = { [el('behoerdenkennung')]: behoerdenkennung(spec.readerPrefix, r.readerId) };
  if (r.url) o[el('erreichbarkeit')] = [erreichbarkeit('09', r.url)];
  put(o, 'behoerdenname', r.name);
  return o;
}

function betrieb(n: TradeNotice) {
  const o: Record<string, unknown> = { [el('ID')]: '1' };
  if (n.register) {
    put(o, 'eingetragenerName', n.register.name);
    put(o, 'eintragungNr', n.register.number);
    put(o, 'eintragungOrt', n.register.court);
    if (REGISTER_CODES[n.register.type]) o[el('eintragungArt')] = code(REGISTER_CODES[n.register.type]!);
  } else {
    put(o, 'geschaeftsbezeichnung', n.businessName);
  }
  o[el('rechtsformSchluessel')] = code(LEGAL_FORM_CODES[n.legalForm] ?? '900');
  return o;
}

function person(p: TradePerson) {
  const o: Record<string, unknown> = { [el('personFunktion')]: code('1') };
  put(o, 'familienname', p.familyName);
  put(o, 'vorname', p.givenName);
  if (p.gender && GENDER_CODES[p.gender]) o[el('geschlecht')] = code(GENDER_CODES[p.gender]!, { listVersionID: '3' });
  put(o, 'geburtsname', p.birthName);
  put(o, 'geburtsdatum', p.birthDate ? birthDate(p.birthDate) : undefined);
  put(o, 'geburtsort', p.birthPlace);
  if (p.nationality) o[el('staatangehoerigkeiten')] = { [el('staatsangehoerigkeitSchluessel')]: code(NATIONALITY_CODES[p.nationality] ?? '998', { listVersionID: '2019-04-01' }) };
  o[el('anschrift')] = anschrift(p.address);
  const channels = [...(p.email ? [erreichbarkeit('01', p.email)] : []), ...(p.phone ? [erreichbarkeit('02', p.phone)] : [])];
  if (channels.length > 0) o[el('erreichbarkeit')] = channels;
  if (p.residenceTitleAllowsTrade !== undefined) o[el('aufenthaltstitel')] = { [el('status')]: flag(p.residenceTitleAllowsTrade) };
  return o;
}

function gewerbe(n: TradeNotice) {
  const o: Record<string, unknown> = {
    [el('betrieb')]: betrieb(n),
    [el('anzahlVollzeitBeschaeftigte')]: String(n.fullTimeStaff),
    [el('anzahlTeilzeitBeschaeftigte')]: String(n.partTimeStaff),
    [el('betriebArt')]: {
      [el('industrie')]: flag(n.businessType.includes('industrie')),
      [el('handwerk')]: flag(n.businessType.includes('handwerk')),
      [el('handel')]: flag(n.businessType.includes('handel')),
      [el('sonstiges')]: flag(n.businessType.includes('sonstiges')),
    },
    [el('niederlassungArt')]: code(BRANCH_CODES[n.branchType] ?? '1'),
    [el('istReisegewerbe')]: flag(false),
    [el('istNebenerwerb')]: flag(n.sideBusiness),
  };
  if (n.craftAnnex === 'a') o[el('handwerkskarte')] = { [el('status')]: flag(n.permitStatus === 'yes') };
  o[el('anschrift')] = anschrift(n.businessAddress);
  o[el('beteiligtePerson')] = n.persons.map(person);
  return o;
}

function taetigkeiten(n: TradeNotice) {
  const schwerpunkt: Record<string, unknown> = {};
  put(schwerpunkt, 'taetigkeitSchwerpunkt', n.activity.description);
  put(schwerpunkt, 'taetigkeitSchluessel', n.activity.wzKey);
  return { [el('schwerpunkt')]: schwerpunkt };
}

/** The root element's name for a recipient: `sta.gewerbemeldung.0100`. */
export function messageRootName(kind: RecipientKind, messageCode?: string): string {
  const spec = recipientKindSpec(kind);
  return `${spec.prefix}.gewerbemeldung.${messageCode ?? spec.code}`;
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, indentBy: '  ', suppressEmptyNode: false, processEntities: true });

/** One message as UTF-8 XML text. */
export function buildGewerbemeldung(input: GewerbemeldungInput): string {
  const { notice: n } = input;
  const messageCode = input.reader.messageCode ?? recipientKindSpec(input.reader.kind).code;
  const satz: Record<string, unknown> = {
    [el('satzErstellung')]: dateTime(input.createdAt),
    [el('ereigniszeitpunkt')]: dateTime(input.eventAt),
    [el('autor')]: autor(input.author),
    [el('istKorrektur')]: flag(false),
    [el('gemeindeSchluessel')]: code(input.author.municipalityKey, { listVersionID: '2019-05-31' }),
  };
  put(satz, 'gemeindeMeldungNr', input.reference);
  put(satz, 'gewerbebetriebID', input.businessId);
  put(satz, 'uuid', input.recordId);
  satz[el('gewerbe')] = gewerbe(n);
  put(satz, 'gueltigAb', n.effectiveDate);
  put(satz, 'datumMeldung', localDate(input.submittedAt, input.timeZone));
  satz[el('taetigkeitenGesamt')] = taetigkeiten(n);
  if (n.kind === 'anmeldung') satz[el('grundAnmeldungSchluessel')] = code(n.reason || '01');
  if (n.kind === 'abmeldung') {
    satz[el('grundAbmeldungSchluessel')] = code(n.reason || '01');
    if (n.cause) satz[el('ursacheAbmeldungSchluessel')] = code(n.cause);
  }
  if (n.kind === 'ummeldung') {
    // (unverified) no Ummeldung sample: the change is stated as the earlier address and activity.
    if (n.change?.previousAddress) satz[el('anschriftAlt')] = anschrift(n.change.previousAddress);
    if (n.change?.previousActivity) satz[el('taetigkeitAlt')] = { [el('taetigkeitSchwerpunkt')]: clean(n.change.previousActivity.description) };
  }
  const message = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    [el(messageRootName(input.reader.kind, messageCode))]: {
      [`@_xmlns:${NS}`]: XGEWERBEANZEIGE_NAMESPACE,
      '@_produkt': 'Amtsweg',
      '@_produkthersteller': 'Amtsweg',
      '@_produktversion': '0.1.0',
      '@_standard': 'XGewerbeanzeige',
      '@_version': '2.2',
      [el('nachrichtenkopf')]: {
        [el('identifikation.nachricht')]: {
          [el('nachrichtenUUID')]: input.messageId,
          [el('nachrichtentyp')]: code(messageCode),
          [el('erstellungszeitpunkt')]: dateTime(input.createdAt),
        },
        [el('leser')]: leser(input.reader),
        [el('autor')]: autor(input.author),
      },
      [el('satz')]: { [el(n.kind)]: satz },
    },
  };
  return builder.build(message) as string;
}
