// Cashless payments at the demo store, with PayPay played by `akinai stand-in paypay` and a
// second browser as the customer's phone: a QR sale whose shown code (read off the screen with
// zbarimg) is the stand-in's code, paid on the customer's page; cash + QR on one sale; a declined
// QR then cash; a card sale while offline, synced later; a QR refund from the history; the Z
// report and the owner's figures by tender; a code the customer shows, scanned at the register.
// And the server SIGKILLed while a QR payment waits:
// paid on the phone meanwhile, the sale is paid and recorded exactly once after the restart.
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import {
  akinai, killServer, openDemoRegister, readQr, standInCodes, startServer, startStandIn,
  stopServer, stopStandIn, syncState, type Server, type StandIn,
} from './shop';

/** The demo owner's password in these tests (instead of a new one at each start). */
const DEMO_PASSWORD = 'e2e-payments-demo';

/** A demo server with its stand-in, a tablet (the demo store's register) and a phone (the
 * customer's, then the owner's). */
interface Shop {
  server: Server;
  standIn: StandIn;
  tablet: BrowserContext;
  phone: BrowserContext;
  register: Page;
}

/** Starts the shop's processes and browsers; nothing is paired yet. */
async function startShop(browser: Browser, offset: number): Promise<Shop> {
  const standIn = await startStandIn(offset + 60);
  const server = await startServer(offset, undefined, { standIn, demoPassword: DEMO_PASSWORD })
    .catch(async (err) => { await stopStandIn(standIn); throw err; });
  const tablet = await browser.newContext({ viewport: { width: 1280, height: 800 }, hasTouch: true });
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  return { server, standIn, tablet, phone, register: await tablet.newPage() };
}

/** The tablet pairs with the demo store, the 店長 signs in and opens the shift; synced. */
async function openRegister({ server, register }: Shop) {
  await openDemoRegister(register, server);
}

/** Stops the processes first: after a timeout the browser may be gone already. */
async function closeShop(shop: Shop) {
  await stopServer(shop.server);
  await stopStandIn(shop.standIn);
  for (const context of [shop.tablet, shop.phone]) await context.close().catch(() => undefined);
}

/** Rings up `items` and opens the pay screen. */
async function checkout(register: Page, items: string[]) {
  for (const item of items) await register.getByRole('button', { name: item }).click();
  await register.getByRole('button', { name: 'お会計へ' }).click();
}

/** Adds a tender of `kind` (its button's name): the brand's button, then the amount (left at the
 * remaining amount when not given) and the optional card fields, then 追加. */
async function addTender(register: Page, kind: string, brand: string,
  fields: { amount?: number; last4?: string; approval?: string } = {}) {
  await register.getByRole('button', { name: kind, exact: true }).click();
  await register.getByRole('button', { name: brand, exact: true }).click();
  if (fields.amount !== undefined) await register.getByLabel('金額', { exact: true }).fill(String(fields.amount));
  if (fields.last4 !== undefined) await register.getByLabel('下4桁').fill(fields.last4);
  if (fields.approval !== undefined) await register.getByLabel('承認番号').fill(fields.approval);
  await register.getByRole('button', { name: '追加', exact: true }).click();
}

/** Starts a PayPay QR payment of `amount` (the remaining amount when not given); the shown QR
 * code's payload, checked against what the screen shows and what the stand-in made. */
async function showQr(register: Page, standIn: StandIn, amount: number): Promise<string> {
  await addTender(register, 'QR決済', 'PayPay', { amount });
  const figure = register.locator('figure.qr-pay');
  await expect(figure).toBeVisible();
  await expect(figure).toContainText(`¥${amount.toLocaleString('en-US')}`);
  await expect(figure.getByRole('timer')).toBeVisible();
  const payload = (await figure.getAttribute('data-payload')) ?? '';
  // What the customer's camera reads is the payload, and the payload is the stand-in's code.
  expect(await readQr(figure.locator('svg').first())).toBe(payload);
  const code = (await standInCodes(standIn)).find((c) => c.url === payload);
  expect(code, payload).toBeDefined();
  expect(code!.amount).toBe(amount);
  expect(code!.status).toBe('CREATED');
  return payload;
}

/** The customer opens the code at `url` on the phone and taps `button` (支払う or 拒否). */
async function customerTaps(phone: BrowserContext, url: string, button: '支払う' | '拒否') {
  const customer = await phone.newPage();
  await customer.goto(url);
  await customer.getByRole('button', { name: button }).click();
  await expect(customer.getByRole('status')).toContainText(button === '支払う' ? '支払い済み' : '失敗');
  await customer.close();
}

/** What is left to pay (not the QR code's 残り時間). */
function remaining(register: Page) {
  return register.getByLabel('残り', { exact: true });
}

/** Cash for what is left: the cash form's ちょうど (cash is the last tender, not listed). */
async function exactCash(register: Page) {
  await register.getByRole('button', { name: '現金', exact: true }).click();
  await register.getByRole('button', { name: 'ちょうど' }).click();
}

/** Completes the sale: the receipt shows `shows` and not `hides`; then the next customer. */
async function complete(register: Page, shows: string[], hides: string[] = []) {
  await register.getByRole('button', { name: '会計を確定' }).click();
  const receipt = register.getByRole('article', { name: 'レシート' });
  for (const text of shows) await expect(receipt).toContainText(text);
  for (const text of hides) await expect(receipt).not.toContainText(text);
  await register.getByRole('button', { name: '次のお客様' }).click();
}

test('QR, split, declined, offline card, QR refund, and the books by tender', async ({ browser }) => {
  test.setTimeout(240_000);
  const shop = await startShop(browser, 6);
  const { register, standIn, phone } = shop;
  try {
    await openRegister(shop);
    // A QR sale: the customer reads the shown code on the phone and pays.
    await checkout(register, ['手ぬぐい ¥1,200']);
    await expect(remaining(register)).toHaveText('¥1,200');
    const first = await showQr(register, standIn, 1200);
    await customerTaps(phone, first, '支払う');
    await expect(register.getByText('支払い完了').first()).toBeVisible({ timeout: 15_000 });
    await expect(remaining(register)).toHaveText('¥0');
    await complete(register, ['QR決済 PayPay']);

    // Cash + QR on one sale: ¥1,000 by QR, picked from the stand-in's list of waiting codes,
    // and the rest in cash.
    await checkout(register, ['手ぬぐい ¥1,200', 'おにぎり 鮭 ¥180']);
    const second = await showQr(register, standIn, 1000);
    const customer = await phone.newPage();
    await customer.goto(standIn.base);
    await customer.locator(`a[href="${new URL(second).pathname}"]`).click();
    await customer.getByRole('button', { name: '支払う' }).click();
    await expect(customer.getByRole('status')).toContainText('支払い済み');
    await customer.close();
    await expect(register.getByText('支払い完了').first()).toBeVisible({ timeout: 15_000 });
    await expect(remaining(register)).toHaveText('¥380');
    await expect(register.getByRole('list', { name: '支払い' })).toContainText('QR決済 PayPay');
    await exactCash(register);
    await complete(register, ['QR決済 PayPay', '現金']);

    // Declined on the phone: the QR tender goes, and cash pays.
    await checkout(register, ['おにぎり 鮭 ¥180']);
    const third = await showQr(register, standIn, 180);
    await customerTaps(phone, third, '拒否');
    await expect(register.getByText('支払いが拒否されました').first()).toBeVisible({ timeout: 15_000 });
    await expect(remaining(register)).toHaveText('¥180');
    await expect(register.getByRole('list', { name: '支払い' }).getByRole('listitem')).toHaveCount(0);
    await exactCash(register);
    await complete(register, [], ['QR決済']);

    // Offline: QR by API cannot be offered; a card can, and the sale syncs once back online.
    await shop.tablet.setOffline(true);
    await checkout(register, ['缶ビール 350ml ¥250']);
    await expect(register.getByRole('button', { name: 'QR決済', exact: true })).toBeDisabled();
    await expect(register.getByText(/QR決済（API）は.*使えません。ほかの方法でお支払いください/)).toBeVisible();
    await addTender(register, 'カード', 'VISA', { last4: '1234', approval: 'A12345' });
    await expect(register.getByRole('list', { name: '支払い' })).toContainText('カード VISA');
    await complete(register, ['カード VISA', '****1234', 'A12345']);
    await expect(syncState(register)).toContainText('送信待ち');
    await shop.tablet.setOffline(false);
    await expect(syncState(register)).toHaveText(/^同期済み/, { timeout: 30_000 });

    // The stand-in was paid twice and declined once; nothing else was made.
    const codes = await standInCodes(standIn);
    expect(codes.map((c) => [c.url, c.status])).toEqual([
      [first, 'COMPLETED'], [second, 'COMPLETED'], [third, 'FAILED'],
    ]);

    // The first sale refunded from the history: back through PayPay, asked of the server first.
    await register.getByRole('button', { name: '履歴' }).click();
    await register.getByLabel('レシート番号・日付・金額で検索').fill('1200');
    await register.getByRole('button', { name: /No\. 000001/ }).click();
    await register.getByRole('button', { name: '返品', exact: true }).click();
    await register.getByLabel(/手ぬぐい/).fill('1');
    await register.getByRole('button', { name: '返品を確定' }).click();
    const refund = register.getByRole('article', { name: 'レシート' });
    await expect(refund).toContainText('返品');
    await expect(refund).toContainText('QR決済');
    await expect.poll(async () => (await standInCodes(standIn))[0].refunded).toBe(1200);

    // The customer shows a code in their app instead: the scanner types it, PayPay charges it.
    await register.getByRole('button', { name: 'レジ', exact: true }).click();
    await checkout(register, ['新聞 ¥160']);
    await register.getByRole('button', { name: 'QR決済', exact: true }).click();
    await register.getByRole('button', { name: 'PayPay', exact: true }).click();
    await register.getByLabel(/お客様のコード/).fill('281234567890123456');
    await register.getByRole('button', { name: '追加', exact: true }).click();
    await expect(register.getByText('支払い完了').first()).toBeVisible({ timeout: 15_000 });
    await expect(remaining(register)).toHaveText('¥0');
    await complete(register, ['QR決済 PayPay']);

    // The Z report by tender: cash, the card, PayPay.
    await register.getByRole('button', { name: '精算', exact: true }).click();
    await register.getByRole('button', { name: '締め（ドロワーを数える）' }).click();
    await register.getByRole('group', { name: 'ドロワーの現金' }).getByLabel('¥1,000', { exact: true }).fill('10');
    await register.getByRole('button', { name: '精算を確定' }).click();
    const z = register.getByRole('article', { name: 'Z レポート（精算）' });
    const zTenders = z.getByRole('table', { name: '支払方法別' });
    await expect(zTenders.getByRole('row', { name: /現金/ })).toBeVisible();
    await expect(zTenders.getByRole('row', { name: /カード.*VISA/ })).toContainText('¥250');
    await expect(zTenders.getByRole('row', { name: /QR決済.*PayPay/ })).toBeVisible();

    // The owner's figures by tender, on the phone.
    const owner = await phone.newPage();
    await owner.goto(`${shop.server.base}/owner`);
    await owner.getByLabel('メールアドレス').fill('demo@akinai.jp');
    await owner.getByLabel('パスワード').fill(DEMO_PASSWORD);
    await owner.getByRole('button', { name: 'ログイン' }).click();
    await expect(owner.getByRole('heading', { name: '全店舗' })).toBeVisible();
    const figures = owner.getByLabel('支払方法別').first();
    await expect(figures).toContainText('QR決済', { timeout: 30_000 });
    await expect(figures).toContainText('PayPay');
    await expect(figures).toContainText('カード');
    await expect(figures).toContainText('VISA');
  } finally {
    await closeShop(shop);
  }
});

test('the server killed while a QR payment waits: paid exactly once after the restart', async ({ browser }) => {
  test.setTimeout(180_000);
  const shop = await startShop(browser, 7);
  const { register, standIn, phone } = shop;
  try {
    await openRegister(shop);
    await checkout(register, ['日本酒 300ml ¥720']);
    const shown = await showQr(register, standIn, 720);

    // The server dies with the payment pending; the customer pays meanwhile.
    await killServer(shop.server);
    await customerTaps(phone, shown, '支払う');
    shop.server = await startServer(shop.server.offset, shop.server.db, shop.server.options);

    // The restarted server finds the payment paid; the tablet learns it and the sale completes.
    await expect(register.getByText('支払い完了').first()).toBeVisible({ timeout: 30_000 });
    await complete(register, ['QR決済 PayPay']);
    await expect(syncState(register)).toHaveText(/^同期済み/, { timeout: 30_000 });

    // PayPay was paid once, and the server holds one sale paid by that payment, none unbound.
    const codes = await standInCodes(standIn);
    expect(codes.map((c) => c.status)).toEqual(['COMPLETED']);
    const paymentId = codes[0].merchantPaymentId;
    const base = shop.server.base;
    const signedIn = await (await fetch(`${base}/api/v1/owner/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'demo@akinai.jp', password: DEMO_PASSWORD }),
    })).json();
    const auth = { authorization: `Bearer ${signedIn.token}` };
    const day = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Tokyo' });
    const sales: { id: string; store_id: string; total: number }[] =
      await (await fetch(`${base}/api/v1/sales?from=${day}&to=${day}&limit=500`, { headers: auth })).json();
    const paidBy = [];
    for (const sale of sales.filter((s) => s.total === 720)) {
      const body = await (await fetch(`${base}/api/v1/sales/${sale.id}`, { headers: auth })).json();
      if (body.tenders.some((t: { id?: string }) => t.id === paymentId)) paidBy.push(sale);
    }
    expect(paidBy).toHaveLength(1);
    const unbound = await fetch(`${base}/api/v1/stores/${paidBy[0].store_id}/payments?unbound=true`, { headers: auth });
    expect(unbound.status).toBe(200);
    expect(await unbound.json()).toEqual([]);

    await stopServer(shop.server);
    const verify = akinai(shop.server, ['verify']);
    expect(verify.status, verify.output).toBe(0);
  } finally {
    await closeShop(shop);
  }
});
