// Which test files run in which suite: the one list that `npm test` (scripts/test.mjs), both
// web-test-runner configs and `npm run test:node` read. A new folder goes here, nowhere else.
import { readdirSync } from 'node:fs';

/** Pure modules, the servers' code and the property tests run in the browsers and in Node alike. */
const SHARED = ['test/core', 'test/server', 'test/mock-viewer', 'test/property'];

export const SUITES = {
  /** web-test-runner, one engine at a time, the popup blocker off (synthetic clicks). */
  browser: ['test/**/*.test.ts', '!test/node/**', '!test/e2e/**', '!test/trusted-clicks/**'],
  /** web-test-runner with real (trusted) clicks and the popup blocker on. */
  trustedClicks: ['test/trusted-clicks/**/*.test.ts'],
  /** node --test: folders whose *.test.ts files run in Node (the end-to-end tests drive the demo in Chromium). */
  node: [...SHARED, 'test/node', 'test/e2e'],
};

/** The Node suite's files (Node 20's --test does not expand globs itself). */
export const nodeTestFiles = () =>
  SUITES.node.flatMap((dir) => readdirSync(dir).filter((file) => file.endsWith('.test.ts')).sort().map((file) => `${dir}/${file}`));

if (import.meta.url === `file://${process.argv[1]}`) console.log(nodeTestFiles().join('\n'));
