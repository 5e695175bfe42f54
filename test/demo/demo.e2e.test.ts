/// <reference types="node" />
// The demo walked as a clinician would, in Debian's Chromium driven by Playwright: the EMR chart on
// localhost, the mock viewer in its popup on 127.0.0.1. Screenshots of the key screens go to
// screenshots/e2e/ (git-ignored) for a person to look at.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { chartOn, heading, launchAndAccept, launchAndSignIn, signInWithAccount, signInWithCardApp, useDemo, type Chart } from '../helpers/demo-chart.js';

const SHOTS = 'screenshots/e2e';
const demo = useDemo();
before(() => void mkdirSync(SHOTS, { recursive: true }));

const waitForState = (chart: Chart, state: string) => chart.waitForState(state);

describe('the demo, walked as a clinician', () => {
  it('an invalid PHN shows the message and opens nothing', async () => {
    const chart = await demo.openChart();
    await chart.select('Fakerson, Alder');
    await chart.button.click();
    await waitForState(chart, 'error');
    assert.equal(await chart.status(), 'A British Columbia health number is required to access CareConnect.');
    assert.equal(chart.context.pages().length, 1);
    await chart.page.screenshot({ path: `${SHOTS}/01-invalid-phn.png` });
    await chart.context.close();
  });

  it('a valid PHN: sign in, review the match, Accept, and the record appears', async () => {
    const chart = await demo.openChart();
    const viewer = await launchAndSignIn(chart, 'Sandbox, Maple');
    await heading(viewer, 'Review the matching patient');
    await waitForState(chart, 'matching');
    await viewer.screenshot({ path: `${SHOTS}/02-review-match.png` });
    await viewer.getByRole('button', { name: 'Accept' }).click();
    await heading(viewer, 'Sandbox, Maple');
    await viewer.getByRole('cell').first().waitFor();
    await waitForState(chart, 'showing');
    await viewer.screenshot({ path: `${SHOTS}/03-record.png` });
    await chart.page.screenshot({ path: `${SHOTS}/03-emr-showing.png` });
    await chart.context.close();
  });

  it('a demographic mismatch is highlighted on the review screen', async () => {
    const chart = await demo.openChart();
    const viewer = await launchAndSignIn(chart, 'Quillfeather, Jon');
    await heading(viewer, 'Review the matching patient');
    await viewer.getByText('2 details differ').waitFor();
    assert.equal(await viewer.getByText('Differs').count(), 2);
    await viewer.screenshot({ path: `${SHOTS}/04-mismatch.png` });
    await chart.context.close();
  });

  it('switching patient: the stale state, then one click shows the new match in the same window', async () => {
    const chart = await demo.openChart();
    const viewer = await launchAndAccept(chart, 'Sandbox, Maple');

    await chart.select('Testwood, Cedar');
    await waitForState(chart, 'stale');
    assert.equal(await chart.status(), 'CareConnect is showing a different patient — click to update.');
    await chart.page.screenshot({ path: `${SHOTS}/05-stale.png` });

    await chart.button.click();
    await heading(viewer, 'Review the matching patient'); // still signed in: straight to the review
    await viewer.getByRole('cell', { name: 'Cedar Testwood' }).first().waitFor();
    assert.equal(chart.context.pages().length, 2, 'the same viewer window, not a second one');
    await viewer.getByRole('button', { name: 'Accept' }).click();
    await heading(viewer, 'Testwood, Cedar');
    await waitForState(chart, 'showing');
    await chart.context.close();
  });

  // The two wrong-patient paths QA found (issue 10), walked as QA walked them; screenshots to look at.
  it('QA path 1: a failed token keeps the wrong-patient warning, and a switch to a third patient still warns', async () => {
    const chart = await demo.openChart();
    await launchAndAccept(chart, 'Sandbox, Maple');
    await chart.select('Testwood, Cedar');
    await chart.context.setOffline(true); // the token request fails
    await chart.button.click();
    await waitForState(chart, 'error');
    assert.equal(await chart.status(),
      'The EMR could not prepare a secure launch of CareConnect. Try again, or contact your EMR support. CareConnect is still showing a different patient.');
    await chart.page.evaluate(() => window.scrollTo(0, 0)); // the chart header, where the button is
    await chart.page.screenshot({ path: 'screenshots/qa-path-1-token-failed.png' });
    await chart.context.setOffline(false);
    await chart.select('Mockley, Juniper');
    await waitForState(chart, 'stale');
    assert.equal(await chart.status(), 'CareConnect is showing a different patient — click to update.');
    await chart.page.evaluate(() => window.scrollTo(0, 0)); // the chart header, where the button is
    await chart.page.screenshot({ path: 'screenshots/qa-path-1-third-patient.png' });
    await chart.select('Sandbox, Maple');
    await waitForState(chart, 'showing');
    await chart.button.click(); // the patient on screen: the window comes forward, nothing relaunches
    await waitForState(chart, 'showing');
    assert.equal(chart.context.pages().length, 2);
    await chart.context.close();
  });

  it('QA path 2: an invalid PHN\'s error shows with the wrong-patient warning, not instead of it', async () => {
    const chart = await demo.openChart();
    await launchAndAccept(chart, 'Quillfeather, Jon');
    await chart.select('Fakerson, Alder');
    await waitForState(chart, 'stale');
    assert.equal(await chart.status(), 'CareConnect is showing a different patient. A British Columbia health number is required to update it.');
    await chart.button.click();
    await waitForState(chart, 'error');
    assert.equal(await chart.status(),
      'A British Columbia health number is required to access CareConnect. CareConnect is still showing a different patient.');
    await chart.page.evaluate(() => window.scrollTo(0, 0)); // the chart header, where the button is
    await chart.page.screenshot({ path: 'screenshots/qa-path-2-invalid-phn.png' });
    await chart.context.close();
  });

  it('an office assistant from the internet gets the authentication error', async () => {
    const chart = await demo.openChart();
    await chart.setting('role', 'staff');
    await chart.setting('network', 'internet');
    await chart.select('Sandbox, Maple');
    const viewer = await chart.launch();
    await heading(viewer, 'Sign in to CareConnect');
    assert.equal(await viewer.getByRole('button', { name: 'Health Authority account' }).count(), 0);
    await signInWithCardApp(viewer);
    await heading(viewer, 'Authentication error');
    await waitForState(chart, 'error');
    assert.equal(await chart.status(), 'CareConnect could not sign you in. Check your account; outside the clinic network, only providers have access.');
    await viewer.screenshot({ path: `${SHOTS}/06-auth-error.png` });
    await chart.context.close();
  });

  it('a PHN the registry does not know gives "No matching patient"', async () => {
    const chart = await demo.openChart();
    const viewer = await launchAndSignIn(chart, 'Nomatch, Sorrel');
    await heading(viewer, 'No matching patient');
    await waitForState(chart, 'error');
    assert.equal(await chart.status(), 'CareConnect found no matching patient for this health number.');
    await chart.context.close();
  });

  it('a Health Authority account inside the PPN, a PharmaNet search, and logout', async () => {
    const chart = await demo.openChart();
    const viewer = await launchAndSignIn(chart, 'Sandbox, Maple', signInWithAccount);
    await viewer.getByRole('button', { name: 'Accept' }).click();
    await viewer.getByRole('button', { name: /^Medications/ }).click();
    await viewer.getByRole('button', { name: 'Search PharmaNet' }).click();
    const caption = viewer.locator('mock-viewer-app caption');
    await caption.waitFor();
    assert.match((await caption.textContent()) ?? '', /^\d+ dispenses in the last 14 months$/);
    await viewer.screenshot({ path: `${SHOTS}/07-pharmanet.png` });
    await viewer.getByRole('button', { name: /^Immunizations/ }).click();
    await viewer.getByText('Coming soon.').waitFor();

    await chart.page.getByRole('button', { name: 'Log out of the viewer' }).click();
    await heading(viewer, 'You are signed out');
    assert.equal(viewer.isClosed(), false);
    await viewer.screenshot({ path: `${SHOTS}/08-signed-out.png` });
    await chart.context.close();
  });

  it('QA path of issue 18: a second chart window opened by the first shares the viewer, and neither says showing for a patient it does not show', async () => {
    const chart = await demo.openChart();
    const viewer = await launchAndAccept(chart, 'Sandbox, Maple');
    const opened = chart.context.waitForEvent('page');
    await chart.page.evaluate(() => void window.open(location.href, 'chart2'));
    const chart2 = await chartOn(chart.context, await opened);
    await chart2.select('Testwood, Cedar');
    await chart2.button.click();
    await viewer.getByRole('button', { name: 'Accept' }).click();
    await chart2.waitForState('showing');
    await chart.waitForState('stale', 2000);
    // Chart 1's click sends Maple again to the same window, rather than only focus Cedar's record.
    await chart.button.click();
    await viewer.getByRole('button', { name: 'Accept' }).click();
    await chart.waitForState('showing');
    await chart2.waitForState('stale', 2000);
    assert.equal(chart.context.pages().length, 3, 'two chart windows and one viewer window');
    await chart.context.close();
  });

  it("the viewer's own Log out link: the chart stops saying showing, and its click launches again", async () => {
    const chart = await demo.openChart();
    const viewer = await launchAndAccept(chart, 'Sandbox, Maple');
    await viewer.getByRole('button', { name: 'Log out', exact: true }).click();
    await heading(viewer, 'You are signed out');
    await chart.waitForState('idle');
    await chart.context.close();
  });

  it("the viewer's own Log out while the match waits for Accept: the chart stops waiting, and hears the reject", async () => {
    const chart = await demo.openChart();
    const viewer = await launchAndSignIn(chart, 'Sandbox, Maple');
    await viewer.getByRole('button', { name: 'Accept' }).waitFor();
    await chart.waitForState('matching');
    await viewer.getByRole('button', { name: 'Log out', exact: true }).click();
    await heading(viewer, 'You are signed out');
    await chart.waitForState('idle', 2000);
    await chart.context.close();
  });
});
