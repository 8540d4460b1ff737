import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { MikroORM } from '@mikro-orm/core';
import yazl from 'yazl';
import type { Context } from '../../context';
import type { Locale } from '../../i18n';
import type { City } from '../cities/city.entity';
import { SelfAssessment } from '../monev/assessment.entity';
import { assessmentData, liveItems } from '../monev/assessment.service';
import { blobChunks, type BlobStorage } from '../monev/blob-store';
import { EvidenceAttachment, EvidenceBlob, EvidenceKind, type Evidence } from '../monev/evidence.entity';
import { EVALUATION_DIMENSIONS, evaluationDimensionLabel } from '../monev/framework.entity';
import { downloadName, extensionOf } from '../monev/sniff';
import { cityOpdsById } from '../overview/city-data';
import { neutralise } from './monev-xlsx';
import { safeSegment, UniqueNames } from './safe-names';

/*
 * The evidence pack (paket bukti, issue 24 §2): every evidence file of a year's self-assessment in
 * one ZIP, a folder per evaluation dimension and in it a folder per rubric item, with an index
 * (`indeks.csv` / `index.csv`) listing each file and link, its item, who supplied it and where it
 * is. A file attached to several items is packed once, in the first item's folder (rubric order);
 * the index names every item it supports. Files keep their bytes as uploaded.
 *
 * Built as a stream: the plan (names, sizes) is a row per file; the bytes go from storage to the
 * client a chunk at a time (`blobChunks`, 256 KiB) as the client reads, each entry stored without
 * compression (evidence is PDF, images, office files: compressed already), so memory stays flat
 * whatever the size of the pack. yazl writes ZIP64 records when the pack passes 4 GiB.
 */

/** One file of the pack: where it goes and what to read. */
export interface PackFile {
  path: string;
  evidence: Evidence;
  blob: EvidenceBlob;
}

/** What a pack holds, decided before a byte is sent. */
export interface EvidencePackPlan {
  /** The ZIP's own name. */
  fileName: string;
  indexName: string;
  index: Buffer;
  files: PackFile[];
  /** Sum of the files' sizes. */
  bytes: number;
}

const HEAD: Record<Locale, string[]> = {
  id: [
    'Berkas dalam paket',
    'Judul',
    'Jenis',
    'Dimensi evaluasi',
    'Kode butir',
    'Butir',
    'Pengunggah',
    'OPD pengunggah',
    'Diunggah',
    'Ukuran (bita)',
    'SHA-256',
    'Tautan',
  ],
  en: [
    'File in the pack',
    'Title',
    'Kind',
    'Evaluation dimension',
    'Item code',
    'Item',
    'Supplied by',
    "Supplier's OPD",
    'Supplied at',
    'Size (bytes)',
    'SHA-256',
    'Link',
  ],
};

/** One CSV line: every field quoted, quotes doubled, formula-like text neutralised; CRLF as Excel writes. */
function csvLine(fields: readonly (string | number | null)[]): string {
  return `${fields.map((f) => `"${neutralise(f === null ? '' : String(f)).replace(/"/g, '""')}"`).join(',')}\r\n`;
}

/** Plans the evidence pack of a city's self-assessment of `year` (the latest revision, as readiness reads it). */
export async function planEvidencePack(ctx: Context, city: City, year: number): Promise<EvidencePackPlan> {
  const locale = ctx.locale;
  const fileName = `${locale === 'en' ? 'evidence-pack' : 'paket-bukti'}-${safeSegment(city.name).replace(/\s+/g, '-')}-${year}.zip`;
  const indexName = locale === 'en' ? 'index.csv' : 'indeks.csv';
  const assessment = await ctx.em.findOne(
    SelfAssessment,
    { city: city.id, year, archivedAt: null },
    { orderBy: { framework: { revision: 'desc' } } },
  );
  const lines = [`\uFEFF${csvLine(HEAD[locale])}`];
  const files: PackFile[] = [];
  if (!assessment) return { fileName, indexName, index: Buffer.from(lines.join('')), files, bytes: 0 };

  const items = liveItems(await assessmentData(ctx, assessment));
  const attachments = await ctx.em.find(
    EvidenceAttachment,
    { assessmentItem: { $in: items.map((i) => i.item.id) }, archivedAt: null, evidence: { archivedAt: null } },
    { populate: ['evidence'], orderBy: { attachedAt: 'asc', id: 'asc' } },
  );
  const blobIds = [...new Set(attachments.flatMap((a) => (a.evidence.blob ? [a.evidence.blob.id] : [])))];
  const blobs = new Map(
    blobIds.length === 0 ? [] : (await ctx.em.find(EvidenceBlob, { id: { $in: blobIds } })).map((b) => [b.id, b] as const),
  );
  const opds = await cityOpdsById(ctx, city.id);
  const base = ctx.services.publicUrl ?? ctx.requestOrigin ?? '';
  const names = new UniqueNames();
  const packed = new Map<string, string>();
  let bytes = 0;
  const order = [...items].sort(
    (a, b) => EVALUATION_DIMENSIONS.indexOf(a.rubric.dimension) - EVALUATION_DIMENSIONS.indexOf(b.rubric.dimension),
  );
  for (const { rubric, item } of order) {
    const n = EVALUATION_DIMENSIONS.indexOf(rubric.dimension) + 1;
    const label = evaluationDimensionLabel(rubric.dimension, locale);
    const folder = `${safeSegment(`${n} ${label}`)}/${safeSegment(`${rubric.code} ${rubric.question}`, rubric.code)}`;
    for (const a of attachments.filter((x) => x.assessmentItem?.id === item.id)) {
      const e = a.evidence;
      const blob = e.blob ? blobs.get(e.blob.id) : undefined;
      let path = '';
      if (e.kind === EvidenceKind.FILE && blob) {
        path = packed.get(e.id) ?? '';
        if (!path) {
          const name = safeSegment(downloadName(e.title, { extension: extensionOf(blob.contentType) }));
          path = names.claim(folder, name);
          packed.set(e.id, path);
          files.push({ path, evidence: e, blob });
          bytes += blob.size;
        }
      }
      const link = e.kind === EvidenceKind.LINK ? (e.url ?? '') : `${base}/uploads/${e.id}`;
      const opd = e.supplierOpd ? (opds.get(e.supplierOpd.id)?.name ?? '') : '';
      lines.push(
        csvLine([
          path,
          e.title,
          e.kind,
          label,
          rubric.code,
          rubric.question,
          e.supplierName,
          opd,
          e.suppliedAt.toISOString(),
          e.size,
          e.sha256,
          link,
        ]),
      );
    }
  }
  return { fileName, indexName, index: Buffer.from(lines.join('')), files, bytes };
}

/** Streams the pack as a ZIP into `out`, a chunk of one file at a time, at the pace `out` takes it. */
export async function writeEvidencePack(plan: EvidencePackPlan, orm: MikroORM, storage: BlobStorage, out: Writable): Promise<void> {
  const zip = new yazl.ZipFile();
  // A file whose bytes fail (a chunk missing, storage gone, a size that does not match) is reported
  // by yazl as an 'error' of the ZipFile, or by the entry's source stream, which yazl does not
  // listen to: unheard, either is an uncaught exception (the process ends) and the output waits
  // forever for the entry's bytes. Both end the output with the error instead.
  let fail: (error: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = (error) => {
      (zip.outputStream as Readable).destroy(error);
      reject(error);
    };
  });
  failed.catch(() => {});
  zip.once('error', fail);
  zip.addBuffer(plan.index, plan.indexName, { mtime: new Date() });
  for (const f of plan.files) {
    // Lazy: nothing is read before yazl reaches this entry and the client takes its bytes.
    const source = Readable.from(blobChunks(orm, storage, f.blob), { objectMode: true, highWaterMark: 1 });
    source.once('error', fail);
    zip.addReadStream(source, f.path, { compress: false, size: f.blob.size, mtime: f.evidence.suppliedAt });
  }
  zip.end();
  await Promise.race([pipeline(zip.outputStream, out), failed]);
}
