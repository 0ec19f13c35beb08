import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, BadRequestError, ForbiddenError, NotFoundError, ServiceUnavailableError, TooManyRequestsError, ValidationError, type Bilingual } from '../errors.ts';

/**
 * The one boundary where errors become responses. 4xx carry a message the person can act on, in
 * German and English; everything else is logged and answered with a 500 that reveals nothing.
 * API paths answer RFC 9457 problem+json with a JSON pointer per invalid field.
 */
export type HtmlErrorRenderer = (req: FastifyRequest, status: number, message: Bilingual) => string;

const INTERNAL: Bilingual = {
  de: 'Ein technischer Fehler ist aufgetreten. Ihre Eingaben wurden nicht verarbeitet. Bitte versuchen Sie es in einigen Minuten erneut.',
  en: 'A technical error occurred. What you entered was not processed. Please try again in a few minutes.',
};

/** Translates Fastify's own coded errors into the taxonomy. */
export function toAppError(err: FastifyError | Error): AppError | undefined {
  if (err instanceof AppError) return err;
  const code = (err as FastifyError).code;
  const status = (err as FastifyError).statusCode;
  if (code === 'FST_CSRF_INVALID_TOKEN' || code === 'FST_CSRF_MISSING_SECRET')
    return new ForbiddenError({
      de: 'Das Formular ist abgelaufen oder wurde nicht von dieser Seite gesendet. Bitte laden Sie die Seite neu und senden Sie es noch einmal.',
      en: 'The form has expired or was not sent from this site. Please reload the page and send it again.',
    });
  if ((err as FastifyError).validation && (err as { validationContext?: string }).validationContext === 'headers') {
    // A missing or malformed header (e.g. Idempotency-Key) is a malformed request, not invalid data.
    const names = [
      ...new Set(
        ((err as FastifyError).validation ?? []).map(
          (issue) => (issue.params as { missingProperty?: string })?.missingProperty ?? (issue.instancePath.replace(/^\//, '') || 'header'),
        ),
      ),
    ].map((n) => n.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => `${dash}${c.toUpperCase()}`));
    return new BadRequestError({
      de: `Der Header ${names.map((n) => `„${n}“`).join(', ')} fehlt oder ist ungültig.`,
      en: `The header ${names.map((n) => `“${n}”`).join(', ')} is missing or invalid.`,
    });
  }
  if ((err as FastifyError).validation) {
    const v = (err as FastifyError).validation ?? [];
    return new ValidationError(
      v.map((issue) => {
        const path = issue.instancePath || '';
        const missing = (issue.params as { missingProperty?: string })?.missingProperty;
        const field = `${path}${missing ? `/${missing}` : ''}`.replace(/^\/(body|data)?\/?/, '') || 'body';
        return { field: `${path}${missing ? `/${missing}` : ''}` || '/', message: { de: `Ungültiger Wert bei ${field}: ${issue.message ?? ''}`.trim(), en: `Invalid value at ${field}: ${issue.message ?? ''}`.trim() } };
      }),
      { de: 'Die Anfrage hat nicht die erwartete Form.', en: 'The request does not have the expected shape.' },
    );
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH' || (status === 400 && code?.startsWith('FST_')))
    return new BadRequestError({ de: 'Die Anfrage konnte nicht gelesen werden.', en: 'The request could not be read.' });
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new BadRequestError({ de: 'Die Anfrage ist zu groß.', en: 'The request is too large.' });
  if (status === 429) {
    // The rate limiter tells how long the window still runs; the header must say the same.
    const seconds = (err as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    return new TooManyRequestsError(typeof seconds === 'number' && seconds > 0 ? seconds : 60);
  }
  if (status === 503 && code === 'FST_UNDER_PRESSURE') return new ServiceUnavailableError();
  if (status === 404) return new NotFoundError();
  return undefined;
}

function problemJson(req: FastifyRequest, err: AppError) {
  const lang = req.lang ?? 'de';
  const body: Record<string, unknown> = {
    type: `https://amtsweg.invalid/problems/${err.code.toLowerCase().replace(/_/g, '-')}`,
    title: err.userMessage.en,
    status: err.status,
    detail: err.userMessage[lang],
    code: err.code,
    messages: err.userMessage,
  };
  if (err instanceof ValidationError) {
    body.errors = err.fields.map((f) => ({
      pointer: f.field.startsWith('/') ? f.field : `/data/${f.field}`,
      detail: f.message[lang],
      messages: f.message,
    }));
  }
  return body;
}

export function makeErrorHandler(renderHtml: HtmlErrorRenderer) {
  return function handle(error: FastifyError, req: FastifyRequest, reply: FastifyReply) {
    const appError = toAppError(error);
    const isApi = req.url.startsWith('/api/');
    if (!appError) {
      req.log.error({ err: error }, 'unhandled error');
      const generic = { code: 'AMTSWEG_INTERNAL', status: 500, userMessage: INTERNAL } as unknown as AppError;
      if (isApi) return reply.status(500).type('application/problem+json').send({ type: 'about:blank', title: 'Internal Server Error', status: 500, detail: INTERNAL[req.lang ?? 'de'], code: generic.code });
      return reply.status(500).type('text/html; charset=utf-8').send(renderHtml(req, 500, INTERNAL));
    }
    // Our own server-side failures (a broken document, a dependency down) are for the operator's eyes.
    if (appError.status >= 500 && !(appError instanceof ServiceUnavailableError)) req.log.error({ err: error, code: appError.code }, 'request failed');
    if (appError instanceof TooManyRequestsError || (appError instanceof ServiceUnavailableError && !reply.hasHeader('retry-after')))
      reply.header('retry-after', String(appError.retryAfterSeconds));
    if (isApi) return reply.status(appError.status).type('application/problem+json').send(problemJson(req, appError));
    return reply.status(appError.status).type('text/html; charset=utf-8').send(renderHtml(req, appError.status, appError.userMessage));
  };
}
