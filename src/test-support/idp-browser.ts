import assert from 'node:assert/strict';

/**
 * A minimal browser for the bundled identity provider in tests: real HTTP (fetch), a cookie jar,
 * redirects followed by hand so the test sees where the provider sends the browser back to.
 */
export interface IdpResponse {
  readonly status: number;
  readonly url: string;
  readonly location: string | undefined;
  readonly body: string;
  readonly headers: Headers;
}

export class IdpBrowser {
  readonly cookies = new Map<string, string>();

  async request(method: 'GET' | 'POST', url: string, form?: Record<string, string>): Promise<IdpResponse> {
    const headers: Record<string, string> = { accept: 'text/html' };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(url, { method, headers, redirect: 'manual', ...(form ? { body: new URLSearchParams(form).toString() } : {}) });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=/i.test(a) && new Date(a.split('=')[1]!).getTime() < Date.now()) || attrs.some((a) => /^\s*max-age=0/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const location = res.headers.get('location');
    return { status: res.status, url, location: location ? new URL(location, url).toString() : undefined, body: await res.text(), headers: res.headers };
  }

  /** Follows redirects on the identity provider; stops at a page or at a redirect leaving it (`stopAt` prefix). */
  async follow(url: string, stopAt: string): Promise<IdpResponse> {
    let res = await this.request('GET', url);
    for (let i = 0; i < 10 && res.location && !res.location.startsWith(stopAt); i++) res = await this.request('GET', res.location);
    return res;
  }

  async post(url: string, form: Record<string, string>, stopAt: string): Promise<IdpResponse> {
    const res = await this.request('POST', url, form);
    if (res.location && !res.location.startsWith(stopAt)) return this.follow(res.location, stopAt);
    return res;
  }
}

/** The `action` of the form on a page whose action ends with `suffix` (e.g. `/login`). */
export function formAction(html: string, suffix: string): string {
  const m = [...html.matchAll(/<form[^>]*action="([^"]+)"/g)].map((x) => x[1]!).find((a) => a.endsWith(suffix));
  assert.ok(m, `a form posting to …${suffix} on the page`);
  return m;
}

export interface CitizenChoice {
  readonly person: string;
  readonly method: 'elster' | 'eid';
  readonly consent: 'allow' | 'cancel';
}

/**
 * Drives the citizen pages of the bundled provider like a person would: choose a person and a
 * method, then allow or cancel on the consent page. Returns the redirect back to the service.
 */
export async function passCitizenIdp(browser: IdpBrowser, authorizationUrl: string, redirectUri: string, choice: CitizenChoice): Promise<{ callbackUrl: string; consentPage: string; loginPage: string }> {
  const login = await browser.follow(authorizationUrl, redirectUri);
  assert.equal(login.status, 200, `the login page of the identity provider opens (${login.body.slice(0, 300)})`);
  const origin = new URL(login.url).origin;
  const consent = await browser.post(new URL(formAction(login.body, '/login'), origin).toString(), { person: choice.person, method: choice.method }, redirectUri);
  assert.equal(consent.status, 200, `the consent page opens (${consent.body.slice(0, 300)})`);
  const back = await browser.post(new URL(formAction(consent.body, choice.consent === 'allow' ? '/consent' : '/abort'), origin).toString(), {}, redirectUri);
  const callbackUrl = back.location ?? '';
  assert.ok(callbackUrl.startsWith(redirectUri), `the provider sends the browser back to the service (got ${back.status} ${back.location ?? back.body.slice(0, 300)})`);
  return { callbackUrl, consentPage: consent.body, loginPage: login.body };
}
