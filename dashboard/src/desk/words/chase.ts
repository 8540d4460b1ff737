// "Tindak lanjut" / "Follow-up": late plans by OPD, silent OPDs, and the reminder to paste (a
// letter in the desk's language: "Yth. Kepala …" in Indonesian, "Dear Head of …" in English).

/** What a reminder says about one OPD (dates and numbers already formatted). */
export interface ReminderFacts {
  opdName: string;
  abbreviation: string;
  cityName: string;
  /** The day of the figures, long form. */
  today: string;
  /** One line per late plan ("Title (code) — why"). */
  late: string[];
  /** One line per plan expected to be late ("Title (code) — forecast"). */
  atRisk: string[];
  /** Never reported, or since when (date, and how long ago) when silent for the chosen days; null: neither. */
  silence: { never: true } | { since: string; ago: string } | null;
  /** The menu label of the reporting page. */
  menu: string;
}

export const id = {
  title: (late: number, opds: number) => `Tindak lanjut: ${late} rencana aksi terlambat di ${opds} OPD`,
  docTitle: (late: number) => `Tindak lanjut: ${late} rencana aksi terlambat`,
  loading: 'Memuat rencana aksi…',
  lead: (date: string) => `Per ${date}. Salin pesan pengingat tiap OPD untuk WhatsApp atau surat.`,
  silentTitle: (days: number, n: number) => `OPD yang belum melapor ${days} hari (${n})`,
  silentChoices: 'Batas hari tanpa laporan',
  days: (n: number) => `${n} hari`,
  allReported: (days: number) => `Semua OPD sudah melapor dalam ${days} hari terakhir.`,
  lastReportAgo: (date: string, ago: string) => `laporan terakhir ${date} (${ago} lalu)`,
  neverReported: 'belum pernah melapor',
  perOpd: (n: number) => `Pengingat per OPD (${n})`,
  due: (date: string) => `tenggat ${date}`,
  overdue: (days: string, progress: string) => `sudah lewat ${days}, capaian ${progress}`,
  behind: (progress: string, expected: string) => `tertinggal dari jadwal: capaian ${progress}, seharusnya ${expected}`,
  lateCount: (n: number) => `${n} terlambat`,
  running: (n: number) => `${n} rencana aksi berjalan`,
  noneToRemind: 'Tidak ada OPD dengan rencana aksi terlambat: tidak ada pengingat yang perlu dikirim.',
  atRiskTitle: (n: number) => `Diperkirakan terlambat (${n})`,
  atRiskLead:
    'Rencana aksi yang belum terlambat, tetapi dengan laju laporannya 90 hari terakhir baru selesai setelah tenggat (atau tidak bergerak).',
  noneAtRisk: 'Tidak ada rencana aksi yang diperkirakan terlambat.',
  atRiskTag: 'Diperkirakan terlambat',
  expected: (date: string, days: string) => `perkiraan selesai ${date}, ${days} setelah tenggat`,
  notMoving: 'tidak bergerak: capaian tidak naik pada laporan terakhirnya',
  noneLate: 'Tidak ada yang terlambat',
  plans: (n: number) => `${n} rencana aksi`,
  lastReport: (date: string) => `laporan terakhir ${date}`,
  reminderFor: (opd: string) => `Pesan pengingat untuk ${opd}`,
  copyFor: (opd: string) => `Salin pesan untuk ${opd}`,
  reminder: (r: ReminderFacts): string[] => [
    `Yth. Kepala ${r.opdName},`,
    '',
    ...(r.late.length
      ? [
          `Berdasarkan pemantauan Pantau per ${r.today}, ${r.late.length} rencana aksi Smart City ${r.abbreviation} terlambat:`,
          ...r.late.map((line, i) => `${i + 1}. ${line}`),
          '',
        ]
      : []),
    ...(r.atRisk.length
      ? [
          `Dengan laju laporannya saat ini, ${r.atRisk.length} rencana aksi lain diperkirakan terlambat:`,
          ...r.atRisk.map((line, i) => `${i + 1}. ${line}`),
          '',
        ]
      : []),
    ...(r.silence === null
      ? []
      : 'never' in r.silence
        ? [`${r.abbreviation} belum pernah menyampaikan laporan kemajuan di Pantau.`]
        : [`Laporan kemajuan terakhir dari ${r.abbreviation} diterima ${r.silence.since} (${r.silence.ago} yang lalu).`]),
    `Mohon segera menyampaikan laporan kemajuan, kendala dan bukti dukungnya melalui Pantau (menu “${r.menu}”). Bila ada kendala, tim pelaksana siap membantu.`,
    '',
    'Terima kasih.',
    `Tim Pelaksana Kota Cerdas ${r.cityName}`,
  ],
};

export const en: typeof id = {
  title: (late: number, opds: number) =>
    `Follow-up: ${late} late action plan${late === 1 ? '' : 's'} in ${opds} OPD${opds === 1 ? '' : 's'}`,
  docTitle: (late: number) => `Follow-up: ${late} late action plan${late === 1 ? '' : 's'}`,
  loading: 'Loading action plans…',
  lead: (date: string) => `As of ${date}. Copy each OPD’s reminder for WhatsApp or a letter.`,
  silentTitle: (days: number, n: number) => `OPDs that have not reported for ${days} days (${n})`,
  silentChoices: 'Days without a report',
  days: (n: number) => `${n} days`,
  allReported: (days: number) => `Every OPD has reported in the last ${days} days.`,
  lastReportAgo: (date: string, ago: string) => `last report ${date} (${ago} ago)`,
  neverReported: 'never reported',
  perOpd: (n: number) => `Reminders per OPD (${n})`,
  due: (date: string) => `due ${date}`,
  overdue: (days: string, progress: string) => `${days} overdue, progress ${progress}`,
  behind: (progress: string, expected: string) => `behind schedule: progress ${progress}, should be ${expected}`,
  lateCount: (n: number) => `${n} late`,
  running: (n: number) => `${n} running action plan${n === 1 ? '' : 's'}`,
  noneToRemind: 'No OPD has a late action plan: no reminder needs to be sent.',
  atRiskTitle: (n: number) => `Expected to be late (${n})`,
  atRiskLead:
    'Action plans not late yet that, at the pace of their reports over the last 90 days, finish after their due date (or do not move).',
  noneAtRisk: 'No action plan is expected to be late.',
  atRiskTag: 'Expected to be late',
  expected: (date: string, days: string) => `expected to finish ${date}, ${days} after the due date`,
  notMoving: 'not moving: progress did not rise over its latest reports',
  noneLate: 'Nothing late',
  plans: (n: number) => `${n} action plan${n === 1 ? '' : 's'}`,
  lastReport: (date: string) => `last report ${date}`,
  reminderFor: (opd: string) => `Reminder for ${opd}`,
  copyFor: (opd: string) => `Copy the reminder for ${opd}`,
  reminder: (r: ReminderFacts): string[] => [
    `Dear Head of ${r.opdName},`,
    '',
    ...(r.late.length
      ? [
          `According to Pantau’s monitoring as of ${r.today}, ${r.late.length} of the Smart City action plans of ${r.abbreviation} ${r.late.length === 1 ? 'is' : 'are'} late:`,
          ...r.late.map((line, i) => `${i + 1}. ${line}`),
          '',
        ]
      : []),
    ...(r.atRisk.length
      ? [
          `At the pace of its reports, ${r.atRisk.length} other action plan${r.atRisk.length === 1 ? ' is' : 's are'} expected to be late:`,
          ...r.atRisk.map((line, i) => `${i + 1}. ${line}`),
          '',
        ]
      : []),
    ...(r.silence === null
      ? []
      : 'never' in r.silence
        ? [`${r.abbreviation} has not yet submitted any progress report in Pantau.`]
        : [`The last progress report from ${r.abbreviation} was received on ${r.silence.since} (${r.silence.ago} ago).`]),
    `We kindly ask you to submit your progress, any obstacles and the supporting evidence in Pantau (menu “${r.menu}”) as soon as possible. Should you meet any difficulty, the implementation team will gladly help.`,
    '',
    'Yours sincerely,',
    `Smart City Implementation Team, ${r.cityName}`,
  ],
};
