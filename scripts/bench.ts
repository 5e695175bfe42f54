/// <reference types="node" />
// `npm run bench [-- --engine chromium|firefox|webkit|all]`: the SDK's speed and memory, measured
// in each engine (default Chromium), printed as one table with a column per engine.
// Benchmarks, not tests: they report figures and check nothing but their own targets at the end.
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { remote } from 'webdriverio';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';
import { FIREFOX_PATH, missingEngine, selectedEngines, startWebKitDriver } from './engines.mjs';
import { startDemoServer } from './demo-server.js';
import { startTestViewerServer } from '../test/viewer-server.mjs';

type Figures = Record<string, number>;
interface BenchPage {
  run(name: string, ...args: unknown[]): Promise<Figures>;
  /** The JS heap after a GC and the window's listener count: Chromium only (the DevTools protocol). */
  memory?(): Promise<{ heap: number; listeners: number }>;
  close(): Promise<void>;
}
/** The page-side call, as source: each driver sends it to the page as it is. */
const call = (name: string, args: unknown[]) => `window.bench[${JSON.stringify(name)}](...${JSON.stringify(args)})`;

async function openChromium(url: string): Promise<BenchPage> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc'] });
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  await page.waitForFunction(() => document.title === 'ready');
  const cdp = await page.context().newCDPSession(page);
  return {
    run: (name, ...args) => page.evaluate(call(name, args)) as Promise<Figures>,
    async memory() {
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      const { result } = await cdp.send('Runtime.evaluate', { expression: 'window' });
      const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId! });
      return { heap: usedSize, listeners: listeners.length };
    },
    close: () => browser.close(),
  };
}

async function openFirefox(url: string): Promise<BenchPage> {
  // Puppeteer's Firefox profile has the popup blocker off, as the benchmarks click from script.
  // Firefox rounds performance.now() to 1 ms by default; the benchmarks want Chromium's 0.1 ms.
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    extraPrefsFirefox: { 'privacy.reduceTimerPrecision': false },
  });
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => document.title === 'ready');
  return {
    run: (name, ...args) => page.evaluate(call(name, args)) as Promise<Figures>,
    close: () => browser.close(),
  };
}

async function openWebKit(url: string): Promise<BenchPage> {
  const driver = await startWebKitDriver({ popupBlocker: false });
  const browser = await remote({ hostname: driver.hostname, port: driver.port, capabilities: driver.capabilities, logLevel: 'error' });
  await browser.setTimeout({ script: 600_000 });
  await browser.url(url);
  await browser.waitUntil(async () => (await browser.getTitle()) === 'ready');
  return {
    async run(name, ...args) {
      const done = 'arguments[arguments.length - 1]';
      const result = await browser.executeAsync(`${call(name, args)}.then(${done}, (e) => ${done}({ error: String(e) }))`);
      if ((result as { error?: string }).error) throw new Error((result as { error: string }).error);
      return result as Figures;
    },
    async close() {
      await browser.deleteSession();
      driver.stop();
    },
  };
}

const openers = { chromium: openChromium, firefox: openFirefox, webkit: openWebKit };
const ms = (value: number) => `${value.toFixed(2)} ms`;

async function measure(engine: keyof typeof openers, url: string, viewerUrl: string, linkUrl: string) {
  const page = await openers[engine](url);
  const cells: Record<string, string> = {};
  const misses: string[] = [];
  try {
    const a = await page.run('clickToOpen', 200);
    cells.a = ms(a.medianMs!);
    cells.b = ms((await page.run('firstMatch', viewerUrl, 5)).medianMs!);
    const c = await page.run('patientSwitch', viewerUrl, 20);
    cells.cMessage = ms(c.byMessageMs!);
    cells.cReload = ms(c.byReloadMs!);
    cells.cSpeedup = `${c.speedup!.toFixed(1)}×`;
    cells.d1 = ms((await page.run('render', 1, 20)).medianMs!);
    const many = await page.run('render', 500, 5);
    cells.d500 = ms(many.medianMs!);
    const crossWindow = await page.run('crossWindow', linkUrl, 20);
    cells.fWarn = ms(crossWindow.warnMs!);
    cells.f = ms(crossWindow.followMs!);
    if (crossWindow.warnMs! > 1000) misses.push(`${engine}: chart window 1 warned more than 1 s after chart window 2's click`);
    if (crossWindow.followMs! > 1000) misses.push(`${engine}: chart window 1 told of chart window 2's accept after more than 1 s`);
    if (c.speedup! < 5) misses.push(`${engine}: patient switch speed-up under 5×`);
    if (many.medianMs! > 50) misses.push(`${engine}: 500 buttons over 50 ms`);
    if (page.memory) {
      await page.run('switches', viewerUrl, 20); // warm-up: JIT, the viewer window, the module caches
      const before = await page.memory();
      await page.run('switches', viewerUrl, 1000);
      const after = await page.memory();
      const heapChange = (after.heap - before.heap) / before.heap;
      cells.heap = `${(before.heap / 1e6).toFixed(2)} → ${(after.heap / 1e6).toFixed(2)} MB (${(heapChange * 100).toFixed(1)}%)`;
      cells.listeners = `${before.listeners} → ${after.listeners}`;
      if (Math.abs(heapChange) > 0.1) misses.push(`${engine}: heap not flat within 10%`);
      if (Math.abs(after.listeners - before.listeners) > before.listeners * 0.1) misses.push(`${engine}: listeners not flat within 10%`);
    } else {
      cells.heap = cells.listeners = 'n/a: Chromium only (DevTools protocol)';
    }
  } finally {
    await page.close();
  }
  return { cells, misses };
}

const ROWS: Array<[key: string, benchmark: string, target: string]> = [
  ['a', '(a) click → window.open (median of 200)', '0 awaits (asserted in test/components)'],
  ['b', '(b) click → careconnect-match, first launch (median of 5)', 'informational'],
  ['cMessage', '(c) patient switch by message (median of 20)', ''],
  ['cReload', '(c) relaunch by reloading the viewer (median of 20)', ''],
  ['cSpeedup', '(c) speed-up of reuse by message', '≥ 5×'],
  ['d1', '(d) first render, 1 button (median of 20)', ''],
  ['d500', '(d) first render, 500 buttons (median of 5)', '≤ 50 ms'],
  ['fWarn', "(f) chart window 2's click for another patient → chart window 1's warning (median of 20)", '≤ 1 s'],
  ['f', "(f) chart window 2's Accept of chart window 1's patient → chart window 1 says showing (median of 20)", '≤ 1 s'],
  ['heap', '(e) JS heap before → after 1,000 switches', 'within 10%'],
  ['listeners', '(e) window listeners before → after', 'within 10%'],
];

const flag = process.argv.indexOf('--engine');
const choice = flag === -1 ? 'chromium' : process.argv[flag + 1] ?? '';
let engines: Array<keyof typeof openers>;
try {
  engines = selectedEngines(choice === 'all' ? '' : choice) as Array<keyof typeof openers>;
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const missing = engines.map(missingEngine).filter(Boolean);
if (missing.length) {
  console.error(`Missing engine: install it with "${missing.join('" and "')}".`);
  process.exit(1);
}

const demo = await startDemoServer({ port: 0, quiet: true });
const viewer = await startTestViewerServer();
const columns: Record<string, Record<string, string>> = {};
const misses: string[] = [];
try {
  // One engine at a time, each in a fresh browser, so they do not compete for the CPU.
  for (const engine of engines) {
    const emr = `http://localhost:${demo.port}`;
    const linkUrl = `${viewer.origin}/link.html?auto=accept&emr=${encodeURIComponent(emr)}`;
    const result = await measure(engine, `${emr}/bench/index.html`, `${viewer.origin}/viewer.html?auto=accept`, linkUrl);
    columns[engine] = result.cells;
    misses.push(...result.misses);
  }
} finally {
  await viewer.close();
  await demo.stop();
}
console.table(ROWS.map(([key, benchmark, target]) => ({
  benchmark,
  ...Object.fromEntries(engines.map((engine) => [engine, columns[engine]![key]])),
  target,
})));
if (misses.length) {
  console.error(`Missed: ${misses.join('; ')}`);
  process.exitCode = 1;
}
