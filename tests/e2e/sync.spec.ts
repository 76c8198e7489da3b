// The owner's story with a network that fails: a new owner signs up on a phone, creates a store
// and pairs a tablet; the network and the server go away and the tablet keeps selling (50
// sales); when they are back every sale arrives exactly once and the owner's figures equal the
// register's X report; a second tablet's sale appears in the open owner view without a reload;
// re-sending a batch three times duplicates nothing; and a sale tampered with in the database is
// found by `akinai verify`.
import { expect, test, type Page, type Request } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import {
  addStaff, akinai, CATALOG, createStore, importCatalog, openShift, ownerSignsUp, pairTablet,
  pairingCode, PIN, sell, startServer, stopServer, syncState,
} from './shop';

/** The owner's headline figure whose label contains `label`. */
function headline(phone: Page, label: string) {
  return phone.locator('.headline > div').filter({ hasText: label }).locator('dd');
}

test('fifty offline sales arrive exactly once, live, and tampering is found', async ({ browser }) => {
  test.setTimeout(300_000);
  let server = await startServer(3);
  const phoneContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const tablets = [
    await browser.newContext({ viewport: { width: 1280, height: 800 }, hasTouch: true }),
    await browser.newContext({ viewport: { width: 1280, height: 800 }, hasTouch: true }),
  ];
  try {
    const phone = await phoneContext.newPage();
    await ownerSignsUp(phone, server.base, 'hanako@example.jp');
    await createStore(phone, '花子商店 浅草店');
    await importCatalog(phone, CATALOG, 5);
    await addStaff(phone, '花子', PIN);
    const code = await pairingCode(phone);

    const register = await tablets[0].newPage();
    const batches: Request[] = [];
    register.on('request', (r) => { if (r.url().endsWith('/api/v1/sync')) batches.push(r); });
    await pairTablet(register, server.base, code, 'レジ1');
    await openShift(register);
    // The opened shift reaches the server; nothing waits.
    await expect(syncState(register)).toContainText('同期済み');

    // The network and the server go away; the register keeps selling.
    await tablets[0].setOffline(true);
    await stopServer(server);
    const items = ['おにぎり 鮭 ¥180', '缶ビール 350ml ¥250', '新聞 ¥160', '手ぬぐい ¥1,200'];
    for (let i = 0; i < 50; i++) await sell(register, items[i % items.length]);
    await expect(syncState(register)).toContainText('送信待ち 50 件');
    await expect(syncState(register)).toContainText('オフライン');
    await register.getByRole('button', { name: '精算', exact: true }).click();
    const x = register.getByRole('table', { name: '売上の内訳' });
    await expect(x.getByRole('row', { name: /レシート発行数/ })).toContainText('50');
    const xGross = (await x.getByRole('row', { name: /売上合計/ }).locator('td').last().textContent())?.trim() ?? '';
    // 12 rounds of ¥180 + ¥250 + ¥160 + ¥1,200, then a rice ball and a beer.
    expect(xGross).toBe('¥21,910');
    await register.getByRole('button', { name: 'レジ', exact: true }).click();

    // Back: everything drains by itself once the browser is online again.
    server = await startServer(3, server.db);
    await tablets[0].setOffline(false);
    await expect(syncState(register)).toContainText('同期済み', { timeout: 60_000 });

    // The owner's phone, today across all stores: the 50 sales, once, adding up as the X report.
    await phone.getByRole('button', { name: '売上', exact: true }).click();
    await expect(phone.getByRole('heading', { name: '全店舗' })).toBeVisible();
    await expect(headline(phone, '客数')).toHaveText('50');
    await expect(phone.locator('.headline dd.big')).toHaveText(xGross);

    // A second tablet's sale shows in the open owner view without a reload.
    await phone.getByRole('button', { name: '店舗', exact: true }).click();
    await phone.getByRole('button', { name: /花子商店 浅草店/ }).click();
    const code2 = await pairingCode(phone);
    await phone.getByRole('button', { name: '完了' }).click();
    await phone.getByRole('button', { name: '売上', exact: true }).click();
    await expect(headline(phone, '客数')).toHaveText('50');
    const second = await tablets[1].newPage();
    await pairTablet(second, server.base, code2, 'レジ2');
    await openShift(second);
    await sell(second, '日本酒 300ml ¥720');
    await expect(headline(phone, '客数')).toHaveText('51', { timeout: 30_000 });

    // A batch of the first tablet's sales, sent three more times, lands nothing new.
    const batch = batches.find((r) => (r.postData() ?? '').includes('"seq":2,'));
    expect(batch, 'the tablet sent its sales in a batch').toBeDefined();
    const headers = await batch!.allHeaders();
    for (let i = 0; i < 3; i++) {
      const again = await fetch(`${server.base}/api/v1/sync`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: headers['authorization'] },
        body: batch!.postData(),
      });
      expect(again.status).toBe(200);
      const reply = await again.json();
      expect(reply.rejected).toEqual([]);
      expect(reply.acked.length).toBeGreaterThan(0);
    }
    await phone.reload();
    await expect(headline(phone, '客数')).toHaveText('51');
    // Across all stores, each receipt names its store.
    await phone.getByRole('button', { name: 'レシート一覧' }).click();
    await expect(phone.locator('.sale-list li')).toHaveCount(50); // the first page
    await expect(phone.locator('.sale-list li').first()).toContainText('花子商店 浅草店');

    // Someone lowers a sale's total in the database; `akinai verify` finds it.
    await stopServer(server);
    const clean = akinai(server, ['verify']);
    expect(clean.status, clean.output).toBe(0);
    const tamper = spawnSync('python3', ['-c', [
      'import sqlite3, sys',
      'db = sqlite3.connect(sys.argv[1])',
      'db.execute("UPDATE sale SET total = total - 100 WHERE receipt_no = 7")',
      'db.commit()',
    ].join('\n'), server.db], { encoding: 'utf8' });
    expect(tamper.status, tamper.stderr).toBe(0);
    const verify = akinai(server, ['verify']);
    expect(verify.status, verify.output).toBe(1);
    expect(verify.output).toMatch(/receipt 7 .*total/);
  } finally {
    for (const context of [phoneContext, ...tablets]) await context.close();
    await stopServer(server);
  }
});
