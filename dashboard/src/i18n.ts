// The screen's words: Indonesian by default, English with `lang=en`. Dimension labels are not here:
// they come from the API (`DimensionProgress.label`, in the request's language).

/** Supported languages. */
export type Lang = 'id' | 'en';

/** The names of the languages, each in itself (a language switch shows the other one's, with its `lang`). */
export const LANG_NAMES: Record<Lang, string> = { id: 'Bahasa Indonesia', en: 'English' };

/** The views, by the names the kiosk URL uses (`views=ringkasan,opd,dimensi,tren,kesiapan`). */
export const VIEW_NAMES = ['ringkasan', 'opd', 'dimensi', 'tren', 'kesiapan'] as const;
/** One view's name. */
export type ViewName = (typeof VIEW_NAMES)[number];
/** The views a screen shows when its URL names none (Kesiapan monev is chosen on purpose, before a visit). */
export const DEFAULT_VIEWS: readonly ViewName[] = ['ringkasan', 'opd', 'dimensi', 'tren'];

/** Action plan states as the API names them (`ActionPlanState`). */
export type PlanState = 'DONE' | 'ON_TRACK' | 'LATE' | 'NOT_STARTED';

const id = {
  views: { ringkasan: 'Ringkasan kota', opd: 'OPD', dimensi: 'Dimensi', tren: 'Tren capaian', kesiapan: 'Kesiapan monev' } as Record<
    ViewName,
    string
  >,
  states: { DONE: 'Selesai', ON_TRACK: 'Sesuai jadwal', LATE: 'Terlambat', NOT_STARTED: 'Belum mulai' } as Record<PlanState, string>,
  cityProgress: 'capaian kota',
  /** Which reports the figures count (under the headline). */
  basisWord: { ALL: 'semua laporan', VERIFIED: 'hanya laporan terverifikasi' },
  quickWins: 'Quick win',
  latestReports: 'Laporan terbaru',
  noLate: 'Tidak ada rencana aksi yang terlambat.',
  noReports: 'Belum ada laporan.',
  visit: 'Kunjungan monev',
  visitIn: (days: string) => `${days} lagi`,
  visitNow: 'sedang berlangsung',
  visitNone: 'belum dijadwalkan',
  plans: 'rencana aksi',
  dueOn: 'tenggat',
  daysLate: (days: string) => `lewat ${days}`,
  updated: 'Diperbarui',
  live: 'langsung',
  connecting: 'Menghubungkan…',
  offline: (ago: string) => `Koneksi terputus · data terakhir diperbarui ${ago} · menyambung ulang…`,
  lastUpdated: (ago: string) => `Terakhir diperbarui ${ago}`,
  revoked: 'Layar ini tidak lagi terdaftar — hubungi admin kota',
  revokedHint: 'Minta admin kota membuat tautan layar baru.',
  loading: 'Memuat data kota…',
  unverified: 'Belum diverifikasi',
  opdRanking: 'OPD menurut capaian',
  noUnverified: 'Semua laporan sudah diverifikasi.',
  atRisk: 'Diperkirakan terlambat',
  noAtRisk: 'Tidak ada rencana aksi yang diperkirakan terlambat.',
  expectedOn: (date: string) => `selesai ± ${date}`,
  lateBy: (span: string) => `lewat ${span}`,
  notMoving: 'tidak bergerak',
  next: 'Berikutnya',
  page: (a: number, b: number) => `${a}/${b}`,
  trendCity: 'Kota',
  trendTitle: 'Capaian per minggu, 12 bulan terakhir',
  trendEmpty: 'Riwayat capaian belum tersedia.',
  /** Which plans the chart counts (under its title). */
  trendPeriod: (year: string) => `Rencana aksi periode ini (sejak ${year})`,
  trendAll: 'Semua rencana aksi',
  /** A mark in the chart where plans joined: "+12 rencana". */
  trendJoined: (n: string) => `+${n} rencana`,
  trendJoinedLegend: 'rencana aksi baru masuk (mulai dari 0 %)',
  agenda: 'Agenda',
  noAgenda: 'Tidak ada agenda dalam 12 bulan ke depan.',
  today: 'hari ini',
  inDays: (days: string) => `${days} lagi`,
  deliverable: 'Luaran',
  delivered: 'sudah diserahkan',
  agendaKinds: {
    BIMTEK: 'Bimtek',
    MOU_SIGNING: 'MoU',
    MEETING: 'Rapat',
    PRESENTATION: 'Paparan',
    MASTERPLAN_DEADLINE: 'Tenggat masterplan',
    YEARLY_REVIEW: 'Reviu tahunan',
    OTHER: 'Kegiatan',
  } as Record<string, string>,
  readinessIndex: 'indeks saat ini',
  readinessOf: (max: string) => `dari ${max}`,
  readinessScored: (a: string, b: string) => `${a} dari ${b} butir sudah dinilai`,
  gapUnscored: 'Butir belum dinilai',
  gapEvidence: 'Data dukung belum ada',
  gapUnverified: 'Laporan belum diverifikasi',
  gapLate: 'Rencana aksi terlambat',
  whoMustAct: 'Siapa harus bertindak',
  noGaps: 'Semua lengkap.',
  unassigned: (n: string) => `${n} butir belum punya OPD penanggung jawab`,
  noFramework: 'Instrumen evaluasi tahun ini belum tersedia.',
  // The desk (login without a screen token)
  email: 'Email',
  password: 'Kata sandi',
  login: 'Masuk',
  loggingIn: 'Sedang masuk…',
  logout: 'Keluar',
  loginTitle: 'Masuk ke Pantau',
  loginHint: 'Masuk dengan akun Pantau Anda untuk melapor kemajuan, memverifikasi laporan atau melihat capaian kota.',
  pickCity: 'Pilih kota',
  sessionEnded: 'Sesi Anda berakhir. Silakan masuk lagi.',
  networkError: 'Server tidak dapat dihubungi. Periksa jaringan, lalu coba lagi.',
};

/** A translation table (Indonesian is the reference). */
export type Strings = typeof id;

const en: Strings = {
  views: { ringkasan: 'City overview', opd: 'Agencies (OPD)', dimensi: 'Dimensions', tren: 'Progress trend', kesiapan: 'Monev readiness' },
  states: { DONE: 'Done', ON_TRACK: 'On track', LATE: 'Late', NOT_STARTED: 'Not started' },
  cityProgress: 'city progress',
  basisWord: { ALL: 'all reports', VERIFIED: 'verified reports only' },
  quickWins: 'Quick wins',
  latestReports: 'Latest reports',
  noLate: 'No action plan is late.',
  noReports: 'No reports yet.',
  visit: 'Evaluation visit',
  visitIn: (days: string) => `in ${days}`,
  visitNow: 'under way',
  visitNone: 'not scheduled',
  plans: 'action plans',
  dueOn: 'due',
  daysLate: (days: string) => `${days} overdue`,
  updated: 'Updated',
  live: 'live',
  connecting: 'Connecting…',
  offline: (ago: string) => `Connection lost · data last updated ${ago} · reconnecting…`,
  lastUpdated: (ago: string) => `Last updated ${ago}`,
  revoked: 'This screen is no longer registered — contact the city admin',
  revokedHint: 'Ask the city admin for a new screen link.',
  loading: 'Loading the city…',
  unverified: 'Not yet verified',
  opdRanking: 'Agencies by progress',
  noUnverified: 'Every report is verified.',
  atRisk: 'Forecast late',
  noAtRisk: 'No action plan is forecast to be late.',
  expectedOn: (date: string) => `done ≈ ${date}`,
  lateBy: (span: string) => `${span} late`,
  notMoving: 'not moving',
  next: 'Next',
  page: (a: number, b: number) => `${a}/${b}`,
  trendCity: 'City',
  trendTitle: 'Weekly progress, last 12 months',
  trendEmpty: 'Progress history is not available yet.',
  trendPeriod: (year: string) => `This period's action plans (since ${year})`,
  trendAll: 'All action plans',
  trendJoined: (n: string) => `+${n} plans`,
  trendJoinedLegend: 'new action plans joined (starting at 0 %)',
  agenda: 'Agenda',
  noAgenda: 'Nothing on the agenda in the next 12 months.',
  today: 'today',
  inDays: (days: string) => `in ${days}`,
  deliverable: 'Deliverable',
  delivered: 'delivered',
  agendaKinds: {
    BIMTEK: 'Bimtek',
    MOU_SIGNING: 'MoU',
    MEETING: 'Meeting',
    PRESENTATION: 'Presentation',
    MASTERPLAN_DEADLINE: 'Masterplan deadline',
    YEARLY_REVIEW: 'Yearly review',
    OTHER: 'Activity',
  },
  readinessIndex: 'index as it stands',
  readinessOf: (max: string) => `of ${max}`,
  readinessScored: (a: string, b: string) => `${a} of ${b} items scored`,
  gapUnscored: 'Items not scored',
  gapEvidence: 'Evidence missing',
  gapUnverified: 'Reports not verified',
  gapLate: 'Late action plans',
  whoMustAct: 'Who must act',
  noGaps: 'Nothing missing.',
  unassigned: (n: string) => `${n} items have no responsible OPD yet`,
  noFramework: "This year's evaluation framework is not available yet.",
  email: 'Email',
  password: 'Password',
  login: 'Log in',
  loggingIn: 'Logging in…',
  logout: 'Log out',
  loginTitle: 'Log in to Pantau',
  loginHint: 'Log in with your Pantau account to report progress, verify reports or see the city’s progress.',
  pickCity: 'Choose a city',
  sessionEnded: 'Your session ended. Please log in again.',
  networkError: 'The server cannot be reached. Check the network, then try again.',
};

/** Translation tables by language. */
export const STRINGS: Record<Lang, Strings> = { id, en };
