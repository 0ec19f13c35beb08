import type { ServiceDefinition } from '../../catalogue/service-definition.ts';
import { tradeReceiptTemplates } from '../../trade/trade-documents.ts';
import { activityPage, addressFields, BRANCH_TYPES, businessPage, notTooFarAhead, personPage } from '../../trade/trade-fields.ts';
import { tradeProcess } from '../../trade/trade-process.ts';
import { END_CAUSES, END_REASONS } from '../../trade/xgewerbeanzeige.ts';

/**
 * Gewerbeabmeldung (GewA 3, GewO § 14): the business ends, moves away or is handed over. Ending a
 * trade needs no permit, so every complete notice is accepted automatically.
 */
export const gewerbeabmeldung: ServiceDefinition = {
  id: 'gewerbeabmeldung',
  version: 1,
  leikaKey: '99050012104002', // (unverified) a city can correct it without touching the process
  title: { de: 'Gewerbe abmelden', en: 'Deregister a trade' },
  summary: {
    de: 'Melden Sie Ihr Gewerbe ab, wenn Sie den Betrieb aufgeben, verlegen oder übergeben (Gewerbeabmeldung). Die Empfangsbestätigung erhalten Sie sofort. Mit ELSTER-Zertifikat oder Online-Ausweis.',
    en: 'Deregister your trade when you close, move or hand over the business. You get the receipt at once. With an ELSTER certificate or the online ID card.',
  },
  topic: 'unternehmen',
  keywords: ['gewerbe', 'abmelden', 'abmeldung', 'aufgeben', 'schließen', 'schliessen', 'betrieb', 'beenden', 'trade', 'deregister', 'close business'],
  identityLevel: 'substantial',
  feeCents: 0, // (unverified) see Gewerbeanmeldung
  receivingDepartment: 'gewerbeamt',
  retention: 'P5Y', // (unverified)
  applicantEmailField: 'email',
  applicantNameField: 'familyName',
  caseSummary: (d, lang) => `${lang === 'de' ? 'Abmeldung' : 'Deregistration'}: ${END_REASONS.find((r) => r.value === d.endReason)?.label[lang] ?? ''}`,
  pages: [
    businessPage(),
    personPage(),
    activityPage({ askPermit: false, title: { de: 'Was haben Sie betrieben?', en: 'What did the business do?' } }),
    {
      id: 'standort',
      title: { de: 'Wo war der Betrieb?', en: 'Where was the business?' },
      fields: [
        { id: 'branchType', type: 'radio', label: { de: 'Art der Niederlassung', en: 'Type of establishment' }, required: true, choices: BRANCH_TYPES },
        ...addressFields('business', { de: 'Betriebsstätte', en: 'Business premises' }),
      ],
    },
    {
      id: 'ende',
      title: { de: 'Wann und warum endet der Betrieb?', en: 'When and why does the business end?' },
      fields: [
        { id: 'endDate', type: 'date', label: { de: 'Datum der Aufgabe', en: 'Date the business ends' }, required: true },
        { id: 'endReason', type: 'radio', label: { de: 'Grund der Abmeldung', en: 'Reason' }, required: true, choices: END_REASONS },
        { id: 'endCause', type: 'radio', label: { de: 'Ursache (freiwillig, für die Statistik)', en: 'Cause (optional, for statistics)' }, choices: END_CAUSES },
      ],
      validate: notTooFarAhead('endDate', 365),
    },
  ],
  process: tradeProcess('abmeldung'),
  documents: tradeReceiptTemplates('abmeldung'),
};
