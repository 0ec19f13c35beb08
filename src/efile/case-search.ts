import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/**
 * Full-text search over the E-Akte with PostgreSQL's German text search (Snowball stemmer:
 * "Versammlungen" finds "Versammlung"). The index keeps only tsvectors — never the text, which is
 * encrypted at rest (migration 0008). Staff find only cases of the departments passed in, and
 * that limit is part of the query, not a filter afterwards.
 * PGlite (npm test) ships the 'german' configuration as PostgreSQL does; checked in
 * case-search.test.ts.
 */

export type CaseTextSource = 'form' | 'note' | 'document';

/** What one entry may index; the text layer of a PDF is already cut to this by extractPdfText. */
const MAX_INDEXED_CHARS = 200_000;
/** Longer queries are cut: websearch syntax needs no more, and long ones only cost. */
export const MAX_QUERY_CHARS = 200;
const MAX_LIMIT = 100;

export interface CaseTextInput {
  readonly caseId: string;
  readonly source: CaseTextSource;
  /** Which form, note or document the text came from (e.g. the document_id), unique per case and source. */
  readonly sourceId: string;
  readonly text: string;
}

/** Indexes (or re-indexes) one text of a case. A text without words removes the entry. Works inside a transaction (`trx`). */
export async function indexCaseText(db: Kysely<Database>, input: CaseTextInput): Promise<void> {
  // NUL cannot be stored in PostgreSQL text; a tsvector over 1 MB is refused, hence the cap.
  const text = cut(input.text.replace(/\0/g, ' '), MAX_INDEXED_CHARS);
  if (text.trim() === '') {
    await removeCaseText(db, input.caseId, input.source, input.sourceId);
    return;
  }
  await db
    .insertInto('case_search')
    .values({ case_id: input.caseId, source: input.source, source_id: input.sourceId, tsv: sql<string>`to_tsvector('german', ${text})` })
    .onConflict((oc) => oc.columns(['case_id', 'source', 'source_id']).doUpdateSet({ tsv: (eb) => eb.ref('excluded.tsv') }))
    .execute();
}

/** Removes a case's entries: all, all of one source, or one. */
export async function removeCaseText(db: Kysely<Database>, caseId: string, source?: CaseTextSource, sourceId?: string): Promise<void> {
  let q = db.deleteFrom('case_search').where('case_id', '=', caseId);
  if (source !== undefined) q = q.where('source', '=', source);
  if (sourceId !== undefined) q = q.where('source_id', '=', sourceId);
  await q.execute();
}

export interface CaseSearchInput {
  /** The departments whose cases the searching staff member may see; none means no results. */
  readonly departmentIds: readonly string[];
  /** Web search syntax: words, "a phrase", -excluded, or. */
  readonly query: string;
  /** Default 20, at most 100. */
  readonly limit?: number;
  readonly offset?: number;
}

export interface CaseSearchHit {
  readonly caseId: string;
  readonly reference: string;
  readonly serviceId: string;
  readonly state: string;
  readonly submittedAt: Date;
  /** ts_rank of the best matching text of the case; higher is better. */
  readonly rank: number;
}

/** Cases whose texts match, best first, newest first among equals. */
export async function searchCases(db: Kysely<Database>, input: CaseSearchInput): Promise<CaseSearchHit[]> {
  const query = cut(input.query.replace(/\0/g, ' '), MAX_QUERY_CHARS).trim();
  if (query === '' || input.departmentIds.length === 0) return [];
  const limit = Math.min(Math.max(Math.trunc(input.limit ?? 20), 1), MAX_LIMIT);
  const offset = Math.max(Math.trunc(input.offset ?? 0), 0);
  const tsquery = sql`websearch_to_tsquery('german', ${query})`;

  const rows = await db
    .selectFrom('case_search as s')
    .innerJoin('cases as c', 'c.id', 's.case_id')
    .where('c.department_id', 'in', [...input.departmentIds])
    .where(sql<boolean>`s.tsv @@ ${tsquery}`)
    .groupBy('c.id')
    .select(['c.id as caseId', 'c.reference', 'c.service_id as serviceId', 'c.state', 'c.submitted_at as submittedAt', sql<number>`max(ts_rank(s.tsv, ${tsquery}))::float8`.as('rank')])
    .orderBy('rank', 'desc')
    .orderBy('c.submitted_at', 'desc')
    .orderBy('c.id')
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map((r) => ({ ...r, rank: Number(r.rank) }));
}

/** At most `max` characters, never half a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const cutAt = /[\uD800-\uDBFF]/.test(text[max - 1]!) ? max - 1 : max;
  return text.slice(0, cutAt);
}
