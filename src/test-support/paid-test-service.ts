import type { FormData, RuleContext, ServiceDefinition } from '../catalogue/service-definition.ts';
import { ageOnDay, zonedToday } from '../platform/i18n/time.ts';

/**
 * A fee-bearing service for tests only (the shipped catalogue has no fee yet): the fee depends on
 * the answers like the ID card's. Tests add it to the catalogue next to the real services.
 */
/** Personalausweis fees since 7 Feb 2026 (shared/DOMAIN.md): 27.60 € under 24, 46.00 € from 24, +15 € by post. */
const ageOn = (birthdate: string, ctx: RuleContext): number | undefined => ageOnDay(birthdate, zonedToday(ctx.now, ctx.timeZone));

export const paidTestService: ServiceDefinition = {
  id: 'test-personalausweis',
  version: 1,
  leikaKey: '99008001012000',
  title: { de: 'Personalausweis beantragen (Test)', en: 'Apply for an ID card (test)' },
  summary: { de: 'Nur für Tests.', en: 'Tests only.' },
  keywords: [],
  identityLevel: 'none',
  feeCents: 2760,
  fee: (data: FormData, ctx: RuleContext) => {
    const age = ageOn(String(data.birthdate ?? ''), ctx);
    const young = age !== undefined && age < 24;
    const items = [young ? { label: { de: 'Personalausweis (unter 24 Jahren)', en: 'ID card (under 24)' }, cents: 2760 } : { label: { de: 'Personalausweis (ab 24 Jahren)', en: 'ID card (24 and older)' }, cents: 4600 }];
    if (data.delivery === 'post') items.push({ label: { de: 'Direktversand per Post', en: 'Direct delivery by post' }, cents: 1500 });
    return { cents: items.reduce((s, i) => s + i.cents, 0), items };
  },
  receivingDepartment: 'versammlungsbehoerde',
  retention: 'P5Y',
  applicantNameField: 'name',
  caseSummary: () => 'Personalausweis',
  pages: [
    {
      id: 'person',
      title: { de: 'Person', en: 'Person' },
      fields: [
        { id: 'name', type: 'text', label: { de: 'Name', en: 'Name' }, required: true, maxLength: 100 },
        { id: 'birthdate', type: 'date', label: { de: 'Geburtsdatum', en: 'Date of birth' }, required: true },
        {
          id: 'delivery',
          type: 'radio',
          label: { de: 'Zustellung', en: 'Delivery' },
          required: true,
          choices: [
            { value: 'pickup', label: { de: 'Abholung im Amt', en: 'Pick up at the office' } },
            { value: 'post', label: { de: 'Direktversand per Post', en: 'Direct delivery by post' } },
          ],
        },
      ],
    },
  ],
  process: {
    initial: 'received',
    states: [
      { id: 'received', publicLabel: { de: 'Eingegangen', en: 'Received' }, next: { de: 'Wir prüfen.', en: 'We check.' }, expectedDuration: 'P2D' },
      { id: 'done', publicLabel: { de: 'Erledigt', en: 'Done' }, next: { de: 'Nichts mehr.', en: 'Nothing more.' }, final: true },
    ],
    transitions: [{ id: 'close', from: ['received'], to: 'done', label: { de: 'Abschließen', en: 'Close' }, allowed: ['clerk'], effects: [] }],
    onSubmit: [],
  },
};

