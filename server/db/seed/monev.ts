import type { EntityManager } from '@mikro-orm/core';
import { City } from '../../modules/cities/city.entity';
import { Program } from '../../modules/masterplan/masterplan.entity';
import { Dimension } from '../../modules/masterplan/dimension';
import { Opd } from '../../modules/opds/opd.entity';
import { ActionPlan } from '../../modules/action-plans/action-plan.entity';
import { AssessmentItem, AssessmentStatus, AssessorScore, SelfAssessment } from '../../modules/monev/assessment.entity';
import { Evidence, EvidenceAttachment, EvidenceKind } from '../../modules/monev/evidence.entity';
import { EvaluationDimension as E, EvaluationFramework, RubricItem, type DimensionWeights } from '../../modules/monev/framework.entity';

/**
 * Demo monev data: last year's and this year's rubric (the weights changed: impact and quick win
 * 30/10 last year, 20/20 this year), Tanjungpinang's submitted self-assessment of last year with the
 * ministry's scores (published), and this year's, half filled in, so the readiness view has gaps.
 */

type ItemSeed = [code: string, dimension: E, smartCity: Dimension | null, supplier: string, question: string, evidence: string];

const ITEMS: ItemSeed[] = [
  [
    'BAS-01',
    E.BASELINE,
    null,
    'Bappelitbang',
    'Capaian rencana aksi meningkat dibanding tahun sebelumnya',
    'Rekap capaian rencana aksi dua tahun terakhir',
  ],
  [
    'BAS-02',
    E.BASELINE,
    Dimension.GOVERNANCE,
    'Bappelitbang',
    'Masterplan smart city dimutakhirkan dan selaras dengan RPJMD',
    'Dokumen masterplan terbaru dan berita acara reviu',
  ],
  [
    'OUT-01',
    E.OUTPUT,
    Dimension.GOVERNANCE,
    'Bappelitbang',
    'Peraturan kepala daerah tentang kota cerdas ditetapkan',
    'Salinan Peraturan Wali Kota',
  ],
  [
    'OUT-02',
    E.OUTPUT,
    Dimension.GOVERNANCE,
    'Bappelitbang',
    'Dewan Smart City dan Tim Pelaksana ditetapkan dengan SK',
    'SK Wali Kota tentang dewan dan tim pelaksana',
  ],
  ['OUT-03', E.OUTPUT, Dimension.ECONOMY, 'BPKPD', 'Program kota cerdas mendapat alokasi APBD', 'Kutipan DPA/APBD program kota cerdas'],
  [
    'OCM-01',
    E.OUTCOME,
    Dimension.GOVERNANCE,
    'Diskominfo',
    'Rencana aksi tata kelola (e-planning, e-budgeting, portal) terlaksana',
    'Laporan progres terverifikasi dan tangkapan layar layanan',
  ],
  [
    'OCM-02',
    E.OUTCOME,
    Dimension.SOCIETY,
    'Dinkes',
    'Rencana aksi layanan kesehatan digital terlaksana',
    'Laporan uji coba e-puskesmas dan daftar puskesmas',
  ],
  [
    'OCM-03',
    E.OUTCOME,
    Dimension.BRANDING,
    'Dispar',
    'Rencana aksi pemasaran Kota Pusaka dan Budaya terlaksana',
    'Dokumentasi promosi dan informasi daring Pulau Penyengat',
  ],
  ['IMP-01', E.IMPACT, Dimension.SOCIETY, 'Diskominfo', 'Warga puas dengan layanan digital kota', 'Hasil survei kepuasan masyarakat'],
  [
    'IMP-02',
    E.IMPACT,
    Dimension.ECONOMY,
    'Dispar',
    'Kunjungan wisata dan omzet UMKM meningkat',
    'Data kunjungan wisatawan dan omzet UMKM binaan',
  ],
  [
    'QW-01',
    E.QUICK_WIN,
    Dimension.GOVERNANCE,
    'Diskominfo',
    'Layanan quick win berjalan dan dipakai warga',
    'Statistik pengguna dan testimoni pengguna layanan',
  ],
  ['QW-02', E.QUICK_WIN, null, 'Bappelitbang', 'Ada inovasi layanan berbasis TI baru tahun ini', 'Profil inovasi dan SK penetapannya'],
];

/** This year's extra item: data integration became its own question. */
const NEW_ITEM: ItemSeed = [
  'OUT-04',
  E.OUTPUT,
  Dimension.GOVERNANCE,
  'Diskominfo',
  'Data antar-OPD terintegrasi (Satu Data)',
  'Daftar data terintegrasi dan SK walidata',
];

const LAST_YEAR_WEIGHTS: DimensionWeights = { BASELINE: 10, OUTPUT: 20, OUTCOME: 30, IMPACT: 30, QUICK_WIN: 10 };
const THIS_YEAR_WEIGHTS: DimensionWeights = { BASELINE: 10, OUTPUT: 20, OUTCOME: 30, IMPACT: 20, QUICK_WIN: 20 };

function framework(
  em: EntityManager,
  year: number,
  weights: DimensionWeights,
  items: ItemSeed[],
): { framework: EvaluationFramework; items: RubricItem[] } {
  const f = new EvaluationFramework(year, `Instrumen Evaluasi Gerakan Menuju 100 Smart City ${year}`, `${year}-12-15`, weights);
  em.persist(f);
  const rows = items.map(([code, dimension, smartCity, supplier, question, evidence], i) => {
    const row = new RubricItem(f, code, question, evidence, dimension);
    row.smartCityDimension = smartCity;
    row.supplierHint = supplier;
    row.position = i;
    em.persist(row);
    return row;
  });
  return { framework: f, items: rows };
}

/** Seeds the frameworks and Tanjungpinang's self-assessments; `today` is the city's today. */
export async function seedMonev(em: EntityManager, today: string, now: Date): Promise<void> {
  const year = Number(today.slice(0, 4));
  const last = framework(em, year - 1, LAST_YEAR_WEIGHTS, ITEMS);
  const current = framework(em, year, THIS_YEAR_WEIGHTS, [...ITEMS.slice(0, 5), NEW_ITEM, ...ITEMS.slice(5)]);
  const city = await em.findOne(City, { name: 'Tanjungpinang' });
  if (!city) return;
  const opds = new Map((await em.find(Opd, { city: city.id })).map((o) => [o.abbreviation, o]));
  const quickWins = await em.find(Program, { city: city.id, quickWin: true });
  const plans = await em.find(ActionPlan, { city: city.id }, { orderBy: { dueDate: 'asc' } });

  // Last year: submitted, every item scored, the ministry's scores published.
  const lastAssessment = new SelfAssessment(city, last.framework);
  lastAssessment.status = AssessmentStatus.SUBMITTED;
  lastAssessment.submittedAt = new Date(Date.UTC(year - 1, 8, 20));
  em.persist(lastAssessment);
  const lastScores = [3, 3, 4, 4, 3, 3, 2, 3, 2, 3, 3, 2];
  last.items.forEach((rubric, i) => {
    const item = new AssessmentItem(lastAssessment, rubric);
    item.score = lastScores[i] ?? 2;
    item.narrative = 'Terlaksana sesuai rencana aksi tahun berjalan.';
    item.responsibleOpd = opds.get(rubric.supplierHint ?? '') ?? null;
    item.scoredAt = lastAssessment.submittedAt;
    em.persist(item);
    const assessor = new AssessorScore(item, Math.max(0, (lastScores[i] ?? 2) - (i % 3 === 0 ? 1 : 0)));
    assessor.notes = i % 3 === 0 ? 'Bukti dukung belum menunjukkan pemanfaatan oleh warga.' : null;
    assessor.recordedAt = new Date(Date.UTC(year - 1, 9, 8));
    em.persist(assessor);
  });

  // This year: a draft, half filled in, some evidence: the gaps the team works on before the visit.
  const draft = new SelfAssessment(city, current.framework);
  em.persist(draft);
  const planOf = (opd: string) => plans.find((p) => p.ownerOpd.id === opds.get(opd)?.id);
  current.items.forEach((rubric, i) => {
    const item = new AssessmentItem(draft, rubric);
    item.responsibleOpd = opds.get(rubric.supplierHint ?? '') ?? null;
    if (i % 2 === 0) {
      item.score = [3, 3.5, 2, 3, 2.5, 3, 2][i / 2] ?? 2;
      item.narrative = 'Sebagian besar kegiatan sudah berjalan; bukti dukung sedang dilengkapi.';
      item.scoredAt = now;
    }
    const plan = planOf(rubric.supplierHint ?? '');
    if (plan && rubric.dimension === E.OUTCOME) item.actionPlans.add(plan);
    if (rubric.dimension === E.QUICK_WIN) item.quickWins.set(quickWins);
    em.persist(item);
    if (i % 4 === 0) {
      const evidence = new Evidence(city, EvidenceKind.LINK, `Data dukung ${rubric.code}`, 'Bappelitbang Kota Tanjungpinang');
      evidence.url = `https://tanjungpinangkota.go.id/data-dukung/${rubric.code.toLowerCase()}`;
      evidence.suppliedAt = now;
      const attachment = new EvidenceAttachment(evidence);
      attachment.assessmentItem = item;
      attachment.attachedAt = now;
      em.persist([evidence, attachment]);
    }
  });
  await em.flush();
}
