import type { FieldError, FormData } from '../../catalogue/service-definition.ts';
import { isCalendarDate } from '../../platform/i18n/time.ts';
import { addressZoneErrors, vehicleErrors } from '../anwohnerparkausweis/rules.ts';

/**
 * Changing an existing Bewohnerparkausweis: a new number plate, or a new address in the same zone.
 * The zone and plate rules are the permit's own (`anwohnerparkausweis/rules.ts`).
 */

const list = (data: FormData, key: string): string[] => {
  const v = data[key];
  return Array.isArray(v) ? v : typeof v === 'string' && v !== '' ? [v] : [];
};

export const changesVehicle = (data: FormData): boolean => list(data, 'changes').includes('vehicle');
export const changesAddress = (data: FormData): boolean => list(data, 'changes').includes('address');

/**
 * The permit number as printed on the permit: letters, digits, hyphens and slashes, 3 to 30
 * characters (unverified: the city's own numbering).
 */
export function isPermitNumber(value: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9 /-]{1,28}[A-Za-z0-9]$/.test(value.trim());
}

/**
 * The permit page: the permit number's format, and the registered address in the permit's zone,
 * whatever changes. A move into another zone needs a new permit (unverified), and the error says so.
 * Errors name the zone field, because the confirmed address cannot be edited on the form.
 */
export function validatePermitPage(data: FormData): FieldError[] {
  const errors: FieldError[] = [];
  const number = typeof data.permitNumber === 'string' ? data.permitNumber : '';
  if (number !== '' && !isPermitNumber(number))
    errors.push({ field: 'permitNumber', message: { de: 'Bitte geben Sie die Ausweisnummer so an, wie sie auf Ihrem Ausweis steht, z. B. BP-2025-01234.', en: 'Enter the permit number as shown on your permit, for example BP-2025-01234.' } });
  for (const e of addressZoneErrors(data))
    errors.push({
      field: e.field,
      message: {
        de: `${e.message.de} Wenn Sie in eine andere Zone gezogen sind, beantragen Sie bitte einen neuen Bewohnerparkausweis statt einer Änderung.`,
        en: `${e.message.en} If you have moved into another zone, please apply for a new resident parking permit instead of a change.`,
      },
    });
  return errors;
}

export function validateNewVehiclePage(data: FormData): FieldError[] {
  return changesVehicle(data) ? vehicleErrors(data) : [];
}

/** A date a clerk typed (the staff form's inputs are text): `2027-03-31` or `31.03.2027` → ISO, else undefined. */
export function isoDateFromInput(value: string | undefined): string | undefined {
  const text = (value ?? '').trim();
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
  const iso = german ? `${german[3]}-${german[2]!.padStart(2, '0')}-${german[1]!.padStart(2, '0')}` : text;
  return isCalendarDate(iso) ? iso : undefined;
}

/**
 * The clerk's "valid until" for the changed permit: the old permit's end, a real date after today.
 * Compared with the UTC date of `now`: the guard has no time zone, and a day's slack is harmless.
 */
export function validUntilRefusal(input: Record<string, string>, now: Date): { de: string; en: string } | undefined {
  const value = isoDateFromInput(input.validUntil);
  if (!value || value <= now.toISOString().slice(0, 10))
    return { de: 'Bitte geben Sie das bisherige Ablaufdatum des Ausweises als Datum in der Zukunft an, z. B. 31.03.2027.', en: 'Enter the permit’s current expiry date, a date in the future, for example 31.03.2027.' };
  return undefined;
}
