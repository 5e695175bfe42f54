// `npm run size`: gzip sizes of what a browser downloads, against DESIGN's budgets.
// Run after `npm run build`; exits 1 when a bundle is over budget.
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

if (!existsSync('dist/index.js')) {
  console.error('No build found: run npm run build first.');
  process.exit(1);
}

async function minified(input, { external = [] } = {}) {
  const bundle = await rollup({
    input,
    external: (id) => external.some((name) => id === name || id.startsWith(`${name}/`)),
    plugins: [nodeResolve({ exportConditions: ['production'] }), terser({ ecma: 2020, module: true })],
  });
  const { output } = await bundle.generate({ format: 'es' });
  await bundle.close();
  return output[0].code;
}

const KB = 1024;
const rows = [
  ['dist/careconnect-button.bundle.js (Lit inside)', readFileSync('dist/careconnect-button.bundle.js', 'utf8'), 9 * KB],
  ['careconnect-launch (element + core, Lit external)', await minified('dist/index.js', { external: ['lit', '@lit'] }), 4 * KB],
  ['careconnect-launch/core', await minified('dist/core/index.js'), 2 * KB],
];

const table = rows.map(([name, code, budget]) => {
  const gzip = gzipSync(code, { level: 9 }).length;
  return { bundle: name, 'min (B)': code.length, 'gzip (B)': gzip, 'budget (B)': budget, ok: gzip <= budget ? 'yes' : 'OVER' };
});
console.table(table);
const jose = rows.some(([, code]) => /jose|JWSSignatureVerificationFailed/.test(code));
if (jose) console.error('jose must never be in a browser bundle of the element.');
if (jose || table.some((row) => row.ok !== 'yes')) process.exit(1);
