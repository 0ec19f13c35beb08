import assert from 'node:assert/strict';
import type { HttpClient, HttpResponse } from './http-client.ts';
import { testIdText } from './http-client.ts';

/**
 * Walking the Versammlungsanzeige like a browser without JavaScript: one POST per form page,
 * following the server's redirects. Shared by the portal and back-office HTTP tests.
 */
export const SERVICE = 'versammlungsanzeige';

const PAGE_FIELDS: Record<string, readonly string[]> = {
  veranstalter: ['organiserName', 'organisation', 'street', 'postcode', 'town', 'email', 'phone'],
  leitung: ['leaderName', 'leaderPhone', 'deputyName'],
  versammlung: ['subject', 'kind', 'date', 'startTime', 'endTime', 'endDate'],
  ort: ['place', 'assemblyPoint', 'route', 'endPoint'],
  umfang: ['participants', 'stewards', 'aids', 'aidsDetails'],
  bekanntgabe: ['alreadyAnnounced', 'announcementDate', 'announcementTime', 'urgent', 'urgentReason'],
};
export const PAGE_ORDER = Object.keys(PAGE_FIELDS);

export function pageValues(page: string, data: Record<string, string | string[]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const f of PAGE_FIELDS[page]!) if (data[f] !== undefined) out[f] = data[f]!;
  return out;
}

/** Opens the page (for the CSRF token) and posts its values; returns the POST's response. */
export async function postPage(client: HttpClient, page: string, data: Record<string, string | string[]>, extra: Record<string, string> = {}): Promise<HttpResponse> {
  const form = await client.get(`/services/${SERVICE}/form/${page}`);
  assert.equal(form.status, 200, `GET form page ${page}`);
  return client.post(`/services/${SERVICE}/form/${page}`, { ...pageValues(page, data), ...extra });
}

/** Fills every page with `data`, asserting each answer is accepted; ends on the check-your-answers page. */
export async function fillForm(client: HttpClient, data: Record<string, string | string[]>): Promise<HttpResponse> {
  for (const page of PAGE_ORDER) {
    const res = await postPage(client, page, data);
    assert.equal(res.status, 303, `page ${page} should be accepted, got ${res.status}`);
  }
  const check = await client.get(`/services/${SERVICE}/check`);
  assert.equal(check.status, 200);
  return check;
}

/** Fills the form, submits it and reads reference and access code from the confirmation page. */
export async function submitViaForm(client: HttpClient, data: Record<string, string | string[]>): Promise<{ reference: string; accessCode: string; confirmation: HttpResponse }> {
  await fillForm(client, data);
  const formToken = /name="formToken" value="([^"]+)"/.exec((await client.get(`/services/${SERVICE}/check`)).body)?.[1];
  assert.ok(formToken, 'check page carries the form token');
  const sent = await client.post(`/services/${SERVICE}/submit`, { formToken });
  assert.equal(sent.status, 303);
  const confirmation = await client.get(sent.location!);
  const reference = testIdText(confirmation.body, 'reference');
  const accessCode = testIdText(confirmation.body, 'access-code');
  assert.ok(reference && accessCode, 'confirmation shows reference and access code');
  return { reference, accessCode, confirmation };
}
