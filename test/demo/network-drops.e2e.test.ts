/// <reference types="node" />
// The network drops under the mock viewer's own requests mid-launch: each failure gets a screen that
// says what failed and a Retry, and a late answer for an older launch is dropped. (Split from
// resilience.e2e.test.ts: the Node suite gives each file two minutes.)
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { describe, it } from 'node:test';
import { heading, launchAndSignIn, signInWithAccount, useDemo } from '../helpers/demo-chart.js';

const demo = useDemo();

/** In the page: requests to paths ending in `dropped` fail as on a dropped network; null lets them through again. */
function dropInPage(dropped: string | null) {
  const page = window as unknown as { dropped: string | null; realFetch?: typeof fetch };
  page.dropped = dropped;
  if (page.realFetch) return;
  const realFetch = (page.realFetch = window.fetch.bind(window));
  window.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    return page.dropped && url.endsWith(page.dropped) ? Promise.reject(new TypeError('Failed to fetch')) : realFetch(input, init);
  };
}

/**
 * Makes the viewer page's requests to `path` fail (null: go through again); with `pagesToCome`, also on
 * the pages it loads next (back from the identity provider). msw answers in a service worker, which
 * Playwright's `page.route` does not see.
 */
async function dropRequests(viewer: Page, path: string | null, { pagesToCome = false } = {}) {
  if (pagesToCome) await viewer.addInitScript(dropInPage, path);
  await viewer.evaluate(dropInPage, path);
}

describe('the network drops under the viewer', () => {
  it('the network drops as Accept loads the record: a screen says so, and Retry loads it', async () => {
    const chart = await demo.openChart();
    const viewer = await launchAndSignIn(chart, 'Sandbox, Maple');
    await heading(viewer, 'Review the matching patient');
    await dropRequests(viewer, '/mock-careconnect/api/records');
    await viewer.getByRole('button', { name: 'Accept' }).click();
    await heading(viewer, 'The record could not be loaded');
    await viewer.getByText('CareConnect did not answer', { exact: false }).waitFor();
    await dropRequests(viewer, null);
    await viewer.getByRole('button', { name: 'Retry' }).click();
    await heading(viewer, 'Sandbox, Maple');
    await viewer.getByRole('button', { name: /^Encounters \d+$/ }).waitFor();
    await viewer.getByRole('table').waitFor();
    await chart.waitForState('showing');
    await chart.context.close();
  });

  it('the network drops during a PharmaNet search: it says so, and Retry searches again', async () => {
    const chart = await demo.openChart();
    const viewer = await launchAndSignIn(chart, 'Sandbox, Maple', signInWithAccount);
    await viewer.getByRole('button', { name: 'Accept' }).click();
    await viewer.getByRole('button', { name: /^Medications/ }).click();
    await dropRequests(viewer, '/mock-careconnect/api/pharmanet');
    await viewer.getByRole('button', { name: 'Search PharmaNet' }).click();
    await viewer.getByRole('alert').getByText('PharmaNet could not be searched', { exact: false }).waitFor({ timeout: 5_000 });
    await dropRequests(viewer, null);
    await viewer.getByRole('button', { name: 'Retry' }).click();
    const caption = viewer.locator('mock-viewer-app caption');
    await caption.waitFor();
    assert.match((await caption.textContent()) ?? '', /^\d+ dispenses in the last 14 months$/);
    await chart.context.close();
  });

  it('the network drops during the registry search: a screen says so (not "No matching patient"), and Retry finds the match', async () => {
    const chart = await demo.openChart();
    await chart.select('Sandbox, Maple');
    const viewer = await chart.launch();
    await dropRequests(viewer, '/mock-careconnect/api/patients/search', { pagesToCome: true });
    await signInWithAccount(viewer);
    await heading(viewer, 'The client registry could not be searched');
    assert.equal(await viewer.getByRole('heading', { name: 'No matching patient' }).count(), 0);
    await dropRequests(viewer, null);
    await viewer.getByRole('button', { name: 'Retry' }).click();
    await heading(viewer, 'Review the matching patient');
    await viewer.getByRole('button', { name: 'Accept' }).click();
    await chart.waitForState('showing');
    await chart.context.close();
  });

  it('a second launch during a slow search: the first search answers late and is dropped; the second patient shows', async () => {
    const chart = await demo.openChart();
    await chart.setting('scenario', 'slow');
    const viewer = await launchAndSignIn(chart, 'Sandbox, Maple');
    await heading(viewer, 'Searching the client registry…');
    await chart.select('Testwood, Cedar');
    await chart.button.click();
    await heading(viewer, 'Review the matching patient', 20_000);
    const registryName = viewer.locator('mock-viewer-app table.match tbody tr').first().locator('td').nth(1);
    assert.equal(await registryName.textContent(), 'Cedar Testwood', 'the first search answered first, and was dropped');
    await viewer.getByRole('button', { name: 'Accept' }).click();
    await heading(viewer, 'Testwood, Cedar');
    await chart.context.close();
  });
});
