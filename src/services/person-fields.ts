import type { Field } from '../catalogue/service-definition.ts';

/**
 * Form fields that a verified identity fills (once-only, OZG 2.0), shared by the services that
 * ask for them. The ids are the names under which answers are stored: never rename one.
 */

/** Given names and family name, as the ID card writes them. */
export const verifiedNameFields = (): Field[] => [
  { id: 'givenName', type: 'text', label: { de: 'Vornamen', en: 'Given names' }, required: true, maxLength: 200, autocomplete: 'given-name', prefill: 'given_name' },
  { id: 'familyName', type: 'text', label: { de: 'Familienname', en: 'Family name' }, required: true, maxLength: 200, autocomplete: 'family-name', prefill: 'family_name' },
];

/** The registered address: street and number, postcode, town. */
export const verifiedAddressFields = (): Field[] => [
  { id: 'street', type: 'text', label: { de: 'Straße und Hausnummer', en: 'Street and house number' }, required: true, maxLength: 200, autocomplete: 'street-address', prefill: 'street_address' },
  { id: 'postcode', type: 'postcode', label: { de: 'Postleitzahl', en: 'Postcode' }, required: true, maxLength: 5, autocomplete: 'postal-code', prefill: 'postal_code' },
  { id: 'town', type: 'text', label: { de: 'Ort', en: 'Town' }, required: true, maxLength: 100, autocomplete: 'address-level2', prefill: 'locality' },
];

/** Everything an identity document application asks about the person: names, birth, nationality, address. */
export const verifiedPersonFields = (): Field[] => [
  ...verifiedNameFields(),
  { id: 'birthName', type: 'text', label: { de: 'Geburtsname, falls anders (freiwillig)', en: 'Name at birth, if different (optional)' }, maxLength: 200 },
  { id: 'birthdate', type: 'date', label: { de: 'Geburtsdatum', en: 'Date of birth' }, required: true, autocomplete: 'bday', prefill: 'birthdate' },
  { id: 'placeOfBirth', type: 'text', label: { de: 'Geburtsort', en: 'Place of birth' }, required: true, maxLength: 200, prefill: 'place_of_birth' },
  { id: 'nationality', type: 'text', label: { de: 'Staatsangehörigkeit', en: 'Nationality' }, required: true, maxLength: 100, prefill: 'nationality' },
  ...verifiedAddressFields(),
];
