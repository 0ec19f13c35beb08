-- Diagnostic (BENCH_DIAGNOSE=1 in bench/run.ts): the SQL one API submission sends, replayed by
-- pgbench without Node.js, against a migrated bench database. Mirrors src/cases/submit-case.ts
-- (fileCase), pg-boss `send` (src/platform/jobs/queue.ts) and src/efile/audit-chain.ts
-- (appendAudit) as they were before the fixes of 2026-11-29 (ADR 0005, ADR 0007): kept as the record of the diagnosis. Run with -M extended: like node-postgres without named
-- statements, every statement is parsed and planned again.
-- Variant "before the fixes" (the code up to ADR 0005's change): the audit entry is chained under the head row lock (4 round trips incl. COMMIT).
\set k random(1, 2000000000)
SELECT response FROM idempotency_keys WHERE scope = 'api' AND key = 'diag-miss-' || :k;
BEGIN;
SELECT nextval('case_number_seq') AS n \gset
INSERT INTO cases (reference, access_code_hash, service_id, service_version, state, department_id, applicant, form_data, submitted_at, updated_at, due_at)
  VALUES ('DIAG-' || :n, md5('code' || :n), 'versammlungsanzeige', 1, 'received', 'versammlungsbehoerde', '{"name":"Erika Mustermann","email":"erika@example.org"}',
          '{"organiserName":"Erika Mustermann","organisation":"","street":"Marktplatz 1","postcode":"06108","town":"Halle (Saale)","email":"erika@example.org","phone":"","leaderName":"Erika Mustermann","leaderPhone":"0345 123456","deputyName":"","subject":"Für mehr Grün in der Stadt","kind":"stationary","date":"2026-12-20","startTime":"14:00","endTime":"16:00","endDate":"","place":"Marktplatz","participants":"100","stewards":"5","aids":["banners"],"aidsDetails":"","alreadyAnnounced":"no","announcementDate":"2026-12-06","announcementTime":"10:00"}', now(), now(), now() + interval '2 days')
  RETURNING id AS case_id \gset
INSERT INTO case_events (case_id, at, kind, to_state, actor_type, public, payload)
  VALUES (:case_id, now(), 'submitted', 'received', 'applicant', true, '{"channel":"api"}') RETURNING id AS event_id \gset
INSERT INTO idempotency_keys (scope, key, case_id, response)
  VALUES ('api', 'diag-' || :n, :case_id, jsonb_build_object('caseId', :case_id::text, 'reference', 'DIAG-' || :n, 'accessCode', 'CRC3V-MBVWS', 'serviceId', 'versammlungsanzeige', 'state', 'received', 'submittedAt', now(), 'fingerprint', md5('x')));
INSERT INTO pgboss.job (id, name, data, priority, start_after, singleton_key, singleton_on, dead_letter, expire_in, keep_until, retry_limit, retry_delay, retry_backoff, policy)
  SELECT id, j.name, data, priority, start_after, singleton_key, singleton_on, COALESCE(j.dead_letter, q.dead_letter) as dead_letter,
    CASE WHEN expire_in IS NOT NULL THEN expire_in::numeric * interval '1s' WHEN q.expire_seconds IS NOT NULL THEN q.expire_seconds * interval '1s' WHEN expire_in_default IS NOT NULL THEN expire_in_default::numeric * interval '1s' ELSE interval '15 minutes' END as expire_in,
    CASE WHEN right(keep_until, 1) = 'Z' THEN CAST(keep_until as timestamp with time zone) ELSE start_after + CAST(COALESCE(keep_until, (q.retention_minutes * 60)::text, keep_until_default, '14 days') as interval) END as keep_until,
    COALESCE(j.retry_limit, q.retry_limit, retry_limit_default, 2) as retry_limit,
    CASE WHEN COALESCE(j.retry_backoff, q.retry_backoff, retry_backoff_default, false) THEN GREATEST(COALESCE(j.retry_delay, q.retry_delay, retry_delay_default), 1) ELSE COALESCE(j.retry_delay, q.retry_delay, retry_delay_default, 0) END as retry_delay,
    COALESCE(j.retry_backoff, q.retry_backoff, retry_backoff_default, false) as retry_backoff, q.policy
  FROM (SELECT gen_random_uuid() as id, 'mail.receipt' as name, jsonb_build_object('caseId', :case_id::text, 'eventId', :event_id::text) as data, 0 as priority,
          now() as start_after, NULL::text as singleton_key, NULL::timestamp as singleton_on, NULL::text as dead_letter, NULL::text as expire_in, NULL::text as expire_in_default,
          NULL::text as keep_until, NULL::text as keep_until_default, 5 as retry_limit, NULL::int as retry_limit_default, 60 as retry_delay, NULL::int as retry_delay_default,
          true as retry_backoff, NULL::bool as retry_backoff_default) j
  JOIN pgboss.queue q ON j.name = q.name
  ON CONFLICT DO NOTHING RETURNING id;
SELECT last_id, last_hash FROM audit_chain_head FOR UPDATE \gset
INSERT INTO audit_log (id, at, actor_type, actor_id, action, case_id, details, prev_hash, hash)
  VALUES (:last_id::bigint + 1, now(), 'applicant', NULL, 'case.submitted', :case_id, '{"serviceId":"versammlungsanzeige","serviceVersion":1,"reference":"DIAG","channel":"api"}', :last_hash, encode(sha256(convert_to(:last_hash || E'\n' || :case_id, 'UTF8')), 'hex'))
  RETURNING hash AS new_hash \gset
UPDATE audit_chain_head SET last_id = :last_id::bigint + 1, last_hash = :new_hash;
COMMIT;
