// Service worker of the meeting-room screen and the desk: keeps the page itself (index.html and its
// hashed assets) so a TV that restarts while the server is away still opens the screen, which then
// shows its last snapshot (kept in localStorage) under the offline band — never a browser error
// page. The desk's lazily loaded chunks are kept too, once a page has loaded them (a kiosk never
// does), so the desk reloads offline with its saved drafts. Network first: online, every load is
// fresh. Only GET requests under /dashboard/ are touched; the API (/graphql) and the WebSocket
// never pass through here.
const CACHE = 'pantau-dashboard-v1';
const ASSETS = `${new URL('./', self.location.href).pathname}assets/`;
/** The page's own path, e.g. /dashboard/ (or /prefix/dashboard/ behind a proxy). */
const INDEX = new URL('./', self.location.href).pathname;

/** The asset paths an index.html refers to (`./assets/index-<hash>.js`). */
function assetsOf(html) {
  return [...new Set(html.match(/(?:\.\/|\/[\w./-]*\/)?assets\/[\w.-]+/g) ?? [])].map(
    (ref) => new URL(ref, self.location.origin + INDEX).pathname,
  );
}

/** Every asset path of the build being served (asset-list.json), or null when it cannot be read. */
async function buildAssets() {
  try {
    const response = await fetch(`${INDEX}asset-list.json`, { cache: 'no-store' });
    if (!response.ok) return null;
    return (await response.json()).map((name) => new URL(name, self.location.origin + INDEX).pathname);
  } catch {
    return null;
  }
}

/**
 * Caches the page and its assets, and forgets assets of older builds (the cache never grows): those
 * neither in this index nor in this build's asset list (the desk's chunks, kept as they are loaded).
 */
async function keep(indexResponse) {
  const cache = await caches.open(CACHE);
  const html = await indexResponse.clone().text();
  const assets = assetsOf(html);
  await cache.put(INDEX, indexResponse);
  await Promise.all(assets.map(async (url) => (await cache.match(url)) ?? cache.add(url).catch(() => {})));
  const current = (await buildAssets()) ?? assets;
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (path !== INDEX && !assets.includes(path) && !current.includes(path)) await cache.delete(request);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    fetch(INDEX, { cache: 'no-store' })
      .then((response) => (response.ok ? keep(response) : undefined))
      .catch(() => {})
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (
    request.method !== 'GET' ||
    url.origin !== self.location.origin ||
    !url.pathname.startsWith(INDEX) ||
    url.pathname === `${INDEX}sw.js`
  )
    return;
  const navigation = request.mode === 'navigate' || url.pathname === INDEX || url.pathname === `${INDEX}index.html`;
  event.respondWith(
    (async () => {
      try {
        const response = await fetch(request);
        if (navigation && response.ok) event.waitUntil(keep(response.clone()));
        // A hashed asset the page loaded (a desk chunk): kept for an offline reload.
        else if (response.ok && url.pathname.startsWith(ASSETS)) {
          const copy = response.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
        }
        return response;
      } catch (error) {
        const cached = await caches.match(navigation ? INDEX : request, { ignoreSearch: true });
        if (cached) return cached;
        throw error;
      }
    })(),
  );
});
