// A Rollup plugin that minifies the CSS inside our unsafeCSS(`...`) templates with lightningcss:
// terser leaves template strings alone, and readable styles would otherwise ship their whitespace.
import { transform } from 'lightningcss';

export function minifyCssTemplates() {
  return {
    name: 'minify-css-templates',
    transform(code, id) {
      if (!/\.styles\.js$/.test(id)) return null;
      // Only constant templates (no `${}`): an interpolation could not be parsed as CSS.
      const minified = code.replace(/unsafeCSS\(\s*`([^`$]*)`/g, (_, body) => {
        const { code: css } = transform({ filename: id, code: Buffer.from(body), minify: true });
        return `unsafeCSS(\`${css.toString().replace(/[`\\]/g, '\\$&')}\``;
      });
      return { code: minified, map: null };
    },
  };
}
