import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { formatReference } from '../cases/reference.ts';
import { hashToken } from '../identity/sessions.ts';
import { controlById, escapeRegExp, HttpClient, pageText, testIdText } from '../test-support/http-client.ts';
import { fillForm, PAGE_ORDER, pageValues, postPage, SERVICE, submitViaForm } from '../test-support/http-forms.ts';
import { testApp, validAssembly, type TestRuntime } from '../test-support/runtime.ts';

/**
 * The citizens' face over real HTTP (inject) and a real database: catalogue, the multi-page form
 * without JavaScript, check your answers, submission, confirmation, status lookup.
 */
const LOOKUP_LIMIT = 3;
let app: FastifyInstance;
let runtime: TestRuntime;
let close: () => Promise<void>;

before(async () => {
  ({ app, runtime, close } = await testApp({ config: { statusLookupsPerMinute: LOOKUP_LIMIT } }));
});
after(async () => {
  await close();
});

const day = (offset: number) => new Date(Date.now() + offset * 24 * 3600_000).toISOString().slice(0, 10);
const countCases = async () => Number((await runtime.db.selectFrom('cases').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
const draftsOf = async (client: HttpClient) => {
  const token = client.cookies.get('aw_session');
  assert.ok(token, 'client has a session cookie');
  return runtime.db.selectFrom('drafts').selectAll().where('session_id_hash', '=', hashToken(token)).execute();
};
/** The messages shown in the error summary, with the anchors they link to. */
const summaryLinks = (html: string) => {
  const box = /aw-error-summary[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...box.matchAll(/<a[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g)].map((m) => ({ href: m[1]!, text: pageText(m[2]!) }));
};
const fieldError = (html: string, id: string) => {
  const m = new RegExp(`id="${escapeRegExp(id)}-error"[^>]*>([\\s\\S]*?)</p>`).exec(html);
  return m ? pageText(m[1]!) : undefined;
};

describe('catalogue', () => {
  test('home page lists the service and links to the status lookup', async () => {
    const res = await new HttpClient(app).get('/');
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.match(res.body, /<html lang="de"/);
    assert.match(res.body, new RegExp(`href="/services/${SERVICE}"`));
    assert.match(res.body, /Versammlung anzeigen/);
    assert.match(res.body, /href="\/status"/);
  });

  test('search finds the service by an everyday word and not by nonsense', async () => {
    const client = new HttpClient(app);
    const hit = await client.get('/services?q=demo');
    assert.equal(hit.status, 200);
    assert.match(hit.body, new RegExp(`href="/services/${SERVICE}"`));
    const list = await client.get('/services');
    assert.match(list.body, new RegExp(`href="/services/${SERVICE}"`));
    const miss = await client.get('/services?q=zzqqxx-nothing');
    assert.equal(miss.status, 200);
    assert.doesNotMatch(miss.body, new RegExp(`href="/services/${SERVICE}"`));
    // The query is echoed back escaped, never as markup.
    const xss = await client.get(`/services?q=${encodeURIComponent('<script>alert(1)</script>')}`);
    assert.equal(xss.status, 200);
    assert.doesNotMatch(xss.body, /<script>alert\(1\)<\/script>/);
  });

  test('service start page; unknown service is a 404 page', async () => {
    const client = new HttpClient(app);
    const start = await client.get(`/services/${SERVICE}`);
    assert.equal(start.status, 200);
    assert.match(start.body, new RegExp(`href="/services/${SERVICE}/form/veranstalter"`));
    const unknown = await client.get('/services/no-such-service');
    assert.equal(unknown.status, 404);
    assert.match(unknown.body, /Diese Leistung gibt es nicht/);
  });
});

describe('the form without JavaScript', () => {
  test('opening a page sets a session cookie and a CSRF cookie and embeds the token', async () => {
    const client = new HttpClient(app);
    const res = await client.get(`/services/${SERVICE}/form/veranstalter`);
    assert.equal(res.status, 200);
    const setCookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    assert.ok(setCookies.some((c) => c.startsWith('aw_session=')), 'session cookie');
    assert.ok(setCookies.some((c) => c.startsWith('aw_csrf=')), 'csrf cookie');
    assert.ok(client.csrf && client.csrf.length > 10, 'page carries a _csrf hidden field');
    assert.match(res.body, new RegExp(`<form method="post" action="/services/${SERVICE}/form/veranstalter"`));
  });

  test('a POST without _csrf (or with a forged one) is refused with 403 and a clear message, nothing saved', async () => {
    const client = new HttpClient(app);
    await client.get(`/services/${SERVICE}/form/veranstalter`);
    const data = pageValues('veranstalter', validAssembly());
    const missing = await client.post(`/services/${SERVICE}/form/veranstalter`, data, { csrf: false });
    assert.equal(missing.status, 403);
    assert.match(pageText(missing.body), /Das Formular ist abgelaufen oder wurde nicht von dieser Seite gesendet/);
    const forged = await client.post(`/services/${SERVICE}/form/veranstalter`, { ...data, _csrf: 'forged-token' });
    assert.equal(forged.status, 403);
    // A token without the matching secret cookie (another browser) is refused as well.
    const stranger = new HttpClient(app);
    const strangerPost = await stranger.post(`/services/${SERVICE}/form/veranstalter`, { ...data, _csrf: client.csrf! });
    assert.equal(strangerPost.status, 403);
    assert.deepEqual(await draftsOf(client), []);
  });

  test('errors: 422, summary linking to each field, message at each field, every typed value kept, nothing saved', async () => {
    const client = new HttpClient(app);
    const typed = {
      organiserName: 'Erika <b>Muster</b> "Frau"',
      organisation: 'Bündnis & Co',
      street: '',
      postcode: '123',
      town: '',
      email: 'not-an-email',
      phone: 'call me',
    };
    const res = await postPage(client, 'veranstalter', typed);
    assert.equal(res.status, 422);
    const links = summaryLinks(res.body);
    assert.deepEqual(
      links.map((l) => l.href).sort(),
      ['#email', '#phone', '#postcode', '#street', '#town'],
      'one summary entry per invalid field, linking to it',
    );
    for (const { href, text } of links) {
      const id = href.slice(1);
      assert.ok(controlById(res.body, id), `the link target #${id} exists`);
      assert.equal(fieldError(res.body, id), text, `the same message is shown at #${id}`);
    }
    assert.match(links.find((l) => l.href === '#postcode')!.text, /fünfstellige Postleitzahl/);
    assert.match(links.find((l) => l.href === '#street')!.text, /Straße und Hausnummer/);
    for (const [id, value] of Object.entries(typed)) {
      assert.equal(controlById(res.body, id)?.value ?? '', value, `typed value of ${id} is kept`);
    }
    assert.match(controlById(res.body, 'postcode')!.tag, /aria-invalid="true"/);
    assert.doesNotMatch(res.body, /<b>Muster<\/b>/, 'typed markup is escaped');
    assert.deepEqual(await draftsOf(client), [], 'nothing is saved for an invalid page');
  });

  test('an invalid page leaves earlier answers of the same page untouched', async () => {
    const client = new HttpClient(app);
    const data = validAssembly();
    assert.equal((await postPage(client, 'veranstalter', data)).status, 303);
    const before = await draftsOf(client);
    assert.equal(before.length, 1);
    assert.equal((before[0]!.data as Record<string, string>).organiserName, 'Erika Mustermann');
    const res = await postPage(client, 'veranstalter', { ...data, organiserName: 'Someone Else', email: 'broken' });
    assert.equal(res.status, 422);
    assert.equal(controlById(res.body, 'organiserName')?.value, 'Someone Else');
    const afterwards = await draftsOf(client);
    assert.deepEqual(afterwards[0]!.data, before[0]!.data);
    // And the form shows the saved answers again when the page is reopened.
    const reopened = await client.get(`/services/${SERVICE}/form/veranstalter`);
    assert.equal(controlById(reopened.body, 'organiserName')?.value, 'Erika Mustermann');
  });

  test('valid pages redirect (303) to the next page, the last one to check your answers', async () => {
    const client = new HttpClient(app);
    const data = validAssembly();
    for (let i = 0; i < PAGE_ORDER.length; i++) {
      const res = await postPage(client, PAGE_ORDER[i]!, data);
      assert.equal(res.status, 303, PAGE_ORDER[i]);
      const next = PAGE_ORDER[i + 1];
      assert.equal(res.location, next ? `/services/${SERVICE}/form/${next}` : `/services/${SERVICE}/check`);
    }
  });

  test('checkboxes and radios keep their choice after an error elsewhere on the page', async () => {
    const client = new HttpClient(app);
    const data = validAssembly();
    const res = await postPage(client, 'umfang', { ...data, participants: 'viele', aids: ['loudspeaker', 'stage'] });
    assert.equal(res.status, 422);
    assert.ok(controlById(res.body, 'aids')?.checked, 'first checkbox (loudspeaker) stays ticked');
    assert.ok(controlById(res.body, 'aids-stage')?.checked, 'stage stays ticked');
    assert.ok(!controlById(res.body, 'aids-megaphone')?.checked, 'megaphone stays unticked');
    assert.equal(controlById(res.body, 'participants')?.value, 'viele');
    assert.match(fieldError(res.body, 'participants') ?? '', /ganze Zahl/);
    const when = await postPage(client, 'versammlung', { ...data, kind: 'march', startTime: '25:99' });
    assert.equal(when.status, 422);
    assert.ok(controlById(when.body, 'kind-march')?.checked, 'the chosen radio stays selected');
    assert.ok(!controlById(when.body, 'kind')?.checked, '!controlById(when.body, \'kind\')?.checked');
    assert.equal(controlById(when.body, 'startTime')?.value, '25:99');
  });

  describe('rules of the Versammlungsanzeige', () => {
    test('announcement less than 48 h ahead: the page explains the rule and asks "Eilversammlung?"', async () => {
      const client = new HttpClient(app);
      const data = validAssembly(new Date(), { announcementDate: day(1), announcementTime: '' });
      for (const page of PAGE_ORDER.slice(0, -1)) assert.equal((await postPage(client, page, data)).status, 303);
      const first = await postPage(client, 'bekanntgabe', data);
      assert.equal(first.status, 422, 'the new question must be answered');
      const text = pageText(first.body);
      assert.match(text, /spätestens 48 Stunden vor ihrer Bekanntgabe/);
      assert.match(text, /Eilversammlung\?/);
      assert.ok(controlById(first.body, 'urgent'), 'the Eilversammlung question is shown');
      assert.deepEqual(summaryLinks(first.body).map((l) => l.href), ['#urgent']);
      assert.equal(controlById(first.body, 'announcementDate')?.value, day(1));

      const no = await postPage(client, 'bekanntgabe', { ...data, urgent: 'no' });
      assert.equal(no.status, 422);
      assert.match(fieldError(no.body, 'urgent') ?? '', /Ohne Eilversammlung muss die Anzeige mindestens 48 Stunden vor der Bekanntgabe eingehen/);
      assert.ok(controlById(no.body, 'urgent-no')?.checked, 'the answer "no" stays selected');

      const yesWithoutReason = await postPage(client, 'bekanntgabe', { ...data, urgent: 'yes', urgentReason: '' });
      assert.equal(yesWithoutReason.status, 422);
      assert.deepEqual(summaryLinks(yesWithoutReason.body).map((l) => l.href), ['#urgentReason']);
      assert.match(fieldError(yesWithoutReason.body, 'urgentReason') ?? '', /Warum war eine frühere Anzeige nicht möglich/);

      const reason = 'Der Anlass (Werksschließung) wurde erst heute bekannt.';
      const yes = await postPage(client, 'bekanntgabe', { ...data, urgent: 'yes', urgentReason: reason });
      assert.equal(yes.status, 303);
      assert.equal(yes.location, `/services/${SERVICE}/check`);
      const check = await client.get(`/services/${SERVICE}/check`);
      assert.equal(check.status, 200);
      assert.match(pageText(check.body), new RegExp(escapeRegExp(reason)));
    });

    test('an announcement far enough ahead does not ask about an Eilversammlung', async () => {
      const client = new HttpClient(app);
      const res = await postPage(client, 'bekanntgabe', validAssembly());
      assert.equal(res.status, 303);
      const page = await client.get(`/services/${SERVICE}/form/bekanntgabe`);
      assert.equal(controlById(page.body, 'urgent'), undefined);
      assert.doesNotMatch(pageText(page.body), /Eilversammlung\?/);
    });

    test('a march needs a route', async () => {
      const client = new HttpClient(app);
      const data = validAssembly(new Date(), { kind: 'march', assemblyPoint: 'Hauptbahnhof', endPoint: 'Marktplatz', route: '' });
      assert.equal((await postPage(client, 'versammlung', data)).status, 303);
      const page = await client.get(`/services/${SERVICE}/form/ort`);
      assert.ok(controlById(page.body, 'route'), 'route is asked for a march');
      assert.equal(controlById(page.body, 'place'), undefined, 'the single place is not asked for a march');
      const missing = await postPage(client, 'ort', data);
      assert.equal(missing.status, 422);
      assert.deepEqual(summaryLinks(missing.body).map((l) => l.href), ['#route']);
      assert.equal(controlById(missing.body, 'assemblyPoint')?.value, 'Hauptbahnhof');
      const tooShort = await postPage(client, 'ort', { ...data, route: 'Markt' });
      assert.equal(tooShort.status, 422);
      assert.match(fieldError(tooShort.body, 'route') ?? '', /Für einen Aufzug beschreiben Sie bitte den Weg/);
      const ok = await postPage(client, 'ort', { ...data, route: 'Leipziger Straße, Große Ulrichstraße, Marktplatz' });
      assert.equal(ok.status, 303);
    });

    test('the end must be after the start', async () => {
      const client = new HttpClient(app);
      const res = await postPage(client, 'versammlung', validAssembly(new Date(), { startTime: '14:00', endTime: '13:00' }));
      assert.equal(res.status, 422);
      assert.deepEqual(summaryLinks(res.body).map((l) => l.href), ['#endTime']);
      assert.match(fieldError(res.body, 'endTime') ?? '', /Das Ende muss nach dem Beginn liegen/);
      assert.equal(controlById(res.body, 'endTime')?.value, '13:00');
      assert.equal(controlById(res.body, 'startTime')?.value, '14:00');
    });

    test('the date must be in the future and at most two years ahead', async () => {
      const client = new HttpClient(app);
      const past = await postPage(client, 'versammlung', validAssembly(new Date(), { date: day(-2) }));
      assert.equal(past.status, 422);
      assert.match(fieldError(past.body, 'date') ?? '', /muss in der Zukunft liegen/);
      assert.equal(controlById(past.body, 'date')?.value, day(-2));
      const far = await postPage(client, 'versammlung', validAssembly(new Date(), { date: day(2 * 366 + 10) }));
      assert.equal(far.status, 422);
      assert.match(fieldError(far.body, 'date') ?? '', /höchstens 2 Jahre im Voraus/);
      const notADate = await postPage(client, 'versammlung', validAssembly(new Date(), { date: '2027-02-30' }));
      assert.equal(notADate.status, 422);
      assert.match(fieldError(notADate.body, 'date') ?? '', /echtes Datum/);
      assert.deepEqual(await draftsOf(client), []);
    });

    test('there cannot be more stewards than participants', async () => {
      const client = new HttpClient(app);
      const res = await postPage(client, 'umfang', validAssembly(new Date(), { participants: '10', stewards: '11' }));
      assert.equal(res.status, 422);
      assert.deepEqual(summaryLinks(res.body).map((l) => l.href), ['#stewards']);
      assert.match(fieldError(res.body, 'stewards') ?? '', /nicht mehr Ordnerinnen und Ordner als Teilnehmende/);
      assert.equal(controlById(res.body, 'participants')?.value, '10');
      assert.equal(controlById(res.body, 'stewards')?.value, '11');
    });
  });

  test('check your answers lists every answer, with change links back to the form', async () => {
    const client = new HttpClient(app);
    const check = await fillForm(client, validAssembly(new Date(), { subject: 'Für sichere Schulwege', place: 'Hallmarkt', participants: '250' }));
    const text = pageText(check.body);
    for (const expected of ['Erika Mustermann', 'Marktplatz 1', '06108', 'erika@example.org', '0345 123456', 'Für sichere Schulwege', 'Hallmarkt', '250', 'Transparente, Fahnen, Schilder']) {
      assert.ok(text.includes(expected), `check page shows ${expected}`);
    }
    assert.match(check.body, new RegExp(`href="/services/${SERVICE}/form/umfang\\?return=check#participants"`));
    // Changing an answer from the summary returns to the summary.
    const changed = await client.post(`/services/${SERVICE}/form/umfang`, { ...pageValues('umfang', validAssembly()), participants: '300', _return: 'check' });
    assert.equal(changed.status, 303);
    assert.equal(changed.location, `/services/${SERVICE}/check`);
    assert.match(pageText((await client.get(`/services/${SERVICE}/check`)).body), /300/);
  });
});

describe('submission and status', () => {
  let reference = '';
  let accessCode = '';
  let caseId = '';

  test('submit → 303 to the confirmation with a reference and an access code; the draft is gone', async () => {
    const client = new HttpClient(app);
    const casesBefore = await countCases();
    const sent = await submitViaForm(client, validAssembly());
    reference = sent.reference;
    accessCode = sent.accessCode;
    assert.match(reference, /^HAL-\d{4}-\d{6}-\d$/);
    assert.match(accessCode, /^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/);
    assert.equal(sent.confirmation.status, 200);
    assert.equal(await countCases(), casesBefore + 1);
    const row = await runtime.db.selectFrom('cases').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow();
    caseId = row.id;
    assert.equal(row.state, 'received');
    assert.equal((row.form_data as Record<string, string>).organiserName, 'Erika Mustermann');
    assert.deepEqual(await draftsOf(client), []);
    // The confirmation belongs to this visitor only.
    const other = await new HttpClient(app).get(`/services/${SERVICE}/confirmation`);
    assert.equal(other.status, 303);
    assert.doesNotMatch(other.body, new RegExp(escapeRegExp(accessCode)));
  });

  test('submitting twice with the same form token (double click) files exactly one case', async () => {
    const client = new HttpClient(app);
    await fillForm(client, validAssembly(new Date(), { subject: 'Doppelklick-Test' }));
    const check = await client.get(`/services/${SERVICE}/check`);
    const formToken = /name="formToken" value="([^"]+)"/.exec(check.body)![1]!;
    const first = await client.post(`/services/${SERVICE}/submit`, { formToken });
    const second = await client.post(`/services/${SERVICE}/submit`, { formToken });
    assert.equal(first.status, 303);
    assert.equal(second.status, 303);
    assert.equal(second.location, first.location);
    const confirmation = await client.get(second.location!);
    const rows = await runtime.db.selectFrom('cases').select(['reference']).where(sql<string>`form_data->>'subject'`, '=', 'Doppelklick-Test').execute();
    assert.equal(rows.length, 1, 'exactly one case');
    assert.equal(testIdText(confirmation.body, 'reference'), rows[0]!.reference);
  });

  test('two simultaneous submissions with the same form token file exactly one case', async () => {
    const client = new HttpClient(app);
    await fillForm(client, validAssembly(new Date(), { subject: 'Gleichzeitig-Test' }));
    const formToken = /name="formToken" value="([^"]+)"/.exec((await client.get(`/services/${SERVICE}/check`)).body)![1]!;
    const [a, b] = await Promise.all([client.post(`/services/${SERVICE}/submit`, { formToken }), client.post(`/services/${SERVICE}/submit`, { formToken })]);
    assert.deepEqual([a.status, b.status], [303, 303]);
    const rows = await runtime.db.selectFrom('cases').select('id').where(sql<string>`form_data->>'subject'`, '=', 'Gleichzeitig-Test').execute();
    assert.equal(rows.length, 1);
  });

  test('a stale or foreign form token is refused with a clear conflict message', async () => {
    const client = new HttpClient(app);
    await fillForm(client, validAssembly());
    const res = await client.post(`/services/${SERVICE}/submit`, { formToken: '00000000-0000-4000-8000-000000000000' });
    assert.equal(res.status, 409);
    assert.match(pageText(res.body), /Dieses Formular ist nicht mehr aktuell/);
  });

  test('status lookup with the right reference and code → 303 to /status/<id> showing "Eingegangen"', async () => {
    assert.ok(caseId, 'depends on the submission test');
    const client = new HttpClient(app);
    const form = await client.get('/status');
    assert.equal(form.status, 200);
    const res = await client.post('/status', { reference, accessCode });
    assert.equal(res.status, 303);
    assert.equal(res.location, `/status/${caseId}`);
    const status = await client.get(res.location!);
    assert.equal(status.status, 200);
    assert.equal(testIdText(status.body, 'state-label'), 'Eingegangen');
    assert.match(pageText(status.body), new RegExp(escapeRegExp(reference)));
    // Sloppy typing of the reference and code still finds the case.
    const sloppy = await new HttpClient(app).post('/status', { reference: reference.toLowerCase().replace(/-/g, ' '), accessCode: accessCode.toLowerCase() }, { csrf: false });
    assert.equal(sloppy.status, 403, 'still needs the CSRF token');
    const client2 = new HttpClient(app);
    await client2.get('/status');
    const sloppyOk = await client2.post('/status', { reference: reference.toLowerCase().replace(/-/g, ' '), accessCode: accessCode.toLowerCase() });
    assert.equal(sloppyOk.status, 303);
  });

  test('the status page of a case is shown only to a visitor who proved it', async () => {
    const stranger = new HttpClient(app);
    const res = await stranger.get(`/status/${caseId}`);
    assert.equal(res.status, 404);
    assert.doesNotMatch(res.body, new RegExp(escapeRegExp(reference)));
  });

  test('a wrong code and an unknown reference get the identical status and text', async () => {
    const client = new HttpClient(app);
    await client.get('/status');
    const wrongCode = await client.post('/status', { reference, accessCode: 'ZZZZZ-ZZZZZ' });
    const year = new Date().getUTCFullYear();
    const unknown = await client.post('/status', { reference: formatReference('HAL', year, 987654), accessCode });
    assert.equal(wrongCode.status, unknown.status);
    assert.ok(wrongCode.status >= 400 && wrongCode.status < 500, 'wrongCode.status >= 400 && wrongCode.status < 500');
    const message = (html: string) => summaryLinks(html).map((l) => l.text);
    assert.deepEqual(message(wrongCode.body), message(unknown.body));
    assert.match(message(wrongCode.body).join(' '), /Wir finden keinen Vorgang mit diesem Aktenzeichen und diesem Zugangscode/);
    // Apart from the echoed input and the CSRF token, the two pages are the same.
    const normalise = (html: string, ref: string) => html.replace(/name="_csrf" value="[^"]*"/g, '').replaceAll(ref, 'REF').replace(/value="[A-Z0-9]{5}-[A-Z0-9]{5}"/g, 'value="CODE"');
    assert.equal(normalise(wrongCode.body, reference), normalise(unknown.body, formatReference('HAL', year, 987654)));
    assert.equal(controlById(wrongCode.body, 'reference')?.value, reference, 'typed reference kept');
  });

  test('an empty lookup names both missing fields', async () => {
    const client = new HttpClient(app);
    await client.get('/status');
    const res = await client.post('/status', { reference: '', accessCode: '' });
    assert.equal(res.status, 422);
    assert.deepEqual(summaryLinks(res.body).map((l) => l.href), ['#reference', '#accessCode']);
  });

  test(`lookups are rate-limited per client: 429 with Retry-After after ${LOOKUP_LIMIT}`, async () => {
    const client = new HttpClient(app);
    await client.get('/status');
    for (let i = 0; i < LOOKUP_LIMIT; i++) {
      const res = await client.post('/status', { reference, accessCode: 'ZZZZZ-ZZZZZ' });
      assert.notEqual(res.status, 429, `lookup ${i + 1} is allowed`);
    }
    const limited = await client.post('/status', { reference, accessCode });
    assert.equal(limited.status, 429);
    const retryAfter = Number(limited.headers['retry-after']);
    assert.ok(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 60, `Retry-After is a number of seconds (got ${limited.headers['retry-after']})`);
    assert.match(pageText(limited.body), /Zu viele Versuche/);
    // Even the right code is refused while limited, and no case id leaks.
    assert.equal(limited.location, undefined);
    // Another client is not affected.
    const other = new HttpClient(app);
    await other.get('/status');
    assert.equal((await other.post('/status', { reference, accessCode })).status, 303);
  });
});

describe('language', () => {
  test('English via /lang?to=en, German again via /lang?to=de', async () => {
    const client = new HttpClient(app);
    const switched = await client.get(`/lang?to=en&back=${encodeURIComponent('/services')}`);
    assert.equal(switched.status, 303);
    assert.equal(switched.location, '/services');
    assert.equal(client.cookies.get('aw_lang'), 'en');
    const home = await client.get('/');
    assert.match(home.body, /<html lang="en"/);
    assert.match(home.body, /Notify a public assembly/);
    assert.doesNotMatch(home.body, /Versammlung anzeigen/);
    const form = await postPage(client, 'veranstalter', { organiserName: '' });
    assert.equal(form.status, 422);
    assert.match(fieldError(form.body, 'organiserName') ?? '', /Enter “Full name”/);
    const back = await client.get('/lang?to=de');
    assert.equal(back.location, '/');
    assert.match((await client.get('/')).body, /<html lang="de"/);
  });

  test('/lang never redirects off-site, whatever "back" holds', async () => {
    // A tab or newline is dropped by browsers: "/<TAB>/evil.example" would become "//evil.example".
    for (const back of ['//evil.example/', 'https://evil.example/', '/\\evil.example', '/\t/evil.example', '/\n/evil.example', '/\r\nSet-Cookie: x=1', '/€uro']) {
      const res = await new HttpClient(app).get(`/lang?to=en&back=${encodeURIComponent(back)}`);
      assert.equal(res.status, 303, JSON.stringify(back));
      assert.equal(res.location, '/', JSON.stringify(back));
      assert.equal(res.headers['set-cookie']?.toString().includes('x=1'), false);
    }
    const local = await new HttpClient(app).get(`/lang?to=en&back=${encodeURIComponent('/services?q=demo')}`);
    assert.equal(local.location, '/services?q=demo');
  });
});
