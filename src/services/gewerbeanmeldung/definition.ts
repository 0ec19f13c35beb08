import type { ServiceDefinition } from '../../catalogue/service-definition.ts';
import { ACTIVITY_CATEGORIES, assessForm } from '../../trade/permit-rules.ts';
import { tradeReceiptTemplates } from '../../trade/trade-documents.ts';
import { activityPage, businessPage, locationPage, personPage } from '../../trade/trade-fields.ts';
import { tradeProcess } from '../../trade/trade-process.ts';

/**
 * Gewerbeanmeldung (GewA 1, GewO § 14; DOMAIN.md). Identity level substantial (ELSTER) or high;
 * the person's data comes from the verified identity. A permit-free trade is accepted at once by
 * the system and its receipt issued (ADR 0022); one that needs a permit or a craft card goes to a
 * clerk. Accepted notices go to the recipients as XGewerbeanzeige messages (src/trade/).
 */
export const gewerbeanmeldung: ServiceDefinition = {
  id: 'gewerbeanmeldung',
  version: 1,
  leikaKey: '99050012104000',
  title: { de: 'Gewerbe anmelden', en: 'Register a trade' },
  summary: {
    de: 'Melden Sie ein Gewerbe an (Gewerbeanmeldung nach § 14 GewO). Braucht Ihre Tätigkeit keine Erlaubnis, erhalten Sie die Empfangsbestätigung sofort. Mit ELSTER-Zertifikat oder Online-Ausweis.',
    en: 'Register a trade (§ 14 GewO). If your activity needs no permit, you get the receipt at once. With an ELSTER certificate or the online ID card.',
  },
  topic: 'unternehmen',
  keywords: ['gewerbe', 'gewerbeschein', 'anmelden', 'selbstständig', 'selbststaendig', 'firma', 'gründen', 'gruenden', 'existenzgründung', 'kleingewerbe', 'business', 'trade', 'self-employed', 'start a business'],
  identityLevel: 'substantial',
  // (unverified) cities charge a fee for a Gewerbeanmeldung; set it here once Halle's fee schedule is confirmed.
  feeCents: 0,
  receivingDepartment: 'gewerbeamt',
  // (unverified) retention of trade notices; the city's records schedule decides.
  retention: 'P5Y',
  applicantEmailField: 'email',
  applicantNameField: 'familyName',
  caseSummary: (d, lang) => {
    const category = ACTIVITY_CATEGORIES.find((c) => c.id === d.activityCategory)?.label[lang] ?? String(d.activityCategory ?? '');
    const free = assessForm(d).permitFree;
    return `${lang === 'de' ? 'Anmeldung' : 'Registration'}: ${category}${free ? (lang === 'de' ? ', erlaubnisfrei' : ', no permit needed') : lang === 'de' ? ', Erlaubnis oder Handwerkskarte prüfen' : ', check permit or craft card'}`;
  },
  pages: [businessPage(), personPage(), activityPage({ askPermit: true }), locationPage()],
  process: tradeProcess('anmeldung'),
  documents: tradeReceiptTemplates('anmeldung'),
};
