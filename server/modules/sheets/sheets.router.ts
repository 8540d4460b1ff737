import type { MikroORM } from '@mikro-orm/core';
import { Router, type Request, type Response } from 'express';
import { policy, type Principal } from '../../auth/policy';
import { AppError, ErrorCode, badInput, forbidden } from '../../errors';
import { bearerPrincipal, sendError } from '../../http/upload-gate';
import { entityLabel, t } from '../../i18n';
import { isUuid } from '../../util/ids';
import { City } from '../cities/city.entity';
import { contentDisposition } from '../monev/sniff';
import { liveRows, loadCityRows, type CityRows } from './city-rows';
import { sheetNamed, type SheetDef, type SheetName } from './columns';
import { writeCsv, writeWorkbook } from './workbook';

/*
 * The masterplan spreadsheets over plain HTTP, `Authorization: Bearer …` as for uploads:
 *   GET /templates/masterplan.xlsx[?cityId=]      the empty workbook (any signed-in user; a city, if named, must be readable)
 *   GET /templates/masterplan/<sheet>.csv          one empty sheet as CSV
 *   GET /exports/masterplan.xlsx?cityId=           the city's masterplan in the template's sheets and columns
 *   GET /exports/masterplan/<sheet>.csv?cityId=    one sheet of it as CSV
 * An export may be read by whoever may read the city (its admin, viewers and reporters, its
 * evaluators, platform admins); a meeting-room screen may not. The import (`import.router.ts`)
 * needs the right to manage the city.
 */

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Options of the spreadsheet routes. */
export interface SheetRouteOptions {
  orm: MikroORM;
  resolvePrincipal(header: string | undefined): Promise<Principal | null>;
}

/** The principal of the request, or the answer already sent (401). */
async function principalOf(options: SheetRouteOptions, req: Request, res: Response): Promise<Principal | null> {
  const principal = await bearerPrincipal((h) => options.resolvePrincipal(h), req.header('authorization'));
  if (principal instanceof AppError) {
    sendError(res, 401, principal);
    return null;
  }
  if (policy.isScreen(principal)) {
    sendError(res, 403, forbidden());
    return null;
  }
  return principal;
}

/** The live city of `?cityId=` the principal may read, or the answer already sent (400/404). */
export async function readableCityOf(orm: MikroORM, principal: Principal, req: Request, res: Response): Promise<City | null> {
  const cityId = typeof req.query.cityId === 'string' ? req.query.cityId : '';
  if (!cityId) {
    sendError(res, 400, badInput('cityId', 'required'));
    return null;
  }
  const city = isUuid(cityId) ? await orm.em.fork().findOne(City, { id: cityId, archivedAt: null }) : null;
  if (!city || !policy.canReadCity(principal, city.id)) {
    sendError(res, 404, new AppError(ErrorCode.NOT_FOUND, t('notFound', { entity: entityLabel('City') }), { entity: 'City', id: cityId }));
    return null;
  }
  return city;
}

/** The sheet of `/…/masterplan/<sheet>.csv`, or the answer already sent (404). */
function sheetOf(req: Request, res: Response): SheetDef | null {
  const name = decodeURIComponent(String(req.params.sheet ?? ''));
  const sheet = sheetNamed(name);
  if (!sheet)
    sendError(res, 404, new AppError(ErrorCode.NOT_FOUND, t('sheetUnknown', { sheet: name.slice(0, 60) }), { sheet: name.slice(0, 60) }));
  return sheet;
}

/** A city name for a file name: lower case, dashes. */
function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'kota'
  );
}

function startDownload(res: Response, type: string, filename: string): void {
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Disposition', contentDisposition(filename));
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

/** The export's rows of one sheet: live rows, those of live plans for indicators and milestones. */
function exportRows(rows: CityRows, sheet: SheetName): readonly (readonly (string | number | boolean | null)[])[] {
  const livePlans = new Set(liveRows(rows, 'Rencana Aksi').map((r) => String(r.values[0])));
  return liveRows(rows, sheet, (plan) => livePlans.has(plan)).map((r) => r.values);
}

/** Runs a download; a failure once bytes are out cuts the connection (never a short file passed off as whole). */
async function streamed(res: Response, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (!res.headersSent) throw error;
    res.destroy();
  }
}

/** The template and export routes (mounted at the root). */
export function sheetRouter(options: SheetRouteOptions): Router {
  const router = Router();
  const { orm } = options;

  router.get('/templates/masterplan.xlsx', async (req, res) => {
    const principal = await principalOf(options, req, res);
    if (!principal) return;
    if (typeof req.query.cityId === 'string' && !(await readableCityOf(orm, principal, req, res))) return;
    startDownload(res, XLSX_TYPE, 'templat-masterplan.xlsx');
    await streamed(res, () => writeWorkbook(res, null));
  });

  router.get('/templates/masterplan/:sheet.csv', async (req, res) => {
    const principal = await principalOf(options, req, res);
    if (!principal) return;
    const sheet = sheetOf(req, res);
    if (!sheet) return;
    startDownload(res, 'text/csv; charset=utf-8', `templat-${slug(sheet.name)}.csv`);
    await streamed(res, () => writeCsv(res, sheet, null));
  });

  router.get('/exports/masterplan.xlsx', async (req, res) => {
    const principal = await principalOf(options, req, res);
    if (!principal) return;
    const city = await readableCityOf(orm, principal, req, res);
    if (!city) return;
    const rows = await loadCityRows(orm.em.fork(), city.id);
    startDownload(res, XLSX_TYPE, `masterplan-${slug(city.name)}.xlsx`);
    await streamed(res, () => writeWorkbook(res, (sheet) => exportRows(rows, sheet.name)));
  });

  router.get('/exports/masterplan/:sheet.csv', async (req, res) => {
    const principal = await principalOf(options, req, res);
    if (!principal) return;
    const sheet = sheetOf(req, res);
    if (!sheet) return;
    const city = await readableCityOf(orm, principal, req, res);
    if (!city) return;
    const rows = await loadCityRows(orm.em.fork(), city.id);
    startDownload(res, 'text/csv; charset=utf-8', `masterplan-${slug(city.name)}-${slug(sheet.name)}.csv`);
    await streamed(res, () => writeCsv(res, sheet, exportRows(rows, sheet.name)));
  });

  return router;
}
