import { AsyncLocalStorage } from 'node:async_hooks';

/** The languages user-facing text comes in: Indonesian by default, English on request. */
export type Locale = 'id' | 'en';

/** Per-request state that code deep in a call (an error's constructor) may need. */
export interface RequestScope {
  locale: Locale;
  requestId: string;
}

/** Holds the current request's scope for the length of its async work. */
export const requestScope = new AsyncLocalStorage<RequestScope>();

/** The current request's locale; Indonesian outside a request. */
export function currentLocale(): Locale {
  return requestScope.getStore()?.locale ?? 'id';
}

/** Picks the locale from an `Accept-Language` header: English when it prefers English, else Indonesian. */
export function localeFromHeader(header: string | undefined | null): Locale {
  if (!header) return 'id';
  const first = header.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'id';
}

const messages = {
  unauthenticated: { id: 'Silakan masuk terlebih dahulu.', en: 'Please log in first.' },
  invalidToken: {
    id: 'Token tidak sah atau sudah kedaluwarsa. Silakan masuk kembali.',
    en: 'The token is invalid or has expired. Please log in again.',
  },
  badCredentials: { id: 'Email atau kata sandi salah.', en: 'Wrong email or password.' },
  forbidden: { id: 'Anda tidak berwenang melakukan tindakan ini.', en: 'You are not allowed to do this.' },
  notFound: { id: '{entity} tidak ditemukan.', en: '{entity} not found.' },
  conflict: {
    id: 'Data ini sudah diubah orang lain (versi {actual}, Anda mengirim versi {expected}). Muat ulang lalu coba lagi.',
    en: 'This record was changed by someone else (version {actual}, you sent version {expected}). Reload and try again.',
  },
  conflictUnknown: {
    id: 'Data ini sedang diubah orang lain. Muat ulang lalu coba lagi.',
    en: 'Someone else changed this record at the same time. Reload and try again.',
  },
  duplicate: { id: 'Data dengan nilai yang sama sudah ada.', en: 'A record with the same value already exists.' },
  internal: { id: 'Terjadi kesalahan pada server. Silakan coba lagi.', en: 'Something went wrong on the server. Please try again.' },
  percentRange: { id: 'Persentase harus antara 0 dan 100.', en: 'Percent must be between 0 and 100.' },
  dueBeforeStart: { id: 'Tanggal selesai tidak boleh sebelum tanggal mulai.', en: 'The due date cannot be before the start date.' },
  endBeforeStart: { id: 'Tanggal akhir tidak boleh sebelum tanggal awal.', en: 'The end date cannot be before the start date.' },
  invalidDate: { id: 'Tanggal harus berformat TTTT-BB-HH.', en: 'Dates must be written YYYY-MM-DD.' },
  invalidYear: { id: 'Tahun harus bilangan bulat 2000–2100.', en: 'The year must be a whole number from 2000 to 2100.' },
  invalidLanguage: { id: 'Bahasa harus `id` atau `en`.', en: 'The language must be `id` or `en`.' },
  invalidFormat: { id: 'Format harus `html` atau `xlsx`.', en: 'The format must be `html` or `xlsx`.' },
  invalidBasis: { id: 'Dasar progres harus `ALL` atau `VERIFIED`.', en: 'The basis must be `ALL` or `VERIFIED`.' },
  reportAsOfFuture: { id: 'Tanggal laporan tidak boleh sesudah hari ini.', en: 'The report date cannot be after today.' },
  historyFromAfterTo: { id: 'Tanggal `from` tidak boleh sesudah tanggal `to`.', en: 'The `from` date cannot be after the `to` date.' },
  historyTooManyPoints: {
    id: 'Terlalu banyak titik: {count}, maksimal {max}. Pilih interval yang lebih panjang atau rentang tanggal yang lebih pendek.',
    en: 'Too many points: {count}, at most {max}. Choose a longer interval or a shorter date range.',
  },
  otherCity: { id: '{entity} ini milik kota lain.', en: 'This {entity} belongs to another city.' },
  required: { id: 'Wajib diisi.', en: 'This field is required.' },
  tooLong: { id: 'Maksimal {max} karakter.', en: 'At most {max} characters.' },
  notNegative: { id: 'Tidak boleh negatif.', en: 'Must not be negative.' },
  positive: { id: 'Harus lebih dari 0.', en: 'Must be greater than 0.' },
  invalidUrl: { id: 'Tautan bukti harus berupa URL http atau https.', en: 'Evidence links must be http or https URLs.' },
  tooMany: { id: 'Maksimal {max} item.', en: 'At most {max} items.' },
  firstRange: { id: '`first` harus antara 0 dan {max}.', en: '`first` must be between 0 and {max}.' },
  badCursor: { id: 'Kursor tidak sah.', en: 'Invalid cursor.' },
  archived: { id: '{entity} sudah diarsipkan.', en: 'This {entity} is archived.' },
  yearRange: { id: 'Tahun harus antara {min} dan {max}.', en: 'The year must be between {min} and {max}.' },
  periodFormat: { id: 'Periode harus berformat TTTT, TTTT-BB atau TTTT-Qn.', en: 'A period is written YYYY, YYYY-MM or YYYY-Qn.' },
  periodMONTHLY: {
    id: 'Indikator ini diukur per bulan: tulis periodenya TTTT-BB, mis. 2025-10.',
    en: 'This indicator is measured monthly: write the period YYYY-MM, e.g. 2025-10.',
  },
  periodQUARTERLY: {
    id: 'Indikator ini diukur per triwulan: tulis periodenya TTTT-Qn, mis. 2025-Q3.',
    en: 'This indicator is measured quarterly: write the period YYYY-Qn, e.g. 2025-Q3.',
  },
  periodYEARLY: {
    id: 'Indikator ini diukur per tahun: tulis periodenya TTTT, mis. 2025.',
    en: 'This indicator is measured yearly: write the period YYYY, e.g. 2025.',
  },
  quickWinYear: { id: 'Quick win memerlukan tahun.', en: 'A quick win needs a year.' },
  dimensionMismatch: {
    id: 'Dimensi rencana aksi harus sama dengan dimensi programnya.',
    en: "The action plan's dimension must match its program's.",
  },
  ownerNotSupporting: {
    id: 'OPD pemilik tidak perlu dicantumkan sebagai OPD pendukung.',
    en: 'The owner OPD cannot also be a supporting OPD.',
  },
  notInCity: { id: '{entity} tidak ditemukan di kota ini.', en: '{entity} not found in this city.' },
  cityMismatch: { id: 'Semua data harus dari kota yang sama.', en: 'Everything must belong to the same city.' },
  invalidEmail: { id: 'Alamat email tidak sah.', en: 'Invalid email address.' },
  emailTaken: { id: 'Email ini sudah dipakai.', en: 'This email is already in use.' },
  passwordLength: { id: 'Kata sandi minimal {min} karakter.', en: 'The password needs at least {min} characters.' },
  roleScope: { id: 'Peran {role} memerlukan {what}.', en: 'The role {role} needs {what}.' },
  roleNoScope: { id: 'Peran {role} tidak terikat pada kota atau OPD.', en: 'The role {role} has no city or OPD.' },
  notYourself: { id: 'Anda tidak dapat mengarsipkan akun Anda sendiri.', en: 'You cannot archive your own account.' },
  notReviewable: {
    id: 'Hanya laporan berstatus DIAJUKAN yang dapat diverifikasi atau dikembalikan.',
    en: 'Only SUBMITTED reports can be verified or returned.',
  },
  notFinite: { id: 'Harus berupa angka.', en: 'Must be a number.' },
  limitDepth: {
    id: 'Kueri terlalu dalam: kedalaman {actual}, maksimal {max}.',
    en: 'The query is too deep: depth {actual}, at most {max}.',
  },
  limitAliases: {
    id: 'Kueri memakai terlalu banyak alias: {actual}, maksimal {max}.',
    en: 'The query uses too many aliases: {actual}, at most {max}.',
  },
  limitDirectives: {
    id: 'Kueri memakai terlalu banyak direktif: {actual}, maksimal {max}.',
    en: 'The query uses too many directives: {actual}, at most {max}.',
  },
  limitCost: {
    id: 'Kueri terlalu berat: perkiraan biayanya melebihi {max}. Kurangi `first` atau field yang bersarang.',
    en: 'The query is too expensive: its estimated cost is above {max}. Ask for fewer rows (`first`) or fewer nested fields.',
  },
  limitTokens: { id: 'Kueri terlalu panjang: lebih dari {max} token.', en: 'The query is too long: more than {max} tokens.' },
  limitTime: { id: 'Kueri terlalu lama: dihentikan setelah {max} ms.', en: 'The query took too long: stopped after {max} ms.' },
  limitNodes: { id: 'Hasil kueri terlalu besar: lebih dari {max} objek.', en: 'The query returns too much: more than {max} objects.' },
  introspectionDisabled: { id: 'Introspeksi skema dinonaktifkan di server ini.', en: 'Schema introspection is disabled on this server.' },
  controlCharacter: {
    id: 'Teks tidak boleh berisi karakter kontrol (selain tab dan baris baru).',
    en: 'Text must not contain control characters (other than tab and line breaks).',
  },
  headersTooLarge: { id: 'Header permintaan terlalu besar.', en: 'The request headers are too large.' },
  badRequest: { id: 'Permintaan HTTP tidak sah.', en: 'The HTTP request is malformed.' },
  requestTimeout: { id: 'Permintaan terlalu lama dikirim.', en: 'The request took too long to arrive.' },
  shuttingDown: { id: 'Server sedang dimatikan. Kirim ulang permintaan.', en: 'The server is shutting down. Send the request again.' },
  rateLimited: {
    id: 'Terlalu banyak percobaan masuk. Coba lagi dalam {seconds} detik.',
    en: 'Too many login attempts. Try again in {seconds} seconds.',
  },
  workBudgetSpent: {
    id: 'Terlalu banyak permintaan dalam waktu singkat dari akun atau alamat ini. Coba lagi dalam {seconds} detik.',
    en: 'Too many requests in a short time from this account or address. Try again in {seconds} seconds.',
  },
  afterSeqRange: {
    id: '`afterSeq` harus antara 0 dan seq terakhir kota ({head}).',
    en: "`afterSeq` must be between 0 and the city's latest seq ({head}).",
  },
  replayTooLong: {
    id: 'Terlalu banyak perubahan untuk diputar ulang ({count}, maksimal {max}). Muat ulang ringkasan kota (`City.overview.seq`) lalu berlangganan dari seq-nya.',
    en: 'Too many changes to replay ({count}, at most {max}). Refetch the city snapshot (`City.overview.seq`) and subscribe after its seq.',
  },
  routeNotFound: { id: 'Alamat ini tidak ada.', en: 'Not found.' },
  daysRange: {
    id: 'Jumlah hari harus bilangan bulat antara {min} dan {max}.',
    en: 'The number of days must be a whole number between {min} and {max}.',
  },
  riskScale: { id: 'Nilai harus bilangan bulat antara {min} dan {max}.', en: 'The value must be a whole number between {min} and {max}.' },
  riskNotQuickWin: { id: 'Risiko hanya dapat dicatat pada program quick win.', en: 'Risks can only be recorded on quick win programs.' },
  // Monev (server/modules/monev).
  weightsSum: {
    id: 'Bobot dimensi evaluasi harus berjumlah 100 (sekarang {sum}).',
    en: 'The evaluation dimension weights must sum to 100 (now {sum}).',
  },
  weightsDimensions: {
    id: 'Setiap dimensi evaluasi (BASELINE, OUTPUT, OUTCOME, IMPACT, QUICK_WIN) diberi bobot tepat satu kali.',
    en: 'Give every evaluation dimension (BASELINE, OUTPUT, OUTCOME, IMPACT, QUICK_WIN) a weight exactly once.',
  },
  scaleRange: {
    id: 'Skala harus bilangan bulat dengan 0 ≤ minimum < maksimum ≤ 100.',
    en: 'The scale must be whole numbers with 0 ≤ minimum < maximum ≤ 100.',
  },
  scoreRange: { id: 'Nilai harus antara {min} dan {max}.', en: 'The score must be between {min} and {max}.' },
  rubricCode: {
    id: 'Kode butir hanya huruf, angka, titik, garis bawah atau tanda hubung (maksimal 40).',
    en: 'An item code is letters, digits, dots, underscores or hyphens (at most 40).',
  },
  duplicateCode: { id: 'Kode butir {code} dipakai lebih dari sekali.', en: 'The item code {code} is used more than once.' },
  assessmentSubmitted: {
    id: 'Penilaian mandiri ini sudah dikirim dan tidak dapat diubah lagi.',
    en: 'This self-assessment has been submitted and can no longer change.',
  },
  notQuickWin: { id: 'Program ini bukan quick win.', en: 'This program is not a quick win.' },
  uploadTooLarge: { id: 'Berkas terlalu besar (maksimal {max} bita).', en: 'The file is too large (at most {max} bytes).' },
  uploadType: {
    id: 'Jenis berkas tidak diterima (dilihat dari isinya, bukan namanya). Yang diterima: PDF, PNG, JPEG, WebP, DOCX, XLSX, PPTX, ODT, ODS, CSV dan teks UTF-8.',
    en: 'This kind of file is not accepted (judged by its content, not its name). Accepted: PDF, PNG, JPEG, WebP, DOCX, XLSX, PPTX, ODT, ODS, CSV and UTF-8 text.',
  },
  fileName: {
    id: 'Nama berkas tidak sah: tanpa folder (/ atau \\, juga versi lebar penuhnya), tanpa .., tanpa karakter kontrol atau tak terlihat (mis. pembalik arah teks, spasi lebar nol), maksimal 255 karakter.',
    en: 'Invalid file name: no folders (/ or \\, full-width forms included), no .., no control or invisible characters (such as direction overrides or zero-width spaces), at most 255 characters.',
  },
  uploadContentType: {
    id: 'Kirim isi berkas apa adanya dengan Content-Type application/octet-stream.',
    en: 'Send the file as the request body with Content-Type application/octet-stream.',
  },
  uploadEmpty: { id: 'Berkas kosong.', en: 'The file is empty.' },
  uploadArchiveEntry: {
    id: 'Berkas ini berisi bagian yang tidak diterima (program, skrip, halaman web, makro atau objek tersemat). Simpan ulang tanpa makro, atau sebagai PDF.',
    en: 'This file contains a part that is not accepted (a program, script, web page, macro or embedded object). Save it again without macros, or as PDF.',
  },
  uploadArchiveSize: {
    id: 'Isi berkas ini terlalu besar setelah dibuka (lebih dari {max} bita) atau dipadatkan secara tidak wajar.',
    en: 'This file would unpack to too much (over {max} bytes) or is compressed beyond reason.',
  },
  uploadCityQuota: {
    id: 'Ruang penyimpanan data dukung kota ini penuh: terpakai {used} dari {max}. Berkas yang sama dengan yang sudah tersimpan tetap diterima; untuk menambah ruang hubungi admin platform.',
    en: "This city's evidence storage is full: {used} of {max} used. A file identical to one already stored is still accepted; ask a platform admin for more room.",
  },
  uploadBusyUser: {
    id: 'Anda sudah mengunggah {max} berkas sekaligus. Tunggu sampai selesai, lalu coba lagi dalam {seconds} detik.',
    en: 'You are already uploading {max} files at once. Wait until they finish, then try again in {seconds} seconds.',
  },
  uploadBusyInstance: {
    id: 'Server sedang menerima terlalu banyak unggahan (maksimal {max} sekaligus). Coba lagi dalam {seconds} detik.',
    en: 'The server is receiving too many uploads (at most {max} at once). Try again in {seconds} seconds.',
  },
  attachTarget: {
    id: 'Pilih tepat satu tujuan: butir penilaian, rencana aksi atau laporan progres.',
    en: 'Choose exactly one target: an assessment item, an action plan or a progress report.',
  },
  sheetUnknown: {
    id: 'Lembar "{sheet}" tidak dikenal. Lembar masterplan: OPD, Program, Rencana Aksi, Indikator, Tonggak.',
    en: 'Unknown sheet "{sheet}". The masterplan sheets are OPD, Program, Rencana Aksi, Indikator and Tonggak.',
  },
  importRequired: { id: 'Wajib diisi.', en: 'This cell is required.' },
  importTooLong: { id: 'Terlalu panjang: maksimal {max} karakter.', en: 'Too long: at most {max} characters.' },
  importNumber: {
    id: 'Bukan angka: "{value}". Tulis misalnya 1.234,5 atau Rp 1.500.000.',
    en: 'Not a number: "{value}". Write e.g. 1.234,5 or Rp 1.500.000.',
  },
  importNotNegative: { id: 'Tidak boleh negatif.', en: 'Must not be negative.' },
  importPositive: { id: 'Harus lebih dari 0.', en: 'Must be greater than 0.' },
  importWhole: { id: 'Harus bilangan bulat rupiah.', en: 'Must be whole rupiah.' },
  importDate: {
    id: 'Bukan tanggal: "{value}". Tulis misalnya 17/08/2025 atau 17 Agustus 2025.',
    en: 'Not a date: "{value}". Write e.g. 17/08/2025 or 17 Agustus 2025.',
  },
  importYear: { id: 'Tahun harus antara 2000 dan 2100.', en: 'The year must be between 2000 and 2100.' },
  importChoice: {
    id: '"{value}" bukan pilihan yang ada. Pilih salah satu: {choices}.',
    en: '"{value}" is not one of the choices: {choices}.',
  },
  importFormulaError: { id: 'Rumus di sel ini menghasilkan galat ({value}).', en: 'The formula in this cell gives an error ({value}).' },
  importDuplicateKey: {
    id: 'Kode {code} sudah dipakai di baris {row} lembar ini.',
    en: 'Code {code} is already used in row {row} of this sheet.',
  },
  importUnknownRef: {
    id: 'Kode {code} tidak ada di lembar {sheet} maupun di data kota ini.',
    en: 'Code {code} is neither in sheet {sheet} nor in this city.',
  },
  importArchivedRef: { id: '{entity} dengan kode {code} sudah diarsipkan.', en: 'The {entity} with code {code} is archived.' },
  importAmbiguousPlan: {
    id: 'Ada lebih dari satu rencana aksi dengan kode {code} di kota ini; beri kode yang berbeda dulu.',
    en: 'More than one action plan of this city has code {code}; give them different codes first.',
  },
  importDuplicateName: {
    id: 'Nama "{value}" sudah dipakai OPD lain ({code}).',
    en: 'The name "{value}" is already used by another OPD ({code}).',
  },
  importDueBeforeStart: { id: 'Tenggat tidak boleh sebelum tanggal mulai.', en: 'The due date cannot be before the start date.' },
  importQuickWinYear: { id: 'Quick win perlu tahunnya.', en: 'A quick win needs its year.' },
  importOwnerSupporting: {
    id: 'OPD pemilik tidak boleh juga menjadi OPD pendukung.',
    en: 'The owner OPD cannot also be a supporting OPD.',
  },
  importHeaderMissing: { id: 'Kolom "{column}" tidak ada di baris judul.', en: 'Column "{column}" is missing from the header row.' },
  importHeaderTwice: { id: 'Kolom "{column}" muncul dua kali di baris judul.', en: 'Column "{column}" appears twice in the header row.' },
  importNoSheets: {
    id: 'Berkas ini tidak berisi lembar masterplan (OPD, Program, Rencana Aksi, Indikator, Tonggak).',
    en: 'This file has none of the masterplan sheets (OPD, Program, Rencana Aksi, Indikator, Tonggak).',
  },
  importCorrupt: {
    id: 'Berkas tidak bisa dibaca: rusak, terpotong, atau bukan {type}.',
    en: 'The file cannot be read: it is corrupt, cut short or not {type}.',
  },
  importTooManyRows: { id: 'Terlalu banyak baris: maksimal {max} dalam satu berkas.', en: 'Too many rows: at most {max} in one file.' },
  importSharedStrings: {
    id: 'Tabel teks bersama berkas ini terlalu besar (maksimal {max} teks berbeda dan {chars} karakter). Pecah berkas menjadi beberapa bagian.',
    en: "This file's shared-text table is too large (at most {max} distinct texts and {chars} characters). Split the file into parts.",
  },
  importTooManyErrors: {
    id: 'Lebih dari {max} masalah; sisanya tidak ditampilkan.',
    en: 'More than {max} problems; the rest are not listed.',
  },
  importSheetNeeded: { id: 'Untuk berkas CSV, sebutkan lembarnya (sheet=…).', en: 'For a CSV file, name its sheet (sheet=…).' },
  importType: { id: 'Kirim berkas .xlsx atau .csv.', en: 'Send an .xlsx or .csv file.' },
  importConflict: {
    id: 'Data kota ini berubah selama impor; periksa lagi lalu ulangi.',
    en: "This city's data changed during the import; check again and repeat.",
  },
} as const;

/** A key of the message catalogue. */
export type MessageKey = keyof typeof messages;

/** A catalogue message in `locale` (default: the current request's), with `{name}` placeholders filled. */
export function t(key: MessageKey, params: Record<string, string | number> = {}, locale: Locale = currentLocale()): string {
  const template: string = messages[key][locale];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

const entityNames: Record<string, { id: string; en: string }> = {
  City: { id: 'Kota', en: 'City' },
  Council: { id: 'Dewan Smart City', en: 'Council' },
  CouncilMember: { id: 'Anggota dewan', en: 'Council member' },
  Team: { id: 'Tim pelaksana', en: 'Implementation team' },
  TeamMember: { id: 'Anggota tim', en: 'Team member' },
  Opd: { id: 'OPD', en: 'OPD' },
  Masterplan: { id: 'Masterplan', en: 'Masterplan' },
  Program: { id: 'Program', en: 'Program' },
  ActionPlan: { id: 'Rencana aksi', en: 'Action plan' },
  Indicator: { id: 'Indikator', en: 'Indicator' },
  Milestone: { id: 'Tonggak capaian', en: 'Milestone' },
  ProgressReport: { id: 'Laporan progres', en: 'Progress report' },
  Activity: { id: 'Kegiatan', en: 'Activity' },
  EvaluationVisit: { id: 'Kunjungan monev', en: 'Evaluation visit' },
  User: { id: 'Pengguna', en: 'User' },
  ScreenToken: { id: 'Token layar', en: 'Screen token' },
  Risk: { id: 'Risiko', en: 'Risk' },
  Tag: { id: 'Tag', en: 'Tag' },
  EvaluationFramework: { id: 'Kerangka evaluasi', en: 'Evaluation framework' },
  RubricItem: { id: 'Butir penilaian', en: 'Rubric item' },
  SelfAssessment: { id: 'Penilaian mandiri', en: 'Self-assessment' },
  AssessmentItem: { id: 'Butir penilaian mandiri', en: 'Assessment item' },
  Evidence: { id: 'Data dukung', en: 'Evidence' },
  EvidenceAttachment: { id: 'Lampiran data dukung', en: 'Evidence attachment' },
};

/** Bytes as megabytes (of 1 048 576 bytes) for people: `1.536 MB` in Indonesian, `1,536 MB` in English. */
export function megabytes(bytes: number, locale: Locale = currentLocale()): string {
  const n = new Intl.NumberFormat(locale === 'id' ? 'id-ID' : 'en-GB', { maximumFractionDigits: 1 }).format(bytes / 1_048_576);
  return `${n} MB`;
}

/** The name of an entity for people, in the current locale. */
export function entityLabel(entity: string, locale: Locale = currentLocale()): string {
  return entityNames[entity]?.[locale] ?? entity;
}
