// React ships CommonJS only. For the React wrapper's browser test, esbuild bundles React and
// ReactDOM once into an ES module, and `react`, `react-dom` and `react-dom/client` resolve to
// thin modules over it (default exports, as React is imported in src/react).
import { build } from 'esbuild';

const SHIMS = {
  react: 'React',
  'react-dom': 'ReactDOM',
  'react-dom/client': 'ReactDOMClient',
};
const shimPath = (name) => `/__react/${name.replace('/', '-')}.js`;

export function reactEsmPlugin() {
  let bundled;
  return {
    name: 'react-esm',
    resolveImport({ source }) {
      if (source in SHIMS) return shimPath(source);
    },
    async serve(context) {
      if (context.path === '/__react/all.js') {
        bundled ??= build({
          stdin: {
            contents: "export { default as React } from 'react'; export { default as ReactDOM } from 'react-dom'; export { default as ReactDOMClient } from 'react-dom/client';",
            resolveDir: process.cwd(),
          },
          bundle: true,
          format: 'esm',
          write: false,
          define: { 'process.env.NODE_ENV': '"production"' },
        }).then((result) => result.outputFiles[0].text);
        return { body: await bundled, type: 'js' };
      }
      for (const [name, exported] of Object.entries(SHIMS)) {
        if (context.path === shimPath(name)) {
          return { body: `import { ${exported} } from '/__react/all.js'; export default ${exported};`, type: 'js' };
        }
      }
    },
  };
}
