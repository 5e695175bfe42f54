// A Rollup plugin that minifies the CSS inside our unsafeCSS(`...`) templates: terser leaves template
// strings alone, and readable styles would otherwise ship their whitespace and comments.
export function minifyCssTemplates() {
  return {
    name: 'minify-css-templates',
    transform(code, id) {
      if (!/\.styles\.js$/.test(id)) return null;
      const minified = code.replace(/unsafeCSS\(\s*`([^`$]*)`/g, (_, body) => {
        const css = body
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/\s+/g, ' ')
          .replace(/\s*([{}:;,>])\s*/g, '$1')
          .replace(/;}/g, '}')
          .replace(/=(['"])([\w-]+)\1\]/g, '=$2]')
          .trim();
        return `unsafeCSS(\`${css}\``;
      });
      return { code: minified, map: null };
    },
  };
}
