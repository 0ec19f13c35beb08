import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dammDigit, formatReference, parseReference } from './reference.ts';

test('formatReference appends a Damm check digit', () => {
  assert.equal(dammDigit('572'), 4); // the algorithm's published example
  const ref = formatReference('HAL', 2026, 123);
  assert.match(ref, /^HAL-2026-000123-\d$/);
  assert.equal(parseReference(ref), ref);
});

test('parseReference accepts sloppy typing and rejects any single wrong digit or adjacent swap', () => {
  const ref = formatReference('HAL', 2026, 4711);
  assert.equal(parseReference(ref.toLowerCase().replace(/-/g, ' ')), ref);
  const digits = ref.replace(/\D/g, '');
  for (let i = 0; i < digits.length; i++) {
    for (let d = 0; d <= 9; d++) {
      if (String(d) === digits[i]) continue;
      const typo = digits.slice(0, i) + d + digits.slice(i + 1);
      assert.equal(parseReference(`HAL${typo}`), undefined, `typo ${typo} must be caught`);
    }
    if (i + 1 < digits.length && digits[i] !== digits[i + 1]) {
      const swapped = digits.slice(0, i) + digits[i + 1] + digits[i] + digits.slice(i + 2);
      assert.equal(parseReference(`HAL${swapped}`), undefined, `swap ${swapped} must be caught`);
    }
  }
});
