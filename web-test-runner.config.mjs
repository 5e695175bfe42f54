// Browser tests in one engine, ENGINE=chromium (default), firefox or webkit, all from Debian; no
// tool downloads a browser. The popup blocker is off here: these tests click with synthetic
// `.click()`, which carries no user activation. web-test-runner.trusted-clicks.config.mjs runs
// the real clicks with the blocker on.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { countReporter } from './scripts/count-reporter.mjs';
import { ENGINES, engineLauncher, enginePlugin } from './scripts/engines.mjs';
import { SUITES } from './test/suites.mjs';
import { testViewerServerPlugin } from './test/viewer-server.mjs';
import { reactEsmPlugin } from './test/react-esm-plugin.mjs';

const engine = process.env.ENGINE || 'chromium';

export default {
  files: SUITES.browser,
  nodeResolve: { exportConditions: ['production'] },
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }),
    reactEsmPlugin(),
    testViewerServerPlugin(),
    enginePlugin(engine),
  ],
  browsers: [await engineLauncher(engine)],
  concurrency: ENGINES[engine].concurrency,
  testFramework: { config: { timeout: 20000 } },
  // The wrong-patient random walks take one to four minutes (Firefox is the slowest); give a loaded machine room.
  testsFinishTimeout: 720_000,
  // A cold Firefox (a new profile on a clean machine) once took over the default 30 s to open its first
  // test page in clean-clone CI, which failed that whole file without running a test.
  browserStartTimeout: 120_000,
  reporters: [defaultReporter(), countReporter(`.test-results/${engine}.json`)],
};
