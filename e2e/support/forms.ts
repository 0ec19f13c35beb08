import type { BrowserContext } from 'playwright-core';
import { pageValues } from '../../src/test-support/http-forms.ts';
import { assert } from './assert.ts';

export const FORM = '/services/versammlungsanzeige/form';

/**
 * Posts one form page over the browser context's own session (cookies shared with its pages), for
 * the pages a journey does not look at. The page is fetched first for its CSRF token.
 */
async function postFormPage(context: BrowserContext, page: string, values: Record<string, string | string[]>): Promise<void> {
  const form = await context.request.get(`${FORM}/${page}`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  assert.ok(csrf, `form page ${page} carries a CSRF token`);
  const body = new URLSearchParams({ _csrf: csrf });
  for (const [k, v] of Object.entries(values)) for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
  const res = await context.request.post(`${FORM}/${page}`, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, data: body.toString(), maxRedirects: 0 });
  assert.equal(res.status(), 303, `page ${page} accepted`);
}

/** Fills every page of the Versammlungsanzeige with `data` over the context's session. */
export async function fillAllPages(context: BrowserContext, data: Record<string, string | string[]>, pages: readonly string[]): Promise<void> {
  for (const p of pages) await postFormPage(context, p, pageValues(p, data));
}
