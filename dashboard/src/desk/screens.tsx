// "Layar": create a meeting-room screen token (label, views, rotation, language) and get its kiosk
// URL as text and as a QR code; list the tokens with their last use, and revoke one.
import qrcode from 'qrcode-generator';
import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { DEFAULT_VIEWS, VIEW_NAMES, type ViewName } from '../i18n';
import { ago, explain, fieldOf, gq, when, type DeskCtx } from './lib';
import { kioskUrl } from './pure';
import { ConfirmButton, CopyButton, Notice } from './ui';

interface Token {
  id: string;
  version: number;
  label: string;
  createdAt: string;
  createdByName: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const LIST = `query DeskScreens($city: ID!) { screenTokens(cityId: $city) { id version label createdAt createdByName lastUsedAt revokedAt } }`;
const CREATE = `mutation DeskCreateScreen($input: CreateScreenTokenInput!) { createScreenToken(input: $input) { token dashboardUrl screenToken { id label } } }`;
const REVOKE = `mutation DeskRevokeScreen($input: VersionedInput!) { revokeScreenToken(input: $input) { id revokedAt version } }`;

const VIEW_LABELS: Record<ViewName, string> = {
  ringkasan: 'Ringkasan kota (capaian, dimensi, yang terlambat, laporan terbaru)',
  opd: 'OPD menurut capaian',
  dimensi: 'Dimensi dan programnya',
  tren: 'Tren capaian 12 bulan',
  kesiapan: 'Kesiapan monev (hitung mundur, indeks saat ini, kekurangan per OPD)',
};
const ROTATIONS = [
  [15, '15 detik'],
  [30, '30 detik'],
  [60, '1 menit'],
  [120, '2 menit'],
  [0, 'Tidak berganti (satu tampilan)'],
] as const;

/** A QR code as SVG paths (one rect per dark module, merged per row run). */
function Qr({ text, label }: { text: string; label: string }): JSX.Element {
  const { size, path } = useMemo(() => {
    const qr = qrcode(0, 'M');
    qr.addData(text);
    qr.make();
    const n = qr.getModuleCount();
    let d = '';
    for (let r = 0; r < n; r++) {
      let c = 0;
      while (c < n) {
        if (!qr.isDark(r, c)) {
          c++;
          continue;
        }
        const start = c;
        while (c < n && qr.isDark(r, c)) c++;
        d += `M${start + 4} ${r + 4}h${c - start}v1h-${c - start}z`;
      }
    }
    return { size: n + 8, path: d };
  }, [text]);
  return (
    <svg class="dk-qr" viewBox={`0 0 ${size} ${size}`} role="img" aria-label={label} shape-rendering="crispEdges">
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}

export function ScreensPage({ ctx }: { ctx: DeskCtx }): JSX.Element {
  const [tokens, setTokens] = useState<Token[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [label, setLabel] = useState('');
  const [views, setViews] = useState<ViewName[]>([...DEFAULT_VIEWS]);
  const [rotate, setRotate] = useState(30);
  const [lang, setLang] = useState<'id' | 'en'>('id');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<{ message: string; field: string | null } | null>(null);
  const [created, setCreated] = useState<{ label: string; dashboardUrl: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const urlBox = useRef<HTMLTextAreaElement>(null);
  const load = (): void => {
    gq<{ screenTokens: Token[] }>(ctx, LIST, { city: ctx.cityId })
      .then((d) => setTokens(d.screenTokens))
      .catch((e: unknown) => setError(explain(e)));
  };
  useEffect(load, []);
  const active = (tokens ?? []).filter((t) => !t.revokedAt);
  useEffect(() => {
    document.title = `Layar rapat ${ctx.city.name} (${active.length} aktif) — Pantau`;
  }, [active.length]);

  const labelProblem = !label.trim()
    ? 'Beri nama layar, mis. “Ruang Rapat Bappelitbang”.'
    : label.length > 200
      ? 'Nama layar paling panjang 200 huruf.'
      : null;
  const viewsProblem = views.length === 0 ? 'Pilih paling sedikit satu tampilan.' : null;
  const submit = (event: Event): void => {
    event.preventDefault();
    setTried(true);
    if (labelProblem || viewsProblem) {
      document.getElementById(labelProblem ? 's-label' : 'v-ringkasan')?.focus();
      return;
    }
    setBusy(true);
    setFormError(null);
    gq<{ createScreenToken: { dashboardUrl: string; screenToken: { label: string } } }>(ctx, CREATE, {
      input: { cityId: ctx.cityId, label: label.trim() },
    })
      .then((d) => {
        setCreated({ label: d.createScreenToken.screenToken.label, dashboardUrl: d.createScreenToken.dashboardUrl });
        setLabel('');
        setTried(false);
        load();
      })
      .catch((e: unknown) => setFormError({ message: explain(e), field: fieldOf(e) }))
      .finally(() => setBusy(false));
  };
  const ordered = VIEW_NAMES.filter((v) => views.includes(v));
  const url = created ? kioskUrl(created.dashboardUrl, ordered, rotate, lang) : null;
  const showLabelError = (tried && labelProblem) || (formError?.field === 'label' ? formError.message : null);
  return (
    <section>
      <h1>
        Layar rapat {ctx.city.name} ({active.length} aktif)
      </h1>
      <p class="dk-lead">
        Layar di ruang rapat menampilkan capaian kota secara langsung, tanpa login. Buat tautan untuk satu layar, lalu buka tautan itu
        sekali di TV.
      </p>
      <form class="dk-panel dk-form" id="screen-form" onSubmit={submit} noValidate>
        <h2>Buat tautan layar baru</h2>
        <div class="dk-field">
          <label for="s-label">Nama layar (di mana TV-nya)</label>
          <input
            id="s-label"
            type="text"
            maxLength={200}
            value={label}
            aria-invalid={showLabelError ? 'true' : undefined}
            aria-describedby="s-label-h"
            onInput={(e) => setLabel((e.target as HTMLInputElement).value)}
          />
          <p id="s-label-h" class={showLabelError ? 'dk-error' : 'dk-hint'}>
            {showLabelError || 'Contoh: “Ruang Rapat Bappelitbang” atau “Lobi Kantor Wali Kota”.'}
          </p>
        </div>
        <fieldset class="dk-field">
          <legend>Tampilan yang diputar</legend>
          {VIEW_NAMES.map((v) => (
            <label class="dk-check">
              <input
                type="checkbox"
                id={`v-${v}`}
                checked={views.includes(v)}
                onChange={(e) => setViews((list) => ((e.target as HTMLInputElement).checked ? [...list, v] : list.filter((x) => x !== v)))}
              />
              {VIEW_LABELS[v]}
            </label>
          ))}
          {tried && viewsProblem ? <p class="dk-error">{viewsProblem}</p> : null}
        </fieldset>
        <div class="dk-grid">
          <div class="dk-field">
            <label for="s-rotate">Ganti tampilan setiap</label>
            <select id="s-rotate" value={rotate} onChange={(e) => setRotate(Number((e.target as HTMLSelectElement).value))}>
              {ROTATIONS.map(([n, text]) => (
                <option value={n}>{text}</option>
              ))}
            </select>
          </div>
          <fieldset class="dk-field">
            <legend>Bahasa layar</legend>
            <label class="dk-check">
              <input type="radio" name="s-lang" id="s-lang-id" checked={lang === 'id'} onChange={() => setLang('id')} /> Bahasa Indonesia
            </label>
            <label class="dk-check">
              <input type="radio" name="s-lang" id="s-lang-en" checked={lang === 'en'} onChange={() => setLang('en')} /> English
            </label>
          </fieldset>
        </div>
        {formError && formError.field !== 'label' ? <Notice kind="error">{formError.message}</Notice> : null}
        <button type="submit" class="dk-btn dk-primary" id="create-screen" disabled={busy}>
          {busy ? 'Membuat…' : 'Buat tautan layar'}
        </button>
      </form>
      {created && url ? (
        <div class="dk-panel dk-created" id="screen-created">
          <h2>Tautan untuk “{created.label}”</h2>
          <p class="dk-notice dk-warn">
            <strong>Hanya ditampilkan sekali.</strong> Salin atau pindai sekarang. Pilihan tampilan, waktu dan bahasa di atas langsung
            mengubah tautan ini.
          </p>
          <div class="dk-created-body">
            <div>
              <label for="screen-url">Tautan layar (berisi kunci layar — jangan dibagikan)</label>
              <textarea id="screen-url" class="dk-url" readOnly rows={4} ref={urlBox} value={url} />
              <div class="dk-actions">
                <CopyButton text={url} label="Salin tautan" id="copy-url" target={() => urlBox.current} />
              </div>
              <ol class="dk-steps">
                <li>Buka tautan ini di peramban TV (atau pindai kode QR dengan ponsel yang tersambung ke TV).</li>
                <li>Jadikan layar penuh. Layar menyimpan kuncinya sendiri dan kembali sendiri setelah listrik padam.</li>
              </ol>
            </div>
            <Qr text={url} label={`Kode QR tautan layar ${created.label}`} />
          </div>
        </div>
      ) : null}
      <div class="dk-panel">
        <h2>Semua layar</h2>
        {error ? <Notice kind="error">{error}</Notice> : null}
        {notice ? <Notice kind="ok">{notice}</Notice> : null}
        {tokens === null ? <p role="status">Memuat…</p> : tokens.length === 0 ? <p>Belum ada layar.</p> : null}
        <ul class="dk-list" id="screens">
          {(tokens ?? []).map((t) => (
            <li class={t.revokedAt ? 'dk-item dk-revoked' : 'dk-item'} data-screen={t.id}>
              <div>
                <strong>{t.label}</strong>{' '}
                {t.revokedAt ? <span class="dk-status st-RETURNED">Dicabut</span> : <span class="dk-status st-VERIFIED">Aktif</span>}
                <div class="dk-meta">
                  Dibuat {when(ctx, t.createdAt)}
                  {t.createdByName ? ` oleh ${t.createdByName}` : ''} ·{' '}
                  {t.lastUsedAt ? `terakhir dipakai ${ago(ctx, t.lastUsedAt)}` : 'belum pernah dipakai'}
                  {t.revokedAt ? ` · dicabut ${when(ctx, t.revokedAt)}` : ''}
                </div>
              </div>
              {t.revokedAt ? null : (
                <ConfirmButton
                  name="revoke"
                  label="Cabut"
                  question="Layar ini akan langsung berhenti. Cabut?"
                  confirmLabel="Ya, cabut"
                  onConfirm={() => {
                    gq(ctx, REVOKE, { input: { id: t.id, expectedVersion: t.version } })
                      .then(() => {
                        setNotice(`Layar “${t.label}” dicabut. Layar itu kini menampilkan pesan “tidak lagi terdaftar”.`);
                        load();
                      })
                      .catch((e: unknown) => {
                        setError(explain(e));
                        load();
                      });
                  }}
                />
              )}
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
