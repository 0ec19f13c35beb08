import type { Lang, Text } from '../catalogue/service-definition.ts';
import type { FoundingChecklist, PartStatus } from './checklist.ts';
import { formatSeconds } from './checklist.ts';

const STATUS: Record<PartStatus, { label: Text; badge: string }> = {
  done: { label: { de: 'erledigt', en: 'done' }, badge: 'kern-badge--success' },
  in_progress: { label: { de: 'läuft', en: 'in progress' }, badge: 'kern-badge--info' },
  todo: { label: { de: 'offen', en: 'to do' }, badge: 'kern-badge--warning' },
  not_needed: { label: { de: 'nicht nötig', en: 'not needed' }, badge: 'kern-badge--info' },
  problem: { label: { de: 'Problem', en: 'problem' }, badge: 'kern-badge--danger' },
};

/** The founder's checklist on the status page: every part, its status in words, the next step. */
export function FoundingChecklistPanel(p: { checklist: FoundingChecklist; lang: Lang }) {
  const de = p.lang === 'de';
  return (
    <section class="aw-panel" aria-labelledby="founding-checklist" data-testid="founding-checklist">
      <h2 class="kern-heading-medium" id="founding-checklist">
        {de ? 'Ihre Gründung: Stand aller Teile' : 'Your founding: where each part stands'}
      </h2>
      {p.checklist.receiptSeconds !== undefined ? (
        <p class="kern-body" data-testid="receipt-time">
          {de ? 'Vom Absenden bis zur Empfangsbestätigung: ' : 'From sending to receipt: '}
          <strong>{formatSeconds(p.checklist.receiptSeconds)[p.lang]}</strong>
        </p>
      ) : null}
      <ul class="aw-checklist">
        {p.checklist.items.map((item) => (
          <li class="aw-checklist__item" data-part={item.id} data-status={item.status}>
            <h3 class="kern-heading-small">
              {item.title[p.lang]} <span class={`kern-badge ${STATUS[item.status].badge}`}>{STATUS[item.status].label[p.lang]}</span>
            </h3>
            <p class="kern-body">{item.detail[p.lang]}</p>
            {item.action ? (
              <p class="kern-body">
                <a class="kern-link" href={item.action.href} download>
                  {item.action.label[p.lang]}
                </a>
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
