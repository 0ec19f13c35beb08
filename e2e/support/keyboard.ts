import type { BrowserContext, Page } from 'playwright-core';

/**
 * Keyboard-only helpers. The journey never clicks and never fills an element by selector: it
 * presses Tab / Shift+Tab and looks at where the focus is (as a sighted keyboard user does),
 * then types, presses Space on radios and checkboxes, Enter on links and buttons.
 */

export interface Focus {
  readonly tag: string;
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly text: string;
  readonly checked: boolean;
}

export async function focused(page: Page): Promise<Focus> {
  return page.evaluate(() => {
    const el = document.activeElement as (HTMLElement & { name?: string; type?: string; checked?: boolean }) | null;
    if (!el || el === document.body) return { tag: 'body', id: '', name: '', type: '', text: '', checked: false };
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      name: typeof el.name === 'string' ? el.name : '',
      type: typeof el.type === 'string' ? el.type : '',
      text: (el.innerText ?? '').replace(/\s+/g, ' ').trim(),
      checked: el.checked === true,
    };
  });
}

const describe = (f: Focus) => `${f.tag}${f.id ? `#${f.id}` : ''}${f.name ? `[name=${f.name}]` : ''}${f.text ? ` "${f.text.slice(0, 40)}"` : ''}`;

/**
 * Presses Tab (or Shift+Tab) until the focused element matches, at most `max` times.
 * Date and time inputs have several tab stops inside (their segments and the picker button);
 * they count like any other stop. Returns the number of key presses.
 */
export async function tabTo(page: Page, matches: (f: Focus) => boolean, what: string, options: { backwards?: boolean; max?: number } = {}): Promise<number> {
  const max = options.max ?? 80;
  const trail: string[] = [];
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (matches(f)) return i;
    trail.push(describe(f));
  }
  throw new Error(`Keyboard: ${what} not reached with ${max} × ${options.backwards ? 'Shift+Tab' : 'Tab'}. Focus went: ${trail.join(' → ')}`);
}

export const byId = (id: string) => (f: Focus) => f.id === id;
const byText = (text: string | RegExp) => (f: Focus) => (typeof text === 'string' ? f.text === text : text.test(f.text));
export const linkText = (text: string | RegExp) => (f: Focus) => f.tag === 'a' && byText(text)(f);
export const buttonText = (text: string | RegExp) => (f: Focus) => f.tag === 'button' && byText(text)(f);
export const radio = (name: string) => (f: Focus) => f.type === 'radio' && f.name === name;

/** Tabs to a text field and types into it, replacing what was there (Ctrl+A first). */
export async function typeInto(page: Page, id: string, text: string, options: { backwards?: boolean } = {}): Promise<void> {
  await tabTo(page, byId(id), `#${id}`, options);
  await page.keyboard.press('ControlOrMeta+A');
  if (text === '') await page.keyboard.press('Delete');
  else await page.keyboard.type(text);
}

/** Presses a key that navigates (Enter on a link or a submit button) and waits for the new page. */
export async function pressAndLoad(page: Page, key = 'Enter'): Promise<void> {
  const loaded = page.waitForEvent('load');
  await page.keyboard.press(key);
  await loaded;
}

type DateOrder = 'MDY' | 'DMY' | 'YMD';

/** How this Chromium wants dates and times typed (see `detectInputFormats`). */
export interface InputFormats {
  readonly dateOrder: DateOrder;
  /** True when <input type="time"> has an AM/PM segment (then 10:00 needs an "A"). */
  readonly twelveHour: boolean;
}

/**
 * Chromium's date and time inputs take digits in the order of the browser's UI locale, not the
 * page's or the context's `locale`: on these machines that is en-US (MM DD YYYY, 12-hour clock
 * with AM/PM) even in a de-DE context. Rather than assume, try each way on a scratch page of the
 * same context and keep the one that produces the right value. 2031-11-23 is unambiguous (23
 * cannot be a month); 10:00 is ambiguous between AM and PM, so it tells whether AM/PM is needed.
 */
export async function detectInputFormats(context: BrowserContext): Promise<InputFormats> {
  const page = await context.newPage();
  const attempt = async (type: 'date' | 'time', keys: string) => {
    await page.setContent(`<input type="${type}" id="probe" aria-label="probe">`);
    await page.focus('#probe'); // a scratch page, not the app
    await page.keyboard.type(keys);
    return page.inputValue('#probe');
  };
  try {
    let dateOrder: DateOrder | undefined;
    for (const order of ['MDY', 'DMY', 'YMD'] as const) {
      if ((await attempt('date', dateKeys('2031-11-23', order))) === '2031-11-23') {
        dateOrder = order;
        break;
      }
    }
    if (!dateOrder) throw new Error('Could not work out how Chromium wants dates typed into <input type="date">');
    let twelveHour: boolean | undefined;
    for (const twelve of [false, true]) {
      if ((await attempt('time', timeKeys('10:00', twelve))) === '10:00') {
        twelveHour = twelve;
        break;
      }
    }
    if (twelveHour === undefined) throw new Error('Could not work out how Chromium wants times typed into <input type="time">');
    return { dateOrder, twelveHour };
  } finally {
    await page.close();
  }
}

/** The digits to type into a focused date input for an ISO date, in the browser's field order. */
function dateKeys(iso: string, order: DateOrder): string {
  const [y, m, d] = iso.split('-') as [string, string, string];
  return order === 'MDY' ? `${m}${d}${y}` : order === 'DMY' ? `${d}${m}${y}` : `${y}${m}${d}`;
}

/** The keys to type into a focused time input for HH:MM (hour, minute, and A or P on a 12-hour clock). */
export function timeKeys(hhmm: string, twelveHour: boolean): string {
  const [h, m] = hhmm.split(':') as [string, string];
  if (!twelveHour) return `${h}${m}`;
  const hour = Number(h);
  return `${String(hour % 12 === 0 ? 12 : hour % 12).padStart(2, '0')}${m}${hour < 12 ? 'A' : 'P'}`;
}

/** Tabs to a date input (arriving on its first segment) and types the date. */
export async function typeDate(page: Page, id: string, iso: string, formats: InputFormats): Promise<void> {
  await tabTo(page, byId(id), `#${id}`);
  await page.keyboard.type(dateKeys(iso, formats.dateOrder));
}

/** Tabs to a time input (arriving on its hour segment) and types the time. */
export async function typeTime(page: Page, id: string, hhmm: string, formats: InputFormats): Promise<void> {
  await tabTo(page, byId(id), `#${id}`);
  await page.keyboard.type(timeKeys(hhmm, formats.twelveHour));
}
