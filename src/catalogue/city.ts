import { readFileSync } from 'node:fs';
import type { Text } from './service-definition.ts';
import { tradeOfficeProblems, tradeRecipientProblems, type TradeOfficeContact, type TradeRecipient } from '../trade/recipients.ts';
import { appPath } from '../platform/app-paths.ts';

/** A municipality's configuration: name, key, departments, per-service overrides. Halle is the default. */
export interface CityConfig {
  readonly id: string;
  readonly name: Text;
  readonly municipalityKey: string;
  readonly referencePrefix: string;
  readonly timeZone: string;
  readonly departments: readonly { readonly id: string; readonly name: Text }[];
  readonly services: Readonly<Record<string, { readonly receivingDepartment?: string; readonly enabled?: boolean; readonly externalAuthority?: ExternalAuthorityConfig }>>;
  readonly contact: Text;
  /** Offices where people come in person (appointments, ADR 0018); none when not given. */
  readonly locations: readonly CityLocation[];
  /** Offices that receive the XGewerbeanzeige messages of accepted trade notices (src/trade/recipients.ts); none when not given. */
  readonly tradeRecipients: readonly TradeRecipient[];
  /** The trade office's contact details in those messages; optional. */
  readonly tradeOffice?: TradeOfficeContact;
}

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
type Weekday = (typeof WEEKDAYS)[number];

/** An office with its opening hours (wall-clock times in the city's time zone). */
export interface CityLocation {
  readonly id: string;
  readonly name: Text;
  readonly address: string;
  /** The department that runs it: its staff see the day's appointments. */
  readonly departmentId: string;
  /** Per weekday, the opening intervals as [from, to] in `HH:MM`; a missing day is closed. */
  readonly openingHours: Readonly<Partial<Record<Weekday, readonly (readonly [string, string])[]>>>;
  /** Days the office is closed although its weekday is open (`YYYY-MM-DD`). */
  readonly closedDates: readonly string[];
}

/**
 * An authority outside the city that handles a service instead of a city department (e.g. the
 * police for assemblies, ADR 0023): each case is forwarded to `endpoint` and the authority's
 * answers come back signed. The shared secret is never in this file: `secretEnv` names the
 * environment variable that holds it, read and checked at start-up.
 */
export interface ExternalAuthorityConfig {
  readonly id: string;
  readonly name: Text;
  /** Where notices are POSTed (http or https; https in production). */
  readonly endpoint: string;
  /** The body the authority takes: JSON (default) or XML. */
  readonly format?: 'json' | 'xml';
  /** Name of the environment variable with the shared HMAC secret (at least 32 characters). */
  readonly secretEnv: string;
  /** Retries after a failed delivery (default 10) and the first delay in seconds, doubling (default 60). */
  readonly retryLimit?: number;
  readonly retryDelaySeconds?: number;
  /** How long one delivery attempt may take (default 15 s). */
  readonly timeoutSeconds?: number;
}

class CityConfigError extends Error {}

const isText = (v: unknown): v is Text =>
  typeof v === 'object' && v !== null && typeof (v as Text).de === 'string' && typeof (v as Text).en === 'string';

export function loadCity(id: string): CityConfig {
  const file = appPath('cities', `${id}.json`);
  let raw: any;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CityConfigError(`City configuration "${id}" could not be read from ${file}: ${(err as Error).message}`);
  }
  const problems: string[] = [];
  if (raw.id !== id) problems.push(`id must be "${id}"`);
  if (!isText(raw.name)) problems.push('name needs de and en');
  if (!/^\d{8}$/.test(String(raw.municipalityKey))) problems.push('municipalityKey must be the 8-digit AGS');
  if (!/^[A-Z]{2,5}$/.test(String(raw.referencePrefix))) problems.push('referencePrefix must be 2–5 capital letters');
  try {
    new Intl.DateTimeFormat('de-DE', { timeZone: raw.timeZone });
  } catch {
    problems.push(`timeZone "${raw.timeZone}" is not a known time zone`);
  }
  if (!Array.isArray(raw.departments) || raw.departments.length === 0) problems.push('departments must list at least one department');
  else
    for (const d of raw.departments)
      if (typeof d.id !== 'string' || !/^[a-z0-9_-]+$/.test(d.id) || !isText(d.name)) problems.push(`department ${JSON.stringify(d.id)} needs an id and a name in de and en`);
  if (!isText(raw.contact)) problems.push('contact needs de and en');
  problems.push(...locationProblems(raw.locations, Array.isArray(raw.departments) ? raw.departments.map((d: { id?: unknown }) => d.id) : []));
  for (const [serviceId, settings] of Object.entries((raw.services ?? {}) as Record<string, { externalAuthority?: unknown }>))
    if (settings?.externalAuthority !== undefined) problems.push(...externalAuthorityProblems(settings.externalAuthority).map((p) => `services.${serviceId}.externalAuthority: ${p}`));
  problems.push(...tradeRecipientProblems(raw.tradeRecipients), ...tradeOfficeProblems(raw.tradeOffice));
  if (problems.length > 0) throw new CityConfigError(`City configuration "${id}" is invalid: ${problems.join('; ')}`);
  const locations = ((raw.locations ?? []) as CityLocation[]).map((l) => Object.freeze({ ...l, closedDates: l.closedDates ?? [] }));
  return Object.freeze({ ...raw, services: raw.services ?? {}, locations, tradeRecipients: raw.tradeRecipients ?? [] }) as CityConfig;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Problems with the `locations` of a city configuration (exported for its test). */
export function locationProblems(locations: unknown, departments: readonly unknown[]): string[] {
  if (locations === undefined) return [];
  if (!Array.isArray(locations)) return ['locations must be a list'];
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const l of locations as any[]) {
    const where = `location ${JSON.stringify(l?.id)}`;
    if (typeof l?.id !== 'string' || !/^[a-z0-9_-]+$/.test(l.id)) problems.push(`${where}: id must use a-z, 0-9, _ or -`);
    else if (ids.has(l.id)) problems.push(`${where}: id is used twice`);
    else ids.add(l.id);
    if (!isText(l?.name)) problems.push(`${where}: name needs de and en`);
    if (typeof l?.address !== 'string' || l.address.trim() === '') problems.push(`${where}: address missing`);
    if (!departments.includes(l?.departmentId)) problems.push(`${where}: department ${JSON.stringify(l?.departmentId)} is not one of the city's departments`);
    const hours = l?.openingHours;
    if (typeof hours !== 'object' || hours === null) problems.push(`${where}: openingHours missing`);
    else
      for (const [day, intervals] of Object.entries(hours)) {
        if (!(WEEKDAYS as readonly string[]).includes(day)) problems.push(`${where}: openingHours day "${day}" must be one of ${WEEKDAYS.join(', ')}`);
        if (!Array.isArray(intervals)) {
          problems.push(`${where}: openingHours.${day} must be a list of [from, to]`);
          continue;
        }
        let previousEnd = '';
        for (const iv of intervals as unknown[]) {
          const ok = Array.isArray(iv) && iv.length === 2 && HHMM.test(String(iv[0])) && HHMM.test(String(iv[1])) && String(iv[0]) < String(iv[1]);
          if (!ok) problems.push(`${where}: openingHours.${day} interval ${JSON.stringify(iv)} must be ["HH:MM", "HH:MM"] with from before to`);
          else if (String(iv[0]) < previousEnd) problems.push(`${where}: openingHours.${day} intervals overlap or are out of order`);
          if (ok) previousEnd = String(iv[1]);
        }
      }
    if (l?.closedDates !== undefined && (!Array.isArray(l.closedDates) || l.closedDates.some((d: unknown) => typeof d !== 'string' || !DAY.test(d))))
      problems.push(`${where}: closedDates must be a list of YYYY-MM-DD`);
  }
  return problems;
}

const whole = (v: unknown, min: number, max: number) => v === undefined || (Number.isInteger(v) && (v as number) >= min && (v as number) <= max);

/** Problems with a service's `externalAuthority` (exported for its test). */
export function externalAuthorityProblems(a: any): string[] {
  if (typeof a !== 'object' || a === null) return ['must be an object'];
  const problems: string[] = [];
  if (typeof a.id !== 'string' || !/^[a-z0-9_-]+$/.test(a.id)) problems.push('id must use a-z, 0-9, _ or -');
  if (!isText(a.name)) problems.push('name needs de and en');
  let url: URL | undefined;
  try {
    url = new URL(String(a.endpoint));
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) problems.push('endpoint must be an http(s) URL');
  else if (url.username || url.password) problems.push('endpoint must not carry credentials (the secret goes in secretEnv)');
  if (a.format !== undefined && a.format !== 'json' && a.format !== 'xml') problems.push('format must be "json" or "xml"');
  if (typeof a.secretEnv !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(a.secretEnv)) problems.push('secretEnv must name an environment variable (A-Z, 0-9, _)');
  if (!whole(a.retryLimit, 0, 50)) problems.push('retryLimit must be a whole number from 0 to 50');
  if (!whole(a.retryDelaySeconds, 1, 86_400)) problems.push('retryDelaySeconds must be a whole number from 1 to 86400');
  if (!whole(a.timeoutSeconds, 1, 120)) problems.push('timeoutSeconds must be a whole number from 1 to 120');
  return problems;
}
