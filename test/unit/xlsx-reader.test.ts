import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SheetDef } from '../../server/modules/sheets/columns';
import { FileProblem, checkXlsx, readXlsx } from '../../server/modules/sheets/read-file';
import type { RawCell } from '../../server/modules/sheets/values';
import { MAX_SHARED_STRINGS, isDateFormat, readSharedStrings, workbookIndexOf } from '../../server/modules/sheets/xlsx-reader';
import { XmlError, XmlScanner } from '../../server/modules/sheets/xml-scan';
import { makeZip } from '../helpers/zips';

/*
 * Issue 21: the import's own XLSX reader — workbooks written by exceljs (shared strings, dates,
 * formulas, merged and empty cells, the 1904 date system, sheets found by name) and hand-made zips
 * for what exceljs does not write (inline and rich strings, phonetic runs, ISO date cells, cells
 * without references, prefixed tags, CDATA), and what it must refuse (a DTD and its entities, an
 * unknown entity, a shared string that is not in the table, a shared-string table past its bounds).
 */

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pantau-xlsx-reader-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

let files = 0;
async function fileOf(bytes: Buffer | ArrayBuffer): Promise<string> {
  const file = path.join(dir, `book-${++files}.xlsx`);
  await fs.writeFile(file, Buffer.from(bytes as ArrayBuffer));
  return file;
}

interface Read {
  headers: Map<string, number[]>;
  rows: { sheet: string; row: number; cells: RawCell[] }[];
}

/** Reads `file` as the import does (its zip checked first); the header positions and data rows. */
async function read(file: string): Promise<Read> {
  const out: Read = { headers: new Map(), rows: [] };
  await readXlsx(file, await checkXlsx(file), {
    header: (sheet: SheetDef, positions: number[]) => out.headers.set(sheet.name, positions),
    row: (sheet: SheetDef, row: number, cells: RawCell[]) => out.rows.push({ sheet: sheet.name, row, cells }),
  });
  return out;
}

const OPD_HEADER = ['Kode', 'Nama', 'Singkatan', 'Kepala', 'Leading Sector'];
const TONGGAK_HEADER = ['Kode Rencana Aksi', 'Kode', 'Judul', 'Tenggat', 'Tercapai'];

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe('the XLSX reader, on workbooks exceljs writes', () => {
  it('reads shared strings, numbers, booleans, dates, formulas by their cached value, rich text, merged and empty cells', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('Petunjuk').addRow(['Kode', 'Nama']).commit();
    book.addWorksheet('Lain').addRow(['Kode']).commit();
    const opd = book.addWorksheet('OPD');
    // Columns in another order than the template's, and one unknown.
    opd.addRow(['Nama', 'Catatan', 'Kode', 'Leading Sector', 'Singkatan']);
    opd.addRow([
      'Dinas Komunikasi & Informatika',
      'x',
      'KOM',
      true,
      { richText: [{ text: 'Dis' }, { text: 'kominfo', font: { bold: true } }] },
    ]);
    opd.addRow(['Dinas Kesehatan', null, 'KES', false, { formula: 'LEFT(A3,3)', result: 'Din' }]);
    opd.addRow([]);
    opd.addRow([null, 'hanya catatan']);
    opd.addRow(['Dinas Gabungan', null, 7, 'Ya', { formula: '1/0', result: { error: '#DIV/0!' } }]);
    opd.mergeCells('A6:B6');
    const tonggak = book.addWorksheet('Tonggak');
    tonggak.addRow(TONGGAK_HEADER);
    tonggak.addRow(['RA1', 'T1', 'Tonggak <satu> & "dua"', day('2025-08-17'), { formula: 'D2+1', result: 45_887 }]);
    tonggak.getCell('E2').numFmt = 'dd/mm/yyyy';
    tonggak.addRow(['RA1', 'T2', 'Tonggak\ndua', 45_887.5, null]);
    tonggak.getCell('D3').numFmt = 'mmm d, yyyy h:mm';
    tonggak.addRow(['RA1', 'T3', '  ', 45_887, '17/08/2025']);
    const r = await read(await fileOf(await book.xlsx.writeBuffer()));
    expect([...r.headers]).toEqual([
      ['OPD', [2, 0, 4, -1, 3]],
      ['Tonggak', [0, 1, 2, 3, 4]],
    ]);
    expect(r.rows).toEqual([
      { sheet: 'OPD', row: 2, cells: ['KOM', 'Dinas Komunikasi & Informatika', 'Diskominfo', null, true] },
      { sheet: 'OPD', row: 3, cells: ['KES', 'Dinas Kesehatan', 'Din', null, false] },
      { sheet: 'OPD', row: 6, cells: [7, 'Dinas Gabungan', { error: '#DIV/0!' }, null, 'Ya'] },
      { sheet: 'Tonggak', row: 2, cells: ['RA1', 'T1', 'Tonggak <satu> & "dua"', day('2025-08-17'), day('2025-08-18')] },
      { sheet: 'Tonggak', row: 3, cells: ['RA1', 'T2', 'Tonggak\ndua', new Date('2025-08-18T12:00:00Z'), null] },
      { sheet: 'Tonggak', row: 4, cells: ['RA1', 'T3', '  ', 45_887, '17/08/2025'] },
    ]);
  });

  it('reads dates of the 1904 date system as dates', async () => {
    const book = new ExcelJS.Workbook();
    book.properties.date1904 = true;
    const ws = book.addWorksheet('Tonggak');
    ws.addRow(TONGGAK_HEADER);
    ws.addRow(['RA1', 'T1', 'Satu', day('2025-08-17'), null]);
    const r = await read(await fileOf(await book.xlsx.writeBuffer()));
    expect(r.rows[0]!.cells[3]).toEqual(day('2025-08-17'));
  });

  it("reads the streaming writer's inline strings, and finds no masterplan sheet in a workbook without one", async () => {
    const file = path.join(dir, 'streamed.xlsx');
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: true });
    const ws = book.addWorksheet('OPD');
    ws.addRow(OPD_HEADER).commit();
    ws.addRow(['A', 'Dinas A', 'DA', 'Bu Ani', 'Tidak']).commit();
    ws.commit();
    await book.commit();
    expect((await read(file)).rows).toEqual([{ sheet: 'OPD', row: 2, cells: ['A', 'Dinas A', 'DA', 'Bu Ani', 'Tidak'] }]);
    const other = new ExcelJS.Workbook();
    other.addWorksheet('Lembar1').addRow(['Kode']);
    const error = await read(await fileOf(await other.xlsx.writeBuffer())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileProblem);
    expect((error as FileProblem).reason).toBe('noSheets');
  });
});

const CONTENT_TYPES = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A hand-made workbook: its sheets' XML (in `<sheetData>`), its shared strings and styles, as given. */
async function handMade(options: {
  sheets: { name: string; rows: string; prefix?: string }[];
  strings?: string;
  /** The shared strings stored, not deflated (a large table of empty entries deflates past the zip's ratio bound). */
  storeStrings?: boolean;
  styles?: string;
}): Promise<string> {
  const sheets = options.sheets.map((s, i) => ({ ...s, n: i + 1 }));
  const workbook = `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${REL}"><sheets>${sheets
    .map((s) => `<sheet name="${s.name}" sheetId="${s.n}" r:id="rId${s.n}"/>`)
    .join('')}</sheets></workbook>`;
  const rels = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets
    .map((s) => `<Relationship Id="rId${s.n}" Type="${REL}/worksheet" Target="/xl/worksheets/data${s.n}.xml"/>`)
    .join(
      '',
    )}<Relationship Id="rS" Type="${REL}/sharedStrings" Target="teks.xml"/><Relationship Id="rY" Type="${REL}/styles" Target="./gaya.xml"/></Relationships>`;
  const entries = [
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    { name: 'xl/workbook.xml', data: workbook },
    { name: 'xl/_rels/workbook.xml.rels', data: rels },
    ...sheets.map((s) => {
      const p = s.prefix ? `${s.prefix}:` : '';
      const ns = s.prefix ? `xmlns:${s.prefix}` : 'xmlns';
      return {
        name: `xl/worksheets/data${s.n}.xml`,
        data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<${p}worksheet ${ns}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><${p}sheetData>${s.rows}</${p}sheetData><${p}mergeCells count="1"><${p}mergeCell ref="A2:B2"/></${p}mergeCells></${p}worksheet>`,
      };
    }),
    ...(options.strings === undefined
      ? []
      : [{ name: 'xl/teks.xml', data: `<?xml version="1.0"?><sst>${options.strings}</sst>`, store: options.storeStrings }]),
    ...(options.styles === undefined
      ? []
      : [{ name: 'xl/gaya.xml', data: `<?xml version="1.0"?><styleSheet>${options.styles}</styleSheet>` }]),
  ];
  return fileOf(await makeZip(entries));
}

const HEADER_ROW = `<row r="1">${OPD_HEADER.map((h) => `<c t="inlineStr"><is><t>${h}</t></is></c>`).join('')}</row>`;
const TONGGAK_ROW = `<row r="1">${TONGGAK_HEADER.map((h, i) => `<c r="${'ABCDE'[i]}1" t="inlineStr"><is><t>${h}</t></is></c>`).join('')}</row>`;

describe('the XLSX reader, on hand-made workbooks', () => {
  it('reads inline and rich strings without their phonetic runs, entities, CDATA, cells and rows without references, prefixed tags', async () => {
    const file = await handMade({
      sheets: [
        {
          name: 'OPD',
          prefix: 'x',
          rows: `${HEADER_ROW.replace(/<(\/?)(row|c|is|t)\b/g, '<$1x:$2')}
            <x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:r><x:rPr><x:b/></x:rPr><x:t>K</x:t></x:r><x:r><x:t xml:space="preserve">OM </x:t></x:r><x:rPh sb="0" eb="1"><x:t>ケイ</x:t></x:rPh></x:is></x:c>
              <x:c r="B2" t="s"><x:v>0</x:v></x:c><x:c r="C2" t="s"><x:v>1</x:v></x:c><x:c r="D2" t="str"><x:v><![CDATA[Bu <Ani> & co]]></x:v></x:c></x:row>
            <x:row><x:c t="inlineStr"><x:is><x:t>A&amp;B &#233;&#x4E00; &lt;3&gt;</x:t></x:is></x:c><x:c t="s"><x:v> 2 </x:v></x:c></x:row>`,
        },
      ],
      strings:
        '<si><t>Dinas &quot;Kominfo&quot;</t><rPh sb="0" eb="2"><t>ディナス</t></rPh><phoneticPr fontId="1"/></si><si><r><t>Dis</t></r><r><rPr><i/></rPr><t>kominfo</t></r></si><si/>',
    });
    const r = await read(file);
    expect(r.rows).toEqual([
      { sheet: 'OPD', row: 2, cells: ['KOM ', 'Dinas "Kominfo"', 'Diskominfo', 'Bu <Ani> & co', null] },
      { sheet: 'OPD', row: 3, cells: ['A&B é一 <3>', '', null, null, null] },
    ]);
  });

  it('reads date styles (custom and built-in formats), ISO date cells, formulas by their cached value, booleans and errors', async () => {
    const styles =
      '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="&quot;Rp&quot;#,##0;[Red]-#,##0"/></numFmts>' +
      '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>' +
      '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="165"/><xf numFmtId="14"/><xf numFmtId="3"/></cellXfs>';
    const file = await handMade({
      sheets: [
        {
          name: 'Tonggak',
          rows: `${TONGGAK_ROW}
            <row r="2"><c r="A2"><v>45887</v></c><c r="B2" s="2"><v>45887</v></c><c r="C2" s="4"><v>1.5E3</v></c><c r="D2" s="1"><v>45887</v></c><c r="E2" s="3"><f>D2+1</f><v>45888</v></c></row>
            <row r="3"><c r="A3" t="b"><v>1</v></c><c r="B3" t="b"><f>FALSE()</f><v>0</v></c><c r="C3" t="e"><v>#N/A</v></c><c r="D3" t="d"><v>2025-08-17T00:00:00</v></c><c r="E3"><f>NOW()</f></c></row>
            <row r="4"><c r="A4" t="str"><f>"R"&amp;"A"</f><v>RA</v></c><c r="B4" t="s"><f>X</f><v>0</v></c><c r="C4"><f t="shared" si="0"/><v>12</v></c><c r="D4" s="9"><v>45887</v></c><c r="E4" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>`,
        },
      ],
      strings: '<si><t>T-1</t></si>',
      styles,
    });
    const r = await read(file);
    expect(r.rows).toEqual([
      { sheet: 'Tonggak', row: 2, cells: [45_887, 45_887, 1_500, day('2025-08-18'), day('2025-08-19')] },
      { sheet: 'Tonggak', row: 3, cells: [true, false, { error: '#N/A' }, day('2025-08-17'), { error: '—' }] },
      { sheet: 'Tonggak', row: 4, cells: ['RA', 'T-1', 12, 45_887, { error: '#DIV/0!' }] },
    ]);
    expect([isDateFormat('dd/mm/yyyy'), isDateFormat('"Rp"#,##0'), isDateFormat('[$-421]d mmmm yyyy'), isDateFormat('0.00%')]).toEqual([
      true,
      false,
      true,
      false,
    ]);
  });

  it('refuses a DTD and its entities (never expanded), an unknown entity, a missing shared string, a cell outside a row', async () => {
    const laughs =
      '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>' +
      '<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>';
    const cases = [
      await fileOf(
        await makeZip([
          { name: 'xl/workbook.xml', data: `<workbook xmlns:r="${REL}"><sheets><sheet name="OPD" r:id="a"/></sheets></workbook>` },
          {
            name: 'xl/_rels/workbook.xml.rels',
            data: '<Relationships><Relationship Id="a" Target="worksheets/sheet1.xml"/></Relationships>',
          },
          { name: 'xl/worksheets/sheet1.xml', data: laughs },
        ]),
      ),
      await handMade({ sheets: [{ name: 'OPD', rows: `${HEADER_ROW}<row r="2"><c t="inlineStr"><is><t>&nbsp;</t></is></c></row>` }] }),
      await handMade({
        sheets: [{ name: 'OPD', rows: `${HEADER_ROW}<row r="2"><c t="s"><v>3</v></c></row>` }],
        strings: '<si><t>a</t></si>',
      }),
      await handMade({ sheets: [{ name: 'OPD', rows: `${HEADER_ROW}<c t="s"><v>0</v></c>` }], strings: '<si><t>a</t></si>' }),
      await handMade({ sheets: [{ name: 'OPD', rows: `${HEADER_ROW}<row r="2"><c r="A2"><v>1</v></c` }] }),
    ];
    for (const file of cases) {
      const error = await read(file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FileProblem);
      expect((error as FileProblem).reason).toBe('corrupt');
    }
  });

  it('refuses a shared-string table larger than its bounds with its own reason', async () => {
    const file = await handMade({
      sheets: [{ name: 'OPD', rows: HEADER_ROW }],
      strings: '<si/>'.repeat(MAX_SHARED_STRINGS + 1),
      storeStrings: true,
    });
    const error = await read(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileProblem);
    expect((error as FileProblem).reason).toBe('sharedStrings');
    // Within the bounds, the table is read whole.
    const chunks = async function* () {
      yield Buffer.from('<sst><si><t>a</t></si><si><t>b');
      yield Buffer.from('c</t></si></sst>');
    };
    expect(await readSharedStrings(chunks())).toEqual(['a', 'bc']);
  });

  it("finds sheets through the workbook's relationships, absolute or relative", () => {
    const index = workbookIndexOf(
      Buffer.from(
        `<workbook xmlns:r="${REL}"><workbookPr date1904="true"/><sheets><sheet name="Rencana Aksi" sheetId="3" r:id="r2"/><sheet name="OPD" r:id="r1"/><sheet name="Bagan" r:id="r3"/></sheets></workbook>`,
      ),
      Buffer.from(
        `<Relationships><Relationship Id="r1" Type="${REL}/worksheet" Target="/xl/worksheets/sheet9.xml"/><Relationship Id="r2" Type="${REL}/worksheet" Target="worksheets/../worksheets/a.xml"/><Relationship Id="r3" Type="${REL}/chartsheet" Target="chartsheets/sheet1.xml"/></Relationships>`,
      ),
    );
    expect(index).toEqual({
      sheets: [
        { name: 'Rencana Aksi', path: 'xl/worksheets/a.xml' },
        { name: 'OPD', path: 'xl/worksheets/sheet9.xml' },
      ],
      date1904: true,
      sharedStrings: 'xl/sharedStrings.xml',
      styles: 'xl/styles.xml',
    });
  });
});

describe('the XML scanner', () => {
  /** Every event of `xml` fed in chunks of `size` bytes, as text. */
  function events(xml: string, size: number): string[] {
    const out: string[] = [];
    const scanner = new XmlScanner({
      open: (s) => out.push(`<${s.name()}${s.attr('a') === null ? '' : ` a=${s.attr('a')}`}${s.selfClosing ? '/' : ''}>`),
      close: (s) => out.push(`</${s.name()}>`),
      text: (s) => out.push(s.text()),
    });
    const bytes = Buffer.from(xml);
    for (let i = 0; i < bytes.length; i += size) scanner.write(bytes.subarray(i, i + size));
    scanner.end();
    return out;
  }

  it('gives the same tokens however the bytes are cut (multi-byte characters, entities, quoted >, CDATA, comments)', () => {
    const xml =
      '<?xml version="1.0"?><!-- a <comment> --><a a="x &gt; y \'>\'"><b a=\'é"\'/>teks é一 &amp; &#x1F600;<![CDATA[<raw> &amp;]]><c:d>x\r\ny</c:d></a>';
    const whole = events(xml, xml.length * 4);
    expect(whole).toEqual([`<a a=x > y '>'>`, '<b a=é"/>', 'teks é一 & 😀', '<raw> &amp;', '<c:d>', 'x\ny', '</c:d>', '</a>']);
    for (const size of [1, 2, 3, 5, 7]) expect(events(xml, size)).toEqual(whole);
  });

  it('refuses what is not well formed enough to read', () => {
    for (const xml of ['<a b=c/>', '<a <b>', '<!DOCTYPE a><a/>', '<a>&foo;</a>', '<a>&#0;</a>', '<a', '<>'])
      expect(() => events(xml, 3), xml).toThrow(XmlError);
  });
});
