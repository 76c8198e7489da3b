// The installed app: after its first load each page's service worker (public/sw.js, one copy per
// page) keeps a versioned copy of that page's shell, so the register and the owner's view open,
// and every route reloads, with no network at all. Each precaches only its own page's bundle.
import { expect, test, type BrowserContext, type Page, type Worker } from '@playwright/test';

/** The languages whose texts are files (i18n/locales/): every one but the compiled-in Japanese. */
const LOCALES = ['en', 'ko', 'zh-Hans', 'zh-Hant'];

/** Loads the page at `path` and waits until its service worker (`script`) controls it. */
async function installed(page: Page, context: BrowserContext, path = '/', script = '/sw.js'): Promise<Worker> {
  await page.goto(path);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  // The app registers /sw.js itself (pwa::register_service_worker in app/src/lib.rs).
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) =>
        navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  });
  const worker = context.serviceWorkers().find((w) => new URL(w.url()).pathname === script);
  expect(worker, `a service worker runs for ${script}`).toBeTruthy();
  return worker!;
}

test('after the first load the app opens offline, on any route', async ({ page, context, request }) => {
  const sw = await request.get('/sw.js');
  expect(sw.ok()).toBe(true);
  expect(sw.headers()['cache-control']).toBe('no-cache');
  const worker = await installed(page, context);

  // One cache, named after this build, holding the page, the hashed JS/WASM/CSS and the icons.
  const shell = await page.evaluate(async () => {
    const names = (await caches.keys()).filter((name) => name.startsWith('akinai-shell-'));
    const cache = await caches.open(names[0]);
    const paths = (await cache.keys()).map((r) => new URL(r.url).pathname);
    return { names, paths };
  });
  expect(shell.names).toHaveLength(1);
  expect(shell.names[0]).toMatch(/^akinai-shell-[0-9a-f]{16}$/);
  expect(shell.paths).toEqual(expect.arrayContaining(['/', '/index.html', '/manifest.webmanifest',
    '/icons/icon-192.png', '/icons/icon-512.png']));
  for (const ext of ['.js', '.wasm', '.css']) {
    expect(shell.paths.some((p) => /^\/[^/]+-[0-9a-f]{1,16}(_bg)?\.[a-z]+$/.test(p) && p.endsWith(ext)),
      `a hashed ${ext} file is cached`).toBe(true);
  }
  // Every language's texts, for the UI and for receipts in the customer's language.
  expect(shell.paths).toEqual(expect.arrayContaining(LOCALES.map((tag) => `/locales/${tag}.ftl`)));
  expect(shell.paths.some((p) => p.startsWith('/api/'))).toBe(false);
  // The owner's view is another bundle: a tablet never downloads it.
  expect(shell.paths.filter((p) => p.startsWith('/owner'))).toEqual(['/owner.webmanifest']);

  await context.setOffline(true);
  try {
    // Really offline, for the worker too; and /api/ is never answered from a cache.
    expect(await worker.evaluate(() => fetch('/index.html', { cache: 'no-store' }).then(() => 'online', () => 'offline')))
      .toBe('offline');
    expect(await page.evaluate(() => fetch('/api/v1/health').then(() => 'answered', () => 'failed'))).toBe('failed');

    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

    // Only Japanese is compiled in: the other languages' texts come from the precache, so
    // switching works offline, and so does starting in one.
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Akinai');
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Akinai');
    // Korean was never shown online: a receipt in it must work offline all the same.
    await page.getByRole('button', { name: '한국어' }).click();
    await expect(page.getByRole('group', { name: '언어' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
    await page.getByRole('button', { name: '日本語' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('商い');

    // A deep link (a route the server answers with index.html) reloads offline too.
    await page.goto('/any/route');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

    // An e-receipt link is the server's page, never the cached app: offline it does not open.
    await expect(page.goto(`/r/${'A'.repeat(55)}`)).rejects.toThrow();
  } finally {
    await context.setOffline(false);
  }
});

test('the owner\'s view installs its own bundle only, and reloads offline on its routes', async ({ page, context }) => {
  const worker = await installed(page, context, '/owner', '/owner-app/sw.js');
  const shell = await page.evaluate(async () => {
    const names = await caches.keys();
    const owner = names.filter((name) => name.startsWith('akinai-owner-app-shell-'));
    const cache = await caches.open(owner[0]);
    return { names, owner, paths: (await cache.keys()).map((r) => new URL(r.url).pathname) };
  });
  // A phone that opens /owner gets no register: no cache of it, nothing of it in the owner's.
  expect(shell.names).toEqual(shell.owner);
  expect(shell.owner[0]).toMatch(/^akinai-owner-app-shell-[0-9a-f]{16}$/);
  expect(shell.paths.every((p) => p.startsWith('/owner-app/')), shell.paths.join(' ')).toBe(true);
  expect(shell.paths).toEqual(expect.arrayContaining(['/owner-app/', '/owner-app/index.html',
    ...LOCALES.map((tag) => `/owner-app/locales/${tag}.ftl`)]));
  expect(shell.paths.some((p) => /^\/owner-app\/owner-[0-9a-f]{1,16}_bg\.wasm$/.test(p)), 'the owner\'s wasm is cached').toBe(true);

  await context.setOffline(true);
  try {
    expect(await worker.evaluate(() => fetch('/owner-app/index.html', { cache: 'no-store' }).then(() => 'online', () => 'offline')))
      .toBe('offline');
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await page.goto('/owner/stores');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  } finally {
    await context.setOffline(false);
  }
});

test('the manifest offers PNG icons of 192 and 512 px, and they are served', async ({ page, request }) => {
  await page.goto('/');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const manifest = await (await request.get(href!)).json();
  const png = (size: string, purpose: string) =>
    manifest.icons.find((i: { sizes: string; type: string; purpose?: string }) =>
      i.type === 'image/png' && i.sizes.split(' ').includes(size) && (i.purpose ?? 'any').split(' ').includes(purpose));
  for (const [size, purpose] of [['192x192', 'any'], ['512x512', 'any'], ['512x512', 'maskable']]) {
    const icon = png(size, purpose);
    expect(icon, `a ${purpose} PNG icon of ${size}`).toBeTruthy();
    const response = await request.get(icon.src);
    expect(response.ok()).toBe(true);
    expect(response.headers()['content-type']).toBe('image/png');
    const body = await response.body();
    // PNG signature, then IHDR: width and height as big-endian 32-bit integers at bytes 16 and 20.
    expect(body.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(`${body.readUInt32BE(16)}x${body.readUInt32BE(20)}`).toBe(size);
  }
});
