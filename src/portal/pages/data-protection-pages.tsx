import type { Catalogue } from '../../catalogue/registry.ts';
import type { Lang } from '../../catalogue/service-definition.ts';
import { ACCESS_KIND_LABELS, type AccessLogEntry } from '../../identity/data-access-log.ts';
import { formatDateTime } from '../../platform/i18n/time.ts';
import { Button, CsrfField, Pager, Table } from '../../platform/views/components.tsx';

/**
 * The Datenschutz-Cockpit: which office accessed the citizen's own cases and when (never which
 * person), and the button for the complete data export. Paging is a plain link (no JavaScript).
 */
export function DataProtectionView(p: {
  lang: Lang;
  csrfToken: string;
  catalogue: Catalogue;
  entries: readonly AccessLogEntry[];
  /** Href of the next (older) page, if any. */
  olderHref: string | undefined;
  /** Whether this is a later page (a link back to the newest entries is shown). */
  paged: boolean;
}) {
  const { lang, catalogue } = p;
  const de = lang === 'de';
  const tz = catalogue.city.timeZone;
  const office = (id: string) => catalogue.city.departments.find((d) => d.id === id)?.name[lang] ?? (de ? 'Stadtverwaltung' : 'City administration');
  return (
    <>
      <h1 class="kern-heading-large">{de ? 'Datenschutz-Cockpit' : 'Data protection cockpit'}</h1>
      <p class="kern-body">
        <a class="kern-link" href="/account">
          {de ? 'Zurück zu meinem Konto' : 'Back to my account'}
        </a>
      </p>
      <p class="kern-body">
        {de
          ? 'Jedes Mal, wenn Beschäftigte der Stadtverwaltung eine Akte Ihrer Anliegen öffnen, ein Dokument daraus herunterladen oder die Akte bearbeiten, wird das protokolliert. Hier sehen Sie, welche Stelle wann auf Ihre Daten zugegriffen hat. Namen einzelner Beschäftigter zeigen wir zu deren Schutz nicht.'
          : 'Every time staff of the city administration open the file of one of your cases, download a document from it or work on it, this is logged. Here you see which office accessed your data and when. We do not show the names of individual staff members, to protect them.'}
      </p>

      <h2 class="kern-heading-medium" id="access-heading">
        {de ? 'Zugriffe auf Ihre Anliegen' : 'Access to your cases'}
      </h2>
      {p.entries.length === 0 ? (
        <p class="kern-body" data-testid="no-access">
          {p.paged
            ? de
              ? 'Keine älteren Zugriffe.'
              : 'No older access.'
            : de
              ? 'Bisher hat niemand in der Verwaltung auf die Akten Ihrer Anliegen zugegriffen.'
              : 'So far nobody in the administration has accessed the files of your cases.'}
        </p>
      ) : (
        <Table
          caption={de ? 'Zugriffe auf Ihre Anliegen, neueste zuerst' : 'Access to your cases, newest first'}
          headers={de ? ['Datum und Uhrzeit', 'Stelle', 'Anliegen', 'Art des Zugriffs'] : ['Date and time', 'Office', 'Case', 'Kind of access']}
          testId="access-log"
        >
              {p.entries.map((e) => (
                <tr class="kern-table__row">
                  <th class="kern-table__cell" scope="row">
                    <time datetime={e.at.toISOString()}>{formatDateTime(e.at, lang, tz)}</time>
                  </th>
                  <td class="kern-table__cell">{office(e.departmentId)}</td>
                  <td class="kern-table__cell">
                    {e.reference}
                    <br />
                    <span class="kern-body--small">{catalogue.get(e.serviceId)?.title[lang] ?? e.serviceId}</span>
                  </td>
                  <td class="kern-table__cell">{ACCESS_KIND_LABELS[e.kind][lang]}</td>
                </tr>
              ))}
        </Table>
      )}
      <Pager
        lang={lang}
        previous={p.paged ? { href: '/account/data-protection', label: de ? 'Neueste Zugriffe' : 'Newest access' } : undefined}
        next={p.olderHref ? { href: p.olderHref, label: de ? 'Ältere Zugriffe' : 'Older access' } : undefined}
      />

      <h2 class="kern-heading-medium" id="export-heading">
        {de ? 'Alle meine Daten' : 'All my data'}
      </h2>
      <p class="kern-body">
        {de
          ? 'Sie haben das Recht zu erfahren, welche Daten wir über Sie speichern, und sie in einer maschinenlesbaren Form zu erhalten (Art. 15 und 20 DSGVO). Die ZIP-Datei enthält Ihre Kontodaten, Ihre Anliegen mit Ihren Angaben und dem öffentlichen Verlauf, die Dokumente Ihrer Anliegen, dieses Zugriffsprotokoll und eine Erklärung (LIESMICH.txt).'
          : 'You have the right to know which data we store about you and to receive it in a machine-readable form (Art. 15 and 20 GDPR). The ZIP file holds your account data, your cases with your answers and the public timeline, the documents of your cases, this access log and an explanation (LIESMICH.txt).'}
      </p>
      <p class="kern-body">
        {de
          ? 'Interne Vermerke der Sachbearbeitung und Namen von Beschäftigten sind nicht enthalten. Warum, und wie Sie auch diese anfragen können, steht in der Datei LIESMICH.txt.'
          : 'Internal notes of the case workers and staff names are not included. LIESMICH.txt explains why and how you can ask for them too.'}
      </p>
      <form method="post" action="/account/data-export" class="aw-inline-form" aria-labelledby="export-heading">
        <CsrfField token={p.csrfToken} />
        <Button>{de ? 'Alle meine Daten herunterladen' : 'Download all my data'}</Button>
      </form>
      <p class="kern-body kern-body--small">
        {de ? 'Fragen zum Datenschutz richten Sie bitte an: ' : 'Please send questions about data protection to: '}
        {catalogue.city.contact[lang]}
      </p>
    </>
  );
}
