import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateAll } from '../../catalogue/form-validation.ts';
import { validAssembly } from '../../test-support/runtime.ts';
import { versammlungsanzeige } from './definition.ts';
import { isLateNotice } from './rules.ts';

const now = new Date('2026-11-29T12:00:00Z');
const ctx = { now, timeZone: 'Europe/Berlin' };
const errorsFor = (overrides: Record<string, string | string[]>) => validateAll(versammlungsanzeige, validAssembly(now, overrides), ctx).errors;
const fields = (overrides: Record<string, string | string[]>) => errorsFor(overrides).map((e) => e.field);

test('a complete notice is valid and keeps only visible fields', () => {
  const { errors, values } = validateAll(versammlungsanzeige, validAssembly(now, { route: 'left over from a march' }), ctx);
  assert.deepEqual(errors, []);
  assert.equal(values.route, undefined, 'route belongs to marches only and is dropped for a stationary assembly');
  assert.equal(values.place, 'Marktplatz');
});

test('the assembly must be in the future and at most two years ahead', () => {
  assert.deepEqual(fields({ date: '2026-11-28', alreadyAnnounced: 'yes', urgent: 'yes', urgentReason: 'Anlass kurzfristig' }), ['date']);
  assert.match(errorsFor({ date: '2026-11-28' })[0]!.message.de, /in der Zukunft/);
  assert.deepEqual(fields({ date: '2028-11-30' }), ['date']);
  assert.match(errorsFor({ date: '2028-11-30' })[0]!.message.en, /at most 2 years ahead/);
  assert.deepEqual(fields({ date: '2028-11-29', announcementDate: '2028-11-01' }), []);
});

test('the end must be after the start', () => {
  assert.deepEqual(fields({ startTime: '16:00', endTime: '15:00' }), ['endTime']);
  assert.deepEqual(fields({ startTime: '22:00', endTime: '02:00', endDate: validAssembly(now).date === '' ? '' : nextDay(String(validAssembly(now).date)) }), []);
});

function nextDay(date: string): string {
  return new Date(new Date(`${date}T12:00:00Z`).getTime() + 24 * 3600_000).toISOString().slice(0, 10);
}

test('a march needs a route, an assembly point and an end point', () => {
  const errs = fields({ kind: 'march', place: '' });
  assert.deepEqual(errs.sort(), ['assemblyPoint', 'endPoint', 'route'].sort());
  assert.deepEqual(fields({ kind: 'march', assemblyPoint: 'Markt', route: 'kurz', endPoint: 'Riebeckplatz' }), ['route']);
  assert.deepEqual(fields({ kind: 'march', assemblyPoint: 'Markt', route: 'Markt – Leipziger Straße – Riebeckplatz', endPoint: 'Riebeckplatz' }), []);
});

test('numbers must be plausible', () => {
  assert.deepEqual(fields({ participants: '0' }), ['participants']);
  assert.deepEqual(fields({ participants: 'viele' }), ['participants']);
  assert.deepEqual(fields({ participants: '10', stewards: '20' }), ['stewards']);
});

test('the 48-hour rule: a late notice must say whether it is an Eilversammlung', () => {
  const tomorrow = '2026-11-30';
  assert.equal(isLateNotice(validAssembly(now, { announcementDate: tomorrow }), ctx), true);
  assert.equal(isLateNotice(validAssembly(now), ctx), false);
  assert.equal(isLateNotice(validAssembly(now, { alreadyAnnounced: 'yes', announcementDate: '' }), ctx), true);
  assert.deepEqual(fields({ announcementDate: tomorrow }), ['urgent'], 'the question appears and must be answered');
  const refused = errorsFor({ announcementDate: tomorrow, urgent: 'no' });
  assert.equal(refused[0]?.field, 'urgent');
  assert.match(refused[0]!.message.de, /48 Stunden vor der Bekanntgabe/);
  assert.deepEqual(fields({ announcementDate: tomorrow, urgent: 'yes' }), ['urgentReason']);
  assert.deepEqual(fields({ announcementDate: tomorrow, urgent: 'yes', urgentReason: 'Anlass erst heute bekannt geworden' }), []);
});

test('the announcement cannot be after the assembly starts', () => {
  assert.deepEqual(fields({ announcementDate: nextDay(String(validAssembly(now).date)) }), ['announcementDate']);
});
