import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { controlById, hiddenValue, HttpClient, pageText } from '../test-support/http-client.ts';
import { postPage, SERVICE } from '../test-support/http-forms.ts';
import { testApp, validAssembly } from '../test-support/runtime.ts';

let ctx: Awaited<ReturnType<typeof testApp>>;
before(async () => {
  ctx = await testApp();
});
after(async () => ctx?.close());

const shownOn = async (client: HttpClient, page: string) => hiddenValue((await client.get(`/services/${SERVICE}/form/${page}`)).body, '_shown');

test('an answer that reveals more fields on the same page asks for them instead of calling them wrong', async () => {
  const client = new HttpClient(ctx.app);
  const shown = await shownOn(client, 'bekanntgabe');
  assert.equal(shown, 'alreadyAnnounced', 'at first only the question is on the page');

  // The citizen answers "no" (not yet announced) and presses Continue: the date fields appear.
  const res = await client.post(`/services/${SERVICE}/form/bekanntgabe`, { alreadyAnnounced: 'no', _shown: shown! });
  assert.equal(res.status, 200);
  const text = pageText(res.body);
  assert.match(text, /Bitte ergänzen Sie/);
  assert.match(text, /Geplantes Datum der Bekanntgabe/);
  assert.doesNotMatch(text, /Bitte geben Sie „Geplantes Datum der Bekanntgabe“ an/, 'no error for a field the citizen has not seen yet');
  assert.doesNotMatch(res.body, /aria-invalid="true"/);
  assert.ok(controlById(res.body, 'alreadyAnnounced-no')?.checked, 'the answer is kept');
  assert.equal(hiddenValue(res.body, '_shown'), 'alreadyAnnounced,announcementDate,announcementTime');
  const draft = await ctx.runtime.db.selectFrom('drafts').select('data').execute();
  assert.ok(draft.every((d) => (d.data as Record<string, unknown>).alreadyAnnounced === undefined), 'nothing is saved half-way');

  // Sent again with the now visible field still empty: that is an error like any other.
  const empty = await client.post(`/services/${SERVICE}/form/bekanntgabe`, { alreadyAnnounced: 'no', announcementDate: '', _shown: hiddenValue(res.body, '_shown')! });
  assert.equal(empty.status, 422);
  assert.match(pageText(empty.body), /Bitte geben Sie „Geplantes Datum der Bekanntgabe“ an/);
});

test('dates typed the German way and times with a dot are understood', async () => {
  const client = new HttpClient(ctx.app);
  const data = validAssembly(ctx.runtime.now());
  const [y, m, d] = String(data.date).split('-');
  const res = await postPage(client, 'versammlung', { ...data, date: `${Number(d)}.${m}.${y}`, startTime: '9.30', endTime: '11:00 Uhr' });
  assert.equal(res.status, 303);
  const saved = await ctx.runtime.db.selectFrom('drafts').select('data').executeTakeFirstOrThrow();
  const values = saved.data as Record<string, string>;
  assert.equal(values.date, data.date);
  assert.equal(values.startTime, '09:30');
  assert.equal(values.endTime, '11:00');
});
