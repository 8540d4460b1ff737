import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import type { MikroORM } from '@mikro-orm/core';
import { Router, type Request, type Response } from 'express';
import { policy, type Principal } from '../../auth/policy';
import { createContext, type AppServices } from '../../context';
import { AppError, ErrorCode, badInput, forbidden } from '../../errors';
import { currentLocale, entityLabel, requestScope, t } from '../../i18n';
import { isUuid } from '../../util/ids';
import { City } from '../cities/city.entity';
import { blobPath, storeUpload, type BlobStorage } from './evidence.service';
import { Evidence, EvidenceBlob, EvidenceKind } from './evidence.entity';
import { checkFileName, downloadName, extensionOf, sniff } from './sniff';

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
 */

/** Options of the upload routes. */
export interface UploadOptions {
  orm: MikroORM;
  services: AppServices;
  storage: BlobStorage;
  /** Largest accepted file, in bytes (`UPLOAD_MAX_BYTES`). */
  maxBytes: number;
  resolvePrincipal(header: string | undefined): Promise<Principal | null>;
}

function fail(res: Response, status: number, error: AppError): void {
  res.status(status).json({
    errors: [{ message: error.message, extensions: Object.fromEntries(Object.entries(error.extensions).filter(([k]) => k !== 'http')) }],
  });
}

function statusOf(error: AppError): number {
  switch (error.extensions.code) {
    case ErrorCode.UNAUTHENTICATED:
      return 401;
    case ErrorCode.FORBIDDEN:
      return 403;
    case ErrorCode.NOT_FOUND:
      return 404;
    case ErrorCode.CONFLICT:
      return 409;
    case ErrorCode.INTERNAL:
      return 500;
    default:
      return 400;
  }
}

/** An ASCII-only stand-in for a file name in `filename="…"` (the UTF-8 name goes in `filename*`). */
function asciiName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\;%]/g, '_');
}

/** The upload and download routes. */
export function uploadRouter(options: UploadOptions): Router {
  const { orm, services, storage, maxBytes } = options;
  const router = Router();

  const principalOf = async (req: Request, res: Response): Promise<Principal | null> => {
    try {
      const principal = await options.resolvePrincipal(req.header('authorization'));
      if (!principal) throw new AppError(ErrorCode.UNAUTHENTICATED, t('unauthenticated'));
      return principal;
    } catch (error) {
      fail(res, 401, error instanceof AppError ? error : new AppError(ErrorCode.UNAUTHENTICATED, t('invalidToken')));
      return null;
    }
  };

  router.post('/', async (req, res) => {
    // Nothing of a refused upload is kept: the body is not read (Node discards it), or the partial
    // temp file is removed. `Connection: close` ends a client still sending.
    const refuse = (status: number, error: AppError) => {
      res.setHeader('Connection', 'close');
      fail(res, status, error);
    };
    const principal = await principalOf(req, res);
    if (!principal) return;
    if (!/^application\/octet-stream\s*(;|$)/i.test(req.header('content-type') ?? ''))
      return refuse(415, badInput('content-type', 'uploadContentType'));
    const name = checkFileName(typeof req.query.name === 'string' ? req.query.name : undefined);
    if (!name) return refuse(400, badInput('name', 'fileName'));
    const cityId = typeof req.query.cityId === 'string' ? req.query.cityId : '';
    const city = isUuid(cityId) ? await orm.em.fork().findOne(City, { id: cityId, archivedAt: null }) : null;
    if (!city || !policy.canReadCity(principal, city.id))
      return refuse(400, badInput('cityId', 'notFound', { entity: entityLabel('City') }));
    if (!policy.canSupplyEvidence(principal, city.id)) return refuse(403, forbidden());
    const declared = Number(req.header('content-length') ?? NaN);
    if (declared > maxBytes)
      return refuse(
        413,
        new AppError(ErrorCode.BAD_USER_INPUT, t('uploadTooLarge', { max: maxBytes }), { field: 'file', limit: 'size', max: maxBytes }),
      );

    const tmpDir = path.join(storage.dir, 'tmp');
    await fs.mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, randomUUID());
    /** Reads, checks and stores the body; returns how to answer, sent only once the temp file is gone. */
    const receive = async (): Promise<() => void> => {
      const hash = createHash('sha256');
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      const out = createWriteStream(tmp, { flags: 'wx', mode: 0o600 });
      // Read by hand, not `for await`: leaving that loop early destroys the socket, and the client
      // would never read the 413. Past the limit the rest is read and dropped until the answer
      // (with `Connection: close`) has gone out and the socket closes.
      const outcome = await new Promise<'done' | 'tooLarge' | 'aborted'>((resolve) => {
        req.on('data', (chunk: Buffer) => {
          if (tooLarge) return;
          size += chunk.length;
          if (size > maxBytes) {
            tooLarge = true;
            resolve('tooLarge');
            return;
          }
          hash.update(chunk);
          chunks.push(chunk);
          if (!out.write(chunk)) {
            req.pause();
            out.once('drain', () => req.resume());
          }
        });
        req.once('end', () => resolve('done'));
        req.once('error', () => resolve('aborted'));
        req.once('close', () => resolve(req.complete ? 'done' : 'aborted'));
      });
      out.end();
      await once(out, 'close');
      if (outcome === 'aborted') return () => {};
      if (tooLarge)
        return () =>
          refuse(
            413,
            new AppError(ErrorCode.BAD_USER_INPUT, t('uploadTooLarge', { max: maxBytes }), { field: 'file', limit: 'size', max: maxBytes }),
          );
      if (size === 0) return () => refuse(400, badInput('file', 'uploadEmpty'));
      const bytes = Buffer.concat(chunks, size);
      const type = sniff(bytes, name);
      if (!type) return () => refuse(415, badInput('file', 'uploadType'));
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
        { cityId: city.id, name, bytes, sha256: hash.digest('hex'), type },
        tmp,
      );
      return () => {
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
    };
    let reply: () => void;
    try {
      reply = await receive();
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      reply = () => refuse(statusOf(error), error);
    } finally {
      await fs.rm(tmp, { force: true });
    }
    reply();
  });

  router.get('/:id', async (req, res) => {
    const principal = await principalOf(req, res);
    if (!principal) return;
    const id = req.params.id ?? '';
    const em = orm.em.fork();
    const evidence = isUuid(id) ? await em.findOne(Evidence, { id, kind: EvidenceKind.FILE, archivedAt: null }) : null;
    if (!evidence || !evidence.blob || !policy.canReadCity(principal, evidence.city.id))
      return fail(
        res,
        404,
        new AppError(ErrorCode.NOT_FOUND, t('notFound', { entity: entityLabel('Evidence') }), { entity: 'Evidence', id }),
      );
    const blob = await em.findOneOrFail(EvidenceBlob, { id: evidence.blob.id }, storage.inDatabase ? { populate: ['data'] } : {});
    const filename = downloadName(evidence.title, { extension: extensionOf(blob.contentType) });
    res.setHeader('Content-Type', blob.contentType);
    res.setHeader('Content-Length', String(blob.size));
    res.setHeader('Content-Disposition', `attachment; filename="${asciiName(filename)}"; filename*=UTF-8''${encodeURIComponent(filename)}`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    if (storage.inDatabase) {
      res.end(blob.data ?? Buffer.alloc(0));
      return;
    }
    const stream = createReadStream(blobPath(storage, blob.city.id, blob.sha256));
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  });

  return router;
}
