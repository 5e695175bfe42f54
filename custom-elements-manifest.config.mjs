// `cem analyze` reads the element's JSDoc (@fires, @csspart, @cssprop) and static properties.
export default {
  globs: ['src/components/careconnect-button.ts'],
  outdir: '.',
  litelement: true,
};
