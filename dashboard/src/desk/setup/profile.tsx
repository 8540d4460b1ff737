// "Profil kota": the city's name, province, kind, time zone and the year it joined the programme.
import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import { Notice } from '../ui';
import { PROFILE_QUERY, type CityProfile, type PartProps } from './data';
import { EntityForm, useQuery, type FieldDef, type FormSpec } from './form';
import { plainNumber } from './pure';
import { useWords, type Words } from './words';

/** The time zones of Indonesia (WIB, WITA, WIT). */
export const TIME_ZONES = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'] as const;

/** The city's fields, shared with the new-city form. */
export function cityFields(w: Words): FieldDef[] {
  const year = new Date().getFullYear();
  return [
    { key: 'name', label: w.profile.name, kind: 'text', required: true, maxLength: 120, hint: w.profile.nameHint },
    { key: 'province', label: w.profile.province, kind: 'text', required: true, maxLength: 120, hint: w.profile.provinceHint },
    {
      key: 'kind',
      label: w.profile.kind,
      kind: 'select',
      required: true,
      options: [
        ['KOTA', w.profile.kinds.KOTA],
        ['KABUPATEN', w.profile.kinds.KABUPATEN],
      ],
    },
    { key: 'timeZone', label: w.profile.timeZone, kind: 'select', required: true, options: TIME_ZONES.map((z) => [z, w.profile.zones[z]]) },
    { key: 'joinedYear', label: w.profile.joinedYear, kind: 'int', min: 2017, max: year + 1, hint: w.profile.joinedYearHint },
  ];
}

/** A city's values in the form. */
export function cityValues(c: Partial<CityProfile> | null): Record<string, string> {
  return {
    name: c?.name ?? '',
    province: c?.province ?? '',
    kind: c?.kind ?? 'KOTA',
    timeZone: c?.timeZone ?? 'Asia/Jakarta',
    joinedYear: plainNumber(c?.joinedYear ?? null),
  };
}

/** The part. */
export function ProfileSection({ ctx, tick, reload }: PartProps): JSX.Element {
  const w = useWords(ctx);
  const { data, error } = useQuery(ctx, PROFILE_QUERY, tick);
  const city = data?.city ?? null;
  useEffect(() => {
    document.title = `${w.profile.title(city?.name ?? ctx.city.name)} — Pantau`;
  }, [city?.name, ctx.lang]);
  const spec: FormSpec<CityProfile> = { entity: 'City', fields: cityFields(w), values: cityValues };
  return (
    <div>
      <h1>{w.profile.title(city?.name ?? ctx.city.name)}</h1>
      <p class="dk-lead">{w.profile.lead}</p>
      {error ? <Notice kind="error">{error}</Notice> : null}
      {!city ? (
        <p role="status">{w.page.loading}</p>
      ) : (
        <EntityForm ctx={ctx} spec={spec} obj={city} prefix="city" submitLabel={w.form.saveChanges} onSaved={() => {}} onReload={reload} />
      )}
    </div>
  );
}
