import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Principal } from '../auth/policy';
import { AppError, ErrorCode, badInput } from '../errors';
import { t } from '../i18n';

/*
 * What every route that takes a file as its raw body shares (`POST /uploads`, and the spreadsheet
 * import): the Bearer principal, the CSRF-safe content type, the size limit, how many uploads may
 * run at once, and reading the body into a temp file while hashing it — never the whole file in
 * memory. A route mounts `uploadGate(...)` in front of its handler and calls `receiveBody` in it.
 */

/** How many uploads may run at once. */
export interface UploadConcurrency {
  /** Per user (`UPLOAD_MAX_CONCURRENT_PER_USER`), on this instance. */
  perUser: number;
  /** On this instance, all users together (`UPLOAD_MAX_CONCURRENT`). */
  perInstance: number;
}

/** Seconds a refused client is told to wait (`Retry-After`): about one 20 MiB upload on a slow line. */
export const UPLOAD_RETRY_SECONDS = 5;

/**
 * Counts uploads in flight on this instance, per user and in all. `tryAcquire` never waits: a
 * request over a limit is refused at once (429) rather than queued with its body half-sent.
 */
export class UploadSlots {
  private total = 0;
  private readonly perUser = new Map<string, number>();

  constructor(readonly limits: UploadConcurrency) {}

  /** Takes a slot for `subject`; returns its release (idempotent), or which limit is full. */
  tryAcquire(subject: string): { release: () => void } | { full: 'perUser' | 'perInstance'; max: number } {
    const mine = this.perUser.get(subject) ?? 0;
    if (mine >= this.limits.perUser) return { full: 'perUser', max: this.limits.perUser };
    if (this.total >= this.limits.perInstance) return { full: 'perInstance', max: this.limits.perInstance };
    this.total++;
    this.perUser.set(subject, mine + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.total--;
        const left = (this.perUser.get(subject) ?? 1) - 1;
        if (left <= 0) this.perUser.delete(subject);
        else this.perUser.set(subject, left);
      },
    };
  }

  /** Uploads in flight (all users). */
  get inFlight(): number {
    return this.total;
  }
}

/** The HTTP status of an error answered outside GraphQL. */
export function statusOf(error: AppError): number {
  switch (error.extensions.code) {
    case ErrorCode.UNAUTHENTICATED:
      return 401;
    case ErrorCode.FORBIDDEN:
      return 403;
    case ErrorCode.NOT_FOUND:
      return 404;
    case ErrorCode.CONFLICT:
      return 409;
    case ErrorCode.RATE_LIMITED:
      return 429;
    case ErrorCode.INTERNAL:
      return 500;
    default:
      return 400;
  }
}

/** Answers `{ errors: [{ message, extensions }] }` (the `http` extension is for Apollo only). */
export function sendError(res: Response, status: number, error: AppError): void {
  res.status(status).json({
    errors: [{ message: error.message, extensions: Object.fromEntries(Object.entries(error.extensions).filter(([k]) => k !== 'http')) }],
  });
}

/**
 * The most of a refused body that is read and dropped rather than cut off: above nginx's 100 MiB
 * for `/uploads` and `/imports/`, so a proxy streaming the body never meets a closed socket.
 */
export const REFUSED_BODY_DRAIN_BYTES = 128 * 1024 * 1024;

/**
 * Refuses an upload; nothing of the body is kept. A signed-in client whose body declares at most
 * `REFUSED_BODY_DRAIN_BYTES` keeps its connection and the rest of the body is read and dropped
 * (Node does it once the answer is out): a proxy streaming the body (nginx with
 * `proxy_request_buffering off`) would otherwise hit a closed socket while still sending, and
 * answer 502 instead of ours. Anyone else (no token, a body of unknown or larger size) gets
 * `Connection: close`: cut off once the answer is out.
 */
export function refuseUpload(res: Response, status: number, error: AppError): void {
  const declared = Number(res.req.header('content-length') ?? NaN);
  const drain =
    status !== 401 &&
    res.req.header('authorization') !== undefined &&
    Number.isSafeInteger(declared) &&
    declared <= REFUSED_BODY_DRAIN_BYTES;
  if (!drain) res.setHeader('Connection', 'close');
  sendError(res, status, error);
}

/** The 413 of a body over `max` bytes. */
export function tooLarge(max: number): AppError {
  return new AppError(ErrorCode.BAD_USER_INPUT, t('uploadTooLarge', { max }), { field: 'file', limit: 'size', max });
}

/** Options of `uploadGate`. */
export interface UploadGateOptions {
  /** The principal of an `Authorization` header: null without one, throws UNAUTHENTICATED for a bad token. */
  resolvePrincipal(header: string | undefined): Promise<Principal | null>;
  slots: UploadSlots;
  /** Largest body, in bytes: a larger `Content-Length` is refused before anything is read. */
  maxBytes: number;
  /**
   * Spends the upload's share of its subject's work budget before the body is read (`bytes`: its
   * declared length, or `maxBytes` when it declares none); throws the RATE_LIMITED refusal (429).
   */
  charge?(principal: Principal, req: Request, res: Response, bytes: number): Promise<void>;
  /**
   * The content types accepted (default: `application/octet-stream` only). Whatever is added must
   * not be one a cross-site form can send (urlencoded, multipart, text/plain): those need no preflight.
   */
  contentType?: RegExp;
}

/** The principal of an `Authorization` header, or the UNAUTHENTICATED error to answer with 401. */
export async function bearerPrincipal(
  resolve: (header: string | undefined) => Promise<Principal | null>,
  header: string | undefined,
): Promise<Principal | AppError> {
  try {
    return (await resolve(header)) ?? new AppError(ErrorCode.UNAUTHENTICATED, t('unauthenticated'));
  } catch (error) {
    return error instanceof AppError ? error : new AppError(ErrorCode.UNAUTHENTICATED, t('invalidToken'));
  }
}

/** The principal `uploadGate` let through (set on `res.locals`). */
export function gatedPrincipal(res: Response): Principal {
  return (res.locals as { principal: Principal }).principal;
}

/**
 * The checks in front of an upload handler, in this order: a Bearer principal (401), the body sent
 * as `application/octet-stream` (415: what a cross-site form cannot send), a declared size within
 * `maxBytes` (413), the subject's work budget (`charge`: 429 `RATE_LIMITED`, `limit: "budget"` or
 * `"concurrency"`) and a free slot for the user and the instance (429 `RATE_LIMITED` with
 * `Retry-After`, `extensions.limit` `concurrentPerUser` or `concurrentPerInstance`). The slot is
 * held until the answer is sent or the connection drops. The handler finds the principal with
 * `gatedPrincipal(res)`.
 */
export function uploadGate(options: UploadGateOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    void (async () => {
      const principal = await bearerPrincipal((h) => options.resolvePrincipal(h), req.header('authorization'));
      if (principal instanceof AppError) return refuseUpload(res, 401, principal);
      if (!(options.contentType ?? /^application\/octet-stream\s*(;|$)/i).test(req.header('content-type') ?? ''))
        return refuseUpload(res, 415, badInput('content-type', 'uploadContentType'));
      const declared = Number(req.header('content-length') ?? NaN);
      if (declared > options.maxBytes) return refuseUpload(res, 413, tooLarge(options.maxBytes));
      if (options.charge) {
        const bytes = Number.isSafeInteger(declared) && declared >= 0 ? declared : options.maxBytes;
        try {
          await options.charge(principal, req, res, bytes);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          const retry = error.extensions.retryAfterSeconds;
          res.setHeader('Retry-After', String(typeof retry === 'number' ? retry : UPLOAD_RETRY_SECONDS));
          return refuseUpload(res, 429, error);
        }
      }
      const slot = options.slots.tryAcquire(principal.userId);
      if ('full' in slot) {
        res.setHeader('Retry-After', String(UPLOAD_RETRY_SECONDS));
        return refuseUpload(
          res,
          429,
          new AppError(
            ErrorCode.RATE_LIMITED,
            t(slot.full === 'perUser' ? 'uploadBusyUser' : 'uploadBusyInstance', { max: slot.max, seconds: UPLOAD_RETRY_SECONDS }),
            {
              limit: slot.full === 'perUser' ? 'concurrentPerUser' : 'concurrentPerInstance',
              max: slot.max,
              retryAfterSeconds: UPLOAD_RETRY_SECONDS,
            },
          ),
        );
      }
      // Freed once the answer is handed to the socket (before the client can read it), or when the connection drops.
      res.once('finish', slot.release);
      res.once('close', slot.release);
      (res.locals as { principal: Principal }).principal = principal;
      next();
    })().catch(next);
  };
}

/** A body read to its end into a temp file. */
export interface ReceivedBody {
  outcome: 'done';
  /** The temp file (the caller moves or removes it). */
  file: string;
  size: number;
  /** SHA-256 of the bytes, hex. */
  sha256: string;
}

/**
 * Reads the request body into a new temp file under `dir` (mode 0600), hashing it and counting its
 * bytes, with back-pressure: the socket is paused while the disk is behind, so memory holds a few
 * chunks whatever the file's size. `onChunk` sees every chunk in order (e.g. a type sniffer).
 * Past `maxBytes` it stops writing and answers `tooLarge` (the rest of the body is read and dropped
 * until the refusal, sent with `Connection: close`, ends the connection); a client that goes away
 * gives `aborted`, a disk that fails `failed`. The temp file is removed unless the outcome is `done`.
 */
export async function receiveBody(
  req: Request,
  options: { dir: string; maxBytes: number; onChunk?: (chunk: Buffer) => void },
): Promise<ReceivedBody | { outcome: 'tooLarge' | 'aborted' | 'failed' }> {
  await fs.mkdir(options.dir, { recursive: true, mode: 0o700 });
  const file = path.join(options.dir, randomUUID());
  const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
  const hash = createHash('sha256');
  let size = 0;
  // Read by hand, not `for await`: leaving that loop early destroys the socket, and the client
  // would never read the 413.
  const outcome = await new Promise<'done' | 'tooLarge' | 'aborted' | 'failed'>((resolve) => {
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > options.maxBytes) {
        over = true;
        req.resume();
        resolve('tooLarge');
        return;
      }
      hash.update(chunk);
      options.onChunk?.(chunk);
      if (!out.write(chunk)) {
        req.pause();
        out.once('drain', () => req.resume());
      }
    });
    req.once('end', () => resolve('done'));
    req.once('error', () => resolve('aborted'));
    req.once('close', () => resolve(req.complete ? 'done' : 'aborted'));
    // The disk refused (full, gone): the caller answers 500; the rest of the body is dropped.
    out.once('error', () => {
      over = true;
      req.resume();
      resolve('failed');
    });
  });
  if (!out.destroyed) out.end();
  if (!out.closed) await once(out, 'close').catch(() => {});
  if (outcome !== 'done') {
    await fs.rm(file, { force: true });
    return { outcome };
  }
  return { outcome: 'done', file, size, sha256: hash.digest('hex') };
}
