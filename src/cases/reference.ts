/**
 * Human case references with a check digit: `HAL-2026-000123-7`.
 * The check digit is the Damm algorithm over the year and number: it catches every single-digit
 * error and every swap of two adjacent digits, the two mistakes people make when reading a
 * reference out on the phone.
 */
const DAMM = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

export function dammDigit(digits: string): number {
  let interim = 0;
  for (const ch of digits) interim = DAMM[interim]![Number(ch)]!;
  return interim;
}

export function formatReference(prefix: string, year: number, number: number): string {
  const n = String(number).padStart(6, '0');
  return `${prefix}-${year}-${n}-${dammDigit(`${year}${n}`)}`;
}

/** Normalises what a person typed (spaces, lower case, missing dashes); undefined when it cannot be a reference. */
export function parseReference(input: string): string | undefined {
  const compact = input.toUpperCase().replace(/[\s\-–_.]/g, '');
  const m = /^([A-Z]{2,5})(\d{4})(\d{6,})(\d)$/.exec(compact);
  if (!m) return undefined;
  const [, prefix, year, number, check] = m;
  if (dammDigit(`${year}${number}`) !== Number(check)) return undefined;
  return `${prefix}-${year}-${number}-${check}`;
}
