import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as oidc from 'openid-client';
import { formAction, IdpBrowser, passCitizenIdp } from '../test-support/idp-browser.ts';
import { ACR, startDevIdp } from './dev-idp.tsx';
import { STAFF_TEST_OTP, TEST_PERSONS } from './test-persons.ts';

const REDIRECT = 'http://127.0.0.1:9/callback';
const client = { clientId: 'test-client', clientSecret: 'test-secret-0123456789', redirectUris: [REDIRECT] };

async function discover(issuer: string) {
  return oidc.discovery(new URL(issuer), client.clientId, undefined, oidc.ClientSecretBasic(client.clientSecret), { execute: [oidc.allowInsecureRequests] });
}

async function authorize(config: oidc.Configuration, params: Record<string, string>) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, response_type: 'code', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state, nonce, ...params });
  return { url: url.toString(), verifier, state, nonce };
}

test('the citizen provider passes the chosen test person with eIDAS level high for the online ID card, and only what was consented to', async () => {
  const idp = await startDevIdp({ port: 0, citizenClients: [client], staffClients: [client] });
  try {
    const config = await discover(idp.citizenIssuer);
    assert.deepEqual(config.serverMetadata().code_challenge_methods_supported, ['S256']);
    const erika = TEST_PERSONS[0]!;
    const auth = await authorize(config, { scope: 'openid profile address birth nationality', acr_values: `${ACR.substantial} ${ACR.high}` });
    const browser = new IdpBrowser();
    const { callbackUrl, consentPage, loginPage } = await passCitizenIdp(browser, auth.url, REDIRECT, { person: erika.sub, method: 'eid', consent: 'allow' });
    assert.match(loginPage, /<html lang="de"/);
    assert.match(loginPage, /<legend>Testperson/);
    assert.match(loginPage, /ELSTER-Zertifikat/);
    assert.doesNotMatch(loginPage, /<script|style="/, 'no inline script or style');
    for (const label of ['Vorname', 'Familienname', 'Geburtsdatum', 'Anschrift', 'Geburtsort', 'Staatsangehörigkeit']) assert.match(consentPage, new RegExp(label), `consent lists ${label}`);
    assert.match(consentPage, /Marktplatz 1, 06108 Halle \(Saale\)/);

    const tokens = await oidc.authorizationCodeGrant(config, new URL(callbackUrl), { pkceCodeVerifier: auth.verifier, expectedState: auth.state, expectedNonce: auth.nonce, idTokenExpected: true });
    const claims = tokens.claims()!;
    assert.equal(claims.sub, erika.sub);
    assert.equal(claims.acr, ACR.high);
    assert.equal(claims.given_name, 'Erika');
    assert.equal(claims.birthdate, '1964-08-12');
    assert.equal(claims.place_of_birth, 'Berlin');
    assert.equal(claims.nationality, 'DE');
    assert.deepEqual(claims.address, erika.address);
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, erika.sub);
    assert.equal(userinfo.family_name, 'Mustermann');

    // Only `profile` asked for: no address, no place of birth.
    const narrow = await authorize(config, { scope: 'openid profile' });
    const second = await passCitizenIdp(new IdpBrowser(), narrow.url, REDIRECT, { person: TEST_PERSONS[3]!.sub, method: 'elster', consent: 'allow' });
    assert.doesNotMatch(second.consentPage, /Anschrift|Geburtsort/);
    const narrowTokens = await oidc.authorizationCodeGrant(config, new URL(second.callbackUrl), { pkceCodeVerifier: narrow.verifier, expectedState: narrow.state, expectedNonce: narrow.nonce });
    assert.equal(narrowTokens.claims()!.acr, ACR.substantial);
    assert.equal(narrowTokens.claims()!.address, undefined);
  } finally {
    await idp.close();
  }
});

test('asked for level high only, the citizen provider offers the online ID card and nothing else; PKCE is required', async () => {
  const idp = await startDevIdp({ port: 0, citizenClients: [client] });
  try {
    const config = await discover(idp.citizenIssuer);
    const auth = await authorize(config, { scope: 'openid profile', acr_values: ACR.high });
    const browser = new IdpBrowser();
    const login = await browser.follow(auth.url, REDIRECT);
    assert.equal(login.status, 200);
    assert.match(login.headers.get('content-security-policy') ?? '', /default-src 'none'; style-src 'self';.*form-action 'self' http:\/\/127\.0\.0\.1:9;/, 'a strict CSP whose form targets are the clients');
    assert.match(login.body, /Online-Ausweis \(eID\)/);
    assert.doesNotMatch(login.body, /ELSTER/);
    const refused = await browser.request('POST', new URL(formAction(login.body, '/login'), idp.url).toString(), { person: TEST_PERSONS[0]!.sub, method: 'elster' });
    assert.equal(refused.status, 422, 'ELSTER cannot be forced by posting it');
    assert.match(refused.body, /Bitte wählen Sie ein Verfahren/);

    const withoutPkce = new URL(auth.url);
    withoutPkce.searchParams.delete('code_challenge');
    withoutPkce.searchParams.delete('code_challenge_method');
    const res = await new IdpBrowser().request('GET', withoutPkce.toString());
    const location = res.location ?? '';
    assert.ok(location.startsWith(REDIRECT), 'the error goes back to the client');
    assert.match(location, /error=invalid_request/);
    assert.match(decodeURIComponent(location), /PKCE/);
  } finally {
    await idp.close();
  }
});

test('the staff directory provider signs in with a test account and the one-time code, issuing groups and amr pwd + otp', async () => {
  const idp = await startDevIdp({ port: 0, citizenClients: [client], staffClients: [client] });
  try {
    const config = await discover(idp.staffIssuer);
    const auth = await authorize(config, { scope: 'openid profile email groups' });
    const browser = new IdpBrowser();
    const login = await browser.follow(auth.url, REDIRECT);
    assert.equal(login.status, 200);
    assert.match(login.body, new RegExp(STAFF_TEST_OTP), 'the page shows the fixed one-time code');
    const action = new URL(formAction(login.body, '/login'), idp.url).toString();
    const wrong = await browser.request('POST', action, { account: 'devidp-staff-0002', otp: '000000' });
    assert.equal(wrong.status, 422);
    assert.match(wrong.body, /Der Einmalcode ist falsch/);
    const back = await browser.post(action, { account: 'devidp-staff-0002', otp: STAFF_TEST_OTP }, REDIRECT);
    const location = back.location ?? '';
    assert.ok(location.startsWith(REDIRECT), `back at the client (${back.status} ${back.body.slice(0, 200)})`);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(location), { pkceCodeVerifier: auth.verifier, expectedState: auth.state, expectedNonce: auth.nonce });
    const claims = tokens.claims()!;
    assert.equal(claims.preferred_username, 's.vogt');
    assert.deepEqual(claims.groups, ['amtsweg-versammlungsbehoerde-clerk', 'amtsweg-versammlungsbehoerde-supervisor']);
    assert.deepEqual(claims.amr, ['pwd', 'otp']);
    assert.equal(claims.iss, idp.staffIssuer);
  } finally {
    await idp.close();
  }
});
