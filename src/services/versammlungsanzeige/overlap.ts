import { sql } from 'kysely';
import type { Actor, CaseDeps } from '../../cases/case-deps.ts';
import { staffDepartments } from '../../cases/case-deps.ts';
import type { FormData, RuleContext } from '../../catalogue/service-definition.ts';
import { assemblyEnd, assemblyStart } from './rules.ts';

/**
 * The clerk's warning that another assembly overlaps this one in place and time.
 *
 * Time: the two assemblies' periods (date + start to end date + end, in the city's time zone)
 * overlap, touching ends excluded (one ends at 16:00, the other starts at 16:00: no warning).
 *
 * Place, by normalised text, because the form takes free text, not coordinates. Each assembly's
 * place is a list of "place names": the place of a stationary assembly; the assembly point, the
 * end point and each street of the route of a march (the route split at commas, dashes, arrows,
 * semicolons, slashes, line breaks and the words "über", "bis", "nach", "und"). A name is
 * normalised: lower case, umlauts and accents folded (ä → a, ß → ss), "straße"/"strasse"/"str."
 * as "str", punctuation dropped, leading prepositions and articles ("vor dem", "am", "an der", …)
 * dropped. Two names match when one's words appear, in order and next to each other, in the
 * other's ("marktplatz" in "marktplatz vor dem roten turm", "leipziger str" in "leipziger str
 * 5"); names of fewer than 4 letters never match alone. Two assemblies share a place when any
 * name of one matches any name of the other.
 *
 * The heuristic errs towards warning: "Markt" and "Marktplatz" do not match (different words),
 * but every assembly on a street another march passes does. It only warns; the clerk decides.
 */

const FILLER = new Set(['am', 'an', 'auf', 'bei', 'beim', 'vor', 'hinter', 'neben', 'in', 'im', 'zum', 'zur', 'der', 'die', 'das', 'dem', 'den', 'des', 'ab', 'von', 'vom', 'entlang', 'richtung', 'halle', 'saale']);
const SPLIT = /\s*(?:[,;/\n\r→>]|\s[-–—]\s|[–—]|\bueber\b|\bbis\b|\bnach\b|\bund\b)\s*/;

/** One place name, normalised as above (exported for its test). */
export function normalisePlace(text: string): string {
  const words = text
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/(strasse|str\.)/g, ' str ')
    .replace(/[^a-z0-9\s]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  while (words.length > 0 && FILLER.has(words[0]!)) words.shift();
  return words.join(' ');
}

const str = (d: FormData, k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');

/** The normalised place names of an assembly (exported for its test). */
export function placeNames(data: FormData): string[] {
  const raw = data.kind === 'march' ? [str(data, 'assemblyPoint'), str(data, 'endPoint'), str(data, 'route')] : [str(data, 'place')];
  // "über" spelt out first, so that the split finds it as a word.
  const names = raw.flatMap((r) => r.toLowerCase().replace(/ü/g, 'ue').split(SPLIT)).map(normalisePlace).filter((n) => n.replace(/\s/g, '').length >= 4);
  return [...new Set(names)];
}

function containsWords(outer: string, inner: string): boolean {
  return ` ${outer} `.includes(` ${inner} `);
}

/** True when a name of one list matches a name of the other (exported for its test). */
export function sharePlace(a: readonly string[], b: readonly string[]): boolean {
  return a.some((x) => b.some((y) => containsWords(x, y) || containsWords(y, x)));
}

/** Whether two assemblies overlap in time and share a place, by the rules above. */
export function assembliesOverlap(a: FormData, b: FormData, ctx: Pick<RuleContext, 'timeZone'>): boolean {
  const c = { now: new Date(0), timeZone: ctx.timeZone };
  const [aStart, aEnd, bStart, bEnd] = [assemblyStart(a, c), assemblyEnd(a, c), assemblyStart(b, c), assemblyEnd(b, c)];
  if (!aStart || !aEnd || !bStart || !bEnd) return false;
  if (!(aStart.getTime() < bEnd.getTime() && bStart.getTime() < aEnd.getTime())) return false;
  return sharePlace(placeNames(a), placeNames(b));
}

export interface OverlappingAssembly {
  readonly id: string;
  readonly reference: string;
  readonly state: string;
  readonly formData: FormData;
}

/** States whose assemblies do not take place: they never cause a warning. */
const NOT_TAKING_PLACE = ['withdrawn', 'banned'];

/**
 * Other assemblies of the case's department that overlap it. Ownership is in the query: only
 * cases of the case's department, and only if the actor reads that department's cases. The
 * database narrows by service, state and date range; the rule above decides.
 */
export async function findOverlappingAssemblies(deps: Pick<CaseDeps, 'db' | 'catalogue'>, actor: Actor, caseRow: { id: string; department_id: string; service_id: string; form_data: unknown }): Promise<OverlappingAssembly[]> {
  if (!staffDepartments(actor).includes(caseRow.department_id)) return [];
  const data = caseRow.form_data as FormData;
  const from = str(data, 'date');
  const to = str(data, 'endDate') || from;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to)) return [];
  const candidates = await deps.db
    .selectFrom('cases')
    .select(['id', 'reference', 'state', 'form_data'])
    .where('service_id', '=', caseRow.service_id)
    .where('department_id', '=', caseRow.department_id)
    .where('id', '!=', caseRow.id)
    .where('state', 'not in', NOT_TAKING_PLACE)
    .where('erased_at', 'is', null)
    // Date ranges that meet (the end date may be a day later; times decide in the rule).
    .where(sql<string>`form_data->>'date'`, '<=', to)
    .where(sql<string>`coalesce(nullif(form_data->>'endDate', ''), form_data->>'date')`, '>=', from)
    .orderBy('submitted_at')
    .limit(200)
    .execute();
  const tz = { timeZone: deps.catalogue.city.timeZone };
  return candidates.filter((c) => assembliesOverlap(data, c.form_data as FormData, tz)).map((c) => ({ id: c.id, reference: c.reference, state: c.state, formData: c.form_data as FormData }));
}
