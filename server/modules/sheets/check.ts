import { setImmediate as nextTurn } from 'node:timers/promises';
import { entityLabel, t, type MessageKey } from '../../i18n';
import { rowKey, type CityRows, type StoredRow } from './city-rows';
import { SHEETS, type Column, type SheetDef, type SheetName } from './columns';
import type { SheetReader } from './read-file';
import { readCell, type CellProblem, type RawCell, type Value } from './values';

/*
 * The check of an import: every cell read for its column, then the rules across cells, rows and
 * sheets (keys unique in a sheet, references that name a row of the file or of the city, due not
 * before start, a quick win's year, OPD names unique), then what each sound row would do to the
 * city: create, update, leave unchanged — and, asked to, what would be archived. Every problem is
 * listed with its sheet, row and column; nothing is written here.
 */

/** One problem, as the import answers it. */
export interface ImportProblem {
  sheet: string;
  row: number | null;
  column: string | null;
  code: string;
  message: string;
}

/** Most problems listed; past it one more says there are more. */
export const MAX_PROBLEMS = 20_000;

/** A data row of the file. */
interface FileRow {
  row: number;
  values: Value[];
  bad: boolean;
  /** Columns whose cell could not be read (no further rule looks at them); null: none. */
  unread: Set<number> | null;
}

/** A sheet of the file. */
export interface FileSheet {
  def: SheetDef;
  rows: FileRow[];
  /** Columns the file does not have: their stored values are kept. */
  missing: Set<number>;
}

/** What one row does. */
export interface Operation {
  kind: 'create' | 'update';
  values: Value[];
  stored: StoredRow | null;
}

/** The outcome of the check. */
export interface ImportPlan {
  problems: ImportProblem[];
  operations: Map<SheetName, Operation[]>;
  archive: Map<SheetName, StoredRow[]>;
  unchanged: Map<SheetName, number>;
}

const CELL_MESSAGES: Record<CellProblem, MessageKey> = {
  required: 'importRequired',
  tooLong: 'importTooLong',
  number: 'importNumber',
  notNegative: 'importNotNegative',
  positive: 'importPositive',
  whole: 'importWhole',
  date: 'importDate',
  year: 'importYear',
  choice: 'importChoice',
  formulaError: 'importFormulaError',
};

/** The values a column takes when left empty. */
const DEFAULTS: Record<string, Value> = { weight: 1, status: 'ACTIVE', direction: 'INCREASE', leadingSector: false, quickWin: false };

const col = (def: SheetDef, key: string) => def.columns.findIndex((c) => c.key === key);
const shown = (raw: RawCell): string =>
  raw === null ? '' : raw instanceof Date ? raw.toISOString().slice(0, 10) : typeof raw === 'object' ? raw.error : String(raw).slice(0, 80);

/** Collects the file's rows as the reader reads them; `finish` checks them against the city. */
export class ImportCheck implements SheetReader {
  readonly problems: ImportProblem[] = [];
  readonly sheets = new Map<SheetName, FileSheet>();
  private more = false;
  /** The texts of the columns whose values repeat (references, dates, choices) read so far, each kept once. */
  private readonly texts = new Map<string, string>();
  rowsRead = 0;

  /**
   * A text value copied out of the string it was cut from (V8 keeps a substring's parent, a whole
   * chunk of the sheet's XML, alive as long as the substring, and a file's rows are kept until
   * written); in a column whose values repeat, one copy shared by the rows that have it.
   */
  private flat(v: Value, column: Column): Value {
    if (typeof v !== 'string' || v.length >= 64) return v;
    const known = this.texts.get(v);
    if (known !== undefined) return known;
    const copy = JSON.parse(JSON.stringify(v)) as string;
    if (column.kind !== 'code' && column.kind !== 'text' && this.texts.size < 50_000) this.texts.set(copy, copy);
    return copy;
  }

  problem(
    sheet: string,
    row: number | null,
    column: string | null,
    code: string,
    key: MessageKey,
    params: Record<string, string | number> = {},
  ): void {
    if (this.problems.length >= MAX_PROBLEMS) {
      this.more = true;
      return;
    }
    this.problems.push({ sheet, row, column, code, message: t(key, params) });
  }

  header(def: SheetDef, positions: number[], twice: string[]): void {
    const missing = new Set<number>();
    def.columns.forEach((c, i) => {
      if (positions[i]! >= 0) return;
      missing.add(i);
      if (c.required) this.problem(def.name, 1, c.header, 'headerMissing', 'importHeaderMissing', { column: c.header });
    });
    for (const h of twice) this.problem(def.name, 1, h, 'headerTwice', 'importHeaderTwice', { column: h });
    this.sheets.set(def.name, { def, rows: [], missing });
  }

  row(def: SheetDef, rowNumber: number, cells: RawCell[]): void {
    const sheet = this.sheets.get(def.name)!;
    this.rowsRead++;
    let unread: Set<number> | null = null;
    const values = def.columns.map((c, i) => {
      if (sheet.missing.has(i)) return c.required ? null : (DEFAULTS[c.key] ?? null);
      const read = readCell(c, cells[i] ?? null);
      if ('value' in read) return read.value ?? DEFAULTS[c.key] ?? null;
      (unread ??= new Set()).add(i);
      this.problem(def.name, rowNumber, c.header, read.problem, CELL_MESSAGES[read.problem], {
        value: shown(cells[i] ?? null),
        max: c.max ?? 40,
        choices: (c.choices ?? []).map((x) => x.label).join(', '),
      });
      return null;
    });
    for (let i = 0; i < values.length; i++) values[i] = this.flat(values[i]!, def.columns[i]!);
    sheet.rows.push({ row: rowNumber, values, bad: unread !== null, unread });
  }

  /**
   * Checks the rows across the file and the city, and works out what each would do; yields to the
   * event loop every few thousand rows (100,000 rows are seconds of work on a busy machine).
   */
  async finish(stored: CityRows, archiveMissing: boolean): Promise<ImportPlan> {
    const keys = await this.checkKeys();
    await this.checkRefs(stored, keys);
    await this.checkRows(stored, keys);
    const plan: ImportPlan = {
      problems: this.problems,
      operations: new Map(),
      archive: new Map(),
      unchanged: new Map(),
    };
    for (const [name, sheet] of this.sheets) {
      await this.classify(plan, sheet, stored.bySheet.get(name)!, keys.get(name)!, archiveMissing);
      // The plan holds what it needs: the file's rows can go.
      sheet.rows = [];
    }
    if (this.more)
      this.problems.push({
        sheet: '',
        row: null,
        column: null,
        code: 'tooManyProblems',
        message: t('importTooManyErrors', { max: MAX_PROBLEMS }),
      });
    return plan;
  }

  /** Keys unique within each sheet; returns each sheet's keys (with the row that has it). */
  private async checkKeys(): Promise<Map<SheetName, Map<string, FileRow>>> {
    const all = new Map<SheetName, Map<string, FileRow>>();
    for (const [name, sheet] of this.sheets) {
      const seen = new Map<string, FileRow>();
      for (const r of sheet.rows) {
        await breathe();
        const code = r.values[col(sheet.def, 'code')];
        if (code === null) continue;
        const key = rowKey(sheet.def, r.values);
        const first = seen.get(key);
        if (first) {
          r.bad = true;
          this.problem(name, r.row, 'Kode', 'duplicateKey', 'importDuplicateKey', { code: String(code), row: first.row });
        } else seen.set(key, r);
      }
      all.set(name, seen);
    }
    return all;
  }

  /** Every reference names a row of the file or a live row of the city (an unambiguous one, for plans). */
  private async checkRefs(stored: CityRows, keys: Map<SheetName, Map<string, FileRow>>): Promise<void> {
    const known = (target: SheetName, code: string): { ok: true } | { key: MessageKey; problem: string } => {
      if (keys.get(target)?.has(code)) return { ok: true };
      if (target === 'Rencana Aksi' && stored.ambiguousPlans.has(code)) return { key: 'importAmbiguousPlan', problem: 'ambiguousPlan' };
      const row = stored.bySheet.get(target)!.get(code);
      if (!row) return { key: 'importUnknownRef', problem: 'unknownRef' };
      return row.archived ? { key: 'importArchivedRef', problem: 'archivedRef' } : { ok: true };
    };
    for (const [name, sheet] of this.sheets) {
      for (const [i, c] of sheet.def.columns.entries()) {
        if ((c.kind !== 'ref' && c.kind !== 'refList') || !c.refSheet) continue;
        for (const r of sheet.rows) {
          await breathe();
          const v = r.values[i];
          if (v === null || v === undefined) continue;
          for (const code of c.kind === 'refList' ? String(v).split('; ') : [String(v)]) {
            const verdict = known(c.refSheet, code);
            if ('ok' in verdict) continue;
            r.bad = true;
            const entity = SHEETS.find((s) => s.name === c.refSheet)!.entity;
            this.problem(name, r.row, c.header, verdict.problem, verdict.key, { code, sheet: c.refSheet, entity: entityLabel(entity) });
          }
        }
      }
      if (name === 'Rencana Aksi')
        for (const r of sheet.rows) {
          const code = r.values[0];
          if (code !== null && stored.ambiguousPlans.has(String(code))) {
            r.bad = true;
            this.problem(name, r.row, 'Kode', 'ambiguousPlan', 'importAmbiguousPlan', { code: String(code) });
          }
        }
    }
  }

  /** Rules within a row, and OPD names unique in the city. */
  private async checkRows(stored: CityRows, keys: Map<SheetName, Map<string, FileRow>>): Promise<void> {
    const plans = this.sheets.get('Rencana Aksi');
    for (const r of plans?.rows ?? []) {
      await breathe();
      const [start, due, owner, support] = ['startDate', 'dueDate', 'ownerOpd', 'supportingOpds'].map((k) => r.values[col(plans!.def, k)]);
      if (start && due && String(due) < String(start)) {
        r.bad = true;
        this.problem('Rencana Aksi', r.row, 'Tenggat', 'dueBeforeStart', 'importDueBeforeStart');
      }
      if (owner && support && String(support).split('; ').includes(String(owner))) {
        r.bad = true;
        this.problem('Rencana Aksi', r.row, 'OPD Pendukung', 'ownerSupporting', 'importOwnerSupporting');
      }
    }
    const programs = this.sheets.get('Program');
    for (const r of programs?.rows ?? []) {
      const i = col(programs!.def, 'quickWinYear');
      if (r.values[col(programs!.def, 'quickWin')] === true && r.values[i] === null && !programs!.missing.has(i) && !r.unread?.has(i)) {
        r.bad = true;
        this.problem('Program', r.row, 'Tahun Quick Win', 'quickWinYear', 'importQuickWinYear');
      }
    }
    const opds = this.sheets.get('OPD');
    if (!opds || opds.missing.has(1)) return;
    // A name belongs to the code that has it after the import: the file's rows, then the city's others.
    const owner = new Map<string, string>();
    for (const [code, row] of stored.bySheet.get('OPD')!) if (!keys.get('OPD')!.has(code)) owner.set(String(row.values[1]), code);
    for (const r of opds.rows) {
      const [code, name] = [r.values[0], r.values[1]];
      if (code === null || name === null) continue;
      const other = owner.get(String(name));
      if (other !== undefined && other !== code) {
        r.bad = true;
        this.problem('OPD', r.row, 'Nama', 'duplicateName', 'importDuplicateName', { value: String(name), code: other });
      } else owner.set(String(name), String(code));
    }
  }

  private async classify(
    plan: ImportPlan,
    sheet: FileSheet,
    stored: Map<string, StoredRow>,
    keys: Map<string, FileRow>,
    archiveMissing: boolean,
  ): Promise<void> {
    const ops: Operation[] = [];
    let unchanged = 0;
    for (const r of sheet.rows) {
      await breathe();
      if (r.bad) continue;
      const before = stored.get(rowKey(sheet.def, r.values)) ?? null;
      // Columns the file lacks keep what is stored.
      const values = before ? r.values.map((v, i) => (sheet.missing.has(i) ? before.values[i]! : v)) : r.values;
      if (sheet.def.name === 'Program' && values[col(sheet.def, 'quickWin')] !== true) values[col(sheet.def, 'quickWinYear')] = null;
      if (!before) ops.push({ kind: 'create', values, stored: null });
      else if (before.archived || values.some((v, i) => !same(v, before.values[i] ?? null)))
        ops.push({ kind: 'update', values, stored: before });
      else unchanged++;
    }
    plan.operations.set(sheet.def.name, ops);
    plan.unchanged.set(sheet.def.name, unchanged);
    plan.archive.set(sheet.def.name, archiveMissing ? [...stored].filter(([k, r]) => !r.archived && !keys.has(k)).map(([, r]) => r) : []);
  }
}

let steps = 0;
/** A turn of the event loop for everyone else every 2,000 rows looked at. */
function breathe(): Promise<void> | void {
  if (++steps % 2_000 === 0) return nextTurn();
}

function same(a: Value, b: Value): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
  return a === b;
}
