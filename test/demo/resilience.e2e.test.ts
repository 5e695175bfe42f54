/// <reference types="node" />
// A hard day at the clinic: a slow registry, a viewer that is down, the network dropping, the EMR
// tab reloading mid-launch, and launch tokens replayed or presented after they expire. The viewer's
// own requests dropping mid-launch are in network-drops.e2e.test.ts (each file has two minutes).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { chartOn, heading, launchAndAccept, launchAndSignIn, signInWithCardApp, useDemo } from '../helpers/demo-chart.js';

const demo = useDemo();


/** Tokens the demo's provider hands out, kept by the test page for the replay tests. */
async function recordTokens(page: Page) {
  await page.evaluate(() => {
    const button = document.querySelector('careconnect-button')!;
    const mint = button.tokenProvider!;
    const kept: string[] = ((window as unknown as { tokens: string[] }).tokens = []);
    button.tokenProvider = async (request) => {
      const token = await mint(request);
      kept.push(token);
      return token;
    };
  });
}

/** Posts a launch with `token` to the viewer window, as a buggy or hostile EMR page might. */
async function postLaunch(page: Page, token: string) {
  await page.evaluate(([t, origin]) => {
    // The name's random part is the EMR's chart windows' own (sessionStorage), as this page is.
    const viewer = window.open('', `careconnect-bc-careconnect-${sessionStorage.getItem('careconnect-window')}`)!;
    viewer.postMessage({ protocol: 'careconnect-launch', version: 1, type: 'launch', requestId: 'replayed-request-1', token: t }, origin);
  }, [token, demo.server.viewerOrigin] as const);
}

describe('resilience', () => {
  it('a slow registry: progress, then "still searching" after 5 s, then the match', async () => {
    const chart = await demo.openChart();
    await chart.setting('scenario', 'slow');
    const viewer = await launchAndSignIn(chart, 'Sandbox, Maple');
    await heading(viewer, 'Searching the client registry…');
    const started = Date.now();
    await viewer.getByText(/^Still searching/).waitFor({ timeout: 8_000 });
    assert.ok(Date.now() - started >= 4_000, 'not before about 5 s');
    await heading(viewer, 'Review the matching patient', 10_000);
    await chart.context.close();
  });

  it('viewer-down: the window says nothing to the EMR, and says so to QA; the button times out', async () => {
    const chart = await demo.openChart();
    await chart.setting('scenario', 'viewer-down');
    // Long enough to see the window before the button gives up: the failed request takes about 4 s in Chromium.
    await chart.page.evaluate(() => (document.querySelector('careconnect-button')!.timeout = 10_000));
    await chart.select('Sandbox, Maple');
    const viewer = await chart.launch();
    await heading(viewer, 'No answer from CareConnect', 9_000);
    await viewer.getByText('the EMR\'s button reports that CareConnect did not respond once its timeout', { exact: false }).waitFor();
    // Not the `unavailable` scenario's screen: that one the viewer says to the EMR at once.
    assert.equal(await viewer.getByRole('heading', { name: 'CareConnect is unavailable' }).count(), 0);
    assert.equal(await chart.state(), 'opening', 'no ready, no error: the viewer is silent');
    await viewer.screenshot({ path: 'screenshots/e2e/viewer-down.png' });
    await chart.waitForState('error', 12_000);
    assert.equal(await chart.status(), 'CareConnect did not respond. Try again in a few minutes, or check your network connection.');
    await chart.context.close();
  });

  it('going offline: token-failed and no blank window; back online, the next click works', async () => {
    const chart = await demo.openChart();
    await chart.select('Sandbox, Maple');
    await chart.context.setOffline(true);
    const popup = chart.context.waitForEvent('page');
    await chart.button.click();
    const blank = await popup;
    await chart.waitForState('error');
    assert.equal(await chart.status(), 'The EMR could not prepare a secure launch of CareConnect. Try again, or contact your EMR support.');
    await blank.waitForEvent('close', { timeout: 5_000 }).catch(() => undefined);
    assert.equal(blank.isClosed(), true, 'the window opened for the failed launch is closed');
    await chart.context.setOffline(false);
    const viewer = await chart.launch();
    await signInWithCardApp(viewer);
    await heading(viewer, 'Review the matching patient');
    await chart.context.close();
  });

  it('the EMR tab reloads mid-launch: the next click finds the same viewer window and completes', async () => {
    const chart = await demo.openChart();
    await chart.select('Sandbox, Maple');
    const viewer = await chart.launch();
    await heading(viewer, 'Sign in to CareConnect');
    await chart.page.reload();
    const again = await chartOn(chart.context, chart.page);
    await again.select('Sandbox, Maple');
    await again.button.click();
    await signInWithCardApp(viewer);
    await viewer.getByRole('button', { name: 'Accept' }).click();
    await again.waitForState('showing');
    assert.equal(chart.context.pages().length, 2, 'one EMR tab and the same viewer window');
    await chart.context.close();
  });

  it('a launch token replayed to the viewer is refused on screen', async () => {
    const chart = await demo.openChart();
    await recordTokens(chart.page);
    const viewer = await launchAndAccept(chart, 'Sandbox, Maple');
    const [token] = await chart.page.evaluate(() => (window as unknown as { tokens: string[] }).tokens);
    await postLaunch(chart.page, token!);
    await heading(viewer, 'This launch was refused');
    await viewer.getByText('This launch was already used. Click the CareConnect button in your EMR again.').waitFor();
    await chart.context.close();
  });

  it('a launch token presented after it expired is refused on screen', async () => {
    const chart = await demo.openChart();
    await recordTokens(chart.page);
    const viewer = await launchAndAccept(chart, 'Sandbox, Maple');
    const [used] = await chart.page.evaluate(() => (window as unknown as { tokens: string[] }).tokens);
    // A fresh, unused token, shown to a viewer whose clock is ten minutes ahead: to it, expired.
    const fresh = await chart.page.evaluate(async () => {
      const response = await fetch('/demo-api/launch-token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ audience: 'bc-careconnect', ctx: { healthNumber: { province: 'BC', value: '9386339244' }, patient: { id: 'chart-1001' }, location: { province: 'BC' }, user: { role: 'provider' }, network: 'ppn' } }),
      });
      return ((await response.json()) as { token: string }).token;
    });
    assert.notEqual(fresh, used);
    await viewer.clock.setSystemTime(Date.now() + 10 * 60_000);
    await postLaunch(chart.page, fresh);
    await viewer.getByText('The launch has expired. Click the CareConnect button in your EMR again.').waitFor();
    await chart.context.close();
  });

});
