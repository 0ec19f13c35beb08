import type { IdentityLevel } from '../../catalogue/service-definition.ts';

/**
 * Identity levels in order (DOMAIN.md "Identity levels"): none < basic < substantial < high.
 * `basic` is an account (e-mail link, passkey), not an eIDAS level; the two eIDAS levels come from
 * an identity provider's `acr`.
 */
const LEVEL_ORDER: readonly IdentityLevel[] = ['none', 'basic', 'substantial', 'high'];

export function levelAtLeast(have: IdentityLevel, need: IdentityLevel): boolean {
  return LEVEL_ORDER.indexOf(have) >= LEVEL_ORDER.indexOf(need);
}

export type VerifiedLevel = 'substantial' | 'high';

/** The level an `acr` value stands for at this provider; undefined for anything else (refused). */
export function levelForAcr(acr: unknown, mapping: { readonly substantial: string; readonly high: string }): VerifiedLevel | undefined {
  if (acr === mapping.high) return 'high';
  if (acr === mapping.substantial) return 'substantial';
  return undefined;
}

export const LEVEL_NAMES: Readonly<Record<IdentityLevel, { readonly de: string; readonly en: string }>> = {
  none: { de: 'ohne Nachweis', en: 'no proof' },
  basic: { de: 'Nutzerkonto (Basisregistrierung)', en: 'user account (basic)' },
  substantial: { de: 'substanziell (z. B. ELSTER-Zertifikat)', en: 'substantial (e.g. ELSTER certificate)' },
  high: { de: 'hoch (Online-Ausweis)', en: 'high (online ID card)' },
};
