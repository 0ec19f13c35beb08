import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { HttpClient, HttpResponse } from './http-client.ts';

/**
 * Signing a citizen in over real HTTP the way a person without a passkey does: request an
 * e-mail link, read it from the mail outbox, open it, confirm. Shared by the HTTP tests.
 */
export async function linkFor(db: Kysely<Database>, email: string): Promise<string> {
  const mail = await db.selectFrom('mail_outbox').select(['text_body', 'sent_at']).where('to_address', '=', email).orderBy('created_at', 'desc').executeTakeFirst();
  assert.ok(mail, `a mail to ${email} is in the outbox`);
  assert.ok(mail.sent_at, 'the mail is marked sent (outbox transport)');
  const m = /https?:\/\/[^\s]+(\/account\/link\/[A-Za-z0-9_-]{43})/.exec(mail.text_body);
  assert.ok(m, 'the mail carries a sign-in link');
  return m[1]!;
}

export async function requestLink(client: HttpClient, email: string): Promise<HttpResponse> {
  const page = await client.get('/account/sign-in');
  assert.equal(page.status, 200);
  return client.post('/account/sign-in/email', { email });
}

export const hiddenToken = (html: string): string => {
  const m = /<input type="hidden" name="token" value="([^"]+)"/.exec(html);
  assert.ok(m, 'the confirmation page carries the token in a hidden field');
  return m[1]!;
};

/** Requests a link, opens it and confirms: the client is signed in. */
export async function signInCitizen(db: Kysely<Database>, client: HttpClient, email: string): Promise<void> {
  const sent = await requestLink(client, email);
  assert.equal(sent.status, 303, 'link request accepted');
  const confirm = await client.get(await linkFor(db, email));
  assert.equal(confirm.status, 200);
  const done = await client.post('/account/link', { token: hiddenToken(confirm.body) });
  assert.equal(done.status, 303, 'sign-in confirmed');
  assert.equal(done.location, '/my-cases');
}
