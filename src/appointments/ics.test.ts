import assert from 'node:assert/strict';
import { test } from 'node:test';
import { calendarFile, escapeText, foldLine, parseCalendar, parseUtc } from './ics.ts';

const event = {
  uid: '6c4f0a3e-1d2b-4c5d-8e9f-0a1b2c3d4e5f@amtsweg.example',
  sequence: 2,
  stamp: new Date('2026-12-01T10:00:00Z'),
  start: new Date('2026-12-07T07:30:00Z'),
  end: new Date('2026-12-07T07:45:00Z'),
  summary: 'Vorsprache im Bürgerservice (Fingerabdrücke, Unterschrift); Personalausweis / Visit to Citizen Services',
  location: 'Bürgerservice Am Markt, Marktplatz 1, 06108 Halle (Saale)',
  description: 'Termin verschieben oder absagen / Move or cancel: https://amtsweg.example/appointments/manage/abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ',
};

test('the calendar file is RFC 5545: CRLF, folded at 75 octets, UTC times that parse back', () => {
  const ics = calendarFile(event);
  assert.ok(ics.endsWith('\r\n'), 'ends with CRLF');
  assert.ok(!/[^\r]\n/.test(ics), 'no bare LF line ends');
  const lines = ics.split('\r\n').slice(0, -1);
  for (const line of lines) assert.ok(Buffer.byteLength(line, 'utf8') <= 75, `line within 75 octets: ${line}`);
  assert.ok(lines.some((l) => l.startsWith(' ')), 'long lines are folded with a leading space');
  assert.equal(lines[0], 'BEGIN:VCALENDAR');
  assert.equal(lines.at(-1), 'END:VCALENDAR');
  const fields = parseCalendar(ics);
  assert.equal(fields.get('METHOD'), 'PUBLISH');
  assert.equal(fields.get('VERSION'), '2.0');
  assert.equal(fields.get('UID'), event.uid);
  assert.equal(fields.get('SEQUENCE'), '2');
  assert.equal(parseUtc(fields.get('DTSTART')!).getTime(), event.start.getTime(), 'DTSTART parses back to the start');
  assert.equal(parseUtc(fields.get('DTEND')!).getTime(), event.end.getTime(), 'DTEND parses back to the end');
  assert.equal(fields.get('DTSTAMP'), '20261201T100000Z');
  assert.equal(fields.get('SUMMARY'), escapeText(event.summary), 'the summary survives folding, escaped');
  assert.match(fields.get('SUMMARY')!, /Unterschrift\)\\; Personalausweis/, 'a semicolon is escaped');
  assert.equal(fields.get('LOCATION'), 'Bürgerservice Am Markt\\, Marktplatz 1\\, 06108 Halle (Saale)');
});

test('folding never splits a UTF-8 character', () => {
  const line = `SUMMARY:${'ä'.repeat(100)}`;
  const folded = foldLine(line);
  for (const part of folded.split('\r\n')) {
    assert.ok(Buffer.byteLength(part, 'utf8') <= 75, 'part within 75 octets');
    assert.ok(!part.includes('\uFFFD'), 'no broken character');
  }
  assert.equal(folded.replace(/\r\n /g, ''), line, 'unfolding gives the line back');
  assert.equal(escapeText('a\\b;c,d\ne'), 'a\\\\b\\;c\\,d\\ne');
});
