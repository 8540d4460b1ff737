// Page layout: the login bar on top, GraphiQL filling the rest of the window.
import { useGraphiQL } from '@graphiql/react';
import { GraphiQL } from 'graphiql';
import { useEffect, useMemo, useRef, useState } from 'react';
import { createPantauFetcher, loadSession, saveSession, syncAuthorizationHeader, type Session } from './auth';
import { cityFor, fillCityId } from './cityVariables';
import { DEFAULT_TABS } from './defaultTabs';
import { loadLang, saveLang, STRINGS, type Lang } from './i18n';
import { LoginBar } from './LoginBar';

/** Mirrors the login token into the active tab's headers editor (on login, logout and tab switch). */
function AuthorizationHeaderSync({ token }: { token: string | null }) {
  const headerEditor = useGraphiQL((state) => state.headerEditor);
  const activeTabIndex = useGraphiQL((state) => state.activeTabIndex);
  useEffect(() => {
    if (!headerEditor) return;
    const next = syncAuthorizationHeader(headerEditor.getValue(), token);
    if (next !== null) headerEditor.setValue(next);
  }, [headerEditor, activeTabIndex, token]);
  return null;
}

/** Fills the user's city into the active tab's variables where an example left `cityId` empty. */
function CityVariableSync({ cityId }: { cityId: string | null }) {
  const variableEditor = useGraphiQL((state) => state.variableEditor);
  const activeTabIndex = useGraphiQL((state) => state.activeTabIndex);
  useEffect(() => {
    if (!variableEditor || !cityId) return;
    const next = fillCityId(variableEditor.getValue(), cityId);
    if (next !== null) variableEditor.setValue(next);
  }, [variableEditor, activeTabIndex, cityId]);
  return null;
}

/** Root component of the playground. */
export function App() {
  const [lang, setLang] = useState<Lang>(loadLang);
  const [session, setSession] = useState<Session | null>(loadSession);

  // The fetcher must keep its identity (GraphiQL re-introspects when it changes),
  // so it reads the current token through a ref.
  const tokenRef = useRef<string | null>(session?.token ?? null);
  tokenRef.current = session?.token ?? null;
  // The same for the language: server messages follow the button, not the browser.
  const langRef = useRef<Lang>(lang);
  langRef.current = lang;
  const fetcher = useMemo(
    () =>
      createPantauFetcher(
        () => tokenRef.current,
        () => langRef.current,
      ),
    [],
  );

  useEffect(() => saveLang(lang), [lang]);

  // The city the example tabs work on: asked once per login.
  const [cityId, setCityId] = useState<string | null>(null);
  const token = session?.token ?? null;
  useEffect(() => {
    setCityId(null);
    if (!token) return undefined;
    let cancelled = false;
    void cityFor(token, langRef.current).then((id) => {
      if (!cancelled) setCityId(id);
    });
    return () => {
      cancelled = true;
    };
  }, [token]);

  const updateSession = (next: Session | null) => {
    saveSession(next);
    setSession(next);
  };

  return (
    <div className="pantau-app">
      <LoginBar
        t={STRINGS[lang]}
        lang={lang}
        session={session}
        onLogin={updateSession}
        onLogout={() => updateSession(null)}
        onToggleLang={() => setLang(lang === 'id' ? 'en' : 'id')}
      />
      <div className="pantau-graphiql">
        <GraphiQL fetcher={fetcher} defaultTabs={DEFAULT_TABS} defaultEditorToolsVisibility="headers">
          <AuthorizationHeaderSync token={session?.token ?? null} />
          <CityVariableSync cityId={cityId} />
        </GraphiQL>
      </div>
    </div>
  );
}
