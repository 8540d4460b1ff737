/*
 * A small streaming XML tokenizer over bytes, for the parts of an XLSX file: it is fed the chunks
 * an entry inflates to and calls its handler for each start tag, end tag and text, with no object
 * per tag (the handler asks the scanner for the tag's name and attributes while it is called) and
 * no string it does not ask for. A token cut by the end of a chunk waits for the next one (at most
 * `maxToken` bytes). No DTD: a `<!DOCTYPE` is refused, so no entity is ever defined, let alone
 * expanded; the five predefined entities and character references are decoded, any other is an error.
 */

/** Why a part is not the XML it should be. */
export class XmlError extends Error {}

/** What the scanner tells: the tag or text is the scanner's current one (ask it while called). */
export interface XmlHandler {
  /** A start tag (`scan.selfClosing` for `<x/>`, which gets no `close`). */
  open(scan: XmlScanner): void;
  /** An end tag. */
  close(scan: XmlScanner): void;
  /** Character data between tags, or a CDATA section (`scan.text()` decodes it). */
  text(scan: XmlScanner): void;
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const AMP = 0x26;
const QUOTE = 0x22;
const APOS = 0x27;
const COLON = 0x3a;
const EQ = 0x3d;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);
const CDATA = Buffer.from('<![CDATA[');
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x09 || b === CR;

/** Whether `buf[start, end)` is the ASCII text `name`. */
function same(buf: Buffer, start: number, end: number, name: string): boolean {
  if (end - start !== name.length) return false;
  for (let k = 0; k < name.length; k++) if (buf[start + k] !== name.charCodeAt(k)) return false;
  return true;
}

/** The text of `buf[start, end)`, its entities and character references decoded, line ends normalised. */
export function decodeXml(buf: Buffer, start: number, end: number): string {
  let amp = buf.indexOf(AMP, start);
  if (amp < 0 || amp >= end) return lineEnds(buf.toString('utf8', start, end));
  let out = '';
  let from = start;
  while (amp >= 0 && amp < end) {
    const semi = buf.indexOf(0x3b, amp);
    if (semi < 0 || semi >= end || semi - amp > 12) throw new XmlError('an unterminated entity');
    out += buf.toString('utf8', from, amp) + entity(buf.toString('latin1', amp + 1, semi));
    from = semi + 1;
    amp = buf.indexOf(AMP, from);
  }
  return lineEnds(out + buf.toString('utf8', from, end));
}

function entity(name: string): string {
  const named = NAMED[name];
  if (named !== undefined) return named;
  const code = /^#x[0-9a-fA-F]{1,6}$/.test(name) ? parseInt(name.slice(2), 16) : /^#[0-9]{1,7}$/.test(name) ? Number(name.slice(1)) : NaN;
  if (!(code >= 0x9 && code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) throw new XmlError(`the entity &${name.slice(0, 12)};`);
  return String.fromCodePoint(code);
}

const lineEnds = (s: string) => (s.includes('\r') ? s.replace(/\r\n?/g, '\n') : s);

/** Feed it with `write(chunk)`, then `end()`. */
export class XmlScanner {
  /** The bytes being scanned (the rest of the last chunk, then this one). */
  private buf: Buffer = EMPTY;
  private rest: Buffer = EMPTY;
  /** The current tag's name, its local part, and where its attributes end. */
  private nameStart = 0;
  private localStart = 0;
  private nameEnd = 0;
  private tagEnd = 0;
  /** The current text (or CDATA section). */
  private textStart = 0;
  private textEnd = 0;
  private cdata = false;
  /** The current start tag ends with `/>`. */
  selfClosing = false;

  constructor(
    private readonly handler: XmlHandler,
    private readonly maxToken = 4 * 1_048_576,
  ) {}

  write(chunk: Buffer): void {
    const buf = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    this.buf = buf;
    let i = 0;
    while (i < buf.length) {
      const next = buf[i] === LT ? this.markup(i) : this.chars(i);
      if (next < 0) break;
      i = next;
    }
    this.rest = i < buf.length ? Buffer.from(buf.subarray(i)) : EMPTY;
    if (this.rest.length > this.maxToken) throw new XmlError(`a token longer than ${this.maxToken} bytes`);
    this.buf = EMPTY;
  }

  /** The part is over: nothing may be left half-read. */
  end(): void {
    if (this.rest.length && this.rest.indexOf(LT) >= 0) throw new XmlError('the part ends inside a tag');
  }

  /** Whether the current tag's local name (without its prefix) is `name` (ASCII). */
  is(name: string): boolean {
    return same(this.buf, this.localStart, this.nameEnd, name);
  }

  /** The current tag's full name (prefix included). */
  name(): string {
    return this.buf.toString('latin1', this.nameStart, this.nameEnd);
  }

  /**
   * Where the value of the current start tag's attribute `name` is (`[start, end)` in `bytes()`),
   * or null. `prefixed`: `name` is a local name that must come with some prefix (`r:id`).
   */
  attrAt(name: string, prefixed = false): [number, number] | null {
    const b = this.buf;
    let i = this.nameEnd;
    while (i < this.tagEnd) {
      while (i < this.tagEnd && isSpace(b[i]!)) i++;
      const start = i;
      let colon = -1;
      while (i < this.tagEnd && b[i] !== EQ && !isSpace(b[i]!)) {
        if (b[i] === COLON) colon = i;
        i++;
      }
      const end = i;
      while (i < this.tagEnd && isSpace(b[i]!)) i++;
      if (b[i] !== EQ) return null;
      i++;
      while (i < this.tagEnd && isSpace(b[i]!)) i++;
      const quote = b[i];
      if (quote !== QUOTE && quote !== APOS) throw new XmlError('an attribute without quotes');
      const close = b.indexOf(quote, i + 1);
      if (close < 0 || close > this.tagEnd) throw new XmlError('an unterminated attribute');
      const local = prefixed ? (colon < 0 ? -1 : colon + 1) : start;
      if (local >= 0 && same(b, local, end, name)) return [i + 1, close];
      i = close + 1;
    }
    return null;
  }

  /** The decoded value of the current start tag's attribute (see `attrAt`), or null. */
  attr(name: string, prefixed = false): string | null {
    const at = this.attrAt(name, prefixed);
    return at ? decodeXml(this.buf, at[0], at[1]) : null;
  }

  /** The bytes the positions of `attrAt` and `textRange` point into (valid while the handler is called). */
  bytes(): Buffer {
    return this.buf;
  }

  /** The current text's bytes, undecoded: `[start, end)` in `bytes()`; `cdata` when they are a CDATA section's. */
  textRange(): { start: number; end: number; cdata: boolean } {
    return { start: this.textStart, end: this.textEnd, cdata: this.cdata };
  }

  /** The current text, decoded. */
  text(): string {
    return this.cdata
      ? lineEnds(this.buf.toString('utf8', this.textStart, this.textEnd))
      : decodeXml(this.buf, this.textStart, this.textEnd);
  }

  /** Character data from `i` to the next `<`; -1 when the chunk ends first. */
  private chars(i: number): number {
    const lt = this.buf.indexOf(LT, i);
    if (lt < 0) return -1;
    this.textStart = i;
    this.textEnd = lt;
    this.cdata = false;
    this.handler.text(this);
    return lt;
  }

  /** The markup at `i` (a `<`): a tag, a comment, a processing instruction or a CDATA section; -1 when cut short. */
  private markup(i: number): number {
    const b = this.buf;
    if (i + 1 >= b.length) return -1;
    const second = b[i + 1];
    if (second === 0x3f) return this.skipTo(i + 2, '?>');
    if (second === 0x21) {
      if (b.length - i < CDATA.length) return -1;
      if (b.toString('latin1', i, i + 4) === '<!--') return this.skipTo(i + 4, '-->');
      if (b.compare(CDATA, 0, CDATA.length, i, i + CDATA.length) === 0) {
        const end = b.indexOf(']]>', i + CDATA.length, 'latin1');
        if (end < 0) return -1;
        this.textStart = i + CDATA.length;
        this.textEnd = end;
        this.cdata = true;
        this.handler.text(this);
        return end + 3;
      }
      throw new XmlError('a DTD or declaration (entities are not accepted)');
    }
    const closing = second === SLASH;
    const nameStart = closing ? i + 2 : i + 1;
    const gt = this.tagClose(nameStart);
    if (gt < 0) return -1;
    let nameEnd = nameStart;
    let localStart = nameStart;
    while (nameEnd < gt && !isSpace(b[nameEnd]!) && b[nameEnd] !== SLASH) {
      if (b[nameEnd] === COLON) localStart = nameEnd + 1;
      nameEnd++;
    }
    if (nameEnd === nameStart) throw new XmlError('a tag without a name');
    this.nameStart = nameStart;
    this.localStart = localStart;
    this.nameEnd = nameEnd;
    this.selfClosing = !closing && b[gt - 1] === SLASH;
    this.tagEnd = this.selfClosing ? gt - 1 : gt;
    if (closing) this.handler.close(this);
    else this.handler.open(this);
    return gt + 1;
  }

  /** The `>` that ends the tag whose name starts at `i` (a `>` inside a quoted value does not), or -1. */
  private tagClose(i: number): number {
    const b = this.buf;
    let quote = 0;
    for (; i < b.length; i++) {
      const c = b[i]!;
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === GT) return i;
      else if (c === QUOTE || c === APOS) quote = c;
      else if (c === LT) throw new XmlError('a < inside a tag');
    }
    return -1;
  }

  private skipTo(i: number, end: string): number {
    const at = this.buf.indexOf(end, i, 'latin1');
    return at < 0 ? -1 : at + end.length;
  }
}
