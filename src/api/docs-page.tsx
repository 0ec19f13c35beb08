import type { FastifyRequest } from 'fastify';
import type { Catalogue } from '../catalogue/registry.ts';
import { shellHtml } from '../portal/shell.tsx';

interface OpenApiDoc {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, { summary?: string; description?: string; tags?: string[]; requestBody?: unknown; parameters?: unknown[]; responses?: Record<string, unknown> }>>;
}

/** The API documentation as a plain, accessible page generated from the OpenAPI document (no script needed). */
export function renderApiDocs(req: FastifyRequest, catalogue: Catalogue, doc: OpenApiDoc): string {
  const de = req.lang === 'de';
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })));
  return shellHtml(req, catalogue, {
    title: de ? 'API-Dokumentation' : 'API documentation',
    body: (
      <>
        <h1 class="kern-heading-large">
          {doc.info.title} {doc.info.version}
        </h1>
        <p class="kern-body">{doc.info.description}</p>
        <p class="kern-body">
          {de ? 'Maschinenlesbar: ' : 'Machine-readable: '}
          <a class="kern-link" href="/api/v1/openapi.json">
            /api/v1/openapi.json
          </a>{' '}
          (OpenAPI 3.1)
        </p>
        <h2 class="kern-heading-medium">{de ? 'Endpunkte' : 'Endpoints'}</h2>
        <ul class="kern-list">
          {operations.map(({ path, method, op }) => (
            <li>
              <a class="kern-link" href={`#${method}-${path.replace(/[^a-zA-Z0-9]/g, '-')}`}>
                <code>
                  {method} {path}
                </code>{' '}
                – {op.summary}
              </a>
            </li>
          ))}
        </ul>
        {operations.map(({ path, method, op }) => (
          <section class="aw-api-op" aria-labelledby={`${method}-${path.replace(/[^a-zA-Z0-9]/g, '-')}`}>
            <h3 class="kern-heading-small" id={`${method}-${path.replace(/[^a-zA-Z0-9]/g, '-')}`}>
              <code>
                {method} {path}
              </code>
            </h3>
            <p class="kern-body">{op.summary}</p>
            {op.description ? <p class="kern-body">{op.description}</p> : null}
            {op.parameters && op.parameters.length > 0 ? (
              <>
                <h4 class="kern-heading-small">{de ? 'Parameter' : 'Parameters'}</h4>
                <pre class="aw-code" tabIndex={0}>
                  {JSON.stringify(op.parameters, null, 2)}
                </pre>
              </>
            ) : null}
            {op.requestBody ? (
              <>
                <h4 class="kern-heading-small">{de ? 'Anfrage' : 'Request body'}</h4>
                <pre class="aw-code" tabIndex={0}>
                  {JSON.stringify(op.requestBody, null, 2)}
                </pre>
              </>
            ) : null}
            <h4 class="kern-heading-small">{de ? 'Antworten' : 'Responses'}</h4>
            <pre class="aw-code" tabIndex={0}>
              {JSON.stringify(op.responses, null, 2)}
            </pre>
          </section>
        ))}
      </>
    ),
  });
}
