import type { Catalogue } from '../catalogue/registry.ts';
import type { Lang, Text } from '../catalogue/service-definition.ts';
import { Alert, Button, CsrfField, ErrorSummary, Table, TextInput } from '../platform/views/components.tsx';
import type { ArrivalLine, ArrivalOutcome } from './arrivals.ts';

/** The arrival page: a textarea for the serial numbers, and after a submission what became of each. */
export function ArrivalsView(p: { lang: Lang; csrfToken: string; catalogue: Catalogue; text: string; error?: string | undefined; results?: readonly ArrivalLine[] | undefined }) {
  const de = p.lang === 'de';
  const stateLabel = (serviceId: string | undefined, state: string | undefined) =>
    (serviceId && state ? p.catalogue.get(serviceId)?.process.states.find((s) => s.id === state)?.publicLabel[p.lang] : undefined) ?? state ?? '';
  const describe = (r: ArrivalLine): string => {
    const texts: Record<ArrivalOutcome, Text> = {
      moved: { de: `Verbucht, jetzt „${stateLabel(r.serviceId, r.state)}“. Die Person wird benachrichtigt.`, en: `Done, now “${stateLabel(r.serviceId, r.state)}”. The applicant is notified.` },
      unknown: {
        de: 'Unbekannte Seriennummer: kein Antrag Ihrer Abteilung hat diese Nummer. Bitte prüfen Sie die Eingabe.',
        en: 'Unknown serial number: no application of your department has this number. Please check the entry.',
      },
      wrong_state: {
        de: `Nicht verbucht: der Antrag ist nicht in Herstellung, sondern „${stateLabel(r.serviceId, r.state)}“.`,
        en: `Not marked: the application is not in production but “${stateLabel(r.serviceId, r.state)}”.`,
      },
      duplicate: { de: 'Doppelt in der Liste, nur einmal verbucht.', en: 'Listed twice, marked only once.' },
      invalid: {
        de: 'Keine Seriennummer: 9 Zeichen aus Ziffern und den Buchstaben C, F, G, H, J, K, L, M, N, P, R, T, V, W, X, Y, Z.',
        en: 'Not a serial number: 9 characters of digits and the letters C, F, G, H, J, K, L, M, N, P, R, T, V, W, X, Y, Z.',
      },
    };
    return texts[r.outcome][p.lang];
  };
  const count = (o: ArrivalOutcome) => p.results?.filter((r) => r.outcome === o).length ?? 0;
  const open = count('unknown') + count('invalid');
  return (
    <>
      <h1 class="kern-heading-large">{de ? 'Eingetroffene Ausweise und Pässe' : 'Arrived ID cards and passports'}</h1>
      <ErrorSummary title={de ? 'Bitte prüfen Sie Ihre Eingabe' : 'Please check your entry'} errors={p.error ? [{ href: '#serials', text: p.error }] : []} />
      {p.results ? (
        <section aria-labelledby="arrival-results-title">
          <div role="status">
            <h2 class="kern-heading-medium" id="arrival-results-title">
              {de ? `${count('moved')} verbucht, ${open} nicht gefunden, ${count('wrong_state')} in anderem Stand` : `${count('moved')} marked, ${open} not found, ${count('wrong_state')} in another state`}
            </h2>
          </div>
          {open > 0 ? (
            <Alert kind="warning" title={de ? 'Nicht gefundene Nummern stehen wieder im Eingabefeld.' : 'Numbers not found are back in the entry field.'}>
              <p class="kern-body">{de ? 'Korrigieren Sie sie und verbuchen Sie erneut, oder legen Sie die Dokumente zur Klärung beiseite.' : 'Correct them and mark again, or set the documents aside to be cleared up.'}</p>
            </Alert>
          ) : null}
          <Table caption={de ? 'Ergebnis je Seriennummer, in der Reihenfolge der Eingabe' : 'Result per serial number, in the order entered'} headers={de ? ['Seriennummer', 'Ergebnis', 'Vorgang'] : ['Serial number', 'Result', 'Case']} testId="arrival-results">
            {p.results.map((r) => (
              <tr class="kern-table__row" data-outcome={r.outcome}>
                <th class="kern-table__header" scope="row">
                  <code>{r.serial}</code>
                </th>
                <td class="kern-table__cell">{describe(r)}</td>
                <td class="kern-table__cell">
                  {r.caseId && r.reference ? (
                    <a class="kern-link" href={`/staff/cases/${r.caseId}`}>
                      {r.reference}
                    </a>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </Table>
        </section>
      ) : null}
      <form method="post" action="/staff/id-documents/arrivals" novalidate class="aw-form">
        <CsrfField token={p.csrfToken} />
        <TextInput
          id="serials"
          label={de ? 'Seriennummern, eine je Zeile' : 'Serial numbers, one per line'}
          hint={
            de
              ? 'Tippen oder scannen Sie die Seriennummern der eingetroffenen Dokumente. Ein Scanner schließt jede Nummer mit der Eingabetaste ab, so entsteht die Liste von selbst. Jeder passende Antrag in Herstellung wird abholbereit (oder bei Versand: per Post versandt) und die Person benachrichtigt.'
              : 'Type or scan the serial numbers of the documents that arrived. A scanner ends each number with Enter, which builds the list by itself. Every matching application in production becomes ready for pickup (or, with delivery by post, sent by post) and the applicant is notified.'
          }
          value={p.text}
          multiline
          maxLength={MAX_TEXT}
          error={p.error}
        />
        <Button>{de ? 'Als eingetroffen verbuchen' : 'Mark as arrived'}</Button>
      </form>
    </>
  );
}

/** 500 lines of up to 20 characters and their line breaks, with room to spare. */
export const MAX_TEXT = 20_000;
