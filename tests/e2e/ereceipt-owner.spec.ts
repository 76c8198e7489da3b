// The owner and a sale's e-receipt: a paired register's sale carries a link (its QR code), the
// owner sees it with the sale and can revoke it for good, after which the link answers 404; a
// sale without one (the demo's sample sales) shows no such control.
import { expect, test } from '@playwright/test';
import { demoPin, signIn, startServer, stopServer, syncState } from './shop';

/** The demo owner's password in this test (instead of a new one at each start). */
const DEMO_PASSWORD = 'e2e-ereceipt-owner';

/** A day in Tokyo, `daysAgo` before today, as the API's dates. */
function tokyoDay(daysAgo = 0): string {
  return new Date(Date.now() - daysAgo * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Tokyo' });
}

test('the owner revokes a sale\'s e-receipt link', async ({ browser }) => {
  const server = await startServer(41, undefined, { demoPassword: DEMO_PASSWORD });
  try {
    // A register paired with the demo store sells a rice ball; its receipt has the QR link.
    const register = await (await browser.newContext()).newPage();
    await register.goto(server.base);
    await register.getByRole('button', { name: 'デモ店舗とペアリング' }).click();
    await signIn(register, await demoPin(server));
    await register.getByRole('group', { name: '釣り銭準備金' }).getByLabel('¥1,000', { exact: true }).fill('10');
    await register.getByRole('button', { name: '開局' }).click();
    await register.getByRole('button', { name: /^おにぎり 鮭/ }).click();
    await register.getByRole('button', { name: 'お会計へ' }).click();
    await register.getByRole('button', { name: 'ちょうど' }).click();
    await register.getByRole('button', { name: '会計を確定' }).click();
    const url = (await register.locator('figure.receipt-qr').getAttribute('data-url')) ?? '';
    expect(url).toMatch(/\/r\/[A-Za-z0-9_-]{55}$/);
    await register.getByRole('button', { name: '次のお客様' }).click();
    await expect(syncState(register)).toContainText('同期済み', { timeout: 30_000 });

    const phone = await (await browser.newContext()).newPage();
    await phone.goto(`${server.base}/owner`);
    await phone.getByLabel('メールアドレス').fill('demo@akinai.jp');
    await phone.getByLabel('パスワード').fill(DEMO_PASSWORD);
    await phone.getByRole('button', { name: 'ログイン' }).click();
    await expect(phone.getByRole('heading', { name: '全店舗' })).toBeVisible();

    // The demo's sample sales have no e-receipt; the register's sale is the one with a link.
    const sales: { id: string }[] = await (await phone.request.get(
      `${server.base}/api/v1/sales?from=${tokyoDay(59)}&to=${tokyoDay()}&limit=50`)).json();
    const links = await Promise.all(sales.map(async (sale) =>
      (await phone.request.get(`${server.base}/api/v1/sales/${sale.id}/e-receipt`)).status()));
    const sold = sales.filter((_, i) => links[i] === 200);
    const other = sales.find((_, i) => links[i] === 404);
    expect(sold).toHaveLength(1);
    expect(other).toBeTruthy();
    expect((await phone.request.get(url)).status()).toBe(200);

    // The sale's page: the link, and its revocation behind a confirmation.
    await phone.goto(`${server.base}/owner/receipt/${sold[0].id}`);
    const link = phone.getByRole('group', { name: '電子レシート' });
    await expect(link.getByRole('link')).toHaveText(url);
    await link.getByRole('button', { name: '電子レシートを無効にする' }).click();
    const confirm = link.getByRole('alertdialog');
    await expect(confirm).toContainText('元に戻せません');
    await confirm.getByRole('button', { name: '電子レシートを無効にする' }).click();
    await expect(link).toContainText('無効にしました');
    await expect(link.getByRole('button')).toHaveCount(0);
    await expect(link.getByRole('link')).toHaveCount(0);
    expect((await phone.request.get(url)).status()).toBe(404);
    await phone.reload();
    await expect(phone.getByRole('group', { name: '電子レシート' })).toContainText('無効にしました');

    // A sale without a link: its receipt, and no e-receipt control nor error.
    await phone.goto(`${server.base}/owner/receipt/${other!.id}`);
    await expect(phone.getByRole('article', { name: 'レシート' })).toBeVisible();
    await expect(phone.getByRole('group', { name: '電子レシート' })).toHaveCount(0);
    await expect(phone.getByRole('alert')).toHaveCount(0);
  } finally {
    await stopServer(server);
  }
});
