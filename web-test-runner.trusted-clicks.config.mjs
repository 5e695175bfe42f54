// Real (trusted) clicks and key presses in one engine, ENGINE=chromium (default), firefox or
// webkit, with the engine's own popup blocker ON: the click itself is what these tests prove.
// One file and one page at a time: the mouse and the keyboard go to the page in front
// (web-test-runner's sendMouse and sendKeys commands are built in).
import baseConfig from './web-test-runner.config.mjs';
import { defaultReporter } from '@web/test-runner';
import { countReporter } from './scripts/count-reporter.mjs';
import { engineLauncher } from './scripts/engines.mjs';
import { SUITES } from './test/suites.mjs';

const engine = process.env.ENGINE || 'chromium';

export default {
  ...baseConfig,
  files: SUITES.trustedClicks,
  browsers: [await engineLauncher(engine, { popupBlocker: true })],
  concurrency: 1,
  reporters: [defaultReporter(), countReporter(`.test-results/${engine}-trusted-clicks.json`)],
};
