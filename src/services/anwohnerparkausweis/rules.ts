import type { Choice, FeeBreakdown, FieldError, FormData, Text } from '../../catalogue/service-definition.ts';
import { zonedToday } from '../../platform/i18n/time.ts';

/**
 * The rules of the Bewohnerparkausweis (resident parking permit, § 45 Abs. 1b Nr. 2a StVO):
 * the zones, the vehicle registration number, the address in the zone and the fee. Pure functions
 * of the form data, shared with `bewohnerparken-aenderung`.
 */

const str = (data: FormData, key: string): string => {
  const v = data[key];
  return typeof v === 'string' ? v.trim() : '';
};

/**
 * The city's Bewohnerparkzonen with the postcodes their streets lie in. (unverified) Halle's
 * real zones and street lists belong here; the postcode is a first plausibility check, the clerk
 * checks the exact street against the zone's street list.
 */
export interface ParkingZone {
  readonly value: string;
  readonly label: Text;
  readonly postcodes: readonly string[];
}
const PARKING_ZONES: readonly ParkingZone[] = [
  { value: 'altstadt', label: { de: 'Zone A – Altstadt', en: 'Zone A – Old Town' }, postcodes: ['06108'] },
  { value: 'paulusviertel', label: { de: 'Zone B – Paulusviertel', en: 'Zone B – Paulusviertel' }, postcodes: ['06114'] },
  { value: 'suedliche-innenstadt', label: { de: 'Zone C – Südliche Innenstadt', en: 'Zone C – Southern city centre' }, postcodes: ['06110'] },
  { value: 'medizinerviertel', label: { de: 'Zone D – Medizinerviertel', en: 'Zone D – Medizinerviertel' }, postcodes: ['06110', '06112'] },
];
export const ZONE_CHOICES: readonly Choice[] = PARKING_ZONES.map((z) => ({ value: z.value, label: z.label }));

/** The city the zones lie in; the verified address must be there. (unverified: matched by name) */
const ZONE_LOCALITY = 'Halle';

/** Fee per year of validity: 30.60 EUR (unverified; GebOSt allows up to a city's own scale). */
export const PERMIT_FEE_CENTS_PER_YEAR = 3060;
/** Fee for changing an existing permit (new number plate, new address in the zone): 10.20 EUR (unverified). */
export const CHANGE_FEE_CENTS = 1020;

/**
 * A German number plate: district code (1–3 letters), a hyphen or space, 1–2 letters, then
 * 1–4 digits not starting with 0, optionally E (electric) or H (historic). At most 8 letters and
 * digits besides the suffix (unverified: FZV § 8 and Anlage 4). Returns the plate written the
 * usual way ("HAL-AB 123"), or undefined when it is not one.
 */
export function normaliseKennzeichen(input: string): string | undefined {
  const m = /^([A-ZÄÖÜ]{1,3})\s*[-\s]\s*([A-Z]{1,2})\s*-?\s*([1-9]\d{0,3})\s*([EH])?$/.exec(input.trim().toUpperCase());
  if (!m) return undefined;
  const [, district, letters, digits, suffix] = m as unknown as [string, string, string, string, string | undefined];
  if (district.length + letters.length + digits.length > 8) return undefined;
  return `${district}-${letters} ${digits}${suffix ?? ''}`;
}

const kennzeichenError: Text = {
  de: 'Bitte geben Sie das Kennzeichen so an, wie es auf dem Schild steht, mit Bindestrich oder Leerzeichen nach dem Ortskürzel, z. B. HAL-AB 123 (bei Elektroautos HAL-AB 123E).',
  en: 'Enter the number plate as it appears on the plate, with a hyphen or space after the district code, for example HAL-AB 123 (electric cars: HAL-AB 123E).',
};

export function zoneOf(value: string): ParkingZone | undefined {
  return PARKING_ZONES.find((z) => z.value === value);
}

/**
 * The address (from the verified identity) must lie in the chosen zone. The error names the
 * zone field, because the confirmed address cannot be edited on the form: the remedy is to choose
 * the right zone or to register the new address first.
 */
export function addressZoneErrors(data: FormData, zoneField = 'zone'): FieldError[] {
  const zone = zoneOf(str(data, zoneField));
  if (!zone) return [];
  const locality = str(data, 'town');
  const postcode = str(data, 'postcode');
  if (!locality.toLowerCase().includes(ZONE_LOCALITY.toLowerCase())) {
    return [
      {
        field: zoneField,
        message: {
          de: `Nach Ihren Meldedaten wohnen Sie nicht in ${ZONE_LOCALITY}. Einen Bewohnerparkausweis erhält nur, wer in der Zone gemeldet ist. Wenn Sie umgezogen sind, melden Sie bitte zuerst Ihre neue Wohnung an.`,
          en: `According to your registration data you do not live in ${ZONE_LOCALITY}. Only people registered in the zone can get a resident parking permit. If you have moved, please register your new address first.`,
        },
      },
    ];
  }
  if (!zone.postcodes.includes(postcode)) {
    const fitting = PARKING_ZONES.filter((z) => z.postcodes.includes(postcode));
    return [
      {
        field: zoneField,
        message:
          fitting.length > 0
            ? {
                de: `Ihre Adresse (Postleitzahl ${postcode}) liegt nicht in der ${zone.label.de}. In Frage kommt: ${fitting.map((z) => z.label.de).join(' oder ')}.`,
                en: `Your address (postcode ${postcode}) is not in ${zone.label.en}. It may be in: ${fitting.map((z) => z.label.en).join(' or ')}.`,
              }
            : {
                de: `Ihre Adresse (Postleitzahl ${postcode}) liegt in keiner Bewohnerparkzone. Ein Bewohnerparkausweis ist dort nicht möglich.`,
                en: `Your address (postcode ${postcode}) is not in any resident parking zone. A resident parking permit is not possible there.`,
              },
      },
    ];
  }
  return [];
}

/** The vehicle page: the plate's format, and the proof of use when someone else is the registered keeper. */
export function vehicleErrors(data: FormData): FieldError[] {
  const plate = str(data, 'kennzeichen');
  return plate !== '' && !normaliseKennzeichen(plate) ? [{ field: 'kennzeichen', message: kennzeichenError }] : [];
}

/** Whether someone else (employer, leasing company, relative) is the vehicle's registered keeper. */
export const holderDiffers = (data: FormData): boolean => str(data, 'holder') === 'company' || str(data, 'holder') === 'other';

export const HOLDER_CHOICES: readonly Choice[] = [
  { value: 'self', label: { de: 'Ich bin selbst Halterin oder Halter', en: 'I am the registered keeper myself' } },
  { value: 'company', label: { de: 'Firmen- oder Dienstwagen, den ich auch privat nutzen darf', en: 'A company car I may also use privately' } },
  { value: 'other', label: { de: 'Das Auto ist auf eine andere Person oder ein Leasingunternehmen zugelassen, ich nutze es dauerhaft', en: 'The car is registered to someone else or a leasing company, and I use it permanently' } },
];

export function permitFee(data: FormData): FeeBreakdown {
  const years = str(data, 'years') === '2' ? 2 : 1;
  const cents = years * PERMIT_FEE_CENTS_PER_YEAR;
  return {
    cents,
    items: [
      {
        label: years === 2 ? { de: 'Bewohnerparkausweis für 2 Jahre', en: 'Resident parking permit for 2 years' } : { de: 'Bewohnerparkausweis für 1 Jahr', en: 'Resident parking permit for 1 year' },
        cents,
      },
    ],
  };
}

/** The last day a permit issued on `issuedAt` is valid: the day before the same date `years` later. */
export function validUntil(issuedAt: Date, years: number, timeZone: string): string {
  const [y, m, d] = zonedToday(issuedAt, timeZone).split('-').map(Number) as [number, number, number];
  const end = new Date(Date.UTC(y + years, m - 1, d) - 24 * 3600_000);
  return end.toISOString().slice(0, 10);
}
