// The owner's account under the server's Content-Security-Policy: the pages start, the pairing
// QR code shows, and nothing the app does is blocked; the owner changes the password and signs
// out everywhere.
import { expect, test, type Page } from '@playwright/test';
import { createStore, ownerSignsUp, pairingCode } from './shop';

/** Collects every Content-Security-Policy violation of `page` from its first script on. */
async function watchPolicy(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

test('the owner changes the password and signs out everywhere, with nothing blocked by the policy', async ({ page, browser }) => {
  const violations = await watchPolicy(page);
  const email = `account-${Date.now()}@example.jp`;
  await ownerSignsUp(page, '', email);
  await createStore(page, '商い堂');
  await pairingCode(page);
  await expect(page.locator('.qr svg')).toBeVisible();
  await page.getByRole('button', { name: '完了' }).click();

  // A second browser signed in as the same owner.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto('/owner');
  await otherPage.getByLabel('メールアドレス').fill(email);
  await otherPage.getByLabel('パスワード').fill('correct horse battery');
  await otherPage.getByRole('button', { name: 'ログイン' }).last().click();
  await expect(otherPage.getByText('山田 花子')).toBeVisible();

  await page.getByText('アカウント', { exact: true }).click();
  await page.getByLabel('現在のパスワード').fill('correct horse battery');
  await page.getByLabel('新しいパスワード').fill('a new password here');
  await page.getByRole('button', { name: 'パスワードを変更' }).click();
  await expect(page.getByText('パスワードを変更しました')).toBeVisible();
  // The other browser's session is over; this one goes on.
  await otherPage.reload();
  await expect(otherPage.getByRole('heading', { name: 'ログイン' })).toBeVisible();
  await page.reload();
  await expect(page.getByText('山田 花子')).toBeVisible();

  await page.getByText('アカウント', { exact: true }).click();
  await page.getByRole('button', { name: 'すべての端末でログアウト' }).click();
  await expect(page.getByRole('heading', { name: 'ログイン' })).toBeVisible();
  expect(await violations()).toEqual([]);
  await other.close();

  // The register starts under the policy too.
  const register = await browser.newPage();
  const registerViolations = await watchPolicy(register);
  await register.goto('/');
  await expect(register.getByRole('heading', { level: 1 })).toHaveText('商い');
  expect(await registerViolations()).toEqual([]);
  await register.close();
});
