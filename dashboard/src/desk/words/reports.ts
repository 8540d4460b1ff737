// "Laporan monev" / "Monev report": the panel on the self-assessment page that opens the print
// report of a date, downloads its workbook and the evidence pack.

export const id = {
  title: 'Laporan monev',
  lead: 'Laporan untuk dicetak atau dikirim: ringkasan, dimensi, program dan rencana aksi, indikator, quick win, penilaian mandiri, risiko, agenda, dan rencana aksi yang diperkirakan terlambat.',
  asOf: 'Data per tanggal',
  visitDay: (date: string) => `Hari pertama kunjungan (${date})`,
  today: 'Hari ini',
  language: 'Bahasa laporan',
  languages: { id: 'Bahasa Indonesia', en: 'English' },
  open: 'Buka laporan cetak',
  xlsx: 'Unduh XLSX',
  pack: 'Unduh paket bukti (ZIP)',
  packNote: 'Semua berkas data dukung penilaian mandiri tahun ini, per dimensi dan butir, dengan daftar isinya.',
  printHint: 'Laporan terbuka di tab baru; cetak dengan Ctrl+P (atau ⌘P) dan pilih “Simpan sebagai PDF”.',
  working: 'Menyiapkan…',
  popupBlocked: 'Browser menahan tab baru: laporan diunduh sebagai berkas HTML.',
  failed: 'Laporan tidak dapat dibuat. Coba lagi sebentar lagi.',
  badDate: 'Pilih tanggal yang tidak sesudah hari ini.',
};

export const en: typeof id = {
  title: 'Monev report',
  lead: 'A report to print or send: summary, dimensions, programs and action plans, indicators, quick wins, the self-assessment, risks, the agenda, and the plans forecast late.',
  asOf: 'Figures as of',
  visitDay: (date: string) => `First day of the visit (${date})`,
  today: 'Today',
  language: 'Report language',
  languages: { id: 'Bahasa Indonesia', en: 'English' },
  open: 'Open the print report',
  xlsx: 'Download XLSX',
  pack: 'Download the evidence pack (ZIP)',
  packNote: "Every evidence file of this year's self-assessment, by dimension and item, with its index.",
  printHint: 'The report opens in a new tab; print it with Ctrl+P (or ⌘P) and choose “Save as PDF”.',
  working: 'Preparing…',
  popupBlocked: 'The browser held back the new tab: the report is downloaded as an HTML file.',
  failed: 'The report could not be made. Try again in a moment.',
  badDate: 'Choose a date not after today.',
};
