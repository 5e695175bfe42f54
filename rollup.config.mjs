// One minified file with Lit inside, for a plain <script type="module"> tag.
// Input is tsc's output in dist/, so Rollup needs no TypeScript plugin.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

export default {
  input: 'dist/index.js',
  output: { file: 'dist/careconnect-button.bundle.js', format: 'es', sourcemap: true },
  plugins: [nodeResolve({ exportConditions: ['production'] }), terser({ ecma: 2020, module: true })],
};
