/// <reference types="node" />
// The demo EMR on a phone-sized window and from the keyboard: at 360 px nothing scrolls sideways,
// and the chart's viewer button is a few Tabs from the top of the page and from the patient list.
// Screenshots: screenshots/qa/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { chartOn, useDemo } from '../helpers/demo-chart.js';

const SHOTS = 'screenshots/qa';
const demo = useDemo();
before(() => void mkdirSync(SHOTS, { recursive: true }));

async function openAt(width: number, height = 740) {
  const context = await demo.browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  await page.goto(demo.server.emrUrl);
  return chartOn(context, page);
}

/** How far the page scrolls sideways: 0 when it fits. */
const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** Whether the keyboard focus is the viewer button's own button, in its shadow root. */
const onViewerButton = (page: Page) => page.evaluate(() => document.activeElement?.tagName === 'CARECONNECT-BUTTON'
  && document.activeElement.shadowRoot?.activeElement?.matches('button[part~="base"]') === true);

/** Presses `key` until the focus is on the viewer button: how many presses it took (Infinity past `most`). */
async function pressesToButton(page: Page, key: 'Tab' | 'Shift+Tab', most = 60): Promise<number> {
  for (let presses = 1; presses <= most; presses++) {
    await page.keyboard.press(key);
    if (await onViewerButton(page)) return presses;
  }
  return Infinity;
}

describe('the demo on a narrow window and from the keyboard', () => {
  it('fits a 360 px window without scrolling sideways, in English and in French, with a message under the button', async () => {
    const chart = await openAt(360);
    assert.equal(await sideways(chart.page), 0, 'at load');
    await chart.select('Fakerson, Alder');
    await chart.button.click();
    await chart.waitForState('error');
    assert.equal(await sideways(chart.page), 0, 'with the required-number message');
    await chart.page.locator('#language').selectOption('fr');
    await chart.page.waitForFunction(() => document.querySelector('careconnect-button')!.shadowRoot!.textContent!.includes('requis'));
    assert.equal(await sideways(chart.page), 0, 'in French');
    await chart.page.screenshot({ path: `${SHOTS}/narrow-360.png`, fullPage: true });
    await chart.context.close();
  });

  it('reaches the chart\'s viewer button in a few Tabs from the top, and a few Shift+Tabs from the patient list', async () => {
    const chart = await openAt(1280, 800);
    const fromTop = await pressesToButton(chart.page, 'Tab');
    assert.ok(fromTop <= 3, `Tabs from the top of the page: ${fromTop}`);
    await chart.select('Sandbox, Maple'); // the patient list has the focus, as after a click on a patient
    const fromList = await pressesToButton(chart.page, 'Shift+Tab');
    assert.ok(fromList <= 3, `Shift+Tabs from the first patient: ${fromList}`);
    await chart.context.close();
  });
});
