import assert from 'node:assert/strict';
import { test } from 'node:test';
import { safeFileName } from './safe-file-name.ts';

test('path traversal in every spelling leaves only the last segment, or the fallback', () => {
  assert.equal(safeFileName('../../etc/passwd', 'pdf'), 'passwd.pdf');
  assert.equal(safeFileName('..\\..\\win.ini', 'pdf'), 'win.pdf');
  assert.equal(safeFileName('C:\\Users\\erika\\Desktop\\Mietvertrag.pdf', 'pdf'), 'Mietvertrag.pdf');
  assert.equal(safeFileName('%2e%2e%2f', 'pdf'), 'dokument.pdf');
  assert.equal(safeFileName('%2e%2e%2fetc%2fpasswd', 'pdf'), 'passwd.pdf');
  assert.equal(safeFileName('%252e%252e%252fboot.ini', 'png'), 'boot.png', 'double encoding too');
  assert.equal(safeFileName('..／..／secret.pdf', 'pdf'), 'secret.pdf', 'full-width solidus counts as a slash');
  assert.equal(safeFileName('../', 'jpg'), 'dokument.jpg');
  assert.equal(safeFileName('..', 'jpg'), 'dokument.jpg');
  assert.equal(safeFileName('', 'pdf'), 'dokument.pdf');
});

test('a right-to-left override cannot dress an .exe up as a picture', () => {
  const name = safeFileName('\u202Egnp.exe', 'png');
  assert.equal(name, 'gnp.png');
  assert.equal(safeFileName('Foto\u202Egnp.exe', 'pdf'), 'Fotognp.pdf');
  assert.doesNotMatch(safeFileName('a\u2066b\u2069c\u202Dd.pdf', 'pdf'), /[\u2066-\u2069\u202A-\u202E]/u, 'no bidi controls');
});

test('zero-width, control and format characters go; white space collapses', () => {
  assert.equal(safeFileName('Be\u200Bscheid\u200D\uFEFF.pdf', 'pdf'), 'Bescheid.pdf');
  assert.equal(safeFileName('Antrag\u0000\u0007\r\n  vom\t\u00A0 Mai.pdf', 'pdf'), 'Antrag vom Mai.pdf');
  assert.equal(safeFileName('Ausweis\u00ADkopie.jpg', 'jpg'), 'Ausweiskopie.jpg', 'the soft hyphen goes');
});

test('umlauts and other letters survive, composed (NFC)', () => {
  assert.equal(safeFileName('Wohnungsgeberbestätigung.pdf', 'pdf'), 'Wohnungsgeberbestätigung.pdf');
  assert.equal(safeFileName('Größe Übersicht Straße.pdf', 'pdf'), 'Größe Übersicht Straße.pdf');
  const decomposed = 'Gru\u0308ndungsurkunde.pdf';
  assert.equal(safeFileName(decomposed, 'pdf'), 'Gründungsurkunde.pdf');
  assert.equal(safeFileName(decomposed, 'pdf').normalize('NFC'), safeFileName(decomposed, 'pdf'), 'composed form');
  assert.equal(safeFileName('Gru\u200B\u0308ndung.pdf', 'pdf'), 'Gründung.pdf', 'composed even when a zero-width character stood between');
  assert.equal(safeFileName('Zaświadczenie Łódź.png', 'png'), 'Zaświadczenie Łódź.png');
  assert.equal(safeFileName('Подтверждение.pdf', 'pdf'), 'Подтверждение.pdf');
});

test('characters Windows refuses become "_"; leading dots and trailing dots or spaces go', () => {
  assert.equal(safeFileName('Antrag: <neu> "final"|v2?*.pdf', 'pdf'), 'Antrag_ _neu_ _final__v2__.pdf');
  assert.equal(safeFileName('.htaccess', 'pdf'), 'dokument.pdf', '".htaccess" is all extension: nothing is left');
  assert.equal(safeFileName('...versteckt.bericht.pdf', 'pdf'), 'versteckt.bericht.pdf');
  assert.equal(safeFileName('Bericht. . .pdf', 'pdf'), 'Bericht.pdf');
});

test('Windows device names are not used', () => {
  for (const reserved of ['CON', 'con.pdf', 'NUL.png', 'nul', 'COM1.pdf', 'lpt9.jpg', 'AUX', 'PRN.txt', 'CON.tar.gz', 'COM¹.pdf']) {
    assert.equal(safeFileName(reserved, 'pdf'), 'dokument.pdf', `${reserved} is not used`);
  }
  assert.equal(safeFileName('Console.pdf', 'pdf'), 'Console.pdf', 'only the exact device names');
  assert.equal(safeFileName('COM10.pdf', 'pdf'), 'COM10.pdf');
});

test('the sniffed extension replaces the one given', () => {
  assert.equal(safeFileName('Scan.png', 'pdf'), 'Scan.pdf');
  assert.equal(safeFileName('Scan.PDF', 'pdf'), 'Scan.pdf');
  assert.equal(safeFileName('Scan', 'jpg'), 'Scan.jpg');
  assert.equal(safeFileName('Rechnung.pdf.exe', 'pdf'), 'Rechnung.pdf.pdf', 'only the last extension is the sender\'s claim');
  assert.equal(safeFileName('Foto.jpeg', '.JPG'), 'Foto.jpg', 'the extension is normalised');
});

test('long names are cut to 100 characters, the extension kept, no letter split', () => {
  const long = `${'Ä'.repeat(300)}.pdf`;
  const name = safeFileName(long, 'pdf');
  assert.equal(Array.from(name).length, 100);
  assert.ok(name.endsWith('Ä.pdf'), 'ends in the extension');
  const emoji = safeFileName(`${'😀'.repeat(120)}.png`, 'png');
  assert.equal(Array.from(emoji).length, 100);
  assert.ok(Buffer.from(emoji, 'utf8').toString('utf8') === emoji, 'no surrogate pair cut in half (a lone surrogate would not survive UTF-8)');
  assert.equal(safeFileName(`${'a'.repeat(94)} .b c.pdf`, 'pdf'), `${'a'.repeat(94)}.pdf`, 'no space or dot left before the extension after cutting');
});

test('percent signs that are not encoding stay readable', () => {
  assert.equal(safeFileName('Rabatt 100%.pdf', 'pdf'), 'Rabatt 100%.pdf');
  assert.equal(safeFileName('Bescheid%20vom%20Mai.pdf', 'pdf'), 'Bescheid vom Mai.pdf');
  assert.equal(safeFileName('%E0%A4%A.pdf', 'pdf'), '_E0_A4%A.pdf', 'an invalid sequence is not left decodable');
});
