import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parse } from 'csv-parse';
import yauzl from 'yauzl';
import { readZipDirectory, ZipProblem, type ZipLimits } from '../../util/zip';
import { HELP_SHEET, sheetNamed, type SheetDef } from './columns';
import { rawOf, type RawCell } from './values';
import {
  MAX_COLUMNS,
  XlsxProblem,
  asXlsxProblem,
  readDateStyles,
  readSharedStrings,
  readWorksheet,
  workbookIndexOf,
  type WorkbookIndex,
} from './xlsx-reader';

export type { WorkbookIndex } from './xlsx-reader';

/*
 * Reads an uploaded spreadsheet a row at a time: an XLSX workbook with the import's own streaming
 * reader (`xlsx-reader.ts`, after its zip has been checked and its real inflated size bounded), or
 * one sheet as CSV with csv-parse. Row 1 of each sheet names the columns (matched by header, in any order; unknown
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

/** Why a file cannot be read at all. */
export class FileProblem extends Error {
  constructor(
    readonly reason: 'corrupt' | 'inflatedSize' | 'tooManyRows' | 'noSheets' | 'sharedStrings',
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

/**
 * Inflates every entry once, counting its real bytes (yauzl checks them against the central
 * directory), and refuses past `limits.maxInflatedBytes`: a zip whose headers lie is caught here,
 * before the reader inflates it again. Keeps the workbook's index on the way.
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
  const bytes = (name: string) => Buffer.concat(kept.get(name) ?? []);
  return workbookIndexOf(bytes('xl/workbook.xml'), bytes('xl/_rels/workbook.xml.rels'));
}

/** Checks an XLSX file's zip (structure, and what it really inflates to) before anything reads it; throws `FileProblem`. */
export async function checkXlsx(file: string, limits: ZipLimits = SHEET_ZIP_LIMITS): Promise<WorkbookIndex> {
  try {
    return await boundInflated(file, limits);
  } catch (error) {
    if (error instanceof ZipProblem) throw new FileProblem(error.reason === 'inflatedSize' ? 'inflatedSize' : 'corrupt', error.message);
    if (error instanceof XlsxProblem) throw new FileProblem('corrupt', error.message);
    throw error;
  }
}

/**
 * Reads an XLSX file's data sheets (the instructions sheet and unknown sheets are skipped);
 * `checkXlsx` it first. The zip is opened by its central directory (yauzl); the shared strings and
 * the styles are read first, then each worksheet in the workbook's order, its XML streamed through
 * `xlsx-reader.ts` a row at a time (no object per row or cell but the cells a data row keeps).
 */
export async function readXlsx(file: string, index: WorkbookIndex, reader: SheetReader): Promise<void> {
  const zip = await yauzl.openPromise(file, { autoClose: false, strictFileNames: true, validateEntrySizes: true });
  const rows = new SheetRows(reader);
  try {
    const entries = new Map<string, yauzl.Entry>();
    for await (const entry of zip.eachEntry()) entries.set(entry.fileName, entry);
    const open = async (name: string) => {
      const entry = entries.get(name);
      return entry ? ((await zip.openReadStreamPromise(entry)) as AsyncIterable<Buffer>) : null;
    };
    await asXlsxProblem(async () => {
      const strings = await open(index.sharedStrings);
      const styles = await open(index.styles);
      const context = {
        strings: strings ? await readSharedStrings(strings) : [],
        dateStyles: styles ? await readDateStyles(styles) : new Uint8Array(0),
        date1904: index.date1904,
      };
      for (const { name, path } of index.sheets) {
        const sheet = name === HELP_SHEET ? null : sheetNamed(name);
        const stream = sheet ? await open(path) : null;
        if (!sheet || !stream) continue;
        rows.start(sheet);
        await readWorksheet(stream, context, rows.row);
      }
    });
  } catch (error) {
    if (error instanceof FileProblem) throw error;
    if (error instanceof XlsxProblem && error.reason === 'sharedStrings') throw new FileProblem('sharedStrings', error.message);
    throw new FileProblem('corrupt', (error as Error).message);
  } finally {
    zip.close();
  }
  if (rows.sheets === 0) throw new FileProblem('noSheets');
}

/** Turns a worksheet's rows into the reader's header and data rows; counts rows (all sheets) and sheets with a header. */
class SheetRows {
  rows = 0;
  sheets = 0;
  private sheet: SheetDef | null = null;
  private positions: number[] | null = null;

  constructor(private readonly reader: SheetReader) {}

  start(sheet: SheetDef): void {
    [this.sheet, this.positions] = [sheet, null];
  }

  readonly row = (rowNumber: number, values: readonly RawCell[]): void => {
    const sheet = this.sheet!;
    if (!this.positions) {
      // Row 1 names the columns; a sheet whose first row is not row 1 has no header.
      if (rowNumber !== 1) return;
      const found = positionsOf(sheet, values);
      this.positions = found.positions;
      this.sheets++;
      this.reader.header(sheet, this.positions, found.twice);
      return;
    }
    const cells = this.positions.map((p) => (p < 0 ? null : (values[p] ?? null)));
    if (cells.every((c) => c === null || (typeof c === 'string' && !c.trim()))) return;
    if (++this.rows > MAX_IMPORT_ROWS) throw new FileProblem('tooManyRows');
    this.reader.row(sheet, rowNumber, cells);
  };
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
