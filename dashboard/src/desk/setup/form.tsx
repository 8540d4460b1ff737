// One form for every object the setup pages create and change, driven by a list of fields. It
// behaves like the report form: checks as you type with the message under its field, the server's
// BAD_USER_INPUT under the field it names, CONFLICT shown with the other person's change (from the
// audit log) and a way to keep one's own, archive behind a confirmation. While someone edits, a
// change arriving live does not wipe what they typed: the form says what changed instead.
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { graphql, type Doc, type ResultOf } from '../../api/document';
import { RequestError } from '../../api/http';
import { explain, fieldOf, gq, when, type DeskCtx } from '../lib';
import { Notice } from '../ui';
import { isYmd, parseNumber } from './pure';
import { useWords, type Words } from './words';

/** A deliverable row of an activity or a visit. */
export interface DeliverableRow {
  title: string;
  dueDate: string;
  done: boolean;
}

/** How a field is typed. `money` is a whole rupiah amount typed with thousands dots. */
export type FieldKind = 'text' | 'textarea' | 'int' | 'number' | 'money' | 'date' | 'select' | 'bool' | 'multi' | 'deliverables';
/** A field's value in the form (text boxes hold text; numbers are parsed when sent). */
export type Value = string | boolean | string[] | DeliverableRow[];
/** The form's values by field key. */
export type Values = Record<string, Value>;

/** One field of a form. Its key is the input field the server names in BAD_USER_INPUT. */
export interface FieldDef {
  key: string;
  label: string;
  kind: FieldKind;
  required?: boolean;
  hint?: string;
  /** select and multi: [value, label]; a select may offer "" (none) through `empty`. */
  options?: readonly (readonly [string, string])[];
  empty?: string;
  wide?: boolean;
  min?: number;
  max?: number;
  maxLength?: number;
  /** A check that reads other fields (e.g. the due date after the start). */
  check?: (values: Values) => string | undefined;
  /** Shown only when this says so (e.g. the quick-win year when it is a quick win). */
  shown?: (values: Values) => boolean;
  /** Written by `FormSpec.after` (another mutation), not in the create/update input. */
  separate?: boolean;
  /** The name in the audit log when it differs from the key (`ownerOpdId` → `ownerOpd`). */
  audit?: string;
}

/** An object the form edits: its id and optimistic-lock version. */
export interface Versioned {
  id: string;
  version: number;
}

/** What one kind of object needs: its mutations' name, its fields and how an object fills them. */
export interface FormSpec<O extends Versioned> {
  /** `create<entity>`, `update<entity>`, `archive<entity>`, and the audit log's entity name. */
  entity: string;
  fields: FieldDef[];
  values(obj: O | null): Values;
  /** Fixed parts of the create input (`cityId`, `actionPlanId`…). */
  parent?: Record<string, unknown>;
  /** Writes the `separate` fields after a save (e.g. tags); `changed` lists the keys that changed. */
  after?(id: string, values: Values, changed: string[]): Promise<void>;
}

type Problems = Record<string, string | undefined>;

/** Whether the server's field (`deliverables.0.title`, `name`) is the form's field `key`. */
function names(field: string | null, key: string): boolean {
  return field !== null && (field === key || field.startsWith(`${key}.`));
}

function isEmpty(v: Value | undefined): boolean {
  return v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

/** The client's checks, each message saying what to do. */
export function problemsOf(fields: readonly FieldDef[], values: Values, w: Words): Problems {
  const out: Problems = {};
  for (const f of fields) {
    if (f.shown && !f.shown(values)) continue;
    const v = values[f.key];
    if (isEmpty(v)) {
      if (f.required) out[f.key] = w.form.required(f.label);
      continue;
    }
    if (typeof v === 'string') {
      if (f.kind === 'int' || f.kind === 'number' || f.kind === 'money') {
        const n = parseNumber(v, { grouped: f.kind === 'money' });
        if (n === null || !Number.isFinite(n)) out[f.key] = f.kind === 'money' ? w.form.money : w.form.number;
        else if (f.kind === 'int' && !Number.isInteger(n)) out[f.key] = w.form.whole;
        else if ((f.min !== undefined && n < f.min) || (f.max !== undefined && n > f.max)) out[f.key] = w.form.range(f.min, f.max);
      } else if (f.kind === 'date' && !isYmd(v)) out[f.key] = w.form.date;
      else if (f.maxLength && v.trim().length > f.maxLength) out[f.key] = w.form.tooLong(f.maxLength);
    }
    if (f.kind === 'deliverables' && Array.isArray(v)) {
      const bad = (v as DeliverableRow[]).findIndex((d) => !d.title.trim() || !isYmd(d.dueDate));
      if (bad >= 0) out[f.key] = w.form.deliverable(bad + 1);
      else if (v.length > 30) out[f.key] = w.form.tooManyDeliverables;
    }
    out[f.key] ??= f.check?.(values);
  }
  return out;
}

/** A field's value as the API takes it. */
function toApi(f: FieldDef, v: Value | undefined): unknown {
  switch (f.kind) {
    case 'bool':
      return v === true;
    case 'multi':
      return Array.isArray(v) ? v : [];
    case 'deliverables':
      return ((v ?? []) as DeliverableRow[]).map((d) => ({ title: d.title.trim(), dueDate: d.dueDate, done: d.done }));
    case 'int':
    case 'number':
    case 'money':
      return typeof v === 'string' ? parseNumber(v, { grouped: f.kind === 'money' }) : null;
    default:
      return typeof v === 'string' && v.trim() ? v.trim() : null;
  }
}

/** The input of a create (every field) or an update (the keys given). */
export function inputOf(fields: readonly FieldDef[], values: Values, keys?: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.separate || (keys && !keys.includes(f.key))) continue;
    if (!keys && f.shown && !f.shown(values)) continue;
    out[f.key] = toApi(f, values[f.key]);
  }
  return out;
}

/** The keys whose value differs between two fillings. */
export function changedKeys(fields: readonly FieldDef[], a: Values, b: Values): string[] {
  return fields.filter((f) => JSON.stringify(a[f.key] ?? '') !== JSON.stringify(b[f.key] ?? '')).map((f) => f.key);
}

/** A value said for people (an option's label, Ya/Tidak, a date as people say it). */
export function sayValue(ctx: Pick<DeskCtx, 'f'>, f: FieldDef | undefined, v: unknown, w: Words): string {
  if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) return w.form.emptyValue;
  if (typeof v === 'boolean') return v ? w.form.yes : w.form.no;
  if (f?.options && (typeof v === 'string' || Array.isArray(v))) {
    const label = (x: unknown): string => f.options?.find(([k]) => k === x)?.[1] ?? String(x);
    if (Array.isArray(v) && typeof v[0] !== 'object') return v.map(label).join(', ');
    if (typeof v === 'string') return label(v);
  }
  if (Array.isArray(v)) return (v as unknown[]).map((d) => (isDeliverable(d) ? d.title : JSON.stringify(d))).join(', ');
  if (f?.kind === 'date' && typeof v === 'string' && isYmd(v)) return ctx.f.date(v, 'long');
  if (f?.kind === 'money' && (typeof v === 'number' || typeof v === 'string')) {
    const n = typeof v === 'number' ? v : parseNumber(v, { grouped: true });
    return n === null || !Number.isFinite(n) ? String(v) : `Rp ${ctx.f.int(n)}`;
  }
  return typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v);
}

function isDeliverable(d: unknown): d is DeliverableRow {
  return typeof d === 'object' && d !== null && typeof (d as { title?: unknown }).title === 'string';
}

/** A text field's value (empty for any other kind). */
export function textOf(v: Value | undefined): string {
  return typeof v === 'string' ? v : '';
}

const AUDIT = graphql(`
  query SetupAudit($city: ID!, $id: ID!, $first: Int) {
    auditLog(cityId: $city, filter: { entityId: $id }, first: $first) {
      edges {
        node {
          actorName
          at
          changes {
            field
            before
            after
          }
        }
      }
    }
  }
`);
type AuditNode = ResultOf<typeof AUDIT>['auditLog']['edges'][number]['node'];

/** Props of `EntityForm`. */
export interface EntityFormProps<O extends Versioned> {
  ctx: DeskCtx;
  spec: FormSpec<O>;
  /** The object as the page last read it; null to create one. */
  obj: O | null;
  /** A DOM id prefix unique on the page (fields are `<prefix>-<key>`). */
  prefix: string;
  title?: string;
  submitLabel: string;
  /** After a save: the object's id (the page reloads its data). */
  onSaved: (id: string, created: boolean) => void;
  /** Re-read the page's data (after CONFLICT, to see the other person's change). */
  onReload: () => void;
  onCancel?: () => void;
  /** Told every filling as it is typed (a program sums its plans' weights as you type). */
  onDraft?: (values: Values) => void;
  /** Archiving: the question to confirm (omit to offer no archive button). */
  archiveQuestion?: string;
  onArchived?: () => void;
}

/** The form. */
export function EntityForm<O extends Versioned>(props: EntityFormProps<O>): JSX.Element {
  const { ctx, spec, obj, prefix } = props;
  const w = useWords(ctx);
  const [base, setBase] = useState<O | null>(obj);
  const [values, setValues] = useState<Values>(() => spec.values(obj));
  // Someone else changed the object while it was being edited: the form now stands on their
  // version with this person's own changes on top, and says what the other person changed.
  const [conflict, setConflict] = useState(false);
  const [audit, setAudit] = useState<AuditNode[]>([]);
  const [savedVersion, setSavedVersion] = useState<number | null>(null);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<{ message: string; field: string | null } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const clean = spec.values(base);
  const changed = base ? changedKeys(spec.fields, values, clean) : [];

  // The page re-read its data (live, or after a save or a conflict).
  useEffect(() => {
    if (!obj || !base) return;
    if (savedVersion !== null && obj.version >= savedVersion) {
      setSavedVersion(null);
      setBase(obj);
      setValues(spec.values(obj));
      setConflict(false);
      return;
    }
    if (obj.version === base.version) return;
    if (changedKeys(spec.fields, values, spec.values(base)).length === 0) {
      setBase(obj);
      setValues(spec.values(obj));
      return;
    }
    const mine = changedKeys(spec.fields, values, spec.values(base));
    const rebased = spec.values(obj);
    for (const k of mine) rebased[k] = values[k]!;
    setValues(rebased);
    setBase(obj);
    setConflict(true);
    const steps = Math.max(1, Math.min(5, obj.version - base.version));
    gq(ctx, AUDIT, { city: ctx.cityId, id: obj.id, first: steps })
      .then((d) => setAudit(d.auditLog.edges.map((e) => e.node)))
      .catch(() => setAudit([]));
  }, [obj]);

  const set = (key: string, value: Value): void => {
    const next = { ...values, [key]: value };
    setValues(next);
    setDone(null);
    props.onDraft?.(next);
    if (serverError && names(serverError.field, key)) setServerError(null);
  };

  const problems = problemsOf(spec.fields, values, w);
  const show = (key: string): string | undefined =>
    (tried || touched[key] ? problems[key] : undefined) ?? (serverError && names(serverError.field, key) ? serverError.message : undefined);

  const save = async (): Promise<void> => {
    setTried(true);
    const first = spec.fields.find((f) => problems[f.key] && (!f.shown || f.shown(values)));
    if (first) {
      formRef.current?.querySelector<HTMLElement>(`#${prefix}-${first.key}`)?.focus();
      return;
    }
    const keys = base ? changed : null;
    if (keys && keys.length === 0) {
      setDone(w.form.nothingChanged);
      return;
    }
    setBusy(true);
    setServerError(null);
    try {
      let id: string;
      let newVersion: number;
      const main = keys ? keys.filter((k) => !spec.fields.find((f) => f.key === k)?.separate) : null;
      if (!base) {
        const r = await gq<Record<string, Versioned>>(
          ctx,
          `mutation SetupCreate($input: Create${spec.entity}Input!) { create${spec.entity}(input: $input) { id version } }`,
          { input: { ...spec.parent, ...inputOf(spec.fields, values) } },
        );
        ({ id, version: newVersion } = r[`create${spec.entity}`]!);
      } else if (main && main.length > 0) {
        const r = await gq<Record<string, Versioned>>(
          ctx,
          `mutation SetupUpdate($input: Update${spec.entity}Input!) { update${spec.entity}(input: $input) { id version } }`,
          { input: { id: base.id, expectedVersion: base.version, ...inputOf(spec.fields, values, main) } },
        );
        ({ id, version: newVersion } = r[`update${spec.entity}`]!);
      } else {
        id = base.id;
        newVersion = base.version;
      }
      if (spec.after) await spec.after(id, values, keys ?? spec.fields.filter((f) => !isEmpty(values[f.key])).map((f) => f.key));
      setConflict(false);
      setAudit([]);
      setTried(false);
      setTouched({});
      if (base) {
        setSavedVersion(newVersion);
        setDone(w.form.saved);
      } else setValues(spec.values(null));
      props.onSaved(id, !base);
      props.onReload();
    } catch (error) {
      if (error instanceof RequestError && error.code === 'CONFLICT') {
        props.onReload();
        setServerError({ message: w.form.conflictNotice, field: null });
      } else setServerError({ message: explain(error, ctx.w), field: fieldOf(error) });
    } finally {
      setBusy(false);
    }
  };

  const archive = async (): Promise<void> => {
    if (!base) return;
    setBusy(true);
    try {
      await gq(ctx, `mutation SetupArchive($input: VersionedInput!) { archive${spec.entity}(input: $input) { id } }`, {
        input: { id: base.id, expectedVersion: base.version },
      });
      props.onArchived?.();
      props.onReload();
    } catch (error) {
      if (error instanceof RequestError && error.code === 'CONFLICT') props.onReload();
      setServerError({ message: explain(error, ctx.w), field: null });
    } finally {
      setBusy(false);
    }
  };

  const fieldOfKey = (key: string): FieldDef | undefined =>
    spec.fields.find((f) => f.key === key || f.audit === key || f.key === `${key}Id` || f.key === `${key}Ids`);
  const known = spec.fields.filter((f) => !f.shown || f.shown(values)).map((f) => f.key);
  return (
    <form
      class="dk-panel dk-form su-form"
      id={`${prefix}-form`}
      ref={formRef}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {props.title ? <h3>{props.title}</h3> : null}
      {conflict && base ? (
        <div class="dk-notice dk-warn su-conflict" role="alert" id={`${prefix}-conflict`}>
          <p>
            <strong>{w.form.conflictTitle}</strong> {w.form.conflictWhat}
          </p>
          {audit.map((a) => (
            <div class="dk-quote">
              {w.form.changedBy(a.actorName ?? w.form.someone, when(ctx, a.at))}
              <ul class="su-changes">
                {a.changes
                  .filter((c) => fieldOfKey(c.field))
                  .map((c) => {
                    const f = fieldOfKey(c.field);
                    return (
                      <li>
                        {f?.label}: {sayValue(ctx, f, c.before, w)} → <strong>{sayValue(ctx, f, c.after, w)}</strong>
                      </li>
                    );
                  })}
              </ul>
            </div>
          ))}
          {changed.length ? (
            <ul class="su-changes">
              {changed.map((k) => {
                const f = fieldOfKey(k);
                return (
                  <li>
                    {f?.label}: {w.form.yours} <strong>{sayValue(ctx, f, values[k], w)}</strong> · {w.form.now}{' '}
                    {sayValue(ctx, f, clean[k], w)}
                  </li>
                );
              })}
            </ul>
          ) : null}
          <div class="dk-actions">
            <button type="button" class="dk-btn dk-primary" data-action="keep-mine" disabled={busy} onClick={() => void save()}>
              {w.form.keepMine}
            </button>
            <button
              type="button"
              class="dk-btn"
              data-action="take-theirs"
              onClick={() => {
                setValues(clean);
                setConflict(false);
                setServerError(null);
              }}
            >
              {w.form.takeTheirs}
            </button>
          </div>
        </div>
      ) : null}
      <div class="dk-grid">
        {spec.fields
          .filter((f) => !f.shown || f.shown(values))
          .map((f) => (
            <FieldBox
              ctx={ctx}
              f={f}
              id={`${prefix}-${f.key}`}
              value={values[f.key]}
              error={show(f.key)}
              set={set}
              onBlur={() => setTouched({ ...touched, [f.key]: true })}
            />
          ))}
      </div>
      {serverError && !known.some((k) => names(serverError.field, k)) ? <Notice kind="error">{serverError.message}</Notice> : null}
      {done ? <Notice kind="ok">{done}</Notice> : null}
      <div class="dk-actions">
        <button type="submit" class="dk-btn dk-primary" data-action="save" disabled={busy}>
          {busy ? w.form.saving : props.submitLabel}
        </button>
        {props.onCancel ? (
          <button type="button" class="dk-btn dk-quiet" data-action="cancel" onClick={props.onCancel}>
            {w.form.close}
          </button>
        ) : null}
        {base && props.archiveQuestion ? (
          <Confirm w={w} question={props.archiveQuestion} busy={busy} onConfirm={() => void archive()} />
        ) : null}
      </div>
    </form>
  );
}

/** Archive, asked once more in place. */
export function Confirm({
  w,
  question,
  busy,
  onConfirm,
}: {
  w: Words;
  question: string;
  busy?: boolean;
  onConfirm: () => void;
}): JSX.Element {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" class="dk-btn dk-danger-quiet" data-action="archive" onClick={() => setAsking(true)}>
        {w.form.archive}
      </button>
    );
  return (
    <span class="dk-confirm" role="group" aria-label={question}>
      <span>{question}</span>
      <button type="button" class="dk-btn dk-danger" data-action="archive-confirm" disabled={busy} onClick={onConfirm}>
        {w.form.archiveYes}
      </button>
      <button type="button" class="dk-btn dk-quiet" onClick={() => setAsking(false)}>
        {w.form.cancel}
      </button>
    </span>
  );
}

/** One labelled field with its hint or error underneath. */
export function FieldBox({
  ctx,
  f,
  id,
  value,
  error,
  set,
  onBlur,
}: {
  ctx: Pick<DeskCtx, 'lang' | 'f'>;
  f: FieldDef;
  id: string;
  value: Value | undefined;
  error: string | undefined;
  set: (key: string, value: Value) => void;
  onBlur: () => void;
}): JSX.Element {
  const w = useWords(ctx);
  const hintId = `${id}-h`;
  const common = {
    id,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': hintId,
    onBlur,
  };
  const text = typeof value === 'string' ? value : '';
  const hint = (
    <p id={hintId} class={error ? 'dk-error' : 'dk-hint'}>
      {error ?? f.hint ?? ''}
    </p>
  );
  const wide = f.wide || f.kind === 'textarea' || f.kind === 'multi' || f.kind === 'deliverables';
  if (f.kind === 'bool') {
    return (
      <div class={`dk-field${wide ? ' su-wide' : ''}`}>
        <label class="dk-check" for={id}>
          <input
            type="checkbox"
            {...common}
            checked={value === true}
            onChange={(e) => set(f.key, (e.target as HTMLInputElement).checked)}
          />
          {f.label}
        </label>
        {hint}
      </div>
    );
  }
  if (f.kind === 'multi') {
    const list = Array.isArray(value) ? (value as string[]) : [];
    return (
      <fieldset class="dk-field su-wide su-multi" id={id} aria-describedby={hintId}>
        <legend>{f.label}</legend>
        <div class="su-multi-list">
          {(f.options ?? []).map(([k, label]) => (
            <label class="dk-check">
              <input
                type="checkbox"
                checked={list.includes(k)}
                onChange={(e) => set(f.key, (e.target as HTMLInputElement).checked ? [...list, k] : list.filter((x) => x !== k))}
              />
              {label}
            </label>
          ))}
        </div>
        {hint}
      </fieldset>
    );
  }
  if (f.kind === 'deliverables') {
    const rows = Array.isArray(value) ? (value as DeliverableRow[]) : [];
    const put = (i: number, patch: Partial<DeliverableRow>): void =>
      set(
        f.key,
        rows.map((r, j) => (j === i ? { ...r, ...patch } : r)),
      );
    return (
      <fieldset class="dk-field su-wide" id={id} aria-describedby={hintId}>
        <legend>{f.label}</legend>
        <ol class="su-deliverables">
          {rows.map((r, i) => (
            <li class="su-deliverable">
              <label for={`${id}-${i}-t`}>{w.form.deliverableTitle(i + 1)}</label>
              <input
                id={`${id}-${i}-t`}
                type="text"
                value={r.title}
                onInput={(e) => put(i, { title: (e.target as HTMLInputElement).value })}
              />
              <label for={`${id}-${i}-d`}>{w.form.deliverableDue}</label>
              <input
                id={`${id}-${i}-d`}
                type="date"
                value={r.dueDate}
                onInput={(e) => put(i, { dueDate: (e.target as HTMLInputElement).value })}
              />
              <label class="dk-check">
                <input type="checkbox" checked={r.done} onChange={(e) => put(i, { done: (e.target as HTMLInputElement).checked })} />
                {w.form.deliverableDone}
              </label>
              <button
                type="button"
                class="dk-btn dk-quiet"
                onClick={() =>
                  set(
                    f.key,
                    rows.filter((_, j) => j !== i),
                  )
                }
              >
                {w.form.remove}
              </button>
            </li>
          ))}
        </ol>
        <button
          type="button"
          class="dk-btn"
          data-action="add-deliverable"
          onClick={() => set(f.key, [...rows, { title: '', dueDate: '', done: false }])}
        >
          {w.form.addDeliverable}
        </button>
        {hint}
      </fieldset>
    );
  }
  let input: JSX.Element;
  if (f.kind === 'select') {
    input = (
      <select {...common} value={text} onChange={(e) => set(f.key, (e.target as HTMLSelectElement).value)}>
        {f.empty !== undefined || !f.required ? <option value="">{f.empty ?? w.form.none}</option> : null}
        {(f.options ?? []).map(([k, label]) => (
          <option value={k}>{label}</option>
        ))}
      </select>
    );
  } else if (f.kind === 'textarea') {
    input = <textarea {...common} rows={3} value={text} onInput={(e) => set(f.key, (e.target as HTMLTextAreaElement).value)} />;
  } else {
    const numeric = f.kind === 'int' || f.kind === 'number' || f.kind === 'money';
    const onInput = (e: Event): void => set(f.key, (e.target as HTMLInputElement).value);
    input =
      f.kind === 'date' ? (
        <input {...common} type="date" value={text} onInput={onInput} />
      ) : (
        <input
          {...common}
          type="text"
          inputMode={f.kind === 'int' ? 'numeric' : numeric ? 'decimal' : undefined}
          autoComplete="off"
          value={text}
          onInput={onInput}
        />
      );
  }
  return (
    <div class={`dk-field${wide ? ' su-wide' : ''}`}>
      <label for={id}>
        {f.label}
        {f.required ? '' : <span class="dk-muted"> {w.form.optional}</span>}
      </label>
      {input}
      {f.kind === 'money' && !error && text && Number.isFinite(parseNumber(text, { grouped: true }) ?? NaN) ? (
        <p class="dk-hint">{sayValue(ctx, f, text, w)}</p>
      ) : null}
      {hint}
    </div>
  );
}

/** Reads `query` now and whenever `tick` changes (live), keeping the last answer while it reads again (variables: the city's id by default). */
export function useQuery<R, V>(ctx: DeskCtx, query: Doc<R, V>, tick: number, variables?: V): { data: R | null; error: string | null };
/** An untyped document: the caller names what it answers. */
export function useQuery<T>(
  ctx: DeskCtx,
  query: string,
  tick: number,
  variables?: Record<string, unknown>,
): { data: T | null; error: string | null };
export function useQuery<T>(
  ctx: DeskCtx,
  query: string,
  tick: number,
  variables: Record<string, unknown> = { city: ctx.cityId },
): { data: T | null; error: string | null } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    gq<T>(ctx, query, variables)
      .then((d) => {
        if (!alive) return;
        setData(d);
        setError(null);
      })
      .catch((e: unknown) => alive && setError(explain(e, ctx.w)));
    return () => {
      alive = false;
    };
  }, [tick, ctx.cityId, ctx.lang]);
  return { data, error };
}

/** A button that opens a create form in place (and the form closes itself after a save). */
export function AddForm<O extends Versioned>(
  props: Omit<EntityFormProps<O>, 'obj' | 'onCancel' | 'archiveQuestion' | 'onArchived'> & { label: string },
): JSX.Element {
  const [open, setOpen] = useState(false);
  const w = useWords(props.ctx);
  if (!open)
    return (
      <button type="button" class="dk-btn su-add" data-action={`add-${props.prefix}`} onClick={() => setOpen(true)}>
        + {props.label}
      </button>
    );
  return (
    <EntityForm
      {...props}
      obj={null}
      title={props.title ?? props.label}
      onCancel={() => setOpen(false)}
      onSaved={(id, created) => {
        setOpen(false);
        props.onSaved(id, created);
      }}
      submitLabel={props.submitLabel || w.form.add}
    />
  );
}

/** Rows of one kind of object, each with an "Ubah" button that opens its form in place. */
export function EditableList<O extends Versioned>({
  ctx,
  items,
  spec,
  prefix,
  summary,
  archiveQuestion,
  onChanged,
  reload,
  listId,
  dataKey,
  add,
  empty,
}: {
  ctx: DeskCtx;
  items: readonly O[];
  spec: FormSpec<O>;
  prefix: string;
  summary: (item: O) => JSX.Element;
  archiveQuestion: (item: O) => string;
  /** A sentence for what happened (saved, archived). */
  onChanged: (message: string) => void;
  reload: () => void;
  listId: string;
  /** `data-row` of each row (tests and people find a row by it). */
  dataKey: (item: O) => string;
  /** A create form above the list: its DOM prefix, its button and what it says once added. */
  add?: { prefix: string; label: string; done: string };
  /** Said when the list is empty. */
  empty?: string;
}): JSX.Element {
  const w = useWords(ctx);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <>
      {add ? (
        <AddForm
          ctx={ctx}
          spec={spec}
          prefix={add.prefix}
          label={add.label}
          submitLabel={add.label}
          onSaved={() => onChanged(add.done)}
          onReload={reload}
        />
      ) : null}
      {empty && items.length === 0 ? <p>{empty}</p> : null}
      <ul class="dk-list" id={listId}>
        {items.map((o) => (
          <li class="dk-item su-item" data-row={dataKey(o)} key={o.id}>
            <div class="su-item-head">
              {summary(o)}
              <button
                type="button"
                class="dk-btn"
                data-action="edit"
                aria-expanded={open === o.id}
                onClick={() => setOpen(open === o.id ? null : o.id)}
              >
                {open === o.id ? w.form.close : w.form.edit}
              </button>
            </div>
            {open === o.id ? (
              <EntityForm
                ctx={ctx}
                spec={spec}
                obj={o}
                prefix={`${prefix}-${o.id}`}
                submitLabel={w.form.saveChanges}
                onSaved={() => onChanged(w.form.savedNamed(dataKey(o)))}
                onReload={reload}
                onCancel={() => setOpen(null)}
                archiveQuestion={archiveQuestion(o)}
                onArchived={() => {
                  setOpen(null);
                  onChanged(w.form.archivedNamed(dataKey(o)));
                }}
              />
            ) : null}
          </li>
        ))}
      </ul>
    </>
  );
}
