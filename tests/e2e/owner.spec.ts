// The owner's view (/owner) on a phone: a new owner signs up, sets up a store with a staff
// member, pairs a tablet (code and QR), sees the (still empty) figures, exports everything; and,
// once installed, sees the last figures with their time when the server is gone.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { addStaff, createStore, importCatalog, ownerSignsUp as signUp, pairTablet, pairingCode, startServer, stopServer } from './shop';

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

/** The layout fits the phone: nothing scrolls sideways. */
async function fitsThePhone(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
}

test('a new owner signs up, adds a store and staff, pairs a tablet, sees figures and exports', async ({ page }) => {
  const email = `owner-${Date.now()}@example.jp`;
  await signUp(page, '', email);

  // Installing from here opens the owner's view, not the register.
  const manifest = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(manifest).toBe('/owner.webmanifest');
  const installed = await (await page.request.get(manifest!)).json();
  expect(installed.start_url).toBe('/owner');
  expect(installed.icons.length).toBeGreaterThan(0);

  // Empty figures first: nothing sold yet, today against the same day last week.
  const headline = page.locator('.headline');
  await expect(headline.getByText('¥0').first()).toBeVisible();
  await expect(page.getByText('先週の同じ曜日と比べて')).toBeVisible();
  await expect(page.getByRole('img', { name: /時間帯別の売上/ })).toBeVisible();
  await fitsThePhone(page);

  // A store.
  await page.getByRole('button', { name: '店舗', exact: true }).click();
  await expect(page).toHaveURL(/\/owner\/stores$/);
  await expect(page.getByRole('heading', { name: '店舗を追加' })).toBeVisible();
  await page.getByLabel('店名').fill('商い堂 駅前店');
  await page.getByLabel('登録番号').fill('T1234567890123');
  await page.getByLabel('住所').fill('東京都千代田区丸の内1-1');
  await page.getByLabel('電話番号').fill('03-1234-5678');
  await page.getByRole('button', { name: '店舗を作成' }).click();
  await expect(page.getByRole('heading', { name: '商い堂 駅前店', level: 2 })).toBeVisible();
  await expect(page).toHaveURL(/\/owner\/stores\/[0-9a-f-]{36}$/);
  await fitsThePhone(page);

  // A staff member with a PIN.
  const staff = page.getByRole('form', { name: 'スタッフ' });
  await staff.getByLabel('スタッフの名前').fill('佐藤');
  await staff.getByLabel('暗証番号').fill('4321');
  await staff.getByRole('button', { name: 'スタッフを追加' }).click();
  await expect(staff.getByRole('listitem').filter({ hasText: '佐藤' })).toContainText('レジ担当');

  // The server refuses a PIN another member has: said in Japanese from its machine code, with no
  // English from the server.
  await staff.getByLabel('スタッフの名前').fill('鈴木');
  await staff.getByLabel('暗証番号').fill('4321');
  await staff.getByRole('button', { name: 'スタッフを追加' }).click();
  const refusal = page.getByRole('alert');
  await expect(refusal).toContainText('この暗証番号は別のスタッフが使っています');
  await expect(refusal).not.toContainText(/[A-Za-z]{3,}/);
  await expect(staff.getByRole('listitem').filter({ hasText: '鈴木' })).toHaveCount(0);
  await refusal.getByRole('button').click();

  // Pairing: the code, big, and its QR code, valid for ten minutes.
  await page.getByRole('button', { name: '新しい端末をペアリング' }).click();
  const pairing = page.getByRole('group', { name: 'ペアリングコード' });
  await expect(pairing.locator('.pair-code')).toContainText('タブレットに入力するコード');
  await expect(pairing.locator('.pair-code .code')).toHaveText(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  await expect(pairing.getByRole('img', { name: 'タブレットで読み取るQRコード' }).locator('svg')).toBeVisible();
  await expect(pairing.locator('.expiry')).toContainText(/残り (10:00|9:\d\d)/);
  await fitsThePhone(page);

  // Back (the phone's back button) to the stores list, then to the figures of all stores.
  await page.goBack();
  await expect(page).toHaveURL(/\/owner\/stores$/);
  await expect(page.getByRole('button', { name: /商い堂 駅前店/ })).toBeVisible();
  await page.getByRole('button', { name: '売上', exact: true }).click();
  await expect(page.getByRole('heading', { name: '全店舗' })).toBeVisible();

  // Drill down: the receipts list of the range (empty so far).
  await page.getByRole('button', { name: 'レシート一覧' }).click();
  await expect(page).toHaveURL(/\/owner\/receipts$/);
  await expect(page.getByText('この期間のレシートはありません')).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('heading', { name: '全店舗' })).toBeVisible();

  // Sign out; a wrong password is said so; the right one signs back in.
  await page.getByRole('button', { name: 'ログアウト' }).click();
  await expect(page.getByRole('heading', { name: 'ログイン' })).toBeVisible();
  await page.getByLabel('メールアドレス').fill(email);
  await page.getByLabel('パスワード').fill('wrong horse battery');
  await page.getByRole('button', { name: 'ログイン' }).click();
  await expect(page.getByRole('alert')).toContainText('メールアドレスかパスワードが違います');
  await page.getByLabel('パスワード').fill('correct horse battery');
  await page.getByRole('button', { name: 'ログイン' }).click();
  await expect(page.getByRole('heading', { name: '全店舗' })).toBeVisible();

  // Export everything: a zip.
  await page.getByRole('button', { name: '店舗', exact: true }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: '全データを書き出す（zip）' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.zip$/);
  const bytes = readFileSync(await file.path());
  expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
});

test('offline, the installed owner view shows the last figures with their time', async ({ page }) => {
  const server = await startServer(1);
  try {
    await signUp(page, server.base, `offline-${Date.now()}@example.jp`);
    await expect(page.locator('.headline').getByText('¥0').first()).toBeVisible();
    // Installed: the service worker controls the page, so the shell loads with no server.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((resolve) =>
          navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
      }
    });
  } finally {
    await stopServer(server);
  }
  await page.reload();
  await expect(page.getByRole('heading', { name: '全店舗' })).toBeVisible();
  await expect(page.getByText(/オフライン：\d{4}-\d{2}-\d{2} \d{2}:\d{2} 時点の数字です/)).toBeVisible();
  await expect(page.locator('.headline').getByText('¥0').first()).toBeVisible();
});

test('a sale synced by a paired register shows up live, down to its receipt', async ({ page, browser }) => {
  const server = await startServer(2);
  const tablet = await browser.newContext({ viewport: { width: 1280, height: 800 }, hasTouch: true });
  try {
    await signUp(page, server.base, `live-${Date.now()}@example.jp`);

    // A store whose catalog comes from a spreadsheet, and a cashier.
    await createStore(page, '商い堂 本町店');
    await importCatalog(page, 'name,price,tax_class\nおにぎり 梅,160,food\n缶ビール 350ml,250,alcohol\n', 2);
    await expect(page.getByRole('cell', { name: 'おにぎり 梅' })).toBeVisible();
    await addStaff(page, '佐藤', '4321');

    // Pair a tablet with the code on the phone.
    const code = await pairingCode(page);
    const register = await tablet.newPage();
    await pairTablet(register, server.base, code, 'レジ1');

    // The phone lists the device; the owner leaves the pairing and watches today's figures.
    await page.getByRole('button', { name: '完了' }).click();
    const device = page.locator('.device').filter({ hasText: 'レジ1' });
    await expect(device).toBeVisible();
    await page.getByRole('button', { name: '売上を見る' }).click();
    await expect(page.getByRole('heading', { name: '商い堂 本町店' })).toBeVisible();
    await expect(page.locator('.headline dd.big')).toHaveText('¥0');

    // The cashier sells a rice ball for cash.
    await register.getByLabel('暗証番号', { exact: true }).fill('4321');
    await register.getByRole('button', { name: 'サインイン' }).click();
    await register.getByRole('group', { name: '釣り銭準備金' }).getByLabel('¥1,000', { exact: true }).fill('5');
    await register.getByRole('button', { name: '開局' }).click();
    await register.getByRole('button', { name: 'おにぎり 梅 ¥160' }).click();
    await register.getByRole('button', { name: 'お会計へ' }).click();
    await register.getByRole('button', { name: '¥1,000' }).click();
    await register.getByRole('button', { name: '会計を確定' }).click();
    await expect(register.getByRole('article', { name: 'レシート' })).toContainText('No. 000001');

    // Live on the phone, no reload: the figures move and the status line says why.
    await expect(page.locator('.headline dd.big')).toHaveText('¥160', { timeout: 20_000 });
    await expect(page.locator('.live-status')).toContainText('同期されました');
    await expect(page.locator('.headline > div').nth(1).locator('dd')).toHaveText('1');

    // Drill down: the receipts, then the receipt itself.
    await page.getByRole('button', { name: 'レシート一覧' }).click();
    await page.getByRole('button', { name: /No\. 000001/ }).click();
    const receipt = page.getByRole('article', { name: 'レシート' });
    await expect(receipt).toContainText('商い堂 本町店');
    await expect(receipt).toContainText('おにぎり 梅 ※');
    await expect(receipt).toContainText('¥160');

    // The device's freshness: synced, nothing waiting, no gaps.
    await page.goto(`${server.base}/owner/stores`);
    await page.getByRole('button', { name: /商い堂 本町店/ }).click();
    await expect(device.locator('dd').first()).toHaveText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await expect(device).toContainText('なし');

    // Rename the device, then revoke it (after a confirmation): its records stay.
    await device.getByLabel('端末名').fill('レジ 入口');
    await device.getByRole('button', { name: '名前を変更' }).click();
    const renamed = page.locator('.device').filter({ hasText: 'レジ 入口' });
    await expect(renamed.getByRole('heading', { name: 'レジ 入口' })).toBeVisible();
    await renamed.getByRole('button', { name: 'ペアリングを解除' }).click();
    const confirm = renamed.getByRole('alertdialog');
    await expect(confirm).toContainText('「レジ 入口」のペアリングを解除しますか？');
    await confirm.getByRole('button', { name: 'ペアリングを解除' }).click();
    await expect(renamed).toContainText('解除済み');
    await page.getByRole('button', { name: '売上を見る' }).click();
    await expect(page.locator('.headline dd.big')).toHaveText('¥160');
  } finally {
    await tablet.close();
    await stopServer(server);
  }
});
