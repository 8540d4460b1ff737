// Evidence files (data dukung) over plain HTTP with the session: upload as a raw body to
// `POST /uploads`, download with the Bearer header into a Blob, and the server's refusals said in
// Indonesian with what to do.
import { RequestError, uploadsUrl } from '../api/http';
import type { DeskCtx } from './lib';

/** A refused or failed upload: the sentence to show. */
export class UploadError extends Error {
  override name = 'UploadError';
}

interface ErrorBody {
  errors?: { message?: string; extensions?: { code?: string; field?: string; limit?: string; max?: number } }[];
}

/** The sentence for a refusal of `POST /uploads` (status and the error's extensions). */
export function uploadRefusal(status: number, ext: { code?: string; field?: string; limit?: string; max?: number } = {}): string {
  if (ext.limit === 'cityQuota')
    return 'Ruang penyimpanan data dukung kota ini penuh. Berkas yang sudah pernah diunggah tetap diterima; untuk berkas baru, minta admin platform menambah ruang.';
  if (status === 429 || ext.code === 'RATE_LIMITED')
    return 'Terlalu banyak unggahan berjalan bersamaan. Tunggu unggahan lain selesai, lalu coba lagi dalam beberapa detik.';
  if (status === 413 || ext.limit === 'size') {
    const mb =
      typeof ext.max === 'number' ? new Intl.NumberFormat('id-ID', { maximumFractionDigits: 1 }).format(ext.max / 1_048_576) : null;
    return `Berkas terlalu besar${mb ? ` (maksimal ${mb} MB)` : ''}. Perkecil berkasnya (mis. simpan ulang PDF dengan ukuran lebih kecil), lalu unggah lagi.`;
  }
  if (ext.field === 'name')
    return 'Nama berkas tidak dapat dipakai: tanpa tanda / atau \\, tanpa karakter khusus, paling banyak 255 karakter. Ganti nama berkasnya, lalu unggah lagi.';
  if (status === 415 || ext.field === 'file') {
    if (status === 400) return 'Berkas kosong. Pilih berkas yang berisi, lalu unggah lagi.';
    return 'Jenis berkas ini tidak diterima. Pantau memeriksa isi berkas, bukan namanya. Unggah PDF, gambar (PNG, JPEG, WebP), dokumen Word/Excel/PowerPoint atau ODF, CSV atau teks.';
  }
  if (status === 403 || ext.code === 'FORBIDDEN') return 'Anda tidak berwenang mengunggah data dukung untuk kota ini.';
  return 'Berkas tidak dapat diunggah. Coba lagi sebentar lagi.';
}

/** Uploads a file as evidence of the city; resolves to the new (or de-duplicated) evidence id. */
export async function uploadEvidence(ctx: Pick<DeskCtx, 'token' | 'cityId' | 'onSessionEnded'>, file: File): Promise<string> {
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
    throw new UploadError('Server tidak dapat dihubungi. Periksa jaringan, lalu unggah lagi.');
  }
  const body = (await response.json().catch(() => null)) as (ErrorBody & { id?: string }) | null;
  if (response.status === 401) {
    ctx.onSessionEnded();
    throw new RequestError('unauthenticated', 'Unauthenticated');
  }
  if (!response.ok || !body?.id) throw new UploadError(uploadRefusal(response.status, body?.errors?.[0]?.extensions));
  return body.id;
}

/** Downloads an evidence file with the session and hands it to the browser under `name`. */
export async function downloadEvidence(ctx: Pick<DeskCtx, 'token' | 'onSessionEnded'>, id: string, name: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(uploadsUrl(`/${encodeURIComponent(id)}`), {
      headers: { authorization: `Bearer ${ctx.token}` },
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new UploadError('Server tidak dapat dihubungi. Periksa jaringan, lalu coba lagi.');
  }
  if (response.status === 401) {
    ctx.onSessionEnded();
    throw new RequestError('unauthenticated', 'Unauthenticated');
  }
  if (!response.ok) throw new UploadError('Berkas ini tidak ditemukan lagi. Muat ulang halaman.');
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
