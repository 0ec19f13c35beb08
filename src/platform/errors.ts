/**
 * The one error taxonomy. Domain functions throw these; the HTTP boundary maps them once
 * (`platform/http/error-handler.ts`): 4xx show their bilingual message, anything else is a 500
 * that reveals nothing.
 */
export type Bilingual = { readonly de: string; readonly en: string };

export interface FieldProblem {
  /** Field id; the API turns it into a JSON pointer (`/data/<id>`). */
  readonly field: string;
  readonly message: Bilingual;
}

export abstract class AppError extends Error {
  abstract readonly status: number;
  /** Stable machine code, e.g. `AMTSWEG_CONFLICT`. */
  abstract readonly code: string;
  constructor(readonly userMessage: Bilingual) {
    super(userMessage.en);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  readonly status = 422;
  readonly code = 'AMTSWEG_VALIDATION';
  constructor(
    readonly fields: readonly FieldProblem[],
    message: Bilingual = { de: 'Bitte prüfen Sie Ihre Angaben.', en: 'Please check what you entered.' },
  ) {
    super(message);
  }
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly code = 'AMTSWEG_NOT_FOUND';
  constructor(message: Bilingual = { de: 'Diese Seite gibt es nicht.', en: 'This page does not exist.' }) {
    super(message);
  }
}

export class ConflictError extends AppError {
  readonly status = 409;
  readonly code = 'AMTSWEG_CONFLICT';
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly code = 'AMTSWEG_FORBIDDEN';
  constructor(message: Bilingual = { de: 'Dazu sind Sie nicht berechtigt.', en: 'You are not allowed to do this.' }) {
    super(message);
  }
}

export class UnauthenticatedError extends AppError {
  readonly status = 401;
  readonly code = 'AMTSWEG_UNAUTHENTICATED';
  constructor(message: Bilingual = { de: 'Bitte melden Sie sich an.', en: 'Please sign in.' }) {
    super(message);
  }
}

export class BadRequestError extends AppError {
  readonly status = 400;
  readonly code = 'AMTSWEG_BAD_REQUEST';
}

export class TooManyRequestsError extends AppError {
  readonly status = 429;
  readonly code = 'AMTSWEG_RATE_LIMITED';
  constructor(
    readonly retryAfterSeconds: number,
    message: Bilingual = {
      de: `Zu viele Versuche. Bitte warten Sie ${Math.ceil(retryAfterSeconds / 60)} Minute(n) und versuchen Sie es dann erneut.`,
      en: `Too many attempts. Please wait ${Math.ceil(retryAfterSeconds / 60)} minute(s), then try again.`,
    },
  ) {
    super(message);
  }
}

/**
 * Load shedding (@fastify/under-pressure answers FST_UNDER_PRESSURE with status 503): a temporary
 * state the person can act on by waiting, not an internal error.
 */
export class ServiceUnavailableError extends AppError {
  readonly status = 503;
  readonly code = 'AMTSWEG_UNAVAILABLE';
  constructor(readonly retryAfterSeconds = 10) {
    super({
      de: 'Der Dienst ist gerade überlastet. Ihre Eingaben wurden nicht verarbeitet. Bitte versuchen Sie es in einigen Sekunden erneut.',
      en: 'The service is overloaded right now. What you entered was not processed. Please try again in a few seconds.',
    });
  }
}

/**
 * Stored data failed its integrity check (a changed blob, a wrong authentication tag, a SHA-256
 * that does not match the one recorded). The message names no key, hash or location: a 500 that
 * reveals nothing but tells the person whom to turn to.
 */
export class IntegrityError extends AppError {
  readonly status = 500;
  readonly code = 'AMTSWEG_INTEGRITY';
  constructor() {
    super({
      de: 'Dieses Dokument kann nicht geöffnet werden, weil die gespeicherte Fassung die Echtheitsprüfung nicht bestanden hat. Bitte wenden Sie sich an die Behörde.',
      en: 'This document cannot be opened because the stored copy failed the authenticity check. Please contact the office.',
    });
  }
}
