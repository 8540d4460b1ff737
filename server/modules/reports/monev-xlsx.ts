import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { ActionPlanState } from '../action-plans/state';
import type { MonevReport, ReportLink } from './monev-data';
import { reportWords, type ReportWordKey, type ReportWords } from './words';

/*
 * The monev report as an XLSX workbook, written with exceljs's streaming writer (each row is
 * committed, i.e. written out, as soon as it is added), one sheet per section. Every text cell a
 * spreadsheet could read as a formula (starting with =, +, -, @, a tab or a carriage return, or
 * their full-width forms) gets a leading apostrophe; numbers stay numbers.
 */

const FORMULA_START = /^[\s]*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

/** A text cell a spreadsheet will never run: formula-like text gets a leading apostrophe. */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

type Cell = string | number | null;
/** A sheet's header and rows. */
type SheetContent = [head: string[], rows: Iterable<Cell[]>];

function clean(value: Cell): Cell {
  return typeof value === 'string' ? neutralise(value) : value;
}

function linksText(links: readonly ReportLink[]): string {
  return links.map((l) => `${l.title} <${l.href}>`).join('\n');
}

/** A worksheet's name: none of the characters Excel forbids there, at most 31 characters. */
function sheetName(title: string): string {
  return title.replace(/\s*[*?:\\/[\]]\s*/g, ' - ').slice(0, 31);
}

/** One sheet: a header row (bold, frozen) and rows, each written out as it is added. */
function sheet(
  book: ExcelJS.stream.xlsx.WorkbookWriter,
  w: ReportWords,
  name: ReportWordKey,
  head: string[],
  rows: Iterable<Cell[]>,
): void {
  const ws = book.addWorksheet(sheetName(w.w(name)), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = head.map((h) => ({ header: neutralise(h), width: Math.min(60, Math.max(12, h.length + 4)) }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  for (const row of rows) ws.addRow(row.map(clean)).commit();
  ws.commit();
}

/** Writes the report's workbook to `stream` (and ends it). */
export async function writeMonevXlsx(report: MonevReport, stream: Writable): Promise<void> {
  const w = reportWords(report.locale);
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  book.creator = 'Pantau';
  book.created = report.generatedAt;
  for (const [name, content] of SHEETS) sheet(book, w, name, ...content(report, w));
  await book.commit();
}

/** The `summary` sheet: its header and rows. */
function summarySheet(r: MonevReport, w: ReportWords): SheetContent {
  const g = r.readiness.gaps;
  return [
    [w.w('item'), w.w('actual')],
    [
      [w.w('title'), r.city.name],
      [w.w('year'), r.year],
      [w.w('asOf', { date: '' }).trim(), r.asOf],
      [w.w('cityProgress'), r.progress],
      ...r.dimensions.map((d): Cell[] => [`${w.w('progress')}: ${d.label}`, d.progress]),
      [`${w.w('counts')}: ${w.w('total')}`, r.counts.total],
      [`${w.w('counts')}: ${w.state(ActionPlanState.NOT_STARTED)}`, r.counts.notStarted],
      [`${w.w('counts')}: ${w.state(ActionPlanState.ON_TRACK)}`, r.counts.onTrack],
      [`${w.w('counts')}: ${w.state(ActionPlanState.LATE)}`, r.counts.late],
      [`${w.w('counts')}: ${w.state(ActionPlanState.DONE)}`, r.counts.done],
      [w.w('index'), r.readiness.index],
      [w.w('gapUnscored'), g.unscored],
      [w.w('gapMissingEvidence'), g.missingEvidence],
      [w.w('gapUnverified'), g.unverifiedReports],
      [w.w('gapLate'), g.latePlans],
      [w.w('visit'), r.visit ? `${r.visit.startDate} – ${r.visit.endDate}` : w.w('visitNone')],
      [w.w('daysToVisit'), r.daysToVisit],
    ],
  ];
}

/** The `plans` sheet: its header and rows. */
function plansSheet(r: MonevReport, w: ReportWords): SheetContent {
  return [
    [
      w.w('dimension'),
      w.w('program'),
      w.w('code'),
      w.w('plan'),
      w.w('opd'),
      'Start',
      w.w('due'),
      w.w('progress'),
      w.w('state'),
      w.w('narrative'),
      w.w('obstacles'),
      w.w('evidence'),
    ],
    r.dimensions.flatMap((d) =>
      d.programs.flatMap((p) =>
        p.plans.map((plan): Cell[] => [
          d.label,
          p.name,
          plan.code,
          plan.title,
          plan.opd,
          plan.startDate,
          plan.dueDate,
          plan.progress,
          w.state(plan.state),
          plan.verified?.narrative ?? null,
          plan.verified?.obstacles ?? null,
          [linksText(plan.evidence), ...(plan.verified?.evidenceUrls ?? [])].filter(Boolean).join('\n'),
        ]),
      ),
    ),
  ];
}

/** The `indicators` sheet: its header and rows. */
function indicatorsSheet(r: MonevReport, w: ReportWords): SheetContent {
  return [
    [w.w('plan'), w.w('indicator'), w.w('unit'), w.w('baseline'), w.w('target'), w.w('period'), w.w('actual')],
    r.indicators.flatMap((i) =>
      (i.values.length > 0 ? i.values : [null]).map((v): Cell[] => [
        i.plan,
        i.name,
        i.unit,
        i.baseline,
        i.target,
        v?.period ?? null,
        v?.value ?? null,
      ]),
    ),
  ];
}

/** The `quickWins` sheet: its header and rows. */
function quickWinsSheet(r: MonevReport, w: ReportWords): SheetContent {
  return [
    [w.w('quickWin'), w.w('year'), w.w('plans'), w.w('progress')],
    r.quickWins.map((q): Cell[] => [q.name, q.year, q.planCount, q.progress]),
  ];
}

/** The `assessment` sheet: its header and rows. */
function assessmentSheet(r: MonevReport, w: ReportWords): SheetContent {
  return [
    [w.w('code'), w.w('item'), w.w('dimension'), w.w('score'), w.w('itemNarrative'), w.w('responsible'), w.w('evidence')],
    r.items.map((i): Cell[] => [i.code, i.question, i.dimensionLabel, i.score, i.narrative, i.opd, linksText(i.evidence)]),
  ];
}

/** The `risks` sheet: its header and rows. */
function risksSheet(r: MonevReport, w: ReportWords): SheetContent {
  return [
    [w.w('quickWin'), w.w('risk'), w.w('likelihood'), w.w('impact'), w.w('level'), w.w('mitigation'), w.w('opd'), w.w('status')],
    r.risks.map((k): Cell[] => [
      k.quickWin,
      k.description,
      k.likelihood,
      k.impact,
      w.level(k.level),
      k.mitigation,
      k.opd,
      w.riskStatus(k.status),
    ]),
  ];
}

/** The `agenda` sheet: its header and rows. */
function agendaSheet(r: MonevReport, w: ReportWords): SheetContent {
  return [
    ['Start', 'End', w.w('activity'), w.w('owner'), w.w('deliverables')],
    r.agenda.map((a): Cell[] => [
      a.startDate,
      a.endDate,
      a.title,
      a.owner,
      a.deliverables.map((d) => `${d.title} (${d.dueDate}, ${w.w(d.done ? 'done' : 'open')})`).join('\n'),
    ]),
  ];
}

/** The `atRisk` sheet: its header and rows. */
function atRiskSheet(r: MonevReport, w: ReportWords): SheetContent {
  return [
    [w.w('plan'), w.w('opd'), w.w('due'), w.w('progress'), w.w('expected'), w.w('daysLate'), w.w('pace')],
    r.atRisk.map((a): Cell[] => [
      a.title,
      a.opd,
      a.dueDate,
      a.progress,
      a.forecast.expectedCompletion ?? w.w('notMoving'),
      a.forecast.daysLate,
      a.forecast.basis.pacePerMonth,
    ]),
  ];
}

/** The workbook's sheets, in order. */
const SHEETS: readonly [ReportWordKey, (r: MonevReport, w: ReportWords) => SheetContent][] = [
  ['summary', summarySheet],
  ['plans', plansSheet],
  ['indicators', indicatorsSheet],
  ['quickWins', quickWinsSheet],
  ['assessment', assessmentSheet],
  ['risks', risksSheet],
  ['agenda', agendaSheet],
  ['atRisk', atRiskSheet],
];
