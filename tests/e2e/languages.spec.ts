// A cashier whose first language is not Japanese: one tap on the top bar puts the whole UI in
// Simplified Chinese (its texts are a file the page reads when chosen), and the sale is rung up
// and paid in cash with the Chinese button names.
import { expect, test, type Page } from '@playwright/test';
import { setUpShop, startServer, stopServer } from './shop';

/** The owner's PIN on the keypad, labelled in Simplified Chinese. */
async function signIn(page: Page) {
  await page.getByLabel('PIN 码', { exact: true }).fill('2580');
  await page.getByRole('button', { name: '登录' }).click();
}

test('the UI switched to Simplified Chinese rings up a sale and names an item in Korean', async ({ page }) => {
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
    await signIn(page);
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

    // The catalog editor has a name field per language besides Japanese, each labelled with the
    // language's own name; what is typed is kept with the item (a receipt in that language shows it).
    const menu = page.getByRole('navigation', { name: '菜单' });
    await menu.getByRole('button', { name: '设置' }).click();
    await page.getByRole('button', { name: '编辑 おにぎり 鮭' }).click();
    const itemForm = page.locator('form.item-form');
    await expect(itemForm.getByRole('heading', { name: '编辑商品' })).toBeVisible();
    for (const language of ['English', '한국어', '简体中文', '繁體中文']) {
      await expect(itemForm.getByLabel(`商品名称（${language}）`)).toBeVisible();
    }
    await itemForm.getByLabel('商品名称（한국어）').fill('연어 주먹밥');
    await itemForm.getByLabel('商品名称（English）').fill('');
    await itemForm.getByRole('button', { name: '保存' }).click();
    await expect(itemForm.getByRole('heading', { name: '添加商品' })).toBeVisible();
    await expect(itemForm.getByLabel('商品名称（한국어）')).toHaveValue('');
    // After a restart (in Simplified Chinese, the device's choice), from the device's storage.
    await page.reload();
    await signIn(page);
    await menu.getByRole('button', { name: '设置' }).click();
    await page.getByRole('button', { name: '编辑 おにぎり 鮭' }).click();
    await expect(itemForm.getByLabel('商品名称（한국어）')).toHaveValue('연어 주먹밥');
    await expect(itemForm.getByLabel('商品名称（English）')).toHaveValue('');
  } finally {
    await stopServer(server);
  }
});
