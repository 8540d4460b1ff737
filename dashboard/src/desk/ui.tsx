// Small building blocks of the desk pages (light theme), and the desk's words for them.
import { createContext, type ComponentChildren, type JSX } from 'preact';
import { useContext, useState } from 'preact/hooks';
import type { PlanState } from '../i18n';
import { downloadEvidence } from './evidence';
import { copyText, type DeskCtx } from './lib';
import { DESK_WORDS, type DeskWords } from './words';

/** The desk's words in its language, for the building blocks below (the pages read `ctx.w`). */
export const WordsContext = createContext<DeskWords>(DESK_WORDS.id);

const STATE_ICONS: Record<PlanState, string> = { DONE: '✓', ON_TRACK: '●', LATE: '!', NOT_STARTED: '○' };

/** A state as a word with an icon and its colour (never colour alone). */
export function StateTag({ state }: { state: PlanState }): JSX.Element {
  const w = useContext(WordsContext);
  return (
    <span class={`dk-state st-${state}`}>
      <span aria-hidden="true">{STATE_ICONS[state]}</span> {w.states[state]}
    </span>
  );
}

/** A progress bar (its value is said by the text beside it). */
export function Bar({ value, state, label }: { value: number; state: PlanState; label: string }): JSX.Element {
  return (
    <span class="dk-bar" role="img" aria-label={label}>
      <span class={`dk-bar-fill st-${state}`} style={{ width: `${Math.max(0, Math.min(100, value))}%` }} />
    </span>
  );
}

/** A message box: ok (green), error (red) or plain. */
export function Notice({ kind, children, id }: { kind: 'ok' | 'error' | 'info'; children: ComponentChildren; id?: string }): JSX.Element {
  return (
    <p class={`dk-notice dk-${kind}`} role={kind === 'error' ? 'alert' : 'status'} id={id}>
      {children}
    </p>
  );
}

/** A button that copies `text` and says so. */
export function CopyButton({
  text,
  label,
  id,
  target,
}: {
  text: string;
  label?: string;
  id?: string;
  target?: () => HTMLTextAreaElement | HTMLInputElement | null;
}): JSX.Element {
  const [done, setDone] = useState<boolean | null>(null);
  const w = useContext(WordsContext);
  return (
    <button
      type="button"
      class="dk-btn"
      id={id}
      onClick={() => {
        void copyText(text, target?.() ?? null).then((ok) => {
          setDone(ok);
          setTimeout(() => setDone(null), 3000);
        });
      }}
    >
      {done === true ? w.copied : done === false ? w.copyByHand : (label ?? w.copy)}
    </button>
  );
}

/** A destructive action that asks once more, in place. */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  onConfirm,
  busy,
  name,
}: {
  label: string;
  question: string;
  confirmLabel: string;
  onConfirm: () => void;
  busy?: boolean;
  name?: string;
}): JSX.Element {
  const [asking, setAsking] = useState(false);
  const w = useContext(WordsContext);
  if (!asking) {
    return (
      <button type="button" class="dk-btn dk-danger-quiet" data-action={name} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span class="dk-confirm" role="group" aria-label={question}>
      <span>{question}</span>
      <button type="button" class="dk-btn dk-danger" data-action={`${name ?? ''}-confirm`} disabled={busy} onClick={onConfirm}>
        {confirmLabel}
      </button>
      <button type="button" class="dk-btn dk-quiet" onClick={() => setAsking(false)}>
        {w.cancel}
      </button>
    </span>
  );
}

/** A report's evidence links, each opening in a new tab. */
export function EvidenceLinks({ urls }: { urls: readonly string[] }): JSX.Element {
  return (
    <ul class="dk-links">
      {urls.map((u) => (
        <li>
          <a href={u} target="_blank" rel="noopener noreferrer">
            {u}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** A report's attached photos and files (`ProgressReport.evidence`), each downloaded with the session. */
export function AttachedFiles({
  ctx,
  files,
}: {
  ctx: Pick<DeskCtx, 'token' | 'onSessionEnded' | 'w'>;
  files: readonly { evidence: { id: string; title: string } }[];
}): JSX.Element | null {
  const [error, setError] = useState<string | null>(null);
  if (!files.length) return null;
  return (
    <div class="dk-attached">
      <ul class="dk-links">
        {files.map(({ evidence: e }) => (
          <li>
            <button
              type="button"
              class="dk-link-btn"
              data-evidence={e.id}
              onClick={() =>
                void downloadEvidence(ctx, e.id, e.title).catch((x: unknown) =>
                  setError(x instanceof Error ? x.message : ctx.w.errors.unknown),
                )
              }
            >
              ⤓ {e.title}
            </button>
          </li>
        ))}
      </ul>
      {error ? <Notice kind="error">{error}</Notice> : null}
    </div>
  );
}
