import { ActionPlanState } from '../action-plans/state';
import { ProgressBasis } from '../overview/overview';
import type { MonevReport, ReportLink, ReportPlan } from './monev-data';
import { reportWords, type ReportWords } from './words';

/*
 * The monev report as one HTML page designed for print (A4): page numbers in the page margin,
 * table headers repeated on every page (`thead`), rows that do not split, charts as inline SVG.
 * No script at all, and every text from the database is escaped: a narrative holding markup shows
 * as text. Figures carry `data-figure` and their raw value in `data-value`, so a test (or a
 * reader's tool) can check them against the API.
 */

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const e = escapeHtml;

/** A figure: its formatted text, with its raw value for machines. */
function figure(name: string, value: number | null, text: string): string {
  return `<span data-figure="${e(name)}" data-value="${value === null ? '' : String(value)}">${e(text)}</span>`;
}

/** A link only when it is http(s) or a path of ours: never `javascript:` or `data:`. */
function link(l: ReportLink): string {
  const safe = /^(https?:\/\/|\/uploads\/)/i.test(l.href);
  return safe ? `<a href="${e(l.href)}">${e(l.title)}</a>` : e(l.title);
}

function links(list: readonly ReportLink[]): string {
  return list.length === 0 ? '' : `<ul class="links">${list.map((l) => `<li>${link(l)}</li>`).join('')}</ul>`;
}

/** Multi-line text as paragraphs (escaped). */
function paragraphs(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((p) => `<p>${e(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

/** A horizontal bar chart of percentages as inline SVG. */
function barChart(rows: readonly { label: string; value: number }[], w: ReportWords): string {
  const rowHeight = 22;
  const labelWidth = 190;
  const barWidth = 380;
  const height = rows.length * rowHeight + 8;
  const bars = rows
    .map((r, i) => {
      const y = 4 + i * rowHeight;
      const width = Math.max(0, Math.min(100, r.value)) * (barWidth / 100);
      return (
        `<text x="${labelWidth - 8}" y="${y + 14}" text-anchor="end">${e(r.label)}</text>` +
        `<rect x="${labelWidth}" y="${y + 3}" width="${barWidth}" height="14" class="track"/>` +
        `<rect x="${labelWidth}" y="${y + 3}" width="${width.toFixed(1)}" height="14" class="bar"/>` +
        `<text x="${labelWidth + barWidth + 6}" y="${y + 14}">${e(w.num(r.value))} %</text>`
      );
    })
    .join('');
  return `<svg class="chart" viewBox="0 0 ${labelWidth + barWidth + 60} ${height}" width="100%" role="img">${bars}</svg>`;
}

/** A stacked bar of the plans' states as inline SVG, with its legend. */
function stateChart(report: MonevReport, w: ReportWords): string {
  const c = report.counts;
  const parts = [
    { key: ActionPlanState.DONE, value: c.done, cls: 'done' },
    { key: ActionPlanState.ON_TRACK, value: c.onTrack, cls: 'ontrack' },
    { key: ActionPlanState.NOT_STARTED, value: c.notStarted, cls: 'notstarted' },
    { key: ActionPlanState.LATE, value: c.late, cls: 'late' },
  ];
  const width = 600;
  let x = 0;
  const rects = parts
    .map((p) => {
      const part = c.total > 0 ? (p.value / c.total) * width : 0;
      const rect = `<rect x="${x.toFixed(1)}" y="0" width="${part.toFixed(1)}" height="18" class="${p.cls}"/>`;
      x += part;
      return rect;
    })
    .join('');
  const legend = parts
    .map(
      (p) => `<li><span class="swatch ${p.cls}"></span>${e(w.state(p.key))}: ${figure(`count:${p.key}`, p.value, w.num(p.value, 0))}</li>`,
    )
    .join('');
  return `<svg class="chart" viewBox="0 0 ${width} 18" width="100%" role="img">${rects}</svg><ul class="legend">${legend}<li>${e(w.w('total'))}: ${figure('count:TOTAL', c.total, w.num(c.total, 0))}</li></ul>`;
}

function table(head: readonly string[], rows: readonly string[], empty: string, cls = ''): string {
  if (rows.length === 0) return `<p class="empty">${e(empty)}</p>`;
  return `<table class="${cls}"><thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function summary(r: MonevReport, w: ReportWords): string {
  const g = r.readiness.gaps;
  const visit = r.visit ? `${e(w.date(r.visit.startDate))} – ${e(w.date(r.visit.endDate))} (${e(r.visit.evaluator)})` : e(w.w('visitNone'));
  const days =
    r.daysToVisit === null
      ? e(r.visit ? w.w('visitOver') : '—')
      : r.daysToVisit === 0
        ? `${figure('daysToVisit', 0, '0')} (${e(w.w('visitRunning'))})`
        : figure('daysToVisit', r.daysToVisit, w.num(r.daysToVisit, 0));
  const gapRow = (key: Parameters<ReportWords['w']>[0], name: string, value: number) =>
    `<tr><td>${e(w.w(key))}</td><td class="num">${figure(name, value, w.num(value, 0))}</td></tr>`;
  return `<section class="summary"><h2 id="summary">${e(w.w('summary'))}</h2>
<div class="kpis">
<div class="kpi"><div class="label">${e(w.w('cityProgress'))}</div><div class="value">${figure('progress', r.progress, `${w.num(r.progress)} %`)}</div></div>
<div class="kpi"><div class="label">${e(w.w('index'))}</div><div class="value">${figure('index', r.readiness.index, w.num(r.readiness.index, 2))}</div>
<div class="note">${e(w.w('scored', { scored: r.readiness.scoredCount, items: r.readiness.itemCount }))} · ${e(`${r.readiness.scaleMin}–${r.readiness.scaleMax}`)}</div></div>
<div class="kpi"><div class="label">${e(w.w('daysToVisit'))}</div><div class="value">${days}</div><div class="note">${visit}</div></div>
</div>
<h3>${e(w.w('counts'))}</h3>${stateChart(r, w)}
<h3>${e(w.w('progress'))}</h3>${barChart(
    r.dimensions.map((d) => ({ label: d.label, value: d.progress })),
    w,
  )}
<table class="compact"><thead><tr><th>${e(w.w('dimension'))}</th><th class="num">${e(w.w('progress'))}</th></tr></thead><tbody>
${r.dimensions.map((d) => `<tr><td>${e(d.label)}</td><td class="num">${figure(`dimension:${d.dimension}`, d.progress, `${w.num(d.progress)} %`)}</td></tr>`).join('')}
</tbody></table>
<h3>${e(w.w('gaps'))}</h3>
<table class="compact"><tbody>
${gapRow('gapUnscored', 'gap:unscored', g.unscored)}${gapRow('gapMissingEvidence', 'gap:missingEvidence', g.missingEvidence)}${gapRow('gapUnverified', 'gap:unverifiedReports', g.unverifiedReports)}${gapRow('gapLate', 'gap:latePlans', g.latePlans)}
</tbody></table></section>`;
}

function planRow(p: ReportPlan, w: ReportWords): string {
  const report = p.verified
    ? `${paragraphs(p.verified.narrative)}${p.verified.obstacles ? `<p class="obstacles"><b>${e(w.w('obstacles'))}:</b> ${e(p.verified.obstacles)}</p>` : ''}`
    : `<p class="empty">${e(w.w('noVerified'))}</p>`;
  const evidence = [...p.evidence, ...(p.verified?.evidenceUrls ?? []).map((u) => ({ title: u, href: u, kind: 'LINK' as never }))];
  return `<tr data-plan="${e(p.id)}"><td>${p.code ? `<span class="code">${e(p.code)}</span> ` : ''}${e(p.title)}</td><td>${e(p.opd)}</td>
<td class="nowrap">${e(w.date(p.startDate))}<br>– ${e(w.date(p.dueDate))}</td>
<td class="num">${figure(`plan:${p.id}`, p.progress, `${w.num(p.progress)} %`)}</td><td><span class="state ${p.state.toLowerCase()}">${e(w.state(p.state))}</span></td>
<td class="text">${report}${links(evidence)}</td></tr>`;
}

function dimensionsSection(r: MonevReport, w: ReportWords): string {
  const head = [w.w('plan'), w.w('opd'), w.w('schedule'), w.w('progress'), w.w('state'), w.w('narrative')];
  const body = r.dimensions
    .map((d) => {
      const programs = d.programs
        .map(
          (p) =>
            `<h4>${e(w.w('program'))}: ${e(p.name)}${p.quickWin ? ` <span class="tag">${e(w.w('quickWin'))}</span>` : ''}</h4>${table(
              head,
              p.plans.map((plan) => planRow(plan, w)),
              w.w('noPlans'),
              'plans',
            )}`,
        )
        .join('');
      return `<section class="dimension"><h3>${e(d.label)} — ${e(w.num(d.progress))} %</h3>${programs || `<p class="empty">${e(w.w('noPlans'))}</p>`}</section>`;
    })
    .join('');
  return `<section class="break"><h2 id="dimensions">${e(w.w('dimensions'))}</h2>${body}</section>`;
}

function indicatorsSection(r: MonevReport, w: ReportWords): string {
  const rows = r.indicators.map(
    (i) =>
      `<tr><td>${e(i.plan)}</td><td>${e(i.name)}</td><td>${e(i.unit)}</td><td class="num">${e(w.num(i.baseline, 2))}</td><td class="num">${e(w.num(i.target, 2))}</td>
<td>${i.values.map((v) => `${e(v.period)}: <b>${e(w.num(v.value, 2))}</b>`).join('<br>') || '—'}</td></tr>`,
  );
  return `<section class="break"><h2 id="indicators">${e(w.w('indicators'))}</h2>${table(
    [w.w('plan'), w.w('indicator'), w.w('unit'), w.w('baseline'), w.w('target'), `${w.w('period')}: ${w.w('actual')}`],
    rows,
    w.w('noIndicators'),
  )}</section>`;
}

function quickWinsSection(r: MonevReport, w: ReportWords): string {
  const rows = r.quickWins.map(
    (q, i) =>
      `<tr><td>${e(q.name)}</td><td class="num">${q.year || '—'}</td><td class="num">${q.planCount}</td><td class="num">${figure(`quickWin:${i}`, q.progress, `${w.num(q.progress)} %`)}</td></tr>`,
  );
  return `<section><h2 id="quickwins">${e(w.w('quickWins'))}</h2>${table(
    [w.w('quickWin'), w.w('year'), w.w('plans'), w.w('progress')],
    rows,
    w.w('noQuickWins'),
  )}</section>`;
}

function assessmentSection(r: MonevReport, w: ReportWords): string {
  const rows = r.items.map(
    (i) => `<tr><td class="code">${e(i.code)}</td><td>${e(i.question)}<div class="note">${e(i.dimensionLabel)}</div></td>
<td class="num">${i.score === null ? `<span class="empty">${e(w.w('unscored'))}</span>` : figure(`item:${i.code}`, i.score, w.num(i.score, 2))}</td>
<td class="text">${i.narrative ? paragraphs(i.narrative) : '—'}</td><td>${e(i.opd ?? '—')}</td><td>${links(i.evidence) || '—'}</td></tr>`,
  );
  const framework = r.readiness.frameworkName ? `<p class="note">${e(r.readiness.frameworkName)}</p>` : '';
  return `<section class="break"><h2 id="assessment">${e(w.w('assessment'))}</h2>${framework}<p class="note">${e(w.w('assessmentNote'))}</p>${table(
    [w.w('code'), w.w('item'), w.w('score'), w.w('itemNarrative'), w.w('responsible'), w.w('evidence')],
    rows,
    w.w('noAssessment'),
    'items',
  )}</section>`;
}

function risksSection(r: MonevReport, w: ReportWords): string {
  const rows = r.risks.map(
    (
      k,
    ) => `<tr><td>${e(k.quickWin)}</td><td class="text">${e(k.description)}</td><td class="num">${k.likelihood}</td><td class="num">${k.impact}</td>
<td><span class="level ${k.level.toLowerCase()}">${e(w.level(k.level))}</span></td><td class="text">${e(k.mitigation ?? '—')}</td><td>${e(k.opd ?? '—')}</td><td>${e(w.riskStatus(k.status))}</td></tr>`,
  );
  return `<section class="break"><h2 id="risks">${e(w.w('risks'))}</h2>${table(
    [w.w('quickWin'), w.w('risk'), w.w('likelihood'), w.w('impact'), w.w('level'), w.w('mitigation'), w.w('opd'), w.w('status')],
    rows,
    w.w('noRisks'),
  )}</section>`;
}

function agendaSection(r: MonevReport, w: ReportWords): string {
  const rows = r.agenda.map(
    (
      a,
    ) => `<tr><td class="nowrap">${e(w.date(a.startDate))}${a.endDate !== a.startDate ? `<br>– ${e(w.date(a.endDate))}` : ''}</td><td>${e(a.title)}</td><td>${e(a.owner ?? '—')}</td>
<td>${a.deliverables.map((d) => `${e(d.title)} (${e(w.date(d.dueDate))}, ${e(w.w(d.done ? 'done' : 'open'))})`).join('<br>') || '—'}</td></tr>`,
  );
  return `<section><h2 id="agenda">${e(w.w('agenda'))}</h2>${table(
    [w.w('dates'), w.w('activity'), w.w('owner'), w.w('deliverables')],
    rows,
    w.w('noAgenda'),
  )}</section>`;
}

function atRiskSection(r: MonevReport, w: ReportWords): string {
  const rows = r.atRisk.map(
    (
      a,
    ) => `<tr><td>${e(a.title)}</td><td>${e(a.opd)}</td><td class="nowrap">${e(w.date(a.dueDate))}</td><td class="num">${e(w.num(a.progress))} %</td>
<td class="nowrap">${a.forecast.expectedCompletion ? e(w.date(a.forecast.expectedCompletion)) : e(w.w('notMoving'))}</td><td class="num">${a.forecast.daysLate ?? '—'}</td>
<td class="num">${a.forecast.basis.pacePerMonth === null ? '—' : e(w.num(a.forecast.basis.pacePerMonth))}</td></tr>`,
  );
  return `<section><h2 id="atrisk">${e(w.w('atRisk'))}</h2><p class="note">${e(w.w('atRiskNote', { date: w.date(r.today) }))}</p>${table(
    [w.w('plan'), w.w('opd'), w.w('due'), w.w('progress'), w.w('expected'), w.w('daysLate'), w.w('pace')],
    rows,
    w.w('noAtRisk'),
  )}</section>`;
}

const STYLE = `
@page { size: A4; margin: 16mm 14mm 18mm 14mm;
  @bottom-left { content: "{footer}"; font: 8pt system-ui, sans-serif; color: #555; }
  @bottom-right { content: "{page} " counter(page) " {of} " counter(pages); font: 8pt system-ui, sans-serif; color: #555; } }
@page :first { @bottom-left { content: none; } @bottom-right { content: none; } }
* { box-sizing: border-box; }
html { font: 10pt/1.4 "Noto Sans", "DejaVu Sans", system-ui, sans-serif; color: #111; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 190mm; padding: 8mm 0; }
h1 { font-size: 22pt; margin: 0 0 4mm; } h2 { font-size: 15pt; margin: 6mm 0 3mm; border-bottom: 2px solid #1d4e89; color: #1d4e89; }
h3 { font-size: 12pt; margin: 5mm 0 2mm; break-after: avoid; } h4 { font-size: 10.5pt; margin: 4mm 0 1.5mm; break-after: avoid; }
.cover { height: 250mm; display: flex; flex-direction: column; justify-content: center; break-after: page; }
.cover .city { font-size: 28pt; font-weight: 700; color: #1d4e89; } .cover .meta { margin-top: 8mm; font-size: 11pt; }
.cover ol { margin-top: 10mm; columns: 2; font-size: 10pt; }
.break { break-before: page; }
table { width: 100%; border-collapse: collapse; margin: 2mm 0 4mm; font-size: 8.5pt; }
thead { display: table-header-group; } tr { break-inside: avoid; page-break-inside: avoid; }
th { background: #e8eef6; text-align: left; padding: 1.5mm; border: 0.3mm solid #b8c4d4; }
td { padding: 1.5mm; border: 0.3mm solid #ccd; vertical-align: top; }
td.num, th.num { text-align: right; white-space: nowrap; } .nowrap { white-space: nowrap; }
td.text p { margin: 0 0 1mm; } .note { color: #555; font-size: 8.5pt; } .empty { color: #777; font-style: italic; }
.code { font-family: ui-monospace, monospace; font-size: 8pt; }
.links { margin: 1mm 0 0; padding-left: 4mm; font-size: 8pt; } a { color: #1d4e89; word-break: break-all; }
.kpis { display: flex; gap: 4mm; } .kpi { flex: 1; border: 0.3mm solid #b8c4d4; border-radius: 2mm; padding: 3mm; }
.kpi .label { font-size: 8.5pt; color: #444; } .kpi .value { font-size: 20pt; font-weight: 700; }
.chart { display: block; margin: 2mm 0; font-size: 11px; } .chart .track { fill: #eef1f5; } .chart .bar { fill: #1d4e89; }
.done { fill: #2e7d32; background: #2e7d32; } .ontrack { fill: #1d4e89; background: #1d4e89; }
.notstarted { fill: #9aa5b1; background: #9aa5b1; } .late { fill: #c62828; background: #c62828; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 4mm; font-size: 9pt; }
.swatch { display: inline-block; width: 3mm; height: 3mm; margin-right: 1mm; }
.state { font-weight: 600; } .state.late { color: #c62828; background: none; } .state.done { color: #2e7d32; background: none; }
.state.on_track, .state.not_started { background: none; }
.tag { font-size: 8pt; background: #fff3cd; padding: 0 1.5mm; border-radius: 1mm; }
.level.very_high, .level.high { color: #c62828; font-weight: 600; }
@media screen { body { padding: 10mm; } .cover { height: auto; min-height: 120mm; } }
`;

/** The report as one HTML page, in the language it was gathered in. */
export function renderMonevHtml(report: MonevReport): string {
  return renderWith(report, reportWords(report.locale));
}

function renderWith(r: MonevReport, w: ReportWords): string {
  const footer = `${r.city.name} · ${w.w('asOf', { date: w.date(r.asOf) })}`;
  const css = STYLE.replace('{footer}', cssString(footer))
    .replace('{page}', cssString(w.w('page')))
    .replace('{of}', cssString(w.w('of')));
  const contents = [
    ['summary', w.w('summary')],
    ['dimensions', w.w('dimensions')],
    ['indicators', w.w('indicators')],
    ['quickwins', w.w('quickWins')],
    ['assessment', w.w('assessment')],
    ['risks', w.w('risks')],
    ['agenda', w.w('agenda')],
    ['atrisk', w.w('atRisk')],
  ];
  const generated = new Intl.DateTimeFormat(w.locale === 'en' ? 'en-GB' : 'id-ID', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(r.generatedAt);
  return `<!doctype html>
<html lang="${w.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(`${w.w('title')} — ${r.city.name} ${r.year}`)}</title><style>${css}</style></head>
<body>
<section class="cover"><div>${e(w.w('title'))}</div><div class="city" data-figure="city">${e(r.city.name)}</div>
<div>${e(w.w('subtitle', { year: r.year }))}</div>
<div class="meta">${e(w.w('asOf', { date: w.date(r.asOf) }))}<br>${e(w.w('generated', { date: `${generated} UTC` }))}<br>${e(
    w.w(r.basis === ProgressBasis.VERIFIED ? 'basisVerified' : 'basisAll'),
  )}</div>
<h3>${e(w.w('contents'))}</h3><ol>${contents.map(([id, label]) => `<li><a href="#${id}">${e(label!)}</a></li>`).join('')}</ol></section>
${summary(r, w)}
${dimensionsSection(r, w)}
${indicatorsSection(r, w)}
${quickWinsSection(r, w)}
${assessmentSection(r, w)}
${risksSection(r, w)}
${agendaSection(r, w)}
${atRiskSection(r, w)}
</body></html>`;
}

/** Text inside a CSS string: quotes, backslashes and line ends escaped, nothing that could end the style element. */
function cssString(text: string): string {
  return text.replace(/[\\"<>\n\r]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `);
}
