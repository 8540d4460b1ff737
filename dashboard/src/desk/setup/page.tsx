// "Pengaturan kota" (`#halaman=pengaturan&bagian=…`): the city's profile, its OPDs, the council and
// the team, the masterplan tree, the calendar, spreadsheets, and for platform admins a new city.
// Every part reads again when anything it shows changes in the city (cityEvents), by anyone.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useCityEvents, type DeskCtx } from '../lib';
import { CalendarSection } from './calendar';
import { SETUP_EVENT_KINDS } from './data';
import { CITY_BASE_EVENT } from './events';
import { MasterplanSection } from './masterplan';
import { NewCitySection } from './new-city';
import { OpdsSection } from './opds';
import { PeopleSection } from './people';
import { ProfileSection } from './profile';
import { SheetsSection } from './sheets';
import { useWords } from './words';
import './setup.css';

/** The parts, by their key in the address. */
const PARTS = ['profil', 'opd', 'dewan-tim', 'masterplan', 'kalender', 'spreadsheet', 'kota-baru'] as const;
type Part = (typeof PARTS)[number];

/** Props of the page. */
export interface SetupPageProps {
  ctx: DeskCtx;
  /** `bagian=` of the address. */
  part: string | null;
  /** Opens the desk on another city (platform admins, after creating one). */
  onCity?: ((cityId: string) => void) | undefined;
}

/** The page. */
export function SetupPage({ ctx, part, onCity }: SetupPageProps): JSX.Element {
  const w = useWords(ctx);
  const [tick, setTick] = useState(0);
  const platform = ctx.me.role === 'PLATFORM_ADMIN';
  const current: Part = PARTS.includes(part as Part) && (part !== 'kota-baru' || platform) ? (part as Part) : 'profil';
  const status = useCityEvents(ctx, SETUP_EVENT_KINDS, () => {
    setTick((t) => t + 1);
    window.dispatchEvent(new CustomEvent(CITY_BASE_EVENT));
  });
  const reload = (): void => setTick((t) => t + 1);
  const parts = PARTS.filter((p) => p !== 'kota-baru' || platform);
  return (
    <section class="su">
      <nav class="su-tabs" aria-label={w.page.partsLabel}>
        {parts.map((p) => (
          <a
            href={`#halaman=pengaturan&bagian=${p}`}
            class={p === current ? 'on' : ''}
            aria-current={p === current ? 'page' : undefined}
            data-part={p}
          >
            {w.page.parts[p]}
          </a>
        ))}
        <span class={`dk-live${status === 'live' ? ' dk-live-live' : ''}`} role="status">
          {status === 'live' ? w.page.live : status === 'offline' ? w.page.offline : w.page.connecting}
        </span>
      </nav>
      {current === 'profil' ? (
        <ProfileSection ctx={ctx} tick={tick} reload={reload} />
      ) : current === 'opd' ? (
        <OpdsSection ctx={ctx} tick={tick} reload={reload} />
      ) : current === 'dewan-tim' ? (
        <PeopleSection ctx={ctx} tick={tick} reload={reload} />
      ) : current === 'masterplan' ? (
        <MasterplanSection ctx={ctx} tick={tick} reload={reload} />
      ) : current === 'kalender' ? (
        <CalendarSection ctx={ctx} tick={tick} reload={reload} />
      ) : current === 'spreadsheet' ? (
        <SheetsSection ctx={ctx} />
      ) : (
        <NewCitySection ctx={ctx} onOpen={onCity} />
      )}
    </section>
  );
}
