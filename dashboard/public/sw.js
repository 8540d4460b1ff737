// Service worker of the meeting-room screen: keeps the page itself (index.html and its hashed
// assets) so a TV that restarts while the server is away still opens the screen, which then shows
// its last snapshot (kept in localStorage) under the offline band — never a browser error page.
// Network first: online, every load is fresh. Only GET requests under /dashboard/ are touched; the
// API (/graphql) and the WebSocket never pass through here.
const CACHE = 'pantau-dashboard-v1';
/** The page's own path, e.g. /dashboard/ (or /prefix/dashboard/ behind a proxy). */
const INDEX = new URL('./', self.location.href).pathname;

/** The asset paths an index.html refers to (`./assets/index-<hash>.js`). */
function assetsOf(html) {
  return [...new Set(html.match(/(?:\.\/|\/[\w./-]*\/)?assets\/[\w.-]+/g) ?? [])].map(
    (ref) => new URL(ref, self.location.origin + INDEX).pathname,
  );
}

/** Caches the page and its assets, and forgets assets of older builds (the cache never grows). */
async function keep(indexResponse) {
  const cache = await caches.open(CACHE);
  const html = await indexResponse.clone().text();
  const assets = assetsOf(html);
  await cache.put(INDEX, indexResponse);
  await Promise.all(assets.map(async (url) => (await cache.match(url)) ?? cache.add(url).catch(() => {})));
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (path !== INDEX && !assets.includes(path)) await cache.delete(request);
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
        return response;
      } catch (error) {
        const cached = await caches.match(navigation ? INDEX : request, { ignoreSearch: true });
        if (cached) return cached;
        throw error;
      }
    })(),
  );
});
