/**
 * Static tables for the demo seed (see `demo.ts`): the two demo cities, their OPDs, council, team,
 * masterplan, programs and action plans, and the text the seed draws progress reports from.
 *
 * Facts (names, roles, dates, places) come from the news reports the product is built from; every
 * sentence here is written for the demo. People the reports do not name are invented, and so are
 * decree numbers, budgets and indicator figures.
 */
import { ActivityKind } from '../../modules/evaluation/evaluation.entity';
import { BudgetSource } from '../../modules/action-plans/action-plan.entity';
import { CouncilCategory } from '../../modules/council/council.entity';
import { Dimension } from '../../modules/masterplan/dimension';
import { TeamRole } from '../../modules/teams/team.entity';

/** What kind of work a plan is; picks the wording of its reports, milestones and obstacles. */
export type PlanKind = 'APP' | 'INFRA' | 'EVENT' | 'DATA';

/**
 * Where a plan stands on the demo's today. Named scenarios are placed relative to today (so the mix
 * of done, on-track, late and not-started plans is the same on any day); `{ start, due }` is a plan
 * of a finished year with fixed dates, completed shortly before its due date.
 */
export type Scenario =
  | 'done' // finished, due date already passed
  | 'doneEarly' // finished before a due date still ahead
  | 'onTrack' // progressing along its schedule
  | 'overdue' // due date passed, not finished (late)
  | 'behind' // due date ahead but far behind a straight-line schedule (late)
  | 'notStarted' // starts after today, no reports
  | 'onHold' // stalled, status ON_HOLD
  | 'cancelled' // stopped early, status CANCELLED
  | { start: string; due: string };

export interface OpdSeed {
  name: string;
  abbr: string;
  head: string;
  leading?: boolean;
}

export interface CouncilMemberSeed {
  name: string;
  position: string;
  organisation: string;
  category: CouncilCategory;
}

export interface TeamMemberSeed {
  name: string;
  position: string;
  role: TeamRole;
  /** Abbreviation of the OPD the member represents. */
  opd: string;
}

export interface ProgramSeed {
  key: string;
  name: string;
  dimension: Dimension;
  description: string;
  quickWinYear?: number;
}

export interface IndicatorSeed {
  name: string;
  unit: string;
  baseline: number;
  target: number;
  decrease?: boolean;
  /** Values per month (`YYYY-MM`) instead of per quarter (`YYYY-Qn`). */
  monthly?: boolean;
}

export interface PlanSeed {
  code: string;
  program: string;
  owner: string;
  support?: string[];
  kind: PlanKind;
  /** A noun phrase for the thing being built, used in report narratives ("aplikasi e-Farmasi"). */
  subject: string;
  title: string;
  description: string;
  /** Rupiah. */
  budget: number;
  source: BudgetSource;
  weight: number;
  scenario: Scenario;
  indicators: IndicatorSeed[];
  /** For a plan on hold or cancelled: the obstacle on its last report. */
  holdReason?: string;
}

/** A date: fixed (`YYYY-MM-DD`) or a number of days from today. */
export type SeedDate = string | number;

export interface ActivitySeed {
  kind: ActivityKind;
  title: string;
  phase?: number;
  start: SeedDate;
  end?: SeedDate;
  place?: string;
  outcome?: string;
}

export interface VisitSeed {
  start: SeedDate;
  days: number;
  evaluator: string;
  agenda: string;
}

export interface UserSeed {
  email: string;
  name: string;
  role: 'CITY_ADMIN' | 'OPD_REPORTER' | 'VIEWER';
  /** For reporters: the OPD they report for. */
  opd?: string;
}

export interface CitySeed {
  name: string;
  province: string;
  joinedYear: number;
  timeZone: string;
  /** Host for the placeholder evidence links. */
  domain: string;
  opds: OpdSeed[];
  council: { name: string; decreeNumber: string; decreeDate: string; members: CouncilMemberSeed[] };
  team: { name: string; decreeNumber: string; decreeDate: string; members: TeamMemberSeed[] };
  masterplan: {
    title: string;
    startYear: number;
    endYear: number;
    vision: string;
    /**
     * After `endYear` the masterplan is revised for the next periods of `years` years from
     * `firstYear` (the demo shows the period its today falls in): "<title> 2024–2028 (revisi)".
     */
    revised?: { firstYear: number; years: number; title: string; vision: string };
  };
  programs: ProgramSeed[];
  plans: PlanSeed[];
  /** Plan codes whose latest report still waits for the city team's verification (the demo's queue). */
  awaitingVerification?: string[];
  activities: ActivitySeed[];
  visits: VisitSeed[];
  users: UserSeed[];
}

const jt = (n: number): number => n * 1_000_000;

const { GOVERNANCE, BRANDING, ECONOMY, LIVING, SOCIETY, ENVIRONMENT } = Dimension;
const { GOVERNMENT, UNIVERSITY, FKPD, COMMUNITY, PRIVATE } = CouncilCategory;
const { LEADER, DEPUTY, SECRETARY, MEMBER } = TeamRole;
const { APBD, APBN, DAK, CSR } = BudgetSource;

export const EVALUATOR = 'Kemenkominfo — Direktorat LAIP';

// ---------------------------------------------------------------------------------------------
// Tanjungpinang
// ---------------------------------------------------------------------------------------------

const tanjungpinang: CitySeed = {
  name: 'Tanjungpinang',
  province: 'Kepulauan Riau',
  joinedYear: 2019,
  timeZone: 'Asia/Jakarta',
  domain: 'tanjungpinangkota.go.id',
  opds: [
    // Heads named in the reports: Plt. Kepala Diskominfo Soemantri (2022), Kepala Bappelitbang Surjadi (2022).
    { name: 'Dinas Komunikasi dan Informatika', abbr: 'Diskominfo', head: 'Soemantri (Plt.)', leading: true },
    { name: 'Badan Perencanaan, Penelitian dan Pengembangan', abbr: 'Bappelitbang', head: 'Surjadi' },
    { name: 'Dinas Kesehatan', abbr: 'Dinkes', head: 'dr. Nurhayati Saleh, M.Kes.' },
    { name: 'Rumah Sakit Umum Daerah Kota Tanjungpinang', abbr: 'RSUD', head: 'dr. Fadhil Rahman, Sp.B.' },
    { name: 'Dinas Pariwisata', abbr: 'Dispar', head: 'Raja Hendra Syahputra, S.Sos.' },
    { name: 'Dinas Kebudayaan', abbr: 'Disbud', head: 'Tengku Zulfikar Amri, M.Si.' },
    { name: 'Dinas Koperasi dan Usaha Mikro, Kecil dan Menengah', abbr: 'Diskop UMKM', head: 'Hj. Siti Aminah, S.E., M.M.' },
    { name: 'Badan Pengelolaan Keuangan dan Pendapatan Daerah', abbr: 'BPKPD', head: 'Ahmad Fauzi Ramli, S.E., M.Ak.' },
    { name: 'Dinas Perhubungan', abbr: 'Dishub', head: 'Iskandar Zulkarnain, S.T.' },
    { name: 'Dinas Pekerjaan Umum dan Penataan Ruang', abbr: 'Dinas PUPR', head: 'Ir. Budi Santoso, M.T.' },
    { name: 'Dinas Lingkungan Hidup', abbr: 'DLH', head: 'Yuli Kartika Sari, S.Hut., M.Si.' },
    { name: 'Dinas Kependudukan dan Pencatatan Sipil', abbr: 'Disdukcapil', head: 'Rudi Hartono, S.H.' },
    { name: 'Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu', abbr: 'DPMPTSP', head: 'Desi Ratnasari, S.STP., M.Si.' },
    { name: 'Dinas Pendidikan', abbr: 'Disdik', head: 'Drs. Syamsul Bahri, M.Pd.' },
  ],
  council: {
    name: 'Dewan Smart City Kota Tanjungpinang',
    // Invented number; the reports only say both decrees were issued before the 1 July 2019 meeting.
    decreeNumber: 'Keputusan Wali Kota Tanjungpinang Nomor 241 Tahun 2019',
    decreeDate: '2019-06-17',
    members: [
      { name: 'Syahrul', position: 'Ketua', organisation: 'Wali Kota Tanjungpinang', category: GOVERNMENT },
      { name: 'Rahma', position: 'Wakil Ketua', organisation: 'Wakil Wali Kota Tanjungpinang', category: GOVERNMENT },
      {
        name: 'Abdul Kadir Ibrahim',
        position: 'Sekretaris',
        organisation: 'Kepala Dinas Komunikasi dan Informatika',
        category: GOVERNMENT,
      },
      {
        name: 'H. Zulkarnain Saleh, S.H., M.Si.',
        position: 'Anggota',
        organisation: 'Sekretaris Daerah Kota Tanjungpinang',
        category: GOVERNMENT,
      },
      {
        name: 'Bambang Hartanto',
        position: 'Anggota',
        organisation: 'Asisten II Bidang Perekonomian dan Pembangunan, Setda Kota Tanjungpinang',
        category: GOVERNMENT,
      },
      { name: 'Surjadi', position: 'Anggota', organisation: 'Kepala Bappelitbang Kota Tanjungpinang', category: GOVERNMENT },
      { name: 'Hj. Nurlaili Yusuf, S.E.', position: 'Anggota', organisation: 'DPRD Kota Tanjungpinang', category: GOVERNMENT },
      {
        name: 'Prof. Dr. Agus Salim Harahap, M.Sc.',
        position: 'Anggota',
        organisation: 'Universitas Maritim Raja Ali Haji (Rektor)',
        category: UNIVERSITY,
      },
      {
        name: 'Dr. Yusrizal Effendi, M.T.',
        position: 'Anggota',
        organisation: 'Fakultas Teknik dan Teknologi Kemaritiman, Universitas Maritim Raja Ali Haji',
        category: UNIVERSITY,
      },
      { name: 'Dr. Endang Susilawati, M.Si.', position: 'Anggota', organisation: 'STISIPOL Raja Haji Tanjungpinang', category: UNIVERSITY },
      { name: 'Dr. Hasan Basri, S.E., M.M.', position: 'Anggota', organisation: 'STIE Pembangunan Tanjungpinang', category: UNIVERSITY },
      { name: 'AKBP Dwi Prasetyo, S.I.K.', position: 'Anggota', organisation: 'Kepolisian Resor Tanjungpinang', category: FKPD },
      { name: 'Letkol Inf. Ridwan Syahputra', position: 'Anggota', organisation: 'Komando Distrik Militer 0315/Bintan', category: FKPD },
      { name: 'Kolonel Laut (P) Heri Kurniawan', position: 'Anggota', organisation: 'Pangkalan TNI AL Tanjungpinang', category: FKPD },
      { name: 'Andi Mappasessu, S.H., M.H.', position: 'Anggota', organisation: 'Kejaksaan Negeri Tanjungpinang', category: FKPD },
      { name: 'Dr. Agustina Marpaung, S.H., M.H.', position: 'Anggota', organisation: 'Pengadilan Negeri Tanjungpinang', category: FKPD },
      {
        name: 'Datuk H. Raja Ismail Hamzah',
        position: 'Anggota',
        organisation: 'Lembaga Adat Melayu Kota Tanjungpinang',
        category: COMMUNITY,
      },
      { name: 'K.H. Mahmud Arifin', position: 'Anggota', organisation: 'Majelis Ulama Indonesia Kota Tanjungpinang', category: COMMUNITY },
      { name: 'Hj. Dewi Kartika', position: 'Anggota', organisation: 'Tim Penggerak PKK Kota Tanjungpinang', category: COMMUNITY },
      { name: 'Muhammad Rizky Pratama, S.Kom.', position: 'Anggota', organisation: 'Relawan TIK Kota Tanjungpinang', category: COMMUNITY },
      { name: 'Fitriani Lestari', position: 'Anggota', organisation: 'Kelompok Sadar Wisata Pulau Penyengat', category: COMMUNITY },
      { name: 'Rudi Irawan', position: 'Anggota', organisation: 'Bank Riau Kepri Cabang Tanjungpinang', category: PRIVATE },
      { name: 'Stevanus Wijaya', position: 'Anggota', organisation: 'Kadin Kota Tanjungpinang', category: PRIVATE },
      { name: 'Ir. Joko Susanto', position: 'Anggota', organisation: 'PT PLN (Persero) UP3 Tanjungpinang', category: PRIVATE },
      {
        name: 'Lina Marlina, S.E.',
        position: 'Anggota',
        organisation: 'PT Telkom Indonesia (Persero) Tbk, Tanjungpinang',
        category: PRIVATE,
      },
      { name: 'Hendrik Sitompul, S.T.', position: 'Anggota', organisation: 'Perumda Air Minum Tirta Kepri', category: PRIVATE },
    ],
  },
  team: {
    name: 'Tim Pelaksana Kota Cerdas Kota Tanjungpinang',
    decreeNumber: 'Keputusan Wali Kota Tanjungpinang Nomor 242 Tahun 2019',
    decreeDate: '2019-06-17',
    members: [
      { name: 'Surjadi', position: 'Kepala Bappelitbang', role: LEADER, opd: 'Bappelitbang' },
      { name: 'Rina Yuliani, S.T., M.Si.', position: 'Sekretaris Bappelitbang', role: DEPUTY, opd: 'Bappelitbang' },
      { name: 'Aidil Fitra, S.Kom., M.T.', position: 'Kepala Bidang Aplikasi Informatika, Diskominfo', role: SECRETARY, opd: 'Diskominfo' },
      { name: 'Nurul Aini, S.KM.', position: 'Kepala Bidang Pelayanan Kesehatan, Dinkes', role: MEMBER, opd: 'Dinkes' },
      { name: 'dr. Wulan Permatasari', position: 'Kepala Bidang Pelayanan Medik, RSUD', role: MEMBER, opd: 'RSUD' },
      { name: 'Raja Faisal Amri, S.Sos.', position: 'Sekretaris Dinas Pariwisata', role: MEMBER, opd: 'Dispar' },
      { name: 'Syarifah Nurul Huda, M.Hum.', position: 'Kepala Bidang Cagar Budaya, Dinas Kebudayaan', role: MEMBER, opd: 'Disbud' },
      { name: 'Doni Kurniawan, S.E.', position: 'Kepala Bidang Usaha Mikro, Diskop UMKM', role: MEMBER, opd: 'Diskop UMKM' },
      { name: 'Meliana Sari, S.E., Ak.', position: 'Kepala Bidang Anggaran, BPKPD', role: MEMBER, opd: 'BPKPD' },
      { name: 'Yudi Prasetya, S.SiT.', position: 'Kepala Bidang Lalu Lintas, Dishub', role: MEMBER, opd: 'Dishub' },
      { name: 'Arief Rahman Hakim, S.T.', position: 'Kepala Bidang Tata Ruang, Dinas PUPR', role: MEMBER, opd: 'Dinas PUPR' },
      { name: 'Sari Indah Permata, S.Si.', position: 'Kepala Bidang Pengelolaan Sampah, DLH', role: MEMBER, opd: 'DLH' },
      {
        name: 'Fadli Ramadhan, S.Kom.',
        position: 'Kepala Bidang Pengelolaan Informasi Administrasi Kependudukan',
        role: MEMBER,
        opd: 'Disdukcapil',
      },
      { name: 'Novi Andriani, S.H.', position: 'Kepala Bidang Perizinan, DPMPTSP', role: MEMBER, opd: 'DPMPTSP' },
      { name: 'Eka Saputra, S.Pd., M.Pd.', position: 'Sekretaris Dinas Pendidikan', role: MEMBER, opd: 'Disdik' },
    ],
  },
  masterplan: {
    title: 'Masterplan Smart City Kota Tanjungpinang 2019–2023',
    startYear: 2019,
    endYear: 2023,
    // The mayor's 2019 vision, paraphrased (it follows the city's RPJMD 2018–2023).
    vision:
      'Memanfaatkan teknologi informasi untuk membawa Tanjungpinang menjadi kota yang maju, sejahtera, dan tetap berakar pada budaya Melayu, ' +
      'dengan warga madani yang hidup rukun di tengah keberagaman. Keenam dimensi kota cerdas mengikuti RPJMD 2018–2023 dan prioritas pembangunan nasional.',
    // Revised when the first period ended (the programme calendar has the revision's steps).
    revised: {
      firstYear: 2024,
      years: 5,
      title: 'Masterplan Smart City Kota Tanjungpinang',
      vision:
        'Melanjutkan masterplan 2019–2023: teknologi informasi untuk Tanjungpinang yang maju, sejahtera, dan berakar pada budaya Melayu. ' +
        'Revisi menyelaraskan program keenam dimensi dengan RPJMD yang berlaku dan menambah rencana aksi tahunan untuk periode ini.',
    },
  },
  programs: [
    {
      key: 'GOV-DATA',
      name: 'Integrasi Data dan Satu Data Tanjungpinang',
      dimension: GOVERNANCE,
      quickWinYear: 2019,
      description:
        'Quick win 2019: data OPD dikumpulkan dalam satu portal dengan standar dan kode referensi yang sama, agar keputusan pimpinan berpijak pada data yang sama.',
    },
    {
      key: 'GOV-FIN',
      name: 'Perencanaan, Penganggaran dan Pendapatan Daerah Elektronik',
      dimension: GOVERNANCE,
      description:
        'Menyambungkan e-planning, e-budgeting dan layanan pajak daerah daring sehingga siklus perencanaan sampai penerimaan tercatat secara elektronik.',
    },
    {
      key: 'GOV-SVC',
      name: 'Pelayanan Publik Terpadu Daring',
      dimension: GOVERNANCE,
      description: 'Layanan kependudukan dan perizinan yang bisa diurus tanpa antre, dengan status permohonan yang dapat dipantau pemohon.',
    },
    {
      key: 'BRD-PUSAKA',
      name: 'Tanjungpinang Kota Pusaka dan Budaya',
      dimension: BRANDING,
      quickWinYear: 2019,
      description:
        'Quick win 2019 di bidang pariwisata: tema tahun pertama Kota Pusaka dan Budaya, dengan informasi daring tentang Pulau Penyengat, ' +
        'serta dukungan bagi kewirausahaan dan UMKM yang hidup dari kunjungan wisata.',
    },
    {
      key: 'BRD-PROMO',
      name: 'Promosi Wisata dan Event Kota secara Digital',
      dimension: BRANDING,
      description:
        'Mengenalkan agenda budaya dan destinasi kota kepada wisatawan melalui kanal digital dan media informasi di lokasi wisata.',
    },
    {
      key: 'ECO-UMKM',
      name: 'UMKM Go Digital dan Pembayaran Nontunai',
      dimension: ECONOMY,
      quickWinYear: 2022,
      description: 'Quick win tambahan 2022: pelaku UMKM dibantu berjualan daring dan menerima pembayaran nontunai.',
    },
    {
      key: 'ECO-INVEST',
      name: 'Kemudahan Berusaha dan Investasi',
      dimension: ECONOMY,
      description: 'Informasi peluang usaha dan layanan bagi calon investor yang mudah dijangkau.',
    },
    {
      key: 'LIV-HEALTH',
      name: 'Layanan Kesehatan Berbasis Elektronik',
      dimension: LIVING,
      quickWinYear: 2019,
      description:
        'Quick win 2019 di bidang kesehatan: puskesmas dan rumah sakit melayani secara elektronik, mulai dari pendaftaran, obat, jadwal dokter ' +
        'sampai informasi kamar rawat yang masih kosong.',
    },
    {
      key: 'LIV-MOB',
      name: 'Transportasi dan Mobilitas Kota',
      dimension: LIVING,
      description: 'Lalu lintas yang lebih lancar dan informasi angkutan darat maupun penyeberangan yang mudah didapat warga.',
    },
    {
      key: 'LIV-UTIL',
      name: 'Utilitas dan Bangunan Kota Terintegrasi',
      dimension: LIVING,
      description: 'Data jaringan air, listrik dan bangunan gedung dalam satu sistem agar layanan utilitas bisa direncanakan bersama.',
    },
    {
      key: 'SOC-ADUAN',
      name: 'Layanan Pengaduan dan Partisipasi Warga',
      dimension: SOCIETY,
      quickWinYear: 2022,
      description:
        'Quick win tambahan 2022: satu pintu pengaduan warga yang tindak lanjutnya bisa diikuti, serta ruang usulan warga dalam perencanaan.',
    },
    {
      key: 'SOC-LIT',
      name: 'Literasi Digital dan Pendidikan Cerdas',
      dimension: SOCIETY,
      description: 'Pelajar, guru dan warga dibekali keterampilan digital yang aman dan produktif.',
    },
    {
      key: 'ENV-SAMPAH',
      name: 'Pengelolaan Sampah Berbasis Masyarakat dan Teknologi',
      dimension: ENVIRONMENT,
      description: 'Mengurangi sampah dari sumbernya lewat bank sampah dan memantau armada pengangkut secara langsung.',
    },
    {
      key: 'ENV-PANTAU',
      name: 'Pemantauan Lingkungan dan Drainase Kota',
      dimension: ENVIRONMENT,
      description: 'Sensor dan peta untuk kualitas udara dan air, genangan, serta ruang terbuka hijau kota.',
    },
  ],
  plans: [
    // --- GOVERNANCE ---
    {
      code: 'GOV-01',
      program: 'GOV-DATA',
      owner: 'Diskominfo',
      support: ['Bappelitbang', 'Disdukcapil'],
      kind: 'DATA',
      subject: 'portal Satu Data Tanjungpinang',
      title: 'Portal Satu Data Tanjungpinang dan integrasi data OPD',
      description:
        'Membangun portal data kota dan menyepakati standar data, metadata serta walidata di setiap OPD sebagai fondasi quick win integrasi data.',
      budget: jt(850),
      source: APBD,
      weight: 3,
      scenario: { start: '2019-11-04', due: '2020-10-30' },
      indicators: [
        { name: 'OPD yang datanya terbit di portal', unit: 'OPD', baseline: 0, target: 30 },
        { name: 'Dataset terbuka', unit: 'dataset', baseline: 12, target: 250 },
      ],
    },
    {
      code: 'GOV-02',
      program: 'GOV-FIN',
      owner: 'Bappelitbang',
      support: ['Diskominfo'],
      kind: 'APP',
      subject: 'e-planning',
      title: 'Pengembangan e-planning terintegrasi dengan penyusunan RKPD',
      description:
        'Usulan program OPD, musrenbang dan penyusunan RKPD dikelola dalam e-planning yang sudah dipakai Bappelitbang, lalu diperluas ke seluruh OPD.',
      budget: jt(450),
      source: APBD,
      weight: 2,
      scenario: { start: '2020-01-13', due: '2020-11-27' },
      indicators: [{ name: 'OPD yang menyusun rencana kerja lewat e-planning', unit: 'OPD', baseline: 8, target: 38 }],
    },
    {
      code: 'GOV-03',
      program: 'GOV-FIN',
      owner: 'BPKPD',
      support: ['Bappelitbang'],
      kind: 'APP',
      subject: 'e-budgeting',
      title: 'Penerapan e-budgeting yang tersambung dengan e-planning',
      description:
        'Pagu dan rincian anggaran OPD diambil langsung dari dokumen perencanaan sehingga tidak ada input ulang dan selisih data.',
      budget: jt(600),
      source: APBD,
      weight: 2,
      scenario: { start: '2020-02-03', due: '2020-12-18' },
      indicators: [{ name: 'Waktu penyusunan RKA seluruh OPD', unit: 'hari', baseline: 45, target: 20, decrease: true }],
    },
    {
      code: 'GOV-04',
      program: 'GOV-FIN',
      owner: 'BPKPD',
      support: ['Diskominfo'],
      kind: 'APP',
      subject: 'layanan BPHTB online',
      title: 'BPHTB online dengan validasi data pertanahan',
      description: 'Wajib pajak dan PPAT mengajukan, membayar dan memvalidasi BPHTB secara daring, dengan pencocokan data bidang tanah.',
      budget: jt(375),
      source: APBD,
      weight: 2,
      scenario: { start: '2021-02-01', due: '2021-09-30' },
      indicators: [
        { name: 'Transaksi BPHTB yang diproses daring', unit: '%', baseline: 15, target: 95 },
        { name: 'Waktu validasi BPHTB', unit: 'hari', baseline: 5, target: 1, decrease: true },
      ],
    },
    {
      code: 'GOV-05',
      program: 'GOV-DATA',
      owner: 'Diskominfo',
      support: ['Bappelitbang'],
      kind: 'DATA',
      subject: 'dasbor eksekutif',
      title: 'Dasbor eksekutif data pembangunan untuk pimpinan daerah',
      description:
        'Indikator kinerja, realisasi anggaran dan layanan publik ditampilkan dalam satu dasbor yang diperbarui otomatis dari aplikasi OPD.',
      budget: jt(1200),
      source: APBD,
      weight: 3,
      scenario: 'onTrack',
      indicators: [{ name: 'Indikator yang diperbarui otomatis', unit: 'indikator', baseline: 10, target: 60 }],
    },
    {
      code: 'GOV-06',
      program: 'GOV-SVC',
      owner: 'Disdukcapil',
      support: ['Diskominfo'],
      kind: 'APP',
      subject: 'layanan adminduk mandiri',
      title: 'Layanan administrasi kependudukan mandiri lewat anjungan dan daring',
      description: 'Cetak dokumen kependudukan di anjungan mandiri kecamatan dan permohonan akta, KK serta pindah datang secara daring.',
      budget: jt(700),
      source: APBD,
      weight: 2,
      scenario: 'done',
      indicators: [
        { name: 'Permohonan dokumen kependudukan yang diajukan daring', unit: '%', baseline: 20, target: 70 },
        { name: 'Anjungan mandiri yang beroperasi', unit: 'unit', baseline: 1, target: 5 },
      ],
    },
    {
      code: 'GOV-07',
      program: 'GOV-SVC',
      owner: 'DPMPTSP',
      support: ['Diskominfo', 'Dinas PUPR'],
      kind: 'APP',
      subject: 'layanan perizinan terintegrasi',
      title: 'Perizinan berusaha dan PBG terintegrasi satu pintu',
      description:
        'Menyatukan alur perizinan berusaha dan persetujuan bangunan gedung agar pemohon cukup mengajukan sekali dan memantau statusnya.',
      budget: jt(650),
      source: APBD,
      weight: 2,
      scenario: 'behind',
      indicators: [{ name: 'Rata-rata waktu terbit izin', unit: 'hari', baseline: 14, target: 5, decrease: true }],
    },
    {
      code: 'GOV-08',
      program: 'GOV-DATA',
      owner: 'Diskominfo',
      kind: 'INFRA',
      subject: 'perangkat pusat data',
      title: 'Peningkatan kapasitas pusat data dan jaringan antar-OPD',
      description:
        'Menambah server, penyimpanan dan jaringan serat optik ke kantor OPD yang belum tersambung, termasuk di kawasan Senggarang.',
      budget: jt(2400),
      source: APBD,
      weight: 3,
      scenario: 'overdue',
      indicators: [
        { name: 'Kantor OPD tersambung jaringan intra pemerintah', unit: 'kantor', baseline: 18, target: 42 },
        { name: 'Kapasitas penyimpanan pusat data', unit: 'TB', baseline: 40, target: 200 },
      ],
    },
    {
      code: 'GOV-09',
      program: 'GOV-FIN',
      owner: 'BPKPD',
      kind: 'APP',
      subject: 'kanal pembayaran pajak daerah',
      title: 'Pembayaran PBB-P2 dan pajak daerah lewat kanal digital',
      description:
        'Warga membayar PBB-P2 dan pajak daerah lain melalui bank, gerai ritel dan dompet digital, dengan bukti bayar elektronik.',
      budget: jt(300),
      source: APBD,
      weight: 1,
      scenario: 'notStarted',
      indicators: [{ name: 'Pembayaran PBB-P2 lewat kanal digital', unit: '%', baseline: 25, target: 60 }],
    },
    // --- BRANDING ---
    {
      code: 'BRD-01',
      program: 'BRD-PUSAKA',
      owner: 'Dispar',
      support: ['Diskominfo', 'Disbud'],
      kind: 'APP',
      subject: 'portal informasi Pulau Penyengat',
      title: 'Informasi wisata Pulau Penyengat secara daring',
      description:
        'Portal dan aplikasi berisi sejarah, situs, jadwal pompong, kuliner dan pemandu wisata Pulau Penyengat, sebagai wajah tema Kota Pusaka dan Budaya.',
      budget: jt(250),
      source: APBD,
      weight: 3,
      scenario: { start: '2019-10-01', due: '2020-05-29' },
      indicators: [{ name: 'Kunjungan ke portal Penyengat', unit: 'kunjungan/bulan', baseline: 0, target: 8000, monthly: true }],
    },
    {
      code: 'BRD-02',
      program: 'BRD-PUSAKA',
      owner: 'Disbud',
      support: ['Dispar'],
      kind: 'DATA',
      subject: 'arsip digital cagar budaya',
      title: 'Digitalisasi naskah dan data cagar budaya Melayu',
      description:
        'Memotret dan mencatat naskah, bangunan dan situs cagar budaya, lalu menerbitkannya sebagai katalog yang bisa dibaca publik.',
      budget: jt(400),
      source: APBN,
      weight: 2,
      scenario: { start: '2020-03-02', due: '2020-12-15' },
      indicators: [{ name: 'Objek cagar budaya terdokumentasi digital', unit: 'objek', baseline: 15, target: 120 }],
    },
    {
      code: 'BRD-03',
      program: 'BRD-PUSAKA',
      owner: 'Diskop UMKM',
      support: ['Dispar'],
      kind: 'EVENT',
      subject: 'pelatihan kewirausahaan wisata',
      title: 'Pelatihan kewirausahaan dan pemasaran daring bagi UMKM wisata',
      description:
        'Pelaku usaha kuliner, kerajinan dan jasa wisata di sekitar destinasi pusaka dilatih mengemas produk dan berjualan daring.',
      budget: jt(150),
      source: APBD,
      weight: 1,
      scenario: { start: '2020-06-02', due: '2020-11-27' },
      indicators: [{ name: 'Pelaku UMKM wisata yang dilatih', unit: 'pelaku usaha', baseline: 0, target: 200 }],
    },
    {
      code: 'BRD-04',
      program: 'BRD-PROMO',
      owner: 'Dispar',
      support: ['Diskominfo'],
      kind: 'APP',
      subject: 'kalender event dan pemesanan paket wisata',
      title: 'Kalender event dan pemesanan paket wisata daring',
      description: 'Agenda budaya sepanjang tahun beserta paket wisata dari biro lokal yang bisa dipesan langsung oleh wisatawan.',
      budget: jt(350),
      source: APBD,
      weight: 2,
      scenario: 'onTrack',
      indicators: [{ name: 'Biro perjalanan lokal yang bergabung', unit: 'biro', baseline: 0, target: 25 }],
    },
    {
      code: 'BRD-05',
      program: 'BRD-PROMO',
      owner: 'Dispar',
      support: ['Disbud'],
      kind: 'INFRA',
      subject: 'papan informasi digital dan kode QR',
      title: 'Papan informasi digital dan kode QR di situs pusaka',
      description:
        'Layar informasi di pelabuhan dan kode QR di setiap situs pusaka yang membuka kisah situs dalam bahasa Indonesia dan Inggris.',
      budget: jt(480),
      source: CSR,
      weight: 1,
      scenario: 'overdue',
      indicators: [{ name: 'Situs yang dilengkapi kode QR', unit: 'situs', baseline: 0, target: 40 }],
    },
    {
      code: 'BRD-06',
      program: 'BRD-PROMO',
      owner: 'Disbud',
      support: ['Dispar', 'Diskominfo'],
      kind: 'EVENT',
      subject: 'festival budaya Melayu',
      title: 'Festival budaya Melayu dengan siaran langsung dan promosi digital',
      description:
        'Festival tahunan yang disiarkan langsung dan dipromosikan bersama pegiat media sosial untuk menarik wisatawan dari luar daerah.',
      budget: jt(900),
      source: APBD,
      weight: 2,
      scenario: 'onTrack',
      indicators: [{ name: 'Penonton siaran langsung', unit: 'penonton', baseline: 5000, target: 40000 }],
    },
    {
      code: 'BRD-07',
      program: 'BRD-PUSAKA',
      owner: 'Dispar',
      kind: 'APP',
      subject: 'tur virtual Pulau Penyengat',
      title: 'Tur virtual 360 derajat Pulau Penyengat',
      description:
        'Tur virtual Masjid Raya Sultan Riau dan situs lain di Pulau Penyengat untuk promosi dan pembelajaran sejarah di sekolah.',
      budget: jt(200),
      source: APBD,
      weight: 1,
      scenario: 'notStarted',
      indicators: [{ name: 'Situs yang tersedia dalam tur virtual', unit: 'situs', baseline: 0, target: 12 }],
    },
    // --- ECONOMY ---
    {
      code: 'ECO-01',
      program: 'ECO-UMKM',
      owner: 'Diskop UMKM',
      support: ['Diskominfo'],
      kind: 'APP',
      subject: 'katalog daring UMKM',
      title: 'Katalog daring produk UMKM Tanjungpinang',
      description: 'Etalase produk UMKM binaan dengan tautan ke penjual, dipakai juga untuk pengadaan barang pemerintah kota.',
      budget: jt(275),
      source: APBD,
      weight: 2,
      scenario: { start: '2022-03-01', due: '2022-12-16' },
      indicators: [{ name: 'UMKM yang produknya tayang', unit: 'UMKM', baseline: 0, target: 500 }],
    },
    {
      code: 'ECO-02',
      program: 'ECO-UMKM',
      owner: 'Diskop UMKM',
      support: ['BPKPD'],
      kind: 'EVENT',
      subject: 'perluasan QRIS',
      title: 'Perluasan pembayaran QRIS di pasar dan pelaku UMKM',
      description: 'Bersama perbankan, pedagang pasar dan UMKM didampingi mendaftar dan memakai QRIS untuk transaksi dan retribusi.',
      budget: jt(120),
      source: CSR,
      weight: 2,
      scenario: 'doneEarly',
      indicators: [{ name: 'Pedagang yang menerima QRIS', unit: 'pedagang', baseline: 300, target: 1500 }],
    },
    {
      code: 'ECO-03',
      program: 'ECO-UMKM',
      owner: 'Diskop UMKM',
      kind: 'EVENT',
      subject: 'pendampingan UMKM di lokapasar',
      title: 'Pendampingan UMKM masuk lokapasar',
      description:
        'Pendampingan foto produk, pengemasan, pengiriman dan pengelolaan toko daring bagi UMKM yang sudah terdaftar di katalog kota.',
      budget: jt(180),
      source: APBD,
      weight: 1,
      scenario: 'onTrack',
      indicators: [{ name: 'UMKM yang aktif berjualan di lokapasar', unit: 'UMKM', baseline: 60, target: 300 }],
    },
    {
      code: 'ECO-04',
      program: 'ECO-INVEST',
      owner: 'DPMPTSP',
      support: ['Bappelitbang'],
      kind: 'DATA',
      subject: 'peta potensi investasi',
      title: 'Peta potensi investasi daring',
      description: 'Lahan, sektor unggulan, insentif dan kontak layanan investasi disajikan di peta daring bagi calon penanam modal.',
      budget: jt(250),
      source: APBD,
      weight: 1,
      scenario: 'onTrack',
      indicators: [{ name: 'Profil proyek investasi yang siap ditawarkan', unit: 'proyek', baseline: 2, target: 15 }],
    },
    {
      code: 'ECO-05',
      program: 'ECO-INVEST',
      owner: 'Diskop UMKM',
      kind: 'APP',
      subject: 'aplikasi pesan-antar pasar rakyat',
      title: 'Aplikasi pesan-antar belanja pasar rakyat',
      description:
        'Dibatalkan: layanan serupa sudah disediakan mitra swasta, sehingga anggarannya dialihkan ke pendampingan UMKM di lokapasar.',
      budget: jt(300),
      source: APBD,
      weight: 1,
      scenario: 'cancelled',
      indicators: [{ name: 'Pedagang pasar yang bergabung', unit: 'pedagang', baseline: 0, target: 150 }],
      holdReason: 'Mitra swasta sudah membuka layanan pesan-antar dari pasar yang sama; manfaat aplikasi sendiri dipertanyakan.',
    },
    // --- LIVING ---
    {
      code: 'LIV-01',
      program: 'LIV-HEALTH',
      owner: 'Dinkes',
      support: ['Diskominfo'],
      kind: 'APP',
      subject: 'e-Puskesmas',
      title: 'e-Puskesmas di seluruh puskesmas',
      description:
        'Pendaftaran, rekam kunjungan dan laporan puskesmas dicatat elektronik sehingga antrean lebih pendek dan laporan bulanan tidak lagi disusun manual.',
      budget: jt(950),
      source: APBD,
      weight: 3,
      scenario: { start: '2019-11-18', due: '2020-11-30' },
      indicators: [
        { name: 'Puskesmas yang memakai e-Puskesmas', unit: 'puskesmas', baseline: 0, target: 7 },
        { name: 'Waktu tunggu pendaftaran', unit: 'menit', baseline: 40, target: 15, decrease: true },
      ],
    },
    {
      code: 'LIV-02',
      program: 'LIV-HEALTH',
      owner: 'RSUD',
      support: ['Diskominfo'],
      kind: 'APP',
      subject: 'pendaftaran rawat inap online',
      title: 'Pendaftaran rawat inap online RSUD',
      description:
        'Pasien dan puskesmas perujuk mendaftarkan rawat inap secara daring, sehingga pasien tidak perlu menunggu lama di loket.',
      budget: jt(420),
      source: APBD,
      weight: 2,
      scenario: { start: '2021-03-01', due: '2021-10-29' },
      indicators: [{ name: 'Pendaftaran rawat inap lewat kanal daring', unit: '%', baseline: 0, target: 50 }],
    },
    {
      code: 'LIV-03',
      program: 'LIV-HEALTH',
      owner: 'RSUD',
      support: ['Dinkes'],
      kind: 'APP',
      subject: 'informasi ketersediaan tempat tidur',
      title: 'Informasi ketersediaan tempat tidur rumah sakit secara langsung',
      description:
        'Jumlah tempat tidur kosong per kelas di rumah sakit kota ditampilkan langsung, agar pasien dan perujuk memilih rumah sakit yang masih punya ruang rawat.',
      budget: jt(380),
      source: APBD,
      weight: 3,
      scenario: 'done',
      indicators: [{ name: 'Rumah sakit yang melaporkan tempat tidur secara langsung', unit: 'rumah sakit', baseline: 1, target: 6 }],
    },
    {
      code: 'LIV-04',
      program: 'LIV-HEALTH',
      owner: 'Dinkes',
      support: ['RSUD'],
      kind: 'APP',
      subject: 'aplikasi e-Farmasi',
      title: 'e-Farmasi untuk pengelolaan obat puskesmas',
      description:
        'Stok, permintaan dan pemakaian obat di instalasi farmasi dan puskesmas dicatat elektronik untuk mencegah kekosongan dan obat kedaluwarsa.',
      budget: jt(560),
      source: DAK,
      weight: 2,
      scenario: 'onTrack',
      indicators: [
        { name: 'Puskesmas yang mencatat stok obat di e-Farmasi', unit: 'puskesmas', baseline: 0, target: 7 },
        { name: 'Kejadian kekosongan obat esensial', unit: 'kejadian/triwulan', baseline: 18, target: 4, decrease: true },
      ],
    },
    {
      code: 'LIV-05',
      program: 'LIV-HEALTH',
      owner: 'Dinkes',
      support: ['RSUD', 'Diskominfo'],
      kind: 'APP',
      subject: 'layanan info dokter piket',
      title: 'Informasi dokter piket dan jadwal praktik',
      description: 'Warga bisa melihat dokter yang sedang bertugas di IGD, puskesmas rawat inap dan poliklinik sebelum berangkat berobat.',
      budget: jt(150),
      source: APBD,
      weight: 1,
      scenario: 'behind',
      indicators: [{ name: 'Fasilitas kesehatan yang memperbarui jadwal harian', unit: 'fasilitas', baseline: 0, target: 10 }],
    },
    {
      code: 'LIV-06',
      program: 'LIV-HEALTH',
      owner: 'Dinkes',
      kind: 'EVENT',
      subject: 'layanan telekonsultasi',
      title: 'Telekonsultasi puskesmas untuk warga pulau',
      description:
        'Warga Pulau Penyengat dan wilayah pesisir berkonsultasi dengan dokter puskesmas lewat panggilan video sebelum menyeberang.',
      budget: jt(275),
      source: DAK,
      weight: 1,
      scenario: 'notStarted',
      indicators: [{ name: 'Sesi telekonsultasi', unit: 'sesi/bulan', baseline: 0, target: 200, monthly: true }],
    },
    {
      code: 'LIV-07',
      program: 'LIV-MOB',
      owner: 'Dishub',
      support: ['Diskominfo'],
      kind: 'INFRA',
      subject: 'perangkat ATCS',
      title: 'Pengendalian lalu lintas ATCS di simpang utama',
      description: 'Lampu lalu lintas di simpang padat diatur dari ruang kendali berdasarkan kamera dan sensor volume kendaraan.',
      budget: jt(2800),
      source: APBN,
      weight: 3,
      scenario: 'overdue',
      indicators: [{ name: 'Simpang yang terhubung ke ruang kendali', unit: 'simpang', baseline: 2, target: 12 }],
    },
    {
      code: 'LIV-08',
      program: 'LIV-MOB',
      owner: 'Dishub',
      kind: 'APP',
      subject: 'informasi jadwal angkutan',
      title: 'Informasi jadwal kapal penyeberangan dan angkutan kota',
      description:
        'Jadwal pompong ke Penyengat, kapal antarpulau dan angkutan kota dalam satu kanal informasi yang diperbarui petugas pelabuhan.',
      budget: jt(200),
      source: APBD,
      weight: 1,
      scenario: 'onTrack',
      indicators: [{ name: 'Rute yang jadwalnya tersedia daring', unit: 'rute', baseline: 0, target: 18 }],
    },
    {
      code: 'LIV-09',
      program: 'LIV-UTIL',
      owner: 'Dinas PUPR',
      support: ['Diskominfo'],
      kind: 'DATA',
      subject: 'sistem informasi utilitas kota',
      title: 'Sistem informasi utilitas kota (air, listrik, bangunan)',
      description:
        'Memetakan jaringan air minum, listrik dan bangunan gedung bersama penyedia utilitas; ditunda sambil menunggu kesepakatan berbagi data.',
      budget: jt(750),
      source: APBD,
      weight: 2,
      scenario: 'onHold',
      indicators: [{ name: 'Lapisan peta utilitas yang terintegrasi', unit: 'lapisan', baseline: 1, target: 8 }],
      holdReason: 'Penyedia air minum dan listrik belum menandatangani kesepakatan berbagi data jaringan.',
    },
    // --- SOCIETY ---
    {
      code: 'SOC-01',
      program: 'SOC-ADUAN',
      owner: 'Diskominfo',
      kind: 'APP',
      subject: 'kanal pengaduan terpadu',
      title: 'Kanal pengaduan masyarakat terpadu',
      description: 'Satu kanal pengaduan melalui situs, WhatsApp dan media sosial yang diteruskan ke OPD penanggung jawab.',
      budget: jt(225),
      source: APBD,
      weight: 2,
      scenario: { start: '2022-02-01', due: '2022-09-30' },
      indicators: [{ name: 'Pengaduan yang ditindaklanjuti', unit: '%', baseline: 45, target: 85 }],
    },
    {
      code: 'SOC-02',
      program: 'SOC-ADUAN',
      owner: 'Diskominfo',
      support: ['Bappelitbang'],
      kind: 'APP',
      subject: 'dasbor tindak lanjut pengaduan',
      title: 'Dasbor tindak lanjut pengaduan dan batas waktu layanan',
      description: 'Setiap pengaduan punya batas waktu tindak lanjut; OPD yang melewatinya terlihat di dasbor pimpinan.',
      budget: jt(180),
      source: APBD,
      weight: 2,
      scenario: 'done',
      indicators: [{ name: 'Waktu rata-rata tindak lanjut pengaduan', unit: 'hari', baseline: 7, target: 3, decrease: true }],
    },
    {
      code: 'SOC-03',
      program: 'SOC-LIT',
      owner: 'Disdik',
      support: ['Diskominfo'],
      kind: 'EVENT',
      subject: 'gerakan literasi digital',
      title: 'Gerakan literasi digital bagi pelajar dan guru',
      description: 'Kelas keamanan daring, etika bermedia sosial dan pemanfaatan aplikasi belajar di sekolah dasar dan menengah.',
      budget: jt(240),
      source: APBD,
      weight: 1,
      scenario: 'onTrack',
      indicators: [{ name: 'Sekolah yang mengikuti program', unit: 'sekolah', baseline: 0, target: 60 }],
    },
    {
      code: 'SOC-04',
      program: 'SOC-LIT',
      owner: 'Disdik',
      kind: 'INFRA',
      subject: 'jaringan Wi-Fi sekolah',
      title: 'Wi-Fi dan kelas digital di sekolah negeri',
      description:
        'Akses internet dan perangkat kelas digital di sekolah negeri yang belum terjangkau, termasuk sekolah di wilayah pesisir.',
      budget: jt(1600),
      source: DAK,
      weight: 2,
      scenario: 'behind',
      indicators: [{ name: 'Sekolah negeri dengan internet layak', unit: '%', baseline: 55, target: 100 }],
    },
    {
      code: 'SOC-05',
      program: 'SOC-ADUAN',
      owner: 'Bappelitbang',
      support: ['Diskominfo'],
      kind: 'EVENT',
      subject: 'musrenbang daring',
      title: 'Musrenbang daring dan usulan warga',
      description:
        'Usulan RT/RW dan kelurahan dikirim lewat aplikasi, lalu dibahas dalam musrenbang kelurahan dan kecamatan yang juga disiarkan daring.',
      budget: jt(160),
      source: APBD,
      weight: 1,
      scenario: 'onTrack',
      indicators: [{ name: 'Usulan warga yang masuk lewat aplikasi', unit: 'usulan', baseline: 150, target: 1200 }],
    },
    // --- ENVIRONMENT ---
    {
      code: 'ENV-01',
      program: 'ENV-SAMPAH',
      owner: 'DLH',
      kind: 'EVENT',
      subject: 'bank sampah digital',
      title: 'Bank sampah digital di kelurahan',
      description: 'Pencatatan tabungan sampah warga dengan aplikasi sederhana di bank sampah kelurahan, didukung mitra swasta.',
      budget: jt(210),
      source: CSR,
      weight: 1,
      scenario: 'done',
      indicators: [{ name: 'Bank sampah yang mencatat secara digital', unit: 'bank sampah', baseline: 3, target: 18 }],
    },
    {
      code: 'ENV-02',
      program: 'ENV-SAMPAH',
      owner: 'DLH',
      support: ['Dishub'],
      kind: 'INFRA',
      subject: 'pelacak GPS armada sampah',
      title: 'Pelacakan GPS armada pengangkut sampah',
      description: 'Truk sampah dipasangi GPS agar rute dan jadwal angkut terpantau dan keluhan sampah tak terangkut cepat ditangani.',
      budget: jt(520),
      source: APBD,
      weight: 2,
      scenario: 'overdue',
      indicators: [{ name: 'Armada yang terpantau GPS', unit: 'unit', baseline: 0, target: 45 }],
    },
    {
      code: 'ENV-03',
      program: 'ENV-PANTAU',
      owner: 'DLH',
      support: ['Diskominfo'],
      kind: 'INFRA',
      subject: 'stasiun pemantau kualitas udara dan air',
      title: 'Stasiun pemantau kualitas udara dan air',
      description: 'Stasiun pemantau otomatis di kawasan padat dan muara sungai, datanya tampil di portal kota.',
      budget: jt(1100),
      source: APBN,
      weight: 2,
      scenario: 'onTrack',
      indicators: [{ name: 'Stasiun pemantau yang mengirim data', unit: 'stasiun', baseline: 0, target: 4 }],
    },
    {
      code: 'ENV-04',
      program: 'ENV-PANTAU',
      owner: 'Dinas PUPR',
      support: ['DLH'],
      kind: 'INFRA',
      subject: 'sensor ketinggian air',
      title: 'Sensor ketinggian air di drainase rawan genangan',
      description:
        'Sensor di saluran utama yang memberi peringatan ke petugas saat air naik, agar pompa dan pembersihan saluran bisa dikerahkan lebih awal.',
      budget: jt(690),
      source: APBD,
      weight: 2,
      scenario: 'behind',
      indicators: [{ name: 'Titik rawan genangan', unit: 'titik', baseline: 26, target: 12, decrease: true }],
    },
    {
      code: 'ENV-05',
      program: 'ENV-PANTAU',
      owner: 'Dinas PUPR',
      support: ['DLH'],
      kind: 'DATA',
      subject: 'peta RTH dan pohon kota',
      title: 'Pemetaan RTH dan pohon kota berbasis GIS',
      description: 'Inventarisasi ruang terbuka hijau dan pohon peneduh di jalan utama sebagai dasar penambahan RTH publik.',
      budget: jt(140),
      source: APBD,
      weight: 1,
      scenario: 'onTrack',
      indicators: [{ name: 'Luas RTH publik yang terpetakan', unit: 'ha', baseline: 20, target: 180 }],
    },
  ],
  activities: [
    {
      kind: ActivityKind.MEETING,
      title: 'Rapat persiapan Tanjungpinang menuju smart city',
      start: '2019-07-01',
      place: 'Aula Kantor Wali Kota Tanjungpinang, Senggarang',
      outcome:
        'Wakil Wali Kota menyampaikan bahwa SK Dewan Smart City (diketuai Wali Kota) dan SK Tim Kota Cerdas (diketuai Kepala Bappelitbang) sudah terbit; ' +
        'masterplan ditargetkan siap pada Oktober 2019.',
    },
    {
      kind: ActivityKind.BIMTEK,
      title: 'Bimtek Tahap III Gerakan Menuju 100 Smart City',
      phase: 3,
      start: '2019-09-09',
      end: '2019-09-10',
      place: 'Aula Sultan Sulaiman Badrul Alamsyah, Kantor Wali Kota Tanjungpinang, Senggarang',
      outcome: 'Tiga quick win disepakati: pariwisata (termasuk kewirausahaan dan UMKM), kesehatan, dan integrasi data.',
    },
    {
      kind: ActivityKind.BIMTEK,
      title: 'Bimtek smart city: tema Kota Pusaka dan Budaya',
      start: '2019-09-30',
      place: 'Aula Kantor Wali Kota Tanjungpinang, Senggarang',
      outcome:
        'Wali Kota menetapkan Kota Pusaka dan Budaya sebagai tema tahun pertama, dimulai dengan informasi daring tentang Pulau Penyengat.',
    },
    {
      // Estimated date: the reports only say the MoU is signed at Bimtek IV, after 30 September and
      // before the masterplan presentation on 4–6 November 2019.
      kind: ActivityKind.MOU_SIGNING,
      title: 'Bimtek Tahap IV dan penandatanganan komitmen bersama smart city',
      phase: 4,
      start: '2019-10-16',
      place: 'Aula Sultan Sulaiman Badrul Alamsyah, Kantor Wali Kota Tanjungpinang, Senggarang',
      outcome: 'Kepala OPD, Dewan Smart City, Tim Pelaksana dan mitra swasta menandatangani nota kesepahaman dukungan smart city.',
    },
    {
      kind: ActivityKind.PRESENTATION,
      title: 'Pemaparan masterplan smart city oleh Wali Kota kepada tim penilai pusat',
      start: '2019-11-04',
      end: '2019-11-06',
      outcome: 'Masterplan 2019–2023 dan tiga quick win dipaparkan; masterplan akan dievaluasi setiap tahun.',
    },
    {
      kind: ActivityKind.MEETING,
      title: 'Rapat persiapan monitoring dan evaluasi smart city 2022',
      start: '2022-09-16',
      place: 'Ruang rapat utama Kantor Bappelitbang Kota Tanjungpinang',
      outcome:
        'Dipimpin Asisten II Bambang Hartanto. Setiap OPD menyerahkan quick win andalan atau tambahan 2022 dan progres rencana aksinya; ' +
        'tim Diskominfo mencatat usulan quick win baru menjelang evaluasi 3–8 Oktober.',
    },
    {
      kind: ActivityKind.MEETING,
      title: 'Rapat koordinasi progres rencana aksi triwulanan',
      start: -19,
      place: 'Ruang rapat Bappelitbang Kota Tanjungpinang',
      outcome: 'Rencana aksi yang terlambat dibahas satu per satu; OPD pemilik diminta melengkapi bukti dukung sebelum evaluasi.',
    },
    {
      kind: ActivityKind.MEETING,
      title: 'Rapat persiapan evaluasi smart city',
      start: 26,
      place: 'Ruang rapat utama Kantor Bappelitbang Kota Tanjungpinang',
    },
  ],
  visits: [
    {
      start: '2022-10-03',
      days: 6,
      evaluator: EVALUATOR,
      agenda:
        'Pemaparan Wali Kota tentang pelaksanaan masterplan; verifikasi quick win 2019 dan quick win tambahan 2022; ' +
        'pemeriksaan progres rencana aksi tiap OPD; demonstrasi inovasi layanan berbasis TI; peninjauan lapangan.',
    },
    {
      start: 40,
      days: 5,
      evaluator: EVALUATOR,
      agenda:
        'Paparan capaian tahunan oleh Wali Kota; penilaian progres rencana aksi per dimensi; klarifikasi rencana aksi yang terlambat; ' +
        'kunjungan ke layanan kesehatan elektronik dan Pulau Penyengat.',
    },
  ],
  // Two reports of each OPD with a reporter account wait for verification, so the queue has work.
  awaitingVerification: ['GOV-05', 'GOV-08', 'LIV-04', 'LIV-05'],
  users: [
    { email: 'bappelitbang@tanjungpinang.demo', name: 'Sri Wahyuni', role: 'CITY_ADMIN' },
    { email: 'dinkes@tanjungpinang.demo', name: 'Andi Saputra', role: 'OPD_REPORTER', opd: 'Dinkes' },
    { email: 'diskominfo@tanjungpinang.demo', name: 'Putri Ayu Lestari', role: 'OPD_REPORTER', opd: 'Diskominfo' },
    { email: 'viewer@tanjungpinang.demo', name: 'Layar Ruang Rapat Bappelitbang', role: 'VIEWER' },
  ],
};

// ---------------------------------------------------------------------------------------------
// Tebingtinggi
// ---------------------------------------------------------------------------------------------

const tebingtinggi: CitySeed = {
  name: 'Tebingtinggi',
  province: 'Sumatera Utara',
  joinedYear: 2022,
  timeZone: 'Asia/Jakarta',
  domain: 'tebingtinggikota.go.id',
  opds: [
    // Head named in the reports: Kepala Dinas Kominfo Dedi P. Siagian (2022).
    { name: 'Dinas Komunikasi dan Informatika', abbr: 'Diskominfo', head: 'Dedi P. Siagian', leading: true },
    { name: 'Badan Perencanaan Pembangunan Daerah', abbr: 'Bappeda', head: 'Ir. Hendra Gunawan Sitorus, M.Si.' },
    { name: 'Dinas Kesehatan', abbr: 'Dinkes', head: 'dr. Lestari Ginting, M.K.M.' },
    { name: 'Rumah Sakit Umum Daerah Kota Tebingtinggi', abbr: 'RSUD', head: 'dr. Fahmi Harahap, Sp.PD.' },
    { name: 'Dinas Kebudayaan dan Pariwisata', abbr: 'Disbudpar', head: 'Syafrizal Damanik, S.Sos.' },
    { name: 'Dinas Koperasi dan Usaha Kecil Menengah', abbr: 'Diskop UKM', head: 'Nurlela Purba, S.E.' },
    { name: 'Badan Pengelolaan Keuangan dan Aset Daerah', abbr: 'BPKAD', head: 'Ahmad Rifai Lubis, S.E., Ak.' },
    { name: 'Badan Pendapatan Daerah', abbr: 'Bapenda', head: 'Zulkifli Tanjung, S.E., M.Si.' },
    { name: 'Dinas Perhubungan', abbr: 'Dishub', head: 'Rahmat Hidayat, S.T.' },
    { name: 'Dinas Pekerjaan Umum dan Penataan Ruang', abbr: 'Dinas PUPR', head: 'Ir. Bonar Simanjuntak, M.T.' },
    { name: 'Dinas Lingkungan Hidup', abbr: 'DLH', head: 'Wahyuni Siregar, S.P., M.Si.' },
    { name: 'Dinas Kependudukan dan Pencatatan Sipil', abbr: 'Disdukcapil', head: 'Marihot Manurung, S.H.' },
  ],
  council: {
    name: 'Dewan Smart City Kota Tebingtinggi',
    // Invented number and date (before the June 2022 bimtek, where the steering council was present).
    decreeNumber: 'Keputusan Wali Kota Tebingtinggi Nomor 188.45/214/2022',
    decreeDate: '2022-05-20',
    members: [
      { name: 'Muhammad Dimiyathi', position: 'Ketua', organisation: 'Penjabat Wali Kota Tebingtinggi', category: GOVERNMENT },
      {
        name: 'Umar Zunaidi Hasibuan',
        position: 'Dewan Pengarah',
        organisation: 'Wali Kota Tebingtinggi periode sebelumnya',
        category: COMMUNITY,
      },
      {
        name: 'Drs. Syahril Nasution, M.AP.',
        position: 'Wakil Ketua',
        organisation: 'Sekretaris Daerah Kota Tebingtinggi',
        category: GOVERNMENT,
      },
      { name: 'Dedi P. Siagian', position: 'Sekretaris', organisation: 'Kepala Dinas Komunikasi dan Informatika', category: GOVERNMENT },
      {
        name: 'Ir. Hendra Gunawan Sitorus, M.Si.',
        position: 'Anggota',
        organisation: 'Kepala Bappeda Kota Tebingtinggi',
        category: GOVERNMENT,
      },
      { name: 'Dr. Ratna Sari Dewi, M.Kom.', position: 'Anggota', organisation: 'Universitas Negeri Medan', category: UNIVERSITY },
      { name: 'AKBP Hendra Kusuma, S.I.K.', position: 'Anggota', organisation: 'Kepolisian Resor Tebing Tinggi', category: FKPD },
      { name: 'Letkol Arh. Yudi Saputra', position: 'Anggota', organisation: 'Komando Distrik Militer 0204/Deli Serdang', category: FKPD },
      { name: 'Ahmad Fauzan Siregar', position: 'Anggota', organisation: 'KNPI Kota Tebingtinggi', category: COMMUNITY },
      { name: 'Mangasi Tambunan', position: 'Anggota', organisation: 'Bank Sumut Cabang Tebing Tinggi', category: PRIVATE },
      { name: 'Hendra Wijaya', position: 'Anggota', organisation: 'Kadin Kota Tebingtinggi', category: PRIVATE },
    ],
  },
  team: {
    name: 'Tim Pelaksana Kota Cerdas Kota Tebingtinggi',
    decreeNumber: 'Keputusan Wali Kota Tebingtinggi Nomor 188.45/215/2022',
    decreeDate: '2022-05-20',
    members: [
      { name: 'Ir. Hendra Gunawan Sitorus, M.Si.', position: 'Kepala Bappeda', role: LEADER, opd: 'Bappeda' },
      { name: 'Sulastri Hutagalung, S.Kom.', position: 'Kepala Bidang E-Government, Diskominfo', role: SECRETARY, opd: 'Diskominfo' },
      { name: 'dr. Yenny Purba', position: 'Kepala Bidang Pelayanan Kesehatan, Dinkes', role: MEMBER, opd: 'Dinkes' },
      { name: 'Irwansyah Putra, S.E.', position: 'Sekretaris Disbudpar', role: MEMBER, opd: 'Disbudpar' },
      { name: 'Rosmawati Sinaga, S.E.', position: 'Kepala Bidang UKM, Diskop UKM', role: MEMBER, opd: 'Diskop UKM' },
      { name: 'Budi Harianto, S.E.', position: 'Kepala Bidang Pendataan, Bapenda', role: MEMBER, opd: 'Bapenda' },
      { name: 'Agus Salim Tarigan, S.T.', position: 'Kepala Bidang Sumber Daya Air, Dinas PUPR', role: MEMBER, opd: 'Dinas PUPR' },
      { name: 'Nova Lestari, S.Si.', position: 'Kepala Bidang Persampahan, DLH', role: MEMBER, opd: 'DLH' },
      { name: 'Taufik Hidayat, S.SiT.', position: 'Kepala Bidang Lalu Lintas, Dishub', role: MEMBER, opd: 'Dishub' },
    ],
  },
  masterplan: {
    title: 'Masterplan Smart City Kota Tebingtinggi 2022–2026',
    startYear: 2022,
    endYear: 2026,
    vision:
      'Tebingtinggi yang cerdas dalam melayani: layanan publik cepat dan terbuka yang berpijak pada data yang akurat, ekonomi warga yang tumbuh lewat UMKM, ' +
      'dan kota yang nyaman serta siap menghadapi banjir.',
  },
  programs: [
    {
      key: 'GOV-DATA',
      name: 'Satu Data dan Integrasi Aplikasi Pemerintahan',
      dimension: GOVERNANCE,
      quickWinYear: 2022,
      description:
        'Quick win 2022: OPD menyerahkan data yang akurat dan lengkap ke satu portal, dan aplikasi pemerintah saling tersambung.',
    },
    {
      key: 'GOV-SPBE',
      name: 'Tata Kelola Pemerintahan Berbasis Elektronik',
      dimension: GOVERNANCE,
      description: 'Administrasi perkantoran, perencanaan dan layanan kependudukan yang berjalan elektronik.',
    },
    {
      key: 'BRD-LEMANG',
      name: 'Tebingtinggi Kota Lemang: Kuliner dan Wisata',
      dimension: BRANDING,
      description: 'Mengangkat lemang dan kuliner khas sebagai identitas kota untuk menarik pelintas jalur lintas Sumatera.',
    },
    {
      key: 'BRD-INFO',
      name: 'Informasi dan Citra Kota',
      dimension: BRANDING,
      description: 'Kanal informasi resmi pemerintah kota yang konsisten dan mudah diakses.',
    },
    {
      key: 'ECO-UMKM',
      name: 'UMKM Digital dan Pasar Cerdas',
      dimension: ECONOMY,
      quickWinYear: 2022,
      description: 'Quick win 2022: UMKM dan pedagang pasar berjualan daring dan menerima pembayaran nontunai.',
    },
    {
      key: 'ECO-PAD',
      name: 'Pajak dan Retribusi Daerah Elektronik',
      dimension: ECONOMY,
      description: 'Pendaftaran, pelaporan dan pembayaran pajak daerah secara daring untuk menutup kebocoran pendapatan.',
    },
    {
      key: 'LIV-HEALTH',
      name: 'Layanan Kesehatan Daring',
      dimension: LIVING,
      description: 'Antrean, rekam medis dan informasi kamar rawat yang bisa diakses warga tanpa datang lebih dulu.',
    },
    {
      key: 'LIV-MOB',
      name: 'Transportasi dan Parkir Elektronik',
      dimension: LIVING,
      description: 'Parkir nontunai dan pemantauan persimpangan untuk lalu lintas kota yang tertib.',
    },
    {
      key: 'SOC-ADUAN',
      name: 'Pengaduan dan Partisipasi Warga',
      dimension: SOCIETY,
      description: 'Pengaduan warga yang terjawab dan usulan pembangunan yang masuk langsung dari kelurahan.',
    },
    {
      key: 'SOC-LIT',
      name: 'Literasi Digital Masyarakat',
      dimension: SOCIETY,
      description: 'Warga yang cakap dan aman memakai layanan digital, didukung akses internet di ruang publik.',
    },
    {
      key: 'ENV-SAMPAH',
      name: 'Pengelolaan Sampah dan Bank Sampah',
      dimension: ENVIRONMENT,
      description: 'Pengurangan sampah dari rumah tangga dan pengangkutan yang terjadwal.',
    },
    {
      key: 'ENV-BANJIR',
      name: 'Peringatan Dini Banjir',
      dimension: ENVIRONMENT,
      description: 'Memantau muka air sungai dan drainase agar warga di bantaran mendapat peringatan lebih awal.',
    },
  ],
  plans: [
    // --- GOVERNANCE ---
    {
      code: 'GOV-01',
      program: 'GOV-DATA',
      owner: 'Diskominfo',
      support: ['Bappeda'],
      kind: 'DATA',
      subject: 'portal Satu Data Kota Tebingtinggi',
      title: 'Portal Satu Data Kota Tebingtinggi',
      description: 'Portal data dengan walidata di setiap OPD, memuat data prioritas yang diminta dalam penyusunan masterplan.',
      budget: jt(600),
      source: APBD,
      weight: 3,
      scenario: { start: '2022-10-03', due: '2023-06-30' },
      indicators: [{ name: 'Dataset prioritas yang terbit', unit: 'dataset', baseline: 0, target: 150 }],
    },
    {
      code: 'GOV-02',
      program: 'GOV-SPBE',
      owner: 'Bappeda',
      support: ['BPKAD'],
      kind: 'APP',
      subject: 'integrasi SIPD',
      title: 'Integrasi SIPD dengan aplikasi perencanaan daerah',
      description: 'Menyambungkan aplikasi perencanaan dan penganggaran daerah dengan SIPD agar data tidak diinput dua kali.',
      budget: jt(300),
      source: APBD,
      weight: 2,
      scenario: { start: '2023-01-16', due: '2023-11-24' },
      indicators: [{ name: 'OPD yang dokumen rencananya tersinkron', unit: 'OPD', baseline: 0, target: 32 }],
    },
    {
      code: 'GOV-03',
      program: 'GOV-DATA',
      owner: 'Diskominfo',
      kind: 'INFRA',
      subject: 'jaringan intra pemerintah',
      title: 'Jaringan serat optik ke seluruh kantor kecamatan dan kelurahan',
      description:
        'Menyambungkan kantor kecamatan dan kelurahan ke jaringan intra pemerintah kota agar layanan daring tidak bergantung pada modem seluler.',
      budget: jt(1900),
      source: APBD,
      weight: 3,
      scenario: 'onTrack',
      indicators: [{ name: 'Kantor kelurahan tersambung', unit: 'kantor', baseline: 6, target: 35 }],
    },
    {
      code: 'GOV-04',
      program: 'GOV-SPBE',
      owner: 'Diskominfo',
      support: ['Bappeda'],
      kind: 'APP',
      subject: 'tanda tangan elektronik',
      title: 'Tanda tangan elektronik untuk naskah dinas',
      description:
        'Pejabat menandatangani naskah dinas secara elektronik dengan sertifikat resmi, sehingga surat tidak tertahan saat pejabat di luar kantor.',
      budget: jt(150),
      source: APBD,
      weight: 1,
      scenario: 'done',
      indicators: [{ name: 'Pejabat yang memiliki sertifikat elektronik', unit: 'orang', baseline: 10, target: 180 }],
    },
    {
      code: 'GOV-05',
      program: 'GOV-SPBE',
      owner: 'Disdukcapil',
      support: ['Diskominfo'],
      kind: 'APP',
      subject: 'layanan cetak dokumen kependudukan mandiri',
      title: 'Cetak dokumen kependudukan mandiri di kelurahan',
      description:
        'Warga mencetak KK dan akta yang sudah terbit di kantor kelurahan dengan kertas biasa dan kode QR, tanpa ke kantor dinas.',
      budget: jt(450),
      source: APBD,
      weight: 2,
      scenario: 'behind',
      indicators: [{ name: 'Kelurahan yang melayani cetak mandiri', unit: 'kelurahan', baseline: 0, target: 35 }],
    },
    {
      code: 'GOV-06',
      program: 'GOV-DATA',
      owner: 'Bappeda',
      support: ['Diskominfo'],
      kind: 'DATA',
      subject: 'dasbor indikator pembangunan',
      title: 'Dasbor indikator pembangunan daerah',
      description: 'Indikator RPJMD dan capaian OPD dirangkum dalam dasbor untuk rapat pimpinan dan evaluasi tahunan.',
      budget: jt(220),
      source: APBD,
      weight: 2,
      scenario: 'onTrack',
      indicators: [{ name: 'Indikator yang datanya mutakhir', unit: '%', baseline: 30, target: 90 }],
    },
    {
      code: 'GOV-07',
      program: 'GOV-SPBE',
      owner: 'Diskominfo',
      kind: 'EVENT',
      subject: 'penilaian mandiri SPBE',
      title: 'Penilaian mandiri SPBE dan peningkatan kapasitas ASN',
      description: 'Pendampingan OPD menyiapkan bukti penilaian SPBE dan pelatihan pengelola aplikasi di setiap OPD.',
      budget: jt(95),
      source: APBD,
      weight: 1,
      scenario: 'notStarted',
      indicators: [{ name: 'ASN pengelola aplikasi yang dilatih', unit: 'orang', baseline: 0, target: 90 }],
    },
    // --- BRANDING ---
    {
      code: 'BRD-01',
      program: 'BRD-LEMANG',
      owner: 'Disbudpar',
      support: ['Diskop UKM'],
      kind: 'APP',
      subject: 'peta kuliner daring',
      title: 'Peta kuliner lemang dan wisata kota daring',
      description: 'Peta daring penjual lemang, kuliner khas dan tempat wisata kota, lengkap dengan jam buka dan rute.',
      budget: jt(180),
      source: APBD,
      weight: 2,
      scenario: { start: '2023-03-01', due: '2023-08-31' },
      indicators: [{ name: 'Usaha kuliner yang terdaftar di peta', unit: 'usaha', baseline: 0, target: 120 }],
    },
    {
      code: 'BRD-02',
      program: 'BRD-LEMANG',
      owner: 'Disbudpar',
      support: ['Diskominfo'],
      kind: 'EVENT',
      subject: 'festival lemang',
      title: 'Festival lemang dengan promosi digital',
      description: 'Festival kuliner tahunan yang dipromosikan lewat media sosial, pemengaruh lokal dan siaran langsung.',
      budget: jt(350),
      source: APBD,
      weight: 2,
      scenario: 'onTrack',
      indicators: [{ name: 'Pengunjung festival', unit: 'orang', baseline: 8000, target: 20000 }],
    },
    {
      code: 'BRD-03',
      program: 'BRD-INFO',
      owner: 'Diskominfo',
      kind: 'APP',
      subject: 'portal resmi pemerintah kota',
      title: 'Pembaruan portal resmi dan kanal media sosial pemerintah kota',
      description: 'Portal resmi yang ramah ponsel dengan berita, layanan dan kontak OPD, serta pedoman pengelolaan media sosial OPD.',
      budget: jt(120),
      source: APBD,
      weight: 1,
      scenario: 'doneEarly',
      indicators: [{ name: 'Kunjungan portal resmi', unit: 'kunjungan/bulan', baseline: 15000, target: 40000, monthly: true }],
    },
    {
      code: 'BRD-04',
      program: 'BRD-INFO',
      owner: 'Disbudpar',
      kind: 'INFRA',
      subject: 'videotron informasi kota',
      title: 'Videotron informasi kota di pusat kota',
      description: 'Layar informasi untuk agenda kota, promosi wisata dan pengumuman layanan publik.',
      budget: jt(750),
      source: APBD,
      weight: 1,
      scenario: 'overdue',
      indicators: [{ name: 'Videotron yang beroperasi', unit: 'unit', baseline: 0, target: 2 }],
    },
    {
      code: 'BRD-05',
      program: 'BRD-LEMANG',
      owner: 'Disbudpar',
      support: ['Diskop UKM'],
      kind: 'DATA',
      subject: 'data kunjungan wisatawan',
      title: 'Data kunjungan wisatawan dan hunian penginapan',
      description: 'Pencatatan bulanan kunjungan wisatawan dan tingkat hunian hotel serta penginapan sebagai dasar promosi.',
      budget: jt(85),
      source: APBD,
      weight: 1,
      scenario: 'onTrack',
      indicators: [{ name: 'Penginapan yang melapor rutin', unit: 'penginapan', baseline: 5, target: 30 }],
    },
    // --- ECONOMY ---
    {
      code: 'ECO-01',
      program: 'ECO-UMKM',
      owner: 'Diskop UKM',
      support: ['Diskominfo'],
      kind: 'APP',
      subject: 'etalase daring UMKM',
      title: 'Etalase daring UMKM Tebingtinggi',
      description: 'Etalase produk UMKM kota dengan tautan pemesanan, dipakai juga untuk belanja kebutuhan kegiatan pemerintah.',
      budget: jt(210),
      source: APBD,
      weight: 2,
      scenario: { start: '2022-11-01', due: '2023-07-31' },
      indicators: [{ name: 'UMKM yang produknya tayang', unit: 'UMKM', baseline: 0, target: 350 }],
    },
    {
      code: 'ECO-02',
      program: 'ECO-UMKM',
      owner: 'Diskop UKM',
      support: ['Bapenda'],
      kind: 'EVENT',
      subject: 'digitalisasi pembayaran pasar',
      title: 'Pembayaran QRIS di pasar tradisional',
      description: 'Pedagang pasar didampingi perbankan memakai QRIS untuk jual beli dan pembayaran retribusi pasar.',
      budget: jt(130),
      source: CSR,
      weight: 2,
      scenario: 'onTrack',
      indicators: [{ name: 'Pedagang pasar pengguna QRIS', unit: 'pedagang', baseline: 120, target: 900 }],
    },
    {
      code: 'ECO-03',
      program: 'ECO-UMKM',
      owner: 'Diskop UKM',
      kind: 'EVENT',
      subject: 'pelatihan pemasaran daring UMKM',
      title: 'Pelatihan foto produk dan pemasaran daring bagi UMKM',
      description: 'Kelas praktik foto produk dengan ponsel, penulisan deskripsi dan pengelolaan pesanan daring.',
      budget: jt(90),
      source: APBD,
      weight: 1,
      scenario: 'behind',
      indicators: [{ name: 'UMKM yang lulus pelatihan', unit: 'UMKM', baseline: 0, target: 240 }],
    },
    {
      code: 'ECO-04',
      program: 'ECO-PAD',
      owner: 'Bapenda',
      support: ['BPKAD'],
      kind: 'APP',
      subject: 'layanan e-SPTPD',
      title: 'e-SPTPD untuk wajib pajak hotel dan restoran',
      description: 'Wajib pajak hotel dan restoran melaporkan dan membayar pajak secara daring setiap bulan.',
      budget: jt(400),
      source: APBD,
      weight: 2,
      scenario: 'done',
      indicators: [{ name: 'Wajib pajak yang melapor daring', unit: '%', baseline: 10, target: 80 }],
    },
    {
      code: 'ECO-05',
      program: 'ECO-PAD',
      owner: 'Bapenda',
      support: ['Diskominfo'],
      kind: 'APP',
      subject: 'BPHTB online',
      title: 'BPHTB online terhubung dengan notaris/PPAT',
      description: 'Notaris/PPAT mengajukan dan memvalidasi BPHTB secara daring, dengan kode bayar yang terbit otomatis.',
      budget: jt(280),
      source: APBD,
      weight: 2,
      scenario: 'onTrack',
      indicators: [{ name: 'Transaksi BPHTB yang diproses daring', unit: '%', baseline: 0, target: 90 }],
    },
    {
      code: 'ECO-06',
      program: 'ECO-PAD',
      owner: 'Bapenda',
      kind: 'INFRA',
      subject: 'alat perekam transaksi',
      title: 'Alat perekam transaksi di restoran',
      description:
        'Dibatalkan: kewajiban pelaporan transaksi sudah terpenuhi lewat e-SPTPD dan integrasi kasir, sehingga pengadaan alat dihentikan.',
      budget: jt(500),
      source: APBD,
      weight: 1,
      scenario: 'cancelled',
      indicators: [{ name: 'Restoran yang memasang alat perekam', unit: 'restoran', baseline: 0, target: 60 }],
      holdReason: 'Sebagian besar restoran sudah melapor lewat e-SPTPD, sehingga pengadaan alat dinilai tidak lagi diperlukan.',
    },
    // --- LIVING ---
    {
      code: 'LIV-01',
      program: 'LIV-HEALTH',
      owner: 'Dinkes',
      support: ['Diskominfo'],
      kind: 'APP',
      subject: 'antrean puskesmas daring',
      title: 'Pendaftaran antrean puskesmas daring',
      description: 'Warga mengambil nomor antrean puskesmas dari rumah dan datang mendekati jam layanan.',
      budget: jt(320),
      source: APBD,
      weight: 2,
      scenario: { start: '2023-02-01', due: '2023-12-15' },
      indicators: [{ name: 'Puskesmas yang melayani antrean daring', unit: 'puskesmas', baseline: 0, target: 9 }],
    },
    {
      code: 'LIV-02',
      program: 'LIV-HEALTH',
      owner: 'RSUD',
      kind: 'APP',
      subject: 'informasi kamar rawat inap',
      title: 'Informasi ketersediaan kamar rawat inap RSUD',
      description: 'Kamar kosong per kelas ditampilkan langsung bagi warga dan fasilitas kesehatan perujuk.',
      budget: jt(260),
      source: APBD,
      weight: 2,
      scenario: 'onTrack',
      indicators: [{ name: 'Ruang rawat yang datanya diperbarui langsung', unit: 'ruang', baseline: 0, target: 14 }],
    },
    {
      code: 'LIV-03',
      program: 'LIV-HEALTH',
      owner: 'Dinkes',
      support: ['RSUD'],
      kind: 'APP',
      subject: 'rekam medis elektronik',
      title: 'Rekam medis elektronik puskesmas',
      description: 'Rekam medis pasien puskesmas dicatat elektronik dan dapat dibaca rumah sakit rujukan.',
      budget: jt(1300),
      source: DAK,
      weight: 3,
      scenario: 'overdue',
      indicators: [{ name: 'Puskesmas yang memakai rekam medis elektronik', unit: 'puskesmas', baseline: 0, target: 9 }],
    },
    {
      code: 'LIV-04',
      program: 'LIV-HEALTH',
      owner: 'Diskominfo',
      support: ['Dinkes'],
      kind: 'INFRA',
      subject: 'layanan panggilan darurat 112',
      title: 'Layanan panggilan darurat 112 terhubung ambulans',
      description: 'Panggilan darurat warga diterima satu pusat layanan dan diteruskan ke ambulans, pemadam kebakaran atau polisi.',
      budget: jt(540),
      source: APBD,
      weight: 2,
      scenario: 'done',
      indicators: [{ name: 'Waktu tanggap panggilan darurat', unit: 'menit', baseline: 30, target: 12, decrease: true }],
    },
    {
      code: 'LIV-05',
      program: 'LIV-MOB',
      owner: 'Dishub',
      kind: 'INFRA',
      subject: 'parkir elektronik',
      title: 'Parkir elektronik di ruas jalan utama',
      description: 'Juru parkir memakai mesin pembayaran nontunai di ruas jalan utama dan pusat belanja.',
      budget: jt(650),
      source: APBD,
      weight: 2,
      scenario: 'overdue',
      indicators: [{ name: 'Ruas jalan dengan parkir nontunai', unit: 'ruas', baseline: 0, target: 15 }],
    },
    {
      code: 'LIV-06',
      program: 'LIV-MOB',
      owner: 'Dishub',
      support: ['Diskominfo'],
      kind: 'INFRA',
      subject: 'CCTV persimpangan',
      title: 'CCTV dan lampu lalu lintas terpantau di persimpangan',
      description: 'Kamera dan pengatur lampu di persimpangan padat yang terpantau dari ruang kendali Dishub.',
      budget: jt(1400),
      source: APBN,
      weight: 2,
      scenario: 'notStarted',
      indicators: [{ name: 'Persimpangan yang terpantau', unit: 'simpang', baseline: 0, target: 8 }],
    },
    {
      code: 'LIV-07',
      program: 'LIV-HEALTH',
      owner: 'RSUD',
      support: ['Dinkes'],
      kind: 'APP',
      subject: 'aplikasi telemedisin',
      title: 'Telemedisin RSUD untuk kontrol pasien kronis',
      description: 'Kontrol rutin pasien penyakit kronis lewat panggilan video; ditunda sampai rekam medis elektronik puskesmas berjalan.',
      budget: jt(300),
      source: APBD,
      weight: 1,
      scenario: 'onHold',
      indicators: [{ name: 'Pasien kronis yang kontrol daring', unit: 'pasien/bulan', baseline: 0, target: 150, monthly: true }],
      holdReason: 'Rekam medis elektronik puskesmas belum berjalan, sehingga data kontrol pasien belum bisa dibagikan.',
    },
    // --- SOCIETY ---
    {
      code: 'SOC-01',
      program: 'SOC-ADUAN',
      owner: 'Diskominfo',
      kind: 'APP',
      subject: 'kanal pengaduan warga',
      title: 'Kanal pengaduan warga terpadu',
      description: 'Pengaduan dari situs, WhatsApp dan media sosial masuk ke satu meja layanan dan diteruskan ke OPD.',
      budget: jt(140),
      source: APBD,
      weight: 2,
      scenario: { start: '2022-11-14', due: '2023-05-31' },
      indicators: [{ name: 'Pengaduan yang dijawab dalam 3 hari', unit: '%', baseline: 30, target: 80 }],
    },
    {
      code: 'SOC-02',
      program: 'SOC-ADUAN',
      owner: 'Bappeda',
      support: ['Diskominfo'],
      kind: 'APP',
      subject: 'aplikasi usulan musrenbang',
      title: 'Aplikasi usulan musrenbang kelurahan',
      description: 'Usulan kelurahan dikirim dengan foto dan lokasi, lalu statusnya dapat diikuti sampai penetapan RKPD.',
      budget: jt(160),
      source: APBD,
      weight: 1,
      scenario: 'onTrack',
      indicators: [{ name: 'Kelurahan yang mengirim usulan lewat aplikasi', unit: 'kelurahan', baseline: 0, target: 35 }],
    },
    {
      code: 'SOC-03',
      program: 'SOC-LIT',
      owner: 'Diskominfo',
      kind: 'EVENT',
      subject: 'kelas literasi digital',
      title: 'Kelas literasi digital dan keamanan siber untuk warga',
      description: 'Kelas di kelurahan tentang penipuan daring, perlindungan data pribadi dan pemakaian layanan publik digital.',
      budget: jt(75),
      source: APBD,
      weight: 1,
      scenario: 'onTrack',
      indicators: [{ name: 'Warga peserta kelas', unit: 'orang', baseline: 0, target: 1500 }],
    },
    {
      code: 'SOC-04',
      program: 'SOC-LIT',
      owner: 'Diskominfo',
      kind: 'INFRA',
      subject: 'Wi-Fi publik',
      title: 'Wi-Fi publik di taman dan ruang publik',
      description: 'Titik Wi-Fi gratis dengan batas waktu pemakaian di taman kota, alun-alun dan ruang baca.',
      budget: jt(540),
      source: APBD,
      weight: 2,
      scenario: 'behind',
      indicators: [{ name: 'Titik Wi-Fi publik aktif', unit: 'titik', baseline: 4, target: 30 }],
    },
    // --- ENVIRONMENT ---
    {
      code: 'ENV-01',
      program: 'ENV-SAMPAH',
      owner: 'DLH',
      kind: 'EVENT',
      subject: 'bank sampah kelurahan',
      title: 'Bank sampah kelurahan dengan pencatatan digital',
      description: 'Pendampingan bank sampah di kelurahan dan pencatatan setoran warga secara digital.',
      budget: jt(110),
      source: APBD,
      weight: 1,
      scenario: 'onTrack',
      indicators: [{ name: 'Sampah terkelola bank sampah', unit: 'ton/bulan', baseline: 4, target: 20 }],
    },
    {
      code: 'ENV-02',
      program: 'ENV-BANJIR',
      owner: 'Dinas PUPR',
      support: ['DLH', 'Diskominfo'],
      kind: 'INFRA',
      subject: 'sensor tinggi muka air',
      title: 'Sensor tinggi muka air sungai dan peringatan dini banjir',
      description: 'Sensor di beberapa titik sungai yang mengirim peringatan ke warga bantaran dan petugas saat muka air naik.',
      budget: jt(980),
      source: APBN,
      weight: 3,
      scenario: 'behind',
      indicators: [{ name: 'Sensor muka air yang aktif', unit: 'sensor', baseline: 0, target: 6 }],
    },
    {
      code: 'ENV-03',
      program: 'ENV-SAMPAH',
      owner: 'DLH',
      support: ['Dishub'],
      kind: 'APP',
      subject: 'informasi jadwal angkutan sampah',
      title: 'Jadwal dan rute angkutan sampah daring',
      description: 'Warga dapat melihat jadwal angkut sampah di lingkungannya dan melaporkan sampah yang belum terangkut.',
      budget: jt(95),
      source: APBD,
      weight: 1,
      scenario: 'done',
      indicators: [{ name: 'Laporan sampah tak terangkut', unit: 'laporan/bulan', baseline: 60, target: 20, decrease: true }],
    },
    {
      code: 'ENV-04',
      program: 'ENV-BANJIR',
      owner: 'Dinas PUPR',
      support: ['Bappeda'],
      kind: 'DATA',
      subject: 'peta genangan dan drainase',
      title: 'Peta genangan dan drainase berbasis GIS',
      description: 'Pemetaan saluran drainase, titik genangan dan kondisi gorong-gorong sebagai dasar prioritas perbaikan.',
      budget: jt(175),
      source: APBD,
      weight: 1,
      scenario: 'notStarted',
      indicators: [{ name: 'Panjang saluran yang terpetakan', unit: 'km', baseline: 0, target: 120 }],
    },
    {
      code: 'ENV-05',
      program: 'ENV-SAMPAH',
      owner: 'DLH',
      kind: 'INFRA',
      subject: 'fasilitas pengomposan',
      title: 'Pengomposan dan penimbangan sampah di TPA',
      description: 'Jembatan timbang dengan pencatatan otomatis dan rumah kompos untuk mengurangi sampah organik yang ditimbun.',
      budget: jt(400),
      source: APBD,
      weight: 1,
      scenario: 'onTrack',
      indicators: [{ name: 'Sampah organik yang dikomposkan', unit: '%', baseline: 3, target: 15 }],
    },
  ],
  activities: [
    {
      kind: ActivityKind.BIMTEK,
      title: 'Bimtek penyusunan masterplan smart city',
      start: '2022-06-08',
      end: '2022-06-09',
      place: 'Gedung Balai Kartini, Jalan Gunung Lauser, Tebingtinggi',
      outcome:
        'Dibuka Pj. Wali Kota Muhammad Dimiyathi dengan pendamping dari Kementerian Kominfo; dibiayai APBD Kota Tebingtinggi TA 2022. ' +
        'Dewan pengarah meminta OPD menyerahkan data yang akurat dan menyampaikan hambatan yang ada untuk penyusunan masterplan.',
    },
    {
      kind: ActivityKind.MEETING,
      title: 'Rapat evaluasi rencana aksi smart city',
      start: -12,
      place: 'Ruang rapat Bappeda Kota Tebingtinggi',
      outcome: 'OPD pemilik rencana aksi yang terlambat diminta menyusun langkah percepatan dan melaporkannya di Pantau.',
    },
  ],
  visits: [
    {
      start: 47,
      days: 5,
      evaluator: EVALUATOR,
      agenda:
        'Paparan Pj. Wali Kota tentang pelaksanaan masterplan 2022–2026; pemeriksaan quick win 2022; progres rencana aksi per OPD; ' +
        'peninjauan layanan kesehatan daring dan peringatan dini banjir.',
    },
  ],
  users: [
    { email: 'bappeda@tebingtinggi.demo', name: 'Fitri Handayani Lubis', role: 'CITY_ADMIN' },
    { email: 'diskominfo@tebingtinggi.demo', name: 'Reza Pahlevi Saragih', role: 'OPD_REPORTER', opd: 'Diskominfo' },
  ],
};

export const DEMO_CITIES: readonly CitySeed[] = [tanjungpinang, tebingtinggi];

export const PLATFORM_ADMIN = { email: 'admin@pantau.demo', name: 'Administrator Pantau' };

export const DEMO_PASSWORD = 'pantau-demo';

// ---------------------------------------------------------------------------------------------
// Text the progress reports are drawn from. `{s}` is the plan's subject; `{S}` the same, capitalised.
// Bands: 0 = below 25 %, 1 = 25–49, 2 = 50–74, 3 = 75–99, 4 = done.
// ---------------------------------------------------------------------------------------------

export const NARRATIVES: Record<PlanKind, readonly (readonly string[])[]> = {
  APP: [
    [
      'Kerangka acuan kerja {s} disusun dan dibahas bersama tim teknis.',
      'Rapat awal dengan calon pengguna untuk memetakan alur layanan yang akan dipindahkan ke {s}.',
      'Analisis kebutuhan dan rancangan basis data {s} mulai dikerjakan.',
    ],
    [
      'Rancangan tampilan dan alur {s} disetujui; pengembangan modul utama berjalan.',
      'Modul pendaftaran dan pengelolaan pengguna selesai dibangun dan sedang diuji internal.',
      'Server aplikasi disiapkan di pusat data pemerintah kota; pengembangan tahap pertama berlanjut.',
    ],
    [
      'Uji coba terbatas {s} bersama petugas layanan; masukan pengguna dicatat untuk perbaikan.',
      'Integrasi dengan aplikasi yang sudah berjalan dikerjakan; sebagian data lama berhasil dipindahkan.',
      'Pelatihan operator dilaksanakan dalam dua gelombang.',
    ],
    [
      'Perbaikan hasil uji coba hampir rampung; uji keamanan aplikasi sudah dijadwalkan.',
      'Sosialisasi {s} kepada masyarakat dimulai melalui kelurahan dan media sosial.',
      'Panduan pengguna dan SOP layanan sedang difinalkan.',
    ],
    [
      '{S} resmi dipakai masyarakat. Berita acara serah terima dan laporan akhir sudah diunggah.',
      'Peluncuran {s} selesai; layanan berjalan penuh dan pemakaiannya dipantau lewat dasbor.',
    ],
  ],
  INFRA: [
    [
      'Survei lokasi dan penyusunan spesifikasi teknis {s}.',
      'Dokumen pengadaan {s} disiapkan dan diajukan ke bagian pengadaan barang/jasa.',
      'Penetapan titik lokasi dikoordinasikan dengan OPD terkait.',
    ],
    [
      'Kontrak dengan penyedia ditandatangani; perangkat mulai dipesan.',
      'Pekerjaan persiapan lokasi dan jalur kabel dimulai.',
      'Sebagian perangkat sudah tiba dan diperiksa tim teknis.',
    ],
    [
      'Pemasangan {s} berjalan di sebagian besar titik.',
      'Perangkat yang sudah terpasang mulai tersambung ke ruang kendali.',
      'Uji fungsi dilakukan di titik yang pemasangannya selesai.',
    ],
    [
      'Pemasangan di titik terakhir dan penyetelan sistem.',
      'Uji coba operasional menyeluruh; temuan kecil sedang diperbaiki penyedia.',
      'Pelatihan petugas pengelola dan penyusunan jadwal pemeliharaan.',
    ],
    [
      'Serah terima pekerjaan {s} selesai; seluruh perangkat beroperasi.',
      'Semua titik beroperasi; berita acara serah terima dan foto dokumentasi terlampir.',
    ],
  ],
  EVENT: [
    [
      'Kerangka acuan dan jadwal {s} disusun; calon peserta didata per kelurahan.',
      'Koordinasi dengan narasumber dan mitra pelaksana.',
      'Pendataan sasaran kegiatan dan penyiapan materi.',
    ],
    [
      'Kegiatan tahap pertama terlaksana; kehadiran peserta sesuai undangan.',
      'Materi {s} selesai disusun; undangan gelombang berikutnya sudah disebar.',
      'Sosialisasi awal dilakukan di beberapa kecamatan.',
    ],
    [
      'Sebagian besar rangkaian {s} sudah terlaksana.',
      'Kegiatan lanjutan berjalan; peserta tahap sebelumnya mendapat pendampingan.',
      'Evaluasi tengah kegiatan: sebagian peserta sudah menerapkan materi.',
    ],
    [
      'Rangkaian kegiatan terakhir dilaksanakan; rekap peserta sedang dikerjakan.',
      'Laporan kegiatan dan dokumentasi sedang disusun.',
      'Manfaat kegiatan dievaluasi melalui survei peserta.',
    ],
    [
      'Seluruh rangkaian {s} selesai; laporan akhir dan daftar hadir diunggah.',
      'Kegiatan tuntas dan hasilnya sudah dilaporkan kepada tim pelaksana kota cerdas.',
    ],
  ],
  DATA: [
    [
      'Inventarisasi jenis data dan walidata di setiap OPD untuk {s}.',
      'Daftar data prioritas dan standar format disusun.',
      'Forum data bersama OPD penghasil data dilaksanakan.',
    ],
    [
      'Sebagian OPD sudah menyerahkan data sesuai format; validasi berjalan.',
      'Kode referensi wilayah dan metadata disepakati bersama walidata.',
      'Pengumpulan dan pembersihan data tahap pertama.',
    ],
    [
      'Data yang sudah divalidasi mulai dimuat ke {s}.',
      'Visualisasi dan tabel dinamis untuk data prioritas disiapkan.',
      'Pemutakhiran data dari OPD yang terlambat menyerahkan.',
    ],
    [
      'Pemeriksaan akhir kualitas data bersama walidata.',
      'Uji akses publik dan perbaikan tampilan {s}.',
      'Jadwal pemutakhiran berkala disusun.',
    ],
    [
      '{S} terbit dan bisa diakses publik; jadwal pemutakhiran berkala sudah ditetapkan.',
      'Seluruh data prioritas tersedia dan diperbarui; laporan akhir diunggah.',
    ],
  ],
};

/** Narratives for a report that shows no progress since the previous one. */
export const STALLED_NARRATIVES: readonly string[] = [
  'Belum ada kemajuan berarti pada periode ini; tim masih menyelesaikan kendala yang dilaporkan.',
  'Pekerjaan tertahan; progres sama dengan laporan sebelumnya.',
  'Kegiatan berjalan lambat, capaian belum bertambah.',
];

export const CANCELLED_NARRATIVE = 'Kegiatan dihentikan sementara sambil menunggu keputusan tim pelaksana tentang kelanjutannya.';

export const OBSTACLES: Record<PlanKind | 'ANY', readonly string[]> = {
  APP: [
    'Kapasitas server di pusat data belum cukup; menunggu penambahan.',
    'Tenaga pengembang terbatas; penyedia baru bisa mulai setelah kontrak ditandatangani.',
    'Integrasi dengan aplikasi kementerian masih menunggu akses API.',
    'Jaringan internet di sebagian lokasi layanan belum stabil.',
    'Operator sering berganti sehingga pelatihan harus diulang.',
  ],
  INFRA: [
    'Cuaca buruk membuat pekerjaan di lapangan beberapa kali tertunda.',
    'Lelang pertama gagal dan harus diulang.',
    'Pengiriman perangkat dari penyedia terlambat.',
    'Izin pemakaian tiang dan lahan dari pihak ketiga belum terbit.',
  ],
  EVENT: [
    'Jadwal kegiatan bergeser karena bertabrakan dengan agenda pimpinan.',
    'Jumlah peserta dari kelurahan belum memenuhi target.',
    'Narasumber berhalangan hadir sehingga sesi dijadwalkan ulang.',
  ],
  DATA: [
    'Beberapa OPD belum menyerahkan data sesuai format yang disepakati.',
    'Kode wilayah antaraplikasi berbeda sehingga perlu pemetaan ulang.',
    'Menunggu peraturan wali kota sebagai dasar hukum berbagi data.',
  ],
  ANY: ['Anggaran baru tersedia setelah APBD Perubahan disahkan.', 'Pergeseran anggaran membuat sebagian kegiatan dijadwalkan ulang.'],
};

/** Milestone templates: title, where on the schedule it falls (0–1), and the percent that reaches it. */
export const MILESTONES: Record<PlanKind, readonly { title: string; at: number; percent: number }[]> = {
  APP: [
    { title: 'Kerangka acuan dan spesifikasi kebutuhan disetujui', at: 0.2, percent: 15 },
    { title: 'Uji coba terbatas', at: 0.65, percent: 60 },
    { title: 'Layanan diluncurkan untuk masyarakat', at: 1, percent: 100 },
  ],
  INFRA: [
    { title: 'Kontrak pengadaan ditandatangani', at: 0.25, percent: 20 },
    { title: 'Pemasangan perangkat selesai', at: 0.8, percent: 80 },
    { title: 'Serah terima dan operasional', at: 1, percent: 100 },
  ],
  EVENT: [
    { title: 'Kerangka acuan dan jadwal kegiatan ditetapkan', at: 0.15, percent: 10 },
    { title: 'Rangkaian kegiatan utama terlaksana', at: 0.75, percent: 70 },
    { title: 'Laporan akhir kegiatan', at: 1, percent: 100 },
  ],
  DATA: [
    { title: 'Inventarisasi data OPD selesai', at: 0.3, percent: 25 },
    { title: 'Standar data dan kode referensi disepakati', at: 0.6, percent: 55 },
    { title: 'Data terbit dan dapat diakses', at: 1, percent: 100 },
  ],
};

export const EVIDENCE_FILES: readonly string[] = [
  'laporan-kemajuan.pdf',
  'foto-kegiatan.jpg',
  'berita-acara.pdf',
  'tangkapan-layar.png',
  'daftar-hadir.pdf',
];
