import { setImmediate as nextTurn } from 'node:timers/promises';
import { XmlError, XmlScanner, type XmlHandler } from './xml-scan';
import type { RawCell } from './values';

/*
 * The parts of an XLSX workbook an import reads, each streamed once through `XmlScanner`: the
 * workbook's sheets (by name, through its relationships) and date system, the shared-string table
 * (one array of strings, bounded), which cell styles are dates (`styles.xml`: numFmts and
 * cellXfs), and a worksheet's rows — one reused array of cells per row, no object per cell or row.
 * Cells read as exceljs reads them: shared and inline strings (rich text joined, phonetic runs
 * left out), numbers, booleans, errors, ISO dates (`t="d"`), a number in a date style as a Date,
 * and a formula by its cached value (never evaluated; none is an error).
 */

/** Most columns read from a row (the rest are skipped). */
export const MAX_COLUMNS = 64;
/** Most entries of the shared-string table… */
export const MAX_SHARED_STRINGS = 1_000_000;
/** …and most characters in it, all entries together. */
export const MAX_SHARED_CHARS = 64 * 1_048_576;
/** Most cell styles looked at (Excel makes at most 64,000); a style past them is not a date. */
const MAX_STYLES = 65_536;

/** Why a workbook cannot be read: not sound (`corrupt`), or its shared-string table is past the bounds. */
export class XlsxProblem extends Error {
  constructor(
    readonly reason: 'corrupt' | 'sharedStrings',
    message: string,
  ) {
    super(message);
  }
}

/** A worksheet of the workbook, in the workbook's order. */
export interface SheetEntry {
  name: string;
  /** Its part in the zip (`xl/worksheets/sheet1.xml`). */
  path: string;
}

/** What the reader needs from `xl/workbook.xml` and its relationships. */
export interface WorkbookIndex {
  sheets: SheetEntry[];
  date1904: boolean;
  sharedStrings: string;
  styles: string;
}

/** An entry's inflated bytes, chunk by chunk. */
export type Chunks = AsyncIterable<Buffer>;

/** Scans `chunks` with `handler`; `afterChunk` runs between chunks (it may wait). */
async function scan(chunks: Chunks, handler: XmlHandler, afterChunk?: () => Promise<void> | void): Promise<void> {
  const scanner = new XmlScanner(handler);
  for await (const chunk of chunks) {
    scanner.write(chunk);
    await afterChunk?.();
  }
  scanner.end();
}

/** A part's path from a relationship's target, relative to `xl/` unless absolute. */
function partPath(target: string): string {
  const parts: string[] = target.startsWith('/') ? [] : ['xl'];
  for (const p of target.split('/')) {
    if (p === '..') parts.pop();
    else if (p && p !== '.') parts.push(p);
  }
  return parts.join('/');
}

/** The index of a workbook from its `workbook.xml` and `workbook.xml.rels` bytes. */
export function workbookIndexOf(workbook: Buffer, rels: Buffer): WorkbookIndex {
  const targets = new Map<string, { path: string; type: string }>();
  const relScanner = new XmlScanner({
    open(s) {
      const id = s.is('Relationship') ? s.attr('Id') : null;
      const target = id === null ? null : s.attr('Target');
      if (id !== null && target !== null) targets.set(id, { path: partPath(target), type: s.attr('Type') ?? '' });
    },
    close() {},
    text() {},
  });
  const listed: { name: string; id: string }[] = [];
  let date1904 = false;
  const bookScanner = new XmlScanner({
    open(s) {
      if (s.is('workbookPr')) date1904 = /^(1|true)$/.test(s.attr('date1904') ?? '');
      if (!s.is('sheet')) return;
      const name = s.attr('name');
      const id = s.attr('id', true);
      if (name !== null && id !== null) listed.push({ name, id });
    },
    close() {},
    text() {},
  });
  try {
    relScanner.write(rels);
    relScanner.end();
    bookScanner.write(workbook);
    bookScanner.end();
  } catch (error) {
    throw new XlsxProblem('corrupt', (error as Error).message);
  }
  const typed = (kind: string) => [...targets.values()].find((t) => t.type.endsWith(`/${kind}`))?.path;
  const sheets: SheetEntry[] = [];
  for (const { name, id } of listed) {
    const target = targets.get(id);
    if (target && (target.type === '' || target.type.endsWith('/worksheet'))) sheets.push({ name, path: target.path });
  }
  return { sheets, date1904, sharedStrings: typed('sharedStrings') ?? 'xl/sharedStrings.xml', styles: typed('styles') ?? 'xl/styles.xml' };
}

/** The shared-string table: each entry's text (rich text's runs joined, phonetic runs left out). */
export async function readSharedStrings(chunks: Chunks): Promise<string[]> {
  const strings: string[] = [];
  let chars = 0;
  let text = '';
  let inEntry = false;
  let phonetic = false;
  let collecting = false;
  const push = (s: string) => {
    if (strings.length >= MAX_SHARED_STRINGS) throw new XlsxProblem('sharedStrings', `more than ${MAX_SHARED_STRINGS} shared strings`);
    strings.push(s);
  };
  await scan(chunks, {
    open(s) {
      if (s.is('si')) {
        if (s.selfClosing) push('');
        else [inEntry, text] = [true, ''];
      } else if (s.is('rPh')) phonetic = !s.selfClosing;
      else if (s.is('t')) collecting = inEntry && !phonetic && !s.selfClosing;
    },
    text(s) {
      if (!collecting) return;
      const t = s.text();
      chars += t.length;
      if (chars > MAX_SHARED_CHARS) throw new XlsxProblem('sharedStrings', `more than ${MAX_SHARED_CHARS} characters of shared strings`);
      text += t;
    },
    close(s) {
      if (s.is('t')) collecting = false;
      else if (s.is('rPh')) phonetic = false;
      else if (s.is('si') && inEntry) {
        push(text);
        [inEntry, text] = [false, ''];
      }
    },
  });
  return strings;
}

/** The number formats Excel has built in that are dates or times (exceljs's table, `isDateFmt`). */
const BUILT_IN_DATES = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]);

/** Whether a number format shows a date or time (as exceljs decides: a y, m, d, h, M, s or b outside quotes and brackets). */
export function isDateFormat(code: string): boolean {
  return /[ymdhMsb]/.test(code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/** Which cell styles (`s` of a cell: an index into cellXfs) are dates. */
export async function readDateStyles(chunks: Chunks): Promise<Uint8Array> {
  const custom = new Map<number, boolean>();
  const formats: number[] = [];
  let inXfs = false;
  await scan(chunks, {
    open(s) {
      if (s.is('numFmt')) {
        const id = Number(s.attr('numFmtId'));
        if (Number.isInteger(id)) custom.set(id, isDateFormat(s.attr('formatCode') ?? ''));
      } else if (s.is('cellXfs')) inXfs = !s.selfClosing;
      else if (inXfs && s.is('xf') && formats.length < MAX_STYLES) formats.push(Number(s.attr('numFmtId') ?? 0));
    },
    text() {},
    close(s) {
      if (s.is('cellXfs')) inXfs = false;
    },
  });
  return Uint8Array.from(formats, (id) => ((custom.get(id) ?? BUILT_IN_DATES.has(id)) ? 1 : 0));
}

/** What a worksheet's cells refer to. */
export interface SheetContext {
  strings: readonly string[];
  dateStyles: Uint8Array;
  date1904: boolean;
}

/** A row: its number and its first `MAX_COLUMNS` cells (the array is reused: copy what you keep). */
export type RowCallback = (rowNumber: number, cells: readonly RawCell[]) => void;

const enum CellType {
  Number,
  Shared,
  Inline,
  Text,
  Bool,
  Error,
  Date,
}
const TYPES: Record<string, CellType> = { n: CellType.Number, s: CellType.Shared, inlineStr: CellType.Inline, str: CellType.Text };
Object.assign(TYPES, { b: CellType.Bool, e: CellType.Error, d: CellType.Date });

/** A whole number written in ASCII digits at `[start, end)` of `buf`, or -1. */
function digits(buf: Buffer, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i]! - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return start < end && n <= 0x7fffffff ? n : -1;
}

/** The 0-based column of a cell reference (`AB12` → 27) at `[start, end)`, or -1. */
function columnOf(buf: Buffer, start: number, end: number): number {
  let n = 0;
  let i = start;
  for (; i < end; i++) {
    const c = buf[i]! | 0x20;
    if (c < 0x61 || c > 0x7a) break;
    n = n * 26 + (c - 0x60);
    if (n > 16_384) return -1;
  }
  return i === start ? -1 : n - 1;
}

/** A day and time in Excel's numbering → a Date (exceljs's `excelToDate`). */
function excelDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

/** An ISO 8601 date of a `t="d"` cell (no zone: UTC), or null. */
function isoDate(text: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?(Z|[+-]\d{2}:\d{2})?$/.exec(text.trim());
  if (!m) return null;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}${m[7] ?? 'Z'}`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Reads a worksheet's `sheetData` a row at a time (merged cells: only the first holds a value, as in the file). */
class RowReader implements XmlHandler {
  private inData = false;
  private rowNumber = 0;
  private inRow = false;
  private readonly cells: RawCell[] = new Array<RawCell>(MAX_COLUMNS).fill(null);
  private width = 0;
  private column = -1;
  private inCell = false;
  private type = CellType.Number;
  private date = false;
  private formula = false;
  private valued = false;
  private inline = false;
  private phonetic = false;
  private collecting = false;
  private value = '';

  constructor(
    private readonly context: SheetContext,
    private readonly onRow: RowCallback,
  ) {}

  open(s: XmlScanner): void {
    if (!this.inData) {
      this.inData = s.is('sheetData') && !s.selfClosing;
      return;
    }
    if (s.is('c')) this.openCell(s);
    else if (s.is('row')) {
      const at = s.attrAt('r');
      const r = at ? digits(s.bytes(), at[0], at[1]) : -1;
      if (at && r < 1) throw new XmlError('a row without a sound number');
      this.rowNumber = at ? r : this.rowNumber + 1;
      [this.inRow, this.width, this.column] = [true, 0, -1];
      if (s.selfClosing) this.endRow();
    } else if (!this.inCell) return;
    else if (s.is('v')) [this.valued, this.collecting] = [true, !s.selfClosing];
    else if (s.is('f')) this.formula = true;
    else if (s.is('is')) [this.inline, this.valued] = [!s.selfClosing, true];
    else if (s.is('rPh')) this.phonetic = !s.selfClosing;
    else if (s.is('t')) this.collecting = this.inline && !this.phonetic && !s.selfClosing;
  }

  text(s: XmlScanner): void {
    if (this.collecting) this.value += s.text();
  }

  close(s: XmlScanner): void {
    if (!this.inData) return;
    if (s.is('v') || s.is('t')) this.collecting = false;
    else if (s.is('c')) this.endCell();
    else if (s.is('is')) this.inline = false;
    else if (s.is('rPh')) this.phonetic = false;
    else if (s.is('row')) this.endRow();
    else if (s.is('sheetData')) this.inData = false;
  }

  private openCell(s: XmlScanner): void {
    if (!this.inRow) throw new XmlError('a cell outside a row');
    const buf = s.bytes();
    const ref = s.attrAt('r');
    const column = ref ? columnOf(buf, ref[0], ref[1]) : this.column + 1;
    if (ref && column < 0) throw new XmlError('a cell without a sound reference');
    const style = s.attrAt('s');
    const styleIndex = style ? digits(buf, style[0], style[1]) : 0;
    const type = s.attrAt('t');
    this.column = column;
    this.type = type ? (TYPES[buf.toString('latin1', type[0], type[1])] ?? CellType.Number) : CellType.Number;
    this.date = styleIndex >= 0 && this.context.dateStyles[styleIndex] === 1;
    [this.formula, this.valued, this.inline, this.phonetic, this.collecting, this.value] = [false, false, false, false, false, ''];
    this.inCell = !s.selfClosing;
  }

  private endCell(): void {
    this.inCell = false;
    if (this.column >= MAX_COLUMNS || (!this.valued && !this.formula)) return;
    this.cells[this.column] = this.cellValue();
    this.width = Math.max(this.width, this.column + 1);
  }

  /** The cell's value: a formula's cached one (an error when it has none or it is not what its type says). */
  private cellValue(): RawCell {
    const text = this.value;
    if (!this.valued) return { error: '—' };
    switch (this.type) {
      case CellType.Shared: {
        const s = /^\s*\d{1,9}\s*$/.test(text) ? this.context.strings[Number(text)] : undefined;
        if (s === undefined) throw new XmlError(`the shared string ${text.slice(0, 12)} is not in the table`);
        return s;
      }
      case CellType.Inline:
      case CellType.Text:
        return text;
      case CellType.Bool:
        return /^\s*(1|true)\s*$/.test(text);
      case CellType.Error:
        return { error: text.trim() || '#VALUE!' };
      case CellType.Date:
        return isoDate(text) ?? { error: '#VALUE!' };
      default: {
        if (!text.trim()) return this.formula ? { error: '—' } : null;
        const n = parseFloat(text);
        if (Number.isNaN(n)) return this.formula ? { error: '#VALUE!' } : n;
        return this.date ? excelDate(n, this.context.date1904) : n;
      }
    }
  }

  private endRow(): void {
    this.inRow = false;
    this.onRow(this.rowNumber, this.cells);
    this.cells.fill(null, 0, this.width);
    this.width = 0;
  }
}

/** Reads a worksheet's rows into `onRow`; a turn of the event loop for others every `yieldEvery` rows. */
export async function readWorksheet(chunks: Chunks, context: SheetContext, onRow: RowCallback, yieldEvery = 500): Promise<void> {
  let rows = 0;
  let yielded = 0;
  await scan(
    chunks,
    new RowReader(context, (n, cells) => {
      rows++;
      onRow(n, cells);
    }),
    async () => {
      if (rows - yielded < yieldEvery) return;
      yielded = rows;
      await nextTurn();
    },
  );
}

/** Runs `work`, its XML problems as `XlsxProblem('corrupt')`. */
export async function asXlsxProblem<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof XmlError) throw new XlsxProblem('corrupt', error.message);
    throw error;
  }
}
