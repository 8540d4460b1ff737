// "Pengguna": the city's accounts; invite (create) OPD reporters and viewers, reset a password,
// archive an account. Buttons appear only where the API allows them (a city admin manages
// reporters and viewers of its own city, not other city admins).
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { explain, fieldOf, gq, ROLE_LABELS, type DeskCtx, type Me } from './lib';
import { ConfirmButton, CopyButton, Notice } from './ui';

interface UserRow {
  id: string;
  version: number;
  name: string;
  email: string;
  role: Me['role'];
  opd: { id: string; name: string } | null;
  archivedAt: string | null;
}

const LIST = `query DeskUsers($city: ID!) { users(cityId: $city, first: 100) { totalCount edges { node { id version name email role archivedAt opd { id name } } } } }`;
const CREATE = `mutation DeskCreateUser($input: CreateUserInput!) { createUser(input: $input) { id name email } }`;
const UPDATE = `mutation DeskUpdateUser($input: UpdateUserInput!) { updateUser(input: $input) { id version } }`;
const ARCHIVE = `mutation DeskArchiveUser($input: VersionedInput!) { archiveUser(input: $input) { id } }`;

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
  const [users, setUsers] = useState<UserRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = (): void => {
    gq<{ users: { edges: { node: UserRow }[] } }>(ctx, LIST, { city: ctx.cityId })
      .then((d) =>
        setUsers(
          d.users.edges
            .map((e) => e.node)
            .filter((u) => !u.archivedAt)
            .sort((a, b) => a.role.localeCompare(b.role) || a.name.localeCompare(b.name)),
        ),
      )
      .catch((e: unknown) => setError(explain(e)));
  };
  useEffect(load, []);
  useEffect(() => {
    document.title = `Pengguna ${ctx.city.name} (${users?.length ?? 0}) — Pantau`;
  }, [users?.length]);
  const mayManage = (u: UserRow): boolean =>
    u.id !== ctx.me.id && (ctx.me.role === 'PLATFORM_ADMIN' ? u.role !== 'PLATFORM_ADMIN' : MANAGEABLE.includes(u.role));
  return (
    <section>
      <h1>
        Pengguna {ctx.city.name} ({users?.length ?? '…'})
      </h1>
      <p class="dk-lead">
        Siapa yang bisa masuk ke Pantau untuk kota ini. Undang pelapor OPD dan pemirsa, atur ulang kata sandi yang lupa, arsipkan akun yang
        tidak dipakai lagi.
      </p>
      <InviteForm
        ctx={ctx}
        onCreated={(message) => {
          setNotice(message);
          load();
        }}
      />
      <div class="dk-panel">
        <h2>Akun aktif</h2>
        {error ? <Notice kind="error">{error}</Notice> : null}
        {notice ? <Notice kind="ok">{notice}</Notice> : null}
        {users === null ? <p role="status">Memuat…</p> : null}
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
  const [resetting, setResetting] = useState(false);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const short = password.length > 0 && password.length < MIN_PASSWORD;
  const id = `pw-${u.id}`;
  const reset = (event: Event): void => {
    event.preventDefault();
    if (password.length < MIN_PASSWORD) {
      setError(`Kata sandi baru minimal ${MIN_PASSWORD} karakter.`);
      return;
    }
    setBusy(true);
    gq(ctx, UPDATE, { input: { id: u.id, expectedVersion: u.version, password } })
      .then(() => {
        setResetting(false);
        onChanged(`Kata sandi ${u.name} diganti. Sampaikan kata sandi baru kepadanya; sesi lamanya berakhir.`);
      })
      .catch((e: unknown) => setError(explain(e)))
      .finally(() => setBusy(false));
  };
  return (
    <li class="dk-item" data-user={u.email}>
      <div>
        <strong>{u.name}</strong> <span class="dk-status">{ROLE_LABELS[u.role]}</span>
        <div class="dk-meta">
          {u.email}
          {u.opd ? ` · ${u.opd.name}` : ''}
        </div>
        {resetting ? (
          <form class="dk-inline-form" onSubmit={reset} noValidate>
            <label for={id}>Kata sandi baru untuk {u.name}</label>
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
                Buat acak
              </button>
              {password ? <CopyButton text={password} /> : null}
            </div>
            <p id={`${id}-h`} class={short || error ? 'dk-error' : 'dk-hint'}>
              {error ??
                (short
                  ? `Minimal ${MIN_PASSWORD} karakter (sekarang ${password.length}).`
                  : `Minimal ${MIN_PASSWORD} karakter. Sampaikan langsung kepada ${u.name}.`)}
            </p>
            <div class="dk-actions">
              <button type="submit" class="dk-btn dk-primary" disabled={busy} data-action="reset-save">
                Simpan kata sandi
              </button>
              <button type="button" class="dk-btn dk-quiet" onClick={() => setResetting(false)}>
                Batal
              </button>
            </div>
          </form>
        ) : null}
      </div>
      {manage && !resetting ? (
        <div class="dk-actions">
          <button type="button" class="dk-btn" data-action="reset" onClick={() => setResetting(true)}>
            Atur ulang kata sandi
          </button>
          <ConfirmButton
            name="archive"
            label="Arsipkan"
            question={`${u.name} tidak bisa masuk lagi. Arsipkan?`}
            confirmLabel="Ya, arsipkan"
            busy={busy}
            onConfirm={() => {
              setBusy(true);
              gq(ctx, ARCHIVE, { input: { id: u.id, expectedVersion: u.version } })
                .then(() => onChanged(`Akun ${u.name} diarsipkan.`))
                .catch((e: unknown) => setError(explain(e)))
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
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'OPD_REPORTER' | 'VIEWER'>('OPD_REPORTER');
  const [opdId, setOpdId] = useState('');
  const [password, setPassword] = useState(suggestPassword);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<{ message: string; field: string | null } | null>(null);
  const problems: Record<string, string | undefined> = {
    name: name.trim() ? undefined : 'Tulis nama lengkap orangnya.',
    email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim()) ? undefined : 'Tulis alamat email yang benar, mis. nama@dinas.go.id.',
    opdId: role === 'OPD_REPORTER' && !opdId ? 'Pilih OPD tempat orang ini melapor.' : undefined,
    password: password.length >= MIN_PASSWORD ? undefined : `Kata sandi minimal ${MIN_PASSWORD} karakter.`,
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
        onCreated(`Akun ${name.trim()} (${email.trim()}) dibuat. Sampaikan email dan kata sandinya: ${password}`);
        setName('');
        setEmail('');
        setPassword(suggestPassword());
        setTried(false);
      })
      .catch((e: unknown) => setServerError({ message: explain(e), field: fieldOf(e) }))
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
      <h2>Undang pengguna baru</h2>
      <div class="dk-grid">
        {field(
          'name',
          'Nama lengkap',
          <input
            id="u-name"
            type="text"
            value={name}
            aria-invalid={show('name') ? 'true' : undefined}
            aria-describedby="u-name-h"
            onInput={(e) => setName((e.target as HTMLInputElement).value)}
          />,
          'Seperti akan tampil di laporan.',
        )}
        {field(
          'email',
          'Email',
          <input
            id="u-email"
            type="email"
            value={email}
            aria-invalid={show('email') ? 'true' : undefined}
            aria-describedby="u-email-h"
            onInput={(e) => setEmail((e.target as HTMLInputElement).value)}
          />,
          'Dipakai untuk masuk.',
        )}
        {field(
          'role',
          'Peran',
          <select
            id="u-role"
            value={role}
            aria-describedby="u-role-h"
            onChange={(e) => setRole((e.target as HTMLSelectElement).value as typeof role)}
          >
            <option value="OPD_REPORTER">Pelapor OPD (melapor kemajuan OPD-nya)</option>
            <option value="VIEWER">Pemirsa (hanya melihat)</option>
          </select>,
          'Admin kota lain dibuat oleh admin platform.',
        )}
        {role === 'OPD_REPORTER'
          ? field(
              'opdId',
              'OPD',
              <select
                id="u-opdId"
                value={opdId}
                aria-invalid={show('opdId') ? 'true' : undefined}
                aria-describedby="u-opdId-h"
                onChange={(e) => setOpdId((e.target as HTMLSelectElement).value)}
              >
                <option value="">— pilih OPD —</option>
                {ctx.city.opds.map((o) => (
                  <option value={o.id}>{o.name}</option>
                ))}
              </select>,
              'Ia hanya bisa melapor untuk rencana aksi OPD ini.',
            )
          : null}
        {field(
          'password',
          'Kata sandi awal',
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
              Buat acak
            </button>
          </div>,
          `Minimal ${MIN_PASSWORD} karakter. Sampaikan langsung kepada orangnya.`,
        )}
      </div>
      {serverError && !['name', 'email', 'opdId', 'password'].includes(serverError.field ?? '') ? (
        <Notice kind="error">{serverError.message}</Notice>
      ) : null}
      <button type="submit" class="dk-btn dk-primary" id="invite-submit" disabled={busy}>
        {busy ? 'Membuat akun…' : 'Buat akun'}
      </button>
    </form>
  );
}
