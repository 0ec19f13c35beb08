import type { ServiceDefinition, Text } from '../catalogue/service-definition.ts';

/**
 * Staff reply templates for the Postfach: frequent answers, in German (the office's language
 * towards citizens; the page around them is bilingual). `{reference}` is replaced with the case's
 * reference. A service may add its own (`ServiceDefinition.replyTemplates`).
 */
export interface ReplyTemplate {
  readonly id: string;
  readonly title: Text;
  readonly body: string;
}

const GENERAL_REPLY_TEMPLATES: readonly ReplyTemplate[] = [
  {
    id: 'received-documents',
    title: { de: 'Unterlagen erhalten', en: 'Documents received' },
    body: 'Guten Tag,\n\nvielen Dank, Ihre Unterlagen zum Anliegen {reference} sind bei uns eingegangen. Wir prüfen sie und melden uns, sobald es Neuigkeiten gibt.\n\nMit freundlichen Grüßen\nIhre Stadtverwaltung',
  },
  {
    id: 'in-progress',
    title: { de: 'In Bearbeitung', en: 'Being processed' },
    body: 'Guten Tag,\n\nIhr Anliegen {reference} ist in Bearbeitung. Den Stand sehen Sie jederzeit auf Ihrer Statusseite.\n\nMit freundlichen Grüßen\nIhre Stadtverwaltung',
  },
  {
    id: 'question',
    title: { de: 'Rückfrage', en: 'Question' },
    body: 'Guten Tag,\n\nzu Ihrem Anliegen {reference} haben wir eine Frage: \n\nBitte antworten Sie direkt hier im Postfach.\n\nMit freundlichen Grüßen\nIhre Stadtverwaltung',
  },
];

export function replyTemplates(def: ServiceDefinition): readonly ReplyTemplate[] {
  return [...GENERAL_REPLY_TEMPLATES, ...(def.replyTemplates ?? [])];
}

export function fillTemplate(template: ReplyTemplate, reference: string): string {
  return template.body.replaceAll('{reference}', reference);
}
