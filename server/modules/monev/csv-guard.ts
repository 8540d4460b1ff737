import { StringDecoder } from 'node:string_decoder';
import { Transform, type TransformCallback } from 'node:stream';

/*
 * CSV evidence is served with its formulas neutralised (CSV/formula injection, OWASP): a cell a
 * spreadsheet would read as a formula — starting with `=`, `+`, `-`, `@`, or inside quotes a tab
 * or a carriage return, or the full-width forms, after any leading spaces — gets a leading
 * apostrophe, so Excel, LibreOffice and Google Sheets show it as text. A plain number (`-12,5`,
 * `+6281234567890`) is left alone. Cells are told apart by commas, semicolons and tabs (whichever
 * the file uses: Indonesian Excel writes semicolons) and line ends, outside double quotes; in a
 * quoted cell the apostrophe goes right after the opening quote. The stored bytes (and their
 * SHA-256) stay as uploaded: only what is served changes. Memory: one chunk and at most
 * `MAX_PENDING` held characters.
 */

const DELIMITERS = new Set([',', ';', '\t', '\n', '\r']);
/** First characters that make a cell a formula (a tab or CR only inside quotes: outside they end the cell). */
const FORMULA = new Set(['=', '@', '\uff1d', '\uff20']);
const QUOTED_FORMULA = new Set(['\t', '\r']);
/** Signs: a formula unless the cell is a plain number. */
const SIGNS = new Set(['+', '-', '\uff0b', '\uff0d']);
const PLAIN_NUMBER = /^ *[+-] *\d[\d.,]*(?:[eE][+-]?\d+)?%? *$/;
/** A signed cell longer than this is no plain number: judged without waiting for its end. */
const MAX_PENDING = 64;

/** The cell parser: `feed` text in order, then `end`; each returns the text to write. */
export class FormulaNeutraliser {
  /** `start`: at the start of a cell's content (leading spaces held); `sign`: a sign held until the cell is judged. */
  private mode: 'start' | 'sign' | 'content' = 'start';
  private quoted = false;
  /** The previous character closed a quoted cell (a quote right after it is an escaped quote). */
  private justClosed = false;
  private held = '';
  private first = true;

  end(): string {
    const out = this.mode === 'sign' ? this.judged(this.held) : this.held;
    this.held = '';
    return out;
  }

  /** A held signed cell: with an apostrophe unless it is a plain number. */
  private judged(text: string): string {
    return PLAIN_NUMBER.test(text) ? text : `'${text}`;
  }

  feed(text: string): string {
    let out = '';
    for (const ch of text) {
      if (this.first) {
        this.first = false;
        if (ch === '\uFEFF') {
          out += ch;
          continue;
        }
      }
      if (this.mode === 'start') out += this.atStart(ch);
      else if (this.mode === 'sign') out += this.inSign(ch);
      else out += this.content(ch);
    }
    return out;
  }

  private atStart(ch: string): string {
    if (ch === ' ') {
      this.held += ch;
      return '';
    }
    if (ch === '"' && !this.quoted && this.held === '') {
      this.quoted = true;
      return ch;
    }
    if (FORMULA.has(ch) || (this.quoted && QUOTED_FORMULA.has(ch))) {
      const out = `'${this.held}${ch}`;
      this.held = '';
      this.mode = 'content';
      return out;
    }
    if (SIGNS.has(ch)) {
      this.held += ch;
      this.mode = 'sign';
      return '';
    }
    const out = this.held;
    this.held = '';
    this.mode = 'content';
    return out + this.content(ch);
  }

  private inSign(ch: string): string {
    if (this.quoted ? ch === '"' : DELIMITERS.has(ch)) {
      const out = this.judged(this.held);
      this.held = '';
      this.mode = 'content';
      return out + this.content(ch);
    }
    this.held += ch;
    if (this.held.length <= MAX_PENDING) return '';
    const out = `'${this.held}`;
    this.held = '';
    this.mode = 'content';
    return out;
  }

  /** Content is written as it is; quotes and delimiters move the state. */
  private content(ch: string): string {
    if (this.quoted) {
      if (ch === '"') {
        this.quoted = false;
        this.justClosed = true;
      }
      return ch;
    }
    if (ch === '"' && this.justClosed) {
      // `""` inside a quoted cell: an escaped quote, still inside.
      this.quoted = true;
      this.justClosed = false;
      return ch;
    }
    this.justClosed = false;
    if (DELIMITERS.has(ch)) this.mode = 'start';
    return ch;
  }
}

/** The neutraliser as a stream of UTF-8 bytes (a character split between chunks is kept whole). */
export class CsvFormulaGuard extends Transform {
  private readonly decoder = new StringDecoder('utf8');
  private readonly cells = new FormulaNeutraliser();

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    done(null, Buffer.from(this.cells.feed(this.decoder.write(chunk)), 'utf8'));
  }

  override _flush(done: TransformCallback): void {
    done(null, Buffer.from(this.cells.feed(this.decoder.end()) + this.cells.end(), 'utf8'));
  }
}

/** Neutralises the formulas of a whole CSV text (what the stream does). */
export function guardCsv(text: string): string {
  const cells = new FormulaNeutraliser();
  return cells.feed(text) + cells.end();
}
