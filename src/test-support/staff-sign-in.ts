import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { totpFor } from '../identity/staff-auth.ts';
import { HttpClient } from './http-client.ts';
import { demoStaff } from './runtime.ts';

/** A demo staff member signed in over HTTP with password and TOTP, as in the browser. */
export async function signInStaff(app: FastifyInstance, username: string): Promise<HttpClient> {
  const client = new HttpClient(app);
  assert.equal((await client.get('/staff/sign-in')).status, 200, 'sign-in page');
  const first = await client.post('/staff/sign-in', { username, password: demoStaff(username).password });
  assert.equal(first.location, '/staff/sign-in/code', `password step for ${username}`);
  assert.equal((await client.get('/staff/sign-in/code')).status, 200, 'code page');
  const second = await client.post('/staff/sign-in/code', { code: totpFor(demoStaff(username).totpSecret).generate() });
  assert.equal(second.status, 303, `TOTP step for ${username}`);
  return client;
}
