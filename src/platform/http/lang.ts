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

/**
 * Only same-site relative paths may be redirect targets. Everything but visible ASCII is refused:
 * browsers drop tabs and newlines from URLs (`/<TAB>/evil.example` becomes `//evil.example`, another
 * site), and characters outside Latin-1 or line breaks cannot go into a Location header at all.
 */
export function safeLocalPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length > 2000 || !value.startsWith('/') || value.startsWith('//') || value.includes('\\') || /[^\x21-\x7e]/.test(value)) return fallback;
  return value;
}
