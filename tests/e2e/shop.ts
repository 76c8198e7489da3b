// What every end-to-end story starts with: its own `akinai serve` (demo shop, fresh database)
// that the test can stop, and a new shop set up through the first-run screen; for payments, its
// own PayPay stand-in (`akinai stand-in paypay`) and QR codes read off the screen with zbarimg.
import { expect, type Locator, type Page } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = process.env.AKINAI_BIN ?? '../target/debug/akinai';
const appDir = process.env.AKINAI_APP_DIR ?? '../target/dist';

/** What else a test's server is started with. */
export interface ServerOptions {
  /** The demo store takes QR payments through this PayPay stand-in (`--paypay-stand-in`). */
  standIn?: StandIn;
  /** The demo owner's password (`AKINAI_DEMO_PASSWORD`), instead of a new one at each start. */
  demoPassword?: string;
}

/** A server of a test's own, on E2E_PORT + `offset`. */
export interface Server {
  base: string;
  process: ChildProcess;
  /** Its SQLite file. */
  db: string;
  offset: number;
  options: ServerOptions;
  /** What it printed so far (the demo's password and PIN). */
  printed: () => string;
}

/** A port of a test's own: E2E_PORT + `offset`. */
function port(offset: number): number {
  return Number(process.env.E2E_PORT ?? 8137) + offset;
}

/** Starts `akinai serve` with the demo shop on its own fresh database (or on `db`, to start a
 * stopped server again with its data). */
export async function startServer(offset: number, db?: string, options: ServerOptions = {}): Promise<Server> {
  const base = `http://127.0.0.1:${port(offset)}`;
  db ??= join(mkdtempSync(join(tmpdir(), 'akinai-e2e-')), 'akinai.db');
  const args = ['serve', '--addr', `127.0.0.1:${port(offset)}`, '--db', db, '--app-dir', appDir, '--demo'];
  if (options.standIn) args.push('--paypay-stand-in', options.standIn.base);
  await nothingAt(`${base}/api/v1/health`);
  const env = { ...process.env };
  if (options.demoPassword) env.AKINAI_DEMO_PASSWORD = options.demoPassword;
  const server = spawn(bin, args, { stdio: ['ignore', 'pipe', 'ignore'], env });
  let printed = '';
  server.stdout!.on('data', (chunk) => { printed += String(chunk); });
  await answering(server, `${base}/api/v1/health`, 'akinai serve', () => printed);
  return { base, process: server, db, offset, options, printed: () => printed };
}

/** Throws if something answers `url` already (a process a failed test left behind): a new one
 * could not listen there, and the old one would be taken for it. */
async function nothingAt(url: string) {
  const answered = await fetch(url).then(() => true, () => false);
  if (answered) throw new Error(`something already answers ${url}`);
}

/** Waits until `child` answers `url`; throws if it exits first or does not answer in 10 s. */
async function answering(child: ChildProcess, url: string, what: string, printed = () => '') {
  for (let i = 0; i < 100; i++) {
    // Another process answering on the port (one a failed test left behind) is not this one.
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}): ${printed()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGTERM');
  throw new Error(`${what} did not start`);
}

/** Sends `child` `signal` and waits until it is gone (at once if it is gone already). */
async function end(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

/** SIGKILLs the server: no shutdown of any kind. */
export async function killServer(server: Server) {
  await end(server.process, 'SIGKILL');
}

/** The PIN of the demo store's 店長 this start of the server printed. */
export async function demoPin(server: Server): Promise<string> {
  await expect.poll(server.printed, { timeout: 20_000 }).toMatch(/PIN \d{6}/);
  return /PIN (\d{6})/.exec(server.printed())?.[1] ?? '';
}

/** A PayPay stand-in of a test's own (`akinai stand-in paypay`, the demo keys). */
export interface StandIn {
  base: string;
  process: ChildProcess;
}

/** A code as the stand-in's `/control/codes` lists it. */
export interface StandInCode {
  codeId: string;
  merchantPaymentId: string;
  /** What the shop's QR code encodes: the stand-in's customer page for it. */
  url: string;
  amount: number;
  status: 'CREATED' | 'COMPLETED' | 'FAILED' | 'REFUNDED' | string;
  expired: boolean;
  deleted: boolean;
  paymentId?: string;
  refunded?: number;
}

/** Starts a stand-in on E2E_PORT + `offset` whose codes stay payable `codeTtl` seconds, and
 * waits until it answers. */
export async function startStandIn(offset: number, codeTtl = 300): Promise<StandIn> {
  const base = `http://127.0.0.1:${port(offset)}`;
  await nothingAt(`${base}/control/codes`);
  const standIn = spawn(bin, ['stand-in', 'paypay', '--addr', `127.0.0.1:${port(offset)}`, '--code-ttl', String(codeTtl)], {
    stdio: 'ignore',
  });
  await answering(standIn, `${base}/control/codes`, 'akinai stand-in');
  return { base, process: standIn };
}

/** Stops the stand-in. */
export async function stopStandIn(standIn: StandIn) {
  await end(standIn.process, 'SIGTERM');
}

/** Every code the stand-in was asked for, oldest first. */
export async function standInCodes(standIn: StandIn): Promise<StandInCode[]> {
  const response = await fetch(`${standIn.base}/control/codes`);
  expect(response.status).toBe(200);
  return response.json();
}

/** Sets the stand-in's switches (see README: slow_ms, fail, ambiguous); the rest go back to
 * their defaults. */
export async function setSwitches(standIn: StandIn, switches: { slow_ms?: number; fail?: string; ambiguous?: string[] }) {
  const response = await fetch(`${standIn.base}/control`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(switches),
  });
  expect(response.status).toBe(200);
}

/** Reads the QR code in `shown` (a screenshot of it, decoded by zbarimg): its text. */
export async function readQr(shown: Locator): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'akinai-qr-')), 'qr.png');
  await shown.screenshot({ path: file });
  const zbar = spawnSync(process.env.ZBARIMG ?? '/usr/bin/zbarimg', ['--raw', '-q', file], { encoding: 'utf8' });
  expect(zbar.status, `zbarimg: ${zbar.stderr}`).toBe(0);
  return zbar.stdout.trim();
}

/** Stops the server and waits until it no longer answers. */
export async function stopServer(server: Server) {
  if (server.process.exitCode !== null || server.process.signalCode !== null) return;
  await end(server.process, 'SIGTERM');
  await expect(fetch(`${server.base}/api/v1/health`)).rejects.toThrow();
}

/** Runs an `akinai` subcommand on the server's database; its exit code and output. */
export function akinai(server: Server, args: string[]): { status: number | null; output: string } {
  const run = spawnSync(bin, [...args, '--db', server.db], { encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** Enters a PIN on the sign-in keypad. */
export async function signIn(page: Page, pin: string) {
  await page.getByLabel('暗証番号', { exact: true }).fill(pin);
  await page.getByRole('button', { name: 'サインイン' }).click();
}

/** The first-run screen: the demo shop and its 12 items come from the server; the owner
 * (店長) chooses `pin`. Ends on the sign-in screen. */
export async function setUpShop(page: Page, server: Server, pin: string) {
  await page.goto(server.base);
  await expect(page.getByRole('heading', { name: 'お店の設定' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText('商品 12 点');
  await expect(page.getByLabel('店名')).toHaveValue('商い堂 本店');
  await page.getByLabel('オーナーの名前').fill('店長');
  await page.getByLabel('暗証番号（4〜6桁）').fill(pin);
  await page.getByLabel('暗証番号（確認）').fill(pin);
  await page.getByRole('button', { name: '始める' }).click();
}

/** A new owner signs up on the owner view at `base` (empty: the config's server); ends on the
 * figures of all stores. */
export async function ownerSignsUp(page: Page, base: string, email: string) {
  await page.goto(`${base}/owner`);
  await expect(page.getByRole('heading', { name: 'ログイン' })).toBeVisible();
  await page.getByRole('button', { name: 'はじめての方はアカウント作成' }).click();
  await expect(page.getByRole('heading', { name: 'アカウント作成' })).toBeVisible();
  await page.getByLabel('メールアドレス').fill(email);
  await page.getByLabel('お名前').fill('山田 花子');
  await page.getByLabel('パスワード').fill('correct horse battery');
  await page.getByRole('button', { name: 'アカウント作成' }).click();
  await expect(page.getByRole('heading', { name: '全店舗' })).toBeVisible();
  await expect(page.getByText('山田 花子')).toBeVisible();
}

/** From the owner view, creates a store named `name`; ends on the store's page. */
export async function createStore(page: Page, name: string) {
  await page.getByRole('button', { name: '店舗', exact: true }).click();
  await page.getByLabel('店名').fill(name);
  await page.getByLabel('登録番号').fill('T1234567890123');
  await page.getByRole('button', { name: '店舗を作成' }).click();
  await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
}

/** On a store's page, adds a cashier with `pin`. */
export async function addStaff(page: Page, name: string, pin: string) {
  const staff = page.getByRole('form', { name: 'スタッフ' });
  await staff.getByLabel('スタッフの名前').fill(name);
  await staff.getByLabel('暗証番号').fill(pin);
  await staff.getByRole('button', { name: 'スタッフを追加' }).click();
  await expect(staff.getByRole('listitem').filter({ hasText: name })).toBeVisible();
}

/** On a store's page, a new one-time pairing code. */
export async function pairingCode(page: Page): Promise<string> {
  await page.getByRole('button', { name: '新しい端末をペアリング' }).click();
  const code = page.locator('.pair-code .code');
  await expect(code).toHaveText(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  return (await code.textContent()) ?? '';
}

/** A fresh tablet pairs with `code` under `name`; ends on the PIN keypad. */
export async function pairTablet(register: Page, base: string, code: string, name: string) {
  await register.goto(base);
  const pairForm = register.getByRole('form', { name: 'お店とペアリング' });
  await pairForm.getByLabel('ペアリングコード').fill(code);
  await pairForm.getByLabel('この端末の名前').fill(name);
  await pairForm.getByRole('button', { name: 'ペアリングする' }).click();
  await expect(register.getByLabel('暗証番号', { exact: true })).toBeVisible();
}

/** On a store's page, imports catalog `csv` (UTF-8 text with an English header). */
export async function importCatalog(page: Page, csv: string, added: number) {
  await page.getByLabel('CSV ファイル（UTF-8 または Shift_JIS）').setInputFiles({
    name: 'items.csv', mimeType: 'text/csv', buffer: Buffer.from(csv),
  });
  await page.getByRole('button', { name: 'CSV を取り込む' }).click();
  await expect(page.getByRole('status').filter({ hasText: `追加 ${added} 点` })).toBeVisible();
}

/** The staff PIN of the paired-tablet stories. */
export const PIN = '2580';
/** The catalog of the paired-tablet stories. */
export const CATALOG = 'name,price,tax_class\nおにぎり 鮭,180,food\n缶ビール 350ml,250,alcohol\n新聞,160,reduced\n手ぬぐい,1200,standard\n日本酒 300ml,720,alcohol\n';

/** Signs in on a paired tablet and opens a shift with ¥10,000 in the drawer. */
export async function openShift(register: Page) {
  await signIn(register, PIN);
  await register.getByRole('group', { name: '釣り銭準備金' }).getByLabel('¥1,000', { exact: true }).fill('10');
  await register.getByRole('button', { name: '開局' }).click();
  await expect(register.getByLabel('商品検索・バーコード')).toBeVisible();
}

/** Rings up `item` paid exactly in cash and starts the next sale. */
export async function sell(register: Page, item: string) {
  await register.getByRole('button', { name: item }).click();
  await register.getByRole('button', { name: 'お会計へ' }).click();
  await register.getByRole('button', { name: 'ちょうど' }).click();
  await register.getByRole('button', { name: '会計を確定' }).click();
  await register.getByRole('button', { name: '次のお客様' }).click();
}

/** `register` pairs with the demo store of `server`, its 店長 signs in and opens the shift with
 * ¥10,000 in the drawer; ends synced. */
export async function openDemoRegister(register: Page, server: Server) {
  await register.goto(server.base);
  await register.getByRole('button', { name: 'デモ店舗とペアリング' }).click();
  await signIn(register, await demoPin(server));
  await register.getByRole('group', { name: '釣り銭準備金' }).getByLabel('¥1,000', { exact: true }).fill('10');
  await register.getByRole('button', { name: '開局' }).click();
  await expect(syncState(register)).toContainText('同期済み', { timeout: 20_000 });
}

/** The tablet's sync line. */
export function syncState(register: Page) {
  return register.locator('.sync-state');
}


/** A new owner signs up on `phone`, creates a store with the stories' catalog and a cashier
 * (PIN), and opens a pairing code for it; the code. */
export async function storeToPair(phone: Page, base: string, email: string): Promise<string> {
  await ownerSignsUp(phone, base, email);
  await createStore(phone, '花子商店 浅草店');
  await importCatalog(phone, CATALOG, 5);
  await addStaff(phone, '花子', PIN);
  return pairingCode(phone);
}

/** The owner's sales of today (at most 500) as the server holds them, by receipt number, by the
 * owner's session in `phone`'s context. */
export async function serverSales(phone: Page, base: string): Promise<{ id: string; receipt_no: number }[]> {
  const day = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Tokyo' });
  const response = await phone.request.get(`${base}/api/v1/sales?from=${day}&to=${day}&limit=500`);
  expect(response.status()).toBe(200);
  const sales: { id: string; receipt_no: number }[] = await response.json();
  return sales.sort((a, b) => a.receipt_no - b.receipt_no);
}
