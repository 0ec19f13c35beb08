import type { Kysely } from 'kysely';
import type { FormData, ServiceDefinition, VerifiedClaimName } from '../catalogue/service-definition.ts';
import type { Database } from '../schema.ts';
import { levelAtLeast } from './oidc/levels.ts';
import type { VerifiedClaims } from './oidc/relying-party.ts';
import { loadVerifiedIdentity } from './oidc/verified-identities.ts';
import type { Session } from './sessions.ts';

/**
 * Once-only (OZG 2.0): fields that name a verified claim (`prefill`) are filled from the identity
 * the session was verified with. The values come from the stored identity, so whatever a form
 * post says about them is ignored.
 */
export const SESSION_IDENTITY_KEY = 'verifiedIdentityId';

function claimValue(claims: VerifiedClaims, name: VerifiedClaimName): string | undefined {
  switch (name) {
    case 'street_address':
    case 'postal_code':
    case 'locality':
    case 'country':
      return claims.address?.[name];
    default:
      return claims[name];
  }
}

/** The claims of the identity this session was verified with (level substantial or high), if any. */
async function sessionClaims(db: Kysely<Database>, session: Session | undefined): Promise<VerifiedClaims | undefined> {
  const id = session?.data[SESSION_IDENTITY_KEY];
  if (!session?.citizenId || typeof id !== 'string' || !levelAtLeast(session.level, 'substantial')) return undefined;
  return (await loadVerifiedIdentity(db, id, session.citizenId))?.claims;
}

/** Field id → value for every `prefill` field of the service that the identity has a value for. */
function confirmedValues(def: ServiceDefinition, claims: VerifiedClaims | undefined): FormData {
  const out: FormData = {};
  if (!claims) return out;
  for (const page of def.pages)
    for (const field of page.fields) {
      if (!field.prefill) continue;
      const value = claimValue(claims, field.prefill);
      if (value !== undefined && value !== '') out[field.id] = value;
    }
  return out;
}

/** The confirmed values of one page's fields. */
export function confirmedOn(page: { readonly fields: readonly { readonly id: string }[] }, confirmed: FormData): FormData {
  return Object.fromEntries(page.fields.filter((f) => confirmed[f.id] !== undefined).map((f) => [f.id, confirmed[f.id]!]));
}

export async function confirmedFormValues(db: Kysely<Database>, session: Session | undefined, def: ServiceDefinition): Promise<FormData> {
  if (!def.pages.some((p) => p.fields.some((f) => f.prefill))) return {};
  return confirmedValues(def, await sessionClaims(db, session));
}
