import type { CaseDeps } from '../../cases/case-deps.ts';
import { parseReference } from '../../cases/reference.ts';
import { transitionCase } from '../../cases/transition-case.ts';
import { appendAudit } from '../../efile/audit-chain.ts';
import { BadRequestError, NotFoundError } from '../../platform/errors.ts';
import { callbackTokenMatches, type ExternalAuthority } from './authority.ts';
import { AUTHORITY_ANSWER_KINDS, AUTHORITY_ANSWER_TRANSITIONS, type AuthorityAnswerKind } from './authority-process.ts';

/**
 * An external authority's answer (ADR 0023), as it arrives at `POST /api/v1/authority/answers`:
 *
 *     { "authority": "polizei-halle", "answerId": "PI-4711", "reference": "HAL-2026-000123-7",
 *       "callbackToken": "…", "answer": "restricted", "text": "…", "reason": "…" }
 *
 * `answer` is one of received, cooperation_talk (text: the message), confirmed (text: remarks,
 * optional), restricted (text: the restrictions, reason), banned (reason). `answerId` is the
 * authority's own id of this answer: sent twice, it moves the case once.
 */
export interface AuthorityAnswer {
  readonly authority: string;
  readonly answerId: string;
  readonly reference: string;
  readonly callbackToken: string;
  readonly answer: AuthorityAnswerKind;
  readonly text?: string;
  readonly reason?: string;
}

const KEYS = new Set(['authority', 'answerId', 'reference', 'callbackToken', 'answer', 'text', 'reason']);
const bad = (en: string, de: string) => new BadRequestError({ de, en });

export function parseAuthorityAnswer(body: unknown): AuthorityAnswer {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad('The body must be a JSON object.', 'Der Inhalt muss ein JSON-Objekt sein.');
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => !KEYS.has(k));
  if (unknown.length > 0) throw bad(`Unknown properties: ${unknown.join(', ')}.`, `Unbekannte Angaben: ${unknown.join(', ')}.`);
  const text = (k: string, max: number, required: boolean): string | undefined => {
    const v = b[k];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || v.trim() === '' || v.length > max) throw bad(`"${k}" must be a text of 1 to ${max} characters.`, `„${k}“ muss ein Text mit 1 bis ${max} Zeichen sein.`);
    return v;
  };
  const answer = b.answer;
  if (typeof answer !== 'string' || !(AUTHORITY_ANSWER_KINDS as string[]).includes(answer))
    throw bad(`"answer" must be one of ${AUTHORITY_ANSWER_KINDS.join(', ')}.`, `„answer“ muss eins von ${AUTHORITY_ANSWER_KINDS.join(', ')} sein.`);
  const answerId = text('answerId', 100, true)!;
  if (!/^[A-Za-z0-9._:-]+$/.test(answerId)) throw bad('"answerId" may use letters, digits and . _ : - only.', '„answerId“ darf nur Buchstaben, Ziffern und . _ : - enthalten.');
  const t = text('text', 4000, false);
  const reason = text('reason', 4000, false);
  return {
    authority: text('authority', 100, true)!,
    answerId,
    reference: text('reference', 40, true)!,
    callbackToken: text('callbackToken', 100, true)!,
    answer: answer as AuthorityAnswerKind,
    ...(t !== undefined ? { text: t } : {}),
    ...(reason !== undefined ? { reason } : {}),
  };
}

/** The inputs of the answer's transition: the authority's name, and its texts where the answer has them. */
function inputsFor(a: AuthorityAnswer, authority: ExternalAuthority): Record<string, string> {
  const name = authority.name.de;
  switch (a.answer) {
    case 'received':
      return { authority: name };
    case 'cooperation_talk':
      return { authority: name, message: a.text ?? '' };
    case 'confirmed':
      return { authority: name, ...(a.text ? { conditions: a.text } : {}) };
    case 'restricted':
      return { authority: name, restrictions: a.text ?? '', reason: a.reason ?? '' };
    case 'banned':
      return { authority: name, reason: a.reason ?? a.text ?? '' };
  }
}

const UNKNOWN_CASE = { de: 'Es gibt keine an diese Behörde weitergeleitete Anzeige mit diesem Aktenzeichen und diesem Token.', en: 'No notice with this reference and token was forwarded to this authority.' };

export interface AnswerOutcome {
  readonly state: string;
  readonly duplicate: boolean;
}

/**
 * Applies an answer whose signature the route has checked: finds the case forwarded to this
 * authority (reference and callback token; an unknown case and a wrong token get the same 404),
 * records the answer once, and takes its transition through the engine as the system, so the
 * timeline, audit entry, notification and sealed notice follow as for any decision. A refusal of
 * the engine (a state the answer does not fit: 409; a missing text: 422) is passed on and the
 * answer is not recorded, so the authority can send it again.
 */
export async function applyAuthorityAnswer(deps: Pick<CaseDeps, 'db' | 'jobs' | 'catalogue' | 'now'>, authority: ExternalAuthority, answer: AuthorityAnswer): Promise<AnswerOutcome> {
  const { db } = deps;
  const reference = parseReference(answer.reference);
  const row = reference ? await db.selectFrom('cases').select(['id', 'state']).where('reference', '=', reference).executeTakeFirst() : undefined;
  const tokenOk = callbackTokenMatches(authority, row?.id ?? '00000000-0000-0000-0000-000000000000', answer.callbackToken);
  const forwarded =
    row && tokenOk
      ? await db.selectFrom('authority_deliveries').select(['id', 'status']).where('case_id', '=', row.id).where('authority_id', '=', authority.id).where('message_kind', '=', 'notice').where('status', '!=', 'cancelled').executeTakeFirst()
      : undefined;
  if (!row || !forwarded) throw new NotFoundError(UNKNOWN_CASE);

  const claimed = await db
    .insertInto('authority_answers')
    .values({ authority_id: authority.id, answer_id: answer.answerId, case_id: row.id, kind: answer.answer, received_at: deps.now() })
    .onConflict((oc) => oc.columns(['authority_id', 'answer_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!claimed) {
    const current = await db.selectFrom('cases').select('state').where('id', '=', row.id).executeTakeFirstOrThrow();
    return { state: current.state, duplicate: true };
  }
  try {
    // An answer proves the notice arrived, even if our side never saw the authority's 2xx.
    if (forwarded.status !== 'delivered') await db.updateTable('authority_deliveries').set({ status: 'delivered', delivered_at: deps.now(), last_error: null }).where('id', '=', forwarded.id).execute();
    const result = await transitionCase(deps, { caseId: row.id, transitionId: AUTHORITY_ANSWER_TRANSITIONS[answer.answer], expectedVersion: undefined, actor: { type: 'system' }, input: inputsFor(answer, authority) });
    const event = await db.selectFrom('case_events').select('id').where('case_id', '=', row.id).where('kind', '=', 'transition').orderBy('id', 'desc').limit(1).executeTakeFirst();
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('authority_answers').set({ case_event_id: event?.id ?? null }).where('id', '=', claimed.id).execute();
      await appendAudit(trx, { actorType: 'system', actorId: null, action: 'case.authority_answer', caseId: row.id, details: { authorityId: authority.id, answerId: answer.answerId, answer: answer.answer } });
    });
    return { state: result.state, duplicate: false };
  } catch (err) {
    await db.deleteFrom('authority_answers').where('id', '=', claimed.id).execute();
    throw err;
  }
}
