// The owner's settings, as a new owner would use them on the first day: fix the registration
// number, add a cashier (who is not offered the settings), add an item by hand, import the
// catalog from Excel's CSV in UTF-8 and in Shift_JIS, and be told in Japanese where a bad CSV
// is wrong, with nothing imported.
import { expect, test, type Page } from '@playwright/test';
import { setUpShop, signIn, startServer, stopServer, type Server } from './shop';

const ownerPin = '2580';
const cashierPin = '4321';

function nav(page: Page) {
  return page.getByRole('navigation', { name: 'メニュー' });
}

/** First run against the demo server, the owner signed in, and a shift opened. */
async function openTheShop(page: Page, server: Server) {
  await setUpShop(page, server, ownerPin);

  await signIn(page, ownerPin);
  await page.getByRole('group', { name: '釣り銭準備金' }).getByLabel('¥1,000', { exact: true }).fill('5');
  await page.getByRole('button', { name: '開局' }).click();
  await expect(page.getByLabel('商品検索・バーコード')).toBeVisible();
}

/** The register's quick key for an item, named like `おにぎり 鮭 ¥180`. */
async function expectKey(page: Page, name: string) {
  await nav(page).getByRole('button', { name: 'レジ' }).click();
  await expect(page.getByRole('button', { name, exact: true })).toBeVisible();
}

async function openSettings(page: Page) {
  await nav(page).getByRole('button', { name: '設定' }).click();
  await expect(page.getByRole('heading', { name: 'お店の設定' })).toBeVisible();
}

/** Chooses a CSV file made of `bytes` and imports it. */
async function importCsv(page: Page, name: string, bytes: Buffer) {
  await page.getByLabel('CSV ファイル（UTF-8 または Shift_JIS）').setInputFiles({ name, mimeType: 'text/csv', buffer: bytes });
  await page.getByRole('button', { name: 'CSV を取り込む' }).click();
}

// Excel's "CSV UTF-8": a BOM, CRLF, Japanese headers, a price written ¥220 and one "1,080".
const utf8Csv = Buffer.from(
  '\uFEFF商品名,読み,価格,税区分,カテゴリ\r\n' +
    '焼きそばパン,やきそばぱん,¥220,軽減,パン\r\n' +
    '手ぬぐい 藍,てぬぐい あい,"1,080",標準,雑貨\r\n',
  'utf8',
);

// Excel's plain "CSV" on Japanese Windows is Shift_JIS, which Node cannot encode; these are the
// bytes of the text below (from Python's '...'.encode('cp932')). おにぎり 梅 is in the demo
// catalog at ¥160, so this updates one item and adds one.
const shiftJisText = '商品名,価格,税区分\r\nおにぎり 梅,170,軽減\r\nおにぎり 昆布,150,軽減\r\n';
const shiftJisCsv = Buffer.from([
  0x8f, 0xa4, 0x95, 0x69, 0x96, 0xbc, 0x2c, 0x89, 0xbf, 0x8a, 0x69, 0x2c, 0x90, 0xc5, 0x8b, 0xe6, 0x95, 0xaa, 0x0d,
  0x0a, 0x82, 0xa8, 0x82, 0xc9, 0x82, 0xac, 0x82, 0xe8, 0x20, 0x94, 0x7e, 0x2c, 0x31, 0x37, 0x30, 0x2c, 0x8c, 0x79,
  0x8c, 0xb8, 0x0d, 0x0a, 0x82, 0xa8, 0x82, 0xc9, 0x82, 0xac, 0x82, 0xe8, 0x20, 0x8d, 0xa9, 0x95, 0x7a, 0x2c, 0x31,
  0x35, 0x30, 0x2c, 0x8c, 0x79, 0x8c, 0xb8, 0x0d, 0x0a,
]);

// A good row, then a price nobody can read on the sheet's row 3.
const badCsv = Buffer.from('商品名,価格,税区分\r\n柏餅,200,軽減\r\n草餅,abc,軽減\r\n', 'utf8');

test('the owner sets up the shop, staff and catalog', async ({ page }) => {
  expect(new TextDecoder('shift_jis').decode(shiftJisCsv)).toBe(shiftJisText);
  expect(() => new TextDecoder('utf-8', { fatal: true }).decode(shiftJisCsv)).toThrow();

  const server = await startServer(2);
  try {
    await openTheShop(page, server);
    await openSettings(page);

    // (a) The registration number: a wrong one is named; full-width digits are accepted.
    const shopForm = page.getByRole('form', { name: 'お店の設定' });
    await expect(shopForm.getByLabel('登録番号')).toHaveValue('T1234567890123');
    await shopForm.getByLabel('登録番号').fill('T123');
    await shopForm.getByRole('button', { name: '保存' }).click();
    await expect(page.getByRole('alert')).toContainText('「T123」は T と 13 桁の数字ではありません');
    await expect(shopForm.getByRole('status')).toHaveCount(0);
    await page.getByRole('alert').getByRole('button', { name: '閉じる' }).click();
    await expect(page.getByRole('alert')).toHaveCount(0);
    await shopForm.getByLabel('登録番号').fill('Ｔ９８７６５４３２１０９８７');
    await shopForm.getByRole('button', { name: '保存' }).click();
    await expect(shopForm.getByRole('status')).toHaveText('保存しました');
    await expect(page.getByRole('alert')).toHaveCount(0);
    // Saved as it is printed: half-width.
    await nav(page).getByRole('button', { name: 'レジ' }).click();
    await openSettings(page);
    await expect(page.getByRole('form', { name: 'お店の設定' }).getByLabel('登録番号')).toHaveValue('T9876543210987');

    // (b) A cashier with their own PIN, who is not offered the settings.
    const staffForm = page.getByRole('form', { name: 'スタッフ' });
    await staffForm.getByLabel('スタッフの名前').fill('佐藤');
    await staffForm.getByLabel('暗証番号', { exact: true }).fill(cashierPin);
    await expect(staffForm.getByLabel('役割')).toHaveValue('cashier');
    await staffForm.getByRole('button', { name: 'スタッフを追加' }).click();
    await expect(staffForm.getByRole('listitem')).toHaveText([/^店長 \(オーナー\)/, /^佐藤 \(レジ担当\)/]);
    // The only owner cannot be removed: someone must reach the settings.
    await expect(staffForm.getByRole('button', { name: 'スタッフを削除 店長' })).toBeDisabled();
    await nav(page).getByRole('button', { name: 'ロック' }).click();
    await signIn(page, cashierPin);
    await expect(page.getByLabel('商品検索・バーコード')).toBeVisible();
    await expect(nav(page).getByRole('button', { name: 'レジ' })).toBeVisible();
    await expect(nav(page).getByRole('button', { name: '精算' })).toBeVisible();
    await expect(nav(page).getByRole('button', { name: '設定' })).toHaveCount(0);
    await nav(page).getByRole('button', { name: 'ロック' }).click();
    await signIn(page, ownerPin);
    await openSettings(page);
    // 佐藤 leaves: their PIN no longer opens the register.
    await staffForm.getByRole('button', { name: 'スタッフを削除 佐藤' }).click();
    await expect(staffForm.getByRole('listitem')).toHaveCount(1);
    await nav(page).getByRole('button', { name: 'ロック' }).click();
    await signIn(page, cashierPin);
    await expect(page.getByRole('alert')).toHaveText('暗証番号が違います');
    await signIn(page, ownerPin);
    await openSettings(page);

    // (c) An item by hand: a local beer, alcohol at 10%, in its own category.
    const itemForm = page.locator('form').filter({ has: page.getByRole('heading', { name: '商品を追加' }) });
    await itemForm.getByLabel('商品名', { exact: true }).fill('地ビール 330ml');
    await itemForm.getByLabel('価格', { exact: true }).fill('580');
    await itemForm.getByLabel('税区分').selectOption({ label: '酒類 10%' });
    await itemForm.getByLabel('カテゴリ', { exact: true }).fill('地酒');
    await itemForm.getByRole('button', { name: '保存' }).click();
    await expect(itemForm.getByLabel('商品名', { exact: true })).toHaveValue('');
    await expect(page.getByRole('row', { name: /地ビール 330ml/ })).toContainText('¥580');
    await expect(page.getByRole('row', { name: /地ビール 330ml/ })).toContainText('酒類 10%');
    await expect(page.getByRole('row', { name: /地ビール 330ml/ })).toContainText('地酒');
    await expectKey(page, '地ビール 330ml ¥580');
    await expect(page.getByRole('group', { name: 'カテゴリ' }).getByRole('button', { name: '地酒' })).toBeVisible();

    // (d) The catalog from Excel: UTF-8 with a BOM, then Shift_JIS.
    await openSettings(page);
    const imported = page.getByRole('status').filter({ hasText: '追加' });
    await importCsv(page, '商品.csv', utf8Csv);
    await expect(imported).toHaveText('追加 2 点、更新 0 点');
    await expect(page.getByRole('alert')).toHaveCount(0);
    await importCsv(page, '商品_sjis.csv', shiftJisCsv);
    await expect(imported).toHaveText('追加 1 点、更新 1 点');
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expectKey(page, '焼きそばパン ¥220');
    await expectKey(page, '手ぬぐい 藍 ¥1,080');
    await expectKey(page, 'おにぎり 梅 ¥170');
    await expectKey(page, 'おにぎり 昆布 ¥150');
    await expect(page.getByRole('button', { name: 'おにぎり 梅 ¥160' })).toHaveCount(0);

    // (e) A bad price: the row and column are named in Japanese, and nothing is imported.
    await openSettings(page);
    await importCsv(page, '和菓子.csv', badCsv);
    await expect(page.getByRole('alert')).toContainText('CSV の 3 行目の価格「abc」が読めません');
    await expect(imported).toHaveCount(0);
    await expect(page.getByRole('row', { name: /柏餅/ })).toHaveCount(0);
    await nav(page).getByRole('button', { name: 'レジ' }).click();
    await expect(page.getByRole('button', { name: '焼きそばパン ¥220' })).toBeVisible();
    await expect(page.getByRole('button', { name: /柏餅|草餅/ })).toHaveCount(0);
  } finally {
    await stopServer(server);
  }
});
