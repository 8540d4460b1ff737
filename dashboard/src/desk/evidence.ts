// Evidence files (data dukung) over plain HTTP with the session: upload as a raw body to
// `POST /uploads`, download with the Bearer header into a Blob, and the server's refusals said in
// the desk's language with what to do.
import { RequestError, uploadsUrl } from '../api/http';
import type { Format } from '../format';
import type { DeskCtx } from './lib';
import type { DeskWords } from './words';

/** A refused or failed upload: the sentence to show. */
export class UploadError extends Error {
  override name = 'UploadError';
}

interface ErrorBody {
  errors?: { message?: string; extensions?: { code?: string; field?: string; limit?: string; max?: number } }[];
}

/** The sentence for a refusal of `POST /uploads` (status and the error's extensions). */
export function uploadRefusal(
  ctx: { w: DeskWords; f: Pick<Format, 'locale'> },
  status: number,
  ext: { code?: string; field?: string; limit?: string; max?: number } = {},
): string {
  const w = ctx.w.upload;
  if (ext.limit === 'cityQuota') return w.cityFull;
  if (status === 429 || ext.code === 'RATE_LIMITED') return w.tooMany;
  if (status === 413 || ext.limit === 'size') {
    const mb =
      typeof ext.max === 'number' ? new Intl.NumberFormat(ctx.f.locale, { maximumFractionDigits: 1 }).format(ext.max / 1_048_576) : null;
    return w.tooBig(mb);
  }
  if (ext.field === 'name') return w.badName;
  if (status === 415 || ext.field === 'file') return status === 400 ? w.empty : w.badType;
  if (status === 403 || ext.code === 'FORBIDDEN') return w.forbidden;
  return w.failed;
}

/** Uploads a file as evidence of the city; resolves to the new (or de-duplicated) evidence id. */
export async function uploadEvidence(ctx: Pick<DeskCtx, 'token' | 'cityId' | 'onSessionEnded' | 'w' | 'f'>, file: File): Promise<string> {
  const query = new URLSearchParams({ cityId: ctx.cityId, name: file.name });
  let response: Response;
  try {
    response = await fetch(uploadsUrl(`?${query.toString()}`), {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${ctx.token}` },
      body: file,
      credentials: 'omit',
    });
  } catch {
    throw new UploadError(ctx.w.upload.network);
  }
  const body = (await response.json().catch(() => null)) as (ErrorBody & { id?: string }) | null;
  if (response.status === 401) {
    ctx.onSessionEnded();
    throw new RequestError('unauthenticated', 'Unauthenticated');
  }
  if (!response.ok || !body?.id) throw new UploadError(uploadRefusal(ctx, response.status, body?.errors?.[0]?.extensions));
  return body.id;
}

/** Downloads an evidence file with the session and hands it to the browser under `name`. */
export async function downloadEvidence(ctx: Pick<DeskCtx, 'token' | 'onSessionEnded' | 'w'>, id: string, name: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(uploadsUrl(`/${encodeURIComponent(id)}`), {
      headers: { authorization: `Bearer ${ctx.token}` },
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new UploadError(ctx.w.errors.network);
  }
  if (response.status === 401) {
    ctx.onSessionEnded();
    throw new RequestError('unauthenticated', 'Unauthenticated');
  }
  if (!response.ok) throw new UploadError(ctx.w.upload.gone);
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
