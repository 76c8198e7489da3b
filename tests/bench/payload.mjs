// The app's payload for `cargo xtask bench`: the bytes of wasm, js and css of each of the app's two
// pages (the register in APP_DIST, the owner's view in APP_DIST/owner-app), uncompressed and as
// `akinai serve` sends them (the build's brotli -11 and gzip -9 copies, app/compress.mjs), beside
// the same for the minimal Leptos page built the same way (the floor). What a first visit really
// downloads, the service worker's precache included, is measured in a browser (browser.mjs).
// Usage: node payload.mjs APP_DIST FLOOR_DIST OUT.json. Node's own zlib; no packages.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const [appDist, floorDist, out] = process.argv.slice(2);
if (!out) throw new Error('usage: node payload.mjs APP_DIST FLOOR_DIST OUT.json');

const encodings = {
  raw: (bytes) => bytes.length,
  gzip: (bytes) => gzipSync(bytes, { level: 9 }).length,
  brotli: (bytes) => brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  }).length,
};

/** Sizes in KB (1,000 bytes) of each kind of file in `dist`, and of all of them. */
function sizes(dist) {
  const kinds = { wasm: 0, js: 0, css: 0 };
  const totals = Object.fromEntries(Object.keys(encodings).map((e) => [e, { ...kinds }]));
  for (const name of readdirSync(dist)) {
    const kind = Object.keys(kinds).find((k) => name.endsWith(`.${k}`));
    // sw.js is fetched by the browser's service worker machinery, not by the page's first paint.
    if (!kind || name === 'sw.js') continue;
    const bytes = readFileSync(join(dist, name));
    for (const [encoding, size] of Object.entries(encodings)) totals[encoding][kind] += size(bytes);
  }
  return totals;
}

const samples = [];
const add = (figure, bytes, conditions) =>
  samples.push({ figure, unit: 'KB', values: [bytes / 1000], conditions });
const pages = { register: sizes(appDist), owner: sizes(join(appDist, 'owner-app')) };
const floor = sizes(floorDist);
const release = 'trunk build --release (profile wasm-release, wasm-opt -Oz)';
for (const encoding of Object.keys(encodings)) {
  const sum = (t) => t.wasm + t.js + t.css;
  const how = {
    raw: 'uncompressed',
    gzip: 'gzip -9, as akinai serve sends it to a browser without brotli',
    brotli: 'brotli -11, as akinai serve sends it to a browser that accepts br',
  }[encoding];
  for (const [page, sizes] of Object.entries(pages)) {
    add(`${page} page wasm+js+css, ${encoding}`, sum(sizes[encoding]), `${release}; ${how}`);
    // The parts once, as sent to today's browsers.
    if (encoding !== 'brotli') continue;
    for (const kind of ['wasm', 'js', 'css']) add(`  ${page} ${kind}, ${encoding}`, sizes[encoding][kind], how);
  }
  add(`floor: minimal Leptos CSR page, ${encoding}`, sum(floor[encoding]),
    `bench/floor, one signal and one button, built the same way; ${how}`);
}
writeFileSync(out, JSON.stringify(samples, null, 2));
