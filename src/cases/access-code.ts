import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * Access codes for anonymous cases: 10 characters from an alphabet without look-alikes
 * (no 0/O, 1/I/L), about 50 bits of randomness, shown as `ABCDE-FGHJK`. Stored only as a
 * SHA-256 hash: the code is random and long enough that a fast hash is safe, and lookups
 * are rate-limited besides.
 */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

export function newAccessCode(): string {
  let code = '';
  for (let i = 0; i < 10; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

function normaliseAccessCode(input: string): string {
  return input.toUpperCase().replace(/[^A-Z0-9]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

export function hashAccessCode(code: string): string {
  return createHash('sha256').update(`amtsweg-access:${normaliseAccessCode(code)}`).digest('hex');
}

/** Constant-time comparison; with `storedHash` undefined it still does the same work. */
export function accessCodeMatches(input: string, storedHash: string | undefined): boolean {
  const given = Buffer.from(hashAccessCode(input), 'hex');
  const stored = Buffer.from(storedHash ?? '0'.repeat(64), 'hex');
  return timingSafeEqual(given, stored) && storedHash !== undefined;
}
