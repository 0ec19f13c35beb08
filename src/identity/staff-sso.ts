import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type * as OpenidClient from 'openid-client';
import type { StaffSsoConfig } from '../config.ts';
import { appendAudit } from '../efile/audit-chain.ts';
import { classify, loadOpenidClient } from './oidc/relying-party.ts';
import type { Bilingual } from '../platform/errors.ts';
import type { Database, StaffRole } from '../schema.ts';
import { STAFF_ROLES } from './staff-admin.ts';
import { newTotpSecret } from './staff-auth.ts';

/**
 * Staff single sign-on through the city's directory (Keycloak, Entra ID, any OpenID Connect
 * provider): authorization code flow with PKCE, `state` and `nonce`. The directory's groups
 * decide department and role (`<prefix><department>-<role>`, e.g.
 * `amtsweg-versammlungsbehoerde-clerk`), so leaving a group in the directory takes the role away
 * at the next sign-in. A second factor is always required: the directory must assert one in
 * `amr` (`otp`, `mfa`, `hwk`, `swk`, `sms`, `fpt`, `face`), otherwise the sign-in is refused.
 */
export type { StaffSsoConfig };

export interface PendingStaffSso {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly startedAt: number;
}

export interface DirectoryPerson {
  readonly subject: string;
  readonly username: string;
  readonly displayName: string;
  readonly email: string | null;
  readonly groups: readonly string[];
}

export type StaffSsoFailure = 'expired' | 'state' | 'nonce' | 'code' | 'cancelled' | 'provider' | 'second-factor' | 'no-role' | 'deactivated';

const MESSAGES: Record<StaffSsoFailure, Bilingual> = {
  expired: { de: 'Zu dieser Antwort gibt es keine begonnene Anmeldung in diesem Browser. Bitte melden Sie sich erneut an.', en: 'There is no sign-in in progress in this browser for this answer. Please sign in again.' },
  state: { de: 'Die Antwort des Verzeichnisses passt nicht zu Ihrer Anmeldung (Sicherheitsprüfung „state“). Bitte melden Sie sich erneut an.', en: 'The directory’s answer does not match your sign-in (security check “state”). Please sign in again.' },
  nonce: { de: 'Die Bestätigung des Verzeichnisses gehört nicht zu dieser Anmeldung (Sicherheitsprüfung „nonce“). Bitte melden Sie sich erneut an.', en: 'The directory’s confirmation does not belong to this sign-in (security check “nonce”). Please sign in again.' },
  code: { de: 'Diese Bestätigung wurde schon verwendet oder ist abgelaufen. Bitte melden Sie sich erneut an.', en: 'This confirmation has already been used or has expired. Please sign in again.' },
  cancelled: { de: 'Die Anmeldung wurde abgebrochen.', en: 'The sign-in was cancelled.' },
  provider: { de: 'Das Verzeichnis hat die Anmeldung nicht bestätigt. Bitte versuchen Sie es erneut oder wenden Sie sich an die IT.', en: 'The directory did not confirm the sign-in. Please try again or contact IT.' },
  'second-factor': {
    de: 'Das Verzeichnis hat keinen zweiten Faktor bestätigt. Amtsweg verlangt immer einen zweiten Faktor. Bitte melden Sie sich mit Einmalcode oder Sicherheitsschlüssel an.',
    en: 'The directory did not confirm a second factor. Amtsweg always requires one. Please sign in with a one-time code or security key.',
  },
  'no-role': {
    de: 'Ihr Konto im Verzeichnis hat keine Rolle in Amtsweg. Bitte wenden Sie sich an die Verwaltung Ihrer Abteilung.',
    en: 'Your directory account has no role in Amtsweg. Please contact your department’s administrator.',
  },
  deactivated: { de: 'Ihr Zugang zu Amtsweg ist gesperrt. Bitte wenden Sie sich an die Verwaltung Ihrer Abteilung.', en: 'Your access to Amtsweg is deactivated. Please contact your department’s administrator.' },
};

export class StaffSsoError extends Error {
  readonly userMessage: Bilingual;
  constructor(readonly reason: StaffSsoFailure) {
    super(`staff single sign-on failed: ${reason}`);
    this.name = 'StaffSsoError';
    this.userMessage = MESSAGES[reason];
  }
}

const SECOND_FACTORS = new Set(['otp', 'mfa', 'hwk', 'swk', 'sms', 'fpt', 'face']);
const PENDING_MAX_AGE_MS = 15 * 60_000;

export class StaffDirectory {
  private discovered: Promise<OpenidClient.Configuration> | undefined;

  constructor(
    readonly config: StaffSsoConfig,
    private readonly options: { readonly redirectUri: string; readonly allowHttp: boolean },
  ) {}

  private configuration(): Promise<OpenidClient.Configuration> {
    if (!this.discovered) {
      const insecure = this.options.allowHttp && this.config.issuer.startsWith('http:');
      const found = loadOpenidClient().then((oidc) => oidc.discovery(new URL(this.config.issuer), this.config.clientId, undefined, oidc.ClientSecretBasic(this.config.clientSecret), {
        ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
        timeout: 10,
      }));
      found.catch(() => {
        this.discovered = undefined;
      });
      this.discovered = found;
    }
    return this.discovered;
  }

  async start(): Promise<{ url: string; pending: PendingStaffSso }> {
    const config = await this.configuration();
    const oidc = await loadOpenidClient();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const pending: PendingStaffSso = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier, startedAt: Date.now() };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.options.redirectUri,
      response_type: 'code',
      scope: 'openid profile email groups',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url: url.toString(), pending };
  }

  async finish(pending: PendingStaffSso | undefined, callbackUrl: URL): Promise<DirectoryPerson> {
    if (!pending || Date.now() - pending.startedAt > PENDING_MAX_AGE_MS) throw new StaffSsoError('expired');
    const params = callbackUrl.searchParams;
    if (params.get('state') !== pending.state) throw new StaffSsoError('state');
    const error = params.get('error');
    if (error) throw new StaffSsoError(error === 'access_denied' ? 'cancelled' : 'provider');
    const config = await this.configuration();
    const oidc = await loadOpenidClient();
    let tokens: Awaited<ReturnType<typeof OpenidClient.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: pending.codeVerifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true });
    } catch (err) {
      throw new StaffSsoError(classify(oidc, err));
    }
    const claims = tokens.claims();
    if (!claims) throw new StaffSsoError('provider');
    const amr = Array.isArray(claims.amr) ? claims.amr.map(String) : [];
    if (!amr.some((m) => SECOND_FACTORS.has(m))) throw new StaffSsoError('second-factor');
    let info: Record<string, unknown> = {};
    try {
      info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    } catch {
      // the ID token may carry everything
    }
    const all = { ...info, ...claims } as Record<string, unknown>;
    const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, 200) : undefined);
    const displayName = text(all.name) ?? [text(all.given_name), text(all.family_name)].filter(Boolean).join(' ');
    return {
      subject: claims.sub,
      username: (text(all.preferred_username) ?? claims.sub).toLowerCase(),
      displayName: displayName || (text(all.preferred_username) ?? claims.sub),
      email: text(all.email) ?? null,
      groups: Array.isArray(all.groups) ? all.groups.map(String).slice(0, 200) : [],
    };
  }
}

/** Department and role from the directory's groups; groups that name no known pair are ignored. */
export function grantsFromGroups(groups: readonly string[], prefix: string, departments: readonly string[]): Array<{ departmentId: string; role: StaffRole }> {
  const out: Array<{ departmentId: string; role: StaffRole }> = [];
  for (const g of groups) {
    if (!g.startsWith(prefix)) continue;
    const rest = g.slice(prefix.length);
    // Roles contain underscores, departments hyphens or letters: split at the last hyphen.
    const cut = rest.lastIndexOf('-');
    if (cut <= 0) continue;
    const departmentId = rest.slice(0, cut);
    const role = rest.slice(cut + 1).replace(/-/g, '_') as StaffRole;
    if (departments.includes(departmentId) && STAFF_ROLES.includes(role) && !out.some((x) => x.departmentId === departmentId && x.role === role)) out.push({ departmentId, role });
  }
  return out;
}

/**
 * The staff account for a directory person: found by (provider, subject), created at the first
 * sign-in, its name and roles brought in line with the directory each time (audited when they
 * change). Returns the account id. A deactivated account stays deactivated.
 */
export async function syncDirectoryPerson(db: Kysely<Database>, providerId: string, person: DirectoryPerson, grants: ReadonlyArray<{ departmentId: string; role: StaffRole }>): Promise<string> {
  return db.transaction().execute(async (trx) => {
    let user = await trx.selectFrom('staff_users').select(['id', 'active']).where('sso_provider', '=', providerId).where('sso_subject', '=', person.subject).forUpdate().executeTakeFirst();
    if (user && !user.active) throw new StaffSsoError('deactivated');
    if (grants.length === 0) throw new StaffSsoError('no-role');
    if (!user) {
      // Usernames are shared with local accounts: a clash gets the provider as suffix.
      const taken = await trx.selectFrom('staff_users').select('id').where('username', '=', person.username).executeTakeFirst();
      const username = taken ? `${person.username}@${providerId}-${randomBytes(2).toString('hex')}` : person.username;
      // No password and an unused TOTP secret: this account signs in only through the directory.
      user = await trx
        .insertInto('staff_users')
        .values({ username, display_name: person.displayName, email: person.email, password_hash: null, totp_secret: newTotpSecret(), sso_provider: providerId, sso_subject: person.subject })
        .returning(['id', 'active'])
        .executeTakeFirstOrThrow();
      await appendAudit(trx, { actorType: 'system', actorId: null, action: 'staff.created_from_directory', caseId: null, details: { staffUserId: user.id, provider: providerId } });
    } else {
      await trx.updateTable('staff_users').set({ display_name: person.displayName, email: person.email }).where('id', '=', user.id).execute();
    }
    const before = await trx.selectFrom('role_grants').select(['department_id', 'role']).where('staff_user_id', '=', user.id).execute();
    const key = (g: { departmentId: string; role: string }) => `${g.departmentId}:${g.role}`;
    const had = new Set(before.map((g) => key({ departmentId: g.department_id, role: g.role })));
    const wants = new Set(grants.map(key));
    const added = [...wants].filter((k) => !had.has(k));
    const removed = [...had].filter((k) => !wants.has(k));
    if (added.length > 0 || removed.length > 0) {
      await trx.deleteFrom('role_grants').where('staff_user_id', '=', user.id).execute();
      for (const g of grants) await trx.insertInto('role_grants').values({ staff_user_id: user.id, department_id: g.departmentId, role: g.role }).execute();
      await appendAudit(trx, { actorType: 'system', actorId: null, action: 'staff.roles_from_directory', caseId: null, details: { staffUserId: user.id, added, removed } });
    }
    return user.id;
  });
}
