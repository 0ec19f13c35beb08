import { idDocumentService } from '../../id-documents/id-document-service.ts';

/**
 * Personalausweis beantragen (DOMAIN.md): prepared online — data from the verified identity, the
 * photo code, delivery and fee — then fingerprints and signature at a booked appointment. Fees
 * since 7 Feb 2026: 46.00 EUR from 24, 27.60 EUR under 24; direct delivery by post +15 EUR.
 * The process and the form are shared with the Reisepass (src/id-documents/).
 */
export const personalausweis = idDocumentService({
  id: 'personalausweis',
  version: 1,
  leikaKey: '99008001012000',
  title: { de: 'Personalausweis beantragen', en: 'Apply for an ID card (Personalausweis)' },
  summary: {
    de: 'Bereiten Sie Ihren Antrag online vor – mit Ihren geprüften Daten, dem Lichtbild-Code vom Fotostudio und der Wahl zwischen Abholung und Versand – und buchen Sie den Termin für Fingerabdrücke und Unterschrift. 46,00 € (unter 24 Jahren 27,60 €).',
    en: 'Prepare your application online – with your verified details, the photo code from the photo studio and the choice between collection and delivery – and book the appointment for fingerprints and signature. €46.00 (under 24: €27.60).',
  },
  topic: 'ausweise',
  keywords: ['ausweis', 'personalausweis', 'perso', 'id card', 'identity card', 'ausweis verloren', 'ausweis abgelaufen', 'neuer ausweis', 'ausweis beantragen', 'lichtbild', 'passbild', 'foto'],
  noun: { de: 'Ihr Personalausweis', en: 'your ID card' },
  fees: {
    adult: { label: { de: 'Personalausweis (ab 24 Jahren)', en: 'ID card (24 and older)' }, cents: 4600 },
    under24: { label: { de: 'Personalausweis (unter 24 Jahren)', en: 'ID card (under 24)' }, cents: 2760 },
  },
  postCents: 1500,
  germansOnly: true,
  // PAuswG § 23(4): register data at most 5 years after the card expires; a card is valid for up
  // to 10 years, so the case file is kept 15 years from the handover.
  retention: 'P15Y',
  appointmentPurpose: { de: 'Personalausweis: Fingerabdrücke und Unterschrift', en: 'ID card: fingerprints and signature' },
});
