// One minified file with Lit inside, for a plain <script type="module"> tag, plus the French
// messages beside it, fetched only by French pages. Input is tsc's output in dist/.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { minifyCssTemplates } from './scripts/minify-css.mjs';
import { thirdPartyLicenses } from './scripts/third-party-licenses.mjs';

// keep_fargs: false drops unused parameters; nothing here or in Lit reads a function's `length`.
export const TERSER_OPTIONS = { ecma: 2020, module: true, compress: { passes: 2, keep_fargs: false } };

export default {
  input: 'dist/bundle.js',
  output: {
    dir: 'dist',
    entryFileNames: 'careconnect-button.bundle.js',
    chunkFileNames: 'careconnect-button.[name].js',
    format: 'es',
    sourcemap: true,
  },
  plugins: [
    nodeResolve({ exportConditions: ['production'] }),
    minifyCssTemplates(),
    // Licence headers go to careconnect-button.bundle.js.LICENSE.txt, in full.
    terser({ ...TERSER_OPTIONS, format: { comments: false } }),
    thirdPartyLicenses(),
  ],
};
