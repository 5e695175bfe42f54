// The three browser engines from Debian and how web-test-runner drives each; no tool downloads a
// browser or a driver. Automation turns every popup blocker off unless `popupBlocker` is set.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

export const FIREFOX_PATH = '/usr/bin/firefox-esr';
export const WEBKIT_DRIVER_PATH = '/usr/bin/WebKitWebDriver';
export const MINIBROWSER_PATH = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const XVFB_PATH = '/usr/bin/Xvfb';

/**
 * What each engine needs on disk, the one Debian line that installs it, and how many test files
 * it runs at once. WebKit runs one: the WebDriver launcher runs parallel files as iframes of one
 * page, which share their window names, so one file's `window.open('', name)` could take another's
 * viewer window; and its mouse and keyboard actions need a page of their own. Firefox runs one too:
 * with the test tree mirroring src/, the wrong-patient walk came to run beside the session's other
 * window-opening files (launch-protocol, chart-windows, viewer-link), and in Firefox it then timed
 * out or failed at its first click, in CI and here, while alone it passed; Chromium keeps two.
 */
export const ENGINES = {
  chromium: { files: [CHROMIUM_PATH], packages: 'chromium', concurrency: 2 },
  firefox: { files: [FIREFOX_PATH], packages: 'firefox-esr', concurrency: 1 },
  webkit: { files: [WEBKIT_DRIVER_PATH, MINIBROWSER_PATH, XVFB_PATH], packages: 'webkit2gtk-driver xvfb', concurrency: 1 },
};

/** The engines named in ENGINES=a,b (default all three), in a fixed order; throws on an unknown one. */
export function selectedEngines(value = process.env.ENGINES) {
  const names = (value ?? '').split(/[\s,]+/).filter(Boolean);
  const unknown = names.filter((name) => !(name in ENGINES));
  if (unknown.length) throw new Error(`Unknown engine ${unknown.join(', ')}: choose from ${Object.keys(ENGINES).join(', ')}.`);
  return Object.keys(ENGINES).filter((name) => !names.length || names.includes(name));
}

/** The install line for an engine whose files are missing, or null when it is there. */
export function missingEngine(engine) {
  const { files, packages } = ENGINES[engine];
  return files.every((file) => existsSync(file)) ? null : `sudo apt-get update && sudo apt-get install -y ${packages}`;
}

/** A web-test-runner launcher for `engine`, with its popup blocker on or off. */
export async function engineLauncher(engine, { popupBlocker = false } = {}) {
  if (engine === 'chromium') {
    const { playwrightLauncher } = await import('@web/test-runner-playwright');
    return playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath: CHROMIUM_PATH,
        args: CHROMIUM_ARGS,
        headless: true,
        // Playwright passes --disable-popup-blocking by default.
        ...(popupBlocker && { ignoreDefaultArgs: ['--disable-popup-blocking'] }),
      },
    });
  }
  if (engine === 'firefox') {
    // WebDriver BiDi to stock Firefox: Debian has no geckodriver, and npm's downloads one.
    const { puppeteerLauncher } = await import('@web/test-runner-puppeteer');
    return puppeteerLauncher({
      launchOptions: {
        browser: 'firefox',
        executablePath: FIREFOX_PATH,
        headless: true,
        // Puppeteer's Firefox profile turns the blocker off; this is Firefox's own default.
        extraPrefsFirefox: { 'dom.disable_open_during_load': popupBlocker },
      },
    });
  }
  if (engine === 'webkit') return webkitLauncher({ popupBlocker });
  throw new Error(`Unknown engine ${engine}`);
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts Xvfb on a free display and resolves to ':N' (Xvfb writes the number it took to -displayfd). */
function startXvfb(children) {
  const xvfb = spawn(XVFB_PATH, ['-displayfd', '1', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(xvfb);
  return new Promise((resolve, reject) => {
    let out = '';
    xvfb.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve(`:${out.trim()}`);
    });
    xvfb.on('exit', (code) => reject(new Error(`Xvfb exited (${code}) before it chose a display`)));
  });
}

async function waitForDriver(url, child) {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited (${child.exitCode})`);
    try {
      if ((await fetch(`${url}/status`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('WebKitWebDriver did not start within 10 s');
}

/**
 * Starts WebKitWebDriver on a free port (and an Xvfb display when there is none) for WebKitGTK's
 * MiniBrowser; `stop()` ends both. The blocker is MiniBrowser's own: the flag below turns it off.
 */
export async function startWebKitDriver({ popupBlocker = false } = {}) {
  const children = [];
  const stop = () => children.splice(0).reverse().forEach((child) => child.kill());
  // A run that crashes must not leave a driver or a display behind.
  process.on('exit', stop);
  const display = process.env.DISPLAY || (await startXvfb(children));
  const port = await freePort();
  const driver = spawn(WEBKIT_DRIVER_PATH, [`--port=${port}`], { stdio: 'ignore', env: { ...process.env, DISPLAY: display } });
  children.push(driver);
  await waitForDriver(`http://127.0.0.1:${port}`, driver);
  const args = ['--automation'];
  if (!popupBlocker) args.push('--javascript-can-open-windows-automatically=true');
  const capabilities = {
    browserName: 'MiniBrowser',
    'wdio:enforceWebDriverClassic': true,
    'webkitgtk:browserOptions': { binary: MINIBROWSER_PATH, args },
  };
  return { hostname: '127.0.0.1', port, capabilities, stop };
}

/** The WebDriver launcher, with a driver of its own started on initialize and ended on stop. */
async function webkitLauncher({ popupBlocker }) {
  const { WebdriverLauncher } = await import('@web/test-runner-webdriver');
  let driver;
  const options = { hostname: '127.0.0.1', port: 0, logLevel: 'error', capabilities: {} };

  class WebKitLauncher extends WebdriverLauncher {
    async initialize(config, testFiles) {
      driver = await startWebKitDriver({ popupBlocker });
      Object.assign(options, { port: driver.port, capabilities: driver.capabilities });
      await super.initialize(config, testFiles);
      this.name = 'WebKit';
    }

    async stop() {
      await super.stop();
      driver?.stop();
    }
  }
  return new WebKitLauncher(options);
}

/** web-test-runner plugin: tells test pages which engine runs them, at /__engine. */
export function enginePlugin(engine) {
  return {
    name: 'engine',
    serve(context) {
      if (context.path === '/__engine') return { body: engine, type: 'text/plain' };
    },
  };
}
