import type { FastifyRequest } from 'fastify';

export type Lang = 'de' | 'en';

declare module 'fastify' {
  interface FastifyRequest {
    lang: Lang;
  }
}

export const LANG_COOKIE = 'aw_lang';

/** German first: English only when chosen (cookie) or preferred by the browser. */
export function negotiateLang(req: FastifyRequest): Lang {
  const chosen = req.cookies[LANG_COOKIE];
  if (chosen === 'de' || chosen === 'en') return chosen;
  const header = String(req.headers['accept-language'] ?? '').toLowerCase();
  const first = header.split(',')[0]?.trim() ?? '';
  return first.startsWith('en') ? 'en' : 'de';
}

/** Only same-site relative paths may be redirect targets. */
export function safeLocalPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return fallback;
  return value;
}
