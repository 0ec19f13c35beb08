import type { Actor, CaseDeps } from '../../cases/case-deps.ts';
import type { FormData, Lang, ServiceDefinition } from '../../catalogue/service-definition.ts';
import { formatDateTime, formatIsoDate } from '../../platform/i18n/time.ts';
import { Alert, Table } from '../../platform/views/components.tsx';
import type { CaseRow } from '../../schema.ts';
import { findOverlappingAssemblies, type OverlappingAssembly } from './overlap.ts';

/**
 * The Versammlungsanzeige's panels in the staff case file: the warning about overlapping
 * assemblies and, where an external authority handles the service, its deliveries (ADR 0023).
 */
export async function assemblyCasePanels(deps: Pick<CaseDeps, 'db' | 'catalogue'>, actor: Actor, view: { row: CaseRow; def: ServiceDefinition }, lang: Lang) {
  if (view.def.id !== 'versammlungsanzeige') return null;
  const [overlaps, deliveries] = await Promise.all([
    findOverlappingAssemblies(deps, actor, view.row),
    deps.db
      .selectFrom('authority_deliveries')
      .select(['id', 'authority_id', 'message_kind', 'status', 'attempts', 'last_error', 'last_attempt_at', 'delivered_at'])
      .where('case_id', '=', view.row.id)
      .orderBy('created_at')
      .execute(),
  ]);
  const authority = deps.catalogue.city.services[view.def.id]?.externalAuthority;
  const tz = deps.catalogue.city.timeZone;
  return (
    <>
      <OverlapPanel lang={lang} overlaps={overlaps} def={view.def} />
      {authority || deliveries.length > 0 ? <DeliveriesPanel lang={lang} authorityName={authority?.name[lang]} deliveries={deliveries} timeZone={tz} /> : null}
    </>
  );
}

const s = (d: FormData, k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');

function when(d: FormData, lang: Lang): string {
  const end = s(d, 'endDate') ? `${formatIsoDate(s(d, 'endDate'), lang)}, ${s(d, 'endTime')}` : s(d, 'endTime');
  return `${formatIsoDate(s(d, 'date'), lang)}, ${s(d, 'startTime')}–${end}`;
}

function where(d: FormData): string {
  return d.kind === 'march' ? `${s(d, 'assemblyPoint')} → ${s(d, 'endPoint')}` : s(d, 'place');
}

function OverlapPanel(p: { lang: Lang; overlaps: readonly OverlappingAssembly[]; def: ServiceDefinition }) {
  if (p.overlaps.length === 0) return null;
  const de = p.lang === 'de';
  const n = p.overlaps.length;
  return (
    <section aria-labelledby="overlap-title" data-testid="overlap-panel">
      <h2 class="kern-heading-medium" id="overlap-title">
        {de ? 'Überschneidung mit anderen Versammlungen' : 'Overlap with other assemblies'}
      </h2>
      <Alert kind="warning" title={de ? `${n === 1 ? 'Eine andere Versammlung findet' : `${n} andere Versammlungen finden`} zur selben Zeit am selben Ort statt.` : `${n === 1 ? 'Another assembly takes' : `${n} other assemblies take`} place at the same time and place.`}>
        <p class="kern-body">
          {de
            ? 'Verglichen werden Zeitraum und Ortsangaben (Ort, Sammelpunkt, Endpunkt, Straßen der Wegstrecke) nach Textvergleich. Bitte prüfen Sie, ob sich die Versammlungen tatsächlich stören.'
            : 'Compared are the time and the place details (place, assembly point, end point, streets of the route), by their text. Please check whether the assemblies really conflict.'}
        </p>
        <ul class="kern-list">
          {p.overlaps.map((o) => (
            <li>
              <a class="kern-link" href={`/staff/cases/${o.id}`}>
                {o.reference}
              </a>
              {`: ${p.def.caseSummary(o.formData, p.lang)}; ${when(o.formData, p.lang)}; ${where(o.formData)} (${p.def.process.states.find((x) => x.id === o.state)?.publicLabel[p.lang] ?? o.state})`}
            </li>
          ))}
        </ul>
      </Alert>
    </section>
  );
}

const STATUS: Record<string, { de: string; en: string }> = {
  pending: { de: 'wird gesendet', en: 'sending' },
  retrying: { de: 'fehlgeschlagen, neuer Versuch folgt', en: 'failed, will retry' },
  delivered: { de: 'zugestellt', en: 'delivered' },
  failed: { de: 'endgültig fehlgeschlagen', en: 'failed for good' },
  cancelled: { de: 'nicht gesendet (Vorgang weitergegangen)', en: 'not sent (case moved on)' },
};
const KIND: Record<string, { de: string; en: string }> = {
  notice: { de: 'Anzeige', en: 'Notice' },
  withdrawal: { de: 'Rücknahme', en: 'Withdrawal' },
};

function DeliveriesPanel(p: {
  lang: Lang;
  authorityName: string | undefined;
  timeZone: string;
  deliveries: ReadonlyArray<{ id: string; message_kind: string; status: string; attempts: number; last_error: string | null; last_attempt_at: Date | null; delivered_at: Date | null }>;
}) {
  const de = p.lang === 'de';
  const dt = (d: Date | null) => (d ? formatDateTime(d, p.lang, p.timeZone) : '–');
  return (
    <section aria-labelledby="authority-title" data-testid="authority-deliveries">
      <h2 class="kern-heading-medium" id="authority-title">
        {de ? 'Zuständige Behörde' : 'Competent authority'}
      </h2>
      {p.authorityName ? (
        <p class="kern-body">
          {de ? `Diese Anzeige entscheidet ${p.authorityName}. Sie wird dorthin weitergeleitet; die Antworten der Behörde erscheinen im Verlauf.` : `${p.authorityName} decides this notice. It is forwarded there; the authority's answers appear in the timeline.`}
        </p>
      ) : null}
      {p.deliveries.length === 0 ? (
        <p class="kern-body">{de ? 'Noch keine Weiterleitung.' : 'Not forwarded yet.'}</p>
      ) : (
        <Table caption={de ? 'Weiterleitungen an die Behörde' : 'Deliveries to the authority'} headers={de ? ['Nachricht', 'Stand', 'Versuche', 'Letzter Versuch', 'Zugestellt', 'Letzter Fehler'] : ['Message', 'Status', 'Attempts', 'Last attempt', 'Delivered', 'Last error']}>
          {p.deliveries.map((d) => (
            <tr class="kern-table__row" data-testid={`delivery-${d.status}`}>
              <td class="kern-table__cell">{KIND[d.message_kind]?.[p.lang] ?? d.message_kind}</td>
              <td class="kern-table__cell">{STATUS[d.status]?.[p.lang] ?? d.status}</td>
              <td class="kern-table__cell">{d.attempts}</td>
              <td class="kern-table__cell">{dt(d.last_attempt_at)}</td>
              <td class="kern-table__cell">{dt(d.delivered_at)}</td>
              <td class="kern-table__cell">{d.last_error ?? '–'}</td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}
