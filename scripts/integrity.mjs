// Writes dist/integrity.json: each browser file of the one-file bundle (the bundle and the chunks it
// loads from beside it) to its Subresource Integrity hash, for a page that pins what it loads:
// `integrity` on the script tag for the bundle, an import map's `integrity` for the chunks.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

/** The files a page loads from the bundle's folder: careconnect-button.*.js (not the maps, not the licence). */
export const browserFiles = (dir = 'dist') => readdirSync(dir).filter((file) => /^careconnect-button\.[\w-]+\.js$/.test(file)).sort();

export const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const integrity = Object.fromEntries(browserFiles().map((file) => [file, sri(readFileSync(`dist/${file}`))]));
  writeFileSync('dist/integrity.json', `${JSON.stringify(integrity, null, 2)}\n`);
}
