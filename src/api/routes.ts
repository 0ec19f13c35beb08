import fastifySwagger from '@fastify/swagger';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { lookupStatus } from '../cases/queries.ts';
import { submitCase } from '../cases/submit-case.ts';
import type { Field, FormData, ServiceDefinition } from '../catalogue/service-definition.ts';
import { BadRequestError, ForbiddenError, ValidationError } from '../platform/errors.ts';
import type { Runtime } from '../runtime.ts';
import { renderApiDocs } from './docs-page.tsx';

/**
 * `/api/v1`: the catalogue, form definitions, idempotent submission and status lookup, for the
 * mobile app, other portals and authorities' systems. OpenAPI 3.1 is generated from these route
 * schemas; errors are RFC 9457 problem+json (see platform/http/error-handler.ts).
 */
const TextSchema = Type.Object({ de: Type.String(), en: Type.String() }, { $id: 'Text' });

const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    messages: Type.Optional(Type.Object({ de: Type.String(), en: Type.String() })),
    errors: Type.Optional(
      Type.Array(Type.Object({ pointer: Type.String({ description: 'JSON pointer into the request body, e.g. /data/date' }), detail: Type.String(), messages: Type.Object({ de: Type.String(), en: Type.String() }) })),
    ),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details' },
);

const ServiceSummary = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  leikaKey: Type.String(),
  title: Type.Ref(TextSchema),
  summary: Type.Ref(TextSchema),
  identityLevel: Type.Union([Type.Literal('none'), Type.Literal('basic'), Type.Literal('substantial'), Type.Literal('high')]),
  feeCents: Type.Integer(),
  keywords: Type.Array(Type.String()),
});

const FieldSchema = Type.Object({
  id: Type.String(),
  type: Type.String(),
  label: Type.Ref(TextSchema),
  hint: Type.Optional(Type.Ref(TextSchema)),
  required: Type.Boolean(),
  conditional: Type.Boolean({ description: 'Shown only under conditions that depend on other answers; the server tells when it is missing.' }),
  minLength: Type.Optional(Type.Integer()),
  maxLength: Type.Optional(Type.Integer()),
  min: Type.Optional(Type.Integer()),
  max: Type.Optional(Type.Integer()),
  choices: Type.Optional(Type.Array(Type.Object({ value: Type.String(), label: Type.Ref(TextSchema) }))),
  /** File fields: the types accepted (by content) and the size limit. Uploads go through the portal. */
  accept: Type.Optional(Type.Array(Type.String())),
  maxBytes: Type.Optional(Type.Integer()),
});

const ServiceForm = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  title: Type.Ref(TextSchema),
  pages: Type.Array(Type.Object({ id: Type.String(), title: Type.Ref(TextSchema), fields: Type.Array(FieldSchema) })),
  states: Type.Array(Type.Object({ id: Type.String(), publicLabel: Type.Ref(TextSchema), next: Type.Ref(TextSchema), expectedDuration: Type.Optional(Type.String()), final: Type.Boolean() })),
});

const SubmissionBody = Type.Object(
  { data: Type.Record(Type.String(), Type.Union([Type.String({ maxLength: 20000 }), Type.Array(Type.String({ maxLength: 200 }), { maxItems: 50 })])) },
  { additionalProperties: false },
);

const SubmissionResult = Type.Object({
  caseId: Type.String({ format: 'uuid' }),
  reference: Type.String({ examples: ['HAL-2026-000123-7'] }),
  accessCode: Type.String({ description: 'Shown once; needed with the reference to read the status.' }),
  serviceId: Type.String(),
  state: Type.String(),
  submittedAt: Type.String({ format: 'date-time' }),
  replayed: Type.Boolean({ description: 'True when the Idempotency-Key was seen before: the same case is returned.' }),
});

const StatusBody = Type.Object({ reference: Type.String({ maxLength: 40 }), accessCode: Type.String({ maxLength: 40 }) }, { additionalProperties: false });

const StatusResult = Type.Object({
  reference: Type.String(),
  serviceId: Type.String(),
  state: Type.String(),
  stateLabel: Type.Ref(TextSchema),
  next: Type.Ref(TextSchema),
  dueAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  final: Type.Boolean(),
  events: Type.Array(Type.Object({ at: Type.String({ format: 'date-time' }), text: Type.Ref(TextSchema), details: Type.Array(Type.Object({ label: Type.Ref(TextSchema), value: Type.String() })) })),
});

const problems = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, Type.Ref(Problem)]));

function fieldOut(f: Field) {
  return {
    id: f.id,
    type: f.type,
    label: f.label,
    ...(f.hint ? { hint: f.hint } : {}),
    required: f.required === true,
    conditional: f.when !== undefined,
    ...('minLength' in f && f.minLength !== undefined ? { minLength: f.minLength } : {}),
    ...('maxLength' in f ? { maxLength: f.maxLength } : {}),
    ...(f.type === 'integer' ? { min: f.min, max: f.max } : {}),
    ...(f.type === 'file' ? { accept: [...f.accept], maxBytes: f.maxBytes } : {}),
    ...(f.type === 'radio' || f.type === 'select' || f.type === 'checkboxes' ? { choices: f.choices.map((c) => ({ value: c.value, label: c.label })) } : {}),
  };
}

function summaryOut(d: ServiceDefinition) {
  return { id: d.id, version: d.version, leikaKey: d.leikaKey, title: d.title, summary: d.summary, identityLevel: d.identityLevel, feeCents: d.feeCents, keywords: [...d.keywords] };
}

export async function registerApi(app: FastifyInstance, deps: Runtime): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Amtsweg API',
        version: '1.0.0',
        description: 'Digital citizen office: services, submissions and status. Errors are RFC 9457 problem+json; texts come in German (de) and English (en).',
      },
      servers: [{ url: deps.config.publicUrl }],
      tags: [
        { name: 'catalogue', description: 'Services and their forms' },
        { name: 'cases', description: 'Submissions and status' },
      ],
    },
    refResolver: { buildLocalReference: (json, _base, _frag, i) => String(json.$id ?? `def-${i}`) },
  });

  await app.register(
    async (api) => {
      api.addSchema(TextSchema);
      api.addSchema(Problem);

      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

      api.get('/services', {
        schema: {
          tags: ['catalogue'],
          summary: 'List and search services',
          querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 100, description: 'Everyday words, e.g. "demo"' })) }),
          response: { 200: Type.Object({ services: Type.Array(ServiceSummary) }) },
        },
        handler: async (req: FastifyRequest<{ Querystring: { q?: string } }>) => ({ services: deps.catalogue.search(req.query.q ?? '', req.lang).map(summaryOut) }),
      });

      api.get('/services/:id', {
        schema: {
          tags: ['catalogue'],
          summary: "A service's form definition and process states",
          params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
          response: { 200: ServiceForm, ...problems(404) },
        },
        handler: async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
          const def = deps.catalogue.get(req.params.id);
          if (!def) return reply.callNotFound();
          return {
            id: def.id,
            version: def.version,
            title: def.title,
            pages: def.pages.map((p) => ({ id: p.id, title: p.title, fields: p.fields.map(fieldOut) })),
            states: def.process.states.map((s) => ({ id: s.id, publicLabel: s.publicLabel, next: s.next, ...(s.expectedDuration ? { expectedDuration: s.expectedDuration } : {}), final: s.final === true })),
          };
        },
      });

      api.post('/services/:id/submissions', {
        schema: {
          tags: ['cases'],
          summary: 'Submit (idempotent)',
          description: 'Send all answers at once. The Idempotency-Key header is required: repeating a request with the same key returns the same case (200, replayed: true) and stores nothing new.',
          params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
          headers: Type.Object({ 'idempotency-key': Type.String({ minLength: 8, maxLength: 200, description: 'A unique value per submission, e.g. a UUID' }) }),
          body: SubmissionBody,
          response: { 201: SubmissionResult, 200: SubmissionResult, ...problems(400, 403, 404, 409, 422, 429) },
        },
        handler: async (req: FastifyRequest<{ Params: { id: string }; Body: Static<typeof SubmissionBody> }>, reply) => {
          const key = String(req.headers['idempotency-key'] ?? '');
          if (!/^[\x21-\x7e]+$/.test(key)) throw new BadRequestError({ de: 'Der Idempotency-Key darf nur sichtbare ASCII-Zeichen enthalten.', en: 'The Idempotency-Key must contain visible ASCII characters only.' });
          // The API carries no citizen identity yet: a service that needs one is sent through the portal.
          const level = deps.catalogue.get(req.params.id)?.identityLevel;
          if (level !== undefined && level !== 'none')
            throw new ForbiddenError({ de: 'Diese Leistung braucht einen Identitätsnachweis. Bitte stellen Sie den Antrag im Portal.', en: 'This service needs a proof of identity. Please apply in the portal.' });
          // Documents are uploaded through the portal only: a file field's value names a stored
          // upload, which an API client could not have made, so whatever it sends there is dropped.
          const data = { ...(req.body.data as FormData) };
          for (const f of deps.catalogue.get(req.params.id)?.pages.flatMap((p) => p.fields) ?? []) if (f.type === 'file') delete data[f.id];
          const result = await submitCase(deps, { serviceId: req.params.id, data, idempotencyScope: 'api', idempotencyKey: key });
          if (!result.replayed) app.metrics.businessEvents.inc({ event: 'submitted', service: req.params.id });
          return reply.status(result.replayed ? 200 : 201).send(result);
        },
      });

      api.post('/status', {
        config: { rateLimit: { max: deps.config.statusLookupsPerMinute, timeWindow: 60_000 } },
        schema: {
          tags: ['cases'],
          summary: 'Read the status with reference and access code',
          description: 'A POST so that the access code never appears in a URL. An unknown reference and a wrong code get the same 404.',
          body: StatusBody,
          response: { 200: StatusResult, ...problems(404, 422, 429) },
        },
        handler: async (req: FastifyRequest<{ Body: Static<typeof StatusBody> }>) => {
          const s = await lookupStatus(deps, req.body.reference, req.body.accessCode).catch((err: unknown) => {
            // The status body has its fields at the top level: point at /reference, not /data/reference.
            if (err instanceof ValidationError) throw new ValidationError(err.fields.map((f) => ({ ...f, field: `/${f.field}` })), err.userMessage);
            throw err;
          });
          return {
            reference: s.reference,
            serviceId: s.service.id,
            state: s.state,
            stateLabel: s.stateLabel,
            next: s.next,
            dueAt: s.final || !s.dueAt ? null : s.dueAt.toISOString(),
            final: s.final,
            events: s.events.map((e) => ({ at: e.at.toISOString(), text: e.text, details: e.details.map((d) => ({ label: d.label, value: d.value })) })),
          };
        },
      });
    },
    { prefix: '/api/v1' },
  );

  app.get('/api/docs', { schema: { hide: true } }, async (req, reply) => reply.type('text/html; charset=utf-8').send(renderApiDocs(req, deps.catalogue, app.swagger() as any)));
}
