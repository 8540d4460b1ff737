// The kiosk: a screen token from the URL (or storage), no login, no interaction. Finds its city
// when the URL names none (or the wrong one), keeps it live, and turns into the calm "no longer
// registered" message when the token stops working.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { request, RequestError } from './api/http';
import { clearCachedSnapshots, LiveCity, type LiveState, type LiveStats } from './api/live';
import { ME_QUERY } from './api/queries';
import type { ScreenConfig } from './params';
import { Revoked, Screen } from './screen';
import { backoffMs } from './api/seq';

declare global {
  interface Window {
    /** Counters for the browser tests and anyone debugging a TV from its devtools. */
    __pantau?: { stats: LiveStats; state: () => LiveState | null };
  }
}

/** How often a revoked screen checks whether its token works again (a hiccup, not a revocation). */
const REVOKED_RECHECK_MS = 5 * 60_000;

/** The kiosk for one screen token. */
export function Kiosk({ config }: { config: ScreenConfig & { token: string } }): JSX.Element {
  const [cityId, setCityId] = useState<string | null>(config.cityId);
  const [live, setLive] = useState<LiveState | null>(null);
  const [revoked, setRevoked] = useState(false);
  const { token, lang, basis } = config;

  // Which city: the token decides (a screen token reads exactly one city).
  useEffect(() => {
    let cancelled = false;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = (): void => {
      request(ME_QUERY, {}, { token, lang })
        .then((data) => {
          if (cancelled) return;
          const own = data.me?.cityId ?? null;
          if (!own) return setRevoked(true);
          if (own !== cityId) setCityId(own);
        })
        .catch((error: unknown) => {
          if (cancelled) return;
          if (error instanceof RequestError && error.kind === 'unauthenticated') return setRevoked(true);
          timer = setTimeout(ask, backoffMs(attempt++));
        });
    };
    // With a city in the URL, start at once (from the cache if offline) and check the city alongside.
    ask();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [token]);

  useEffect(() => {
    if (!cityId || revoked) return undefined;
    const stats: LiveStats = { events: 0, gaps: 0, snapshots: 0, connects: 0 };
    const city = new LiveCity({ cityId, token, lang, basis, stats, onState: setLive, onUnauthorized: () => setRevoked(true) });
    window.__pantau = { stats, state: () => city.current };
    setLive(city.current);
    city.start();
    return () => city.stop();
  }, [cityId, token, lang, basis, revoked]);

  // A revoked screen stays calm, forgets its data and checks now and then whether it works again.
  useEffect(() => {
    if (!revoked) return undefined;
    clearCachedSnapshots();
    const timer = setInterval(() => {
      request(ME_QUERY, {}, { token, lang })
        .then((data) => {
          if ((data as { me: unknown }).me) location.reload();
        })
        .catch(() => {});
    }, REVOKED_RECHECK_MS);
    return () => clearInterval(timer);
  }, [revoked]);

  if (revoked) return <Revoked lang={lang} cityName={live?.snapshot?.city.name} />;
  return (
    <Screen
      live={live ?? { snapshot: null, status: 'connecting', updatedAt: null }}
      lang={lang}
      views={config.views}
      rotateSeconds={config.rotateSeconds}
      token={token}
      basis={basis}
      trend={config.trend}
    />
  );
}
