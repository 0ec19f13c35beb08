/**
 * The bundled identity provider's test persons and staff accounts. Invented people, published on
 * purpose (printed at start-up): the provider is refused in production (config.ts).
 */
export interface TestPerson {
  /** Stable pseudonymous subject, as BundID issues one per person and service. */
  readonly sub: string;
  readonly given_name: string;
  readonly family_name: string;
  /** ISO 8601 date. */
  readonly birthdate: string;
  readonly place_of_birth: string;
  /** OpenID Connect `address` claim. */
  readonly address: { readonly street_address: string; readonly postal_code: string; readonly locality: string; readonly country: string };
  /** ISO 3166-1 alpha-2. */
  readonly nationality: string;
  /** What the test person is good for, shown on the chooser page. */
  readonly note: { readonly de: string; readonly en: string };
}

export const TEST_PERSONS: readonly TestPerson[] = [
  {
    sub: 'devidp-citizen-0001-erika',
    given_name: 'Erika',
    family_name: 'Mustermann',
    birthdate: '1964-08-12',
    place_of_birth: 'Berlin',
    address: { street_address: 'Marktplatz 1', postal_code: '06108', locality: 'Halle (Saale)', country: 'DE' },
    nationality: 'DE',
    note: { de: 'Deutsche, wohnt in Halle (Saale)', en: 'German, lives in Halle (Saale)' },
  },
  {
    sub: 'devidp-citizen-0002-ben',
    given_name: 'Ben',
    family_name: 'Schulze',
    birthdate: '2014-05-20',
    place_of_birth: 'Halle (Saale)',
    address: { street_address: 'Leipziger Straße 42', postal_code: '06108', locality: 'Halle (Saale)', country: 'DE' },
    nationality: 'DE',
    note: { de: 'Unter 16 Jahre alt, wohnt in Halle (Saale)', en: 'Under 16 years old, lives in Halle (Saale)' },
  },
  {
    sub: 'devidp-citizen-0003-zofia',
    given_name: 'Zofia',
    family_name: 'Kowalska',
    birthdate: '1991-02-03',
    place_of_birth: 'Kraków',
    address: { street_address: 'Große Ulrichstraße 7', postal_code: '06108', locality: 'Halle (Saale)', country: 'DE' },
    nationality: 'PL',
    note: { de: 'Polnische Staatsangehörige (EU), wohnt in Halle (Saale)', en: 'Polish national (EU), lives in Halle (Saale)' },
  },
  {
    sub: 'devidp-citizen-0004-jonas',
    given_name: 'Jonas',
    family_name: 'Weber',
    birthdate: '1985-11-30',
    place_of_birth: 'Magdeburg',
    address: { street_address: 'Karl-Liebknecht-Straße 9', postal_code: '04107', locality: 'Leipzig', country: 'DE' },
    nationality: 'DE',
    note: { de: 'Deutscher, wohnt außerhalb von Halle (Leipzig)', en: 'German, lives outside Halle (Leipzig)' },
  },
  {
    sub: 'devidp-citizen-0005-leyla',
    given_name: 'Leyla',
    family_name: 'Yılmaz-Schröder',
    birthdate: '1978-06-17',
    place_of_birth: 'Köln',
    address: { street_address: 'Am Gastronom 3', postal_code: '06124', locality: 'Halle (Saale)', country: 'DE' },
    nationality: 'DE',
    note: { de: 'Deutsche, Name mit Sonderzeichen, wohnt in Halle-Neustadt', en: 'German, name with special characters, lives in Halle-Neustadt' },
  },
];

export interface StaffAccount {
  readonly sub: string;
  readonly preferred_username: string;
  readonly given_name: string;
  readonly family_name: string;
  readonly email: string;
  /** Directory groups, as a city's Keycloak maps them from its LDAP. */
  readonly groups: readonly string[];
  /** false: the directory signs this account in with the password alone (amr `pwd`), to test the refusal. */
  readonly secondFactor?: false;
}

export const STAFF_ACCOUNTS: readonly StaffAccount[] = [
  { sub: 'devidp-staff-0001', preferred_username: 'c.klein', given_name: 'Clara', family_name: 'Klein', email: 'c.klein@halle.invalid', groups: ['amtsweg-versammlungsbehoerde-clerk'] },
  {
    sub: 'devidp-staff-0002',
    preferred_username: 's.vogt',
    given_name: 'Sabine',
    family_name: 'Vogt',
    email: 's.vogt@halle.invalid',
    groups: ['amtsweg-versammlungsbehoerde-clerk', 'amtsweg-versammlungsbehoerde-supervisor'],
  },
  { sub: 'devidp-staff-0003', preferred_username: 'g.wolf', given_name: 'Gerd', family_name: 'Wolf', email: 'g.wolf@halle.invalid', groups: ['amtsweg-gewerbeamt-clerk'] },
  { sub: 'devidp-staff-0004', preferred_username: 'p.neu', given_name: 'Paula', family_name: 'Neu', email: 'p.neu@halle.invalid', groups: [] },
  {
    sub: 'devidp-staff-0005',
    preferred_username: 't.ohne',
    given_name: 'Tom',
    family_name: 'Ohne',
    email: 't.ohne@halle.invalid',
    groups: ['amtsweg-versammlungsbehoerde-clerk'],
    secondFactor: false,
  },
];

/** The fixed one-time code of the simulated second factor, shown on the sign-in page. */
export const STAFF_TEST_OTP = '246810';
