// The register's figures as a cashier feels them, for `cargo xtask bench`: Debian's Chromium,
// headless, CPU throttled 4x through CDP, a 10,000-item catalog and 20,000 past sales on the
// device; what a first visit to each page (the register, the owner's view) downloads; Lighthouse
// on the owner's page. Not a test (tests/e2e is): it prints nothing but progress and writes its
// samples as JSON to BENCH_OUT.
//
// Every interaction is timed inside the page, from the input event's own timestamp (when the
// browser received the tap or key) to the end of the first frame painted after the DOM shows the
// result: a requestAnimationFrame callback that sees the result posts a message, and a message
// posted in a frame's rAF callback is handled after that frame is painted.
import { chromium } from '@playwright/test';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (cargo xtask bench sets it)`);
  return value;
};
const bin = env('AKINAI_BIN');
const appDir = env('AKINAI_APP_DIR');
const port = Number(env('BENCH_PORT'));
const out = env('BENCH_OUT');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const runs = Number(process.env.BENCH_RUNS ?? 3);
// To find where a tap's time goes: a CPU profile of the first run of taps, for DevTools.
const profileOut = process.env.BENCH_PROFILE;
const base = `http://127.0.0.1:${port}`;

const CATALOG_SIZE = 10_000;
const TAPS = 200;
/** Taps per basket: the cart is emptied after this many lines, as after a customer. */
const BASKET = 10;
const SALES = 20;
const COLD_STARTS = 5;
// Each keystroke changes what the grid shows (a leading 0 would match every barcode).
const SEARCHES = ['4217', '7791', '1264', '3358'];
const THROTTLE = 4;
/** Past sales put on the device before the cold starts, over past business days. */
const PAST_SALES = 20_000;
const PAST_PER_DAY = 200;
/** Pinned: Lighthouse's figures move between versions. */
const LIGHTHOUSE = 'lighthouse@12.2.3';
const PIN = '2580';

const log = (...args) => console.log('bench:', ...args);
const samples = [];
const work = mkdtempSync(join(tmpdir(), 'akinai-bench-'));
const profile = join(work, 'profile');
let server;

async function startServer() {
  const child = spawn(bin, ['serve', '--addr', `127.0.0.1:${port}`, '--db', join(work, 'akinai.db'),
    '--app-dir', appDir, '--demo'], { stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${base}/api/v1/health`)).ok) return child;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGTERM');
  throw new Error('akinai serve did not start');
}

async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  await exited;
}

/** The demo catalog's items as templates for a catalog of `size`: every item has its own id,
 * name, reading and barcode, so search and barcode lookups do real work. */
async function bigCatalog(size) {
  const demo = (await (await fetch(`${base}/api/v1/catalog`)).json()).filter((i) => !i.open_price);
  return Array.from({ length: size }, (_, n) => {
    const t = demo[n % demo.length];
    const no = String(n).padStart(5, '0');
    return { ...t, id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      name: `${t.name} ${no}`, kana: `${t.kana} ${no}`, barcode: `29${String(n).padStart(11, '0')}` };
  });
}

async function launch() {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
      '--disable-background-networking', '--disable-component-update'],
    viewport: { width: 1280, height: 800 },
    hasTouch: true,
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
  });
  await context.addInitScript(instrument);
  const page = context.pages()[0] ?? await context.newPage();
  const cdp = await context.newCDPSession(page);
  const throttle = () => cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  return { context, page, throttle, cdp };
}

/** Installed in every page before its scripts: the timing probe (see the head of this file). */
function instrument() {
  const painted = () => new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve(performance.now());
    channel.port2.postMessage(null);
  });
  /** Resolves with the time the first frame in which `done()` holds has been painted. */
  const whenPainted = (done) => new Promise((resolve) => {
    const frame = () => (done() ? painted().then(resolve) : requestAnimationFrame(frame));
    requestAnimationFrame(frame);
  });
  window.__bench = {
    /** Times from the next `type` event to the paint of `done()`; `result` waits for it. */
    /** Times the next `type` event: `result` resolves with the ms until `done()` first held in
     * the DOM (a mutation observer's microtask: the app's own work) and until it was painted. */
    arm(type, done) {
      this.result = new Promise((resolve, reject) => {
        setTimeout(() => reject(new Error(`no paint within 20 s of a ${type}`)), 20_000);
        addEventListener(type, (event) => {
          const start = event.timeStamp;
          let updated;
          const observer = new MutationObserver(() => {
            if (updated === undefined && done()) updated = performance.now();
          });
          observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
          whenPainted(done).then((painted) => {
            observer.disconnect();
            resolve({ dom: (updated ?? painted) - start, painted: painted - start });
          });
        }, { capture: true, once: true });
      });
    },
    whenPainted,
    // Cold start: navigation start is time 0. The app is running when its shell (main) shows,
    // and has loaded the device's data when the PIN keypad shows.
    shell: whenPainted(() => document.querySelector('main#main') !== null),
    keypad: whenPainted(() => document.querySelector('input[type="password"]') !== null),
  };
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

/** Adds a figure's per-run values (xtask takes median, min and max). */
function record(figure, unit, values, conditions) {
  samples.push({ figure, unit, values, conditions });
  log(figure, values.map((v) => v.toFixed(1)).join(' '), unit);
}

/** Per-run p50 and p95 of the timings `measure` returns (arm's results), recorded as figures
 * named by `figures`: `{ painted: name, dom?: name }`. */
async function percentiles(figures, runCount, conditions, measure) {
  const runs = [];
  for (let run = 0; run < runCount; run++) runs.push(await measure(run));
  for (const [key, figure] of Object.entries(figures)) {
    for (const p of [50, 95]) {
      record(`${figure} p${p}`, 'ms', runs.map((times) => percentile(times.map((t) => t[key]), p)), conditions);
    }
  }
}

async function signIn(page) {
  await page.getByLabel('暗証番号', { exact: true }).fill(PIN);
  await page.getByRole('button', { name: 'サインイン' }).click();
}

/** First run with the big catalog, the owner signed in, a shift open, the app installed. */
async function setUp(page) {
  const items = await bigCatalog(CATALOG_SIZE);
  await page.route('**/api/v1/catalog', (route) => route.fulfill({ json: items }));
  await page.goto(base);
  await page.getByRole('status').filter({ hasText: /商品 10,?000 / }).waitFor();
  await page.getByLabel('オーナーの名前').fill('店長');
  await page.getByLabel('暗証番号（4〜6桁）').fill(PIN);
  await page.getByLabel('暗証番号（確認）').fill(PIN);
  await page.getByRole('button', { name: '始める' }).click();
  await signIn(page);
  await page.getByRole('group', { name: '釣り銭準備金' }).getByLabel('¥1,000', { exact: true }).fill('10');
  await page.getByRole('button', { name: '開局' }).click();
  await page.locator('.item-key').first().waitFor({ timeout: 120_000 });
  await page.unroute('**/api/v1/catalog');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    }
  });
}

const totalText = () => document.querySelector('.totals dd.total')?.textContent ?? '';

async function emptyCart(page) {
  await page.evaluate(async () => {
    for (let line; (line = document.querySelector('.cart-line .line-actions button:last-child'));) {
      line.click();
      await new Promise((r) => requestAnimationFrame(r));
    }
  });
}

/** Taps on something that does nothing: what the timing method measures with no work at all. */
async function idleTaps(page) {
  const times = [];
  for (let tap = 0; tap < BASKET * 5; tap++) {
    await page.evaluate(() => window.__bench.arm('click', () => true));
    await page.locator('.brand h1').click();
    times.push(await page.evaluate(() => window.__bench.result));
  }
  return times;
}

async function taps(page) {
  const keys = page.locator('.item-key');
  const times = [];
  for (let tap = 0; tap < TAPS; tap++) {
    if (tap % BASKET === 0) await emptyCart(page);
    await page.evaluate(() => {
      const before = document.querySelector('.totals dd.total')?.textContent ?? '';
      window.__bench.arm('click', () => (document.querySelector('.totals dd.total')?.textContent ?? '') !== before);
    });
    await keys.nth(tap % 40).click();
    times.push(await page.evaluate(() => window.__bench.result));
  }
  await emptyCart(page);
  return times;
}

async function searches(page) {
  const box = page.getByLabel('商品検索・バーコード');
  const times = [];
  for (const query of SEARCHES) {
    for (const key of query) {
      await page.evaluate(() => {
        const grid = document.querySelector('.item-grid');
        let changed = false;
        new MutationObserver((_, observer) => { changed = true; observer.disconnect(); })
          .observe(grid, { childList: true, subtree: true, characterData: true });
        window.__bench.arm('keydown', () => changed);
      });
      await box.press(key);
      times.push(await page.evaluate(() => window.__bench.result));
    }
    await box.fill('');
    await page.evaluate(() => window.__bench.whenPainted(() => true));
  }
  return times;
}

async function sales(page) {
  const times = [];
  for (let sale = 0; sale < SALES; sale++) {
    await page.locator('.item-key').nth(sale % 40).click();
    await page.getByRole('button', { name: 'お会計へ' }).click();
    await page.getByRole('button', { name: 'ちょうど' }).click();
    await page.evaluate(() =>
      window.__bench.arm('click', () => document.querySelector('article[aria-label="レシート"]') !== null));
    await page.getByRole('button', { name: '会計を確定' }).click();
    times.push(await page.evaluate(() => window.__bench.result));
    await page.getByRole('button', { name: '次のお客様' }).click();
  }
  return times;
}

/** Adds `count` past sales to the device's IndexedDB, `perDay` a business day going back from
 * yesterday, each a copy of a sale the bench made with its own id, receipt number and shift: the
 * history a tablet has after months of use. */
async function seedPastSales(page, count, perDay) {
  await page.evaluate(async ({ count, perDay }) => {
    const done = (request) => new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const db = await done(indexedDB.open('akinai'));
    const [template] = await done(db.transaction('sales').objectStore('sales').getAll(null, 1));
    const tx = db.transaction('sales', 'readwrite');
    const store = tx.objectStore('sales');
    const day = 86_400_000;
    let shift;
    for (let n = 0; n < count; n++) {
      const back = Math.floor(n / perDay) + 1;
      if (n % perDay === 0) shift = crypto.randomUUID();
      const at = new Date(Date.parse(template.at) - back * day + (n % perDay) * 1000);
      const tokyo = new Date(at.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
      store.put({ ...template, id: crypto.randomUUID(), receipt_no: 1_000_000 + n, shift_id: shift,
        at: at.toISOString(), business_date: tokyo });
    }
    await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
    db.close();
  }, { count, perDay });
}

/** A proxy in front of the server that counts the bytes of the bodies it passes on, as they
 * go over the wire (compressed when the server compresses them). */
async function countingProxy() {
  let bytes = 0;
  const proxy = http.createServer((req, res) => {
    const upstream = http.request({ host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.on('data', (chunk) => { bytes += chunk.length; res.write(chunk); });
        answer.on('end', () => res.end());
      });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${proxy.address().port}`, bytes: () => bytes, close: () => proxy.close() };
}

/** What a fresh browser downloads for the page at `path` until its service worker is active and
 * the network has been quiet for a second: the page's own loads, its API calls and the worker's
 * precache, measured at a counting proxy (a new origin, so nothing is cached). */
async function firstVisit(path) {
  const proxy = await countingProxy();
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    const page = await context.newPage();
    await page.goto(proxy.url + path);
    await page.evaluate(() => navigator.serviceWorker.ready);
    for (let last = -1; last !== proxy.bytes();) {
      last = proxy.bytes();
      await new Promise((r) => setTimeout(r, 1000));
    }
    return proxy.bytes() / 1000;
  } finally {
    await browser.close();
    proxy.close();
  }
}

/** Lighthouse (pinned, its mobile default: simulated slow 4G and 4x CPU) on `url`: the largest
 * contentful paint in seconds. */
async function lighthouse(url) {
  const report = join(work, 'lighthouse.json');
  await new Promise((resolve, reject) => {
    execFile('npm', ['exec', '--yes', `--package=${LIGHTHOUSE}`, '--', 'lighthouse', url,
      '--only-categories=performance', '--output=json', `--output-path=${report}`, '--quiet',
      '--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage'],
    { env: { ...process.env, CHROME_PATH: chromiumPath }, maxBuffer: 1 << 24 },
    (err) => (err ? reject(err) : resolve()));
  });
  const audits = JSON.parse(readFileSync(report, 'utf8')).audits;
  return audits['largest-contentful-paint'].numericValue / 1000;
}

/** A new browser on the installed app, the server stopped: navigation start to the keypad, then
 * the sign-in tap to the register painted with the whole catalog. */
async function coldStart() {
  const { context, page, throttle } = await launch();
  try {
    await throttle();
    await page.goto(base);
    const shell = await page.evaluate(() => window.__bench.shell);
    const keypad = await page.evaluate(() => window.__bench.keypad);
    await page.getByLabel('暗証番号', { exact: true }).fill(PIN);
    await page.evaluate(() =>
      window.__bench.arm('click', () => document.querySelectorAll('.item-key').length > 0));
    await page.getByRole('button', { name: 'サインイン' }).click();
    const register = (await page.evaluate(() => window.__bench.result)).painted;
    return { shell, keypad, register };
  } finally {
    await context.close();
  }
}

async function main() {
  server = await startServer();
  const wire = { '/': [], '/owner': [] };
  const lcp = [];
  for (let run = 0; run < runs; run++) {
    for (const path of Object.keys(wire)) wire[path].push(await firstVisit(path));
    lcp.push(await lighthouse(`${base}/owner`));
  }
  const visit = 'a fresh headless Chromium (no throttling) until the service worker is active and the network is quiet 1 s, bytes of the response bodies at a proxy (brotli where the server sends it), API calls included';
  record('first visit on the wire, register page (/) incl. precache', 'KB', wire['/'], visit);
  record('first visit on the wire, owner page (/owner) incl. precache', 'KB', wire['/owner'], visit);
  record('owner page (/owner) largest contentful paint, Lighthouse', 's', lcp,
    `${LIGHTHOUSE}, mobile preset (simulated slow 4G, 4x CPU), performance only, Debian's Chromium headless; signed out (the sign-in screen)`);
  const conditions = `headless Chromium, CPU throttled ${THROTTLE}x (CDP), ${CATALOG_SIZE.toLocaleString('en')}-item catalog, 1280x800`;
  {
    const { context, page, throttle, cdp } = await launch();
    try {
      log('setting up the shop with', CATALOG_SIZE, 'items');
      await setUp(page);
      await throttle();
      await percentiles({ painted: 'tap → next frame painted, nothing to update (floor)' }, runs,
        `${conditions}; ${BASKET * 5} taps a run on the shop's name, which does nothing`, () => idleTaps(page));
      await percentiles({ dom: 'tap item → cart total in DOM', painted: 'tap item → cart total painted' }, runs,
        `${conditions}; ${TAPS} taps a run, baskets of ${BASKET} lines`, async (run) => {
          if (!profileOut || run > 0) return taps(page);
          await cdp.send('Profiler.enable');
          await cdp.send('Profiler.start');
          const times = await taps(page);
          writeFileSync(profileOut, JSON.stringify((await cdp.send('Profiler.stop')).profile));
          return times;
        });
      await percentiles({ dom: 'search keystroke → results in DOM', painted: 'search keystroke → results painted' }, runs,
        `${conditions}; ${SEARCHES.length * 4} keystrokes a run (4-digit queries from the full grid)`,
        () => searches(page));
      await percentiles({ dom: 'complete sale → receipt in DOM (sale committed to IndexedDB)',
        painted: 'complete sale → receipt painted' }, runs,
        `${conditions}; ${SALES} one-item cash sales a run, each one transaction (sale, outbox, counters)`,
        () => sales(page));
      log('putting', PAST_SALES, 'past sales on the device');
      await seedPastSales(page, PAST_SALES, PAST_PER_DAY);
    } finally {
      await context.close();
    }
  }
  await stopServer();
  const shell = [], keypad = [], register = [];
  for (let run = 0; run < COLD_STARTS; run++) {
    const cold = await coldStart();
    shell.push(cold.shell);
    keypad.push(cold.keypad);
    register.push(cold.keypad + cold.register);
  }
  const cold = `${conditions}; ${PAST_SALES.toLocaleString('en')} past sales over ${PAST_SALES / PAST_PER_DAY} business days; server stopped, app from its service-worker cache, a new browser process each run`;
  record('cold start → app shell painted (wasm running)', 'ms', shell, cold);
  record('cold start → PIN keypad painted (device data loaded)', 'ms', keypad, cold);
  record('cold start → register painted (keypad + sign-in tap)', 'ms', register,
    `${cold}; PIN typing by the script excluded`);
}

try {
  await main();
  writeFileSync(out, JSON.stringify(samples, null, 2));
} finally {
  await stopServer();
  rmSync(work, { recursive: true, force: true });
}
