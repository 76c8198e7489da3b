// Paying without a QR provider: a card with its last four digits (a card number is refused),
// kept through a reload, cash for the rest with change, the refund through the same tenders; then, with the server
// gone, a card, the shop's printed QR code (要照合) and a gift voucher that pays too much.
import { expect, test, type Page } from '@playwright/test';
import { PIN, openShift, setUpShop, signIn, startServer, stopServer } from './shop';

/** Rings up a rice ball and a beer (¥430) and goes to the pay screen. */
async function ringUp(page: Page) {
  await page.getByRole('button', { name: 'おにぎり 鮭 ¥180' }).click();
  await page.getByRole('button', { name: '缶ビール 350ml ¥250' }).click();
  await expect(page.locator('.totals').getByLabel('合計')).toHaveText('¥430');
  await page.getByRole('button', { name: 'お会計へ' }).click();
  await expect(page.getByLabel('残り', { exact: true })).toHaveText('¥430');
}

test('a card for part, cash for the rest, and the refund through both', async ({ page }) => {
  const server = await startServer(11);
  try {
    await setUpShop(page, server, PIN);
    await openShift(page);
    await ringUp(page);

    await page.getByRole('button', { name: 'カード', exact: true }).click();
    await page.getByRole('button', { name: 'VISA' }).click();
    await expect(page.getByLabel('金額', { exact: true })).toHaveValue('430');
    await page.getByLabel('金額', { exact: true }).fill('300');
    // A whole card number is never taken: the refusal names the field.
    await page.getByLabel('下4桁').fill('4111111111111111');
    await page.getByRole('button', { name: '追加' }).click();
    await expect(page.getByRole('alert')).toContainText('下4桁');
    const tenders = page.getByRole('list', { name: '支払い' });
    await expect(tenders.getByRole('listitem')).toHaveCount(0);
    await page.getByLabel('下4桁').fill('1234');
    await page.getByLabel('承認番号').fill('A12345');
    await page.getByRole('button', { name: '追加' }).click();
    await expect(tenders.getByRole('listitem')).toHaveCount(1);
    await expect(tenders).toContainText('カード VISA');
    await expect(tenders).toContainText('****1234');
    await expect(page.getByLabel('残り', { exact: true })).toHaveText('¥130');

    // A reload (a crash, a flat battery) finds the sale being paid for, with its tender.
    await page.reload();
    await signIn(page, PIN);
    await expect(page.getByLabel('残り', { exact: true })).toHaveText('¥130');
    await expect(tenders.getByRole('listitem')).toHaveCount(1);

    // Cash last gives the change.
    await page.getByRole('button', { name: '¥1,000' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'お釣り' })).toContainText('¥870');
    await page.getByRole('button', { name: '会計を確定' }).click();
    const receipt = page.getByRole('article', { name: 'レシート' });
    await expect(receipt).toContainText('カード VISA¥300');
    await expect(receipt).toContainText('****1234 承認番号 A12345');
    await expect(receipt).toContainText('現金¥1,000');
    await expect(receipt).toContainText('お釣り¥870');
    await page.getByRole('button', { name: '次のお客様' }).click();

    // The whole sale back: ¥300 to the card, ¥130 in cash.
    await page.getByRole('button', { name: '履歴' }).click();
    await page.getByRole('button', { name: /No\. 000001/ }).click();
    await page.getByRole('button', { name: '全額返品（取消）' }).click();
    const refund = page.getByRole('article', { name: 'レシート' });
    await expect(refund).toContainText('元レシート No. 000001');
    await expect(refund).toContainText('カード VISA-¥300');
    await expect(refund).toContainText('現金-¥130');
  } finally {
    await stopServer(server);
  }
});

test('offline: a card, the shop QR code to reconcile, and a voucher paying too much', async ({ page }) => {
  const server = await startServer(12);
  try {
    await setUpShop(page, server, PIN);
    await openShift(page);
    await stopServer(server);
    await ringUp(page);

    // No provider and no server: QR by API is greyed out, with the reason.
    await expect(page.getByRole('button', { name: 'QR決済' })).toBeDisabled();
    await expect(page.getByText('QR決済（API）は使えません。ほかの方法でお支払いください')).toBeVisible();

    await page.getByRole('button', { name: 'カード', exact: true }).click();
    await page.getByRole('button', { name: 'JCB' }).click();
    await page.getByLabel('金額', { exact: true }).fill('100');
    await page.getByRole('button', { name: '追加' }).click();

    await page.getByRole('button', { name: '店頭QR' }).click();
    await page.getByRole('button', { name: 'PayPay' }).click();
    await page.getByLabel('金額', { exact: true }).fill('130');
    await page.getByRole('button', { name: 'お客様の画面で支払い完了を確認しました' }).click();
    await expect(page.getByLabel('残り', { exact: true })).toHaveText('¥200');

    // A card cannot pay more than is left; a voucher can, and the excess is kept.
    await page.getByRole('button', { name: '商品券' }).click();
    await page.getByRole('button', { name: 'ギフト券' }).click();
    await page.getByLabel('金額', { exact: true }).fill('500');
    await page.getByRole('button', { name: '追加' }).click();
    await expect(page.getByLabel('残り', { exact: true })).toHaveText('¥0');
    await expect(page.getByText('過剰分（お釣りなし） ¥300')).toBeVisible();
    await expect(page.getByRole('list', { name: '支払い' }).getByRole('listitem')).toHaveCount(3);
    await page.getByRole('button', { name: '会計を確定' }).click();

    const receipt = page.getByRole('article', { name: 'レシート' });
    await expect(receipt).toContainText('カード JCB¥100');
    await expect(receipt).toContainText('店頭QR PayPay¥130');
    await expect(receipt).toContainText('要照合');
    await expect(receipt).toContainText('商品券 ギフト券¥500');
    await expect(receipt).toContainText('過剰分（お釣りなし）¥300');
    await expect(receipt).toContainText('お釣り¥0');
  } finally {
    await stopServer(server);
  }
});
