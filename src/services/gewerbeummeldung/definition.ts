import type { FormData, ServiceDefinition } from '../../catalogue/service-definition.ts';
import { ACTIVITY_CATEGORIES, assessForm } from '../../trade/permit-rules.ts';
import { tradeReceiptTemplates } from '../../trade/trade-documents.ts';
import { activityFields, activityPage, addressFields, BRANCH_TYPES, businessPage, listOf, notTooFarAhead, personPage, validateActivity } from '../../trade/trade-fields.ts';
import { tradeProcess } from '../../trade/trade-process.ts';

const changes = (d: FormData) => listOf(d, 'changeKinds');
const movesWithinCity = (d: FormData) => changes(d).includes('address');
const changesActivity = (d: FormData) => changes(d).includes('activity');

/**
 * Gewerbeummeldung (GewA 2, GewO § 14): the business moves within the city, or its activity
 * changes or grows. A new activity runs through the same permit rules as a registration.
 */
export const gewerbeummeldung: ServiceDefinition = {
  id: 'gewerbeummeldung',
  version: 1,
  leikaKey: '99050012104001', // (unverified) a city can correct it without touching the process
  title: { de: 'Gewerbe ummelden', en: 'Change a trade registration' },
  summary: {
    de: 'Melden Sie einen Umzug des Betriebes innerhalb der Stadt oder eine Änderung der Tätigkeit (Gewerbeummeldung). Mit ELSTER-Zertifikat oder Online-Ausweis.',
    en: 'Notify that your business moves within the city or that its activity changes. With an ELSTER certificate or the online ID card.',
  },
  topic: 'unternehmen',
  keywords: ['gewerbe', 'ummelden', 'ummeldung', 'umzug', 'betrieb', 'verlegen', 'tätigkeit ändern', 'erweitern', 'trade', 'change', 'move business'],
  identityLevel: 'substantial',
  feeCents: 0, // (unverified) see Gewerbeanmeldung
  receivingDepartment: 'gewerbeamt',
  retention: 'P5Y', // (unverified)
  applicantEmailField: 'email',
  applicantNameField: 'familyName',
  caseSummary: (d, lang) => {
    const what = changes(d).map((c) => (c === 'address' ? (lang === 'de' ? 'Verlegung' : 'move') : lang === 'de' ? 'Tätigkeit' : 'activity'));
    const category = changesActivity(d) ? ACTIVITY_CATEGORIES.find((c) => c.id === d.newactivityCategory)?.label[lang] : undefined;
    const free = !changesActivity(d) || assessForm(d, 'new').permitFree;
    return `${lang === 'de' ? 'Ummeldung' : 'Change'}: ${what.join(', ')}${category ? ` (${category})` : ''}${free ? '' : lang === 'de' ? ', Erlaubnis prüfen' : ', check permit'}`;
  },
  pages: [
    businessPage(),
    personPage(),
    activityPage({ askPermit: false, title: { de: 'Was tun Sie bisher?', en: 'What do you do so far?' } }),
    {
      id: 'standort',
      title: { de: 'Wo ist der Betrieb bisher?', en: 'Where is the business so far?' },
      fields: [
        { id: 'branchType', type: 'radio', label: { de: 'Art der Niederlassung', en: 'Type of establishment' }, required: true, choices: BRANCH_TYPES },
        ...addressFields('business', { de: 'Bisherige Betriebsstätte', en: 'Current premises' }),
      ],
    },
    {
      id: 'aenderung',
      title: { de: 'Was ändert sich?', en: 'What changes?' },
      intro: {
        de: 'Zieht der Betrieb in eine andere Gemeinde, melden Sie ihn hier ab und dort an.',
        en: 'If the business moves to another municipality, deregister it here and register it there.',
      },
      fields: [
        {
          id: 'changeKinds',
          type: 'checkboxes',
          label: { de: 'Änderung', en: 'Change' },
          required: true,
          choices: [
            { value: 'address', label: { de: 'Verlegung innerhalb der Stadt', en: 'Move within the city' } },
            { value: 'activity', label: { de: 'Änderung oder Erweiterung der Tätigkeit', en: 'Changed or additional activity' } },
          ],
        },
        ...addressFields('new', { de: 'Neue Betriebsstätte', en: 'New premises' }, movesWithinCity),
        ...activityFields('new', { askPermit: true, when: changesActivity }),
        { id: 'changeDate', type: 'date', label: { de: 'Datum der Änderung', en: 'Date of the change' }, required: true },
      ],
      validate: (d, ctx) => [...(changesActivity(d) ? validateActivity(d, 'new') : []), ...notTooFarAhead('changeDate', 365)(d, ctx)],
    },
  ],
  process: tradeProcess('ummeldung'),
  documents: tradeReceiptTemplates('ummeldung'),
};
