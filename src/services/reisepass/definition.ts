import { idDocumentService } from '../../id-documents/id-document-service.ts';

/**
 * Reisepass beantragen: "the same way" as the Personalausweis (issue 6, DOMAIN.md), with the
 * process and the form from src/id-documents/. DOMAIN.md names no passport fees:
 * (unverified) 70.00 EUR from 24, 37.50 EUR under 24, express +32.00 EUR; direct delivery by post
 * +15 EUR as for the ID card (unverified for the passport). A city corrects them here.
 */
export const reisepass = idDocumentService({
  id: 'reisepass',
  version: 1,
  leikaKey: '99008002012000', // (unverified) LeiKa key of the passport application
  title: { de: 'Reisepass beantragen', en: 'Apply for a passport (Reisepass)' },
  summary: {
    de: 'Bereiten Sie Ihren Antrag auf einen Reisepass online vor und buchen Sie den Termin für Fingerabdrücke und Unterschrift. Auf Wunsch im Expressverfahren. 70,00 € (unter 24 Jahren 37,50 €).',
    en: 'Prepare your passport application online and book the appointment for fingerprints and signature. Express production on request. €70.00 (under 24: €37.50).',
  },
  topic: 'ausweise',
  keywords: ['reisepass', 'pass', 'passport', 'ausweis', 'reise', 'urlaub', 'reisepass verloren', 'reisepass abgelaufen', 'express', 'expresspass'],
  noun: { de: 'Ihr Reisepass', en: 'your passport' },
  fees: {
    adult: { label: { de: 'Reisepass (ab 24 Jahren)', en: 'Passport (24 and older)' }, cents: 7000 },
    under24: { label: { de: 'Reisepass (unter 24 Jahren)', en: 'Passport (under 24)' }, cents: 3750 },
  },
  express: { label: { de: 'Expressverfahren', en: 'Express production' }, cents: 3200 },
  postCents: 1500,
  germansOnly: true,
  // (unverified) kept like the ID card's file: validity up to 10 years plus 5 (PassG § 21).
  retention: 'P15Y',
  appointmentPurpose: { de: 'Reisepass: Fingerabdrücke und Unterschrift', en: 'Passport: fingerprints and signature' },
});
