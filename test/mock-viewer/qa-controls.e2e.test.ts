/// <reference types="node" />
// The demo's QA controls, walked by hand as a tester would, with no script: Ontario and Quebec
// clinics, French, the compact button, a blocked popup, a failing token service, a cancelled
// launch, and a location with no viewer. Screenshots go to screenshots/qa/ for a person to look at.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { heading, signInWithCardApp, useDemo, type Chart } from '../helpers/demo-chart.js';

const SHOTS = 'screenshots/qa';
const demo = useDemo();
before(() => void mkdirSync(SHOTS, { recursive: true }));

const toggle = (chart: Chart, id: string) => chart.page.locator(`#${id}`).click();
const isChecked = (chart: Chart, id: string) => chart.page.locator(`#${id}`).isChecked();
/** The page from the top, as a tester sees it: a click in the long patient list scrolls the window. */
async function shoot(chart: Chart, name: string) {
  await chart.page.evaluate(() => window.scrollTo(0, 0));
  await chart.page.screenshot({ path: `${SHOTS}/${name}.png` });
}
const logLines = async (chart: Chart) => (await chart.page.locator('#log li').allTextContents()).map((line) => line.replace(/^\S+( [AP]M)? /, ''));

/** The other viewers' mocks have one sign-in button of their own; review and accept the match. */
async function signInAndAccept(chart: Chart, viewer: Page) {
  await viewer.getByRole('button', { name: 'Sign in (mock)' }).click();
  await heading(viewer, 'Review the matching patient');
  await viewer.getByText('Your EMR and the client registry agree.').waitFor();
  await viewer.getByRole('button', { name: 'Accept' }).click();
  await chart.waitForState('showing');
}

describe('the demo\'s QA controls', () => {
  it('an Ontario clinic launches ConnectingOntario for a health card with a version code', async () => {
    const chart = await demo.openChart();
    await chart.setting('location', 'ON');
    await chart.select('Mockridge, Trillium');
    assert.equal(await chart.button.textContent(), 'ConnectingOntario ClinicalViewer');
    assert.match(await chart.page.locator('#patient-facts').textContent() ?? '', /ON health number 2098 340 652 AK$/);
    const viewer = await chart.launch();
    await heading(viewer, 'Sign in to ConnectingOntario');
    await signInAndAccept(chart, viewer);
    await heading(viewer, 'Mockridge, Trillium');
    await viewer.getByText('Health number 2098 340 652 AK', { exact: false }).waitFor();
    await viewer.screenshot({ path: `${SHOTS}/01-ontario-record.png` });
    await shoot(chart, '01-ontario-emr');
    await chart.context.close();
  });

  it('an Ontario number that fails the Luhn check opens nothing', async () => {
    const chart = await demo.openChart();
    await chart.setting('location', 'ON');
    await chart.select('Wrongsum, Tamarack');
    await chart.button.click();
    await chart.waitForState('error');
    assert.equal(await chart.status(), 'An Ontario health number is required to access ConnectingOntario.');
    assert.equal(chart.context.pages().length, 1);
    await shoot(chart, '02-ontario-invalid');
    await chart.context.close();
  });

  it('a Quebec clinic in French: the button speaks French, and a NAM launches the DSQ', async () => {
    const chart = await demo.openChart();
    await chart.setting('location', 'QC');
    await chart.page.locator('#language').selectOption('fr');
    await chart.select('Maquette, Léa');
    await chart.button.click();
    await chart.waitForState('error');
    assert.equal(await chart.status(), 'Un numéro d\'assurance maladie du Québec est requis pour accéder à Dossier santé Québec.');
    await shoot(chart, '03-quebec-invalid-fr');

    await chart.select('Bacasable, Rosalie');
    await chart.waitForState('idle');
    const viewer = await chart.launch();
    await heading(viewer, 'Sign in to Dossier santé Québec');
    await signInAndAccept(chart, viewer);
    await heading(viewer, 'Bacasable, Rosalie');
    await viewer.screenshot({ path: `${SHOTS}/04-quebec-record.png` });

    await chart.select('Boisdessai, Mathis');
    await chart.waitForState('stale');
    assert.equal(await chart.status(), 'Dossier santé Québec affiche un autre patient — cliquez pour mettre à jour.');
    await shoot(chart, '04-quebec-stale-fr');

    await chart.page.locator('#language').selectOption('en');
    await chart.page.waitForFunction(() => !document.querySelector('careconnect-button')!.shadowRoot!.textContent!.includes('affiche'));
    assert.equal(await chart.status(), 'Dossier santé Québec is showing a different patient — click to update.');
    await chart.context.close();
  });

  it('the compact switch makes the button icon-only, its name kept', async () => {
    const chart = await demo.openChart();
    await toggle(chart, 'compact');
    await chart.page.waitForSelector('careconnect-button[compact]');
    assert.equal(await chart.button.getAttribute('title'), 'BC CareConnect');
    await chart.page.getByRole('button', { name: 'BC CareConnect' }).waitFor();
    const label = await chart.page.locator('careconnect-button [part~="label"]').boundingBox();
    assert.ok(label && label.width <= 1, 'the label is visually hidden');
    await chart.page.locator('.chart-header').screenshot({ path: `${SHOTS}/05-compact.png` });
    await toggle(chart, 'compact');
    await chart.page.waitForSelector('careconnect-button:not([compact])');
    await chart.context.close();
  });

  it('"block the next popup": popup-blocked, then Try again opens the viewer', async () => {
    const chart = await demo.openChart();
    await chart.select('Sandbox, Maple');
    await toggle(chart, 'block-popup');
    await chart.button.click();
    await chart.waitForState('error');
    assert.equal(await chart.status(), 'The browser blocked the CareConnect window. Allow pop-ups for this site, then try again. Try again');
    assert.equal(chart.context.pages().length, 1);
    assert.equal(await isChecked(chart, 'block-popup'), false, 'a one-shot switch');
    const lines = await logLines(chart); // newest first, in the order things happened
    assert.deepEqual(lines.map((line) => line.split(' ')[0]), ['careconnect-error', 'demo:', 'careconnect-launch']);
    await shoot(chart, '06-popup-blocked');

    const popup = chart.context.waitForEvent('page');
    await chart.page.getByRole('button', { name: 'Try again' }).click();
    const viewer = await popup;
    await signInWithCardApp(viewer);
    await viewer.getByRole('button', { name: 'Accept' }).click();
    await chart.waitForState('showing');
    await chart.context.close();
  });

  it('"the token service fails": token-failed, the blank window closes, and the next click works once it is switched off', async () => {
    const chart = await demo.openChart();
    await chart.select('Sandbox, Maple');
    await toggle(chart, 'token-fails');
    const popup = chart.context.waitForEvent('page');
    await chart.button.click();
    const opened = await popup;
    await opened.waitForEvent('close'); // the window opened for this launch is not left waiting
    await chart.waitForState('error');
    assert.equal(await chart.status(), 'The EMR could not prepare a secure launch of CareConnect. Try again, or contact your EMR support.');
    const errors = (await logLines(chart)).filter((line) => line.startsWith('careconnect-error'));
    assert.match(errors[0] ?? '', /"code":"token-failed"/);
    await shoot(chart, '07-token-failed');

    await toggle(chart, 'token-fails');
    const viewer = await chart.launch();
    await signInWithCardApp(viewer);
    await viewer.getByRole('button', { name: 'Accept' }).click();
    await chart.waitForState('showing');
    assert.equal(chart.context.pages().length, 2, 'one viewer window');
    await chart.context.close();
  });

  it('"cancel the next launch": nothing opens, and the log says it was cancelled', async () => {
    const chart = await demo.openChart();
    await chart.select('Sandbox, Maple');
    await toggle(chart, 'cancel-launch');
    await chart.button.click();
    await chart.page.locator('#log li.cancelled').waitFor();
    const [line] = await logLines(chart);
    assert.match(line!, /^careconnect-launch cancelled by the EMR \(preventDefault\): no window opened \{"viewerId":"bc-careconnect","patientId":"chart-1001","requestId":"[0-9-]+"\}$/);
    assert.equal(chart.context.pages().length, 1);
    assert.equal(await chart.state(), 'idle');
    assert.equal(await isChecked(chart, 'cancel-launch'), false, 'a one-shot switch');
    await shoot(chart, '08-launch-cancelled');

    await chart.launch(); // the next click is a real launch, logged as one
    assert.match((await logLines(chart)).find((line) => line.startsWith('careconnect-launch')) ?? '', /^careconnect-launch \{/);
    await chart.context.close();
  });

  it('a location with no viewer: no button, and the hint about its window gives way to a note', async () => {
    const chart = await demo.openChart();
    assert.equal(await chart.page.locator('#viewer-hint').isVisible(), true);
    assert.equal(await chart.page.locator('#no-viewer').isVisible(), false);
    await chart.setting('location', 'MB');
    await chart.button.waitFor({ state: 'detached' });
    assert.equal(await chart.page.locator('#viewer-hint').isVisible(), false);
    assert.equal(await chart.page.locator('#no-viewer').isVisible(), true);
    await shoot(chart, '09-no-viewer');
    await chart.setting('location', 'AB');
    await chart.button.waitFor();
    assert.equal(await chart.page.locator('#viewer-hint').isVisible(), true);
    await chart.context.close();
  });
});
