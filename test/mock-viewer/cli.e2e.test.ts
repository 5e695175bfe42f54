/// <reference types="node" />
// The vendor's path, exactly: the packed package installed in an empty folder, the README's embed
// snippet on a plain page beside a tiny token server, `npx careconnect-launch mock-viewer`, and
// Chromium from the click to the record; then the legacy form POST. Screenshots: screenshots/mock-viewer-cli/.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';
import { descendants, freePort, isAlive, portIsOpen, waitFor, waitForOutput } from '../helpers/processes.js';

const SHOTS = 'screenshots/mock-viewer-cli';
const PHN = '9386339244';
const FIXTURE = new URL('../fixtures/vendor-emr/', import.meta.url);

const heading = (page: Page, name: string | RegExp, timeout = 15_000) => page.getByRole('heading', { name }).waitFor({ timeout });

describe('npx careconnect-launch mock-viewer, from an installed tarball', { timeout: 90_000 }, () => {
  let folder: string;
  let emr: ChildProcess;
  let viewer: ChildProcess;
  let output: { text: string };
  let browser: Browser;
  const ports = { emr: 0, viewer: 0, idp: 0 };
  const emrUrl = () => `http://localhost:${ports.emr}/`;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    folder = mkdtempSync(join(tmpdir(), 'careconnect-vendor-'));
    // dist/ was just built by the test command (`npm run build && node --test …`): pack it as it is,
    // without prepack building it a second time.
    execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', folder], { stdio: ['ignore', 'ignore', 'inherit'] });
    const tarball = readdirSync(folder).find((name) => name.endsWith('.tgz'))!;
    const project = join(folder, 'emr');
    mkdirSync(project);
    execFileSync('npm', ['init', '-y'], { cwd: project, stdio: 'ignore' });
    execFileSync('npm', ['install', '--no-audit', '--no-fund', join(folder, tarball)], { cwd: project, stdio: ['ignore', 'ignore', 'inherit'] });
    folder = project;
    for (const file of ['server.mjs', 'index.html']) copyFileSync(new URL(file, FIXTURE), join(folder, file));
    [ports.emr, ports.viewer, ports.idp] = [await freePort(), await freePort(), await freePort()];

    viewer = spawn('npx', [
      'careconnect-launch', 'mock-viewer', '--port', String(ports.viewer), '--idp-port', String(ports.idp),
      '--emr-origin', `http://localhost:${ports.emr}`, '--jwks', `http://127.0.0.1:${ports.emr}/.well-known/careconnect-jwks.json`,
      '--issuer', 'https://emr.example',
    ], { cwd: folder, stdio: ['ignore', 'pipe', 'inherit'] });
    output = await waitForOutput(viewer, 'Press Ctrl+C to stop.', 30_000);
    const launchUrl = /launchUrl: '(http:\/\/127\.0\.0\.1:\d+\/)', transport: 'post-message'/.exec(output.text)![1]!;
    const formPostUrl = /launchUrl: '(http:\/\/[^']+\/Welcome\/Search)'/.exec(output.text)![1]!;
    emr = spawn(process.execPath, ['server.mjs'], {
      cwd: folder, stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, PORT: String(ports.emr), LAUNCH_URL: launchUrl, FORM_POST_URL: formPostUrl },
    });
    await waitForOutput(emr, 'EMR ready', 10_000);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    // npx's sh -c outlives a killed npx: end the whole tree, or its open pipes hold this runner.
    for (const child of [emr, viewer]) {
      if (child?.exitCode !== null) continue;
      for (const pid of [child.pid!, ...descendants(child.pid!)].reverse()) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
    if (folder) rmSync(join(folder, '..'), { recursive: true, force: true });
  });

  /** The vendor's chart in a fresh context, with every URL any page of it visits and every console line. */
  async function openChart(): Promise<{ context: BrowserContext; page: Page; urls: string[]; console: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    const urls: string[] = [];
    const lines: string[] = [];
    context.on('request', (request) => urls.push(request.url()));
    context.on('page', (page) => page.on('console', (message) => lines.push(message.text())));
    const page = await context.newPage();
    await page.goto(emrUrl());
    await page.locator('careconnect-button button[part~="base"]').waitFor();
    return { context, page, urls, console: lines };
  }

  async function launch(context: BrowserContext, page: Page): Promise<Page> {
    const popup = context.waitForEvent('page');
    await page.locator('careconnect-button button[part~="base"]').click();
    const opened = await popup;
    await opened.waitForLoadState();
    return opened;
  }

  /** Sign-in through the identity provider, on its own origin, and back. */
  async function signIn(popup: Page, shot?: string) {
    await heading(popup, 'Sign in to CareConnect').catch(async (error) => {
      throw new Error(`${error.message}\nThe viewer at ${popup.url()} shows: ${await popup.locator('body').innerText()}`);
    });
    await popup.getByRole('button', { name: 'BC Services Card app' }).click();
    await heading(popup, 'BC Services Card app');
    assert.equal(new URL(popup.url()).origin, `http://127.0.0.1:${ports.idp}`, 'the sign-in page is on the third origin');
    if (shot) await popup.screenshot({ path: shot });
    await popup.getByRole('button', { name: 'Simulate approval in the app' }).click();
  }

  it('prints the launch URL, the EMR origin, the JWKS, the identity provider and how to stop', () => {
    assert.ok(output.text.includes(`button.viewers = { 'bc-careconnect': { launchUrl: 'http://127.0.0.1:${ports.viewer}/', transport: 'post-message' } };`));
    assert.match(output.text, new RegExp(`Accepts launches from: +http://localhost:${ports.emr}\n`));
    assert.match(output.text, new RegExp(`Trusts the JWKS at: +http://127\\.0\\.0\\.1:${ports.emr}/\\.well-known/careconnect-jwks\\.json\n`));
    assert.match(output.text, /and the issuer: +https:\/\/emr\.example\n/);
    assert.match(output.text, new RegExp(`Identity provider: +http://127\\.0\\.0\\.1:${ports.idp}/sign-in`));
    assert.match(output.text, /Press Ctrl\+C to stop\./);
  });

  it('post-message: click, sign in on the identity provider, review, Accept, the record and PharmaNet', async () => {
    const { context, page, urls, console: lines } = await openChart();
    await page.screenshot({ path: `${SHOTS}/01-vendor-page.png` });
    const popup = await launch(context, page);
    await signIn(popup, `${SHOTS}/02-sign-in-third-origin.png`);
    await heading(popup, 'Review the matching patient');
    assert.equal(new URL(popup.url()).origin, `http://127.0.0.1:${ports.viewer}`, 'back on the viewer');
    await popup.getByText('Your EMR and the client registry agree.').waitFor();
    await page.waitForFunction(() => document.querySelector('careconnect-button')?.getAttribute('state') === 'matching');
    await popup.getByRole('button', { name: 'Accept' }).click();
    await heading(popup, 'Sandbox, Maple');
    await popup.getByText('PHN 9386 339 244 · Born 1958-04-12 · Female').waitFor();
    await popup.getByRole('button', { name: /^Encounters \d+$/ }).waitFor();
    await popup.getByRole('button', { name: 'Medications' }).click();
    await popup.getByRole('button', { name: 'Search PharmaNet' }).click();
    await popup.getByText(/^\d+ dispenses in the last 14 months$/).waitFor();
    await popup.screenshot({ path: `${SHOTS}/03-record.png` });
    await page.waitForFunction(() => document.querySelector('careconnect-button')?.getAttribute('state') === 'showing');
    assert.deepEqual(await page.evaluate(() => (window as any).seen), ['launch', 'ready', 'match', 'accept']);
    assert.deepEqual(urls.filter((url) => url.includes(PHN)), [], 'no URL carries the PHN');
    assert.deepEqual(lines.filter((line) => line.includes(PHN)), [], 'no console line carries the PHN');
    await context.close();
  });

  it('form-post: POST /Welcome/Search goes through sign-in, match and record; the PHN stays out of URLs, storage and the console', async () => {
    const { context, page, urls, console: lines } = await openChart();
    await page.evaluate(() => (window as any).useFormPost());
    const popup = await launch(context, page);
    await signIn(popup);
    await heading(popup, 'Review the matching patient');
    assert.equal(new URL(popup.url()).pathname, '/Welcome/Search', 'back at the address the form posted to');
    await popup.getByText('Your EMR and the client registry agree.').waitFor();
    await popup.getByRole('button', { name: 'Accept' }).click();
    await heading(popup, 'Sandbox, Maple');
    await popup.getByText('PHN 9386 339 244 · Born 1958-04-12 · Female').waitFor();
    await popup.screenshot({ path: `${SHOTS}/04-form-post-record.png` });
    // A form POST gets no answer: the button reports the post itself, and no protocol event follows.
    assert.equal(await page.locator('careconnect-button').getAttribute('state'), 'showing');
    assert.deepEqual(await page.evaluate(() => (window as any).seen), ['launch']);
    const kept = await popup.evaluate(() => [document.cookie, JSON.stringify({ ...sessionStorage }), JSON.stringify({ ...localStorage }), window.name, location.href]);
    assert.deepEqual(kept.filter((value) => value.includes(PHN)), [], 'not in a readable cookie, storage, the window name or the address');
    assert.deepEqual(urls.filter((url) => url.includes(PHN)), [], 'no URL carries the PHN');
    assert.deepEqual(lines.filter((line) => line.includes(PHN)), [], 'no console line carries the PHN');
    await context.close();
  });

  it('an EMR on an origin it was not given: the viewer waits, and names the origin it accepts', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${ports.emr}/`); // the same EMR, reached by another name
    const popup = await launch(context, page);
    await heading(popup, 'Waiting for a patient');
    await popup.getByText(`This viewer accepts launches from http://localhost:${ports.emr} only.`).waitFor();
    await popup.screenshot({ path: `${SHOTS}/05-wrong-emr-origin.png` });
    assert.equal(await page.locator('careconnect-button').getAttribute('state'), 'opening');
    await context.close();
  });

  it('a token from another issuer: the viewer names the issuer it got, the one it trusts, and the fix', async () => {
    const [port, idpPort] = [await freePort(), await freePort()];
    const other = spawn('npx', [
      'careconnect-launch', 'mock-viewer', '--port', String(port), '--idp-port', String(idpPort),
      '--emr-origin', `http://localhost:${ports.emr}`, '--jwks', `http://127.0.0.1:${ports.emr}/.well-known/careconnect-jwks.json`,
      '--issuer', 'https://other.example',
    ], { cwd: folder, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await waitForOutput(other, 'Press Ctrl+C to stop.', 30_000);
      const { context, page } = await openChart();
      await page.evaluate((url) => {
        const button = document.querySelector('careconnect-button') as any;
        button.viewers = { 'bc-careconnect': { launchUrl: url, transport: 'post-message' } };
      }, `http://127.0.0.1:${port}/`);
      const popup = await launch(context, page);
      await popup.getByText('The token\'s iss is "https://emr.example"; this viewer expects "https://other.example". Mint with issuer "https://other.example", or start the mock with --issuer "https://emr.example".', { exact: false }).waitFor();
      await page.waitForFunction(() => document.querySelector('careconnect-button')?.getAttribute('state') === 'error');
      await context.close();
    } finally {
      other.kill('SIGTERM');
    }
  });

  it('stops on SIGTERM to npx: both ports close and no process of it is left', async () => {
    const tree = [viewer.pid!, ...descendants(viewer.pid!)];
    assert.ok(await portIsOpen(ports.viewer) && await portIsOpen(ports.idp));
    viewer.kill('SIGTERM');
    await waitFor(async () => !(await portIsOpen(ports.viewer)) && !(await portIsOpen(ports.idp)), 5_000, 'the ports to close');
    await waitFor(async () => tree.every((pid) => !isAlive(pid)), 5_000, `processes ${tree.join(', ')} to end`);
  });
});
