// Akinai's service worker: keeps a page's shell (index.html, the hashed JS, WASM and CSS that Trunk
// emits, the manifest and the icons) in a cache named after the build, so that the page opens and
// works with no network after its first load. Each page has its own copy of this file, beside its
// own build: the register's at /sw.js (scope /), the owner's view's at /owner-app/sw.js (scope
// /owner). Each precaches only its own page's files, so a tablet never downloads the owner's view
// and a phone never downloads the register.
//
// The build fills in VERSION (a hash of every shipped file) and PRECACHE (their URLs):
// app/sw-precache.sh, a Trunk post_build hook, rewrites this file in the dist folder. Unbuilt, the
// list is empty and nothing is cached.
//
// - App-shell files: cache first (their names carry a content hash, so a cached copy is exact).
// - Navigations to this page's routes: this version's cached index.html, online or not, so every
//   route reloads offline and the page never runs ahead of its cached code. The register's worker
//   leaves the owner's routes to the network (or to the owner's worker once that is installed).
// - /api/: never touched here (network only). The app keeps its own data offline in IndexedDB.
// - /r/ (e-receipts the server renders for a customer's phone): network only too, navigations
//   included, so a receipt's link opened on the tablet shows the server's page, not the app.
// - A new version installs beside the old one and waits. It takes over only when the app posts
//   {type: 'SKIP_WAITING'}, which the app does between sales, never in the middle of one; on
//   activation it deletes the caches of older versions.
'use strict';

const VERSION = '__AKINAI_VERSION__';
// '' for the register, 'owner-app' for the owner's view: each page keeps and cleans its own caches.
const PAGE = new URL('./', self.location.href).pathname.replace(/\//g, '');
const PREFIX = PAGE ? `akinai-${PAGE}-shell-` : 'akinai-shell-';
// The owner's view's routes (owner::Page): the owner's page, served from /owner-app/.
const OWNER_ROUTE = /^\/owner(\/|$)/;
// The server's own answers, never from a cache: the API and the e-receipt pages.
const NETWORK_ONLY = /^\/(api|r)\//;
const CACHE = PREFIX + VERSION;
const PRECACHE = [/*__AKINAI_PRECACHE__*/];
const SHELL = new Set(PRECACHE.map((url) => new URL(url, self.location.href).pathname));
const INDEX = new URL('index.html', self.location.href).href;
// Shop Wi-Fi can hang rather than fail: after this long a navigation is served from the cache.

self.addEventListener('install', (event) => {
  // All or nothing: if one file fails to download, this version is not installed. 'no-cache'
  // asks the server whether the copy the page just loaded is still current (the server sends
  // Last-Modified), so a first visit does not download the wasm a second time for the cache.
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: 'no-cache' })))),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names.filter((name) => name.startsWith(PREFIX) && name !== CACHE).map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') {
    self.skipWaiting();
  }
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (NETWORK_ONLY.test(url.pathname)) return;
  if (request.mode === 'navigate') {
    // Another page's route: not this worker's to answer.
    if (OWNER_ROUTE.test(url.pathname) !== (PAGE !== '')) return;
    event.respondWith(navigate(request));
  } else if (SHELL.has(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});

// This version's own cached shell first, so a page always matches the cached JS/WASM (and the
// IndexedDB schema they expect), and a new version runs only once the register activates the
// waiting worker between sales. The network serves pages only until the shell is cached.
async function navigate(request) {
  return (await cachedIndex()) ?? fetch(request);
}

async function cachedIndex() {
  const cache = await caches.open(CACHE);
  return cache.match(INDEX);
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  return (await cache.match(request)) ?? fetch(request);
}
