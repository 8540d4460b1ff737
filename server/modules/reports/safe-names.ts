/*
 * Names of files and folders inside a ZIP that unpack everywhere: Windows (Explorer, 7-Zip) and
 * macOS (Finder's Archive Utility) as well as Linux.
 * - characters Windows forbids (`< > : " / \ | ? *`), control and invisible format characters, and
 *   look-alike slashes become `_` (`:` is also macOS's old path separator);
 * - no leading dots (hidden files) and no trailing dots or spaces (Windows drops them silently, so
 *   `laporan.` and `laporan` would clash);
 * - reserved device names (CON, PRN, AUX, NUL, COM1–9, LPT1–9, also with superscript digits and
 *   with any extension: `CON.pdf`) get a leading `_`;
 * - at most `MAX_SEGMENT` characters and `MAX_SEGMENT_BYTES` UTF-8 bytes a segment (the
 *   extension kept), so a whole path stays well under Windows's 260 characters;
 * - NFC (one spelling of `é`, as macOS shows it);
 * - names are unique per folder without regard to case (`Foto.jpg` and `foto.JPG` clash on Windows
 *   and macOS): a second one becomes `name (2).ext`.
 */

/** The longest segment, in characters. */
export const MAX_SEGMENT = 80;
/** The longest segment, in UTF-8 bytes (macOS allows 255). */
export const MAX_SEGMENT_BYTES = 240;

const FORBIDDEN = /[<>:"/\\|?*\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Zl}\p{Zp}\u2044\u2215\u2216\u29f8\u29f9\ufe68\uff0f\uff3c]/gu;
const RESERVED = /^(con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³])(\..*)?$/i;

/** Cuts text to at most `chars` characters and `bytes` UTF-8 bytes, never inside a character. */
function cut(text: string, chars: number, bytes: number): string {
  let out = '';
  let size = 0;
  let count = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch);
    if (count + 1 > chars || size + n > bytes) break;
    out += ch;
    size += n;
    count++;
  }
  return out;
}

/** The extension of a name (`.pdf`), when it looks like one: up to 10 letters or digits. */
function splitExtension(name: string): [string, string] {
  const m = /^(.+?)(\.[\p{L}\p{N}]{1,10})$/u.exec(name);
  return m ? [m[1]!, m[2]!] : [name, ''];
}

/** One path segment made safe (see above), never empty: `fallback` when nothing is left. */
export function safeSegment(raw: string, fallback = 'berkas', max = MAX_SEGMENT): string {
  let name = raw.normalize('NFC').replace(FORBIDDEN, '_').replace(/\s+/g, ' ');
  name = name.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (!name) name = fallback;
  if (RESERVED.test(name)) name = `_${name}`;
  const [stem, extension] = splitExtension(name);
  const room = Math.max(1, max - extension.length);
  const roomBytes = Math.max(1, MAX_SEGMENT_BYTES - Buffer.byteLength(extension));
  let short = cut(stem, room, roomBytes).replace(/[.\s]+$/, '');
  if (!short) short = fallback;
  return `${short}${extension}`;
}

/** Unique names within folders, told apart without regard to case. */
export class UniqueNames {
  private readonly taken = new Set<string>();

  /** `folder/name` made unique: `name (2).ext`, `name (3).ext`… when it is taken. */
  claim(folder: string, name: string): string {
    const [stem, extension] = splitExtension(name);
    for (let n = 1; ; n++) {
      const suffix = n === 1 ? '' : ` (${n})`;
      const candidate =
        n === 1 ? name : `${cut(stem, MAX_SEGMENT - extension.length - suffix.length, MAX_SEGMENT_BYTES - 16)}${suffix}${extension}`;
      const key = `${folder}/${candidate}`.toLocaleLowerCase('en');
      if (!this.taken.has(key)) {
        this.taken.add(key);
        return folder ? `${folder}/${candidate}` : candidate;
      }
    }
  }
}
