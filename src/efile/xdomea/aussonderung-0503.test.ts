import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { validateXdomea } from '../../test-support/xdomea-schema.ts';
import { buildAussonderung0503, fileFormat, primaryFileName, xdomeaFileNames, type Aussonderung0503Input } from './aussonderung-0503.ts';

const MESSAGE_ID = '0b9e4c52-4d8a-4b7e-9f55-0c3c5f1e2a10';
const CASE_ID = '6f1d2c3b-1111-4a2b-8c3d-222233334444';

function sample(overrides: Partial<Aussonderung0503Input['file']> = {}): Aussonderung0503Input {
  return {
    messageId: MESSAGE_ID,
    createdAt: new Date('2026-11-30T10:15:30.123Z'),
    sender: { authorityKey: '15002000', authorityName: 'Stadt Halle (Saale)', institution: 'Stadt Halle (Saale)', unit: 'Versammlungsbehörde (Ordnungsamt)' },
    recipient: { authorityKey: '15002000', authorityName: 'Stadt Halle (Saale)', institution: 'Stadt Halle (Saale)', unit: 'Stadtarchiv' },
    sendingSystem: { productName: 'Amtsweg', version: '0.1.0' },
    file: {
      id: CASE_ID,
      reference: 'HAL-2026-000123-7',
      subject: 'Versammlung anzeigen',
      leadUnit: 'Versammlungsbehörde (Ordnungsamt)',
      runtime: { begin: '2026-03-01', end: '2026-03-20' },
      retentionYears: 3,
      retentionEnd: '2029-03-20',
      disposal: 'A',
      procedure: {
        id: '9a0c1d2e-3f40-4152-8637-48596a7b8c9d',
        subject: 'Versammlung anzeigen – HAL-2026-000123-7',
        type: 'versammlungsanzeige',
        history: [
          { at: new Date('2026-03-01T08:00:00Z'), actor: 'Antragstellende Person', action: 'Antrag eingegangen', field: 'Status', newValue: 'Eingegangen' },
          // Characters that need escaping, and one XML 1.0 cannot carry at all.
          { at: new Date('2026-03-20T09:00:00Z'), actor: 'Sabine Vogt <SGL>', action: 'Bestätigen', field: 'Status', oldValue: 'In Prüfung', newValue: 'Bestätigt', remark: 'Auflagen: "Rettungswege" & Zufahrten <frei>\u0007' },
        ],
        documents: [
          {
            id: '11111111-2222-4333-8444-555566667777',
            subject: 'Lageplan.pdf',
            versions: [
              { number: 1, fileName: primaryFileName('aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', 'Lageplan.pdf', 'application/pdf'), originalFileName: 'Lageplan.pdf', createdAt: new Date('2026-03-01T08:00:00Z'), creator: 'Antragstellende Person', format: fileFormat('Lageplan.pdf', 'application/pdf', '1.7') },
              { number: 2, fileName: primaryFileName('bbbbbbbb-bbbb-4ccc-8ddd-eeeeeeeeeeee', 'Lageplan (neu).pdf', 'application/pdf'), originalFileName: 'Lageplan (neu).pdf', createdAt: new Date('2026-03-02T08:00:00Z'), format: fileFormat('Lageplan (neu).pdf', 'application/pdf') },
            ],
          },
          {
            id: '22222222-2222-4333-8444-555566667777',
            subject: 'Antragsdaten',
            type: 'Antragsdaten',
            versions: [{ number: 1, fileName: primaryFileName('cccccccc-bbbb-4ccc-8ddd-eeeeeeeeeeee', 'Antragsdaten.json', 'application/json'), originalFileName: 'Antragsdaten.json', createdAt: new Date('2026-03-01T08:00:00Z'), format: fileFormat('Antragsdaten.json', 'application/json', 'RFC 8259') }],
          },
        ],
      },
      ...overrides,
    },
  };
}

const parse = (xml: string) => new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, parseTagValue: false }).parse(xml);

test('names follow the xdomea conventions: <ProzessID>_Aussonderung.Aussonderung.0503.zip/.xml, primary files <UUID>.<ext>', () => {
  assert.deepEqual(xdomeaFileNames(MESSAGE_ID), { zip: `${MESSAGE_ID}_Aussonderung.Aussonderung.0503.zip`, xml: `${MESSAGE_ID}_Aussonderung.Aussonderung.0503.xml` });
  assert.equal(primaryFileName('AAAAAAAA-bbbb-4ccc-8ddd-eeeeeeeeeeee', 'Scan 1.PDF', 'application/pdf'), 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee.pdf');
  assert.equal(primaryFileName('aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', 'ohne-endung', 'image/png'), 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee.png');
  assert.deepEqual(fileFormat('x.pdf', 'application/pdf', '1.4'), { code: '018', version: '1.4' });
  assert.deepEqual(fileFormat('Antragsdaten.json', 'application/json'), { code: '100', otherName: 'application/json', version: '' });
  assert.throws(() => xdomeaFileNames('not-a-uuid'), /UUID/);
});

test('the generated 0503 message is valid against xdomea.xsd 3.0.0', async () => {
  const xml = buildAussonderung0503(sample());
  const result = await validateXdomea(xml, xdomeaFileNames(MESSAGE_ID).xml);
  assert.deepEqual(result.errors, [], 'no schema errors');
  assert.equal(result.valid, true, 'valid against xdomea.xsd');

  const doc = parse(xml)['Aussonderung.Aussonderung.0503'];
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\s*<xdomea:Aussonderung\.Aussonderung\.0503 xmlns:xdomea="urn:xoev-de:xdomea:schema:3\.0\.0"/, 'the root element in the xdomea namespace with the xdomea prefix');
  assert.equal(doc.Kopf.ProzessID, MESSAGE_ID);
  assert.equal(doc.Kopf.Nachrichtentyp.code, '0503');
  assert.equal(doc.Kopf.Erstellungszeitpunkt, '2026-11-30T10:15:30Z');
  assert.equal(doc.Kopf.Absender.Organisationseinheit.Name, 'Versammlungsbehörde (Ordnungsamt)');
  assert.equal(doc.Kopf.Empfaenger.Organisationseinheit.Name, 'Stadtarchiv');
  assert.equal(doc.Kopf.SendendesSystem.Produktname, 'Amtsweg');
  const akte = doc.Schriftgutobjekt.Akte;
  assert.equal(akte.Identifikation.ID, CASE_ID);
  assert.equal(akte.AllgemeineMetadaten.Kennzeichen, 'HAL-2026-000123-7');
  assert.equal(akte.ArchivspezifischeMetadaten.Aufbewahrungsdauer.AnzahlJahre, '3');
  assert.equal(akte.ArchivspezifischeMetadaten.Aussonderungsart.Aussonderungsart.code, 'A');
  assert.deepEqual(akte.Laufzeit, { Beginn: '2026-03-01', Ende: '2026-03-20' });
  const vorgang = akte.Akteninhalt.Vorgang;
  assert.equal(vorgang.HistorienProtokollInformation.length, 2);
  assert.equal(vorgang.HistorienProtokollInformation[1].Akteur, 'Sabine Vogt <SGL>', 'escaped text reads back unchanged');
  assert.equal(vorgang.HistorienProtokollInformation[1].Bemerkung, 'Auflagen: "Rettungswege" & Zufahrten <frei>\ufffd', 'a character XML cannot carry is replaced');
  assert.equal(vorgang.Dokument[0].Version.length, 2, 'one Version per stored version');
  assert.equal(vorgang.Dokument[0].Version[1].Format.Primaerdokument.Dateiname, 'bbbbbbbb-bbbb-4ccc-8ddd-eeeeeeeeeeee.pdf');
  assert.equal(vorgang.Dokument[0].Version[1].Format.Primaerdokument.DateinameOriginal, 'Lageplan (neu).pdf');
  assert.ok(!xml.includes('<SGL>'), 'markup in values is escaped');
});

test('an unlimited retention and a file without documents are valid too', async () => {
  const base = sample();
  const xml = buildAussonderung0503({ ...base, file: { ...base.file, retentionYears: null, procedure: { ...base.file.procedure, history: [], documents: [] } } });
  const result = await validateXdomea(xml);
  assert.equal(result.valid, true, `valid: ${result.errors.join('; ')}`);
});

test('the check can fail: a message without a required element, or with a code outside the list, is reported invalid', async () => {
  const xml = buildAussonderung0503(sample());
  const withoutId = xml.replace(/<xdomea:ProzessID>[^<]*<\/xdomea:ProzessID>\s*/, '');
  assert.notEqual(withoutId, xml, 'the ProzessID was removed');
  const missing = await validateXdomea(withoutId);
  assert.equal(missing.valid, false, 'a message without ProzessID is invalid');
  assert.ok(missing.errors.some((e) => e.includes('Nachrichtentyp') || e.includes('ProzessID')), `the error names the element: ${missing.errors.join('; ')}`);

  const badCode = await validateXdomea(xml.replace('<code>A</code>', '<code>X</code>'));
  assert.equal(badCode.valid, false, 'an Aussonderungsart outside the code list is invalid');

  const badFileName = await validateXdomea(xml.replace('bbbbbbbb-bbbb-4ccc-8ddd-eeeeeeeeeeee.pdf', 'Lageplan.pdf'));
  assert.equal(badFileName.valid, false, 'a primary file not named by a UUID is invalid');
});

test('identifiers that are not UUIDs are refused before any XML is written', () => {
  const base = sample();
  assert.throws(() => buildAussonderung0503({ ...base, messageId: 'HAL-2026-000123-7' }), /UUID/);
  assert.throws(() => buildAussonderung0503({ ...base, file: { ...base.file, runtime: { begin: '1.3.2026', end: '2026-03-20' } } }), /YYYY-MM-DD/);
});
