// Trying Akinai out: `akinai serve --demo` prints the demo owner's password and the demo
// tablet's PIN (new at every start); a fresh tablet pairs with the demo store from its first-run
// screen, and a sale rung up on it shows on the demo owner's open /owner page without a reload.
import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signIn } from './shop';

const bin = process.env.AKINAI_BIN ?? '../target/debug/akinai';
const appDir = process.env.AKINAI_APP_DIR ?? '../target/dist';

test('the demo tablet is the demo store\'s register, live on /owner', async ({ browser }) => {
  test.setTimeout(180_000);
  const port = Number(process.env.E2E_PORT ?? 8137) + 5;
  const base = `http://127.0.0.1:${port}`;
  const db = join(mkdtempSync(join(tmpdir(), 'akinai-e2e-')), 'akinai.db');
  const server = spawn(bin, ['serve', '--addr', `127.0.0.1:${port}`, '--db', db, '--app-dir', appDir, '--demo'], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, AKINAI_DEMO_PASSWORD: '' },
  });
  let printed = '';
  server.stdout!.on('data', (chunk) => { printed += String(chunk); });
  const phoneContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const tabletContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, hasTouch: true });
  try {
    await expect.poll(() => printed, { timeout: 20_000 }).toContain('Akinai is serving');
    const password = /Demo owner \(\/owner\): demo@akinai\.jp \/ (\S+)/.exec(printed)?.[1] ?? '';
    const pin = /PIN (\d{6})/.exec(printed)?.[1] ?? '';
    expect(password, printed).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    expect(pin, printed).not.toBe('');

    // The sample history lands in the background: wait until the figures stop moving.
    const signedIn = await (await fetch(`${base}/api/v1/owner/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'demo@akinai.jp', password }),
    })).json();
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date());
    const from = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' })
      .format(new Date(Date.now() - 59 * 86_400_000));
    const receipts = async () => (await (await fetch(`${base}/api/v1/figures?from=${from}&to=${today}`, {
      headers: { authorization: `Bearer ${signedIn.token}` },
    })).json()).receipts as number;
    let before = -1;
    await expect.poll(async () => {
      const now = await receipts();
      const settled = now > 0 && now === before;
      before = now;
      return settled;
    }, { timeout: 120_000, intervals: [2_000] }).toBe(true);

    // The owner's phone, signed in with the printed password, shows today's figures.
    const phone = await phoneContext.newPage();
    await phone.goto(`${base}/owner`);
    await phone.getByLabel('メールアドレス').fill('demo@akinai.jp');
    await phone.getByLabel('パスワード').fill(password);
    await phone.getByRole('button', { name: 'ログイン' }).click();
    await expect(phone.getByRole('heading', { name: '全店舗' })).toBeVisible();
    const customers = phone.locator('.headline > div').filter({ hasText: '客数' }).locator('dd');
    await expect(customers).toHaveText(/^\d+$/);
    const count = Number(await customers.textContent());

    // A fresh tablet pairs with the demo store from the first-run screen.
    const register = await tabletContext.newPage();
    await register.goto(base);
    await register.getByRole('button', { name: 'デモ店舗とペアリング' }).click();
    await signIn(register, pin);
    await register.getByRole('group', { name: '釣り銭準備金' }).getByLabel('¥1,000', { exact: true }).fill('10');
    await register.getByRole('button', { name: '開局' }).click();
    await register.getByRole('button', { name: 'おにぎり 鮭 ¥180' }).click();
    await register.getByRole('button', { name: 'お会計へ' }).click();
    await register.getByRole('button', { name: 'ちょうど' }).click();
    await register.getByRole('button', { name: '会計を確定' }).click();

    // The sale shows on the open owner page by itself.
    await expect(customers).toHaveText(String(count + 1), { timeout: 30_000 });
  } finally {
    await phoneContext.close();
    await tabletContext.close();
    server.kill('SIGTERM');
  }
});
