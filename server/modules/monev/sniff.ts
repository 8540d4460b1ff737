/**
 * What an uploaded file is, judged by its bytes (magic numbers), never by its name. Only these
 * types are accepted; anything else (an executable, HTML, SVG, a script, an archive) is refused
 * whatever it is called.
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
const CSV: SniffedType = { contentType: 'text/csv; charset=utf-8', extension: 'csv' };
const TEXT: SniffedType = { contentType: 'text/plain; charset=utf-8', extension: 'txt' };

const startsWith = (buf: Buffer, bytes: number[] | string, offset = 0) => {
  const sig = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes);
  return buf.length >= offset + sig.length && buf.subarray(offset, offset + sig.length).equals(sig);
};

/** An Office Open XML or OpenDocument package: a zip whose entries say which. */
function sniffZip(buf: Buffer): SniffedType | null {
  // OpenDocument: the first entry is an uncompressed `mimetype` holding the type.
  if (startsWith(buf, 'mimetype', 30)) {
    const type = buf.subarray(38, 38 + 60).toString('latin1');
    if (type.startsWith(ODT.contentType)) return ODT;
    if (type.startsWith(ODS.contentType)) return ODS;
    return null;
  }
  // OOXML: `[Content_Types].xml` and the main part's folder among the entry names (central directory).
  if (!buf.includes('[Content_Types].xml', 0, 'latin1')) return null;
  if (buf.includes('word/document.xml', 0, 'latin1')) return DOCX;
  if (buf.includes('xl/workbook.xml', 0, 'latin1')) return XLSX;
  if (buf.includes('ppt/presentation.xml', 0, 'latin1')) return PPTX;
  return null;
}

/** UTF-8 text with no control characters but tab, line feed, carriage return and form feed, and no markup. */
function sniffText(buf: Buffer, name: string): SniffedType | null {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return null;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text)) return null;
  // Markup a browser would render or run (HTML, SVG, XML) is not "text" here.
  if (/^\s*</.test(text.replace(/^\uFEFF/, ''))) return null;
  return /\.csv$/i.test(name) ? CSV : TEXT;
}

/** The accepted type of `buf` (the whole file), or null when it is none of them. */
export function sniff(buf: Buffer, name: string): SniffedType | null {
  if (buf.length === 0) return null;
  if (startsWith(buf, '%PDF-')) return PDF;
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return PNG;
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return JPEG;
  if (startsWith(buf, 'RIFF') && startsWith(buf, 'WEBP', 8)) return WEBP;
  if (startsWith(buf, [0x50, 0x4b, 0x03, 0x04])) return sniffZip(buf);
  return sniffText(buf, name);
}

/** The longest display name kept. */
export const MAX_FILE_NAME = 255;

/**
 * Checks an uploaded file's name, which is only ever shown (the stored name is the content's
 * SHA-256). Refused rather than silently changed: folders (`/`, `\`), `..`, control characters
 * (NUL included), an empty name or more than 255 characters. Returns the trimmed name.
 */
export function checkFileName(raw: string | undefined): string | null {
  const name = (raw ?? '').normalize('NFC').trim();
  if (!name || name.length > MAX_FILE_NAME) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f/\\]/.test(name) || name === '.' || name.includes('..')) return null;
  return name;
}

/** The file name a download gets: the display name, with the sniffed type's extension when it has another. */
export function downloadName(title: string, type: SniffedType | { extension: string }): string {
  return title.toLowerCase().endsWith(`.${type.extension}`) || (type.extension === 'jpg' && /\.jpe?g$/i.test(title))
    ? title
    : `${title}.${type.extension}`;
}

/** The extension that goes with a stored content type. */
export function extensionOf(contentType: string): string {
  return [PDF, PNG, JPEG, WEBP, DOCX, XLSX, PPTX, ODT, ODS, CSV, TEXT].find((t) => t.contentType === contentType)?.extension ?? 'bin';
}
