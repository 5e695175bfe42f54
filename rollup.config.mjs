// One minified file with Lit inside, for a plain <script type="module"> tag, plus the French
// messages beside it, fetched only by French pages. Input is tsc's output in dist/.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { minifyCssTemplates } from './scripts/minify-css.mjs';
import license from 'rollup-plugin-license';

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
    // No comment survives in the minified file: the licences (ours, then Lit's) go in full to
    // careconnect-button.bundle.js.LICENSE.txt beside it, which is how MIT and BSD-3-Clause travel.
    terser({ ...TERSER_OPTIONS, format: { comments: false } }),
    license({
      thirdParty: {
        includeSelf: true,
        allow: { test: '(MIT OR BSD-3-Clause)', failOnUnlicensed: true, failOnViolation: true },
        output: {
          file: 'dist/careconnect-button.bundle.js.LICENSE.txt',
          template: (dependencies) => 'careconnect-button.bundle.js is made of the following packages.\n\n' + dependencies
            .map(({ name, version, license, licenseText }) => `${name}@${version} (${license})\n\n${licenseText?.trim()}\n`)
            .join('\n'),
        },
      },
    }),
  ],
};
