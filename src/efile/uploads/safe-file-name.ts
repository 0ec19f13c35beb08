/**
 * A file name that is safe to store, show and offer for download, made from whatever name the
 * browser sent: no path, no percent-encoded or Unicode tricks (right-to-left overrides that make
 * "…gnp.exe" look like "…exe.png", zero-width characters, control characters), nothing Windows
 * refuses, at most 100 characters, and the extension of the type found in the content.
 * Letters of every script survive (Wohnungsgeberbestätigung.pdf stays as it is).
 */

const MAX_LENGTH = 100;
const FALLBACK = 'dokument';

/** Windows device names; refused with any extension (CON.pdf too). Superscript digits count as digits there. */
const RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|(com|lpt)[0-9¹²³])$/i;

/** Slashes and backslashes, including look-alikes that some tools fold into real ones. */
const SEPARATORS = /[/\\\u2044\u2215\u29f8\u29f9\uff0f\uff3c]/;

export function safeFileName(original: string, extension: string): string {
  const ext = extension.replace(/^\.+/, '').toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 10) || 'bin';

  let name = decodePercent(String(original));
  name = name.normalize('NFC');
  // Only the last path segment: "../../etc/passwd" → "passwd", "C:\\x\\win.ini" → "win.ini".
  const segments = name.split(SEPARATORS);
  name = segments[segments.length - 1] ?? '';
  name = name
    // Control (Cc), format (Cf: bidi overrides U+202A–U+202E, isolates U+2066–U+2069, zero-width
    // U+200B–U+200F, U+FEFF, soft hyphen), private-use and lone surrogate characters.
    .replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/gu, '')
    .replace(/[<>:"|?*]/g, '_')
    // Any run of white space, including no-break and line separators, becomes one plain space.
    .replace(/[\s\p{Z}]+/gu, ' ')
    .trim()
    // Again: a removed zero-width character may have separated a letter from its accent.
    .normalize('NFC');

  // Drop the extension the sender gave (it is replaced by the sniffed one), then what Windows and
  // shells treat specially at the ends: leading dots (hidden files, ".."), trailing dots and spaces.
  let base = name.replace(/\.[\p{L}\p{N}]{1,10}$/u, '');
  base = base.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (RESERVED.test(base.split('.')[0]!.trim())) base = '';

  const room = MAX_LENGTH - ext.length - 1;
  const chars = Array.from(base);
  if (chars.length > room) base = chars.slice(0, room).join('').replace(/[.\s]+$/, '');
  if (base === '') base = FALLBACK;
  return `${base}.${ext}`;
}

/** Decodes %xx sequences (up to three rounds, for double encoding); leaves a name that is not valid percent-encoding as it is. */
function decodePercent(name: string): string {
  let current = name;
  for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(current); i++) {
    try {
      current = decodeURIComponent(current);
    } catch {
      break;
    }
  }
  // What is still encoded (an invalid sequence) is not decoded by anyone later either.
  return current.replace(/%(?=[0-9a-f]{2})/gi, '_');
}
