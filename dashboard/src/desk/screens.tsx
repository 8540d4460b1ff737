// "Layar": create a meeting-room screen token (label, views, rotation, language) and get its kiosk
// URL as text and as a QR code; list the tokens with their last use, and revoke one.
import qrcode from 'qrcode-generator';
import { graphql, type ResultOf } from '../api/document';
import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { DEFAULT_VIEWS, LANG_NAMES, VIEW_NAMES, type ViewName } from '../i18n';
import { ago, explain, fieldOf, gq, when, type DeskCtx } from './lib';
import { kioskUrl } from './pure';
import { ConfirmButton, CopyButton, Notice } from './ui';

const LIST = graphql(`
  query DeskScreens($city: ID!) {
    screenTokens(cityId: $city) {
      id
      version
      label
      createdAt
      createdByName
      lastUsedAt
      revokedAt
    }
  }
`);
type Token = ResultOf<typeof LIST>['screenTokens'][number];
const CREATE = graphql(`
  mutation DeskCreateScreen($input: CreateScreenTokenInput!) {
    createScreenToken(input: $input) {
      token
      dashboardUrl
      screenToken {
        id
        label
      }
    }
  }
`);
const REVOKE = graphql(`
  mutation DeskRevokeScreen($input: VersionedInput!) {
    revokeScreenToken(input: $input) {
      id
      revokedAt
      version
    }
  }
`);

/** The rotation choices in seconds (0: one view, no rotation). */
const ROTATIONS = [15, 30, 60, 120, 0] as const;

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
  const w = ctx.w.screens;
  const [tokens, setTokens] = useState<Token[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [label, setLabel] = useState('');
  const [views, setViews] = useState<ViewName[]>([...DEFAULT_VIEWS]);
  const [rotate, setRotate] = useState(30);
  const [lang, setLang] = useState<'id' | 'en'>('id');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<{ message: string; field: string | null } | null>(null);
  // The link shown is the one made with the choices at creation: changing the form afterwards (for
  // the next screen) does not change it.
  const [created, setCreated] = useState<{ label: string; url: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const urlBox = useRef<HTMLTextAreaElement>(null);
  const load = (): void => {
    gq(ctx, LIST, { city: ctx.cityId })
      .then((d) => setTokens(d.screenTokens))
      .catch((e: unknown) => setError(explain(e, ctx.w)));
  };
  useEffect(load, []);
  const active = (tokens ?? []).filter((t) => !t.revokedAt);
  useEffect(() => {
    document.title = `${w.title(ctx.city.name, active.length)} — Pantau`;
  }, [active.length, w]);

  const labelProblem = !label.trim() ? w.noLabel : label.length > 200 ? w.longLabel : null;
  const viewsProblem = views.length === 0 ? w.noViews : null;
  const rotation = (n: number): string => (n === 0 ? w.noRotation : n < 60 ? w.seconds(n) : w.minutes(n / 60));
  const submit = (event: Event): void => {
    event.preventDefault();
    setTried(true);
    if (labelProblem || viewsProblem) {
      document.getElementById(labelProblem ? 's-label' : 'v-ringkasan')?.focus();
      return;
    }
    setBusy(true);
    setFormError(null);
    gq(ctx, CREATE, {
      input: { cityId: ctx.cityId, label: label.trim() },
    })
      .then((d) => {
        setCreated({
          label: d.createScreenToken.screenToken.label,
          url: kioskUrl(
            d.createScreenToken.dashboardUrl,
            VIEW_NAMES.filter((v) => views.includes(v)),
            rotate,
            lang,
          ),
        });
        setLabel('');
        setTried(false);
        load();
      })
      .catch((e: unknown) => setFormError({ message: explain(e, ctx.w), field: fieldOf(e) }))
      .finally(() => setBusy(false));
  };
  const url = created?.url ?? null;
  const showLabelError = (tried && labelProblem) || (formError?.field === 'label' ? formError.message : null);
  return (
    <section>
      <h1>{w.title(ctx.city.name, active.length)}</h1>
      <p class="dk-lead">{w.lead}</p>
      <form class="dk-panel dk-form" id="screen-form" onSubmit={submit} noValidate>
        <h2>{w.newTitle}</h2>
        <div class="dk-field">
          <label for="s-label">{w.label}</label>
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
            {showLabelError || w.labelHint}
          </p>
        </div>
        <fieldset class="dk-field">
          <legend>{w.viewsLegend}</legend>
          {VIEW_NAMES.map((v) => (
            <label class="dk-check">
              <input
                type="checkbox"
                id={`v-${v}`}
                checked={views.includes(v)}
                onChange={(e) => setViews((list) => ((e.target as HTMLInputElement).checked ? [...list, v] : list.filter((x) => x !== v)))}
              />
              {w.views[v]}
            </label>
          ))}
          {tried && viewsProblem ? <p class="dk-error">{viewsProblem}</p> : null}
        </fieldset>
        <div class="dk-grid">
          <div class="dk-field">
            <label for="s-rotate">{w.rotate}</label>
            <select id="s-rotate" value={rotate} onChange={(e) => setRotate(Number((e.target as HTMLSelectElement).value))}>
              {ROTATIONS.map((n) => (
                <option value={n}>{rotation(n)}</option>
              ))}
            </select>
          </div>
          <fieldset class="dk-field">
            <legend>{w.language}</legend>
            <label class="dk-check" lang="id">
              <input type="radio" name="s-lang" id="s-lang-id" checked={lang === 'id'} onChange={() => setLang('id')} /> {LANG_NAMES.id}
            </label>
            <label class="dk-check" lang="en">
              <input type="radio" name="s-lang" id="s-lang-en" checked={lang === 'en'} onChange={() => setLang('en')} /> {LANG_NAMES.en}
            </label>
          </fieldset>
        </div>
        {formError && formError.field !== 'label' ? <Notice kind="error">{formError.message}</Notice> : null}
        <button type="submit" class="dk-btn dk-primary" id="create-screen" disabled={busy}>
          {busy ? w.creating : w.create}
        </button>
      </form>
      {created && url ? (
        <div class="dk-panel dk-created" id="screen-created">
          <h2>{w.linkFor(created.label)}</h2>
          <p class="dk-notice dk-warn">
            <strong>{w.onceTitle}</strong> {w.onceText}
          </p>
          <div class="dk-created-body">
            <div>
              <label for="screen-url">{w.url}</label>
              <textarea id="screen-url" class="dk-url" readOnly rows={4} ref={urlBox} value={url} />
              <div class="dk-actions">
                <CopyButton text={url} label={w.copyUrl} id="copy-url" target={() => urlBox.current} />
              </div>
              <ol class="dk-steps">
                <li>{w.step1}</li>
                <li>{w.step2}</li>
              </ol>
            </div>
            <Qr text={url} label={w.qr(created.label)} />
          </div>
        </div>
      ) : null}
      <div class="dk-panel">
        <h2>{w.all}</h2>
        {error ? <Notice kind="error">{error}</Notice> : null}
        {notice ? <Notice kind="ok">{notice}</Notice> : null}
        {tokens === null ? <p role="status">{ctx.w.loading}</p> : tokens.length === 0 ? <p>{w.none}</p> : null}
        <ul class="dk-list" id="screens">
          {(tokens ?? []).map((t) => (
            <li class={t.revokedAt ? 'dk-item dk-revoked' : 'dk-item'} data-screen={t.id}>
              <div>
                <strong>{t.label}</strong>{' '}
                {t.revokedAt ? (
                  <span class="dk-status st-RETURNED">{w.revoked}</span>
                ) : (
                  <span class="dk-status st-VERIFIED">{w.active}</span>
                )}
                <div class="dk-meta">
                  {w.created(when(ctx, t.createdAt))}
                  {t.createdByName ? w.by(t.createdByName) : ''} · {t.lastUsedAt ? w.lastUsed(ago(ctx, t.lastUsedAt)) : w.neverUsed}
                  {t.revokedAt ? w.revokedAt(when(ctx, t.revokedAt)) : ''}
                </div>
              </div>
              {t.revokedAt ? null : (
                <ConfirmButton
                  name="revoke"
                  label={w.revoke}
                  question={w.revokeQuestion}
                  confirmLabel={w.revokeConfirm}
                  onConfirm={() => {
                    gq(ctx, REVOKE, { input: { id: t.id, expectedVersion: t.version } })
                      .then(() => {
                        setNotice(w.revokedNotice(t.label));
                        load();
                      })
                      .catch((e: unknown) => {
                        setError(explain(e, ctx.w));
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
