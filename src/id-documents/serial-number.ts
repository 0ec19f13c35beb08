import type { Text } from '../catalogue/service-definition.ts';

/**
 * The serial number (Seriennummer, on the passport Passnummer; together "Dokumentennummer") of an
 * ID card or passport: 9 characters from the letters C F G H J K L M N P R T V W X Y Z and the
 * digits — (unverified) the alphabet leaves out vowels and letters that look like digits, as the
 * card's machine-readable zone shows it; a city can correct it here and in migration 0016's check.
 */
const SERIAL_PATTERN = /^[CFGHJKLMNPRTVWXYZ0-9]{9}$/;

/** What staff type or a scanner sends, as stored: upper case, without spaces or hyphens. */
export function normaliseSerial(raw: string): string {
  return raw.replace(/[\s-]+/g, '').toUpperCase();
}

export function isSerialNumber(raw: string): boolean {
  return SERIAL_PATTERN.test(normaliseSerial(raw));
}

export const SERIAL_FORMAT_ERROR: Text = {
  de: 'Die Seriennummer hat 9 Zeichen: Ziffern und die Buchstaben C, F, G, H, J, K, L, M, N, P, R, T, V, W, X, Y, Z (zum Beispiel L01X00T47).',
  en: 'The serial number has 9 characters: digits and the letters C, F, G, H, J, K, L, M, N, P, R, T, V, W, X, Y, Z (for example L01X00T47).',
};

/** The start_production transition's input that carries the serial number. */
export const SERIAL_INPUT = 'serialNumber';
