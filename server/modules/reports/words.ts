import type { Locale } from '../../i18n';
import type { ActionPlanState } from '../action-plans/state';
import type { ForecastVerdict } from '../action-plans/forecast';
import type { RiskLevel } from '../risks/severity';

/** The words of the monev report and its workbook, in one language per response. */
const id = {
  title: 'Laporan Monitoring dan Evaluasi Smart City',
  subtitle: 'Tahun evaluasi {year}',
  asOf: 'Data per {date}',
  generated: 'Dibuat {date}',
  basisAll: 'Progres dari laporan terakhir setiap rencana aksi (terverifikasi maupun belum).',
  basisVerified: 'Progres hanya dari laporan yang telah diverifikasi tim kota.',
  page: 'Halaman',
  of: 'dari',
  contents: 'Isi laporan',
  summary: 'Ringkasan',
  progress: 'Progres',
  cityProgress: 'Progres kota',
  counts: 'Rencana aksi menurut keadaan',
  total: 'Jumlah',
  index: 'Indeks capaian (penilaian mandiri, saat ini)',
  scored: '{scored} dari {items} butir sudah dinilai',
  gaps: 'Kekurangan',
  gapUnscored: 'Butir belum dinilai',
  gapMissingEvidence: 'Butir tanpa bukti',
  gapUnverified: 'Laporan belum diverifikasi',
  gapLate: 'Rencana aksi terlambat',
  visit: 'Kunjungan monev',
  daysToVisit: 'Hari menuju kunjungan',
  visitNone: 'Belum ada jadwal kunjungan tahun ini',
  visitOver: 'Kunjungan sudah lewat',
  visitRunning: 'Kunjungan sedang berlangsung',
  dimensions: 'Dimensi, program dan rencana aksi',
  program: 'Program',
  quickWin: 'Quick win',
  plan: 'Rencana aksi',
  opd: 'OPD',
  schedule: 'Jadwal',
  state: 'Keadaan',
  narrative: 'Narasi laporan terverifikasi terakhir',
  itemNarrative: 'Narasi',
  obstacles: 'Kendala',
  evidence: 'Bukti',
  noPlans: 'Belum ada rencana aksi.',
  noVerified: 'Belum ada laporan terverifikasi.',
  indicators: 'Indikator: target dan capaian',
  indicator: 'Indikator',
  unit: 'Satuan',
  baseline: 'Baseline',
  target: 'Target',
  period: 'Periode',
  actual: 'Capaian',
  noIndicators: 'Belum ada indikator.',
  quickWins: 'Quick win',
  year: 'Tahun',
  plans: 'Rencana aksi',
  noQuickWins: 'Belum ada quick win.',
  assessment: 'Penilaian mandiri',
  assessmentNote: 'Skor, narasi dan bukti sebagaimana tercatat saat laporan dibuat.',
  noAssessment: 'Belum ada penilaian mandiri untuk tahun ini.',
  code: 'Kode',
  item: 'Butir',
  dimension: 'Dimensi',
  score: 'Skor',
  unscored: 'belum dinilai',
  responsible: 'OPD penanggung jawab',
  risks: 'Daftar risiko',
  risk: 'Risiko',
  likelihood: 'Kemungkinan',
  impact: 'Dampak',
  level: 'Tingkat',
  mitigation: 'Mitigasi',
  status: 'Status',
  noRisks: 'Belum ada risiko tercatat.',
  agenda: 'Agenda',
  dates: 'Tanggal',
  activity: 'Kegiatan',
  owner: 'Penanggung jawab',
  deliverables: 'Keluaran',
  noAgenda: 'Tidak ada kegiatan tahun ini.',
  atRisk: 'Diperkirakan terlambat',
  atRiskNote: 'Perkiraan per {date} dari laju laporan 90 hari terakhir.',
  due: 'Tenggat',
  expected: 'Perkiraan selesai',
  daysLate: 'Hari terlambat',
  pace: 'Laju (poin/30 hari)',
  notMoving: 'tidak bergerak',
  noAtRisk: 'Tidak ada rencana aksi yang diperkirakan terlambat.',
  done: 'selesai',
  open: 'belum',
} as const;

export type ReportWordKey = keyof typeof id;

const en: Record<ReportWordKey, string> = {
  title: 'Smart City Monitoring and Evaluation Report',
  subtitle: 'Evaluation year {year}',
  asOf: 'Figures as of {date}',
  generated: 'Made {date}',
  basisAll: "Progress from each action plan's latest report (verified or not).",
  basisVerified: 'Progress from reports verified by the city team only.',
  page: 'Page',
  of: 'of',
  contents: 'Contents',
  summary: 'Summary',
  progress: 'Progress',
  cityProgress: 'City progress',
  counts: 'Action plans by state',
  total: 'Total',
  index: 'Achievement index (self-assessment, as it stands)',
  scored: '{scored} of {items} items scored',
  gaps: 'Gaps',
  gapUnscored: 'Items not scored',
  gapMissingEvidence: 'Items without evidence',
  gapUnverified: 'Reports awaiting verification',
  gapLate: 'Late action plans',
  visit: 'Evaluation visit',
  daysToVisit: 'Days to the visit',
  visitNone: 'No visit scheduled this year',
  visitOver: 'The visit is over',
  visitRunning: 'The visit is under way',
  dimensions: 'Dimensions, programs and action plans',
  program: 'Program',
  quickWin: 'Quick win',
  plan: 'Action plan',
  opd: 'OPD',
  schedule: 'Schedule',
  state: 'State',
  narrative: 'Latest verified report',
  itemNarrative: 'Narrative',
  obstacles: 'Obstacles',
  evidence: 'Evidence',
  noPlans: 'No action plans yet.',
  noVerified: 'No verified report yet.',
  indicators: 'Indicators: target and actual',
  indicator: 'Indicator',
  unit: 'Unit',
  baseline: 'Baseline',
  target: 'Target',
  period: 'Period',
  actual: 'Actual',
  noIndicators: 'No indicators yet.',
  quickWins: 'Quick wins',
  year: 'Year',
  plans: 'Action plans',
  noQuickWins: 'No quick wins yet.',
  assessment: 'Self-assessment',
  assessmentNote: 'Scores, narratives and evidence as recorded when this report was made.',
  noAssessment: 'No self-assessment for this year yet.',
  code: 'Code',
  item: 'Item',
  dimension: 'Dimension',
  score: 'Score',
  unscored: 'not scored',
  responsible: 'Responsible OPD',
  risks: 'Risk register',
  risk: 'Risk',
  likelihood: 'Likelihood',
  impact: 'Impact',
  level: 'Level',
  mitigation: 'Mitigation',
  status: 'Status',
  noRisks: 'No risks recorded.',
  agenda: 'Agenda',
  dates: 'Dates',
  activity: 'Activity',
  owner: 'Responsible',
  deliverables: 'Deliverables',
  noAgenda: 'No activities this year.',
  atRisk: 'Forecast late',
  atRiskNote: 'Forecast on {date} from the pace of the last 90 days of reports.',
  due: 'Due',
  expected: 'Expected completion',
  daysLate: 'Days late',
  pace: 'Pace (points/30 days)',
  notMoving: 'not moving',
  noAtRisk: 'No action plan is forecast late.',
  done: 'done',
  open: 'open',
};

const STATES: Record<ActionPlanState, Record<Locale, string>> = {
  NOT_STARTED: { id: 'Belum mulai', en: 'Not started' },
  ON_TRACK: { id: 'Sesuai jadwal', en: 'On track' },
  LATE: { id: 'Terlambat', en: 'Late' },
  DONE: { id: 'Selesai', en: 'Done' },
};

const LEVELS: Record<RiskLevel, Record<Locale, string>> = {
  LOW: { id: 'Rendah', en: 'Low' },
  MEDIUM: { id: 'Sedang', en: 'Medium' },
  HIGH: { id: 'Tinggi', en: 'High' },
  VERY_HIGH: { id: 'Sangat tinggi', en: 'Very high' },
};

const RISK_STATUS: Record<string, Record<Locale, string>> = {
  OPEN: { id: 'Terbuka', en: 'Open' },
  MITIGATED: { id: 'Dimitigasi', en: 'Mitigated' },
  ACCEPTED: { id: 'Diterima', en: 'Accepted' },
  CLOSED: { id: 'Ditutup', en: 'Closed' },
};

const VERDICTS: Record<ForecastVerdict, Record<Locale, string>> = {
  ON_TRACK: { id: 'Sesuai jadwal', en: 'On track' },
  AT_RISK: { id: 'Diperkirakan terlambat', en: 'Forecast late' },
  NO_PACE: { id: 'Belum ada laju', en: 'No pace yet' },
};

/** The report's words in one language. */
export interface ReportWords {
  locale: Locale;
  w(key: ReportWordKey, params?: Record<string, string | number>): string;
  state(state: ActionPlanState): string;
  level(level: RiskLevel): string;
  riskStatus(status: string): string;
  verdict(verdict: ForecastVerdict): string;
  /** A number in the language's format (one decimal at most unless `digits`). */
  num(value: number, digits?: number): string;
  /** A date (YYYY-MM-DD) written out: 7 Desember 2026. */
  date(date: string): string;
}

/** The words of `locale`. */
export function reportWords(locale: Locale): ReportWords {
  const table: Record<ReportWordKey, string> = locale === 'en' ? en : id;
  const tag = locale === 'en' ? 'en-GB' : 'id-ID';
  const dates = new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  return {
    locale,
    w: (key, params = {}) => table[key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? '')),
    state: (s) => STATES[s][locale],
    level: (l) => LEVELS[l][locale],
    riskStatus: (s) => RISK_STATUS[s]?.[locale] ?? s,
    verdict: (v) => VERDICTS[v][locale],
    num: (value, digits = 1) => new Intl.NumberFormat(tag, { maximumFractionDigits: digits }).format(value),
    date: (date) => dates.format(new Date(`${date}T00:00:00Z`)),
  };
}
