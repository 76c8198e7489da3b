// Trunk post_build hook (see Trunk.toml): writes brotli and gzip copies of the page's wasm, js, css
// and texts (.ftl, also in locales/) beside them, which `akinai serve` sends to browsers that
// accept them (a third of the bytes on a shop's Wi-Fi). sw.js is left alone: the other hook stamps
// it. Node's zlib only.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const stage = process.env.TRUNK_STAGING_DIR;
if (!stage) throw new Error('compress.mjs runs as Trunk\'s post_build hook (TRUNK_STAGING_DIR unset)');
// Every file below the stage (locales/ too), named by its path from it.
for (const name of readdirSync(stage, { recursive: true })) {
  if (!/\.(wasm|js|css|ftl)$/.test(name) || name === 'sw.js') continue;
  const bytes = readFileSync(join(stage, name));
  writeFileSync(join(stage, `${name}.br`), brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  }));
  writeFileSync(join(stage, `${name}.gz`), gzipSync(bytes, { level: 9 }));
}
