// The app as a person first meets it: it loads from the server, speaks Japanese, and switches
// to English at a tap; the browser can install it.
import { expect, test } from '@playwright/test';

test('the app opens in Japanese and switches to English', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('商い');
  const languages = page.getByRole('group', { name: '言語' });
  // Each language named in its own script, whatever the UI's language.
  await expect(languages.getByRole('button')).toHaveText(['日本語', 'English', '한국어', '简体中文', '繁體中文']);
  await expect(languages.getByRole('button', { name: '日本語' })).toHaveAttribute('aria-pressed', 'true');

  await languages.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Akinai');
  await expect(page.getByRole('group', { name: 'Language' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});

test('the app can be installed and its API answers', async ({ page, request }) => {
  await page.goto('/');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const manifest = await (await request.get(href!)).json();
  expect(manifest.start_url).toBe('/');
  expect(manifest.display).toBe('standalone');
  expect(manifest.icons.length).toBeGreaterThan(0);

  const shop = await (await request.get('/api/v1/shop')).json();
  expect(shop.registration_number).toMatch(/^T\d{13}$/);
});

test('the layout fits a phone', async ({ browser }) => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await phone.newPage();
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  for (const button of await page.getByRole('button').all()) {
    const box = await button.boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
  }
  await phone.close();
});
