/// <reference types="node" />
// `npm run bench`: the SDK's speed and memory, measured in headless Chromium, printed as a table.
// Benchmarks, not tests: they report figures and check nothing but their own targets at the end.
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';
import { startDemoServer } from './demo-server.js';
import { startTestViewerServer } from '../test/viewer-server.mjs';

const demo = await startDemoServer({ port: 0, quiet: true });
const viewer = await startTestViewerServer();
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc'] });
const rows: Array<{ benchmark: string; result: string; target: string }> = [];
const ms = (value: number) => `${value.toFixed(2)} ms`;

try {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`http://localhost:${demo.port}/bench/index.html`);
  await page.waitForFunction(() => document.title === 'ready');
  const viewerUrl = `${viewer.origin}/viewer.html?auto=accept`;
  type Bench = Record<string, (...args: unknown[]) => Promise<Record<string, number>>>;
  const run = (name: string, ...args: unknown[]) =>
    page.evaluate(([n, a]) => ((window as unknown as { bench: Bench }).bench[n as string]!)(...(a as unknown[])), [name, args] as const);

  const a = await run('clickToOpen', 200);
  rows.push({ benchmark: '(a) click → window.open (median of 200)', result: ms(a.medianMs!), target: '0 awaits (asserted in test/components)' });

  const b = await run('firstMatch', viewerUrl, 5);
  rows.push({ benchmark: '(b) click → careconnect-match, first launch (median of 5)', result: ms(b.medianMs!), target: 'informational' });

  const c = await run('patientSwitch', viewerUrl, 20);
  rows.push({ benchmark: '(c) patient switch by message (median of 20)', result: ms(c.byMessageMs!), target: '' });
  rows.push({ benchmark: '(c) relaunch by reloading the viewer (median of 20)', result: ms(c.byReloadMs!), target: '' });
  rows.push({ benchmark: '(c) speed-up of reuse by message', result: `${c.speedup!.toFixed(1)}×`, target: '≥ 5×' });

  const one = await run('render', 1, 20);
  const many = await run('render', 500, 5);
  rows.push({ benchmark: '(d) first render, 1 button (median of 20)', result: ms(one.medianMs!), target: '' });
  rows.push({ benchmark: '(d) first render, 500 buttons (median of 5)', result: ms(many.medianMs!), target: '≤ 50 ms' });

  const cdp = await page.context().newCDPSession(page);
  const measure = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    const { result } = await cdp.send('Runtime.evaluate', { expression: 'window' });
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId! });
    return { heap: usedSize, listeners: listeners.length };
  };
  await run('switches', viewerUrl, 20); // warm-up: JIT, the viewer window, the module caches
  const before = await measure();
  await run('switches', viewerUrl, 1000);
  const after = await measure();
  const heapChange = (after.heap - before.heap) / before.heap;
  rows.push({ benchmark: '(e) JS heap before → after 1,000 switches', result: `${(before.heap / 1e6).toFixed(2)} MB → ${(after.heap / 1e6).toFixed(2)} MB (${(heapChange * 100).toFixed(1)}%)`, target: 'within 10%' });
  rows.push({ benchmark: '(e) window listeners before → after', result: `${before.listeners} → ${after.listeners}`, target: 'within 10%' });

  console.table(rows);
  const misses = [
    c.speedup! < 5 && 'patient switch speed-up under 5×',
    many.medianMs! > 50 && '500 buttons over 50 ms',
    Math.abs(heapChange) > 0.1 && 'heap not flat within 10%',
    Math.abs(after.listeners - before.listeners) > before.listeners * 0.1 && 'listeners not flat within 10%',
  ].filter(Boolean);
  if (misses.length) {
    console.error(`Missed: ${misses.join('; ')}`);
    process.exitCode = 1;
  }
} finally {
  await browser.close();
  await viewer.close();
  await demo.stop();
}
