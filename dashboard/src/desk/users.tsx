// "Pengguna": the city's accounts; invite (create) OPD reporters and viewers, reset a password,
// archive an account. Buttons appear only where the API allows them (a city admin manages
// reporters and viewers of its own city, not other city admins).
import type { JSX } from 'preact';
import { graphql, type ResultOf } from '../api/document';
import { useEffect, useState } from 'preact/hooks';
import { explain, fieldOf, gq, type DeskCtx, type Me } from './lib';
import { ConfirmButton, CopyButton, Notice } from './ui';

const LIST = graphql(`
  query DeskUsers($city: ID!) {
    users(cityId: $city, first: 100) {
      totalCount
      edges {
        node {
          id
          version
          name
          email
          role
          archivedAt
          opd {
            id
            name
          }
        }
      }
    }
  }
`);
type UserRow = ResultOf<typeof LIST>['users']['edges'][number]['node'];
const CREATE = graphql(`
  mutation DeskCreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      id
      name
      email
    }
  }
`);
const UPDATE = graphql(`
  mutation DeskUpdateUser($input: UpdateUserInput!) {
    updateUser(input: $input) {
      id
      version
    }
  }
`);
const ARCHIVE = graphql(`
  mutation DeskArchiveUser($input: VersionedInput!) {
    archiveUser(input: $input) {
      id
    }
  }
`);

const MANAGEABLE: Me['role'][] = ['OPD_REPORTER', 'VIEWER'];
const MIN_PASSWORD = 12;

/** A password that is easy to read out over the phone: three words of letters and a number. */
export function suggestPassword(): string {
  const letters = 'abcdefghjkmnpqrstuvwxyz';
  const bytes = crypto.getRandomValues(new Uint8Array(15));
  const part = (from: number): string => Array.from(bytes.slice(from, from + 4), (b) => letters[b % letters.length]).join('');
  return `${part(0)}-${part(4)}-${part(8)}-${((bytes[12] ?? 0) % 90) + 10}`;
}

export function UsersPage({ ctx }: { ctx: DeskCtx }): JSX.Element {
  const w = ctx.w.users;
  const [users, setUsers] = useState<UserRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = (): void => {
    gq(ctx, LIST, { city: ctx.cityId })
      .then((d) =>
        setUsers(
          d.users.edges
            .map((e) => e.node)
            .filter((u) => !u.archivedAt)
            .sort((a, b) => a.role.localeCompare(b.role) || a.name.localeCompare(b.name)),
        ),
      )
      .catch((e: unknown) => setError(explain(e, ctx.w)));
  };
  useEffect(load, []);
  useEffect(() => {
    document.title = `${w.title(ctx.city.name, String(users?.length ?? 0))} — Pantau`;
  }, [users?.length, w]);
  const mayManage = (u: UserRow): boolean =>
    u.id !== ctx.me.id && (ctx.me.role === 'PLATFORM_ADMIN' ? u.role !== 'PLATFORM_ADMIN' : MANAGEABLE.includes(u.role));
  return (
    <section>
      <h1>{w.title(ctx.city.name, users ? String(users.length) : '…')}</h1>
      <p class="dk-lead">{w.lead}</p>
      <InviteForm
        ctx={ctx}
        onCreated={(message) => {
          setNotice(message);
          load();
        }}
      />
      <div class="dk-panel">
        <h2>{w.active}</h2>
        {error ? <Notice kind="error">{error}</Notice> : null}
        {notice ? <Notice kind="ok">{notice}</Notice> : null}
        {users === null ? <p role="status">{ctx.w.loading}</p> : null}
        <ul class="dk-list" id="users">
          {(users ?? []).map((u) => (
            <UserItem
              key={u.id}
              ctx={ctx}
              u={u}
              manage={mayManage(u)}
              onChanged={(message) => {
                setNotice(message);
                load();
              }}
            />
          ))}
        </ul>
      </div>
    </section>
  );
}

function UserItem({
  ctx,
  u,
  manage,
  onChanged,
}: {
  ctx: DeskCtx;
  u: UserRow;
  manage: boolean;
  onChanged: (message: string) => void;
}): JSX.Element {
  const w = ctx.w.users;
  const [resetting, setResetting] = useState(false);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const short = password.length > 0 && password.length < MIN_PASSWORD;
  const id = `pw-${u.id}`;
  const reset = (event: Event): void => {
    event.preventDefault();
    if (password.length < MIN_PASSWORD) {
      setError(w.passwordMin(MIN_PASSWORD));
      return;
    }
    setBusy(true);
    gq(ctx, UPDATE, { input: { id: u.id, expectedVersion: u.version, password } })
      .then(() => {
        setResetting(false);
        onChanged(w.passwordChanged(u.name));
      })
      .catch((e: unknown) => setError(explain(e, ctx.w)))
      .finally(() => setBusy(false));
  };
  return (
    <li class="dk-item" data-user={u.email}>
      <div>
        <strong>{u.name}</strong> <span class="dk-status">{ctx.w.roles[u.role]}</span>
        <div class="dk-meta">
          {u.email}
          {u.opd ? ` · ${u.opd.name}` : ''}
        </div>
        {resetting ? (
          <form class="dk-inline-form" onSubmit={reset} noValidate>
            <label for={id}>{w.newPasswordFor(u.name)}</label>
            <div class="dk-row">
              <input
                id={id}
                type="text"
                autoComplete="new-password"
                value={password}
                aria-invalid={short ? 'true' : undefined}
                aria-describedby={`${id}-h`}
                onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
              />
              <button type="button" class="dk-btn dk-quiet" onClick={() => setPassword(suggestPassword())}>
                {w.random}
              </button>
              {password ? <CopyButton text={password} /> : null}
            </div>
            <p id={`${id}-h`} class={short || error ? 'dk-error' : 'dk-hint'}>
              {error ?? (short ? w.tooShort(MIN_PASSWORD, password.length) : w.tellThem(MIN_PASSWORD, u.name))}
            </p>
            <div class="dk-actions">
              <button type="submit" class="dk-btn dk-primary" disabled={busy} data-action="reset-save">
                {w.savePassword}
              </button>
              <button type="button" class="dk-btn dk-quiet" onClick={() => setResetting(false)}>
                {ctx.w.cancel}
              </button>
            </div>
          </form>
        ) : null}
      </div>
      {manage && !resetting ? (
        <div class="dk-actions">
          <button type="button" class="dk-btn" data-action="reset" onClick={() => setResetting(true)}>
            {w.reset}
          </button>
          <ConfirmButton
            name="archive"
            label={w.archive}
            question={w.archiveQuestion(u.name)}
            confirmLabel={w.archiveConfirm}
            busy={busy}
            onConfirm={() => {
              setBusy(true);
              gq(ctx, ARCHIVE, { input: { id: u.id, expectedVersion: u.version } })
                .then(() => onChanged(w.archived(u.name)))
                .catch((e: unknown) => setError(explain(e, ctx.w)))
                .finally(() => setBusy(false));
            }}
          />
        </div>
      ) : null}
      {error && !resetting ? <Notice kind="error">{error}</Notice> : null}
    </li>
  );
}

function InviteForm({ ctx, onCreated }: { ctx: DeskCtx; onCreated: (message: string) => void }): JSX.Element {
  const w = ctx.w.users;
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'OPD_REPORTER' | 'VIEWER'>('OPD_REPORTER');
  const [opdId, setOpdId] = useState('');
  const [password, setPassword] = useState(suggestPassword);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<{ message: string; field: string | null } | null>(null);
  const problems: Record<string, string | undefined> = {
    name: name.trim() ? undefined : w.noName,
    email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim()) ? undefined : w.badEmail,
    opdId: role === 'OPD_REPORTER' && !opdId ? w.noOpd : undefined,
    password: password.length >= MIN_PASSWORD ? undefined : w.shortPassword(MIN_PASSWORD),
  };
  const show = (f: string): string | undefined =>
    (tried || (f === 'password' && password) ? problems[f] : undefined) ?? (serverError?.field === f ? serverError.message : undefined);
  const submit = (event: Event): void => {
    event.preventDefault();
    setTried(true);
    const first = Object.keys(problems).find((k) => problems[k]);
    if (first) {
      document.getElementById(`u-${first}`)?.focus();
      return;
    }
    setBusy(true);
    setServerError(null);
    gq(ctx, CREATE, {
      input: { name: name.trim(), email: email.trim(), role, cityId: ctx.cityId, ...(role === 'OPD_REPORTER' ? { opdId } : {}), password },
    })
      .then(() => {
        onCreated(w.created(name.trim(), email.trim(), password));
        setName('');
        setEmail('');
        setPassword(suggestPassword());
        setTried(false);
      })
      .catch((e: unknown) => setServerError({ message: explain(e, ctx.w), field: fieldOf(e) }))
      .finally(() => setBusy(false));
  };
  const field = (key: string, label: string, input: JSX.Element, hint: string): JSX.Element => (
    <div class="dk-field">
      <label for={`u-${key}`}>{label}</label>
      {input}
      <p id={`u-${key}-h`} class={show(key) ? 'dk-error' : 'dk-hint'}>
        {show(key) ?? hint}
      </p>
    </div>
  );
  return (
    <form class="dk-panel dk-form" id="invite-form" onSubmit={submit} noValidate>
      <h2>{w.invite}</h2>
      <div class="dk-grid">
        {field(
          'name',
          w.name,
          <input
            id="u-name"
            type="text"
            value={name}
            aria-invalid={show('name') ? 'true' : undefined}
            aria-describedby="u-name-h"
            onInput={(e) => setName((e.target as HTMLInputElement).value)}
          />,
          w.nameHint,
        )}
        {field(
          'email',
          w.email,
          <input
            id="u-email"
            type="email"
            value={email}
            aria-invalid={show('email') ? 'true' : undefined}
            aria-describedby="u-email-h"
            onInput={(e) => setEmail((e.target as HTMLInputElement).value)}
          />,
          w.emailHint,
        )}
        {field(
          'role',
          w.role,
          <select
            id="u-role"
            value={role}
            aria-describedby="u-role-h"
            onChange={(e) => setRole((e.target as HTMLSelectElement).value as typeof role)}
          >
            <option value="OPD_REPORTER">{w.reporterOption}</option>
            <option value="VIEWER">{w.viewerOption}</option>
          </select>,
          w.roleHint,
        )}
        {role === 'OPD_REPORTER'
          ? field(
              'opdId',
              w.opd,
              <select
                id="u-opdId"
                value={opdId}
                aria-invalid={show('opdId') ? 'true' : undefined}
                aria-describedby="u-opdId-h"
                onChange={(e) => setOpdId((e.target as HTMLSelectElement).value)}
              >
                <option value="">{w.pickOpd}</option>
                {ctx.city.opds.map((o) => (
                  <option value={o.id}>{o.name}</option>
                ))}
              </select>,
              w.opdHint,
            )
          : null}
        {field(
          'password',
          w.password,
          <div class="dk-row">
            <input
              id="u-password"
              type="text"
              autoComplete="new-password"
              value={password}
              aria-invalid={show('password') ? 'true' : undefined}
              aria-describedby="u-password-h"
              onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
            />
            <button type="button" class="dk-btn dk-quiet" onClick={() => setPassword(suggestPassword())}>
              {w.random}
            </button>
          </div>,
          w.passwordHint(MIN_PASSWORD),
        )}
      </div>
      {serverError && !['name', 'email', 'opdId', 'password'].includes(serverError.field ?? '') ? (
        <Notice kind="error">{serverError.message}</Notice>
      ) : null}
      <button type="submit" class="dk-btn dk-primary" id="invite-submit" disabled={busy}>
        {busy ? w.creating : w.create}
      </button>
    </form>
  );
}
