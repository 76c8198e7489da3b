// The books by tender, as an owner and a cashier would read them: the owner sets a card fee rate
// on a phone, the paired tablet sells once in cash and once by VISA, and both the Z report and
// the owner's figures show each tender with its fee and expected deposit (入金見込み), while the
// drawer counts only the cash.
import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { openShift, pairTablet, sell, startServer, stopServer, storeToPair, syncState } from './shop';

const shots = process.env.E2E_SHOTS ?? '../target/e2e-shots';

test('the Z report and the owner figures show takings by tender with fees', async ({ browser }) => {
  test.setTimeout(180_000);
  mkdirSync(shots, { recursive: true });
  const server = await startServer(9);
  const phoneContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const tabletContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, hasTouch: true });
  try {
    const phone = await phoneContext.newPage();
    const code = await storeToPair(phone, server.base, 'books@example.jp');

    // 3.24% on every card brand.
    await phone.getByRole('button', { name: '支払い設定' }).click();
    await expect(phone).toHaveURL(/\/owner\/payments\/[0-9a-f-]{36}$/);
    await phone.getByLabel('カード (ブランド共通) の手数料率（%）').fill('3.24');
    // A rate that is no percentage is refused, naming the tender.
    await phone.getByLabel('交通系IC Suica の手数料率（%）').fill('3.245');
    await phone.getByRole('button', { name: '保存', exact: true }).click();
    await expect(phone.getByRole('alert')).toContainText('交通系IC Suica');
    await phone.getByRole('alert').getByRole('button').click();
    await phone.getByLabel('交通系IC Suica の手数料率（%）').fill('');
    await phone.getByRole('button', { name: '保存', exact: true }).click();
    await expect(phone.getByRole('status').filter({ hasText: '保存しました' })).toBeVisible();
    await expect(phone.getByText('未連携')).toBeVisible();
    await expect(phone.getByRole('heading', { name: '売上に紐づいていないQR決済' })).toBeVisible();

    // The tablet pairs (and so gets the rates), sells in cash and by VISA.
    const register = await tabletContext.newPage();
    await pairTablet(register, server.base, code, 'レジ1');
    await openShift(register);
    await sell(register, 'おにぎり 鮭 ¥180');
    await register.getByRole('button', { name: '手ぬぐい ¥1,200' }).click();
    await register.getByRole('button', { name: 'お会計へ' }).click();
    await register.getByRole('button', { name: 'カード', exact: true }).click();
    await register.getByRole('button', { name: 'VISA', exact: true }).click();
    await register.getByRole('button', { name: '追加', exact: true }).click();
    await register.getByRole('button', { name: '会計を確定' }).click();
    await register.getByRole('button', { name: '次のお客様' }).click();
    await expect(syncState(register)).toContainText('同期済み');

    // The Z report: one row per tender; 1,200 × 3.24% = 38.88, rounded down to 38.
    await register.getByRole('button', { name: '精算', exact: true }).click();
    await register.getByRole('button', { name: '締め（ドロワーを数える）' }).click();
    const drawer = register.getByRole('group', { name: 'ドロワーの現金' });
    await drawer.getByLabel('¥1,000', { exact: true }).fill('10');
    await drawer.getByLabel('¥100', { exact: true }).fill('1');
    await drawer.getByLabel('¥10', { exact: true }).fill('8');
    await register.getByRole('button', { name: '精算を確定' }).click();
    const z = register.getByRole('article', { name: 'Z レポート（精算）' });
    const byTender = z.getByRole('table', { name: '支払方法別' });
    await expect(byTender.getByRole('row', { name: /カード VISA/ })).toContainText('¥1,200¥38¥1,162');
    await expect(byTender.getByRole('row', { name: /^現金/ })).toContainText('¥180¥0¥180');
    // The drawer holds the float and the cash sale only.
    await expect(z.getByRole('row', { name: /理論在高/ })).toContainText('¥10,180');
    await expect(z.getByRole('row', { name: /過不足/ })).toContainText('¥0');
    await byTender.scrollIntoViewIfNeeded();
    await register.screenshot({ path: `${shots}/z-report-1280x800.png` });

    // The owner's figures, by tender, on the phone.
    await phone.getByRole('button', { name: '売上', exact: true }).click();
    const figures = phone.getByRole('table', { name: '支払方法別' });
    await expect(figures.getByRole('row', { name: /カード VISA/ })).toContainText('¥38');
    await expect(figures.getByRole('row', { name: /カード VISA/ })).toContainText('¥1,162');
    await expect(figures.getByRole('row', { name: /^現金/ })).toContainText('¥180');
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await figures.scrollIntoViewIfNeeded();
    await phone.screenshot({ path: `${shots}/owner-figures-390x844.png` });
  } finally {
    await phoneContext.close();
    await tabletContext.close();
    await stopServer(server);
  }
});
