import { ActionPlanStatus, BudgetSource } from '../action-plans/action-plan.entity';
import { IndicatorDirection, IndicatorFrequency } from '../action-plans/indicator.entity';
import { DIMENSIONS, dimensionLabel } from '../masterplan/dimension';

/*
 * The masterplan spreadsheets, in one place: the sheets, their columns in order, what each column
 * holds and how it is explained. The template, the export, the CSV files, the import and the
 * instructions sheet (`Petunjuk`) are all made from these definitions.
 */

/** What a column holds, which says how a cell is read and written. */
export type ColumnKind =
  | 'code' // the row's key: text, at most 40 characters, no spaces at the ends
  | 'text'
  | 'number'
  | 'money' // whole rupiah
  | 'date'
  | 'year'
  | 'yesNo'
  | 'choice' // one of `choices`
  | 'ref' // the code of a row of another sheet (`refSheet`)
  | 'refList'; // codes of rows of another sheet, separated by `;`

/** One allowed value of a choice column: what is stored, what is written, what else is read as it. */
export interface Choice {
  value: string;
  label: string;
  aliases: readonly string[];
}

/** One column of a sheet. */
export interface Column {
  /** The field it fills (stable; never shown). */
  key: string;
  /** Its header in row 1. */
  header: string;
  kind: ColumnKind;
  required: boolean;
  /** Longest text. */
  max?: number;
  choices?: readonly Choice[];
  /** The sheet whose `Kode` a `ref`/`refList` column names. */
  refSheet?: SheetName;
  /** What it means and how to fill it, in Indonesian (the `Petunjuk` sheet). */
  help: string;
  /** Column width in characters. */
  width: number;
}

export const SHEET_NAMES = ['OPD', 'Program', 'Rencana Aksi', 'Indikator', 'Tonggak'] as const;
/** The name of a data sheet (also its CSV file name). */
export type SheetName = (typeof SHEET_NAMES)[number];
/** The name of the instructions sheet, first in the workbook; never imported. */
export const HELP_SHEET = 'Petunjuk';

/** A data sheet. */
export interface SheetDef {
  name: SheetName;
  /** The entity of its rows (audit and i18n name). */
  entity: 'Opd' | 'Program' | 'ActionPlan' | 'Indicator' | 'Milestone';
  /** What a row is, for the instructions. */
  about: string;
  columns: readonly Column[];
}

const YES = ['ya', 'y', 'yes', 'true', '1', 'benar'];
const NO = ['tidak', 't', 'no', 'n', 'false', '0', 'salah', 'bukan'];
/** The yes/no choice (quick win, leading sector). */
export const YES_NO: readonly Choice[] = [
  { value: 'true', label: 'Ya', aliases: YES },
  { value: 'false', label: 'Tidak', aliases: NO },
];

const dimensionChoices: readonly Choice[] = DIMENSIONS.map((d) => ({
  value: d,
  label: dimensionLabel(d, 'id'),
  aliases: [d, dimensionLabel(d, 'en'), dimensionLabel(d, 'en').replace(/^Smart /, '')],
}));

const statusChoices: readonly Choice[] = [
  { value: ActionPlanStatus.ACTIVE, label: 'Aktif', aliases: ['ACTIVE', 'active', 'berjalan'] },
  { value: ActionPlanStatus.ON_HOLD, label: 'Ditunda', aliases: ['ON_HOLD', 'on hold', 'tunda'] },
  { value: ActionPlanStatus.CANCELLED, label: 'Dibatalkan', aliases: ['CANCELLED', 'cancelled', 'batal'] },
];

const budgetChoices: readonly Choice[] = Object.values(BudgetSource).map((s) => ({
  value: s,
  label:
    s === BudgetSource.APBD_PROVINSI ? 'APBD Provinsi' : s === BudgetSource.LAINNYA ? 'Lainnya' : s === BudgetSource.SWASTA ? 'Swasta' : s,
  aliases: [s, s.replace('_', ' ')],
}));

const directionChoices: readonly Choice[] = [
  { value: IndicatorDirection.INCREASE, label: 'Naik', aliases: ['INCREASE', 'increase', 'up', 'meningkat'] },
  { value: IndicatorDirection.DECREASE, label: 'Turun', aliases: ['DECREASE', 'decrease', 'down', 'menurun'] },
];

const frequencyChoices: readonly Choice[] = [
  { value: IndicatorFrequency.MONTHLY, label: 'Bulanan', aliases: ['MONTHLY', 'monthly'] },
  { value: IndicatorFrequency.QUARTERLY, label: 'Triwulanan', aliases: ['QUARTERLY', 'quarterly', 'kuartalan'] },
  { value: IndicatorFrequency.YEARLY, label: 'Tahunan', aliases: ['YEARLY', 'yearly'] },
];

const code = (what: string): Column => ({
  key: 'code',
  header: 'Kode',
  kind: 'code',
  required: true,
  max: 40,
  help: `Kunci baris: kode unik ${what}. Baris dengan kode yang sudah ada mengubah data itu; kode baru menambah data baru. Jangan ubah kode data yang sudah ada.`,
  width: 16,
});
const planRef: Column = {
  key: 'plan',
  header: 'Kode Rencana Aksi',
  kind: 'ref',
  refSheet: 'Rencana Aksi',
  required: true,
  help: 'Kode rencana aksi pemiliknya (kolom Kode pada lembar Rencana Aksi, atau rencana aksi yang sudah ada).',
  width: 18,
};

/** The data sheets, in workbook order. */
export const SHEETS: readonly SheetDef[] = [
  {
    name: 'OPD',
    entity: 'Opd',
    about: 'Satu baris per OPD (organisasi perangkat daerah).',
    columns: [
      code('OPD di kota ini, misalnya singkatannya ("Diskominfo")'),
      { key: 'name', header: 'Nama', kind: 'text', required: true, max: 200, help: 'Nama lengkap OPD.', width: 40 },
      {
        key: 'abbreviation',
        header: 'Singkatan',
        kind: 'text',
        required: true,
        max: 40,
        help: 'Nama singkat, misalnya "Dinkes".',
        width: 16,
      },
      { key: 'head', header: 'Kepala', kind: 'text', required: false, max: 200, help: 'Nama kepala OPD (boleh kosong).', width: 28 },
      {
        key: 'leadingSector',
        header: 'Leading Sector',
        kind: 'yesNo',
        choices: YES_NO,
        required: false,
        help: 'Ya bila OPD ini leading sector program smart city (biasanya Diskominfo); kosong berarti Tidak.',
        width: 14,
      },
    ],
  },
  {
    name: 'Program',
    entity: 'Program',
    about: 'Satu baris per program masterplan, dalam salah satu dari enam dimensi.',
    columns: [
      code('program di kota ini, misalnya "GOV-DATA"'),
      { key: 'name', header: 'Nama', kind: 'text', required: true, max: 300, help: 'Nama program.', width: 40 },
      {
        key: 'dimension',
        header: 'Dimensi',
        kind: 'choice',
        choices: dimensionChoices,
        required: true,
        help: `Salah satu dimensi: ${dimensionChoices.map((c) => c.label).join(', ')}.`,
        width: 24,
      },
      {
        key: 'description',
        header: 'Deskripsi',
        kind: 'text',
        required: false,
        max: 10_000,
        help: 'Uraian program (boleh kosong).',
        width: 40,
      },
      {
        key: 'quickWin',
        header: 'Quick Win',
        kind: 'yesNo',
        choices: YES_NO,
        required: false,
        help: 'Ya bila program ini quick win; kosong berarti Tidak.',
        width: 11,
      },
      {
        key: 'quickWinYear',
        header: 'Tahun Quick Win',
        kind: 'year',
        required: false,
        help: 'Tahun program dipilih sebagai quick win (wajib bila Quick Win = Ya), misalnya 2024.',
        width: 15,
      },
    ],
  },
  {
    name: 'Rencana Aksi',
    entity: 'ActionPlan',
    about: 'Satu baris per rencana aksi, di bawah satu program, dimiliki satu OPD.',
    columns: [
      code('rencana aksi di kota ini, misalnya "GOV-03"'),
      {
        key: 'program',
        header: 'Kode Program',
        kind: 'ref',
        refSheet: 'Program',
        required: true,
        help: 'Kode program induknya (lembar Program). Dimensi rencana aksi mengikuti programnya.',
        width: 16,
      },
      { key: 'title', header: 'Judul', kind: 'text', required: true, max: 300, help: 'Judul rencana aksi.', width: 40 },
      { key: 'description', header: 'Deskripsi', kind: 'text', required: false, max: 10_000, help: 'Uraian (boleh kosong).', width: 40 },
      {
        key: 'ownerOpd',
        header: 'OPD Pemilik',
        kind: 'ref',
        refSheet: 'OPD',
        required: true,
        help: 'Kode OPD penanggung jawab (lembar OPD); pilih dari daftar.',
        width: 16,
      },
      {
        key: 'supportingOpds',
        header: 'OPD Pendukung',
        kind: 'refList',
        refSheet: 'OPD',
        required: false,
        help: 'Kode OPD pendukung, dipisah titik koma (;), misalnya "Dinkes; Bappelitbang". Boleh kosong; bukan OPD pemilik.',
        width: 24,
      },
      {
        key: 'startDate',
        header: 'Mulai',
        kind: 'date',
        required: true,
        help: 'Tanggal mulai, misalnya 17/08/2025 atau 17 Agustus 2025.',
        width: 13,
      },
      {
        key: 'dueDate',
        header: 'Tenggat',
        kind: 'date',
        required: true,
        help: 'Tanggal target selesai; tidak sebelum tanggal mulai.',
        width: 13,
      },
      {
        key: 'weight',
        header: 'Bobot',
        kind: 'number',
        required: false,
        help: 'Bobot dalam rekap program, dimensi dan kota; lebih dari 0 (kosong berarti 1). Desimal memakai koma: 1,5.',
        width: 9,
      },
      {
        key: 'budgetAmount',
        header: 'Anggaran (Rp)',
        kind: 'money',
        required: false,
        help: 'Anggaran dalam rupiah utuh, misalnya 1.500.000 atau Rp 1.500.000 (boleh kosong).',
        width: 18,
      },
      {
        key: 'budgetSource',
        header: 'Sumber Anggaran',
        kind: 'choice',
        choices: budgetChoices,
        required: false,
        help: `Sumber dana: ${budgetChoices.map((c) => c.label).join(', ')} (boleh kosong).`,
        width: 16,
      },
      {
        key: 'status',
        header: 'Status',
        kind: 'choice',
        choices: statusChoices,
        required: false,
        help: 'Aktif, Ditunda atau Dibatalkan (kosong berarti Aktif). Progres tidak diisi di sini: ia datang dari laporan OPD.',
        width: 12,
      },
    ],
  },
  {
    name: 'Indikator',
    entity: 'Indicator',
    about: 'Satu baris per indikator sebuah rencana aksi.',
    columns: [
      planRef,
      code('indikator dalam rencana aksinya, misalnya "I1"'),
      { key: 'name', header: 'Nama', kind: 'text', required: true, max: 300, help: 'Nama indikator.', width: 40 },
      {
        key: 'unit',
        header: 'Satuan',
        kind: 'text',
        required: true,
        max: 60,
        help: 'Satuan, misalnya "%", "aplikasi", "pengguna".',
        width: 14,
      },
      {
        key: 'baseline',
        header: 'Nilai Awal',
        kind: 'number',
        required: true,
        help: 'Nilai awal (baseline). Desimal memakai koma: 12,5; 45% juga boleh.',
        width: 12,
      },
      { key: 'target', header: 'Target', kind: 'number', required: true, help: 'Nilai target.', width: 12 },
      {
        key: 'direction',
        header: 'Arah',
        kind: 'choice',
        choices: directionChoices,
        required: false,
        help: 'Naik bila nilai yang lebih tinggi lebih baik, Turun bila sebaliknya (kosong berarti Naik).',
        width: 9,
      },
      {
        key: 'frequency',
        header: 'Frekuensi',
        kind: 'choice',
        choices: frequencyChoices,
        required: false,
        help: 'Seberapa sering diukur: Bulanan, Triwulanan atau Tahunan (boleh kosong).',
        width: 12,
      },
    ],
  },
  {
    name: 'Tonggak',
    entity: 'Milestone',
    about: 'Satu baris per tonggak capaian sebuah rencana aksi.',
    columns: [
      planRef,
      code('tonggak dalam rencana aksinya, misalnya "T1"'),
      { key: 'title', header: 'Judul', kind: 'text', required: true, max: 300, help: 'Apa yang dicapai.', width: 40 },
      { key: 'dueDate', header: 'Tenggat', kind: 'date', required: true, help: 'Tanggal target.', width: 13 },
      { key: 'doneDate', header: 'Tercapai', kind: 'date', required: false, help: 'Tanggal tercapai; kosong selama belum.', width: 13 },
    ],
  },
];

/** A data sheet by name (exact, then ignoring case and spaces); null for any other name. */
export function sheetNamed(name: string): SheetDef | null {
  const squash = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');
  return SHEETS.find((s) => s.name === name) ?? SHEETS.find((s) => squash(s.name) === squash(name)) ?? null;
}

/** The choice a cell names (its label, value or an alias, ignoring case and spaces at the ends); null if none. */
export function choiceOf(choices: readonly Choice[], text: string): Choice | null {
  const t = text.trim().toLowerCase();
  return (
    choices.find((c) => c.label.toLowerCase() === t || c.value.toLowerCase() === t || c.aliases.some((a) => a.toLowerCase() === t)) ?? null
  );
}

/** The label written for a stored value (the value itself when it is not one of the choices). */
export function labelOf(choices: readonly Choice[], value: string): string {
  return choices.find((c) => c.value === value)?.label ?? value;
}
