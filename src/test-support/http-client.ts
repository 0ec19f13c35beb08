import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/**
 * A tiny browser for `app.inject()`: keeps cookies between requests (as a browser would,
 * including deletions), remembers the last `_csrf` hidden field it saw in an HTML page and
 * posts forms url-encoded. Every client gets its own remote address, so per-client rate
 * limits of one test do not leak into another (unless a test passes the same address).
 */
export type FormBody = Record<string, string | readonly string[] | undefined>;

let nextAddress = 1;

export interface HttpResponse {
  readonly status: number;
  readonly headers: LightMyRequestResponse['headers'];
  readonly body: string;
  readonly location: string | undefined;
  readonly raw: LightMyRequestResponse;
  json<T = any>(): T;
}

export class HttpClient {
  readonly cookies = new Map<string, string>();
  /** The `_csrf` token of the last HTML page that carried one. */
  csrf: string | undefined;
  readonly remoteAddress: string;
  /** How often a request was refused by load shedding (503 + Retry-After) and sent again. */
  sheddingRetries = 0;

  constructor(
    private readonly app: FastifyInstance,
    options: { remoteAddress?: string; headers?: Record<string, string> } = {},
  ) {
    const n = nextAddress++;
    this.remoteAddress = options.remoteAddress ?? `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
    this.defaultHeaders = options.headers ?? {};
  }

  private readonly defaultHeaders: Record<string, string>;

  cookieHeader(): string {
    return [...this.cookies.entries()].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, options: { payload?: string | Buffer; headers?: Record<string, string> } = {}): Promise<HttpResponse> {
    const headers: Record<string, string> = { ...this.defaultHeaders, ...(options.headers ?? {}) };
    const cookie = this.cookieHeader();
    if (cookie) headers.cookie = cookie;
    let res = await this.app.inject({ method, url, headers, remoteAddress: this.remoteAddress, ...(options.payload !== undefined ? { payload: options.payload } : {}) });
    // Load shedding (@fastify/under-pressure) refuses a request before any work is done, with 503 and
    // Retry-After. On embedded PGlite a second of WebAssembly on the main thread can trigger it
    // spuriously; a person would simply send again, and so does this client (counted in `sheddingRetries`).
    for (let i = 0; i < 50 && res.statusCode === 503 && res.headers['retry-after'] !== undefined; i++) {
      this.sheddingRetries++;
      await new Promise((resolve) => setTimeout(resolve, 100));
      res = await this.app.inject({ method, url, headers, remoteAddress: this.remoteAddress, ...(options.payload !== undefined ? { payload: options.payload } : {}) });
    }
    for (const c of res.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      const expired = (c.maxAge !== undefined && c.maxAge <= 0) || (c.expires !== undefined && c.expires.getTime() <= Date.now()) || c.value === '';
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const body = res.body;
    const token = csrfFrom(body);
    if (token) this.csrf = token;
    const location = res.headers.location === undefined ? undefined : String(res.headers.location);
    return { status: res.statusCode, headers: res.headers, body, location, raw: res, json: () => JSON.parse(body) };
  }

  get(url: string, headers?: Record<string, string>): Promise<HttpResponse> {
    return this.request('GET', url, headers ? { headers } : {});
  }

  /**
   * Posts a form like a browser would. `_csrf` is taken from the last page seen unless the body
   * sets it (pass `csrf: false` to leave it out entirely).
   */
  post(url: string, form: FormBody = {}, options: { csrf?: boolean; headers?: Record<string, string> } = {}): Promise<HttpResponse> {
    const params = new URLSearchParams();
    const withToken = options.csrf !== false && form._csrf === undefined && this.csrf ? { _csrf: this.csrf, ...form } : form;
    for (const [k, v] of Object.entries(withToken)) {
      if (v === undefined) continue;
      if (typeof v === 'string') params.append(k, v);
      else for (const item of v) params.append(k, item);
    }
    return this.request('POST', url, { payload: params.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...(options.headers ?? {}) } });
  }

  /**
   * Posts a form as multipart/form-data, as a browser does for a form with a file input. Files are
   * given as `{ name, type, bytes }`; an empty file input is `{ name: '', type: 'application/octet-stream', bytes: empty }`.
   * The body is encoded by the platform's own FormData serialiser (undici), so the boundary and
   * part headers are what a real client sends.
   */
  async postMultipart(url: string, form: Record<string, string | { name: string; type: string; bytes: Uint8Array } | undefined>, options: { csrf?: boolean } = {}): Promise<HttpResponse> {
    const fd = new FormData();
    if (options.csrf !== false && form._csrf === undefined && this.csrf) fd.append('_csrf', this.csrf);
    for (const [k, v] of Object.entries(form)) {
      if (v === undefined) continue;
      if (typeof v === 'string') fd.append(k, v);
      else fd.append(k, new Blob([new Uint8Array(v.bytes)], { type: v.type }), v.name);
    }
    const encoded = new Request('http://localhost/', { method: 'POST', body: fd });
    const payload = Buffer.from(await encoded.arrayBuffer());
    return this.request('POST', url, { payload, headers: { 'content-type': encoded.headers.get('content-type')! } });
  }

  /** Sends a JSON body (API calls); `body` undefined sends none. */
  sendJson(method: 'POST' | 'PUT' | 'DELETE', url: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpResponse> {
    return this.request(method, url, {
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    });
  }

  /** GET, then follow redirects (303/302/301) up to `max` hops. */
  async follow(res: HttpResponse, max = 5): Promise<HttpResponse> {
    let current = res;
    for (let i = 0; i < max && current.status >= 300 && current.status < 400 && current.location; i++) current = await this.get(current.location);
    return current;
  }
}

/** The value of the first `<input … name="_csrf" … value="…">` in an HTML page. */
export function csrfFrom(html: string): string | undefined {
  return hiddenValue(html, '_csrf');
}

/** The value of the first input with the given name (attribute order does not matter). */
export function hiddenValue(html: string, name: string): string | undefined {
  for (const m of html.matchAll(new RegExp(`<input${ATTRS}>`, 'g'))) {
    const tag = m[0];
    if (!new RegExp(`\\sname="${escapeRegExp(name)}"`).test(tag)) continue;
    const v = /\svalue="([^"]*)"/.exec(tag);
    if (v) return decodeEntities(v[1]!);
  }
  return undefined;
}

/** The text content of the element with `data-testid="<id>"` (tags stripped, whitespace trimmed). */
export function testIdText(html: string, id: string): string | undefined {
  const m = new RegExp(`data-testid="${escapeRegExp(id)}"[^>]*>([\\s\\S]*?)</`).exec(html);
  return m ? decodeEntities(m[1]!.replace(/<[^>]*>/g, '')).trim() : undefined;
}

/** Page text without tags and with entities decoded, for "the page says …" assertions. */
export function pageText(html: string): string {
  return decodeEntities(html.replace(/<script[\s\S]*?<\/script>/g, ' ').replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

function decodeEntities(s: string): string {
  return s
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Attributes of a start tag; quoted values may contain `>` (the renderer does not escape it). */
const ATTRS = `(?:\\s+[^\\s=>/]+(?:="[^"]*")?)*\\s*/?`;

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The attributes of the form control with the given id (`<input id=…>`, `<textarea id=…>`), or undefined. */
export function controlById(html: string, id: string): { tag: string; value: string | undefined; checked: boolean } | undefined {
  const re = new RegExp(`<(input|textarea|select)${ATTRS}>`, 'g');
  const m = [...html.matchAll(re)].find((t) => new RegExp(`\\sid="${escapeRegExp(id)}"`).test(t[0]));
  if (!m) return undefined;
  const tag = m[0];
  if (m[1] === 'textarea') {
    const end = html.indexOf('</textarea>', m.index);
    return { tag, value: decodeEntities(html.slice(m.index + tag.length, end)), checked: false };
  }
  const v = /\svalue="([^"]*)"/.exec(tag);
  return { tag, value: v ? decodeEntities(v[1]!) : '', checked: /\schecked(?=[\s/>=])/.test(tag) };
}
