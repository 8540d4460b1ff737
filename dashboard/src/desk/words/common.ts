// The desk's shared words: the menu, roles, report statuses, error explanations, dates as people
// say them, the small building blocks (copy, confirm) and the evidence upload refusals.
import { STRINGS } from '../../i18n';

export const id = {
  loading: 'Memuat…',
  logout: 'Keluar',
  menu: 'Menu',
  switchCity: 'Ganti kota',
  pickCity: '← Pilih kota',
  nav: {
    lapor: 'Laporan OPD saya',
    verifikasi: 'Verifikasi',
    'tindak-lanjut': 'Tindak lanjut',
    layar: 'Layar',
    pengguna: 'Pengguna',
    risiko: 'Risiko',
    penilaian: 'Penilaian mandiri',
    nasional: 'Nasional',
    pengaturan: 'Pengaturan kota',
    'layar-kota': 'Layar kota (langsung)',
  },
  offline: 'Jaringan terputus. Anda tetap bisa menulis laporan; laporan dikirim otomatis saat jaringan kembali.',
  notForRole: 'Halaman ini bukan untuk peran Anda',
  notForRoleText: (role: string) =>
    `Anda masuk sebagai ${role}. Pilih halaman lain dari menu di atas, atau hubungi admin kota bila Anda perlu akses.`,
  roles: {
    PLATFORM_ADMIN: 'Admin platform',
    CITY_ADMIN: 'Admin kota',
    OPD_REPORTER: 'Pelapor OPD',
    VIEWER: 'Pemirsa (hanya baca)',
    EVALUATOR: 'Evaluator',
  },
  reportStatus: { SUBMITTED: 'Menunggu verifikasi', VERIFIED: 'Terverifikasi', RETURNED: 'Dikembalikan' },
  states: STRINGS.id.states,
  errors: {
    network: 'Server tidak dapat dihubungi. Periksa jaringan, lalu coba lagi.',
    conflict: 'Data ini sudah diubah orang lain. Lihat perubahannya, lalu kirim lagi.',
    forbidden: 'Anda tidak berwenang melakukan ini. Hubungi admin kota bila perlu.',
    rateLimited: 'Terlalu banyak percobaan. Tunggu sebentar, lalu coba lagi.',
    notFound: 'Data ini tidak ditemukan lagi. Muat ulang halaman.',
    unknown: 'Terjadi kesalahan. Muat ulang halaman, lalu coba lagi.',
  },
  /** "Jumat, 3 Oktober 2025 pukul 14.02 WIB". */
  dateAt: (date: string, time: string) => `${date} pukul ${time}`,
  /** Beyond a month, "pada 3 Okt 2025" instead of "… yang lalu". */
  onDate: (date: string) => `pada ${date}`,
  copy: 'Salin',
  copied: '✓ Tersalin',
  copyByHand: 'Pilih teks, lalu salin manual',
  cancel: 'Batal',
  upload: {
    tooBig: (mb: string | null) =>
      `Berkas terlalu besar${mb ? ` (maksimal ${mb} MB)` : ''}. Perkecil berkasnya (mis. simpan ulang PDF dengan ukuran lebih kecil), lalu unggah lagi.`,
    badName:
      'Nama berkas tidak dapat dipakai: tanpa tanda / atau \\, tanpa karakter khusus, paling banyak 255 karakter. Ganti nama berkasnya, lalu unggah lagi.',
    empty: 'Berkas kosong. Pilih berkas yang berisi, lalu unggah lagi.',
    badType:
      'Jenis berkas ini tidak diterima. Pantau memeriksa isi berkas, bukan namanya. Unggah PDF, gambar (PNG, JPEG, WebP), dokumen Word/Excel/PowerPoint atau ODF, CSV atau teks.',
    forbidden: 'Anda tidak berwenang mengunggah data dukung untuk kota ini.',
    failed: 'Berkas tidak dapat diunggah. Coba lagi sebentar lagi.',
    network: 'Server tidak dapat dihubungi. Periksa jaringan, lalu unggah lagi.',
    gone: 'Berkas ini tidak ditemukan lagi. Muat ulang halaman.',
    cityFull:
      'Ruang penyimpanan data dukung kota ini penuh. Berkas yang sudah pernah diunggah tetap diterima; untuk berkas baru, minta admin platform menambah ruang.',
    tooMany: 'Terlalu banyak unggahan berjalan bersamaan. Tunggu unggahan lain selesai, lalu coba lagi dalam beberapa detik.',
  },
};

export const en: typeof id = {
  loading: 'Loading…',
  logout: 'Log out',
  menu: 'Menu',
  switchCity: 'Switch city',
  pickCity: '← Choose a city',
  nav: {
    lapor: 'My OPD’s reports',
    verifikasi: 'Verification',
    'tindak-lanjut': 'Follow-up',
    layar: 'Screens',
    pengguna: 'Users',
    risiko: 'Risks',
    penilaian: 'Self-assessment',
    nasional: 'National',
    pengaturan: 'City setup',
    'layar-kota': 'City screen (live)',
  },
  offline: 'The network is down. You can still write reports; they are sent by themselves when the network is back.',
  notForRole: 'This page is not for your role',
  notForRoleText: (role: string) =>
    `You are logged in as ${role}. Choose another page from the menu above, or ask the city admin if you need access.`,
  roles: {
    PLATFORM_ADMIN: 'Platform admin',
    CITY_ADMIN: 'City admin',
    OPD_REPORTER: 'OPD reporter',
    VIEWER: 'Viewer (read only)',
    EVALUATOR: 'Evaluator',
  },
  reportStatus: { SUBMITTED: 'Awaiting verification', VERIFIED: 'Verified', RETURNED: 'Returned' },
  states: STRINGS.en.states,
  errors: {
    network: 'The server cannot be reached. Check the network, then try again.',
    conflict: 'Someone else changed this in the meantime. Look at their change, then send again.',
    forbidden: 'You are not allowed to do this. Ask the city admin if you need to.',
    rateLimited: 'Too many attempts. Wait a moment, then try again.',
    notFound: 'This no longer exists. Reload the page.',
    unknown: 'Something went wrong. Reload the page, then try again.',
  },
  dateAt: (date: string, time: string) => `${date} at ${time}`,
  onDate: (date: string) => `on ${date}`,
  copy: 'Copy',
  copied: '✓ Copied',
  copyByHand: 'Select the text, then copy it by hand',
  cancel: 'Cancel',
  upload: {
    tooBig: (mb: string | null) =>
      `The file is too big${mb ? ` (at most ${mb} MB)` : ''}. Make it smaller (e.g. save the PDF again at a smaller size), then upload it again.`,
    badName:
      'This file name cannot be used: no / or \\, no special characters, at most 255 characters. Rename the file, then upload it again.',
    empty: 'The file is empty. Choose a file with something in it, then upload it again.',
    badType:
      'This kind of file is not accepted. Pantau looks at what is in a file, not at its name. Upload a PDF, an image (PNG, JPEG, WebP), a Word/Excel/PowerPoint or ODF document, a CSV or a text file.',
    forbidden: 'You are not allowed to upload evidence for this city.',
    failed: 'The file could not be uploaded. Try again in a moment.',
    network: 'The server cannot be reached. Check the network, then upload again.',
    gone: 'This file no longer exists. Reload the page.',
    cityFull:
      "This city's evidence storage is full. Files uploaded before are still accepted; for a new file, ask the platform admin for more space.",
    tooMany: 'Too many uploads are running at once. Wait for the others to finish, then try again in a few seconds.',
  },
};
