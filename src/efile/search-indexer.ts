import { sql } from 'kysely';
import type { Catalogue } from '../catalogue/registry.ts';
import { displayValue } from '../catalogue/form-validation.ts';
import type { FormData } from '../catalogue/service-definition.ts';
import type { JobDefinition } from '../platform/jobs/queue.ts';
import { indexCaseText } from './case-search.ts';
import { readDocument, type DocumentDeps } from './documents.ts';
import { extractPdfText } from './pdf-text.ts';

/**
 * Feeds the full-text index (`case_search`, tsvectors only) from what it does not hold yet: the
 * form data of new cases, internal notes, and every stored document version (its label and file
 * name, and for PDFs the text layer). It runs as a job every minute, off the submission's hot
 * path, so a new case is searchable within about a minute. Erased cases are skipped.
 */
export interface SearchIndexDeps extends DocumentDeps {
  readonly catalogue: Catalogue;
}

export async function indexPending(deps: SearchIndexDeps, batchSize = 200): Promise<{ cases: number; notes: number; documents: number }> {
  const { db } = deps;
  const cases = await db
    .selectFrom('cases as c')
    .select(['c.id', 'c.reference', 'c.service_id', 'c.form_data'])
    .where('c.erased_at', 'is', null)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('case_search as s').select('s.id').whereRef('s.case_id', '=', 'c.id').where('s.source', '=', 'form'))))
    .orderBy('c.submitted_at')
    .limit(batchSize)
    .execute();
  for (const c of cases) {
    const def = deps.catalogue.get(c.service_id);
    const data = c.form_data as FormData;
    // The reference always: every case gets an entry, so it is not picked up again.
    const parts = [c.reference, ...(def ? def.pages.flatMap((p) => p.fields).map((f) => (data[f.id] === undefined ? '' : displayValue(f, data[f.id], 'de'))) : [])];
    await indexCaseText(db, { caseId: c.id, source: 'form', sourceId: 'form', text: parts.filter((p) => p && p !== '—').join('\n') });
  }

  const notes = await db
    .selectFrom('case_events as e')
    .innerJoin('cases as c', 'c.id', 'e.case_id')
    .select(['e.id', 'e.case_id', 'e.payload'])
    .where('e.kind', '=', 'note')
    .where('c.erased_at', 'is', null)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('case_search as s').select('s.id').whereRef('s.case_id', '=', 'e.case_id').where('s.source', '=', 'note').where('s.source_id', '=', sql<string>`e.id::text`))))
    .limit(batchSize)
    .execute();
  for (const n of notes) await indexCaseText(db, { caseId: n.case_id, source: 'note', sourceId: String(n.id), text: String((n.payload as { text?: string }).text ?? '') || '-' });

  const documents = await db
    .selectFrom('documents as d')
    .innerJoin('cases as c', 'c.id', 'd.case_id')
    .select(['d.id', 'd.case_id', 'd.file_name', 'd.title', 'd.content_type'])
    .where('c.erased_at', 'is', null)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('case_search as s').select('s.id').whereRef('s.case_id', '=', 'd.case_id').where('s.source', '=', 'document').where('s.source_id', '=', sql<string>`d.id::text`))))
    .limit(Math.ceil(batchSize / 4))
    .execute();
  for (const d of documents) {
    let body = '';
    if (d.content_type === 'application/pdf') {
      // Integrity-checked read; a document that fails it is indexed by its name only (and the
      // failure shows up where it matters: when someone opens it).
      const read = await readDocument(deps, d.id).catch(() => undefined);
      if (read) body = await extractPdfText(read.bytes);
    }
    await indexCaseText(db, { caseId: d.case_id!, source: 'document', sourceId: d.id, text: [d.title ?? '', d.file_name.replace(/\.[a-z]+$/i, ''), body].join('\n') });
  }
  return { cases: cases.length, notes: notes.length, documents: documents.length };
}


/** Every minute; retried twice. A run that fails leaves the rest for the next. */
export function searchIndexJob(deps: SearchIndexDeps): JobDefinition<Record<string, never>> {
  return {
    name: 'efile.search-index',
    cron: '* * * * *',
    retry: { limit: 2, delaySeconds: 30, backoff: false },
    parse: () => ({}),
    async handle(_data, { log }) {
      let total = 0;
      for (let round = 0; round < 20; round++) {
        const done = await indexPending(deps);
        const n = done.cases + done.notes + done.documents;
        total += n;
        if (n === 0) break;
      }
      if (total > 0) log.info({ indexed: total }, 'search index updated');
    },
  };
}
