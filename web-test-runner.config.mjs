// Browser tests run in Debian's Chromium through Playwright; no tool downloads a browser.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { defaultReporter } from '@web/test-runner';
import { countReporter } from './scripts/count-reporter.mjs';
import { testViewerServerPlugin } from './test/viewer-server.mjs';
import { reactEsmPlugin } from './test/react-esm-plugin.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium.mjs';


export default {
  files: ['test/**/*.test.ts', '!test/node/**', '!test/e2e/**'],
  nodeResolve: { exportConditions: ['production'] },
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }),
    reactEsmPlugin(),
    testViewerServerPlugin(),
  ],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true },
    }),
  ],
  concurrency: 2,
  testFramework: { config: { timeout: 20000 } },
  // The wrong-patient random walk alone takes about a minute; give a loaded machine room.
  testsFinishTimeout: 300_000,
  reporters: [defaultReporter(), countReporter('.test-results/browser.json')],
};
