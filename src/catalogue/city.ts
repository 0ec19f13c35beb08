import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Text } from './service-definition.ts';

/** A municipality's configuration: name, key, departments, per-service overrides. Halle is the default. */
export interface CityConfig {
  readonly id: string;
  readonly name: Text;
  readonly municipalityKey: string;
  readonly referencePrefix: string;
  readonly timeZone: string;
  readonly departments: readonly { readonly id: string; readonly name: Text }[];
  readonly services: Readonly<Record<string, { readonly receivingDepartment?: string; readonly enabled?: boolean }>>;
  readonly contact: Text;
}

export class CityConfigError extends Error {}

const isText = (v: unknown): v is Text =>
  typeof v === 'object' && v !== null && typeof (v as Text).de === 'string' && typeof (v as Text).en === 'string';

export function loadCity(id: string): CityConfig {
  const file = fileURLToPath(new URL(`../../cities/${id}.json`, import.meta.url));
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
  if (problems.length > 0) throw new CityConfigError(`City configuration "${id}" is invalid: ${problems.join('; ')}`);
  return Object.freeze({ ...raw, services: raw.services ?? {} }) as CityConfig;
}
