import type { EntityManager } from '@mikro-orm/core';
import { addDays } from '../../util/dates';
import { ActionPlan } from '../../modules/action-plans/action-plan.entity';
import { Indicator } from '../../modules/action-plans/indicator.entity';
import type { City } from '../../modules/cities/city.entity';
import { Activity, ActivityKind, EvaluationVisit, type Deliverable } from '../../modules/evaluation/evaluation.entity';
import { Program } from '../../modules/masterplan/masterplan.entity';
import { Opd } from '../../modules/opds/opd.entity';
import { Risk, RiskStatus } from '../../modules/risks/risk.entity';
import { ActionPlanTag, IndicatorTag, Tag } from '../../modules/tags/tag.entity';

/**
 * The demo's programme calendar (events with owners and deliverables, placed relative to today),
 * risk registers of the quick wins, and cross-index tags on some plans — issue 11 §5–7. Applied
 * after a city's plans are written; tags come from the catalogues `ensureTagCatalogs` wrote.
 */

interface DeliverableSeed {
  title: string;
  /** Days from today. */
  due: number;
  done?: boolean;
}

interface EventSeed {
  kind: ActivityKind;
  title: string;
  phase?: number;
  /** Days from today. */
  start: number;
  end?: number;
  place?: string;
  ownerOpd?: string;
  ownerName?: string;
  deliverables: DeliverableSeed[];
}

interface RiskSeed {
  /** The quick win's program name. */
  program: string;
  description: string;
  likelihood: number;
  impact: number;
  mitigation?: string;
  ownerOpd?: string;
  status?: RiskStatus;
}

interface ProgrammeSeed {
  events: EventSeed[];
  /** Owner and deliverables of the next evaluation visit. */
  visit: { ownerOpd: string; ownerName: string; deliverables: DeliverableSeed[] };
  risks: RiskSeed[];
  /** Plan code → tags written `CATALOG:CODE`; the plan's first indicator gets the first tag. */
  tags: Record<string, string[]>;
}

const TANJUNGPINANG: ProgrammeSeed = {
  events: [
    {
      kind: ActivityKind.MASTERPLAN_DEADLINE,
      title: 'Batas akhir revisi masterplan smart city tahunan',
      start: 9,
      ownerOpd: 'Bappelitbang',
      ownerName: 'Kepala Bappelitbang',
      deliverables: [
        { title: 'Draf revisi masterplan dibahas Tim Pelaksana', due: 2, done: true },
        { title: 'Dokumen revisi masterplan ditandatangani Wali Kota', due: 9 },
      ],
    },
    {
      kind: ActivityKind.BIMTEK,
      title: 'Bimtek lanjutan: penyusunan quick win tahun berjalan',
      phase: 2,
      start: 14,
      end: 15,
      place: 'Aula Kantor Wali Kota Tanjungpinang, Senggarang',
      ownerOpd: 'Diskominfo',
      ownerName: 'Plt. Kepala Diskominfo',
      deliverables: [{ title: 'Usulan quick win tambahan dari setiap OPD', due: 12 }],
    },
    {
      kind: ActivityKind.YEARLY_REVIEW,
      title: 'Reviu tahunan pelaksanaan masterplan dan quick win',
      start: 75,
      ownerOpd: 'Bappelitbang',
      deliverables: [{ title: 'Laporan reviu tahunan kota cerdas', due: 90 }],
    },
  ],
  visit: {
    ownerOpd: 'Bappelitbang',
    ownerName: 'Ketua Tim Pelaksana Kota Cerdas',
    deliverables: [
      { title: 'Bahan paparan Wali Kota untuk tim evaluasi', due: 33 },
      { title: 'Data dukung progres rencana aksi setiap OPD', due: 20 },
    ],
  },
  risks: [
    {
      program: 'Layanan Kesehatan Berbasis Elektronik',
      description: 'Jaringan internet di puskesmas pulau (Penyengat) belum stabil, sehingga e-puskesmas tidak dapat dipakai setiap hari.',
      likelihood: 4,
      impact: 4,
      mitigation: 'Mode luring dengan sinkronisasi malam hari; pengajuan jaringan VSAT ke Diskominfo.',
      ownerOpd: 'Dinkes',
    },
    {
      program: 'Layanan Kesehatan Berbasis Elektronik',
      description: 'Tenaga kesehatan belum terbiasa mencatat rekam medis elektronik.',
      likelihood: 3,
      impact: 3,
      mitigation: 'Pelatihan bergilir per puskesmas dan pendamping TI di setiap shift pertama.',
      ownerOpd: 'Dinkes',
      status: RiskStatus.MITIGATED,
    },
    {
      program: 'Tanjungpinang Kota Pusaka dan Budaya',
      description: 'Konten informasi Pulau Penyengat tidak diperbarui setelah peluncuran.',
      likelihood: 3,
      impact: 2,
      mitigation: 'Jadwal pembaruan bulanan oleh Dinas Pariwisata bersama komunitas pemandu.',
      ownerOpd: 'Dispar',
    },
    {
      program: 'Integrasi Data dan Satu Data Tanjungpinang',
      description: 'OPD tidak menyerahkan data tepat waktu ke portal Satu Data.',
      likelihood: 4,
      impact: 5,
      mitigation: 'Kewajiban walidata per OPD lewat Perwali dan pemantauan di Pantau.',
      ownerOpd: 'Diskominfo',
    },
    {
      program: 'Integrasi Data dan Satu Data Tanjungpinang',
      description: 'Server pusat data kota tanpa cadangan listrik memadai.',
      likelihood: 2,
      impact: 5,
      ownerOpd: 'Diskominfo',
    },
  ],
  tags: {
    'GOV-01': ['SPBE:I-19', 'ISO_37122:10.1', 'SAKIP_IKU:IKU-04'],
    'GOV-02': ['SPBE:I-29', 'SAKIP_IKU:IKU-03'],
    'GOV-03': ['SPBE:I-30'],
    'GOV-05': ['SPBE:I-04', 'ISO_37122:5.4'],
    'LIV-01': ['SPBE:I-40', 'ISO_37122:11.1', 'SAKIP_IKU:IKU-10'],
    'LIV-02': ['ISO_37122:11.2'],
    'SOC-01': ['SPBE:I-36', 'ISO_37122:10.5', 'SAKIP_IKU:IKU-05'],
    'BRD-01': ['SAKIP_IKU:IKU-09'],
  },
};

const TEBINGTINGGI: ProgrammeSeed = {
  events: [
    {
      kind: ActivityKind.MOU_SIGNING,
      title: 'Penandatanganan komitmen bersama OPD untuk quick win tahun ini',
      start: 5,
      ownerOpd: 'Diskominfo',
      deliverables: [{ title: 'Naskah komitmen bersama yang ditandatangani seluruh kepala OPD', due: 5 }],
    },
    {
      kind: ActivityKind.MASTERPLAN_DEADLINE,
      title: 'Batas akhir pemutakhiran rencana aksi masterplan 2022–2026',
      start: 21,
      ownerOpd: 'Bappeda',
      deliverables: [{ title: 'Matriks rencana aksi yang dimutakhirkan', due: 21 }],
    },
  ],
  visit: {
    ownerOpd: 'Bappeda',
    ownerName: 'Kepala Bappeda',
    deliverables: [{ title: 'Bahan paparan Pj. Wali Kota', due: 40 }],
  },
  risks: [
    {
      program: 'UMKM Digital dan Pasar Cerdas',
      description: 'Pedagang pasar enggan memakai pembayaran nontunai karena biaya transaksi.',
      likelihood: 4,
      impact: 3,
      mitigation: 'Kerja sama bank daerah untuk QRIS tanpa biaya selama tahun pertama.',
      ownerOpd: 'Diskop UKM',
    },
  ],
  tags: {
    'GOV-01': ['SPBE:I-19', 'ISO_37122:10.1'],
    'GOV-02': ['SPBE:I-29'],
    'ECO-01': ['SAKIP_IKU:IKU-06'],
  },
};

const PROGRAMME: Record<string, ProgrammeSeed> = { Tanjungpinang: TANJUNGPINANG, Tebingtinggi: TEBINGTINGGI };

function deliverables(list: readonly DeliverableSeed[], today: string): Deliverable[] {
  return list
    .map((d) => ({ title: d.title, dueDate: addDays(today, d.due), done: d.done ?? false }))
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate));
}

/** Writes a demo city's calendar events, risks and tags (its plans, OPDs and visits must be flushed). */
export async function seedProgramme(em: EntityManager, city: City, today: string, newId: () => string): Promise<void> {
  const seed = PROGRAMME[city.name];
  if (!seed) return;
  const opds = new Map((await em.find(Opd, { city: city.id })).map((o) => [o.abbreviation, o]));
  const opd = (abbr: string | undefined): Opd | null => {
    if (!abbr) return null;
    const found = opds.get(abbr);
    if (!found) throw new Error(`demo programme: ${city.name} has no OPD "${abbr}"`);
    return found;
  };
  for (const e of seed.events) {
    const start = addDays(today, e.start);
    const activity = new Activity(city, e.kind, e.title, start, addDays(today, e.end ?? e.start));
    activity.id = newId();
    activity.phase = e.phase ?? null;
    activity.place = e.place ?? null;
    activity.ownerOpd = opd(e.ownerOpd);
    activity.ownerName = e.ownerName ?? null;
    activity.deliverables = deliverables(e.deliverables, today);
    em.persist(activity);
  }
  const visit = await em.findOne(EvaluationVisit, { city: city.id, startDate: { $gte: today } }, { orderBy: { startDate: 'asc' } });
  if (visit) {
    visit.ownerOpd = opd(seed.visit.ownerOpd);
    visit.ownerName = seed.visit.ownerName;
    visit.deliverables = deliverables(seed.visit.deliverables, today);
  }
  const programs = new Map((await em.find(Program, { city: city.id, quickWin: true })).map((p) => [p.name, p]));
  for (const r of seed.risks) {
    const program = programs.get(r.program);
    if (!program) throw new Error(`demo programme: ${city.name} has no quick win "${r.program}"`);
    const risk = new Risk(program, r.description, r.likelihood, r.impact);
    risk.id = newId();
    risk.mitigation = r.mitigation ?? null;
    risk.ownerOpd = opd(r.ownerOpd);
    risk.status = r.status ?? RiskStatus.OPEN;
    em.persist(risk);
  }
  const tags = new Map((await em.find(Tag, {}, { populate: ['catalog'] })).map((t) => [`${t.catalog.code}:${t.code}`, t]));
  const plans = new Map(
    (await em.find(ActionPlan, { city: city.id, code: { $in: Object.keys(seed.tags) } })).map((p) => [p.code ?? '', p]),
  );
  for (const [code, keys] of Object.entries(seed.tags)) {
    const plan = plans.get(code);
    if (!plan) throw new Error(`demo programme: ${city.name} has no plan "${code}"`);
    const found = keys.map((k) => {
      const tag = tags.get(k);
      if (!tag) throw new Error(`demo programme: no tag "${k}"`);
      return tag;
    });
    for (const tag of found) em.persist(new ActionPlanTag(plan, tag));
    const indicator = await em.findOne(Indicator, { actionPlan: plan.id }, { orderBy: { id: 'asc' } });
    if (indicator && found[0]) em.persist(new IndicatorTag(indicator, found[0]));
  }
  await em.flush();
}
