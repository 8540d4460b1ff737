import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { Router, type Request, type Response } from 'express';
import { policy, type Principal } from '../../auth/policy';
import { createContext, type AppServices, type Context } from '../../context';
import { AppError, badInput, ErrorCode } from '../../errors';
import { bearerPrincipal, sendError, statusOf } from '../../http/upload-gate';
import { currentLocale, entityLabel, requestScope, t, type Locale } from '../../i18n';
import { isIsoDate, todayIn } from '../../util/dates';
import { isUuid } from '../../util/ids';
import { City } from '../cities/city.entity';
import type { BlobStorage } from '../monev/blob-store';
import { contentDisposition } from '../monev/sniff';
import { ProgressBasis } from '../overview/overview';
import { planEvidencePack, writeEvidencePack } from './evidence-pack';
import { monevReport } from './monev-data';
import { renderMonevHtml } from './monev-html';
import { writeMonevXlsx } from './monev-xlsx';

/*
 * The reports of a city over plain HTTP (issue 24), each with `Authorization: Bearer …` (the desk
 * sends its session token the same way it downloads `/uploads/:id`):
 * - `GET /reports/monev?cityId=…&year=…&asOf=YYYY-MM-DD&lang=id|en[&format=xlsx][&basis=VERIFIED]`:
 *   the monev report, an HTML page for print or an XLSX workbook;
 * - `GET /reports/evidence.zip?cityId=…&year=…[&lang=id|en]`: the evidence pack, streamed
 *   (`evidence-pack.ts`); read exactly as `GET /uploads/:id` reads one file.
 * Who may read the city may read its reports; anybody else gets 404, as for any object of
 * another city (existence never leaks).
 */

/** Options of the report routes. */
export interface ReportOptions {
  orm: MikroORM;
  services: AppServices;
  /** Where evidence files are (absent: no evidence pack). */
  storage?: BlobStorage;
  resolvePrincipal(header: string | undefined): Promise<Principal | null>;
  /** Spends the request's share of its subject's work budget; throws the RATE_LIMITED refusal. */
  charge?(principal: Principal, req: Request, res: Response): Promise<void>;
}

/** The Content-Security-Policy of a report page: its own inline styles and nothing else (no script at all). */
export const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The progress bases a report may be asked for, by name. */
const BASES = new Map<string, ProgressBasis>(Object.values(ProgressBasis).map((b) => [b, b]));

/** The first string value of a query parameter (`?a=1&a=2` → `1`; absent → undefined). */
function param(req: Request, name: string): string | undefined {
  const value = req.query[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/** The principal, the readable city and a context for it; or the refusal already sent (null). */
async function readableCity(
  options: ReportOptions,
  req: Request,
  res: Response,
  locale: Locale,
): Promise<{ principal: Principal; city: City; ctx: Context } | null> {
  const principal = await bearerPrincipal((header) => options.resolvePrincipal(header), req.header('authorization'));
  if (principal instanceof AppError) {
    sendError(res, 401, principal);
    return null;
  }
  const cityId = param(req, 'cityId') ?? '';
  const city = isUuid(cityId) ? await options.orm.em.fork().findOne(City, { id: cityId, archivedAt: null }) : null;
  if (!city || !policy.canReadCity(principal, city.id)) {
    sendError(res, 404, new AppError(ErrorCode.NOT_FOUND, t('notFound', { entity: entityLabel('City') }), { entity: 'City', id: cityId }));
    return null;
  }
  if (options.charge) await options.charge(principal, req, res);
  const ctx = createContext({
    em: options.orm.em,
    principal,
    locale,
    requestId: requestScope.getStore()?.requestId ?? randomUUID(),
    services: options.services,
  });
  ctx.now = options.services.clock();
  if (req.ip) ctx.clientIp = req.ip;
  return { principal, city, ctx };
}

/** The year asked for: a whole number between 2000 and 2100. */
function checkYear(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const year = /^\d{4}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw badInput('year', 'invalidYear');
  return year;
}

/** Runs a route; a typed error is answered with its status, anything else goes to the app's error handler. */
function route(handler: (req: Request, res: Response) => Promise<void>) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      await handler(req, res);
    } catch (error) {
      if (!(error instanceof AppError) || res.headersSent) throw error;
      sendError(res, statusOf(error), error);
    }
  };
}

/** The report routes, mounted at `/reports`. */
export function reportRouter(options: ReportOptions): Router {
  const router = Router();

  router.get(
    '/monev',
    route(async (req, res) => {
      const lang = param(req, 'lang');
      if (lang !== undefined && lang !== 'id' && lang !== 'en') throw badInput('lang', 'invalidLanguage');
      const format = param(req, 'format') ?? 'html';
      if (format !== 'html' && format !== 'xlsx') throw badInput('format', 'invalidFormat');
      const basisParam = BASES.get(param(req, 'basis') ?? 'ALL');
      if (!basisParam) throw badInput('basis', 'invalidBasis');
      const locale: Locale = lang ?? currentLocale();
      const found = await readableCity(options, req, res, locale);
      if (!found) return;
      const { city, ctx } = found;
      const today = todayIn(city.timeZone, ctx.now);
      const asOf = param(req, 'asOf') ?? today;
      if (!isIsoDate(asOf)) throw badInput('asOf', 'invalidDate');
      if (asOf > today) throw badInput('asOf', 'reportAsOfFuture');
      const year = checkYear(param(req, 'year'), Number(asOf.slice(0, 4)));
      const report = await monevReport(ctx, city, { year, asOf, basis: basisParam });
      const name = `laporan-monev-${city.name}-${year}-${asOf}`.replace(/[^\p{L}\p{N}-]+/gu, '-');
      res.setHeader('Cache-Control', 'private, no-store');
      res.setHeader('Content-Language', locale);
      if (format === 'xlsx') {
        res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
        res.setHeader('Content-Disposition', contentDisposition(`${name}.xlsx`));
        await writeMonevXlsx(report, res);
        return;
      }
      res.setHeader('Content-Security-Policy', REPORT_CSP);
      res.type('text/html; charset=utf-8').send(renderMonevHtml(report));
    }),
  );

  router.get(
    '/evidence.zip',
    route(async (req, res) => {
      const storage = options.storage;
      if (!storage) throw new AppError(ErrorCode.NOT_FOUND, t('routeNotFound'));
      const lang = param(req, 'lang');
      if (lang !== undefined && lang !== 'id' && lang !== 'en') throw badInput('lang', 'invalidLanguage');
      const found = await readableCity(options, req, res, lang ?? currentLocale());
      if (!found) return;
      const { city, ctx } = found;
      const year = checkYear(param(req, 'year'), Number(todayIn(city.timeZone, ctx.now).slice(0, 4)));
      const plan = await planEvidencePack(ctx, city, year);
      res.setHeader('Content-Type', 'application/zip');
      res.setHeader('Content-Disposition', contentDisposition(plan.fileName));
      res.setHeader('Cache-Control', 'private, no-store');
      res.setHeader('X-Evidence-Files', String(plan.files.length));
      try {
        await writeEvidencePack(plan, options.orm, storage, res);
      } catch {
        // The client went away, or storage failed mid-way: the connection is cut, never a short ZIP passed off as whole.
        res.destroy();
      }
    }),
  );

  return router;
}
