// Receipts every customer can read, as a shop would use them: a sale whose receipt the cashier
// gives in Korean (Japanese legal labels kept beside the translation) with the QR code of its
// e-receipt, read off the print view with zbarimg at 80 mm and at 58 mm paper; that e-receipt
// opened on a phone set to Traditional Chinese, switched to English and printed to PDF; a made-up
// token answered by a bare 404; and the formal 領収書 for ¥62,000: paid in cash it shows the box
// for the ¥200 revenue stamp, paid by card it says so and shows none, issued again it is a 再発行.
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { openDemoRegister, readQr, startServer, stopServer, syncState, type Server } from './shop';

/** The demo owner's password in these tests (instead of a new one at each start). */
const DEMO_PASSWORD = 'e2e-receipts-demo';

/** A demo server and a tablet paired with its demo store, the shift open and synced. */
interface Shop {
  server: Server;
  tablet: BrowserContext;
  register: Page;
}

/** Starts a server on `offset` and pairs a tablet (at 2× pixels: a QR code on 32 mm of paper is
 * about 2.7 CSS px a module, which a screenshot at 1× may blur) with its demo store. */
async function openShop(browser: Browser, offset: number): Promise<Shop> {
  const server = await startServer(offset, undefined, { demoPassword: DEMO_PASSWORD });
  const tablet = await browser.newContext({
    viewport: { width: 1280, height: 800 }, deviceScaleFactor: 2, hasTouch: true,
  });
  const register = await tablet.newPage();
  await openDemoRegister(register, server);
  return { server, tablet, register };
}

/** Stops the server first: after a timeout the browser may be gone already. */
async function closeShop(shop: Shop) {
  await stopServer(shop.server);
  await shop.tablet.close().catch(() => undefined);
}

/** The receipt on screen (a sale's, not the formal 領収書). */
function receipt(register: Page) {
  return register.getByRole('article', { name: 'レシート' });
}

/** The receipt's QR code read off the print view: what it says, checked against its `data-url`. */
async function printedQr(register: Page, server: Server): Promise<string> {
  await register.emulateMedia({ media: 'print' });
  const figure = register.locator('figure.receipt-qr');
  await expect(figure).toBeVisible();
  const url = (await figure.getAttribute('data-url')) ?? '';
  expect(url).toMatch(new RegExp(`^${server.base.replace(/\./g, '\\.')}/r/[A-Za-z0-9_-]{55}$`));
  expect(await readQr(figure)).toBe(url);
  await register.emulateMedia({ media: 'screen' });
  return url;
}

/** Rings up the open-price deli counter at `price` yen and opens the pay screen. */
async function ringUpDeli(register: Page, price: number) {
  await register.getByRole('button', { name: '惣菜 量り売り', exact: true }).click();
  await register.getByRole('dialog', { name: '価格を入力' }).getByLabel(/価格/).fill(String(price));
  await register.getByRole('button', { name: '追加' }).click();
  await register.getByRole('button', { name: 'お会計へ' }).click();
}

/** Issues a 領収書 from the screen shown (the receipt screen or a sale's detail in history). */
async function issueFormal(register: Page, addressee: string) {
  await register.getByRole('button', { name: '領収書を発行' }).click();
  const form = register.getByRole('dialog', { name: '領収書を発行' });
  await form.getByLabel('宛名').fill(addressee);
  await expect(form.getByLabel('但し書き')).toHaveValue('お品代');
  await form.getByRole('button', { name: '発行する' }).click();
}

test('a Korean receipt with its e-receipt QR at 80 and 58 mm, read in Traditional Chinese then English', async ({ browser }) => {
  const shop = await openShop(browser, 20);
  const { server, register } = shop;
  try {
    // The customer's language is picked at the pay screen with one tap; Japanese by default.
    await register.getByRole('button', { name: /おにぎり 鮭/ }).click();
    await register.getByRole('button', { name: 'お会計へ' }).click();
    const languages = register.getByRole('group', { name: 'レシートの言語' });
    for (const name of ['日本語', 'English', '한국어', '简体中文', '繁體中文']) {
      await expect(languages.getByRole('button', { name, exact: true })).toBeVisible();
    }
    await expect(languages.getByRole('button', { name: '日本語' })).toHaveAttribute('aria-pressed', 'true');
    await languages.getByRole('button', { name: '한국어' }).click();
    await expect(languages.getByRole('button', { name: '한국어' })).toHaveAttribute('aria-pressed', 'true');
    await expect(languages.getByRole('button', { name: '日本語' })).toHaveAttribute('aria-pressed', 'false');
    await register.getByRole('button', { name: 'ちょうど' }).click();
    await register.getByRole('button', { name: '会計を確定' }).click();

    // Korean, with the Japanese legal labels kept beside the translation.
    await expect(receipt(register)).toContainText('합계');
    await expect(receipt(register)).toContainText('合計');
    await expect(receipt(register)).toContainText('登録番号');
    const url = await printedQr(register, server);

    // The next sale's receipt is Japanese again.
    await register.getByRole('button', { name: '次のお客様' }).click();
    await register.getByRole('button', { name: /おにぎり 鮭/ }).click();
    await register.getByRole('button', { name: 'お会計へ' }).click();
    await expect(register.getByRole('group', { name: 'レシートの言語' }).getByRole('button', { name: '日本語' }))
      .toHaveAttribute('aria-pressed', 'true');
    await register.getByRole('button', { name: 'ちょうど' }).click();
    await register.getByRole('button', { name: '会計を確定' }).click();
    await expect(receipt(register)).not.toContainText('합계');
    await register.getByRole('button', { name: '次のお客様' }).click();

    // 58 mm paper: the reprint from history carries the same link, still readable.
    await register.getByRole('navigation', { name: 'メニュー' }).getByRole('button', { name: '設定' }).click();
    const shopForm = register.getByRole('form', { name: 'お店の設定' });
    await shopForm.getByLabel('レシート用紙の幅').selectOption('58');
    await shopForm.getByRole('button', { name: '保存' }).click();
    await expect(shopForm.getByRole('status')).toHaveText('保存しました');
    await register.getByRole('navigation', { name: 'メニュー' }).getByRole('button', { name: '履歴' }).click();
    await register.getByRole('button', { name: /No\. 000001/ }).click();
    await register.getByRole('button', { name: '再印刷' }).click();
    await expect(register.locator('.receipt.paper-58')).toBeVisible();
    expect(await printedQr(register, server)).toBe(url);

    // The customer's phone, set to Traditional Chinese, once the sale reached the server.
    await expect(syncState(register)).toContainText('同期済み', { timeout: 20_000 });
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 }, isMobile: true, locale: 'zh-TW',
      extraHTTPHeaders: { 'Accept-Language': 'zh-TW,zh;q=0.9' },
    });
    try {
      const page = await phone.newPage();
      const response = await page.goto(url);
      expect(response?.status()).toBe(200);
      const headers = response?.headers() ?? {};
      expect(headers['content-security-policy']).toContain("default-src 'none'");
      expect(headers['referrer-policy']).toBe('no-referrer');
      await expect(page.locator('html')).toHaveAttribute('lang', 'zh-Hant');
      await expect(page.locator('body')).toContainText('合計');
      await expect(page.locator('body')).toContainText('收據');
      await page.getByRole('link', { name: 'English', exact: true }).click();
      await expect(page).toHaveURL(/\?lang=en$/);
      await expect(page.locator('html')).toHaveAttribute('lang', 'en');
      await expect(page.locator('body')).toContainText('Total');
      const pdf = await page.pdf({ width: '80mm' });
      expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    } finally {
      await phone.close();
    }
  } finally {
    await closeShop(shop);
  }
});

test('a made-up e-receipt token gets a bare 404 that reveals nothing', async ({ request }) => {
  const server = await startServer(21);
  try {
    const unknown = await request.get(`${server.base}/r/${'A'.repeat(55)}`);
    expect(unknown.status()).toBe(404);
    const body = await unknown.text();
    expect(body).not.toContain('商い堂');
    expect(body).not.toContain('<script');
    const malformed = await request.get(`${server.base}/r/not-a-token`);
    expect(malformed.status()).toBe(404);
    expect(await malformed.text()).toBe(body);
  } finally {
    await stopServer(server);
  }
});

test('a 領収書 for ¥62,000: the stamp box in cash, the card statement by card, 再発行 the second time', async ({ browser }) => {
  const shop = await openShop(browser, 22);
  const { register } = shop;
  try {
    // In cash: ¥62,000 of deli food at 8% is ¥57,408 before tax, over ¥50,000.
    await ringUpDeli(register, 62000);
    await register.getByRole('button', { name: 'ちょうど' }).click();
    await register.getByRole('button', { name: '会計を確定' }).click();
    await expect(receipt(register)).toContainText('¥62,000');
    await issueFormal(register, '株式会社テスト');
    const formal = register.getByRole('article', { name: '領収書' });
    await expect(formal).toContainText('株式会社テスト');
    await expect(formal).toContainText('様');
    await expect(formal).toContainText('¥62,000');
    await expect(formal).toContainText('お品代');
    await expect(formal).toContainText('T1234567890123');
    await expect(formal).not.toContainText('再発行');
    const stamp = formal.locator('.stamp-box');
    await expect(stamp).toBeVisible();
    await expect(stamp).toContainText('収入印紙');
    await expect(stamp).toContainText('¥200');
    await register.getByRole('button', { name: '次のお客様' }).click();

    // By card: no stamp, and the 領収書 says the card paid.
    await ringUpDeli(register, 62000);
    await register.getByRole('button', { name: 'カード', exact: true }).click();
    await register.getByRole('button', { name: 'VISA' }).click();
    await register.getByRole('button', { name: '追加', exact: true }).click();
    await register.getByRole('button', { name: '会計を確定' }).click();
    await issueFormal(register, '');
    await expect(formal).toContainText('上様');
    await expect(formal.locator('.stamp-box')).toHaveCount(0);
    await expect(formal).toContainText('うちクレジットカード決済');
    await register.getByRole('button', { name: '次のお客様' }).click();

    // The cash one again, from history: a reissue, with its stamp box; refunds get none.
    await register.getByRole('navigation', { name: 'メニュー' }).getByRole('button', { name: '履歴' }).click();
    await register.getByRole('button', { name: /No\. 000001/ }).click();
    await issueFormal(register, '株式会社テスト');
    await expect(formal).toContainText('再発行');
    await expect(formal.locator('.stamp-box')).toBeVisible();
  } finally {
    await closeShop(shop);
  }
});
