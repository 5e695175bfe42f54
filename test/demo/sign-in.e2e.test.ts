/// <reference types="node" />
// Sign-in in the real world: the viewer leaves its origin for the identity provider (a third origin)
// and comes back, slowly (idp-slow), or cut off from the EMR by COOP (idp-coop); and a viewer whose
// back end is down says so (unavailable). Screenshots go to screenshots/sign-in/ (git-ignored).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { heading, openChart, useDemo, type Chart } from '../helpers/demo-chart.js';

const SHOTS = 'screenshots/sign-in';
const demo = useDemo();

/** The chart on `scenario`, with the element's `timeout`, and what it does recorded in the page. */
async function chartFor(scenario: string, { timeout = 20_000, query = '' } = {}): Promise<Chart> {
  const chart = await openChart(demo.browser, `${demo.server.emrUrl}${query}`);
  await chart.setting('scenario', scenario);
  await chart.page.evaluate((ms) => {
    const button = document.querySelector('careconnect-button')!;
    button.timeout = ms;
    const seen = ((window as any).seen = { states: [] as string[], events: [] as string[], tokens: 0 });
    new MutationObserver(() => seen.states.push(button.getAttribute('state')!)).observe(button, { attributes: true, attributeFilter: ['state'] });
    for (const type of ['launch', 'ready', 'match', 'accept', 'reject', 'close', 'error']) {
      button.addEventListener(`careconnect-${type}`, (e) => seen.events.push(type === 'error' ? `error:${(e as CustomEvent).detail.code}` : type));
    }
    const mint = button.tokenProvider!;
    button.tokenProvider = (request) => (seen.tokens++, mint(request));
  }, timeout);
  await chart.select('Sandbox, Maple');
  return chart;
}

const seen = (chart: Chart) => chart.page.evaluate(() => (window as any).seen as { states: string[]; events: string[]; tokens: number });

/** From the viewer's sign-in choice to the identity provider's BC Services Card page. */
async function leaveForCardApp(viewer: Page, chart?: Chart) {
  await heading(viewer, 'Sign in to CareConnect').catch(async (error) => {
    throw new Error(`${error.message}\nThe viewer shows: ${await viewer.locator('h1').allTextContents()}; the EMR saw ${JSON.stringify(chart && await seen(chart))}`);
  });
  await viewer.getByRole('button', { name: 'BC Services Card app' }).click();
  await heading(viewer, 'BC Services Card app');
  assert.equal(new URL(viewer.url()).origin, demo.server.idpOrigin, 'the sign-in page is on the third origin');
}

describe('sign-in on an identity provider (a third origin)', () => {
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    // The dev server compiles the viewer's modules on first request: load it once, so that the short
    // `timeout` below measures a viewer page loading, not a cold compile.
    const context = await demo.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${demo.server.viewerOrigin}/demo/viewer.html`);
    await heading(page, 'Not linked to your EMR', 30_000);
    await context.close();
  });

  it('idp-slow: a sign-in longer than the timeout goes waiting, matching, showing: no error, one token', async () => {
    const chart = await chartFor('idp-slow', { timeout: 5_000, query: '?idpHoldMs=8000' });
    const viewer = await chart.launch();
    await leaveForCardApp(viewer, chart);
    await viewer.screenshot({ path: `${SHOTS}/01-idp-sign-in-page.png` });
    await viewer.getByRole('button', { name: 'Simulate approval in the app' }).click();
    await heading(viewer, 'Waiting for the BC Services Card app');
    await new Promise((resolve) => setTimeout(resolve, 5_500)); // past the 5 s timeout, in the hold alone
    assert.equal(await chart.state(), 'waiting');
    await chart.page.screenshot({ path: `${SHOTS}/02-waiting-button.png` });
    await heading(viewer, 'Review the matching patient', 15_000);
    assert.equal(new URL(viewer.url()).origin, demo.server.viewerOrigin, 'back on the viewer');
    await chart.waitForState('matching');
    await viewer.getByRole('button', { name: 'Accept' }).click();
    await chart.waitForState('showing');
    const { states, events, tokens } = await seen(chart);
    const path = states.filter((s, i) => s !== states[i - 1]);
    assert.deepEqual(path.slice(path.indexOf('waiting')), ['waiting', 'matching', 'showing']);
    assert.deepEqual(events.filter((e) => e.startsWith('error')), []);
    assert.equal(tokens, 1, 'the launch resumed: no token minted again');
    assert.equal(chart.context.pages().length, 2, 'one EMR tab and one viewer window');
    await chart.context.close();
  });

  it('idp-coop: COOP on the sign-in page cuts the link; the EMR hears a close, the viewer shows the lost-link notice', async () => {
    const chart = await chartFor('idp-coop');
    const viewer = await chart.launch();
    await leaveForCardApp(viewer, chart);
    // The SDK cannot tell a window cut off by COOP from one the user closed.
    await chart.page.waitForFunction(() => (window as any).seen.events.includes('close'), undefined, { timeout: 5_000 });
    await chart.waitForState('idle');
    await viewer.getByRole('button', { name: 'Simulate approval in the app' }).click();
    await heading(viewer, 'Not linked to your EMR');
    await viewer.getByText('This window lost its link to your EMR: close it and click the button again').waitFor();
    await viewer.screenshot({ path: `${SHOTS}/03-lost-link-notice.png` });
    // The next click cannot find the cut-off window by name: a second window opens. The first shows
    // no patient, only the notice, so two windows never show different patients unannounced.
    const second = await chart.launch();
    await heading(second, 'Sign in to CareConnect');
    assert.equal(chart.context.pages().length, 3);
    assert.equal(await viewer.getByRole('heading', { name: 'Not linked to your EMR' }).count(), 1);
    assert.equal(await viewer.getByRole('heading', { name: 'Sandbox, Maple' }).count(), 0);
    const { states, events } = await seen(chart);
    assert.ok(!states.includes('showing'), 'the button never said it shows the patient');
    assert.deepEqual(events.filter((e) => e.startsWith('error')), []);
    await chart.context.close();
  });

  it('a wrong Health Authority password inside the PPN is retried on the sign-in page: no error reaches the EMR', async () => {
    const chart = await chartFor('default');
    const viewer = await chart.launch();
    await heading(viewer, 'Sign in to CareConnect');
    await viewer.getByRole('button', { name: 'Health Authority account' }).click();
    await heading(viewer, 'Health Authority account');
    await viewer.getByLabel('Username').fill('drlee');
    await viewer.getByLabel('Password').fill('wrong');
    await viewer.getByRole('button', { name: 'Sign in' }).click();
    await viewer.getByText('Wrong username or password. Try again.').waitFor();
    assert.equal(await chart.state(), 'waiting');
    // No "outside the clinic network, only providers" sentence, nor any other error: only the phase.
    assert.equal(await chart.status(), 'Waiting for CareConnect: sign in if it asks.');
    await viewer.getByLabel('Username').fill('drlee');
    await viewer.getByLabel('Password').fill('careconnect');
    await viewer.getByRole('button', { name: 'Sign in' }).click();
    await heading(viewer, 'Review the matching patient');
    await chart.waitForState('matching');
    assert.deepEqual((await seen(chart)).events.filter((e) => e.startsWith('error')), []);
    await chart.context.close();
  });

  it('unavailable: the viewer says its back end is down, and the button shows it within 1 s', async () => {
    const chart = await chartFor('unavailable');
    const viewer = await chart.launch();
    await heading(viewer, 'CareConnect is unavailable');
    const said = Date.now();
    await chart.waitForState('error', 1_000);
    assert.ok(Date.now() - said <= 1_000);
    assert.equal(await chart.status(), 'CareConnect says its service is unavailable. Try again in a few minutes.');
    assert.deepEqual((await seen(chart)).events.filter((e) => e.startsWith('error')), ['error:unavailable']);
    await chart.context.close();
  });
});
