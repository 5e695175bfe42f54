/// <reference types="node" />
// A privacy leak test: one run through the demo (launch, accept, switch patient, PharmaNet, logout)
// records every request URL, page URL, window name, console message, and localStorage,
// sessionStorage and cookies of every page, and finds no health number and no patient name.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SYNTHETIC_PATIENTS } from '../../src/mock-viewer/patients.js';
import { chartOn, launchAndAccept, useDemo } from '../helpers/demo-chart.js';

const demo = useDemo();

const used = SYNTHETIC_PATIENTS.filter((p) => ['chart-1001', 'chart-1002'].includes(p.id));
/** Every form a leak could take: the PHN bare, grouped, or dashed, and each name. */
const SECRETS = used.flatMap((p) => {
  const phn = p.healthNumber!.value;
  return [phn, `${phn.slice(0, 4)} ${phn.slice(4, 7)} ${phn.slice(7)}`, `${phn.slice(0, 4)}-${phn.slice(4, 7)}-${phn.slice(7)}`, p.givenName, p.familyName];
});

describe('privacy', () => {
  it('no health number or patient name in any URL, window name, console line, storage or cookie', async () => {
    const context = await demo.browser.newContext();
    const seen: Array<[string, string]> = [];
    context.on('request', (request) => seen.push(['request URL', request.url()]));
    context.on('console', (message) => seen.push(['console', message.text()]));
    context.on('page', (page) => page.on('framenavigated', (frame) => seen.push(['navigation', frame.url()])));

    const page = await context.newPage();
    page.on('framenavigated', (frame) => seen.push(['navigation', frame.url()]));
    await page.goto(demo.server.emrUrl);
    const chart = await chartOn(context, page);

    const viewer = await launchAndAccept(chart, 'Sandbox, Maple');
    await chart.select('Testwood, Cedar');
    await chart.waitForState('stale');
    await chart.button.click();
    await viewer.getByRole('button', { name: 'Accept' }).click();
    await chart.waitForState('showing');
    await viewer.getByRole('button', { name: /^Medications/ }).click();
    await viewer.getByRole('button', { name: 'Search PharmaNet' }).click();
    await viewer.locator('mock-viewer-app caption').waitFor();
    await page.getByRole('button', { name: 'Log out of the viewer' }).click();
    await viewer.getByRole('heading', { name: 'You are signed out' }).waitFor();

    for (const p of context.pages()) {
      const snapshot = await p.evaluate(() => ({
        name: window.name,
        url: location.href,
        local: JSON.stringify({ ...localStorage }),
        session: JSON.stringify({ ...sessionStorage }),
        cookie: document.cookie,
      }));
      for (const [what, value] of Object.entries(snapshot)) seen.push([what, value]);
    }
    for (const cookie of await context.cookies()) seen.push(['cookie jar', `${cookie.name}=${cookie.value}`]);

    assert.ok(seen.some(([what]) => what === 'request URL'), 'requests were recorded');
    assert.ok(seen.some(([what, value]) => what === 'name' && /^careconnect-bc-careconnect-\d+(x\d+){3}$/.test(value)), 'the viewer window is named after the viewer and random bits only');
    const leaks = seen.filter(([, value]) => SECRETS.some((secret) => value.includes(secret)));
    assert.deepEqual(leaks, []);
    await context.close();
  });
});
