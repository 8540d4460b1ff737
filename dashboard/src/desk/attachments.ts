// Photos and files for a progress report (data dukung): chosen in the form (the phone's camera or
// its files), large photos made smaller in the browser, kept in IndexedDB with the draft (so they
// survive a reload and wait while offline), and sent with the report: each uploaded to
// `POST /uploads` (the self-assessment's upload, with its progress), then attached to the new
// report (`attachEvidence(progressReportId)`). A file is kept under its author's id: another person
// at this browser never sends it.
import { RequestError, uploadsUrl } from '../api/http';
import { uploadRefusal, UploadError } from './evidence';
import type { DeskCtx } from './lib';

/** A file waiting to go with a plan's report. */
export interface QueuedFile {
  key: string;
  planId: string;
  owner: string;
  name: string;
  type: string;
  size: number;
  blob: Blob;
  /** Once uploaded: its evidence id (not uploaded again when the report is sent again). */
  evidenceId?: string;
  /** Once its report is sent: the report it still has to be attached to. */
  reportId?: string;
}

/** What the file picker offers: photos, PDF, office and ODF documents, CSV and text (what the server takes). */
export const FILE_ACCEPT =
  'image/*,application/pdf,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp,.csv,.txt,' +
  'application/msword,application/vnd.openxmlformats-officedocument.wordprocessingml.document,' +
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv,text/plain';
/** A photo wider or taller than this is made smaller before upload. */
export const MAX_SIDE = 2048;
/** A photo bigger than this is re-encoded (JPEG) even when it is not too wide. */
export const MAX_PHOTO_BYTES = 1_500_000;
/** At most this many files per report. */
export const MAX_FILES = 10;

const DB = 'pantau-desk';
const STORE = 'report-files';

function db(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB, 1);
    open.onupgradeneeded = () => {
      const store = open.result.createObjectStore(STORE, { keyPath: 'key' });
      store.createIndex('planId', 'planId');
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error ?? new Error('indexedDB'));
  });
}

async function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const d = await db();
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = work(d.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('indexedDB'));
    });
  } finally {
    d.close();
  }
}

/** The user id (`sub`) of a login token: the owner of the files queued with it. */
export function ownerOf(token: string): string {
  try {
    const part = token.split('.')[1] ?? '';
    const sub = (JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: unknown }).sub;
    return typeof sub === 'string' ? sub : '';
  } catch {
    return '';
  }
}

/** The files queued for a plan's report by this person, in the order they were chosen. */
export async function queuedFiles(planId: string, token: string): Promise<QueuedFile[]> {
  try {
    const all = await run<QueuedFile[]>('readonly', (s) => s.index('planId').getAll(planId) as IDBRequest<QueuedFile[]>);
    const owner = ownerOf(token);
    return all.filter((f) => f.owner === owner).sort((a, b) => a.key.localeCompare(b.key));
  } catch {
    return [];
  }
}

export async function removeQueued(key: string): Promise<void> {
  await run('readwrite', (s) => s.delete(key)).catch(() => undefined);
}

async function putQueued(file: QueuedFile): Promise<void> {
  await run('readwrite', (s) => s.put(file));
}

/** Every queued file of anyone but `keepOwner` (logout: the next person at this browser neither sees nor sends them). */
export async function dropQueuedFiles(keepOwner: string | null): Promise<void> {
  try {
    const all = await run<QueuedFile[]>('readonly', (s) => s.getAll() as IDBRequest<QueuedFile[]>);
    for (const f of all) if (f.owner !== keepOwner) await removeQueued(f.key);
  } catch {
    // no IndexedDB: nothing was kept
  }
}

/** The size a photo is drawn at: its own when it fits MAX_SIDE, else scaled to fit. */
export function fitted(width: number, height: number, max = MAX_SIDE): { width: number; height: number } {
  const scale = Math.min(1, max / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** A photo made smaller (JPEG, at most MAX_SIDE px) when it is large; any other file as it is. */
export async function shrinkPhoto(file: File): Promise<{ blob: Blob; name: string; type: string }> {
  const plain = { blob: file as Blob, name: file.name, type: file.type };
  if (!/^image\/(jpeg|png|webp|heic|heif)$/.test(file.type) || typeof createImageBitmap !== 'function') return plain;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return plain;
  }
  const size = fitted(bitmap.width, bitmap.height);
  if (size.width === bitmap.width && file.size <= MAX_PHOTO_BYTES) {
    bitmap.close();
    return plain;
  }
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, size.width, size.height);
  bitmap.close();
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
  if (!blob || blob.size >= file.size) return plain;
  return { blob, name: `${file.name.replace(/\.[^.]*$/, '') || 'foto'}.jpg`, type: 'image/jpeg' };
}

/** Queues files for a plan's report (photos made smaller first). */
export async function queueFiles(planId: string, token: string, files: readonly File[]): Promise<QueuedFile[]> {
  const out: QueuedFile[] = [];
  for (const file of files) {
    const small = await shrinkPhoto(file);
    const q: QueuedFile = {
      key: `${planId}/${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
      planId,
      owner: ownerOf(token),
      name: small.name,
      type: small.type,
      size: small.blob.size,
      blob: small.blob,
    };
    await putQueued(q);
    out.push(q);
  }
  return out;
}

/** Uploads a blob to `POST /uploads` with its progress (0–1); resolves to the evidence id. */
export function uploadWithProgress(
  ctx: Pick<DeskCtx, 'token' | 'cityId' | 'onSessionEnded' | 'w' | 'f'>,
  blob: Blob,
  name: string,
  onProgress: (fraction: number) => void,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', uploadsUrl(`?${new URLSearchParams({ cityId: ctx.cityId, name }).toString()}`));
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('authorization', `Bearer ${ctx.token}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new RequestError('network', ctx.w.upload.network));
    xhr.onload = () => {
      type Body = { id?: string; errors?: { extensions?: Record<string, unknown> }[] };
      let body: Body | null;
      try {
        body = JSON.parse(xhr.responseText) as Body;
      } catch {
        body = null;
      }
      if (xhr.status === 401) {
        ctx.onSessionEnded();
        reject(new RequestError('unauthenticated', 'Unauthenticated'));
      } else if (xhr.status >= 200 && xhr.status < 300 && body?.id) {
        onProgress(1);
        resolve(body.id);
      } else reject(new UploadError(uploadRefusal(ctx, xhr.status, body?.errors?.[0]?.extensions ?? {})));
    };
    xhr.send(blob);
  });
}

/** The mutation that attaches an uploaded file to a report (run by lib.ts with the session). */
export const ATTACH_REPORT_FILE = 'mutation DeskAttachReportFile($input: AttachEvidenceInput!) { attachEvidence(input: $input) { id } }';
/** Runs ATTACH_REPORT_FILE for one file. */
export type Attach = (evidenceId: string, reportId: string) => Promise<unknown>;

/** Progress of the files of one report: key → fraction uploaded (1: uploaded). */
export type FileProgress = Record<string, number>;

/** Uploads the plan's queued files not uploaded yet (each kept with its evidence id as soon as it is). */
export async function uploadQueued(
  ctx: Pick<DeskCtx, 'token' | 'cityId' | 'onSessionEnded' | 'w' | 'f'>,
  planId: string,
  onProgress: (p: FileProgress) => void = () => {},
): Promise<QueuedFile[]> {
  const files = await queuedFiles(planId, ctx.token);
  const progress: FileProgress = Object.fromEntries(files.map((f) => [f.key, f.evidenceId ? 1 : 0]));
  for (const f of files) {
    if (f.evidenceId) continue;
    f.evidenceId = await uploadWithProgress(ctx, f.blob, f.name, (x) => {
      progress[f.key] = x;
      onProgress({ ...progress });
    });
    await putQueued(f);
  }
  return files;
}

/** Attaches the uploaded files to the report just sent; each attached file leaves the queue. */
export async function attachQueued(attach: Attach, files: QueuedFile[], reportId: string): Promise<void> {
  for (const f of files) {
    if (!f.evidenceId) continue;
    if (!f.reportId) {
      f.reportId = reportId;
      await putQueued(f);
    }
    await attach(f.evidenceId, f.reportId);
    await removeQueued(f.key);
  }
}

/** Files whose report was sent but which are not attached yet (the network went down in between): attach them now. */
export async function attachLeftovers(token: string, attach: Attach): Promise<void> {
  let all: QueuedFile[];
  try {
    all = await run<QueuedFile[]>('readonly', (s) => s.getAll() as IDBRequest<QueuedFile[]>);
  } catch {
    return;
  }
  const owner = ownerOf(token);
  for (const f of all.filter((x) => x.owner === owner && x.reportId && x.evidenceId)) await attachQueued(attach, [f], f.reportId!);
}
