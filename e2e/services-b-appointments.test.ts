import { after, before, describe, test } from 'node:test';
import { assert } from './support/assert.ts';
import { DESKTOP, PHONE, startHarness, type Harness } from './support/harness.ts';
import { citizenServiceJourney, samplePdf } from './support/service-journey.ts';

/**
 * The two of "most matters" with an appointment, each as a newcomer finds and files it: the
 * service list searched with everyday words → the form → check your answers → send → the status
 * page with the fee, what to bring and the link to book the appointment. (Split from
 * services-b.test.ts so each file stays well inside the 10-minute file timeout.)
 *   Beglaubigung (the fee by copies and pages, what to bring)
 *   Kinderreisepass (the change explained, consent by letter, fee by document and photo)
 */
describe('More services with an appointment: Beglaubigung, Kinderreisepass', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness({ devIdp: true });
  });
  after(async () => h?.close());

  test('Beglaubigung: found by "Zeugnis beglaubigen"; the fee follows copies and pages; the status page lists what to bring', async () => {
    const context = await h.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await citizenServiceJourney(page, {
      service: 'beglaubigung',
      search: 'Zeugnis beglaubigen',
      prefix: 'begl',
      answers: { kind: 'copy', documentType: 'Abiturzeugnis', copies: '2', pages: '3', usage: 'authority', recipient: 'Universität Halle', name: 'Erika Mustermann', email: 'erika@example.org' },
    });
    assert.equal(await page.getByTestId('state-label').innerText(), 'Angemeldet – bitte Termin buchen', 'asks to book the appointment');
    assert.match(await page.getByTestId('payment-panel').innerText(), /8,00\s€/, '2 × (3,00 € + 2 × 0,50 €)');
    assert.match(await page.getByTestId('required-documents').innerText(), /Original des Dokuments/, 'bring the original');
    assert.ok((await page.getByRole('link', { name: /Termin buchen/ }).count()) > 0, 'the appointment can be booked from the status page');
    await context.close();
  });

  test('Kinderreisepass: the old word finds the successor, which explains the change; consent by letter; the fee by document and photo', async () => {
    const context = await h.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await citizenServiceJourney(page, {
      service: 'kinderreisepass',
      search: 'Kinderreisepass',
      prefix: 'krp',
      answers: {
        documentType: 'reisepass',
        childGivenName: 'Mia',
        childFamilyName: 'Mustermann',
        childBirthdate: '2019-05-17',
        childPlaceOfBirth: 'Halle (Saale)',
        childGerman: 'yes',
        parentName: 'Erika Mustermann',
        email: 'erika@example.org',
        custody: 'joint',
        secondConsent: 'upload',
        photo: 'office',
      },
      files: { consentFile: samplePdf('einverstaendnis.pdf') },
      onPage: async (p, pageId) => {
        if (pageId === 'dokument') assert.match(await p.locator('main').innerText(), /Seit dem 1\. Januar 2024 werden keine neuen Kinderreisepässe/, 'the change is explained');
      },
    });
    assert.equal(await page.getByTestId('state-label').innerText(), 'Vorbereitet – bitte Termin buchen', 'asks to book the appointment');
    assert.match(await page.getByTestId('payment-panel').innerText(), /43,50\s€/, 'Reisepass under 24 (37,50 €) and the photo at the office (6,00 €)');
    assert.match(await page.getByTestId('required-documents').innerText(), /Einverständniserklärung/, 'bring the original consent');
    await context.close();
  });
});
