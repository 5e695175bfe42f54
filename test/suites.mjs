// Which test files run in which suite: the one list that `npm test` (scripts/test.mjs), both
// web-test-runner configs and `npm run test:node` read. `test/<folder>` mirrors `src/<folder>`
// (plus `demo`, `docs`, `package` and `scripts` for what is not in src/), and a file's suffix picks
// its runner:
//   *.test.ts         the browsers (web-test-runner, one engine at a time, popup blocker off)
//   *.pure.test.ts    the browsers and Node alike: pure modules, the servers' code, property tests
//   *.clicks.test.ts  the browsers with real (trusted) clicks and the popup blocker on
//   *.node.test.ts    Node only
//   *.e2e.test.ts     Node, driving the demo or the mock viewer in Chromium
//   *.walk.test.ts    Node, a step of its own in `npm test` (a million steps take a minute or two)
import { readdirSync } from 'node:fs';

const NOT_IN_BROWSERS = ['clicks', 'node', 'e2e', 'walk'];

export const SUITES = {
  browser: ['test/**/*.test.ts', ...NOT_IN_BROWSERS.map((kind) => `!test/**/*.${kind}.test.ts`)],
  trustedClicks: ['test/**/*.clicks.test.ts'],
};

/** Every test file under test/, sorted (Node 20's --test does not expand globs itself). */
const testFiles = (dir = 'test') =>
  readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? (entry.name === 'fixtures' ? [] : testFiles(`${dir}/${entry.name}`)) : [`${dir}/${entry.name}`]))
    .filter((file) => file.endsWith('.test.ts'))
    .sort();

/** The Node suite's files: pure, Node-only and end-to-end tests. */
export const nodeTestFiles = () => testFiles().filter((file) => /\.(pure|node|e2e)\.test\.ts$/.test(file));

/** The walks, run by `npm test` as a step of their own. */
export const walkTestFiles = () => testFiles().filter((file) => file.endsWith('.walk.test.ts'));

if (import.meta.url === `file://${process.argv[1]}`) console.log(nodeTestFiles().join('\n'));
