// A new shop's first day, as a cashier would live it: set up, open the shift, ring up a mixed
// 8%/10% sale with a discount, switch to eat-in, take cash, read the receipt; then, with the
// server stopped, reload and find the sale, refund a line, and close the shift.
import { expect, test, type Page } from '@playwright/test';
import { setUpShop, signIn, startServer, stopServer, type Server } from './shop';

/** Fills a drawer count: counts by denomination label such as '¥1,000'. */
async function countDrawer(page: Page, legend: string, counts: Record<string, number>) {
  const drawer = page.getByRole('group', { name: legend });
  for (const [denomination, count] of Object.entries(counts)) {
    await drawer.getByLabel(denomination, { exact: true }).fill(String(count));
  }
}

/** First run against the demo server, the owner signed in, and a shift opened with ¥12,000. */
async function openTheShop(page: Page, server: Server) {
    await setUpShop(page, server, '2580');

    // Sign in; with no shift open the register asks for the opening float.
    await signIn(page, '1111');
    await expect(page.getByRole('alert')).toHaveText('暗証番号が違います');
    await signIn(page, '2580');
    await countDrawer(page, '釣り銭準備金', { '¥1,000': 10, '¥100': 20 });
    await expect(page.getByRole('group', { name: '釣り銭準備金' }).getByRole('status')).toHaveText('合計 ¥12,000');
    await page.getByRole('button', { name: '開局' }).click();
}

test('a first day at the register, through a server outage', async ({ page }) => {
  const server = await startServer(1);
  try {
    await openTheShop(page, server);

    // This browser has no BarcodeDetector, so no camera button: the USB scanner types instead.
    await expect(page.getByRole('button', { name: 'カメラで読み取る' })).toHaveCount(0);

    // Ring up: two rice balls (food), a beer (alcohol), a towel (standard), a newspaper (reduced).
    await page.getByRole('button', { name: 'おにぎり 鮭 ¥180' }).click();
    await page.getByRole('button', { name: 'おにぎり 鮭 ¥180' }).click();
    await page.getByRole('button', { name: '缶ビール 350ml ¥250' }).click();
    // The newspaper, scanned by a USB scanner while a key (not the search box) has focus: the
    // scanner types fast and ends with Enter, which must not press the focused key again.
    await page.keyboard.type('4900000000080', { delay: 5 });
    await page.keyboard.press('Enter');
    // The towel, found by its reading in the search box.
    await page.getByLabel('商品検索・バーコード').fill('てぬぐい');
    await page.getByLabel('商品検索・バーコード').press('Enter');
    const lines = page.getByRole('list', { name: '登録した商品' });
    await expect(lines.getByRole('listitem')).toHaveCount(4);
    await expect(lines.getByRole('listitem').first()).toContainText('¥180 × 2');
    await expect(lines.getByRole('listitem').nth(1)).toContainText('¥250 × 1');
    await expect(lines.getByRole('listitem').nth(2)).toContainText('新聞');

    await page.getByLabel('小計値引', { exact: true }).fill('100');
    await page.getByRole('button', { name: '小計値引を適用' }).click();
    const totals = page.locator('.totals');
    // Take-out: food and the newspaper at 8%, 1,970 − 100 split 74 / 26.
    await expect(totals).toContainText('10%対象¥1,376 (消費税 ¥125)');
    await expect(totals).toContainText('8%対象¥494 (消費税 ¥36)');
    await expect(totals.getByLabel('合計')).toHaveText('¥1,870');

    // Eat-in re-rates the food at once; the newspaper stays at 8%.
    await page.getByRole('button', { name: '店内' }).click();
    await expect(totals).toContainText('10%対象¥1,718 (消費税 ¥156)');
    await expect(totals).toContainText('8%対象¥152 (消費税 ¥11)');

    // Cash.
    await page.getByRole('button', { name: 'お会計へ' }).click();
    await page.getByRole('button', { name: '¥5,000' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'お釣り' })).toContainText('¥3,130');
    await page.getByRole('button', { name: '会計を確定' }).click();

    const receipt = page.getByRole('article', { name: 'レシート' });
    await expect(receipt).toContainText('登録番号 T1234567890123');
    await expect(receipt).toContainText('No. 000001');
    await expect(receipt).toContainText('10%対象¥1,718 (内消費税 ¥156)');
    await expect(receipt).toContainText('8%対象 ※¥152 (内消費税 ¥11)');
    await expect(receipt).toContainText('新聞 ※');
    await expect(receipt).toContainText('※は軽減税率対象');
    await expect(receipt).toContainText('お釣り¥3,130');
    await page.getByRole('button', { name: '次のお客様' }).click();
    await expect(page.getByRole('status').filter({ hasText: '送信待ち' })).toBeVisible();

    // The server goes away; the app reloads from its service worker and still has the sale.
    await stopServer(server);
    await page.reload();
    await signIn(page, '2580');
    await page.getByRole('button', { name: '履歴' }).click();
    await page.getByLabel('レシート番号・日付・金額で検索').fill('1870');
    await page.getByRole('button', { name: /No\. 000001/ }).click();

    // Refund the beer, at the sale's rates, with its share of the discount.
    await page.getByRole('button', { name: '返品', exact: true }).click();
    await page.getByLabel(/缶ビール 350ml/).fill('1');
    await page.getByRole('button', { name: '返品を確定' }).click();
    const refund = page.getByRole('article', { name: 'レシート' });
    await expect(refund).toContainText('返品');
    await expect(refund).toContainText('元レシート No. 000001');
    await expect(refund).toContainText('10%対象-¥238');

    // Close the shift: 12,000 + 1,870 − 238 expected; 13,630 counted is 2 yen short.
    await page.getByRole('button', { name: '精算', exact: true }).click();
    await page.getByRole('button', { name: '締め（ドロワーを数える）' }).click();
    await countDrawer(page, 'ドロワーの現金', { '¥10,000': 1, '¥1,000': 3, '¥500': 1, '¥100': 1, '¥10': 3 });
    await page.getByRole('button', { name: '精算を確定' }).click();
    const z = page.getByRole('article', { name: 'Z レポート（精算）' });
    await expect(z.getByRole('row', { name: /理論在高/ })).toContainText('¥13,632');
    await expect(z.getByRole('row', { name: /実在高/ })).toContainText('¥13,630');
    await expect(z.getByRole('row', { name: /過不足/ })).toContainText('-¥2');
    await expect(z.getByRole('row', { name: /レシート発行数/ })).toContainText('2');
  } finally {
    await stopServer(server);
  }
});

test('line discounts, holding a sale for the next customer, recalling it, and the camera', async ({ page }) => {
  // A tablet whose browser reads barcodes from the camera: this one sees the green tea's code.
  await page.addInitScript(() => {
    (window as any).BarcodeDetector = class {
      async detect() { return [{ rawValue: '4900000000059', format: 'ean_13' }]; }
    };
  });
  const server = await startServer(1);
  try {
    await openTheShop(page, server);
    const lines = page.getByRole('list', { name: '登録した商品' });
    const total = page.locator('.totals').getByLabel('合計');

    await page.getByRole('button', { name: 'おにぎり 梅 ¥160' }).click();
    await page.getByRole('button', { name: '値引を入れる おにぎり 梅' }).click();
    await page.getByLabel('値引額').fill('10');
    await page.getByRole('group', { name: '単品値引の単位' }).getByRole('button', { name: '%' }).click();
    await page.getByRole('button', { name: '適用', exact: true }).click();
    await expect(lines).toContainText('−¥16');
    await expect(total).toHaveText('¥144');
    await page.getByRole('button', { name: '数量を増やす おにぎり 梅' }).click();
    await expect(lines).toContainText('−¥32');
    await expect(total).toHaveText('¥288');

    // The customer forgot something: hold the sale and serve the next one.
    await page.getByRole('button', { name: '保留' }).click();
    await expect(lines.getByRole('listitem')).toHaveCount(0);
    await page.getByRole('button', { name: '緑茶 500ml ¥150' }).click();
    await page.getByRole('button', { name: 'お会計へ' }).click();
    await page.getByRole('button', { name: 'ちょうど' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'お釣り' })).toContainText('¥0');
    await page.getByRole('button', { name: '会計を確定' }).click();
    await expect(page.getByRole('article', { name: 'レシート' })).toContainText('No. 000001');
    await page.getByRole('button', { name: '次のお客様' }).click();

    // Back they come: the held sale returns with its discount, and survives a reload meanwhile.
    await page.reload();
    await signIn(page, '2580');
    await page.getByRole('button', { name: '呼出 ¥288' }).click();
    await expect(lines.getByRole('listitem')).toHaveCount(1);
    await expect(total).toHaveText('¥288');
    await expect(page.getByRole('button', { name: /呼出/ })).toHaveCount(0);

    await page.getByRole('button', { name: 'カメラで読み取る' }).click();
    await expect(lines.getByRole('listitem')).toHaveCount(2);
    await expect(lines.getByRole('listitem').nth(1)).toContainText('緑茶 500ml');
    await expect(page.getByRole('dialog', { name: 'カメラで読み取る' })).toHaveCount(0);

    // An open-price item: the price is typed at the register.
    await page.getByRole('button', { name: '惣菜 量り売り', exact: true }).click();
    await page.getByRole('dialog', { name: '価格を入力' }).getByLabel(/価格/).fill('４２０');
    await page.getByRole('button', { name: '追加' }).click();
    await expect(lines.getByRole('listitem').nth(2)).toContainText('¥420 × 1');
    await expect(total).toHaveText('¥858');

    // 24 of something is typed, not tapped 23 times.
    await page.getByLabel('数量 緑茶 500ml').fill('24');
    await page.getByLabel('数量 緑茶 500ml').press('Enter');
    await expect(lines.getByRole('listitem').nth(1)).toContainText('¥150 × 24');
    await expect(total).toHaveText('¥4,308');
  } finally {
    await stopServer(server);
  }
});

test('five wrong PINs in a row pause the keypad, and a reload does not lift the pause', async ({ page }) => {
  const server = await startServer(3);
  try {
    await setUpShop(page, server, '2580');
    for (let i = 0; i < 5; i++) await signIn(page, '0000');
    await expect(page.getByRole('alert')).toContainText('秒間停止しています');
    await page.reload();
    await expect(page.getByRole('alert')).toContainText('秒間停止しています');
    await signIn(page, '2580');
    await expect(page.getByRole('heading', { name: '暗証番号を入力' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'メニュー' })).toHaveCount(0);
  } finally {
    await stopServer(server);
  }
});
