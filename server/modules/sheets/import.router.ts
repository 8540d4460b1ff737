import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import type { MikroORM } from '@mikro-orm/core';
import { Router, type RequestHandler, type Response } from 'express';
import { policy } from '../../auth/policy';
import { createContext, type AppServices } from '../../context';
import { AppError, ErrorCode, badInput, forbidden } from '../../errors';
import { gatedPrincipal, receiveBody, refuseUpload, statusOf, tooLarge } from '../../http/upload-gate';
import { currentLocale, requestScope, t } from '../../i18n';
import { ZIP_LIMITS } from '../../util/zip';
import { applyImport, changeCount } from './apply';
import { loadCityRows } from './city-rows';
import { ImportCheck, type ImportPlan, type ImportProblem } from './check';
import { SHEET_NAMES, sheetNamed, type SheetName } from './columns';
import { FileProblem, MAX_IMPORT_ROWS, checkXlsx, readCsv, readXlsx, type WorkbookIndex } from './read-file';
import { readableCityOf } from './sheets.router';
import { MAX_SHARED_CHARS, MAX_SHARED_STRINGS } from './xlsx-reader';

/*
 * POST /imports/masterplan?cityId=…&dryRun=true|false[&archiveMissing=true][&sheet=…] with the file
 * as the raw body (XLSX, or CSV of the sheet named by `sheet`), behind the uploads' gate (Bearer
 * token, content type, size limit, work budget, slots). Answers
 * `{ dryRun, created, updated, unchanged, archived, errors: [{ sheet, row, column, code, message }] }`
 * (counts per sheet); with `Accept: application/x-ndjson` first `{"progress":{phase,done,total}}`
 * lines as it reads, checks and writes, then `{"result":…}`. Only the city's managers may import.
 */

/** The content types the import takes: what the desk sends for .xlsx and .csv files, and octet-stream. */
export const IMPORT_CONTENT_TYPES =
  /^(application\/octet-stream|application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet|text\/csv|application\/csv)\s*(;|$)/i;

/** Options of the import route. */
export interface ImportRouteOptions {
  orm: MikroORM;
  services: AppServices;
  gate: RequestHandler;
  maxBytes: number;
  /** Where the body waits while it is read (removed before the answer). */
  tmpDir: string;
  logError(message: string, error: unknown): void;
}

type Counts = Record<SheetName, number>;

/** The answer of an import. */
export interface ImportResult {
  dryRun: boolean;
  created: Counts;
  updated: Counts;
  unchanged: Counts;
  archived: Counts;
  errors: ImportProblem[];
}

const zero = (): Counts => Object.fromEntries(SHEET_NAMES.map((n) => [n, 0])) as Counts;

function resultOf(dryRun: boolean, plan: ImportPlan | null, errors: ImportProblem[]): ImportResult {
  const r: ImportResult = { dryRun, created: zero(), updated: zero(), unchanged: zero(), archived: zero(), errors };
  if (!plan || errors.length) return r;
  for (const [name, ops] of plan.operations) {
    r.created[name] = ops.filter((o) => o.kind === 'create').length;
    r.updated[name] = ops.filter((o) => o.kind === 'update').length;
  }
  for (const [name, n] of plan.unchanged) r.unchanged[name] = n;
  for (const [name, rows] of plan.archive) r.archived[name] = rows.length;
  return r;
}

/** A file-level problem as one listed problem. */
function fileProblem(error: FileProblem, type: string): ImportProblem {
  const message =
    error.reason === 'inflatedSize'
      ? t('uploadArchiveSize', { max: ZIP_LIMITS.maxInflatedBytes })
      : error.reason === 'tooManyRows'
        ? t('importTooManyRows', { max: MAX_IMPORT_ROWS })
        : error.reason === 'noSheets'
          ? t('importNoSheets')
          : error.reason === 'sharedStrings'
            ? t('importSharedStrings', { max: MAX_SHARED_STRINGS, chars: MAX_SHARED_CHARS })
            : t('importCorrupt', { type });
  return { sheet: '', row: null, column: null, code: error.reason, message };
}

/** The answer, as one JSON or as NDJSON lines (progress, then the result). */
class Answer {
  started = false;
  private last = 0;

  constructor(
    private readonly res: Response,
    readonly ndjson: boolean,
  ) {}

  progress(phase: 'read' | 'check' | 'write', done: number, total: number | null, force = false): void {
    if (!this.ndjson || this.res.destroyed) return;
    const now = Date.now();
    if (!force && now - this.last < 200) return;
    this.last = now;
    this.start();
    this.res.write(`${JSON.stringify({ progress: { phase, done, total } })}\n`);
  }

  result(result: ImportResult): void {
    if (!this.ndjson) {
      this.res.status(200).json(result);
      return;
    }
    this.start();
    this.res.end(`${JSON.stringify({ result })}\n`);
  }

  /** A refusal: as an HTTP error before anything was sent, else as the result's one problem. */
  refuse(status: number, error: AppError, dryRun: boolean): void {
    if (!this.started) return refuseUpload(this.res, status, error);
    const code = typeof error.extensions.reason === 'string' ? error.extensions.reason : String(error.extensions.code);
    this.result(resultOf(dryRun, null, [{ sheet: '', row: null, column: null, code, message: error.message }]));
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.res.status(200);
    this.res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
    this.res.setHeader('Cache-Control', 'no-store');
    this.res.flushHeaders();
  }
}

/** The import route (mounted at the root). */
export function importRouter(options: ImportRouteOptions): Router {
  const router = Router();
  const { orm } = options;

  router.post('/imports/masterplan', options.gate, async (req, res) => {
    const principal = gatedPrincipal(res);
    const refuse = (status: number, error: AppError) => refuseUpload(res, status, error);
    const city = await readableCityOf(orm, principal, req, res);
    if (!city) return;
    if (!policy.canManageCity(principal, city.id)) return refuse(403, forbidden());
    const flag = (name: string, fallback: boolean): boolean | null => {
      const v = req.query[name];
      return v === undefined ? fallback : v === 'true' ? true : v === 'false' ? false : null;
    };
    const dryRun = flag('dryRun', true);
    const archiveMissing = flag('archiveMissing', false);
    if (dryRun === null) return refuse(400, badInput('dryRun', 'importType'));
    if (archiveMissing === null) return refuse(400, badInput('archiveMissing', 'importType'));
    const sheetParam = typeof req.query.sheet === 'string' ? req.query.sheet : null;
    const csvSheet = sheetParam ? sheetNamed(sheetParam) : null;
    if (sheetParam && !csvSheet)
      return refuse(400, new AppError(ErrorCode.BAD_USER_INPUT, t('sheetUnknown', { sheet: sheetParam.slice(0, 60) }), { field: 'sheet' }));

    const body = await receiveBody(req, { dir: options.tmpDir, maxBytes: options.maxBytes });
    if (body.outcome !== 'done') {
      if (body.outcome === 'tooLarge') refuse(413, tooLarge(options.maxBytes));
      else if (body.outcome === 'failed') refuse(500, new AppError(ErrorCode.INTERNAL, t('internal')));
      return;
    }
    const answer = new Answer(res, /application\/x-ndjson/i.test(req.header('accept') ?? ''));
    try {
      await runImport(options, answer, { file: body.file, size: body.size, city, principal, dryRun, archiveMissing, csvSheet });
    } catch (error) {
      if (error instanceof AppError) answer.refuse(statusOf(error), error, dryRun);
      else if (!answer.started) throw error;
      else {
        // The progress lines are out: the failure is the result's one problem.
        options.logError(`Unhandled error on ${req.method} ${req.url}`, error);
        answer.refuse(500, new AppError(ErrorCode.INTERNAL, t('internal')), dryRun);
      }
    } finally {
      await fs.rm(body.file, { force: true });
    }
  });

  return router;
}

interface ImportJob {
  file: string;
  size: number;
  city: Parameters<typeof applyImport>[1];
  principal: ReturnType<typeof gatedPrincipal>;
  dryRun: boolean;
  archiveMissing: boolean;
  csvSheet: ReturnType<typeof sheetNamed>;
}

/** Reads, checks and (unless a dry run, or a problem was found) applies the file; answers. */
async function runImport(options: ImportRouteOptions, answer: Answer, job: ImportJob): Promise<void> {
  if (job.size === 0) throw new AppError(ErrorCode.BAD_USER_INPUT, t('uploadEmpty'), { field: 'file', reason: 'empty' });
  const head = Buffer.alloc(4);
  const handle = await fs.open(job.file, 'r');
  await handle.read(head, 0, 4, 0).finally(() => handle.close());
  const xlsx = head.readUInt32LE(0) === 0x04034b50;
  if (!xlsx && !job.csvSheet)
    throw new AppError(ErrorCode.BAD_USER_INPUT, t('importSheetNeeded'), { field: 'sheet', reason: 'sheetNeeded' });
  const type = xlsx ? 'XLSX' : 'CSV';
  let index: WorkbookIndex | null = null;
  if (xlsx) {
    try {
      index = await checkXlsx(job.file);
    } catch (error) {
      if (!(error instanceof FileProblem)) throw error;
      const problem = fileProblem(error, type);
      throw new AppError(ErrorCode.BAD_USER_INPUT, problem.message, { field: 'file', reason: error.reason });
    }
  }
  const check = new ImportCheck();
  answer.progress('read', 0, null, true);
  const reader = {
    header: check.header.bind(check),
    row: (...args: Parameters<ImportCheck['row']>) => {
      check.row(...args);
      answer.progress('read', check.rowsRead, null);
    },
  };
  try {
    if (index) await readXlsx(job.file, index, reader);
    else await readCsv(job.file, job.csvSheet!, reader);
  } catch (error) {
    if (!(error instanceof FileProblem)) throw error;
    return answer.result(resultOf(job.dryRun, null, [fileProblem(error, type)]));
  }
  const total = check.rowsRead;
  answer.progress('check', 0, total, true);
  const ctx = createContext({
    em: options.orm.em,
    principal: job.principal,
    locale: currentLocale(),
    requestId: requestScope.getStore()?.requestId ?? randomUUID(),
    services: options.services,
  });
  const stored = await loadCityRows(options.orm.em.fork(), job.city.id);
  const plan = await check.finish(stored, job.archiveMissing);
  answer.progress('check', total, total, true);
  if (!job.dryRun && plan.problems.length === 0 && changeCount(plan) > 0) {
    answer.progress('write', 0, changeCount(plan), true);
    await applyImport(ctx, job.city, stored, plan, (done, all) => answer.progress('write', done, all));
    answer.progress('write', changeCount(plan), changeCount(plan), true);
  }
  answer.result(resultOf(job.dryRun, plan, plan.problems));
}
