import { createReadStream } from 'node:fs';
import { TextDecoder } from 'node:util';
import { readZipDirectory, ZipProblem, type ZipDirectory } from '../../util/zip';

/**
 * What an uploaded file is, judged by its bytes (magic numbers), never by its name. Only these
 * types are accepted; anything else (an executable, HTML, SVG, a script, a plain archive) is
 * refused whatever it is called. The simple formats are told by their first bytes; the zip-based
 * ones (DOCX/XLSX/PPTX, ODT/ODS) by their central directory, read from the stored temp file.
 */

/** An accepted type: its MIME type and the extension a download gets. */
export interface SniffedType {
  contentType: string;
  extension: string;
}

const PDF: SniffedType = { contentType: 'application/pdf', extension: 'pdf' };
const PNG: SniffedType = { contentType: 'image/png', extension: 'png' };
const JPEG: SniffedType = { contentType: 'image/jpeg', extension: 'jpg' };
const WEBP: SniffedType = { contentType: 'image/webp', extension: 'webp' };
const DOCX: SniffedType = { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extension: 'docx' };
const XLSX: SniffedType = { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx' };
const PPTX: SniffedType = { contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', extension: 'pptx' };
const ODT: SniffedType = { contentType: 'application/vnd.oasis.opendocument.text', extension: 'odt' };
const ODS: SniffedType = { contentType: 'application/vnd.oasis.opendocument.spreadsheet', extension: 'ods' };
export const CSV: SniffedType = { contentType: 'text/csv; charset=utf-8', extension: 'csv' };
const TEXT: SniffedType = { contentType: 'text/plain; charset=utf-8', extension: 'txt' };

/** What the sniffer decided: a type, or why the file is refused (`entry`: the zip entry at fault). */
export type SniffVerdict = { type: SniffedType } | { refused: 'type' | 'forbiddenEntry' | 'inflatedSize'; entry?: string };

const startsWith = (buf: Buffer, bytes: number[] | string, offset = 0) => {
  const sig = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes);
  return buf.length >= offset + sig.length && buf.subarray(offset, offset + sig.length).equals(sig);
};

/** A type told by its first bytes, `zip` for a zip's local header, or null. */
function magic(head: Buffer): SniffedType | 'zip' | null {
  if (startsWith(head, '%PDF-')) return PDF;
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return PNG;
  if (startsWith(head, [0xff, 0xd8, 0xff])) return JPEG;
  if (startsWith(head, 'RIFF') && startsWith(head, 'WEBP', 8)) return WEBP;
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return 'zip';
  return null;
}

// ---------------------------------------------------------------------------------------------
// Office packages

/** Entries no evidence document needs: programs, scripts, web pages, macros, ActiveX, OLE payloads. */
const EXECUTABLE =
  /\.(exe|dll|com|scr|pif|cpl|msi|msp|msc|jar|class|bat|cmd|ps1|psm1|vbs|vbe|js|jse|mjs|wsf|wsh|hta|sh|so|dylib|apk|lnk|reg|inf|scf|url|swf|html?|xht|xhtml|shtml|mht|mhtml|php|aspx?|jsp)$/i;
const MACRO = /(^|\/)(vbaProject\.bin|vbaProjectSignature\.bin|vbaData\.xml|attachedToolbars\.bin)$/i;

/** Whether a zip entry has no place in an evidence document. */
export function forbiddenEntry(name: string): boolean {
  if (EXECUTABLE.test(name) || MACRO.test(name)) return true;
  // ActiveX controls (OOXML), Basic and script libraries (ODF).
  if (/(^|\/)activeX\//i.test(name) || /^(Basic|Scripts)\//.test(name)) return true;
  // Binary parts: only printer settings belong in an OOXML package (OLE objects, macros do not).
  return /\.bin$/i.test(name) && !/(^|\/)printerSettings\d*\.bin$/i.test(name);
}

/** OOXML: `[Content_Types].xml`, the package relationships and exactly one main part. */
const OOXML_MAIN: [string, SniffedType][] = [
  ['word/document.xml', DOCX],
  ['xl/workbook.xml', XLSX],
  ['ppt/presentation.xml', PPTX],
];

/** The package type of a checked zip directory, or null when it has not the real structure of one. */
async function packageType(dir: ZipDirectory): Promise<SniffedType | null> {
  const names = new Set(dir.entries.map((e) => e.name));
  // OpenDocument: `mimetype` first in the file, stored, holding exactly the type; content and manifest.
  const first = dir.entries.find((e) => e.offset === 0);
  if (first?.name === 'mimetype') {
    const declared = (await dir.readStored('mimetype', 100))?.toString('latin1');
    const type = [ODT, ODS].find((t) => t.contentType === declared);
    return type && names.has('content.xml') && names.has('META-INF/manifest.xml') ? type : null;
  }
  if (!names.has('[Content_Types].xml') || !names.has('_rels/.rels')) return null;
  const mains = OOXML_MAIN.filter(([part]) => names.has(part));
  return mains.length === 1 ? mains[0]![1] : null;
}

/** Judges a zip-based upload by its central directory (nothing is inflated). */
async function sniffPackage(file: string): Promise<SniffVerdict> {
  let dir: ZipDirectory;
  try {
    dir = await readZipDirectory(file);
  } catch (error) {
    if (error instanceof ZipProblem) return { refused: error.reason === 'inflatedSize' ? 'inflatedSize' : 'type' };
    throw error;
  }
  try {
    const bad = dir.entries.find((e) => forbiddenEntry(e.name));
    if (bad) return { refused: 'forbiddenEntry', entry: bad.name.slice(0, 200) };
    const type = await packageType(dir);
    return type ? { type } : { refused: 'type' };
  } finally {
    dir.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Streaming

const HEAD_BYTES = 16;

/**
 * Judges a file while it streams past (`feed` each chunk in order), then `finish` with the stored
 * file. Text is checked as it comes: UTF-8 with no control characters but tab, line feed, carriage
 * return and form feed, and no markup (a browser would render or run HTML, SVG, XML).
 */
export class TypeSniffer {
  private head = Buffer.alloc(0);
  private decoder: TextDecoder | null = new TextDecoder('utf-8', { fatal: true });
  private started = false;
  private bytes = 0;

  feed(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.head.length < HEAD_BYTES) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, HEAD_BYTES - this.head.length)]);
      // A binary type needs no text check.
      if (this.head.length >= HEAD_BYTES && magic(this.head)) this.decoder = null;
    }
    if (this.decoder) this.checkText(() => this.decoder!.decode(chunk, { stream: true }));
  }

  private checkText(decode: () => string): void {
    let text: string;
    try {
      text = decode();
    } catch {
      this.decoder = null;
      return;
    }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text)) this.decoder = null;
    if (!this.started) {
      const rest = text.replace(/^\uFEFF/, '').trimStart();
      if (rest.startsWith('<')) this.decoder = null;
      if (rest) this.started = true;
    }
  }

  /** The verdict, once the whole file is stored at `file`; `name` tells CSV from plain text. */
  async finish(file: string, name: string): Promise<SniffVerdict> {
    if (this.bytes === 0) return { refused: 'type' };
    const found = magic(this.head);
    if (found === 'zip') return sniffPackage(file);
    if (found) return { type: found };
    if (this.decoder) this.checkText(() => this.decoder!.decode());
    if (!this.decoder) return { refused: 'type' };
    return { type: /\.csv$/i.test(name) ? CSV : TEXT };
  }
}

/** The verdict on a stored file (read once, in chunks). */
export async function sniffFile(file: string, name: string): Promise<SniffVerdict> {
  const sniffer = new TypeSniffer();
  for await (const chunk of createReadStream(file)) sniffer.feed(chunk as Buffer);
  return sniffer.finish(file, name);
}

// ---------------------------------------------------------------------------------------------
// Names

/** The longest display name kept. */
export const MAX_FILE_NAME = 255;

/**
 * What no display name may hold: control and format characters (bidi overrides and isolates,
 * zero-width spaces and joiners, the BOM, soft hyphens), private-use and lone surrogates, line and
 * paragraph separators; and anything that looks like a folder separator.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Zl}\p{Zp}]/u;
const SLASHES = /[/\\\u2044\u2215\u2216\u29f8\u29f9\ufe68\uff0f\uff3c]/;

/**
 * Checks an uploaded file's name, which is only ever shown (the stored name is the content's
 * SHA-256). Normalised to NFKC first, so full-width `．．／` count as the `../` they display as;
 * refused rather than silently changed: folders (`/`, `\` and look-alikes), `..`, control and
 * invisible characters (see `INVISIBLE`), an empty name or more than 255 characters. Returns the
 * normalised, trimmed name.
 */
export function checkFileName(raw: string | undefined): string | null {
  const normalised = (raw ?? '').normalize('NFKC');
  // Before trimming: JavaScript's trim also removes a BOM (U+FEFF), which must refuse the name.
  if (INVISIBLE.test(normalised) || SLASHES.test(normalised)) return null;
  const name = normalised.trim();
  if (!name || name.length > MAX_FILE_NAME || name === '.' || name.includes('..')) return null;
  return name;
}

/** A stored title made safe to hand out as a file name (titles stored before `checkFileName` was strict). */
export function safeTitle(title: string): string {
  const cleaned = title
    .normalize('NFKC')
    .replace(new RegExp(INVISIBLE.source, 'gu'), '')
    .replace(new RegExp(SLASHES.source, 'g'), '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.\s]+/, '')
    .trim();
  return cleaned || 'berkas';
}

/** The file name a download gets: the display name, with the sniffed type's extension when it has another. */
export function downloadName(title: string, type: SniffedType | { extension: string }): string {
  const safe = safeTitle(title);
  return safe.toLowerCase().endsWith(`.${type.extension}`) || (type.extension === 'jpg' && /\.jpe?g$/i.test(safe))
    ? safe
    : `${safe}.${type.extension}`;
}

/** An ASCII-only stand-in for a file name in `filename="…"` (the UTF-8 name goes in `filename*`). */
export function asciiName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\/;%]/g, '_');
}

/** `Content-Disposition: attachment` with an ASCII `filename` and the UTF-8 `filename*` (RFC 6266 / 5987). */
export function contentDisposition(name: string): string {
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiName(name)}"; filename*=UTF-8''${encoded}`;
}

/** The extension that goes with a stored content type. */
export function extensionOf(contentType: string): string {
  return [PDF, PNG, JPEG, WEBP, DOCX, XLSX, PPTX, ODT, ODS, CSV, TEXT].find((t) => t.contentType === contentType)?.extension ?? 'bin';
}
