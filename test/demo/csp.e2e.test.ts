/// <reference types="node" />
// The full launch under a strict CSP with Trusted Types, in the demo and on a bare vendor page that
// loads the one-file bundle: no securitypolicyviolation anywhere.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { EMR_CSP } from '../../scripts/demo-server.js';
import { useDemo } from '../helpers/demo-chart.js';

const demo = useDemo({ testPages: true });

async function watchedContext(): Promise<{ context: BrowserContext; violations: () => Promise<string[]> }> {
  const context = await demo.browser.newContext();
  // Every page, the popup too, records the violations its policy reports.
  await context.addInitScript(() => {
    const seen: string[] = ((window as unknown as { __violations: string[] }).__violations = []);
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.effectiveDirective} ${event.blockedURI}`));
  });
  const violations = async () => {
    const all: string[] = [];
    for (const page of context.pages()) {
      all.push(...(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)));
    }
    return all;
  };
  return { context, violations };
}

async function launchAndAccept(context: BrowserContext, page: Page) {
  const popup = context.waitForEvent('page');
  await page.locator('careconnect-button button[part~="base"]').click();
  const viewer = await popup;
  await viewer.getByRole('button', { name: 'BC Services Card app' }).click();
  await viewer.getByRole('button', { name: 'Simulate approval in the app' }).click();
  await viewer.getByRole('button', { name: 'Accept' }).click();
  await page.waitForFunction(() => document.querySelector('careconnect-button')?.getAttribute('state') === 'showing');
}

describe('strict CSP and Trusted Types', () => {
  it('the demo EMR runs the whole launch with no violation', async () => {
    const { context, violations } = await watchedContext();
    const page = await context.newPage();
    const response = await page.goto(demo.server.emrUrl);
    assert.equal(response?.headers()['content-security-policy'], EMR_CSP);
    await launchAndAccept(context, page);
    assert.deepEqual(await violations(), []);
    await context.close();
  });

  it('a vendor page that loads dist/careconnect-button.bundle.js runs the whole launch with no violation', async () => {
    const { context, violations } = await watchedContext();
    const page = await context.newPage();
    const response = await page.goto(`http://localhost:${demo.server.port}/test/fixtures/csp-bundle.html`);
    assert.equal(response?.headers()['content-security-policy'], EMR_CSP);
    await launchAndAccept(context, page);
    assert.deepEqual(await violations(), []);
    await context.close();
  });

  it('a second copy of the bundle on the same page does not throw, and the first keeps working', async () => {
    const { context, violations } = await watchedContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`http://localhost:${demo.server.port}/test/fixtures/csp-two-copies.html`);
    const copies = await page.evaluate(() =>
      performance.getEntriesByType('resource').filter((entry) => entry.name.includes('careconnect-button.bundle.js')).length);
    assert.equal(copies, 2);
    assert.deepEqual(errors, []);
    await launchAndAccept(context, page);
    assert.deepEqual(await violations(), []);
    await context.close();
  });

  it('the policy is really enforced: an inline script is blocked and reported', async () => {
    const { context, violations } = await watchedContext();
    const page = await context.newPage();
    await page.goto(demo.server.emrUrl);
    await page.evaluate(() => {
      const script = document.createElement('script');
      try {
        script.textContent = 'window.inlineRan = true';
        document.body.append(script);
      } catch {
        // Trusted Types may refuse the assignment outright; either way it must not run.
      }
    });
    await page.waitForTimeout(100);
    assert.equal(await page.evaluate(() => (window as unknown as { inlineRan?: boolean }).inlineRan), undefined);
    assert.ok((await violations()).length > 0);
    await context.close();
  });
});
