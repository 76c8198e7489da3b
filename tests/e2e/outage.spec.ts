// Recovery after an outage: a paired tablet sells through a server outage (each sale's sync
// attempt fails without reaching the server), and its outbox drains within 10 s of the server
// answering again, the sync line telling the truth all along.
import { expect, test, type Page } from '@playwright/test';
import {
  openShift, pairTablet, sell, serverSales, startServer, stopServer, storeToPair, syncState,
} from './shop';

/** The receipt numbers the server holds. */
async function receipts(phone: Page, base: string): Promise<number[]> {
  return (await serverSales(phone, base)).map((s) => s.receipt_no);
}

test('sales rung up through an outage drain within 10 s of the server coming back', async ({ browser }) => {
  test.setTimeout(120_000);
  let server = await startServer(4);
  const phoneContext = await browser.newContext();
  const tablet = await browser.newContext({ viewport: { width: 1280, height: 800 }, hasTouch: true });
  try {
    const phone = await phoneContext.newPage();
    const code = await storeToPair(phone, server.base, 'outage@example.jp');
    const register = await tablet.newPage();
    await pairTablet(register, server.base, code, 'レジ1');
    await openShift(register);
    await expect(syncState(register)).toContainText('同期済み');

    // A sale that is sent while the store's changes cannot be fetched: nothing waits, and the
    // line does not also claim the tablet is synced.
    await register.route('**/api/v1/changes*', (route) => route.abort('connectionrefused'));
    await sell(register, 'おにぎり 鮭 ¥180');
    await expect(syncState(register)).toContainText('オフライン');
    await expect.poll(() => receipts(phone, server.base)).toEqual([1]);
    await expect(syncState(register)).not.toContainText('同期済み');
    await register.unroute('**/api/v1/changes*');

    // The server goes away; every sale tries to sync and fails without reaching it.
    await stopServer(server);
    const items = ['おにぎり 鮭 ¥180', '缶ビール 350ml ¥250', '新聞 ¥160', '手ぬぐい ¥1,200'];
    for (let i = 0; i < 10; i++) await sell(register, items[i % items.length]);
    await expect(syncState(register)).toContainText('送信待ち 10 件');
    await expect(syncState(register)).toContainText('オフライン');
    // Long enough for the failed attempts to have grown any backoff they grow.
    await register.waitForTimeout(5_000);

    server = await startServer(4, server.db);
    await expect(syncState(register)).toHaveText(/^同期済み/, { timeout: 10_000 });
    await expect(syncState(register)).not.toContainText('オフライン');
    expect(await receipts(phone, server.base)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  } finally {
    for (const context of [phoneContext, tablet]) await context.close();
    await stopServer(server);
  }
});
