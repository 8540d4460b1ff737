import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { MikroORM } from '@mikro-orm/core';
import { Router, type RequestHandler, type Response } from 'express';
import { policy, type Principal } from '../../auth/policy';
import { createContext, type AppServices } from '../../context';
import { AppError, ErrorCode, badInput, forbidden } from '../../errors';
import { bearerPrincipal, gatedPrincipal, receiveBody, refuseUpload, sendError, statusOf, tooLarge } from '../../http/upload-gate';
import { currentLocale, entityLabel, requestScope, t } from '../../i18n';
import { isUuid } from '../../util/ids';
import { ZIP_LIMITS } from '../../util/zip';
import { City } from '../cities/city.entity';
import { blobChunks, type BlobStorage } from './blob-store';
import { CsvFormulaGuard } from './csv-guard';
import { storeUpload } from './evidence.service';
import { Evidence, EvidenceBlob, EvidenceKind } from './evidence.entity';
import { CSV, TypeSniffer, checkFileName, contentDisposition, downloadName, extensionOf, type SniffVerdict } from './sniff';

/*
 * Evidence files over plain HTTP: `POST /uploads?cityId=…&name=…` with the file as the raw body
 * (`Content-Type: application/octet-stream`) and `Authorization: Bearer …`, answering the new
 * evidence's id; `GET /uploads/:id` with the same header to download.
 *
 * Why not the GraphQL multipart request spec: /graphql takes JSON only and Apollo's CSRF
 * prevention refuses `multipart/form-data` unless a preflight header is added, so multipart would
 * need a new dependency (graphql-upload) and a second, weaker parser in front of the one pipeline.
 * A raw body keeps the same CSRF rules: a cross-site form can only send urlencoded, multipart or
 * text/plain bodies (refused here with 415), and `application/octet-stream` plus an
 * `Authorization` header forces a CORS preflight that Pantau never grants. No cookie is ever read.
 *
 * Memory stays bounded both ways: the body streams through the hash and the type sniffer into a
 * temp file and from there into storage (`blob-store.ts`); a download streams back a chunk at a
 * time as the client reads.
 */

/** Options of the upload routes. */
export interface UploadOptions {
  orm: MikroORM;
  services: AppServices;
  storage: BlobStorage;
  /** Largest accepted file, in bytes (`UPLOAD_MAX_BYTES`). */
  maxBytes: number;
  /** Bytes a city's stored files may take in all (`UPLOAD_CITY_QUOTA_BYTES`). */
  cityQuotaBytes: number;
  /** Authentication, content type, size and concurrency (`uploadGate`), shared with other upload routes. */
  gate: RequestHandler;
  resolvePrincipal(header: string | undefined): Promise<Principal | null>;
}

/** The refusal of a file whose content is not accepted. */
function refusedType(verdict: Exclude<SniffVerdict, { type: unknown }>): AppError {
  switch (verdict.refused) {
    case 'forbiddenEntry':
      return new AppError(ErrorCode.BAD_USER_INPUT, t('uploadArchiveEntry'), {
        field: 'file',
        reason: 'forbiddenEntry',
        entry: verdict.entry,
      });
    case 'inflatedSize':
      return new AppError(ErrorCode.BAD_USER_INPUT, t('uploadArchiveSize', { max: ZIP_LIMITS.maxInflatedBytes }), {
        field: 'file',
        reason: 'inflatedSize',
        max: ZIP_LIMITS.maxInflatedBytes,
      });
    default:
      return new AppError(ErrorCode.BAD_USER_INPUT, t('uploadType'), { field: 'file', reason: 'type' });
  }
}

/** The status of an upload's refusal: 413 for a size or quota limit, else by code. */
function uploadStatus(error: AppError): number {
  const limit = error.extensions.limit;
  return limit === 'size' || limit === 'cityQuota' ? 413 : statusOf(error);
}

/** The upload and download routes. */
export function uploadRouter(options: UploadOptions): Router {
  const { orm, services, storage, maxBytes } = options;
  const router = Router();

  router.post('/', options.gate, async (req, res) => {
    const principal = gatedPrincipal(res);
    const refuse = (status: number, error: AppError) => refuseUpload(res, status, error);
    const name = checkFileName(typeof req.query.name === 'string' ? req.query.name : undefined);
    if (!name) return refuse(400, badInput('name', 'fileName'));
    const cityId = typeof req.query.cityId === 'string' ? req.query.cityId : '';
    const city = isUuid(cityId) ? await orm.em.fork().findOne(City, { id: cityId, archivedAt: null }) : null;
    if (!city || !policy.canReadCity(principal, city.id))
      return refuse(400, badInput('cityId', 'notFound', { entity: entityLabel('City') }));
    if (!policy.canSupplyEvidence(principal, city.id)) return refuse(403, forbidden());

    const sniffer = new TypeSniffer();
    const body = await receiveBody(req, { dir: path.join(storage.dir, 'tmp'), maxBytes, onChunk: (chunk) => sniffer.feed(chunk) });
    if (body.outcome !== 'done') {
      if (body.outcome === 'tooLarge') refuse(413, tooLarge(maxBytes));
      else if (body.outcome === 'failed') refuse(500, new AppError(ErrorCode.INTERNAL, t('internal')));
      return;
    }
    const received = body;
    /** Checks and stores the body; returns how to answer, sent only once the temp file is gone. */
    const store = async (): Promise<() => void> => {
      if (received.size === 0) return () => refuse(400, badInput('file', 'uploadEmpty'));
      const verdict = await sniffer.finish(received.file, name);
      if (!('type' in verdict)) return () => refuse(415, refusedType(verdict));
      const ctx = createContext({
        em: orm.em,
        principal,
        locale: currentLocale(),
        requestId: requestScope.getStore()?.requestId ?? randomUUID(),
        services,
      });
      const { evidence, deduplicated } = await storeUpload(
        ctx,
        storage,
        { cityId: city.id, name, file: received.file, size: received.size, sha256: received.sha256, type: verdict.type },
        { cityQuotaBytes: options.cityQuotaBytes },
      );
      return () =>
        res.status(201).json({
          id: evidence.id,
          title: evidence.title,
          contentType: evidence.contentType,
          size: evidence.size,
          sha256: evidence.sha256,
          deduplicated,
          downloadPath: `/uploads/${evidence.id}`,
        });
    };
    let reply: () => void;
    try {
      reply = await store();
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      reply = () => refuse(uploadStatus(error), error);
    } finally {
      await fs.rm(received.file, { force: true });
    }
    reply();
  });

  router.get('/:id', async (req, res) => {
    const principal = await bearerPrincipal((h) => options.resolvePrincipal(h), req.header('authorization'));
    if (principal instanceof AppError) return sendError(res, 401, principal);
    const id = req.params.id ?? '';
    const em = orm.em.fork();
    const evidence = isUuid(id) ? await em.findOne(Evidence, { id, kind: EvidenceKind.FILE, archivedAt: null }) : null;
    if (!evidence || !evidence.blob || !policy.canReadCity(principal, evidence.city.id))
      return sendError(
        res,
        404,
        new AppError(ErrorCode.NOT_FOUND, t('notFound', { entity: entityLabel('Evidence') }), { entity: 'Evidence', id }),
      );
    const blob = await em.findOneOrFail(EvidenceBlob, { id: evidence.blob.id });
    await sendBlob(res, blob, downloadName(evidence.title, { extension: extensionOf(blob.contentType) }), orm, storage);
  });

  return router;
}

/**
 * Streams a stored file to the client with back-pressure: the next chunk is read only once the
 * socket took the last one, so a slow reader costs a chunk of memory, not the file. CSV is served
 * with its formulas neutralised (`csv-guard.ts`), so without a `Content-Length`.
 */
async function sendBlob(res: Response, blob: EvidenceBlob, filename: string, orm: MikroORM, storage: BlobStorage): Promise<void> {
  const csv = blob.contentType === CSV.contentType;
  res.setHeader('Content-Type', blob.contentType);
  if (!csv) res.setHeader('Content-Length', String(blob.size));
  res.setHeader('Content-Disposition', contentDisposition(filename));
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  const source = Readable.from(blobChunks(orm, storage, blob), { objectMode: true, highWaterMark: 1 });
  try {
    if (csv) await pipeline(source, new CsvFormulaGuard(), res);
    else await pipeline(source, res);
  } catch {
    // The client went away, or storage failed mid-way: the connection is cut, never a short file passed off as whole.
    res.destroy();
  }
}
