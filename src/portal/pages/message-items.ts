import type { CaseMessage } from '../../cases/mailbox.ts';
import type { MessageItem } from '../../platform/views/components.tsx';

/**
 * Postfach messages as list items for one reader: `unreadFor` names the direction whose unread
 * messages this reader has not seen (the applicant reads `to_applicant`, the office `from_applicant`).
 */
export function toListItems(messages: readonly CaseMessage[], author: (m: CaseMessage) => string, documentHref: (documentRowId: string) => string, unreadFor: CaseMessage['direction'] = 'from_applicant'): MessageItem[] {
  return messages.map((m) => ({
    id: m.id,
    fromOffice: m.direction === 'to_applicant',
    author: author(m),
    at: m.createdAt,
    body: m.body,
    unread: m.readAt === null && m.direction === unreadFor,
    attachments: m.attachments.map((a) => ({ href: documentHref(a.id), name: a.fileName })),
  }));
}
