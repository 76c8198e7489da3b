// End-to-end tests against `akinai serve` (started here on a fresh database with the demo shop)
// in Debian's Chromium. `cargo xtask test` builds the app and the server first and sets
// AKINAI_BIN, AKINAI_APP_DIR, E2E_PORT and E2E_DB; Playwright's own browser download is never used.
import { defineConfig, devices } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 8137);
const bin = process.env.AKINAI_BIN ?? '../target/debug/akinai';
const db = process.env.E2E_DB ?? '../target/e2e/akinai.db';
const appDir = process.env.AKINAI_APP_DIR ?? '../target/dist';

export default defineConfig({
  testDir: './e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
             '--disable-background-networking', '--disable-component-update',
             // A synthetic camera, for the barcode scanning test.
             '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
    },
  },
  projects: [
    { name: 'tablet', use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 800 }, hasTouch: true } },
  ],
  webServer: {
    command: `"${bin}" serve --addr 127.0.0.1:${port} --db "${db}" --app-dir "${appDir}" --demo`,
    url: `http://127.0.0.1:${port}/api/v1/health`,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    timeout: 30_000,
  },
});
