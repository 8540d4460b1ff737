import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { HELP_SHEET, SHEETS, labelOf, type Column, type SheetDef } from './columns';
import { csvNumber, neutralise, type Value } from './values';

/*
 * Writes the masterplan workbook (template: no rows; export: the city's rows) with exceljs's
 * streaming writer, a row at a time, straight into the answer; and one sheet as CSV. Numbers and
 * dates are real cells; text that a spreadsheet would take for a formula gets a leading apostrophe.
 */

/** Where a sheet's rows come from: called once per data sheet, in workbook order. */
export type RowSource = (sheet: SheetDef) => AsyncIterable<readonly Value[]> | Iterable<readonly Value[]>;

type Validated = { dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void } };

/** Rows the drop-down lists and formats cover below the last written row. */
const SPARE_ROWS = 1_000;

/** A cell as the workbook holds it. */
function cellOf(column: Column, value: Value): ExcelJS.CellValue {
  if (value === null) return null;
  switch (column.kind) {
    case 'date':
      return new Date(`${String(value)}T00:00:00Z`);
    case 'number':
    case 'money':
    case 'year':
      return Number(value);
    case 'yesNo':
      return value === true ? 'Ya' : 'Tidak';
    case 'choice':
      return labelOf(column.choices ?? [], String(value));
    default:
      return neutralise(String(value));
  }
}

/** The text of a CSV cell. */
function csvTextOf(column: Column, value: Value): string {
  if (value === null) return '';
  if (column.kind === 'number' || column.kind === 'money') return csvNumber(Number(value));
  const cell = cellOf(column, value);
  return typeof cell === 'string' ? cell : String(value);
}

/** A CSV field, quoted when it must be. */
function csvField(text: string): string {
  return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function quoteSheet(name: string): string {
  return /^[A-Za-z0-9_]+$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** The drop-down list of a column, if it has one. */
function validationOf(column: Column, lastRow: number): ExcelJS.DataValidation | null {
  const list = (formula: string): ExcelJS.DataValidation => ({
    type: 'list',
    allowBlank: !column.required,
    formulae: [formula],
    showErrorMessage: column.kind !== 'refList',
    errorStyle: 'warning',
    error: 'Pilih salah satu nilai dari daftar.',
  });
  if (column.kind === 'yesNo' || column.kind === 'choice') return list(`"${(column.choices ?? []).map((c) => c.label).join(',')}"`);
  if (column.kind === 'ref' && column.refSheet) {
    const target = SHEETS.find((s) => s.name === column.refSheet)!;
    const at = columnLetter(target.columns.findIndex((c) => c.key === 'code'));
    return list(`${quoteSheet(target.name)}!$${at}$2:$${at}$${lastRow}`);
  }
  return null;
}

function writeHelp(book: ExcelJS.stream.xlsx.WorkbookWriter): void {
  const ws = book.addWorksheet(HELP_SHEET);
  ws.columns = [{ width: 16 }, { width: 22 }, { width: 10 }, { width: 100 }];
  const lines: (string | null)[][] = [
    ['Petunjuk pengisian masterplan'],
    ['Isi lembar OPD, Program, Rencana Aksi, Indikator dan Tonggak; baris pertama tiap lembar adalah judul kolom, jangan diubah.'],
    [
      'Kolom Kode adalah kunci baris: kode yang sudah ada mengubah data itu, kode baru menambah data. Baris yang tidak ada di berkas dibiarkan, kecuali Anda memilih "arsipkan yang tidak ada".',
    ],
    [
      'Angka ditulis seperti biasa: 1.234,5 atau Rp 1.500.000 atau 45%. Tanggal: 17/08/2025, 17 Agustus 2025, atau sel tanggal Excel. Rumus boleh dipakai: yang dibaca adalah hasilnya.',
    ],
    [
      'Periksa dulu (uji coba): semua masalah ditampilkan dengan lembar, baris dan kolomnya, dan tidak ada yang disimpan. Berkas yang sama boleh diimpor berkali-kali.',
    ],
    [],
    ['Lembar', 'Kolom', 'Wajib', 'Isi'],
  ];
  for (const sheet of SHEETS) {
    lines.push([sheet.name, null, null, sheet.about]);
    for (const c of sheet.columns) lines.push([sheet.name, c.header, c.required ? 'Ya' : 'Tidak', c.help]);
  }
  lines.forEach((line, i) => {
    const row = ws.addRow(line);
    if (i === 0 || i === 6) row.font = { bold: true };
    row.alignment = { wrapText: true, vertical: 'top' };
    row.commit();
  });
  ws.commit();
}

/**
 * Writes the workbook into `out`: the `Petunjuk` sheet, then every data sheet with the rows of
 * `rows` (none for the template). Resolves once the last byte is handed to `out`.
 */
export async function writeWorkbook(out: Writable, rows: RowSource | null): Promise<void> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  book.creator = 'Pantau';
  writeHelp(book);
  for (const sheet of SHEETS) {
    const ws = book.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = sheet.columns.map((c) => ({
      key: c.key,
      width: c.width,
      ...(c.kind === 'date' ? { style: { numFmt: 'dd/mm/yyyy' } } : c.kind === 'money' ? { style: { numFmt: '#,##0' } } : {}),
    }));
    const header = ws.addRow(sheet.columns.map((c) => c.header));
    header.font = { bold: true };
    header.commit();
    let written = 0;
    if (rows) {
      for await (const values of rows(sheet)) {
        ws.addRow(sheet.columns.map((c, i) => cellOf(c, values[i] ?? null))).commit();
        written++;
      }
    }
    const last = written + 1 + SPARE_ROWS;
    sheet.columns.forEach((c, i) => {
      const validation = validationOf(c, last);
      const letter = columnLetter(i);
      // The streaming writer has them (exceljs's types do not say so).
      if (validation) (ws as unknown as Validated).dataValidations.add(`${letter}2:${letter}${last}`, validation);
    });
    ws.commit();
  }
  await book.commit();
}

/** One sheet as CSV (UTF-8 with a byte-order mark, comma-separated, CRLF), written into `out`. */
export async function writeCsv(out: Writable, sheet: SheetDef, rows: Iterable<readonly Value[]> | null): Promise<void> {
  const write = async (text: string) => {
    if (!out.write(text)) await new Promise((resolve) => out.once('drain', resolve));
  };
  await write(`\ufeff${sheet.columns.map((c) => csvField(c.header)).join(',')}\r\n`);
  let batch = '';
  for (const values of rows ?? []) {
    batch += `${sheet.columns.map((c, i) => csvField(csvTextOf(c, values[i] ?? null))).join(',')}\r\n`;
    if (batch.length > 64 * 1024) {
      await write(batch);
      batch = '';
    }
  }
  if (batch) await write(batch);
  out.end();
}
