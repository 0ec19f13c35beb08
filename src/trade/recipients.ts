import type { Text } from '../catalogue/service-definition.ts';
import type { TradeNotice } from './trade-notice.ts';

/**
 * The offices a trade office forwards notices to (DOMAIN.md, GewO § 14 and the GewAnzV): each
 * kind with its XGewerbeanzeige message (root `<prefix>.gewerbemeldung.<code>`) and the rule
 * that says when a notice goes there. Which office of a kind serves the city, and where its
 * endpoint is, is city configuration (`tradeRecipients` in cities/<id>.json).
 */
const RECIPIENT_KINDS = ['sta', 'fa', 'ihk', 'hwk', 'bg', 'abh', 'rg', 'zoll', 'eich'] as const;
export type RecipientKind = (typeof RECIPIENT_KINDS)[number];

export interface RecipientKindSpec {
  readonly kind: RecipientKind;
  readonly label: Text;
  /** Root element prefix and message code. `sta` 0100 and `abh` 0500 are in DOMAIN.md; the others are (unverified). */
  readonly prefix: string;
  readonly code: string;
  /** DVDV prefix of the reader (`leser/behoerdenkennung/praefix`); (unverified) except `azr` for the foreigners' authority (sample). */
  readonly readerPrefix: string;
  /** Does this notice go to this kind of office? */
  readonly receives: (notice: TradeNotice) => boolean;
}

/** EU and EEA states and Switzerland (ISO 3166-1 alpha-2): their nationals need no residence title for a trade. */
const EU_EEA_CH = new Set(
  'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO CH'.split(' '),
);

/** A nationality (alpha-2) outside the EU, the EEA and Switzerland; an empty or unknown value is not judged here. */
export function isThirdCountry(nationality: string | undefined): boolean {
  const n = (nationality ?? '').trim().toUpperCase();
  return /^[A-Z]{2}$/.test(n) && !EU_EEA_CH.has(n);
}

const hasCraft = (n: TradeNotice) => n.businessType.includes('handwerk') || n.craftAnnex === 'a' || n.craftAnnex === 'b';
const hasNonCraft = (n: TradeNotice) => n.businessType.some((t) => t !== 'handwerk') || n.businessType.length === 0;

const RECIPIENT_KIND_SPECS: readonly RecipientKindSpec[] = [
  { kind: 'sta', label: { de: 'Statistisches Landesamt', en: 'State statistics office' }, prefix: 'sta', code: '0100', readerPrefix: 'xga', receives: () => true },
  { kind: 'fa', label: { de: 'Finanzamt', en: 'Tax office' }, prefix: 'fa', code: '0200', readerPrefix: 'xga', receives: () => true },
  // Crafts belong to the chamber of crafts, everything else to the chamber of commerce; a mixed business to both.
  { kind: 'ihk', label: { de: 'Industrie- und Handelskammer', en: 'Chamber of commerce (IHK)' }, prefix: 'ihk', code: '0300', readerPrefix: 'xga', receives: hasNonCraft },
  { kind: 'hwk', label: { de: 'Handwerkskammer', en: 'Chamber of crafts (HWK)' }, prefix: 'hwk', code: '0400', readerPrefix: 'xga', receives: hasCraft },
  { kind: 'bg', label: { de: 'Gesetzliche Unfallversicherung (Berufsgenossenschaft)', en: 'Statutory accident insurance' }, prefix: 'bg', code: '0600', readerPrefix: 'xga', receives: () => true },
  { kind: 'abh', label: { de: 'Ausländerbehörde', en: "Foreigners' authority" }, prefix: 'abh', code: '0500', readerPrefix: 'azr', receives: (n) => n.persons.some((p) => isThirdCountry(p.nationality)) },
  { kind: 'rg', label: { de: 'Registergericht', en: 'Registry court' }, prefix: 'rg', code: '0700', readerPrefix: 'xga', receives: (n) => n.register !== undefined },
  // (unverified) customs and weights-and-measures get notices of the trades that concern them.
  { kind: 'zoll', label: { de: 'Zoll', en: 'Customs' }, prefix: 'zoll', code: '0800', readerPrefix: 'xga', receives: (n) => n.activity.category === 'gaststaette' || n.activity.category === 'grosshandel' },
  { kind: 'eich', label: { de: 'Eichbehörde', en: 'Weights and measures office' }, prefix: 'eich', code: '0900', readerPrefix: 'xga', receives: (n) => n.activity.category === 'einzelhandel' || n.activity.category === 'gaststaette' },
];

export const recipientKindSpec = (kind: RecipientKind): RecipientKindSpec => RECIPIENT_KIND_SPECS.find((s) => s.kind === kind)!;

/** One configured office: `cities/<id>.json` → `tradeRecipients`. */
export interface TradeRecipient {
  /** Stable id, recorded with every delivery. */
  readonly id: string;
  readonly kind: RecipientKind;
  readonly name: string;
  /**
   * Where the XML is POSTed: an https (or, for development, http) URL, or a path beginning with
   * `/` that is resolved against PUBLIC_URL (the bundled development receiver `/api/dev/xgewerbeanzeige/<id>`).
   */
  readonly endpoint: string;
  /** Overrides the kind's message code, should a recipient's code differ. */
  readonly messageCode?: string;
}

/** The configured offices a notice must go to: every kind that receives it, each office of that kind once. */
export function recipientsFor(notice: TradeNotice, configured: readonly TradeRecipient[]): TradeRecipient[] {
  const kinds = new Set(RECIPIENT_KIND_SPECS.filter((s) => s.receives(notice)).map((s) => s.kind));
  return configured.filter((r) => kinds.has(r.kind));
}

/** Kinds a notice needs for which the city has configured no office (shown to staff, never silently dropped). */
export function missingRecipientKinds(notice: TradeNotice, configured: readonly TradeRecipient[]): RecipientKind[] {
  return RECIPIENT_KIND_SPECS.filter((s) => s.receives(notice) && !configured.some((r) => r.kind === s.kind)).map((s) => s.kind);
}

/** Problems with a city configuration's `tradeRecipients` (validated when the city is loaded). */
export function tradeRecipientProblems(raw: unknown): string[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) return ['tradeRecipients must be a list'];
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const r of raw as any[]) {
    const where = `tradeRecipients ${JSON.stringify(r?.id)}`;
    if (typeof r?.id !== 'string' || !/^[a-z0-9_-]{1,40}$/.test(r.id)) problems.push(`${where}: id must use a-z, 0-9, _ or - (at most 40)`);
    else if (ids.has(r.id)) problems.push(`${where}: id is used twice`);
    else ids.add(r.id);
    if (!(RECIPIENT_KINDS as readonly string[]).includes(r?.kind)) problems.push(`${where}: kind must be one of ${RECIPIENT_KINDS.join(', ')}`);
    if (typeof r?.name !== 'string' || r.name.trim() === '' || r.name.length > 200) problems.push(`${where}: name missing (at most 200 characters)`);
    if (r?.messageCode !== undefined && !/^\d{4}$/.test(String(r.messageCode))) problems.push(`${where}: messageCode must be four digits`);
    const endpoint = r?.endpoint;
    if (typeof endpoint !== 'string' || !isEndpoint(endpoint)) problems.push(`${where}: endpoint must be an http(s) URL or a path beginning with / (resolved against PUBLIC_URL)`);
  }
  return problems;
}

function isEndpoint(value: string): boolean {
  if (/^\/[A-Za-z0-9/_.-]*$/.test(value) && !value.startsWith('//')) return true;
  try {
    const u = new URL(value);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** The URL a delivery is POSTed to. */
export function endpointUrl(endpoint: string, publicUrl: string): URL {
  return endpoint.startsWith('/') ? new URL(endpoint, publicUrl) : new URL(endpoint);
}

/** The trade office's contact details, as the author of every message (`tradeOffice` in the city configuration). */
export interface TradeOfficeContact {
  readonly email?: string;
  readonly phone?: string;
  readonly street: string;
  readonly houseNumber: string;
  readonly postcode: string;
  readonly town: string;
}

export function tradeOfficeProblems(raw: unknown): string[] {
  if (raw === undefined) return [];
  const o = raw as Record<string, unknown> | null;
  if (typeof o !== 'object' || o === null) return ['tradeOffice must be an object'];
  const problems: string[] = [];
  for (const k of ['street', 'houseNumber', 'postcode', 'town']) if (typeof o[k] !== 'string' || (o[k] as string).trim() === '') problems.push(`tradeOffice.${k} missing`);
  if (o.email !== undefined && (typeof o.email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(o.email))) problems.push('tradeOffice.email must be an e-mail address');
  if (o.phone !== undefined && typeof o.phone !== 'string') problems.push('tradeOffice.phone must be text');
  return problems;
}
