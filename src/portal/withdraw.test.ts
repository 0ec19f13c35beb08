import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { HttpClient, pageText, testIdText } from '../test-support/http-client.ts';
import { SERVICE, submitViaForm } from '../test-support/http-forms.ts';
import { testApp, validAssembly } from '../test-support/runtime.ts';

let ctx: Awaited<ReturnType<typeof testApp>>;
before(async () => {
  ctx = await testApp();
});
after(async () => ctx?.close());

test('the access code is shown once; a reload of the confirmation shows the reference and a way to the status', async () => {
  const citizen = new HttpClient(ctx.app);
  const { reference, accessCode, confirmation } = await submitViaForm(citizen, validAssembly(ctx.runtime.now()));
  assert.ok(confirmation.body.includes(accessCode), 'confirmation.body.includes(accessCode)');
  const reload = await citizen.get(`/services/${SERVICE}/confirmation`);
  assert.equal(reload.status, 200);
  assert.equal(testIdText(reload.body, 'reference'), reference);
  assert.equal(testIdText(reload.body, 'access-code'), undefined);
  assert.ok(!reload.body.includes(accessCode), 'the code is not shown a second time');
  assert.match(pageText(reload.body), /nur einmal/);
  const sessions = await ctx.runtime.db.selectFrom('sessions').select('data').execute();
  assert.ok(sessions.every((s) => !JSON.stringify(s.data).includes(accessCode)), 'no session keeps the access code after it was shown');
});

test('the organiser withdraws after confirming, and only their own case', async () => {
  const citizen = new HttpClient(ctx.app);
  const stranger = new HttpClient(ctx.app);
  const { reference, accessCode } = await submitViaForm(citizen, validAssembly(ctx.runtime.now()));
  await citizen.get('/status');
  const lookup = await citizen.post('/status', { reference, accessCode });
  assert.equal(lookup.status, 303);
  const statusUrl = lookup.location!;
  const caseId = statusUrl.split('/').pop()!;

  const status = await citizen.get(statusUrl);
  assert.match(status.body, new RegExp(`href="/status/${caseId}/actions/withdraw"`));
  const ask = await citizen.get(`/status/${caseId}/actions/withdraw`);
  assert.equal(ask.status, 200);
  assert.match(pageText(ask.body), /Anzeige zurückziehen\?/);
  assert.match(pageText(ask.body), /nicht rückgängig/);

  await stranger.get('/status');
  assert.equal((await stranger.get(`/status/${caseId}/actions/withdraw`)).status, 404, 'no proof, no page');
  assert.equal((await stranger.post(`/status/${caseId}/actions/withdraw`, { version: '1' })).status, 404, 'no proof, no action');

  const posted = await citizen.post(`/status/${caseId}/actions/withdraw`, { version: '1' });
  assert.equal(posted.status, 303);
  const done = await citizen.follow(posted);
  assert.equal(done.status, 200);
  assert.match(pageText(done.body), /Erledigt/);
  assert.equal(testIdText(done.body, 'state-label'), 'Zurückgezogen');
  assert.doesNotMatch(done.body, /actions\/withdraw/, 'a withdrawn notice offers no further action');
  const again = await citizen.post(`/status/${caseId}/actions/withdraw`, { version: '1' });
  assert.equal(again.status, 409);
});

test("another visitor's copy of a form token neither replays the confirmation nor files a case", async () => {
  const citizen = new HttpClient(ctx.app);
  const { fillForm } = await import('../test-support/http-forms.ts');
  await fillForm(citizen, validAssembly(ctx.runtime.now()));
  const formToken = /name="formToken" value="([^"]+)"/.exec((await citizen.get(`/services/${SERVICE}/check`)).body)?.[1];
  assert.ok(formToken, 'the check page carries the form token');
  const sent = await citizen.post(`/services/${SERVICE}/submit`, { formToken });
  assert.equal(sent.status, 303);

  const other = new HttpClient(ctx.app);
  await other.get(`/services/${SERVICE}/form/veranstalter`);
  const before = await ctx.runtime.db.selectFrom('cases').select('id').execute();
  const stolen = await other.post(`/services/${SERVICE}/submit`, { formToken });
  assert.equal(stolen.status, 409, 'no replay for another session');
  assert.doesNotMatch(stolen.body, /data-testid="access-code"/);
  const after = await ctx.runtime.db.selectFrom('cases').select('id').execute();
  assert.equal(after.length, before.length, 'and no new case');
});
