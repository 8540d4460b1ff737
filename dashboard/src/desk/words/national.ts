// "Nasional" / "National": the cities a person may read, side by side.

export const id = {
  title: (n: string) => `Perbandingan ${n} kota`,
  lead: 'Capaian, rencana aksi terlambat, laporan yang belum diverifikasi, hari menuju kunjungan monev, indeks penilaian mandiri tahun ini dan kekurangan menjelang monev setiap kota yang boleh Anda lihat. Klik judul kolom untuk mengurutkan.',
  columns: {
    NAME: 'Kota',
    PROGRESS: 'Capaian',
    VERIFIED_PROGRESS: 'Capaian terverifikasi',
    LATE: 'Terlambat',
    UNVERIFIED: 'Belum diverifikasi',
    DAYS_TO_VISIT: 'Kunjungan monev',
    INDEX: 'Indeks',
    GAPS: 'Kekurangan',
  },
  sortedBy: (column: string, ascending: boolean) => `Diurutkan menurut ${column}, ${ascending ? 'naik' : 'turun'}.`,
  table: 'Tabel perbandingan kota (geser ke samping bila perlu)',
  plans: (n: string) => `${n} rencana aksi`,
  notScheduled: 'belum dijadwalkan',
  underWay: 'sedang berlangsung',
  inDays: (days: string) => `${days} lagi`,
  notScored: 'belum dinilai',
  indexOf: (index: string, max: string) => `${index} dari ${max}`,
};

export const en: typeof id = {
  title: (n: string) => `${n} cities compared`,
  lead: 'Progress, late action plans, reports not yet verified, days to the evaluation visit (monev), this year’s self-assessment index and the gaps before monev, for every city you may see. Click a column heading to sort.',
  columns: {
    NAME: 'City',
    PROGRESS: 'Progress',
    VERIFIED_PROGRESS: 'Verified progress',
    LATE: 'Late',
    UNVERIFIED: 'Not yet verified',
    DAYS_TO_VISIT: 'Evaluation visit',
    INDEX: 'Index',
    GAPS: 'Gaps',
  },
  sortedBy: (column: string, ascending: boolean) => `Sorted by ${column}, ${ascending ? 'ascending' : 'descending'}.`,
  table: 'Cities compared (scroll sideways if needed)',
  plans: (n: string) => `${n} action plans`,
  notScheduled: 'not scheduled',
  underWay: 'under way',
  inDays: (days: string) => `in ${days}`,
  notScored: 'not scored',
  indexOf: (index: string, max: string) => `${index} of ${max}`,
};
