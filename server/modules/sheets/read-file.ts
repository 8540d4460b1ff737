import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import { readZipDirectory, ZipProblem, type ZipLimits } from '../../util/zip';
import { HELP_SHEET, sheetNamed, type SheetDef } from './columns';
import { rawOf, type RawCell } from './values';

/*
 * Reads an uploaded spreadsheet a row at a time: an XLSX workbook with exceljs's streaming reader
 * (after its zip has been checked and its real inflated size bounded), or one sheet as CSV with
 * csv-parse. Row 1 of each sheet names the columns (matched by header, in any order; unknown
 * headers are ignored, so a `__proto__` or `constructor` header is just another unknown one:
 * headers are only ever looked up in a Map). Yields to the event loop every few hundred rows.
 */

/** Bounds of an import file's zip: fewer entries than an upload, and what it may inflate to. */
export const SHEET_ZIP_LIMITS: ZipLimits = {
  maxEntries: 1_000,
  maxInflatedBytes: 256 * 1_048_576,
  maxRatio: 200,
  ratioFromBytes: 1_048_576,
};
/** Most data rows in one file, all sheets together. */
export const MAX_IMPORT_ROWS = 200_000;
/** Most columns read from a row. */
const MAX_COLUMNS = 64;

/** Why a file cannot be read at all. */
export class FileProblem extends Error {
  constructor(
    readonly reason: 'corrupt' | 'inflatedSize' | 'tooManyRows' | 'noSheets',
    message: string = reason,
  ) {
    super(message);
  }
}

/** What the reader tells its consumer. */
export interface SheetReader {
  /** A data sheet's header row: the position (0-based) of each of its columns in the file, -1 when missing. */
  header(sheet: SheetDef, positions: number[], twice: string[]): void;
  /** A data row: its cells in the sheet's column order. */
  row(sheet: SheetDef, rowNumber: number, cells: RawCell[]): void;
}

const squash = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');

/** Where each of the sheet's columns is in a header row (a Map from header text: no prototype keys). */
function positionsOf(sheet: SheetDef, headers: readonly unknown[]): { positions: number[]; twice: string[] } {
  const at = new Map<string, number>();
  const twice: string[] = [];
  headers.slice(0, MAX_COLUMNS).forEach((h, i) => {
    const raw = rawOf(h);
    if (raw === null || typeof raw === 'object') return;
    const key = squash(String(raw));
    if (!key) return;
    if (at.has(key)) twice.push(String(raw).trim());
    else at.set(key, i);
  });
  return { positions: sheet.columns.map((c) => at.get(squash(c.header)) ?? -1), twice };
}

/** What the reader needs from `xl/workbook.xml`: each worksheet file's sheet name, and the date system. */
export interface WorkbookIndex {
  /** `3` (of `xl/worksheets/sheet3.xml`) → its sheet's name. */
  names: Map<string, string>;
  date1904: boolean;
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** An attribute of one XML tag (`name` may be a pattern such as `\w+:id`). */
function attr(tag: string, name: string): string | null {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? m[1]!.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => XML_ENTITIES[e]!) : null;
}

/** The index of a workbook from its `workbook.xml` and `workbook.xml.rels` texts. */
function indexOf(workbook: string, rels: string): WorkbookIndex {
  const targets = new Map<string, string>();
  for (const tag of rels.match(/<(?:\w+:)?Relationship\b[^>]*>/g) ?? []) {
    const id = attr(tag, 'Id');
    const number = /sheet(\d+)\.xml$/.exec(attr(tag, 'Target') ?? '')?.[1];
    if (id && number) targets.set(id, number);
  }
  const names = new Map<string, string>();
  for (const tag of workbook.match(/<(?:\w+:)?sheet\b[^>]*>/g) ?? []) {
    const name = attr(tag, 'name');
    const number = targets.get(attr(tag, '\\w+:id') ?? '');
    if (name !== null && number) names.set(number, name);
  }
  return { names, date1904: /<(?:\w+:)?workbookPr\b[^>]*\sdate1904="(1|true)"/.test(workbook) };
}

/**
 * Inflates every entry once, counting its real bytes (yauzl checks them against the central
 * directory), and refuses past `limits.maxInflatedBytes`: a zip whose headers lie is caught here,
 * before exceljs inflates it again. Keeps the workbook's index on the way.
 */
async function boundInflated(file: string, limits: ZipLimits): Promise<WorkbookIndex> {
  const directory = await readZipDirectory(file, limits);
  directory.close();
  const zip = await yauzl.openPromise(file, { autoClose: false, strictFileNames: true, validateEntrySizes: true });
  const kept = new Map<string, Buffer[]>();
  let total = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      const keep = entry.fileName === 'xl/workbook.xml' || entry.fileName === 'xl/_rels/workbook.xml.rels';
      let size = 0;
      for await (const chunk of await zip.openReadStreamPromise(entry)) {
        const bytes = chunk as Buffer;
        total += bytes.length;
        size += bytes.length;
        if (total > limits.maxInflatedBytes) throw new ZipProblem('inflatedSize', `more than ${limits.maxInflatedBytes} bytes inflated`);
        if (keep && size <= 4 * 1_048_576) kept.set(entry.fileName, [...(kept.get(entry.fileName) ?? []), bytes]);
      }
    }
  } catch (error) {
    throw error instanceof ZipProblem ? error : new ZipProblem('structure', (error as Error).message);
  } finally {
    zip.close();
  }
  const text = (name: string) => Buffer.concat(kept.get(name) ?? []).toString('utf8');
  return indexOf(text('xl/workbook.xml'), text('xl/_rels/workbook.xml.rels'));
}

/** Checks an XLSX file's zip (structure, and what it really inflates to) before anything reads it; throws `FileProblem`. */
export async function checkXlsx(file: string, limits: ZipLimits = SHEET_ZIP_LIMITS): Promise<WorkbookIndex> {
  try {
    return await boundInflated(file, limits);
  } catch (error) {
    if (error instanceof ZipProblem) throw new FileProblem(error.reason === 'inflatedSize' ? 'inflatedSize' : 'corrupt', error.message);
    throw error;
  }
}

/** exceljs's streaming reader's own steps, driven here one entry at a time (exceljs 4.4.0). */
interface ReaderInternals {
  model: unknown;
  properties: unknown;
  sharedStrings: unknown[] | undefined;
  styles: unknown;
  _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncIterable<unknown>;
  _parseStyles(entry: NodeJS.ReadableStream): Promise<void>;
  _parseWorksheet(entry: NodeJS.ReadableStream, sheetNo: string): Iterable<{ eventType: string; value: unknown }>;
}

/**
 * Reads an XLSX file's data sheets (the instructions sheet and unknown sheets are skipped);
 * `checkXlsx` it first. The zip is opened by its central directory (yauzl) and exceljs's streaming
 * reader is given the shared strings, the styles, then each worksheet in turn: its own single pass
 * over the zip sometimes parses a sheet before the shared strings or the workbook it needs
 * (exceljs#683, #3064), and a cell would read as `{ sharedString: 3 }`.
 */
export async function readXlsx(file: string, index: WorkbookIndex, reader: SheetReader): Promise<void> {
  const zip = await yauzl.openPromise(file, { autoClose: false, strictFileNames: true, validateEntrySizes: true });
  let rows = 0;
  let sheets = 0;
  try {
    const entries = new Map<string, yauzl.Entry>();
    for await (const entry of zip.eachEntry()) entries.set(entry.fileName, entry);
    const open = async (name: string) => {
      const entry = entries.get(name);
      return entry ? ((await zip.openReadStreamPromise(entry)) as NodeJS.ReadableStream) : null;
    };
    const book = new ExcelJS.stream.xlsx.WorkbookReader(file, {
      sharedStrings: 'cache',
      styles: 'cache',
      hyperlinks: 'ignore',
      worksheets: 'emit',
      entries: 'ignore',
    }) as unknown as ReaderInternals;
    book.model = { sheets: [] };
    book.properties = { model: { date1904: index.date1904 } };
    const strings = await open('xl/sharedStrings.xml');
    if (strings) for await (const event of book._parseSharedStrings(strings)) void event;
    book.sharedStrings ??= [];
    const styles = await open('xl/styles.xml');
    if (styles) await book._parseStyles(styles);
    else book.styles = { getStyleModel: () => undefined };
    for (const [number, name] of [...index.names].sort((x, y) => Number(x[0]) - Number(y[0]))) {
      const sheet = name === HELP_SHEET ? null : sheetNamed(name);
      const stream = sheet ? await open(`xl/worksheets/sheet${number}.xml`) : null;
      if (!sheet || !stream) continue;
      for (const { value } of book._parseWorksheet(stream, number)) {
        const found = await readSheet(sheet, value as AsyncIterable<ExcelJS.Row>, reader, rows);
        rows = found.rows;
        if (found.header) sheets++;
      }
    }
  } catch (error) {
    if (error instanceof FileProblem) throw error;
    throw new FileProblem('corrupt', (error as Error).message);
  } finally {
    zip.close();
  }
  if (sheets === 0) throw new FileProblem('noSheets');
}

/** The rows of one worksheet; `rows` is the count so far (all sheets), returned updated. */
async function readSheet(
  sheet: SheetDef,
  ws: AsyncIterable<ExcelJS.Row>,
  reader: SheetReader,
  rows: number,
): Promise<{ rows: number; header: boolean }> {
  let positions: number[] | null = null;
  for await (const row of ws) {
    const values = (row.values as unknown[]).slice(1);
    if (!positions) {
      // Row 1 names the columns; a sheet whose first row is not row 1 has no header.
      if (row.number !== 1) continue;
      const found = positionsOf(sheet, values);
      positions = found.positions;
      reader.header(sheet, positions, found.twice);
      continue;
    }
    const cells = positions.map((p) => (p < 0 ? null : rawOf(values[p])));
    if (cells.every((c) => c === null || (typeof c === 'string' && !c.trim()))) continue;
    if (++rows > MAX_IMPORT_ROWS) throw new FileProblem('tooManyRows');
    reader.row(sheet, row.number, cells);
    if (rows % 500 === 0) await nextTurn();
  }
  return { rows, header: positions !== null };
}

/** The delimiter of a CSV file: `,`, `;` or a tab, whichever its first line has most of outside quotes. */
async function delimiterOf(file: string): Promise<string> {
  const handle = await fs.open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(65_536), 0, 65_536, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    const counts = new Map([
      [',', 0],
      [';', 0],
      ['\t', 0],
    ]);
    let quoted = false;
    for (const ch of text) {
      if (ch === '"') quoted = !quoted;
      else if (!quoted && (ch === '\n' || ch === '\r')) break;
      else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
    }
    return [...counts].sort((a, b) => b[1] - a[1])[0]![1] > 0 ? [...counts].sort((a, b) => b[1] - a[1])[0]![0] : ',';
  } finally {
    await handle.close();
  }
}

/** Reads a CSV file as the data sheet `sheet`. */
export async function readCsv(file: string, sheet: SheetDef, reader: SheetReader): Promise<void> {
  const parser = createReadStream(file).pipe(
    parse({
      bom: true,
      delimiter: await delimiterOf(file),
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: 1_048_576,
      info: true,
    }),
  );
  let positions: number[] | null = null;
  let rows = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = info.lines;
      if (!positions) {
        const found = positionsOf(sheet, record);
        positions = found.positions;
        reader.header(sheet, positions, found.twice);
        continue;
      }
      const cells = positions.map((p) => (p < 0 ? null : (record[p] ?? null)));
      if (cells.every((c) => c === null || !c.trim())) continue;
      if (++rows > MAX_IMPORT_ROWS) throw new FileProblem('tooManyRows');
      reader.row(sheet, line, cells);
      if (rows % 500 === 0) await nextTurn();
    }
  } catch (error) {
    if (error instanceof FileProblem) throw error;
    throw new FileProblem('corrupt', (error as Error).message);
  }
  if (!positions) throw new FileProblem('noSheets');
}
