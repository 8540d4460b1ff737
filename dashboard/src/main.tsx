// Boot: read the kiosk URL (or storage), hide the token from the address bar, never let an error
// reach the glass, and render the kiosk or the desk.
import { render } from 'preact';
import { Desk } from './desk';
import { Kiosk } from './kiosk';
import { KIOSK_KEY, resolveConfig, storedConfig } from './params';
import './screen.css';

// A TV has nobody to read an error: log it, keep the last good screen. (A render error inside a
// view is caught by its Guard; this catches everything else, e.g. a failed promise in a timer.)
window.addEventListener('error', (event) => {
  console.warn('[pantau] error', event.error ?? event.message);
  event.preventDefault();
});
window.addEventListener('unhandledrejection', (event) => {
  console.warn('[pantau] unhandled rejection', event.reason);
  event.preventDefault();
});

function readStorage(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

const { config, cleanHref } = resolveConfig(location.href, readStorage(KIOSK_KEY));
try {
  const stored = storedConfig(config);
  if (stored) localStorage.setItem(KIOSK_KEY, stored);
} catch {
  // Without storage the screen still works; it only can't come back by itself after a power cut.
}
// The token leaves the address bar (and so any bookmark, history entry or screenshot of it).
if (cleanHref) history.replaceState(null, '', cleanHref);

// Keep the page itself for a restart while the server is away (secure contexts only: https or localhost).
if ('serviceWorker' in navigator && window.isSecureContext) {
  navigator.serviceWorker.register('./sw.js', { scope: './' }).catch(() => {});
}

document.documentElement.lang = config.lang;
const root = document.getElementById('root');
if (root) {
  root.textContent = '';
  if (config.token) {
    document.documentElement.classList.add('kiosk');
    render(<Kiosk config={{ ...config, token: config.token }} />, root);
  } else {
    render(<Desk config={config} />, root);
  }
}
