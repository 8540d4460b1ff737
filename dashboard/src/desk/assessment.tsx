// "Penilaian mandiri": the city's self-assessment of a year against the ministry's rubric — the
// index as it stands, the items by evaluation dimension with their score, narrative, responsible
// OPD and evidence (data dukung: uploaded files and links), the gaps as readiness counts them, and
// the submission. City admins edit a draft; an OPD reporter adds evidence to the items its OPD
// answers for; everybody else (and everyone once it is submitted) reads.
import type { JSX } from 'preact';
import { graphql, type ResultOf } from '../api/document';
import { useEffect, useRef, useState } from 'preact/hooks';
import { RequestError } from '../api/http';
import { downloadEvidence, UploadError, uploadEvidence } from './evidence';
import { explain, fieldOf, gq, when, ymdIn, type DeskCtx } from './lib';
import { ConfirmButton, Notice } from './ui';
import { ReportPanel } from './report-panel';

const ATTACHMENT = graphql(`
  fragment DeskAttachment on EvidenceAttachment {
    id
    version
    attachedAt
    evidence {
      id
      kind
      title
      url
      size
      supplierName
      suppliedAt
      supplierOpd {
        abbreviation
      }
    }
  }
`);
const ASSESSMENT_QUERY = graphql(
  `
    query DeskAssessment($city: ID!, $year: Int!) {
      city(id: $city) {
        selfAssessments {
          id
          year
          status
        }
        selfAssessment(year: $year) {
          id
          version
          year
          status
          submittedAt
          index
          scoredItemCount
          assessorScoresVisible
          assessorIndex
          framework {
            id
            name
            scaleMin
            scaleMax
            dimensions {
              dimension
              label
              weight
            }
          }
          dimensions {
            dimension
            score
          }
          assessorDimensions {
            dimension
            score
          }
          items {
            id
            version
            score
            narrative
            scoredAt
            assessorScore
            assessorNotes
            responsibleOpd {
              id
              name
            }
            actionPlans {
              id
              title
            }
            quickWins {
              id
              name
            }
            rubricItem {
              code
              question
              expectedEvidence
              dimension
              supplierHint
            }
            evidence {
              ...DeskAttachment
            }
          }
        }
      }
    }
  `,
  ATTACHMENT,
);

type Assessment = NonNullable<ResultOf<typeof ASSESSMENT_QUERY>['city']['selfAssessment']>;
type Item = Assessment['items'][number];
type Other = ResultOf<typeof ASSESSMENT_QUERY>['city']['selfAssessments'][number];

// A request of its own: readiness loads attachments partially into the request's identity map, and
// the same request's `AssessmentItem.evidence { version }` would then come back null.
const READINESS_QUERY = graphql(`
  query DeskAssessmentReadiness($city: ID!, $year: Int!) {
    city(id: $city) {
      readiness(year: $year) {
        index
        scaleMax
        scoredCount
        itemCount
        daysToVisit
        visitStartDate
        gaps {
          unscored
          missingEvidence
        }
        dimensions {
          dimension
          gaps {
            unscored
            missingEvidence
          }
        }
        gapList {
          kind
          assessmentItemId
        }
      }
    }
  }
`);
type Readiness = ResultOf<typeof READINESS_QUERY>['city']['readiness'];
const UPDATE_ITEM = graphql(`
  mutation DeskAssessmentItem($input: UpdateAssessmentItemInput!) {
    updateAssessmentItem(input: $input) {
      id
      version
    }
  }
`);
const SUBMIT = graphql(`
  mutation DeskSubmitAssessment($input: VersionedInput!) {
    submitSelfAssessment(input: $input) {
      id
      status
    }
  }
`);
const START = graphql(`
  mutation DeskStartAssessment($input: StartSelfAssessmentInput!) {
    startSelfAssessment(input: $input) {
      id
    }
  }
`);
const FRAMEWORKS = graphql(`
  query DeskFrameworks($year: Int!) {
    evaluationFrameworks(year: $year) {
      id
      name
      revision
      scaleMax
    }
  }
`);
const ADD_LINK = graphql(`
  mutation DeskEvidenceLink($input: AddEvidenceLinkInput!) {
    addEvidenceLink(input: $input) {
      id
    }
  }
`);
const ATTACH = graphql(`
  mutation DeskAttach($input: AttachEvidenceInput!) {
    attachEvidence(input: $input) {
      id
    }
  }
`);
const DETACH = graphql(`
  mutation DeskDetach($input: VersionedInput!) {
    detachEvidence(input: $input) {
      id
    }
  }
`);

/** The page: the year's self-assessment (`&tahun=YYYY`, default the city's current year). */
export function AssessmentPage({ ctx, year: asked }: { ctx: DeskCtx; year: number | null }): JSX.Element {
  const w = ctx.w.assessment;
  const thisYear = Number(ymdIn(new Date().toISOString(), ctx.city.timeZone).slice(0, 4));
  const year = asked ?? thisYear;
  const [data, setData] = useState<{ assessment: Assessment | null; readiness: Readiness; others: Other[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dirty, setDirty] = useState<ReadonlySet<string>>(new Set());
  const [onlyGaps, setOnlyGaps] = useState(false);
  const manage = ctx.me.permissions.includes('city:manage');

  const reload = (): Promise<void> =>
    Promise.all([gq(ctx, ASSESSMENT_QUERY, { city: ctx.cityId, year }), gq(ctx, READINESS_QUERY, { city: ctx.cityId, year })])
      .then(([d, r]) => {
        setData({ assessment: d.city.selfAssessment, readiness: r.city.readiness, others: d.city.selfAssessments });
        setError(null);
      })
      .catch((e: unknown) => setError(explain(e, ctx.w)));
  useEffect(() => {
    document.title = `${w.docTitle(year)} — Pantau`;
  }, [year, w]);
  // Again when the language changes: the dimension labels come from the API in the request's language.
  useEffect(() => {
    void reload();
  }, [ctx.cityId, year, ctx.lang]);

  const markDirty = (id: string, on: boolean): void =>
    setDirty((set) => {
      if (set.has(id) === on) return set;
      const next = new Set(set);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  if (!data) return error ? <Notice kind="error">{error}</Notice> : <p role="status">{w.loading}</p>;
  const { assessment: a, readiness: r } = data;
  const others = data.others.filter((o) => o.year !== year);
  const editable = manage && a?.status === 'DRAFT';
  const withGaps = new Set(r.gapList.flatMap((g) => (g.assessmentItemId ? [g.assessmentItemId] : [])));
  return (
    <section aria-labelledby="assessment-title" class="dk-assessment">
      <h1 id="assessment-title">{w.title(ctx.city.name, year)}</h1>
      {a ? <p class="dk-lead">{a.framework.name}</p> : null}
      {error ? <Notice kind="error">{error}</Notice> : null}
      {a ? (
        <Summary ctx={ctx} a={a} r={r} current={year === thisYear} />
      ) : (
        <StartPanel ctx={ctx} year={year} manage={manage} others={others} onStarted={() => void reload()} />
      )}
      <ReportPanel ctx={ctx} year={year} />
      {others.length ? (
        <p class="dk-meta" id="other-years">
          {w.others}{' '}
          {others.map((o, i) => (
            <>
              {i ? ' · ' : ''}
              <a href={`#halaman=penilaian&tahun=${o.year}`}>
                {o.year} ({w.statuses[o.status]})
              </a>
            </>
          ))}
          {year !== thisYear && !others.some((o) => o.year === thisYear) ? (
            <>
              {' · '}
              <a href="#halaman=penilaian">{w.thisYear}</a>
            </>
          ) : null}
        </p>
      ) : null}
      {a && !editable ? (
        <Notice kind="info" id="read-only">
          {a.status === 'SUBMITTED'
            ? w.submittedReadOnly(a.submittedAt ? when(ctx, a.submittedAt) : null)
            : w.readOnly(ctx.w.roles[ctx.me.role])}
        </Notice>
      ) : null}
      {a && withGaps.size ? (
        <label class="dk-check" id="only-gaps">
          <input type="checkbox" checked={onlyGaps} onChange={(e) => setOnlyGaps((e.target as HTMLInputElement).checked)} />
          {w.onlyGaps(ctx.f.int(withGaps.size), ctx.f.int(a.items.length))}
        </label>
      ) : null}
      {a
        ? a.framework.dimensions.map((d) => {
            const items = a.items.filter((i) => i.rubricItem.dimension === d.dimension);
            // Hidden, not unmounted: what was typed in a filtered-out item stays.
            const shown = items.filter((i) => !onlyGaps || withGaps.has(i.id));
            const gaps = r.dimensions.find((x) => x.dimension === d.dimension)?.gaps;
            const score = a.dimensions.find((x) => x.dimension === d.dimension)?.score ?? 0;
            const assessor = a.assessorDimensions?.find((x) => x.dimension === d.dimension)?.score;
            return (
              <section class="dk-dimension" aria-labelledby={`dim-${d.dimension}`} data-dimension={d.dimension}>
                <h2 id={`dim-${d.dimension}`}>
                  {d.label} <span class="dk-muted">· {w.weight(ctx.f.percent(d.weight))}</span>
                </h2>
                <p class="dk-meta">
                  {w.dimensionScore(ctx.f.index(score), ctx.f.int(a.framework.scaleMax))}
                  {a.assessorScoresVisible && assessor !== undefined ? w.assessorScore(ctx.f.index(assessor)) : ''}
                  {gaps ? w.dimensionGaps(ctx.f.int(gaps.unscored), ctx.f.int(gaps.missingEvidence)) : ''}
                </p>
                {shown.length === 0 ? <p class="dk-empty">{w.dimensionComplete}</p> : null}
                <ul class="dk-cards">
                  {items.map((item) => (
                    <ItemCard
                      key={item.id}
                      hidden={!shown.includes(item)}
                      ctx={ctx}
                      a={a}
                      item={item}
                      gaps={r.gapList.filter((g) => g.assessmentItemId === item.id).map((g) => g.kind)}
                      editable={editable}
                      supply={
                        a.status === 'DRAFT' &&
                        (manage || (ctx.me.permissions.includes('progress:report:own-opd') && item.responsibleOpd?.id === ctx.me.opdId))
                      }
                      onChanged={reload}
                      onDirty={(on) => markDirty(item.id, on)}
                    />
                  ))}
                </ul>
              </section>
            );
          })
        : null}
      {a && editable ? <SubmitPanel ctx={ctx} a={a} r={r} unsaved={dirty.size} onSubmitted={() => void reload()} /> : null}
    </section>
  );
}

/** The header figures: the index as it stands, scored items, gaps, the visit, the status. */
function Summary({ ctx, a, r, current }: { ctx: DeskCtx; a: Assessment; r: Readiness; current: boolean }): JSX.Element {
  const f = ctx.f;
  const w = ctx.w.assessment;
  const visit = r.daysToVisit === null ? w.notScheduled : r.daysToVisit === 0 ? w.underWay : w.inDays(f.days(r.daysToVisit));
  return (
    <dl class="dk-stats" id="assessment-summary">
      <div>
        <dt>{a.status === 'DRAFT' ? w.indexNow : w.indexOwn}</dt>
        <dd id="assessment-index">{w.of(f.index(a.index), f.int(a.framework.scaleMax))}</dd>
      </div>
      {a.assessorScoresVisible && a.assessorIndex !== null ? (
        <div>
          <dt>{w.indexAssessor}</dt>
          <dd id="assessor-index">{w.of(f.index(a.assessorIndex), f.int(a.framework.scaleMax))}</dd>
        </div>
      ) : null}
      <div>
        <dt>{w.scored}</dt>
        <dd id="assessment-scored">{w.of(f.int(a.scoredItemCount), f.int(a.items.length))}</dd>
      </div>
      <div>
        <dt>{w.unscored}</dt>
        <dd id="gap-unscored">{f.int(r.gaps.unscored)}</dd>
      </div>
      <div>
        <dt>{w.noEvidence}</dt>
        <dd id="gap-evidence">{f.int(r.gaps.missingEvidence)}</dd>
      </div>
      {/* The countdown is to the next visit: worth showing only for this year's assessment. */}
      <div hidden={!current}>
        <dt>{w.visit}</dt>
        <dd id="assessment-visit">
          {visit}
          {r.visitStartDate && r.daysToVisit ? <span class="dk-stat-note">{f.date(r.visitStartDate, 'long')}</span> : null}
        </dd>
      </div>
      <div>
        <dt>{w.status}</dt>
        <dd id="assessment-status" data-status={a.status}>
          {w.statuses[a.status]}
        </dd>
      </div>
    </dl>
  );
}

interface Form {
  score: string;
  narrative: string;
  opd: string;
}

function formOf(item: Item): Form {
  return { score: item.score === null ? '' : String(item.score), narrative: item.narrative ?? '', opd: item.responsibleOpd?.id ?? '' };
}

const sameForm = (x: Form, y: Form): boolean => x.score === y.score && x.narrative.trim() === y.narrative.trim() && x.opd === y.opd;

/** The scores offered: the scale in half steps (and the current score, if it falls between). */
function scoreOptions(min: number, max: number, current: number | null): number[] {
  const out: number[] = [];
  for (let s = min; s <= max + 1e-9; s += 0.5) out.push(Math.round(s * 2) / 2);
  if (current !== null && !out.includes(current)) out.push(current);
  return out.sort((p, q) => p - q);
}

function ItemCard({
  ctx,
  a,
  item,
  hidden,
  gaps,
  editable,
  supply,
  onChanged,
  onDirty,
}: {
  ctx: DeskCtx;
  a: Assessment;
  item: Item;
  hidden: boolean;
  gaps: string[];
  editable: boolean;
  supply: boolean;
  onChanged: () => Promise<void>;
  onDirty: (on: boolean) => void;
}): JSX.Element {
  const [base, setBase] = useState<Form & { version: number }>(() => ({ ...formOf(item), version: item.version }));
  const [form, setForm] = useState<Form>(() => formOf(item));
  const [mine, setMine] = useState<Form | null>(null);
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error' | 'warn'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const reset = useRef(false);
  const changed = !sameForm(form, base);
  useEffect(() => onDirty(changed), [changed]);
  // A newer version from the server: take it, unless the person is typing (then saving answers CONFLICT).
  useEffect(() => {
    if (item.version === base.version) return;
    if (!changed || reset.current) {
      reset.current = false;
      setBase({ ...formOf(item), version: item.version });
      setForm(formOf(item));
    }
  }, [item.version]);

  const code = item.rubricItem.code;
  const id = `item-${code}`;
  const f = ctx.f;
  const w = ctx.w.assessment;
  const scale = a.framework;
  const save = (event: Event): void => {
    event.preventDefault();
    const input: Record<string, unknown> = { id: item.id, expectedVersion: base.version };
    if (form.score !== base.score) input['score'] = form.score === '' ? null : Number(form.score);
    if (form.narrative.trim() !== base.narrative.trim()) input['narrative'] = form.narrative.trim() || null;
    if (form.opd !== base.opd) input['responsibleOpdId'] = form.opd || null;
    setBusy(true);
    setMsg(null);
    gq(ctx, UPDATE_ITEM, { input })
      .then(async (d) => {
        setBase({ ...form, version: d.updateAssessmentItem.version });
        setMine(null);
        setMsg({ kind: 'ok', text: w.itemSaved(code) });
        await onChanged();
      })
      .catch(async (e: unknown) => {
        if (e instanceof RequestError && e.code === 'CONFLICT') {
          // Show what the other person saved; keep what was typed one click away.
          setMine(form);
          reset.current = true;
          setMsg({ kind: 'warn', text: w.conflict });
          await onChanged();
        } else
          setMsg({
            kind: 'error',
            text: fieldOf(e) === 'score' ? w.scoreRange(scale.scaleMin, scale.scaleMax) : explain(e, ctx.w),
          });
      })
      .finally(() => setBusy(false));
  };

  return (
    <li class="dk-card dk-item-card" id={id} data-item={item.id} data-code={code} hidden={hidden}>
      <div class="dk-card-head">
        <h3 class="dk-card-title">
          <span class="dk-code">{code}</span> {item.rubricItem.question}
        </h3>
        <span class="dk-gaps" data-gaps={gaps.join(' ')}>
          {gaps.includes('UNSCORED') ? (
            <span class="dk-gap">
              <span aria-hidden="true">!</span> {w.gapUnscored}
            </span>
          ) : null}
          {gaps.includes('MISSING_EVIDENCE') ? (
            <span class="dk-gap">
              <span aria-hidden="true">!</span> {w.gapEvidence}
            </span>
          ) : null}
          {gaps.length === 0 ? (
            <span class="dk-gap dk-gap-ok">
              <span aria-hidden="true">✓</span> {w.complete}
            </span>
          ) : null}
        </span>
      </div>
      <p class="dk-meta">
        <strong>{w.expected}</strong> {item.rubricItem.expectedEvidence}
        {item.rubricItem.supplierHint ? w.usuallyFrom(item.rubricItem.supplierHint) : ''}
      </p>
      {item.actionPlans.length || item.quickWins.length ? (
        <p class="dk-meta">
          {w.supportedBy} {[...item.actionPlans.map((p) => w.plan(p.title)), ...item.quickWins.map((q) => w.quickWin(q.name))].join('; ')}
        </p>
      ) : null}
      {a.assessorScoresVisible && (item.assessorScore !== null || item.assessorNotes) ? (
        <p class="dk-review" data-assessor>
          {w.assessorItemScore} <strong>{item.assessorScore === null ? '—' : f.index(item.assessorScore)}</strong>
          {item.assessorNotes ? ` · “${item.assessorNotes}”` : ''}
        </p>
      ) : null}
      {editable ? (
        <form class="dk-item-form" onSubmit={save} noValidate>
          {msg?.kind === 'warn' ? (
            <div class="dk-notice dk-warn" role="alert" data-conflict>
              <p>
                <strong>{msg.text}</strong>
              </p>
              {mine ? (
                <p>
                  {w.yours} {mine.score === '' ? w.empty : f.index(Number(mine.score))}
                  {mine.narrative.trim() ? w.yourNarrative(mine.narrative.trim().slice(0, 120)) : ''}.{' '}
                  <button
                    type="button"
                    class="dk-btn"
                    onClick={() => {
                      setForm(mine);
                      setMine(null);
                      setMsg(null);
                    }}
                  >
                    {w.useMine}
                  </button>
                </p>
              ) : null}
            </div>
          ) : null}
          <div class="dk-grid">
            <div class="dk-field">
              <label for={`${id}-score`}>
                {w.score} ({scale.scaleMin}–{scale.scaleMax})
              </label>
              <select
                id={`${id}-score`}
                value={form.score}
                onChange={(e) => setForm({ ...form, score: (e.target as HTMLSelectElement).value })}
              >
                <option value="">{w.notScored}</option>
                {scoreOptions(scale.scaleMin, scale.scaleMax, item.score).map((s) => (
                  <option value={String(s)}>{f.index(s)}</option>
                ))}
              </select>
            </div>
            <div class="dk-field">
              <label for={`${id}-opd`}>{w.responsible}</label>
              <select id={`${id}-opd`} value={form.opd} onChange={(e) => setForm({ ...form, opd: (e.target as HTMLSelectElement).value })}>
                <option value="">{w.nobody}</option>
                {ctx.city.opds.map((o) => (
                  <option value={o.id}>{o.name}</option>
                ))}
              </select>
            </div>
          </div>
          <div class="dk-field">
            <label for={`${id}-narrative`}>{w.narrativeLabel}</label>
            <textarea
              id={`${id}-narrative`}
              rows={3}
              maxLength={10_000}
              value={form.narrative}
              onInput={(e) => setForm({ ...form, narrative: (e.target as HTMLTextAreaElement).value })}
            />
          </div>
          {msg && msg.kind !== 'warn' ? <Notice kind={msg.kind}>{msg.text}</Notice> : null}
          <div class="dk-actions">
            {changed || busy ? (
              <>
                <button type="submit" class="dk-btn dk-primary" disabled={busy} data-action="save-item">
                  {busy ? w.saving : w.save(code)}
                </button>
                <span class="dk-warn-text">{w.unsavedItem}</span>
              </>
            ) : (
              <span class="dk-muted dk-saved">{w.allSaved}</span>
            )}
          </div>
        </form>
      ) : (
        <dl class="dk-answer">
          <div>
            <dt>{w.score}</dt>
            <dd data-score>{item.score === null ? w.notScored : w.scoreOf(f.index(item.score), f.int(scale.scaleMax))}</dd>
          </div>
          <div>
            <dt>{w.responsibleShort}</dt>
            <dd>{item.responsibleOpd?.name ?? w.nobody}</dd>
          </div>
          <div class="dk-answer-wide">
            <dt>{w.narrative}</dt>
            <dd>{item.narrative ?? w.noNarrative}</dd>
          </div>
        </dl>
      )}
      <EvidenceSection ctx={ctx} item={item} supply={supply} onChanged={onChanged} />
    </li>
  );
}

/** The item's evidence: who supplied it and when, download or open, detach; and adding more. */
function EvidenceSection({
  ctx,
  item,
  supply,
  onChanged,
}: {
  ctx: DeskCtx;
  item: Item;
  supply: boolean;
  onChanged: () => Promise<void>;
}): JSX.Element {
  const [msg, setMsg] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const code = item.rubricItem.code;
  const w = ctx.w.assessment;
  const run = (key: string, work: () => Promise<string>): void => {
    setBusy(key);
    setMsg(null);
    work()
      .then(async (text) => {
        setMsg({ kind: 'ok', text });
        await onChanged();
      })
      .catch((e: unknown) => setMsg({ kind: 'error', text: e instanceof UploadError ? e.message : explain(e, ctx.w) }))
      .finally(() => setBusy(null));
  };
  const attach = (evidenceId: string): Promise<unknown> => gq(ctx, ATTACH, { input: { evidenceId, assessmentItemId: item.id } });
  return (
    <div class="dk-evidence" aria-label={w.evidenceGroup(code)} role="group">
      <h4>{w.evidence(ctx.f.int(item.evidence.length))}</h4>
      {item.evidence.length === 0 ? <p class="dk-muted">{w.noItemEvidence}</p> : null}
      <ul class="dk-evidence-list">
        {item.evidence.map((at) => {
          const e = at.evidence;
          return (
            <li data-evidence={e.id} data-kind={e.kind}>
              <div class="dk-evidence-main">
                {e.kind === 'LINK' && e.url ? (
                  <a href={e.url} target="_blank" rel="noopener noreferrer">
                    <span class="dk-kind">{w.link}</span> {e.title}
                  </a>
                ) : (
                  <button
                    type="button"
                    class="dk-link"
                    onClick={() =>
                      void downloadEvidence(ctx, e.id, e.title).catch((err: unknown) =>
                        setMsg({ kind: 'error', text: err instanceof UploadError ? err.message : explain(err, ctx.w) }),
                      )
                    }
                  >
                    <span class="dk-kind">{w.file}</span> {e.title}
                    {e.size !== null ? (
                      <span class="dk-muted">
                        &nbsp;({sizeText(e.size, ctx.f.locale)}) · {w.download}
                      </span>
                    ) : null}
                  </button>
                )}
                <span class="dk-meta">
                  {w.from(e.supplierName)}
                  {e.supplierOpd ? ` (${e.supplierOpd.abbreviation})` : ''} · {when(ctx, e.suppliedAt)}
                </span>
              </div>
              {supply ? (
                <ConfirmButton
                  label={w.detach}
                  question={w.detachQuestion(code)}
                  confirmLabel={w.detachConfirm}
                  name="detach"
                  busy={busy === at.id}
                  onConfirm={() =>
                    run(at.id, () =>
                      gq(ctx, DETACH, { input: { id: at.id, expectedVersion: at.version } }).then(() => w.detached(e.title, code)),
                    )
                  }
                />
              ) : null}
            </li>
          );
        })}
      </ul>
      {msg ? <Notice kind={msg.kind}>{msg.text}</Notice> : null}
      {supply ? (
        <details class="dk-add-evidence">
          <summary>{w.add}</summary>
          <div class="dk-grid">
            <UploadForm
              w={w}
              code={code}
              busy={busy === 'upload'}
              onFile={(file) =>
                run('upload', async () => {
                  await attach(await uploadEvidence(ctx, file));
                  return w.fileAttached(file.name, code);
                })
              }
            />
            <LinkForm
              w={w}
              code={code}
              busy={busy === 'link'}
              onLink={(title, url) =>
                run('link', async () => {
                  const d = await gq(ctx, ADD_LINK, { input: { cityId: ctx.cityId, title, url } });
                  await attach(d.addEvidenceLink.id);
                  return w.linkAttached(title, code);
                })
              }
            />
          </div>
        </details>
      ) : null}
    </div>
  );
}

function sizeText(bytes: number, locale: string): string {
  const n = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  return bytes < 1024 ? `${n.format(bytes)} B` : bytes < 1_048_576 ? `${n.format(bytes / 1024)} KB` : `${n.format(bytes / 1_048_576)} MB`;
}

/** The assessment page's words. */
type Words = DeskCtx['w']['assessment'];

function UploadForm({ w, code, busy, onFile }: { w: Words; code: string; busy: boolean; onFile: (file: File) => void }): JSX.Element {
  const input = useRef<HTMLInputElement>(null);
  const [missing, setMissing] = useState(false);
  const [chosen, setChosen] = useState<string | null>(null);
  const id = `upload-${code}`;
  return (
    <form
      class="dk-upload"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const file = input.current?.files?.[0];
        setMissing(!file);
        if (!file) return;
        onFile(file);
        if (input.current) input.current.value = '';
        setChosen(null);
      }}
    >
      <div class="dk-field">
        <span class="dk-label">{w.upload}</span>
        <input
          id={id}
          class="dk-file"
          type="file"
          ref={input}
          aria-describedby={`${id}-hint`}
          onChange={() => {
            setChosen(input.current?.files?.[0]?.name ?? null);
            setMissing(false);
          }}
        />
        <label for={id} class="dk-btn dk-file-button">
          {w.choose}
        </label>{' '}
        <span class="dk-file-name">{chosen ?? w.noFile}</span>
        <p id={`${id}-hint`} class={missing ? 'dk-error' : 'dk-hint'}>
          {missing ? w.chooseFirst : w.fileKinds}
        </p>
      </div>
      <button type="submit" class="dk-btn" disabled={busy} data-action="upload">
        {busy ? w.uploading : w.uploadAttach}
      </button>
    </form>
  );
}

function LinkForm({
  w,
  code,
  busy,
  onLink,
}: {
  w: Words;
  code: string;
  busy: boolean;
  onLink: (title: string, url: string) => void;
}): JSX.Element {
  const [title, setTitle] = useState('');
  const [url, setUrl] = useState('');
  const [tried, setTried] = useState(false);
  const problem = !title.trim() ? w.noLinkTitle : !/^https?:\/\/\S+\.\S+/.test(url.trim()) ? w.badUrl : null;
  const id = `link-${code}`;
  return (
    <form
      class="dk-link-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (problem) return;
        onLink(title.trim(), url.trim());
        setTitle('');
        setUrl('');
        setTried(false);
      }}
    >
      <div class="dk-field">
        <label for={`${id}-title`}>{w.linkTitle}</label>
        <input
          id={`${id}-title`}
          type="text"
          maxLength={255}
          value={title}
          onInput={(e) => setTitle((e.target as HTMLInputElement).value)}
        />
      </div>
      <div class="dk-field">
        <label for={`${id}-url`}>{w.url}</label>
        <input
          id={`${id}-url`}
          type="url"
          inputMode="url"
          value={url}
          aria-describedby={`${id}-hint`}
          aria-invalid={tried && problem ? 'true' : undefined}
          onInput={(e) => setUrl((e.target as HTMLInputElement).value)}
        />
        <p id={`${id}-hint`} class={tried && problem ? 'dk-error' : 'dk-hint'}>
          {tried && problem ? problem : w.urlHint}
        </p>
      </div>
      <button type="submit" class="dk-btn" disabled={busy} data-action="add-link">
        {busy ? w.adding : w.addLink}
      </button>
    </form>
  );
}

/** Submitting (city admins): says what is still missing first; afterwards the page is read-only. */
function SubmitPanel({
  ctx,
  a,
  r,
  unsaved,
  onSubmitted,
}: {
  ctx: DeskCtx;
  a: Assessment;
  r: Readiness;
  unsaved: number;
  onSubmitted: () => void;
}): JSX.Element {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const f = ctx.f;
  const w = ctx.w.assessment;
  return (
    <section class="dk-panel" id="submit-panel" aria-labelledby="submit-title">
      <h2 id="submit-title">{w.submitTitle(a.year)}</h2>
      <p>
        {w.submitText(f.index(a.index), f.int(a.framework.scaleMax))}
        {r.gaps.unscored || r.gaps.missingEvidence
          ? w.stillMissing(f.int(r.gaps.unscored), f.int(r.gaps.missingEvidence))
          : w.nothingMissing}
      </p>
      {unsaved ? <Notice kind="error">{w.unsaved(f.int(unsaved))}</Notice> : null}
      {error ? <Notice kind="error">{error}</Notice> : null}
      <ConfirmButton
        label={w.submit}
        question={w.submitQuestion}
        confirmLabel={w.submitConfirm}
        name="submit"
        busy={busy || unsaved > 0}
        onConfirm={() => {
          setBusy(true);
          gq(ctx, SUBMIT, { input: { id: a.id, expectedVersion: a.version } })
            .then(onSubmitted)
            .catch((e: unknown) => setError(explain(e, ctx.w)))
            .finally(() => setBusy(false));
        }}
      />
    </section>
  );
}

/** No self-assessment for the year: a city admin starts one (copying another year's if wanted). */
function StartPanel({
  ctx,
  year,
  manage,
  others,
  onStarted,
}: {
  ctx: DeskCtx;
  year: number;
  manage: boolean;
  others: Other[];
  onStarted: () => void;
}): JSX.Element {
  const [frameworks, setFrameworks] = useState<{ id: string; name: string }[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const source = others.filter((o) => o.year < year).sort((p, q) => q.year - p.year)[0] ?? null;
  const [copy, setCopy] = useState(true);
  const w = ctx.w.assessment;
  useEffect(() => {
    if (!manage) return;
    gq(ctx, FRAMEWORKS, { year })
      .then((d) => setFrameworks(d.evaluationFrameworks))
      .catch((e: unknown) => setError(explain(e, ctx.w)));
  }, [year, manage]);
  if (!manage) return <Notice kind="info">{w.notStartedRead(year)}</Notice>;
  const framework = frameworks?.[0];
  return (
    <div class="dk-panel" id="start-panel">
      <h2>{w.notStarted(year)}</h2>
      {error ? <Notice kind="error">{error}</Notice> : null}
      {!frameworks ? (
        <p role="status">{w.loadingFrameworks}</p>
      ) : !framework ? (
        <p>{w.noFramework(year)}</p>
      ) : (
        <>
          <p>{w.uses(framework.name)}</p>
          {source ? (
            <label class="dk-check">
              <input type="checkbox" checked={copy} onChange={(e) => setCopy((e.target as HTMLInputElement).checked)} />
              {w.copyFrom(source.year)}
            </label>
          ) : null}
          <button
            type="button"
            class="dk-btn dk-primary"
            id="start-assessment"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              gq(ctx, START, { input: { cityId: ctx.cityId, frameworkId: framework.id, copyFromId: copy && source ? source.id : null } })
                .then(onStarted)
                .catch((e: unknown) => setError(explain(e, ctx.w)))
                .finally(() => setBusy(false));
            }}
          >
            {busy ? w.starting : w.start}
          </button>
        </>
      )}
    </div>
  );
}
