// The slim bar above GraphiQL: product name, login/logout and the language toggle.
import { useState, type FormEvent } from 'react';
import { login, LoginError, type Session } from './auth';
import type { Lang, Strings } from './i18n';

interface LoginBarProps {
  t: Strings;
  lang: Lang;
  session: Session | null;
  onLogin: (session: Session) => void;
  onLogout: () => void;
  onToggleLang: () => void;
}

/** Renders the top bar; calls onLogin with the new session after a successful Login mutation. */
export function LoginBar({ t, lang, session, onLogin, onLogout, onToggleLang }: LoginBarProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const token = await login(email.trim(), password, t, lang);
      setPassword('');
      onLogin({ email: email.trim(), token });
    } catch (err) {
      setError(err instanceof LoginError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  // data-state lets tests (and CSS) tell the status kinds apart without parsing text.
  const state = session ? 'logged-in' : busy ? 'busy' : error ? 'error' : 'logged-out';
  const status = session ? (
    <>
      {t.loggedInAs} <strong>{session.email}</strong>
    </>
  ) : busy ? (
    t.loggingIn
  ) : (
    (error ?? t.notLoggedIn)
  );

  return (
    <header className="pantau-bar">
      <h1 className="pantau-title">Pantau — GraphQL Playground</h1>
      {session ? (
        <button id="logout" type="button" onClick={onLogout}>
          {t.logout}
        </button>
      ) : (
        <form className="pantau-login" onSubmit={(e) => void submit(e)}>
          <input
            id="login-email"
            type="email"
            required
            autoComplete="username"
            aria-label={t.email}
            placeholder={t.emailPlaceholder}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          <input
            id="login-password"
            type="password"
            required
            autoComplete="current-password"
            aria-label={t.password}
            placeholder={t.password}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <button id="login-submit" type="submit" disabled={busy}>
            {t.login}
          </button>
        </form>
      )}
      <span
        id="login-status"
        role="status"
        aria-live="polite"
        data-state={state}
        className={state === 'error' ? 'pantau-status pantau-error' : 'pantau-status'}
      >
        {status}
      </span>
      <button type="button" className="pantau-lang" lang={lang === 'id' ? 'en' : 'id'} title={t.switchLangTitle} onClick={onToggleLang}>
        {t.switchLang}
      </button>
    </header>
  );
}
