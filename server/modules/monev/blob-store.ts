import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { sqlRows } from '../../db/sql';
import { isUuid } from '../../util/ids';
import type { EvidenceBlob } from './evidence.entity';

/*
 * Where the bytes of evidence files live, streamed both ways so that memory holds a chunk of a
 * file, never the file. PostgreSQL: rows of `evidence_chunks` (256 KiB each), written in the
 * transaction that creates the blob and read back one by one as the client takes them. SQLite
 * (one instance): a file `DATA_DIR/uploads/<cityId>/<sha256>`, moved there from its temp file.
 *
 * Why chunk rows rather than large objects: they are ordinary rows of the blob (a foreign key with
 * `on delete cascade`), in the same transaction and backup as everything else, written with plain
 * bound parameters through MikroORM's own connection; large objects live outside the tables
 * (`pg_largeobject`), need `lo_unlink` or they leak, and a restricted role may not create them.
 */

/** Bytes per chunk row on PostgreSQL. */
export const CHUNK_BYTES = 256 * 1_024;

/** Where uploaded bytes go: the database (PostgreSQL: every instance sees them) or files under `dir`. */
export interface BlobStorage {
  inDatabase: boolean;
  /** `DATA_DIR/uploads`: `<cityId>/<sha256>` files, and `tmp/` for uploads in flight (both dialects). */
  dir: string;
}

/** The file of a blob on disk (names are hashes and ids only: never anything a user typed). */
export function blobPath(storage: BlobStorage, cityId: string, sha256: string): string {
  if (!isUuid(cityId) || !/^[0-9a-f]{64}$/.test(sha256)) throw new Error('bad blob address');
  return path.join(storage.dir, cityId, sha256);
}

/** Bytes a city's stored files take (each stored file once, however many evidence rows name it). */
export async function cityUsage(em: EntityManager, cityId: string): Promise<number> {
  const [row] = await sqlRows<{ used: unknown }>(em, 'select coalesce(sum(size), 0) as used from evidence_blobs where city_id = ?', [
    cityId,
  ]);
  return Number(row?.used ?? 0);
}

/**
 * Copies a stored temp file into chunk rows of `blobId` in the entity manager's transaction: one
 * chunk read, one insert, then the next (the buffer is reused once its insert is done).
 */
export async function writeChunks(em: EntityManager, blobId: string, file: string): Promise<void> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    for (let seq = 0; ; seq++) {
      let filled = 0;
      while (filled < CHUNK_BYTES) {
        const { bytesRead } = await handle.read(buffer, filled, CHUNK_BYTES - filled, null);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      if (filled === 0) return;
      await sqlRows(em, 'insert into evidence_chunks (blob_id, seq, data) values (?, ?, ?)', [blobId, seq, buffer.subarray(0, filled)]);
      if (filled < CHUNK_BYTES) return;
    }
  } finally {
    await handle.close();
  }
}

/**
 * Moves a stored temp file to its blob's place on disk (a rename: never half-written). A file
 * already there has the same bytes (same city, same SHA-256) and is replaced. Returns the place.
 */
export async function placeFile(storage: BlobStorage, cityId: string, sha256: string, file: string): Promise<string> {
  const target = blobPath(storage, cityId, sha256);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.rename(file, target);
  return target;
}

/**
 * A chunk row is read as pieces of 32 KiB (`substring`s of one row, one statement). node-postgres
 * gets a `bytea` as hex text, twice its size, and parses it into a Buffer: a whole 256 KiB chunk
 * is 512 KiB of text, a "large object" to V8, collected only by a full collection, so a long
 * download's peak memory grew with its length (+119 MB for a 1,000 MiB evidence pack). A piece's
 * 64 KiB of text is young garbage, gone at the next cheap scavenge, and its Buffer a size the
 * allocator reuses.
 */
const PIECE_BYTES = 32 * 1_024;
const PIECES = CHUNK_BYTES / PIECE_BYTES;
const CHUNK_PIECES_SQL = `select ${Array.from(
  { length: PIECES },
  (_, i) => `substring(data from ${i * PIECE_BYTES + 1} for ${PIECE_BYTES}) as p${i}`,
).join(', ')} from evidence_chunks where blob_id = ? and seq = ?`;

/**
 * The bytes of a blob, a piece at a time, read only as fast as they are consumed: PostgreSQL one
 * row per step (each its own short query, so a slow reader holds no connection), SQLite the file.
 */
export async function* blobChunks(orm: MikroORM, storage: BlobStorage, blob: EvidenceBlob): AsyncGenerator<Buffer> {
  if (!storage.inDatabase) {
    for await (const chunk of createReadStream(blobPath(storage, blob.city.id, blob.sha256), { highWaterMark: CHUNK_BYTES }))
      yield chunk as Buffer;
    return;
  }
  const count = Math.ceil(blob.size / CHUNK_BYTES);
  for (let seq = 0; seq < count; seq++) {
    const [row] = await sqlRows<Record<string, Buffer | null>>(orm.em.fork(), CHUNK_PIECES_SQL, [blob.id, seq]);
    if (!row) throw new Error(`chunk ${seq} of blob ${blob.id} is missing`);
    for (let i = 0; i < PIECES; i++) {
      const piece = row[`p${i}`];
      if (!piece?.length) break;
      yield piece;
    }
  }
}
