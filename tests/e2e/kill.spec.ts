// The kill test: a paired tablet (Chromium with a persistent profile, its own process) rings up
// sales while its server is down, then drains its outbox while the server is killed with SIGKILL
// and started again every second or two and the browser itself is killed and started again, once
// right after 会計を確定. At the end the server holds exactly the sales the tablet holds, the
// receipt numbers run 1..N with no gap and none twice, and `akinai verify` is clean.
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  akinai, killServer, openShift, pairTablet, PIN, sell, serverSales, signIn, startServer,
  stopServer, storeToPair, syncState,
} from './shop';

const items = ['おにぎり 鮭 ¥180', '缶ビール 350ml ¥250', '新聞 ¥160', '手ぬぐい ¥1,200'];

/** A tablet: Chromium run as its own process on a profile that outlives it, driven over CDP. */
interface Tablet {
  process: ChildProcess;
  browser: Browser;
  page: Page;
}

/** Starts Chromium on `profile` (a folder kept between launches), listening for CDP on `port`. */
async function launchTablet(profile: string, port: number): Promise<Tablet> {
  const chrome = spawn(process.env.CHROMIUM ?? '/usr/bin/chromium', [
    '--headless=new', `--user-data-dir=${profile}`, `--remote-debugging-port=${port}`,
    '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--no-first-run', '--window-size=1280,800', '--lang=ja-JP',
    'about:blank',
  ], { detached: true, stdio: 'ignore', env: { ...process.env, TZ: 'Asia/Tokyo', LANG: 'ja_JP.UTF-8' } });
  for (let i = 0; i < 100; i++) {
    try {
      const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
      const context = browser.contexts()[0];
      const page = context.pages()[0] ?? (await context.newPage());
      return { process: chrome, browser, page };
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('Chromium did not start');
}

/** SIGKILLs the tablet's browser and every process it started (its process group). */
async function killTablet(tablet: Tablet) {
  if (tablet.process.exitCode !== null || tablet.process.signalCode !== null) return;
  const exited = new Promise((r) => tablet.process.once('exit', r));
  try {
    process.kill(-tablet.process.pid!, 'SIGKILL');
  } catch { /* gone already */ }
  await exited;
}

/** Opens the register again after a relaunch: sign in; the shift is still open. */
async function reopen(tablet: Tablet, base: string) {
  await tablet.page.goto(base);
  await signIn(tablet.page, PIN);
  await expect(tablet.page.getByLabel('商品検索・バーコード')).toBeVisible();
}

/** The sales the tablet holds (`receipt_no:id`, by receipt number) and its outbox's size. */
async function tabletSales(page: Page): Promise<{ sales: string[]; outbox: number }> {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('akinai');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction(['sales', 'outbox'], 'readonly');
      const sales = tx.objectStore('sales').getAll();
      const outbox = tx.objectStore('outbox').count();
      tx.oncomplete = () => {
        const rows = (sales.result as { id: string; receipt_no: number }[])
          .sort((a, b) => a.receipt_no - b.receipt_no)
          .map((s) => `${s.receipt_no}:${s.id}`);
        open.result.close();
        resolve({ sales: rows, outbox: outbox.result });
      };
    };
  }));
}

test('killed servers and browsers lose no sale and make none twice', async ({ browser }) => {
  test.setTimeout(240_000);
  let server = await startServer(5);
  const cdpPort = Number(process.env.E2E_PORT ?? 8137) + 50;
  const profile = mkdtempSync(join(tmpdir(), 'akinai-tablet-'));
  const phoneContext = await browser.newContext();
  let tablet = await launchTablet(profile, cdpPort);
  let chaos: Promise<void> | undefined;
  let calm = false;
  let batchSent = () => {};
  /** Watches a (re)launched tablet's batches for the server killer. */
  const watched = (t: Tablet) => {
    t.page.on('request', (r) => { if (r.url().endsWith('/api/v1/sync')) batchSent(); });
    return t;
  };
  try {
    const phone = await phoneContext.newPage();
    const code = await storeToPair(phone, server.base, 'kill@example.jp');
    await pairTablet(tablet.page, server.base, code, 'レジ1');
    await openShift(tablet.page);
    await expect(syncState(tablet.page)).toContainText('同期済み');

    // The server is killed; the tablet sells on.
    await killServer(server);
    for (let i = 0; i < 30; i++) await sell(tablet.page, items[i % items.length]);
    await expect(syncState(tablet.page)).toContainText('送信待ち 30 件');

    // Back, and killed and started again every second or so while the tablet drains and sells.
    watched(tablet);
    server = await startServer(5, server.db);
    let kills = 0;
    chaos = (async () => {
      while (!calm) {
        // Every second or so, or the moment the tablet sends a batch (killed mid-batch).
        await Promise.race([
          new Promise((r) => setTimeout(r, 700 + Math.random() * 800)),
          new Promise<void>((r) => { batchSent = r; }),
        ]);
        await killServer(server);
        kills++;
        server = await startServer(5, server.db);
      }
    })();
    let sold = 30;
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++, sold++) await sell(tablet.page, items[sold % items.length]);
      await killTablet(tablet);
      tablet = watched(await launchTablet(profile, cdpPort));
      await reopen(tablet, server.base);
    }
    // Killed right after 会計を確定: the sale is kept whole or not at all.
    const page = tablet.page;
    await page.getByRole('button', { name: items[0] }).click();
    await page.getByRole('button', { name: 'お会計へ' }).click();
    await page.getByRole('button', { name: 'ちょうど' }).click();
    await page.getByRole('button', { name: '会計を確定' }).click();
    await killTablet(tablet);
    tablet = watched(await launchTablet(profile, cdpPort));
    await reopen(tablet, server.base);
    for (let i = 0; i < 4; i++, sold++) await sell(tablet.page, items[sold % items.length]);
    while (kills < 8) await new Promise((r) => setTimeout(r, 200));
    calm = true;
    await chaos;

    // Calm again: everything drains, and both sides hold the same sales.
    await expect(syncState(tablet.page)).toHaveText(/^同期済み/, { timeout: 30_000 });
    const held = await tabletSales(tablet.page);
    expect(held.outbox).toBe(0);
    expect(held.sales.length).toBeGreaterThanOrEqual(sold);
    expect(held.sales.map((s) => Number(s.split(':')[0])))
      .toEqual(Array.from({ length: held.sales.length }, (_, i) => i + 1));
    const stored = await serverSales(phone, server.base);
    expect(stored.map((s) => `${s.receipt_no}:${s.id}`)).toEqual(held.sales);

    await stopServer(server);
    const verify = akinai(server, ['verify']);
    expect(verify.status, verify.output).toBe(0);
  } finally {
    calm = true;
    await chaos?.catch(() => undefined);
    await killTablet(tablet);
    rmSync(profile, { recursive: true, force: true });
    await phoneContext.close();
    await stopServer(server);
  }
});
