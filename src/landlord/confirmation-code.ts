import { createHash, randomInt } from 'node:crypto';

/**
 * The code a landlord hands to the tenant after confirming online: 10 characters of Crockford's
 * base32 (no I, L, O, U: nothing to confuse when read aloud or typed from paper), 9 random (45
 * bits) and a check character (Luhn mod 32), shown as `ABCDE-FGH2K`. The check character catches
 * every single mistyped character and most swapped neighbours before the database is asked, so a
 * typo gets its own message. What is typed is forgiving: lower case, spaces and hyphens are
 * ignored, O reads as 0 and I or L as 1.
 */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const N = CODE_ALPHABET.length;
const DATA_LENGTH = 9;

/** Luhn mod N over the data characters: the character that makes the whole code check out. */
function checkCharacter(data: string): string {
  let sum = 0;
  let factor = 2;
  for (let i = data.length - 1; i >= 0; i--) {
    let addend = factor * CODE_ALPHABET.indexOf(data[i]!);
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / N) + (addend % N);
    sum += addend;
  }
  return CODE_ALPHABET[(N - (sum % N)) % N]!;
}

export function newConfirmationCode(): string {
  let data = '';
  for (let i = 0; i < DATA_LENGTH; i++) data += CODE_ALPHABET[randomInt(N)];
  return data + checkCharacter(data);
}

/** What the person typed, as the code's ten characters (no grouping); may still be wrong. */
export function normaliseCode(input: string): string {
  return input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

export type CodeShape = 'ok' | 'length' | 'characters' | 'typo';

/** Whether the typed text can be a code at all (length, characters, check character). */
export function codeShape(input: string): CodeShape {
  const code = normaliseCode(input);
  if (code.length !== DATA_LENGTH + 1) return 'length';
  if ([...code].some((c) => !CODE_ALPHABET.includes(c))) return 'characters';
  return checkCharacter(code.slice(0, DATA_LENGTH)) === code[DATA_LENGTH] ? 'ok' : 'typo';
}

/** Grouped for reading: `ABCDE-FGH2K`. */
export function formatCode(code: string): string {
  const c = normaliseCode(code);
  return `${c.slice(0, 5)}-${c.slice(5)}`;
}

/** The database keeps only this: a copy of the table hands out no usable code. */
export function hashCode(code: string): string {
  return createHash('sha256').update(`amtsweg-landlord-code:${normaliseCode(code)}`).digest('hex');
}
