import type { Text } from './service-definition.ts';

/**
 * Life situations the home page groups services by, in this order (a service names its own in
 * `topic`; one without is listed under "Weitere Leistungen").
 */
export const TOPICS = [
  { id: 'wohnen', title: { de: 'Umzug und Wohnen', en: 'Moving and housing' } },
  { id: 'ausweise', title: { de: 'Ausweise und Dokumente', en: 'ID and documents' } },
  { id: 'familie', title: { de: 'Familie und Ehe', en: 'Family and marriage' } },
  { id: 'unternehmen', title: { de: 'Gewerbe und Gründung', en: 'Trade and starting a business' } },
  { id: 'verkehr', title: { de: 'Auto und Straße', en: 'Cars and streets' } },
  { id: 'alltag', title: { de: 'Alltag, Tiere und Abfall', en: 'Everyday life, pets and waste' } },
  { id: 'oeffentlich', title: { de: 'Öffentliches Leben', en: 'Public life' } },
] as const satisfies readonly { id: string; title: Text }[];

export type TopicId = (typeof TOPICS)[number]['id'];

export const OTHER_TOPIC: Text = { de: 'Weitere Leistungen', en: 'Further services' };
