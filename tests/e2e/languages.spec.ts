// A cashier whose first language is not Japanese: one tap on the top bar puts the whole UI in
// Simplified Chinese (its texts are a file the page reads when chosen), and the sale is rung up
// and paid in cash with the Chinese button names.
import { expect, test } from '@playwright/test';
import { setUpShop, startServer, stopServer } from './shop';

test('the UI switched to Simplified Chinese rings up a sale', async ({ page }) => {
  const server = await startServer(40);
  try {
    await setUpShop(page, server, '2580');
    await expect(page.getByLabel('暗証番号', { exact: true })).toBeVisible();

    await page.getByRole('group', { name: '言語' }).getByRole('button', { name: '简体中文' }).click();
    const languages = page.getByRole('group', { name: '语言' });
    await expect(languages.getByRole('button', { name: '简体中文' })).toHaveAttribute('aria-pressed', 'true');
    await expect(languages.getByRole('button', { name: '日本語' })).toHaveAttribute('aria-pressed', 'false');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-Hans');

    // Sign in and open the shift with ¥10,000 in the drawer.
    await page.getByLabel('PIN 码', { exact: true }).fill('2580');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('group', { name: '备用零钱' }).getByLabel('¥1,000', { exact: true }).fill('10');
    await page.getByRole('button', { name: '开班' }).click();

    // Ring up a rice ball (its key carries the shop's own name for it) and pay exactly in cash.
    await expect(page.getByLabel('商品搜索 / 条码')).toBeVisible();
    await page.getByRole('button', { name: /^おにぎり 鮭/ }).click();
    await expect(page.getByRole('list', { name: '已登记商品' }).getByRole('listitem')).toHaveCount(1);
    await page.getByRole('button', { name: '结账', exact: true }).click();
    await page.getByRole('button', { name: '正好' }).click();
    await page.getByRole('button', { name: '确认结账' }).click();

    // The receipt screen, in the UI's language (the receipt's own language is another choice).
    await expect(page.getByRole('heading', { name: '小票' })).toBeVisible();
    await expect(page.locator('article.receipt')).toContainText('¥180');
    await page.getByRole('button', { name: '下一位顾客' }).click();
    await expect(page.getByLabel('商品搜索 / 条码')).toBeVisible();
  } finally {
    await stopServer(server);
  }
});
