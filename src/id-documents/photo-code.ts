import type { Text } from '../catalogue/service-definition.ts';

/**
 * The code of the digital photo (Lichtbild-Code). Since 1 May 2025 the photo comes only
 * digitally: a certified photographer uploads it and hands the citizen a slip with a Data-Matrix
 * code and the same code in letters and digits (DOMAIN.md). Its format here is (unverified) an
 * assumption until a city confirms its photo cloud's: 12 characters from A–Z and 2–9 without the
 * look-alikes I and O, printed in three groups of four (`K7QW-3MXA-9PZD`). People type it with or
 * without the hyphens and in either case; a hand-held scanner reading the Data-Matrix sends it as
 * typed text, so both arrive in the same field.
 */
const PHOTO_CODE = /^[A-HJ-NP-Z2-9]{12}$/;

/** The code as stored: upper case, without spaces or hyphens. */
export function normalisePhotoCode(raw: string): string {
  return raw.replace(/[\s-]+/g, '').toUpperCase();
}

/** The code grouped as printed on the slip: `K7QW-3MXA-9PZD`. */
export function formatPhotoCode(raw: string): string {
  const code = normalisePhotoCode(raw);
  return PHOTO_CODE.test(code) ? code.match(/.{4}/g)!.join('-') : raw;
}

/** Why this is not a photo code, or undefined when it is one. */
export function photoCodeProblem(raw: string): Text | undefined {
  const code = normalisePhotoCode(raw);
  if (PHOTO_CODE.test(code)) return undefined;
  if (/[^A-Z0-9]/.test(code)) {
    return {
      de: 'Der Lichtbild-Code enthält nur Buchstaben und Ziffern (Bindestriche und Leerzeichen dürfen Sie weglassen), zum Beispiel K7QW-3MXA-9PZD.',
      en: 'The photo code contains only letters and digits (you may leave out hyphens and spaces), for example K7QW-3MXA-9PZD.',
    };
  }
  if (/[IO01]/.test(code)) {
    return {
      de: 'Im Lichtbild-Code kommen die Zeichen I, O, 0 und 1 nicht vor. Bitte vergleichen Sie die Eingabe mit dem Beleg Ihres Fotostudios (vielleicht ist eine 0 ein Q oder D, eine 1 ein L oder eine 7).',
      en: 'The photo code never contains I, O, 0 or 1. Please compare your entry with the slip from your photo studio (a 0 may be a Q or D, a 1 an L or a 7).',
    };
  }
  return {
    de: `Der Lichtbild-Code hat 12 Zeichen, Sie haben ${code.length} eingegeben. Er steht unter dem Data-Matrix-Code auf dem Beleg Ihres Fotostudios, zum Beispiel K7QW-3MXA-9PZD.`,
    en: `The photo code has 12 characters; you entered ${code.length}. It is printed below the Data Matrix code on the slip from your photo studio, for example K7QW-3MXA-9PZD.`,
  };
}
