import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { serviceDefinitions } from '../services/index.ts';
import { HttpClient } from '../test-support/http-client.ts';
import { testRuntime, type TestRuntime } from '../test-support/runtime.ts';
import { loadCity } from './city.ts';
import { Catalogue } from './registry.ts';

/** The service list, searched with the words citizens use (issue 6 item 7). */
const catalogue = new Catalogue(serviceDefinitions, loadCity('halle'));
const ids = (q: string, lang: 'de' | 'en' = 'de') => catalogue.search(q, lang).map((d) => d.id);

test('"umziehen" finds the address registration first, then de-registration and the moving van', () => {
  const found = ids('umziehen');
  assert.equal(found[0], 'wohnsitzanmeldung', `first: ${found.join(', ')}`);
  for (const id of ['abmeldung', 'sondernutzung-halteverbot']) assert.ok(found.includes(id), `"umziehen" lists ${id}: ${found.join(', ')}`);
});

test('"Ausweis verloren" finds the ID card and lost property', () => {
  const found = ids('Ausweis verloren');
  for (const id of ['personalausweis', 'fundsache']) assert.ok(found.includes(id), `"Ausweis verloren" lists ${id}: ${found.join(', ')}`);
  assert.ok(!found.includes('hundesteuer'), 'nothing unrelated');
});

test('"Hund" finds the dog tax first; other everyday words find their service', () => {
  assert.equal(ids('Hund')[0], 'hundesteuer', 'the dog tax');
  assert.equal(ids('heiraten')[0], 'eheschliessung', 'the wedding');
  assert.ok(ids('gründen').slice(0, 2).includes('unternehmensgruendung'), `founding among the first: ${ids('gründen').join(', ')}`);
  assert.ok(ids('Sperrmüll').includes('sperrmuell'), 'umlauts are folded');
  assert.ok(ids('passport', 'en').includes('reisepass'), 'English words too');
  assert.deepEqual(ids('Raumschiff'), [], 'nothing for an unknown word');
});

let rt: TestRuntime;
let app: FastifyInstance;
before(async () => {
  rt = await testRuntime();
  app = await buildApp(rt);
  await app.ready();
});
after(async () => {
  await app?.close();
  await rt?.close();
});

test('the search page lists the results with links, keeps the words and says when nothing matched', async () => {
  const client = new HttpClient(app);
  const page = await client.get('/services?q=Ausweis%20verloren');
  assert.equal(page.status, 200, 'the results page');
  assert.match(page.body, /value="Ausweis verloren"/, 'the words stay in the search field');
  assert.match(page.body, /href="\/services\/personalausweis"/, 'the ID card is linked');
  assert.match(page.body, /href="\/services\/fundsache"/, 'lost property is linked');
  const none = await client.get('/services?q=Raumschiff');
  assert.match(none.body, /0 Treffer/, 'no result is said');
});
