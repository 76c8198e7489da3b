// Renders the PNG icons in public/icons from the SVGs there, in Debian's Chromium (Chromium's
// install criteria want PNG icons of 192 and 512 px; iOS wants a 180 px apple-touch-icon).
// Run once after changing an SVG, from tests/: `node tools/render-icons.mjs`; commit the PNGs.
// icon.svg has rounded corners; icon-maskable.svg is full-bleed with the mark inside the maskable
// safe zone, and is also the apple-touch-icon (iOS rounds it itself and shows transparency black).
// Both full-bleed renders are drawn on the icon's background colour so no pixel is transparent.
import { readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';

const icons = new URL('../../public/icons/', import.meta.url);
const renders = [
  { svg: 'icon.svg', png: 'icon-192.png', size: 192 },
  { svg: 'icon.svg', png: 'icon-512.png', size: 512 },
  { svg: 'icon-maskable.svg', png: 'apple-touch-icon.png', size: 180, background: '#1d3557' },
  { svg: 'icon-maskable.svg', png: 'icon-maskable-192.png', size: 192, background: '#1d3557' },
  { svg: 'icon-maskable.svg', png: 'icon-maskable-512.png', size: 512, background: '#1d3557' },
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  for (const { svg, png, size, background } of renders) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    const data = readFileSync(new URL(svg, icons)).toString('base64');
    await page.setContent(
      `<body style="margin:0;background:${background ?? 'transparent'}">` +
        `<img src="data:image/svg+xml;base64,${data}" width="${size}" height="${size}" style="display:block"></body>`,
    );
    await page.locator('img').evaluate((img) => img.decode());
    await page.screenshot({ path: new URL(png, icons).pathname, omitBackground: !background });
    await page.close();
    console.log(`${png}: ${size}x${size}`);
  }
} finally {
  await browser.close();
}
