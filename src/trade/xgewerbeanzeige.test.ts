import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { validateXML } from 'xmllint-wasm';
import { validTradeEnd, validTradeRegistration } from './trade-fixtures.ts';
import { tradeNoticeFromForm, type TradeNotice } from './trade-notice.ts';
import { buildGewerbemeldung, messageRootName, XGEWERBEANZEIGE_NAMESPACE, type MessageReader } from './xgewerbeanzeige.ts';
import type { RecipientKind } from './recipients.ts';

const SAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'standards', 'xgewerbeanzeige');
const sample22 = readFileSync(path.join(SAMPLES, 'xgwa2.2-valid.xml'), 'utf8');
const sample21 = readFileSync(path.join(SAMPLES, 'xgwa2.1-valid.xml'), 'utf8');

const now = new Date('2026-11-30T09:00:00Z');
const author = { municipalityKey: '15002000', name: 'Gewerbeamt, Stadt Halle (Saale)', email: 'gewerbeamt@halle.invalid', address: { street: 'Marktplatz', houseNumber: '1', postcode: '06108', town: 'Halle (Saale)' } };

function build(notice: TradeNotice, kind: RecipientKind = 'sta', reader: Partial<MessageReader> = {}) {
  return buildGewerbemeldung({
    notice,
    reader: { kind, name: 'Statistisches Landesamt Sachsen-Anhalt', readerId: '150000000000', url: 'https://example.org/xga', ...reader },
    author,
    messageId: '7b0e0c1e-3c57-4f5b-8f7e-2a9f6f1c0a01',
    recordId: '4a5b6c7d-1111-4222-8333-944455556666',
    businessId: '0c9003a6-5b4f-4a99-98ae-b2b915708c1d',
    reference: 'HAL-2026-000123',
    createdAt: now,
    eventAt: now,
    submittedAt: new Date('2026-11-29T23:30:00Z'),
    timeZone: 'Europe/Berlin',
  });
}

type Node = Record<string, unknown>;
const localName = (tag: string) => tag.replace(/^[^:]+:/, '');

/** Per element path (root named ROOT), the names of each occurrence's child elements in document order. */
function childOrders(xml: string): Map<string, string[][]> {
  const tree = new XMLParser({ preserveOrder: true, ignoreAttributes: true, commentPropName: '#comment' }).parse(xml) as Node[];
  const orders = new Map<string, string[][]>();
  const walk = (nodes: Node[], at: string): string[] => {
    const names: string[] = [];
    for (const node of nodes) {
      const tag = Object.keys(node).find((k) => k !== ':@' && !k.startsWith('#') && !k.startsWith('?'));
      if (!tag) continue;
      const name = at === '' ? 'ROOT' : localName(tag);
      names.push(name);
      const children = node[tag];
      const path = at === '' ? 'ROOT' : `${at}/${name}`;
      if (Array.isArray(children)) {
        const own = walk(children as Node[], path);
        if (own.length > 0) orders.set(path, [...(orders.get(path) ?? []), own]);
      }
    }
    return names;
  };
  walk(tree, '');
  return orders;
}

const collapse = (names: string[]) => names.filter((n, i) => n !== names[i - 1]);

/** Does `names` appear in `ref` as a subsequence (repeated siblings counted once)? */
function inOrder(names: string[], ref: string[]): boolean {
  let i = 0;
  for (const name of collapse(names)) {
    const j = ref.indexOf(name, i);
    if (j < 0) return false;
    i = j + 1;
  }
  return true;
}

/**
 * Every element of `ours` exists at the same path in a sample, and siblings come in that
 * sample's order (the samples are one Anmeldung and one Abmeldung; their `gewerbe` parts are alike). `codeLeaves`: the older sample writes some codes as plain text where 2.2 has a
 * `code` child; such a child is not compared.
 */
function assertOrderLike(ours: string, samples: readonly string[], label: string, options: { codeLeaves?: readonly string[] } = {}) {
  const a = childOrders(ours);
  // Both samples together: the Anmeldung's elements under the other notice kinds' names as well.
  const b = new Map<string, string[][]>();
  for (const sample of samples)
    for (const [p, o] of childOrders(sample))
      for (const kind of ['anmeldung', 'ummeldung', 'abmeldung']) {
        const key = p.replace(/\/satz\/(anmeldung|abmeldung)/, `/satz/${kind}`);
        b.set(key, [...(b.get(key) ?? []), ...o]);
      }
  let compared = 0;
  for (const [parent, occurrences] of a) {
    if (options.codeLeaves?.some((leaf) => parent.endsWith(`/${leaf}`))) continue;
    const refs = b.get(parent);
    assert.ok(refs, `${label}: element ${parent} exists in the sample`);
    for (const names of occurrences) {
      assert.ok(
        refs.some((ref) => inOrder(names, ref)),
        `${label}: the children of ${parent} (${collapse(names).join(', ')}) are in the sample and in its order (${collapse(refs[0]!).join(', ')})`,
      );
      compared += names.length;
    }
  }
  assert.ok(compared > 60, `${label}: a substantial message was compared (${compared} elements)`);
}

test('an Anmeldung with a register entry has the elements of the 2.2 sample, in its order, and is well-formed', async () => {
  const notice = tradeNoticeFromForm(
    'anmeldung',
    validTradeRegistration(now, {
      legalForm: 'ek',
      registered: 'yes',
      registerType: 'HRA',
      registerNumber: '11111',
      registerCourt: 'Stendal',
      registeredName: 'Erika Mustermann e.K.',
      nationality: 'CL',
      phone: '0345 141455',
      residenceTitle: 'yes',
      activityCategory: 'handwerk',
      businessType: ['handwerk', 'handel'],
      craftAnnex: 'a',
      permitStatus: 'yes',
      wzKey: '96021',
    }),
  );
  const xml = build(notice, 'abh');
  assertOrderLike(xml, [sample22], 'Anmeldung');
  const lint = await validateXML({ xml: { fileName: 'message.xml', contents: xml }, normalization: 'c14n' });
  assert.ok(lint.valid, `well-formed (${lint.errors.map((e) => e.message).join('; ')})`);

  const parsed = new XMLParser({ ignoreAttributes: false, removeNSPrefix: false, parseTagValue: false }).parse(xml);
  const root = parsed['xga:abh.gewerbemeldung.0500'];
  assert.ok(root, 'root element abh.gewerbemeldung.0500 (DOMAIN.md)');
  assert.equal(root['@_xmlns:xga'], XGEWERBEANZEIGE_NAMESPACE);
  assert.equal(root['@_version'], '2.2');
  const kopf = root['xga:nachrichtenkopf'];
  assert.equal(kopf['xga:identifikation.nachricht']['xga:nachrichtenUUID'], '7b0e0c1e-3c57-4f5b-8f7e-2a9f6f1c0a01');
  assert.equal(kopf['xga:identifikation.nachricht']['xga:nachrichtentyp'].code, '0500');
  assert.equal(kopf['xga:leser']['xga:behoerdenkennung']['xga:praefix'].code, 'azr', "the foreigners' authority is read through the AZR prefix, as in the sample");
  assert.equal(kopf['xga:autor']['xga:behoerdenkennung']['xga:praefix'].code, 'MELDID');
  assert.equal(kopf['xga:autor']['xga:behoerdenkennung']['xga:kennung'].code, '15002000', 'author: AGS of the city');
  const satz = root['xga:satz']['xga:anmeldung'];
  assert.equal(satz['xga:gemeindeSchluessel'].code, '15002000');
  assert.equal(satz['xga:datumMeldung'], '2026-11-30', 'the filing date in the city time zone');
  assert.equal(satz['xga:grundAnmeldungSchluessel'].code, '01');
  const person = satz['xga:gewerbe']['xga:beteiligtePerson'];
  assert.equal(person['xga:geburtsdatum'], '12081964', 'birth date written as in the sample (DDMMYYYY)');
  assert.equal(person['xga:staatangehoerigkeiten']['xga:staatsangehoerigkeitSchluessel'].code, '332');
  assert.equal(satz['xga:gewerbe']['xga:anschrift']['xga:hausNrVon'], '7a', 'street and house number split');
  assert.equal(satz['xga:gewerbe']['xga:handwerkskarte']['xga:status'].code, '1');
  assert.equal(satz['xga:taetigkeitenGesamt']['xga:schwerpunkt']['xga:taetigkeitSchwerpunkt'], 'Entwicklung von Software & Webseiten für <kleine> Unternehmen', 'text round-trips through escaping');
  assert.match(xml, /&amp; Webseiten für &lt;kleine&gt;/, 'special characters are escaped in the XML text');
});

test('an Abmeldung without a register entry has the elements of the Abmeldung sample, in its order', async () => {
  const xml = build(tradeNoticeFromForm('abmeldung', validTradeEnd(now, { phone: '0345 1234' })), 'sta');
  assertOrderLike(xml, [sample21, sample22], 'Abmeldung', { codeLeaves: ['nationSchluessel'] });
  assert.match(xml, /<xga:sta\.gewerbemeldung\.0100 /, 'root sta.gewerbemeldung.0100 (DOMAIN.md)');
  assert.match(xml, /<xga:grundAbmeldungSchluessel>\s*<code>01<\/code>/);
  assert.match(xml, /<xga:geschaeftsbezeichnung>Mustermann IT-Service<\/xga:geschaeftsbezeichnung>/);
  const lint = await validateXML({ xml: { fileName: 'message.xml', contents: xml }, normalization: 'c14n' });
  assert.ok(lint.valid, `well-formed (${lint.errors.map((e) => e.message).join('; ')})`);
});

test('characters XML 1.0 forbids are dropped, not sent', async () => {
  const xml = build(tradeNoticeFromForm('anmeldung', validTradeRegistration(now, { activityDescription: 'Software\u0000\u0007 und ]]> Beratung' })));
  const lint = await validateXML({ xml: { fileName: 'message.xml', contents: xml }, normalization: 'c14n' });
  assert.ok(lint.valid, `well-formed (${lint.errors.map((e) => e.message).join('; ')})`);
  assert.match(xml, /Software und \]\]&gt; Beratung/);
});

test('root names follow <prefix>.gewerbemeldung.<code>', () => {
  assert.equal(messageRootName('sta'), 'sta.gewerbemeldung.0100');
  assert.equal(messageRootName('abh'), 'abh.gewerbemeldung.0500');
  assert.equal(messageRootName('ihk', '0210'), 'ihk.gewerbemeldung.0210', 'a configured code overrides the default');
});
