// Kesiapan monev: the countdown to the evaluation visit, the index as it stands and the gaps
// shrinking, with the OPDs that must act (City.readiness, refetched after every change of the city).
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { graphql, type ResultOf } from '../api/document';
import { request } from '../api/http';
import { AnimatedNumber, Bar, Paged } from '../ui/widgets';
import type { ViewProps } from './common';

const GAPS = graphql(`
  fragment KesiapanGaps on GapCounts {
    unscored
    missingEvidence
    unverifiedReports
    latePlans
    total
  }
`);
const READINESS_QUERY = graphql(
  `
    query Kesiapan($id: ID!) {
      city(id: $id) {
        readiness {
          year
          index
          scaleMin
          scaleMax
          itemCount
          scoredCount
          daysToVisit
          frameworkId
          unassignedItemGaps
          gaps {
            ...KesiapanGaps
          }
          dimensions {
            dimension
            label
            weight
            score
            itemCount
          }
          opds {
            opdId
            name
            abbreviation
            gaps {
              ...KesiapanGaps
            }
          }
        }
      }
    }
  `,
  GAPS,
);

type Readiness = ResultOf<typeof READINESS_QUERY>['city']['readiness'];
type Gaps = Readiness['gaps'];

/** After a change, wait this long so a burst costs one query; refetch at least this often anyway (ms). */
const SETTLE_MS = 500;
const MAX_AGE_MS = 5 * 60_000;

/** The readiness view. */
export function Kesiapan({ snapshot, s, f, lang, token }: ViewProps): JSX.Element {
  const [readiness, setReadiness] = useState<Readiness | null>(null);
  const seq = snapshot.overview.seq;
  const cityId = snapshot.city.id;
  const fetchedSeq = useRef(-1);
  const score = f.index;

  useEffect(() => {
    let cancelled = false;
    const load = (): void => {
      fetchedSeq.current = seq;
      request(READINESS_QUERY, { id: cityId }, { token, lang })
        .then((data) => {
          if (!cancelled) setReadiness(data.city.readiness);
        })
        .catch(() => {
          // Keep what is shown; the next change or the timer tries again.
          fetchedSeq.current = -1;
        });
    };
    const timer = setTimeout(load, fetchedSeq.current < 0 ? 0 : SETTLE_MS);
    const refresh = setInterval(load, MAX_AGE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
      clearInterval(refresh);
    };
  }, [cityId, seq, token, lang]);

  if (!readiness)
    return (
      <section class="view kesiapan" data-view="kesiapan">
        <p class="empty big">{s.loading}</p>
      </section>
    );
  if (!readiness.frameworkId)
    return (
      <section class="view kesiapan" data-view="kesiapan">
        <p class="empty big">{s.noFramework}</p>
      </section>
    );
  const days = readiness.daysToVisit;
  const span = readiness.scaleMax - readiness.scaleMin;
  const tiles: [string, keyof Gaps][] = [
    [s.gapUnscored, 'unscored'],
    [s.gapEvidence, 'missingEvidence'],
    [s.gapUnverified, 'unverifiedReports'],
    [s.gapLate, 'latePlans'],
  ];
  return (
    <section class="view kesiapan" data-view="kesiapan">
      <div class="kesiapan-hero">
        <div class="headline" data-glow>
          <AnimatedNumber class="headline-value" value={readiness.index} format={score} />
          <span class="headline-label">
            {s.readinessIndex} · {s.readinessOf(f.int(readiness.scaleMax))}
          </span>
          <span class="headline-sub" data-testid="scored">
            {s.readinessScored(f.int(readiness.scoredCount), f.int(readiness.itemCount))}
          </span>
        </div>
        <div class="kesiapan-countdown" data-glow>
          {s.visit}: <strong>{days === null ? s.visitNone : days <= 0 ? s.visitNow : s.visitIn(f.days(days))}</strong>
        </div>
        <ul class="kesiapan-gaps">
          {tiles.map(([label, key]) => (
            <li class="tile kesiapan-gap" data-glow data-gap={key} key={key}>
              <AnimatedNumber class="kesiapan-gap-value" value={readiness.gaps[key]} format={f.int} />
              <span class="kesiapan-gap-label">{label}</span>
            </li>
          ))}
        </ul>
        <ul class="kesiapan-dims">
          {readiness.dimensions.map((d) => (
            <li class="kesiapan-dim" key={d.dimension}>
              <span class="kesiapan-dim-label">
                <span class="kesiapan-dim-name">{d.label}</span>
                <span class="kesiapan-dim-weight muted">· {f.percent(d.weight)}</span>
              </span>
              <Bar value={span > 0 ? ((d.score - readiness.scaleMin) / span) * 100 : 0} />
              <span class="kesiapan-dim-value">{score(d.score)}</span>
            </li>
          ))}
        </ul>
      </div>
      <div class="panel kesiapan-opds">
        <h2 class="panel-title">{s.whoMustAct}</h2>
        <Paged
          items={readiness.opds}
          perPage={7}
          empty={s.noGaps}
          pageLabel={s.page}
          render={(o) => (
            <li class="row kesiapan-opd" key={o.opdId} data-opd={o.abbreviation}>
              <span class="row-main">
                <span class="abbr">{o.abbreviation}</span> {o.name}
              </span>
              <span class="row-sub">
                {tiles
                  .filter(([, key]) => o.gaps[key] > 0)
                  .map(([label, key]) => `${label} ${f.int(o.gaps[key])}`)
                  .join(' · ')}
              </span>
            </li>
          )}
        />
        {readiness.unassignedItemGaps > 0 ? <p class="row-sub">{s.unassigned(f.int(readiness.unassignedItemGaps))}</p> : null}
      </div>
    </section>
  );
}
