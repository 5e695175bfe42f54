// Part of `npm run build`: the mock viewer page (demo/viewer.ts, with Lit, msw and jose inside) as
// one file in dist/mock-viewer/app/, with its page, styles, icon and msw's worker, so that
// `careconnect-launch mock-viewer` serves it from an installed package, with no devDependency.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const OUT = 'dist/mock-viewer/app';
mkdirSync(OUT, { recursive: true });
await build({
  entryPoints: ['demo/viewer.ts'],
  outfile: `${OUT}/viewer.js`,
  bundle: true,
  format: 'esm',
  target: 'es2022',
  platform: 'browser',
  conditions: ['production'],
  minify: true,
  legalComments: 'linked',
  tsconfig: 'tsconfig.json',
  logLevel: 'warning',
});
// The demo's page, with absolute addresses: the command line serves it at / and at /Welcome/Search.
const page = readFileSync('demo/viewer.html', 'utf8')
  .replace('./viewer.ts', '/app/viewer.js')
  .replace('./viewer.css', '/app/viewer.css')
  .replace('./favicon.svg', '/app/favicon.svg');
if (!page.includes('/app/viewer.js')) throw new Error('demo/viewer.html no longer loads ./viewer.ts');
writeFileSync(`${OUT}/index.html`, page);
for (const file of ['viewer.css', 'favicon.svg', 'mockServiceWorker.js']) copyFileSync(`demo/${file}`, `${OUT}/${file}`);
