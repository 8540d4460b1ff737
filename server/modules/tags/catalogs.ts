import type { EntityManager } from '@mikro-orm/core';
import { Tag, TagCatalog } from './tag.entity';

/**
 * The tag catalogues, as data. Codes are stable keys; `ensureTagCatalogs` adds what a database
 * lacks (and renames entries whose name changed) at every boot, so every deployment has them —
 * not only the demo. The entries are a working selection, not the full official lists.
 */
export const TAG_CATALOGS: readonly { code: string; name: string; description: string; tags: readonly (readonly [string, string])[] }[] = [
  {
    code: 'SPBE',
    name: 'Indikator SPBE',
    description: 'Indikator evaluasi Sistem Pemerintahan Berbasis Elektronik (PermenPANRB 59/2020).',
    tags: [
      ['I-01', 'Tingkat kematangan kebijakan internal arsitektur SPBE'],
      ['I-02', 'Tingkat kematangan kebijakan internal peta rencana SPBE'],
      ['I-04', 'Tingkat kematangan kebijakan internal manajemen data'],
      ['I-05', 'Tingkat kematangan kebijakan internal pembangunan aplikasi SPBE'],
      ['I-08', 'Tingkat kematangan kebijakan internal keamanan informasi'],
      ['I-10', 'Tingkat kematangan tim koordinasi SPBE'],
      ['I-19', 'Tingkat kematangan penyelenggaraan manajemen data'],
      ['I-23', 'Tingkat kematangan layanan naskah dinas'],
      ['I-29', 'Tingkat kematangan layanan perencanaan (e-planning)'],
      ['I-30', 'Tingkat kematangan layanan penganggaran (e-budgeting)'],
      ['I-36', 'Tingkat kematangan layanan pengaduan pelayanan publik'],
      ['I-40', 'Tingkat kematangan layanan publik sektor (kesehatan, pariwisata, perizinan)'],
    ],
  },
  {
    code: 'SAKIP_IKU',
    name: 'IKU SAKIP',
    description: 'Indikator kinerja utama kota dalam Sistem Akuntabilitas Kinerja Instansi Pemerintah.',
    tags: [
      ['IKU-01', 'Indeks Pembangunan Manusia'],
      ['IKU-02', 'Indeks Reformasi Birokrasi'],
      ['IKU-03', 'Nilai SAKIP'],
      ['IKU-04', 'Indeks SPBE'],
      ['IKU-05', 'Indeks Kepuasan Masyarakat'],
      ['IKU-06', 'Laju pertumbuhan ekonomi'],
      ['IKU-07', 'Tingkat pengangguran terbuka'],
      ['IKU-08', 'Persentase penduduk miskin'],
      ['IKU-09', 'Jumlah kunjungan wisatawan'],
      ['IKU-10', 'Angka harapan hidup'],
      ['IKU-11', 'Indeks kualitas lingkungan hidup'],
      ['IKU-12', 'Persentase luas kawasan kumuh'],
    ],
  },
  {
    code: 'ISO_37122',
    name: 'ISO 37122',
    description: 'Indikator kota cerdas ISO 37122:2019 (Sustainable cities and communities — Indicators for smart cities).',
    tags: [
      ['5.4', 'Persentase kontrak layanan kota yang datanya dibuka'],
      ['6.1', 'Persentase sekolah dengan akses internet'],
      ['7.4', 'Persentase lampu jalan yang dikelola sistem telemanajemen'],
      ['8.2', 'Jumlah stasiun pemantau kualitas udara waktu nyata per km²'],
      ['10.1', 'Jumlah kunjungan portal data terbuka per 100.000 penduduk'],
      ['10.2', 'Persentase layanan kota yang dapat diakses dan diminta secara daring'],
      ['10.5', 'Waktu rata-rata tanggapan atas pengaduan warga (hari)'],
      ['11.1', 'Persentase penduduk dengan rekam medis elektronik terpadu'],
      ['11.2', 'Jumlah janji temu layanan kesehatan daring per 100.000 penduduk'],
      ['14.3', 'Persentase wilayah kota yang terpantau sistem peringatan dini bencana'],
      ['16.2', 'Persentase tempat sampah umum dengan sensor pengisian'],
      ['19.4', 'Persentase persimpangan dengan lampu lalu lintas adaptif'],
    ],
  },
];

/** Adds the catalogues and entries a database lacks, by code, and renames changed ones. Idempotent. */
export async function ensureTagCatalogs(em: EntityManager): Promise<void> {
  const catalogs = new Map((await em.find(TagCatalog, {})).map((c) => [c.code, c]));
  const tags = new Map((await em.find(Tag, {})).map((t) => [`${t.catalog.id}|${t.code}`, t]));
  for (const data of TAG_CATALOGS) {
    let catalog = catalogs.get(data.code);
    if (!catalog) {
      catalog = new TagCatalog(data.code, data.name);
      em.persist(catalog);
    }
    catalog.name = data.name;
    catalog.description = data.description;
    for (const [code, name] of data.tags) {
      const tag = tags.get(`${catalog.id}|${code}`);
      if (tag) tag.name = name;
      else em.persist(new Tag(catalog, code, name));
    }
  }
  await em.flush();
}
