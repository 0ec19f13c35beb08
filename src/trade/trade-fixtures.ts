import type { FormData } from '../catalogue/service-definition.ts';

/**
 * Complete, valid trade forms for tests (field ids of `trade-fields.ts`). The person's data is
 * the dev identity provider's Erika Mustermann, as the verified identity fills it in.
 */
const TEST_PERSON_FIELDS: FormData = {
  givenName: 'Erika',
  familyName: 'Mustermann',
  birthName: '',
  birthDate: '1964-08-12',
  birthPlace: 'Berlin',
  nationality: 'DE',
  gender: 'w',
  street: 'Marktplatz 1',
  postcode: '06108',
  town: 'Halle (Saale)',
  email: 'erika@example.org',
  phone: '',
};

/** A permit-free IT service, not registered, starting in 10 days. */
export function validTradeRegistration(now: Date = new Date(), overrides: FormData = {}): FormData {
  const day = (offset: number) => new Date(now.getTime() + offset * 24 * 3600_000).toISOString().slice(0, 10);
  return {
    legalForm: 'einzelunternehmen',
    businessName: 'Mustermann IT-Service',
    registered: 'no',
    ...TEST_PERSON_FIELDS,
    activityCategory: 'it',
    activityDescription: 'Entwicklung von Software & Webseiten für <kleine> Unternehmen',
    wzKey: '62.01.9',
    businessType: ['sonstiges'],
    sideBusiness: 'no',
    fullTimeStaff: '0',
    partTimeStaff: '1',
    branchType: 'haupt',
    businessStreet: 'Große Ulrichstraße 7a',
    businessPostcode: '06108',
    businessTown: 'Halle (Saale)',
    startDate: day(10),
    startReason: '01',
    ...overrides,
  };
}

/** A change of address (and optionally activity) of an existing business. */
export function validTradeChange(now: Date = new Date(), overrides: FormData = {}): FormData {
  const reg = validTradeRegistration(now);
  const { startDate: _s, startReason: _r, ...rest } = reg;
  return {
    ...rest,
    changeKinds: ['address'],
    newStreet: 'Leipziger Straße 42',
    newPostcode: '06108',
    newTown: 'Halle (Saale)',
    changeDate: String(reg.startDate),
    ...overrides,
  };
}

/** The end of an existing business. */
export function validTradeEnd(now: Date = new Date(), overrides: FormData = {}): FormData {
  const reg = validTradeRegistration(now);
  const { startDate: _s, startReason: _r, ...rest } = reg;
  return { ...rest, endDate: String(reg.startDate), endReason: '01', endCause: '13', ...overrides };
}
