import type { ServiceDefinition } from '../../catalogue/service-definition.ts';
import { registerPage, taxPage } from '../../founding/tax-questionnaire.ts';
import { ACTIVITY_CATEGORIES, assessForm } from '../../trade/permit-rules.ts';
import { tradeReceiptTemplates } from '../../trade/trade-documents.ts';
import { activityPage, businessPage, locationPage, personPage } from '../../trade/trade-fields.ts';
import { tradeProcess } from '../../trade/trade-process.ts';

export const FOUNDING_SERVICE_ID = 'unternehmensgruendung';

/**
 * Unternehmensgründung (DOMAIN.md, issue 6 item 4): one guided journey that asks everything once.
 * The trade notice (GewA 1 pages shared with the Gewerbeanmeldung) is filed and, when the activity
 * needs no permit, accepted at once (ADR 0022) and forwarded as XGewerbeanzeige messages to the
 * tax office, chamber, accident insurance and statistics office; the tax office's questionnaire
 * data is exported for ELSTER; the register question is answered with what to do. The status
 * page shows a checklist of every part and the measured time from sending to receipt
 * (`founding/checklist.ts`). Target: minutes, never more than 24 hours.
 */
export const unternehmensgruendung: ServiceDefinition = {
  id: FOUNDING_SERVICE_ID,
  version: 1,
  // (unverified) LeiKa has no single "founding" service; the trade notice's key, which this files.
  leikaKey: '99050012104000',
  title: { de: 'Unternehmen gründen – alles in einem Schritt', en: 'Start a business – everything in one go' },
  summary: {
    de: 'Für Gründerinnen und Gründer: Gewerbeanmeldung, Angaben für das Finanzamt (Export für ELSTER) und die Frage nach dem Handelsregister in einem Formular. Ohne Erlaubnispflicht ist die Anmeldung in Minuten bestätigt und an Finanzamt, Kammer und Berufsgenossenschaft weitergeleitet; eine Checkliste zeigt den Stand jedes Teils.',
    en: 'For founders: trade registration, the details for the tax office (exported for ELSTER) and the commercial register question in one form. Without a permit requirement the registration is confirmed within minutes and forwarded to the tax office, chamber and accident insurance; a checklist shows where each part stands.',
  },
  topic: 'unternehmen',
  keywords: ['gründen', 'gruenden', 'gründung', 'existenzgründung', 'unternehmen', 'firma', 'selbstständig', 'selbststaendig', 'selbstständig machen', 'startup', 'start-up', 'elster', 'finanzamt', 'steuernummer', 'gewerbe', 'handelsregister', 'start a business', 'founder'],
  identityLevel: 'substantial',
  // (unverified) as the Gewerbeanmeldung: a city sets its fee here.
  feeCents: 0,
  receivingDepartment: 'gewerbeamt',
  retention: 'P5Y',
  applicantEmailField: 'email',
  applicantNameField: 'familyName',
  caseSummary: (d, lang) => {
    const category = ACTIVITY_CATEGORIES.find((c) => c.id === d.activityCategory)?.label[lang] ?? String(d.activityCategory ?? '');
    const free = assessForm(d).permitFree;
    return `${lang === 'de' ? 'Gründung' : 'Founding'}: ${category}${free ? (lang === 'de' ? ', erlaubnisfrei' : ', no permit needed') : lang === 'de' ? ', Erlaubnis oder Handwerkskarte prüfen' : ', check permit or craft card'}`;
  },
  pages: [
    businessPage({
      de: 'Sie beantworten alles einmal: Wir melden Ihr Gewerbe an, informieren Finanzamt, Kammer und Berufsgenossenschaft und bereiten Ihre Angaben für das Finanzamt vor.',
      en: 'You answer everything once: we register your trade, inform the tax office, chamber and accident insurance and prepare your details for the tax office.',
    }),
    personPage(),
    activityPage({ askPermit: true }),
    locationPage(),
    taxPage(),
    registerPage(),
  ],
  process: tradeProcess('anmeldung'),
  documents: tradeReceiptTemplates('anmeldung'),
};
