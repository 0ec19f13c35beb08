import type * as OpenidClient from 'openid-client';
import type { IdentityProviderConfig } from '../../config.ts';
import type { Bilingual } from '../../platform/errors.ts';
import { levelAtLeast, levelForAcr, type VerifiedLevel } from './levels.ts';

/**
 * The portal as an OpenID Connect relying party towards identity providers (BundID-style
 * brokers, the bundled development provider): authorization code flow with PKCE (S256), `state`
 * and `nonce`, provider metadata by discovery from the issuer. What has to survive the trip to
 * the provider (state, nonce, code verifier, the level asked for, where to come back to) is kept
 * by the caller in the server-side session, never in the browser.
 */

/** The scopes that carry name, birth, address and nationality at BundID-style providers. */
const IDENTITY_SCOPES = 'openid profile address birth nationality';

export interface PendingVerification {
  readonly providerId: string;
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly level: VerifiedLevel;
  readonly returnTo: string;
  readonly startedAt: number;
}

/** The person as the provider vouched for them; only these claims are kept. */
export interface VerifiedClaims {
  readonly given_name?: string;
  readonly family_name?: string;
  readonly birthdate?: string;
  readonly place_of_birth?: string;
  readonly address?: { readonly street_address?: string; readonly postal_code?: string; readonly locality?: string; readonly country?: string };
  readonly nationality?: string;
}

export interface VerificationResult {
  readonly providerId: string;
  readonly subject: string;
  readonly level: VerifiedLevel;
  readonly claims: VerifiedClaims;
}

export type VerificationFailure = 'state' | 'nonce' | 'code' | 'cancelled' | 'provider' | 'unavailable' | 'level' | 'acr' | 'expired' | 'unknown-provider';

const MESSAGES: Record<VerificationFailure, Bilingual> = {
  state: {
    de: 'Die Antwort des Identitätsanbieters passt nicht zu Ihrer Anfrage (Sicherheitsprüfung „state“). Es wurde nichts gespeichert. Bitte beginnen Sie den Nachweis erneut.',
    en: 'The identity provider’s answer does not match your request (security check “state”). Nothing was stored. Please start the proof again.',
  },
  nonce: {
    de: 'Die Bestätigung des Identitätsanbieters gehört nicht zu dieser Anfrage (Sicherheitsprüfung „nonce“). Es wurde nichts gespeichert. Bitte beginnen Sie den Nachweis erneut.',
    en: 'The identity provider’s confirmation does not belong to this request (security check “nonce”). Nothing was stored. Please start the proof again.',
  },
  code: {
    de: 'Diese Bestätigung wurde schon verwendet oder ist abgelaufen. Es wurde nichts gespeichert. Bitte beginnen Sie den Nachweis erneut.',
    en: 'This confirmation has already been used or has expired. Nothing was stored. Please start the proof again.',
  },
  cancelled: {
    de: 'Sie haben den Nachweis abgebrochen. Es wurden keine Daten übermittelt. Sie können es jederzeit erneut versuchen.',
    en: 'You cancelled the proof. No data was passed on. You can try again at any time.',
  },
  provider: {
    de: 'Der Identitätsanbieter hat den Nachweis nicht bestätigt. Es wurde nichts gespeichert. Bitte versuchen Sie es später erneut.',
    en: 'The identity provider did not confirm the proof. Nothing was stored. Please try again later.',
  },
  unavailable: {
    de: 'Der Identitätsanbieter ist gerade nicht erreichbar. Es wurde nichts gespeichert. Bitte versuchen Sie es in einigen Minuten erneut.',
    en: 'The identity provider cannot be reached right now. Nothing was stored. Please try again in a few minutes.',
  },
  level: {
    de: 'Der Nachweis hat ein niedrigeres Vertrauensniveau als für diese Leistung nötig. Es wurde nichts gespeichert. Bitte weisen Sie sich mit dem Online-Ausweis nach.',
    en: 'The proof has a lower level of assurance than this service needs. Nothing was stored. Please prove your identity with the online ID card.',
  },
  acr: {
    de: 'Der Identitätsanbieter hat ein unbekanntes Vertrauensniveau gemeldet. Es wurde nichts gespeichert. Bitte wählen Sie einen anderen Weg.',
    en: 'The identity provider reported an unknown level of assurance. Nothing was stored. Please choose another way.',
  },
  expired: {
    de: 'Zu dieser Antwort gibt es keinen begonnenen Nachweis in diesem Browser (vielleicht abgelaufen oder schon abgeschlossen). Es wurde nichts gespeichert. Bitte beginnen Sie erneut.',
    en: 'There is no proof in progress in this browser for this answer (it may have expired or already finished). Nothing was stored. Please start again.',
  },
  'unknown-provider': { de: 'Diesen Identitätsanbieter gibt es hier nicht.', en: 'This identity provider is not available here.' },
};

export class VerificationError extends Error {
  readonly userMessage: Bilingual;
  constructor(
    readonly reason: VerificationFailure,
    readonly providerId: string | undefined,
  ) {
    super(`identity verification failed: ${reason}`);
    this.name = 'VerificationError';
    this.userMessage = MESSAGES[reason];
  }
}

let openidClient: Promise<typeof OpenidClient> | undefined;
/**
 * openid-client (with oauth4webapi and jose) loads at the first identity proof or staff
 * directory sign-in, not at start: most processes never need it (ADR 0026).
 */
export const loadOpenidClient = (): Promise<typeof OpenidClient> => (openidClient ??= import('openid-client'));

/** A verification left unfinished longer than this is forgotten. */
const PENDING_MAX_AGE_MS = 30 * 60_000;

export class IdentityProviders {
  private readonly discovered = new Map<string, Promise<OpenidClient.Configuration>>();

  constructor(
    readonly providers: readonly IdentityProviderConfig[],
    private readonly options: { readonly redirectUri: string; readonly allowHttp: boolean },
  ) {}

  get(id: string): IdentityProviderConfig | undefined {
    return this.providers.find((p) => p.id === id);
  }

  /** Discovery once per provider; a failed discovery is tried again on the next use. */
  private async configuration(p: IdentityProviderConfig): Promise<OpenidClient.Configuration> {
    let found = this.discovered.get(p.id);
    if (!found) {
      const insecure = this.options.allowHttp && p.issuer.startsWith('http:');
      found = loadOpenidClient().then((oidc) => oidc.discovery(new URL(p.issuer), p.clientId, undefined, oidc.ClientSecretBasic(p.clientSecret), { ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}), timeout: 10 }));
      this.discovered.set(p.id, found);
    }
    try {
      return await found;
    } catch {
      this.discovered.delete(p.id);
      throw new VerificationError('unavailable', p.id);
    }
  }

  /** Where to send the browser, and what the session must keep until the answer comes back. */
  async start(providerId: string, level: VerifiedLevel, returnTo: string): Promise<{ url: string; pending: PendingVerification }> {
    const p = this.get(providerId);
    if (!p) throw new VerificationError('unknown-provider', providerId);
    const config = await this.configuration(p);
    const oidc = await loadOpenidClient();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const pending: PendingVerification = { providerId, state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier, level, returnTo, startedAt: Date.now() };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.options.redirectUri,
      response_type: 'code',
      scope: IDENTITY_SCOPES,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      // The levels that would do, best first; the answer's `acr` is checked all the same.
      acr_values: level === 'high' ? p.acr.high : `${p.acr.high} ${p.acr.substantial}`,
      // An identity proof is always fresh, never an earlier sign-in at the provider.
      prompt: 'login',
    });
    return { url: url.toString(), pending };
  }

  /**
   * Checks the provider's answer (`callbackUrl`, the full URL the browser came back with) against
   * the pending verification and exchanges the code. Throws a VerificationError naming the reason.
   */
  async finish(pending: PendingVerification | undefined, callbackUrl: URL): Promise<VerificationResult> {
    if (!pending || Date.now() - pending.startedAt > PENDING_MAX_AGE_MS) throw new VerificationError('expired', pending?.providerId);
    const p = this.get(pending.providerId);
    if (!p) throw new VerificationError('unknown-provider', pending.providerId);
    const params = callbackUrl.searchParams;
    // The state first: an answer meant for another request is not even looked at further.
    if (params.get('state') !== pending.state) throw new VerificationError('state', p.id);
    const error = params.get('error');
    if (error) throw new VerificationError(error === 'access_denied' ? 'cancelled' : 'provider', p.id);
    const config = await this.configuration(p);
    const oidc = await loadOpenidClient();
    let tokens: Awaited<ReturnType<typeof OpenidClient.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: pending.codeVerifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true });
    } catch (err) {
      throw new VerificationError(classify(oidc, err), p.id);
    }
    const idToken = tokens.claims();
    if (!idToken) throw new VerificationError('provider', p.id);
    const level = levelForAcr(idToken.acr, p.acr);
    if (!level) throw new VerificationError('acr', p.id);
    if (!levelAtLeast(level, pending.level)) throw new VerificationError('level', p.id);
    let userinfo: Record<string, unknown> = {};
    try {
      userinfo = await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub);
    } catch {
      // The ID token alone is enough when it carries the claims; userinfo only completes it.
    }
    return { providerId: p.id, subject: idToken.sub, level, claims: pickClaims({ ...userinfo, ...idToken }) };
  }
}

/** What went wrong in a code exchange, from openid-client's errors (`oidc`: the loaded module); shared with staff sign-on. */
export function classify(oidc: typeof OpenidClient, err: unknown): Extract<VerificationFailure, 'cancelled' | 'provider' | 'code' | 'nonce' | 'state'> {
  if (err instanceof oidc.AuthorizationResponseError) return err.error === 'access_denied' ? 'cancelled' : 'provider';
  if (err instanceof oidc.ResponseBodyError) return err.error === 'invalid_grant' ? 'code' : 'provider';
  // openid-client wraps oauth4webapi's error (which names the claim) in a ClientError: read the whole chain.
  const chain: string[] = [];
  for (let e = err as { message?: string; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) chain.push(`${e.message ?? ''} ${JSON.stringify((e as { claim?: string }).claim ?? '')}`);
  const code = (err as { code?: string } | undefined)?.code;
  if (code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' && chain.some((m) => /nonce/.test(m))) return 'nonce';
  if (code === 'OAUTH_INVALID_RESPONSE' && chain.some((m) => /"state"/.test(m))) return 'state';
  return 'provider';
}

const str = (v: unknown, max = 200): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, max) : undefined);

/** Keeps the identity claims and nothing else (no tokens, no technical claims). */
function pickClaims(c: Record<string, unknown>): VerifiedClaims {
  const a = (typeof c.address === 'object' && c.address !== null ? c.address : {}) as Record<string, unknown>;
  const address = { street_address: str(a.street_address), postal_code: str(a.postal_code, 20), locality: str(a.locality), country: str(a.country, 60) };
  const out: Record<string, unknown> = {
    given_name: str(c.given_name),
    family_name: str(c.family_name),
    birthdate: str(c.birthdate, 10),
    place_of_birth: typeof c.place_of_birth === 'object' && c.place_of_birth !== null ? str((c.place_of_birth as Record<string, unknown>).locality) : str(c.place_of_birth),
    nationality: str(c.nationality, 10) ?? (Array.isArray(c.nationalities) ? str(c.nationalities[0], 10) : undefined),
    address: Object.values(address).some((v) => v !== undefined) ? JSON.parse(JSON.stringify(address)) : undefined,
  };
  return JSON.parse(JSON.stringify(out)) as VerifiedClaims;
}
