// "Kota baru" (platform admins): a city joining the programme, with its first city admin. The
// city admin then logs in and sets up the rest. Also offered on the city picker after login, so a
// fresh installation without any city starts here.
import type { JSX } from 'preact';
import { graphql } from '../../api/document';
import { useState } from 'preact/hooks';
import type { Lang } from '../../i18n';
import { explain, fieldOf, fmt, gq, type DeskCtx } from '../lib';
import { CopyButton, Notice } from '../ui';
import { suggestPassword } from '../users';
import { FieldBox, inputOf, problemsOf, textOf, type FieldDef, type Value, type Values } from './form';
import { cityFields, cityValues } from './profile';
import { DESK_WORDS } from '../words';
import { useWords } from './words';

const MIN_PASSWORD = 12;
const CREATE_CITY = graphql(`
  mutation SetupCreateCity($input: CreateCityInput!) {
    createCity(input: $input) {
      id
      name
    }
  }
`);
const CREATE_USER = graphql(`
  mutation SetupCreateAdmin($input: CreateUserInput!) {
    createUser(input: $input) {
      id
      email
    }
  }
`);

/** What the form needs of the session (the city picker has no city yet). */
export interface NewCityProps {
  token: string;
  lang: Lang;
  onSessionEnded: () => void;
  /** Opens the desk on the new city. */
  onOpen?: ((cityId: string) => void) | undefined;
}

/** The part of the setup page. */
export function NewCitySection({ ctx, onOpen }: { ctx: DeskCtx; onOpen?: ((cityId: string) => void) | undefined }): JSX.Element {
  const w = useWords(ctx);
  return (
    <div>
      <h1>{w.newCity.title}</h1>
      <p class="dk-lead">{w.newCity.lead}</p>
      <NewCityForm token={ctx.token} lang={ctx.lang} onSessionEnded={ctx.onSessionEnded} onOpen={onOpen} />
    </div>
  );
}

/** The form: the city's profile and its first admin, created one after the other. */
export function NewCityForm({ token, lang, onSessionEnded, onOpen }: NewCityProps): JSX.Element {
  const session = { token, lang, onSessionEnded };
  const ctx = { lang, f: fmt(lang) };
  const w = useWords(ctx);
  const adminFields: FieldDef[] = [
    { key: 'adminName', label: w.newCity.adminName, kind: 'text', required: true, maxLength: 200, hint: w.newCity.adminNameHint },
    {
      key: 'adminEmail',
      label: w.newCity.adminEmail,
      kind: 'text',
      required: true,
      check: (v) => (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(textOf(v['adminEmail']).trim()) ? undefined : w.newCity.emailBad),
    },
    {
      key: 'adminPassword',
      label: w.newCity.adminPassword,
      kind: 'text',
      required: true,
      hint: w.newCity.passwordHint(MIN_PASSWORD),
      check: (v) => (textOf(v['adminPassword']).length >= MIN_PASSWORD ? undefined : w.newCity.passwordShort(MIN_PASSWORD)),
    },
  ];
  const fields = [...cityFields(w), ...adminFields];
  const [values, setValues] = useState<Values>(() => ({
    ...cityValues(null),
    joinedYear: String(new Date().getFullYear()),
    adminName: '',
    adminEmail: '',
    adminPassword: suggestPassword(),
  }));
  const [cityId, setCityId] = useState<string | null>(null);
  const [done, setDone] = useState<{ cityId: string; name: string; email: string; password: string } | null>(null);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<{ message: string; field: string | null } | null>(null);
  const problems = problemsOf(fields, values, w);
  const set = (key: string, value: Value): void => {
    setValues({ ...values, [key]: value });
    if (serverError?.field === key) setServerError(null);
  };
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setTried(true);
    const first = fields.find((f) => problems[f.key]);
    if (first) {
      document.getElementById(`nc-${first.key}`)?.focus();
      return;
    }
    setBusy(true);
    setServerError(null);
    let step: 'city' | 'admin' = 'city';
    try {
      let id = cityId;
      if (!id) {
        const made = await gq(session, CREATE_CITY, { input: inputOf(cityFields(w), values) });
        id = made.createCity.id;
        setCityId(id);
      }
      step = 'admin';
      const email = textOf(values['adminEmail']).trim();
      const password = textOf(values['adminPassword']);
      await gq(session, CREATE_USER, {
        input: { role: 'CITY_ADMIN', cityId: id, name: textOf(values['adminName']).trim(), email, password },
      });
      setDone({ cityId: id, name: textOf(values['name']).trim(), email, password });
    } catch (error) {
      const field = fieldOf(error);
      const key = field && step === 'admin' ? `admin${field.charAt(0).toUpperCase()}${field.slice(1)}` : field;
      setServerError({ message: explain(error, DESK_WORDS[lang]), field: key });
    } finally {
      setBusy(false);
    }
  };
  if (done) {
    return (
      <div class="dk-panel" id="new-city-done">
        <Notice kind="ok">{w.newCity.created(done.name)}</Notice>
        <p>{w.newCity.tellAdmin}</p>
        <dl class="su-credentials">
          <dt>{w.newCity.adminEmail}</dt>
          <dd id="new-admin-email">{done.email}</dd>
          <dt>{w.newCity.adminPassword}</dt>
          <dd id="new-admin-password">{done.password}</dd>
        </dl>
        <div class="dk-actions">
          <CopyButton text={`${done.email}\n${done.password}`} label={w.newCity.copy} />
          {onOpen ? (
            <button type="button" class="dk-btn dk-primary" id="open-new-city" onClick={() => onOpen(done.cityId)}>
              {w.newCity.open(done.name)}
            </button>
          ) : null}
        </div>
      </div>
    );
  }
  const show = (key: string): string | undefined =>
    (tried ? problems[key] : undefined) ?? (serverError?.field === key ? serverError.message : undefined);
  const box = (f: FieldDef): JSX.Element => (
    <FieldBox ctx={ctx} f={f} id={`nc-${f.key}`} value={values[f.key]} error={show(f.key)} set={set} onBlur={() => {}} />
  );
  return (
    <form class="dk-panel dk-form" id="new-city-form" noValidate onSubmit={(e) => void submit(e)}>
      <h2>{w.newCity.cityPart}</h2>
      {cityId ? <Notice kind="info">{w.newCity.cityMade}</Notice> : null}
      <div class="dk-grid">{cityFields(w).map(box)}</div>
      <h2>{w.newCity.adminPart}</h2>
      <p class="dk-muted">{w.newCity.adminAbout}</p>
      <div class="dk-grid">{adminFields.map(box)}</div>
      {serverError && !fields.some((f) => f.key === serverError.field) ? <Notice kind="error">{serverError.message}</Notice> : null}
      <div class="dk-actions">
        <button type="submit" class="dk-btn dk-primary" id="create-city" disabled={busy}>
          {busy ? w.form.saving : cityId ? w.newCity.createAdminOnly : w.newCity.create}
        </button>
        <button type="button" class="dk-btn dk-quiet" onClick={() => set('adminPassword', suggestPassword())}>
          {w.newCity.newPassword}
        </button>
      </div>
    </form>
  );
}
