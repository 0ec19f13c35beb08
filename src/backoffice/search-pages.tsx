import type { Catalogue } from '../catalogue/registry.ts';
import type { Lang } from '../catalogue/service-definition.ts';
import type { CaseSearchHit } from '../efile/case-search.ts';
import { formatDateTime } from '../platform/i18n/time.ts';
import { Button, CsrfField, Table, TextInput } from '../platform/views/components.tsx';

/**
 * Full-text search across the case files of one's departments: form data, notes, and the text of
 * PDF documents. The query is posted, never put in the address (it may hold a name).
 */
export function SearchView(p: { lang: Lang; csrfToken: string; query: string; hits: readonly CaseSearchHit[] | undefined; catalogue: Catalogue; error?: string | undefined }) {
  const de = p.lang === 'de';
  const tz = p.catalogue.city.timeZone;
  return (
    <>
      <h1 class="kern-heading-large">{de ? 'Akten durchsuchen' : 'Search case files'}</h1>
      <form method="post" action="/staff/search" novalidate class="aw-form" role="search">
        <CsrfField token={p.csrfToken} />
        <TextInput
          id="q"
          label={de ? 'Suchbegriffe' : 'Search terms'}
          hint={de ? 'Sucht in Angaben, Notizen und im Text von PDF-Dokumenten, auch nach Wortformen („Versammlungen“ findet „Versammlung“). "Genaue Wortfolge" in Anführungszeichen, -Wort schließt aus.' : 'Searches submitted data, notes and the text of PDF documents, including word forms. "Exact phrase" in quotes, -word excludes.'}
          value={p.query}
          type="search"
          maxLength={200}
          error={p.error}
        />
        <Button>{de ? 'Suchen' : 'Search'}</Button>
      </form>
      {p.hits === undefined ? null : (
        <section aria-labelledby="results-title">
          <div role="status">
            <h2 class="kern-heading-medium" id="results-title">
              {p.hits.length === 0 ? (de ? 'Keine Treffer' : 'No results') : de ? `${p.hits.length} ${p.hits.length === 1 ? 'Treffer' : 'Treffer'}` : `${p.hits.length} ${p.hits.length === 1 ? 'result' : 'results'}`}
            </h2>
          </div>
          {p.hits.length > 0 ? (
            <Table
              caption={de ? 'Gefundene Vorgänge, beste Treffer zuerst' : 'Cases found, best first'}
              headers={de ? ['Aktenzeichen', 'Leistung', 'Stand', 'Eingang'] : ['Reference', 'Service', 'State', 'Received']}
              testId="search-results"
            >
                {p.hits.map((h) => {
                  const def = p.catalogue.get(h.serviceId);
                  return (
                    <tr class="kern-table__row">
                      <th class="kern-table__header" scope="row">
                        <a class="kern-link" href={`/staff/cases/${h.caseId}`}>
                          {h.reference}
                        </a>
                      </th>
                      <td class="kern-table__cell">{def?.title[p.lang] ?? h.serviceId}</td>
                      <td class="kern-table__cell">{def?.process.states.find((s) => s.id === h.state)?.publicLabel[p.lang] ?? h.state}</td>
                      <td class="kern-table__cell">{formatDateTime(h.submittedAt, p.lang, tz)}</td>
                    </tr>
                  );
                })}
            </Table>
          ) : null}
        </section>
      )}
    </>
  );
}
