import yauzl from 'yauzl';

/*
 * Reads a zip file's central directory (yauzl) without inflating anything, and checks what a zip
 * says about itself against bounds: entry count, declared inflated sizes, compression ratios, and
 * the tricks of zip bombs and polyglots (entries that overlap, the same name twice, encryption,
 * unusual compression, names with `..` or absolute paths). The declared sizes are what a reader
 * that trusts them would allocate; whoever does inflate an entry must still bound what it reads.
 */

/** Bounds of a zip's central directory. */
export interface ZipLimits {
  /** Most entries. */
  maxEntries: number;
  /** Most declared inflated bytes, all entries together. */
  maxInflatedBytes: number;
  /** Highest inflated/compressed ratio of one entry… */
  maxRatio: number;
  /** …for entries that inflate to more than this (small ones compress well and harm nobody). */
  ratioFromBytes: number;
}

export const ZIP_LIMITS: ZipLimits = {
  maxEntries: 10_000,
  maxInflatedBytes: 256 * 1_048_576,
  maxRatio: 100,
  ratioFromBytes: 1_048_576,
};

/** One entry of the central directory. */
export interface ZipEntry {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
  /** 0 stored, 8 deflated (the only two accepted). */
  method: number;
  /** Where its local header starts. */
  offset: number;
}

/** Why a zip was refused: not a sound zip (`structure`), or what it would inflate to (`inflatedSize`). */
export class ZipProblem extends Error {
  constructor(
    readonly reason: 'structure' | 'inflatedSize',
    message: string,
  ) {
    super(message);
  }
}

/** An open zip's checked directory; `close()` it. */
export interface ZipDirectory {
  /** In central-directory order. */
  entries: ZipEntry[];
  /** The bytes of a stored (uncompressed) entry of at most `max` bytes, or null when it is not one. */
  readStored(name: string, max: number): Promise<Buffer | null>;
  close(): void;
}

function checkEntries(entries: ZipEntry[], limits: ZipLimits): void {
  const names = new Set<string>();
  let inflated = 0;
  for (const e of entries) {
    const key = e.name.toLowerCase();
    if (names.has(key)) throw new ZipProblem('structure', `the name ${e.name} appears twice`);
    names.add(key);
    if (e.method !== 0 && e.method !== 8) throw new ZipProblem('structure', `compression method ${e.method}`);
    inflated += e.uncompressedSize;
    if (e.uncompressedSize > limits.ratioFromBytes && e.uncompressedSize > limits.maxRatio * Math.max(1, e.compressedSize))
      throw new ZipProblem(
        'inflatedSize',
        `${e.name} would inflate ${Math.round(e.uncompressedSize / Math.max(1, e.compressedSize))}-fold`,
      );
  }
  if (inflated > limits.maxInflatedBytes) throw new ZipProblem('inflatedSize', `${inflated} bytes inflated`);
  // Each entry's local header and data must end before the next begins: overlapping entries are
  // how a zip bomb multiplies one compressed stream, and how a polyglot hides a second file.
  const byOffset = [...entries].sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < byOffset.length; i++) {
    const prev = byOffset[i - 1]!;
    const end = prev.offset + 30 + Buffer.byteLength(prev.name) + prev.compressedSize;
    if (byOffset[i]!.offset < end) throw new ZipProblem('structure', `${byOffset[i]!.name} overlaps ${prev.name}`);
  }
}

/**
 * Opens `file` and reads its central directory, checked against `limits` (throws `ZipProblem`).
 * Nothing is inflated; `readStored` reads one small stored entry (e.g. ODF's `mimetype`).
 */
export async function readZipDirectory(file: string, limits: ZipLimits = ZIP_LIMITS): Promise<ZipDirectory> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(file, { autoClose: false, strictFileNames: true, validateEntrySizes: true, decodeStrings: true });
  } catch (error) {
    throw new ZipProblem('structure', (error as Error).message);
  }
  try {
    if (zip.entryCount > limits.maxEntries) throw new ZipProblem('structure', `${zip.entryCount} entries`);
    const raw = new Map<string, yauzl.Entry>();
    const entries: ZipEntry[] = [];
    try {
      for await (const entry of zip.eachEntry()) {
        if (entry.isEncrypted()) throw new ZipProblem('structure', `${entry.fileName} is encrypted`);
        raw.set(entry.fileName, entry);
        entries.push({
          name: entry.fileName,
          compressedSize: entry.compressedSize,
          uncompressedSize: entry.uncompressedSize,
          method: entry.compressionMethod,
          offset: entry.relativeOffsetOfLocalHeader,
        });
      }
    } catch (error) {
      throw error instanceof ZipProblem ? error : new ZipProblem('structure', (error as Error).message);
    }
    checkEntries(entries, limits);
    return {
      entries,
      async readStored(name, max) {
        const entry = raw.get(name);
        if (!entry || entry.compressionMethod !== 0 || entry.uncompressedSize > max) return null;
        try {
          const chunks: Buffer[] = [];
          for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
          return Buffer.concat(chunks);
        } catch {
          return null;
        }
      },
      close: () => zip.close(),
    };
  } catch (error) {
    zip.close();
    throw error;
  }
}
