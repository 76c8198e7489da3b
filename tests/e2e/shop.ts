// What every end-to-end story starts with: its own `akinai serve` (demo shop, fresh database)
// that the test can stop, and a new shop set up through the first-run screen.
import { expect, type Page } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = process.env.AKINAI_BIN ?? '../target/debug/akinai';
const appDir = process.env.AKINAI_APP_DIR ?? '../target/dist';

/** A server of a test's own, on E2E_PORT + `offset`. */
export interface Server {
  base: string;
  process: ChildProcess;
  /** Its SQLite file. */
  db: string;
  offset: number;
}

/** Starts `akinai serve` with the demo shop on its own fresh database (or on `db`, to start a
 * stopped server again with its data). */
export async function startServer(offset: number, db?: string): Promise<Server> {
  const port = Number(process.env.E2E_PORT ?? 8137) + offset;
  const base = `http://127.0.0.1:${port}`;
  db ??= join(mkdtempSync(join(tmpdir(), 'akinai-e2e-')), 'akinai.db');
  const server = spawn(bin, ['serve', '--addr', `127.0.0.1:${port}`, '--db', db, '--app-dir', appDir, '--demo'], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/api/v1/health`)).ok) return { base, process: server, db, offset };
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  server.kill('SIGTERM');
  throw new Error('akinai serve did not start');
}

/** Stops the server and waits until it no longer answers. */
export async function stopServer(server: Server) {
  if (server.process.exitCode !== null || server.process.signalCode !== null) return;
  const exited = new Promise((r) => server.process.once('exit', r));
  server.process.kill('SIGTERM');
  await exited;
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
