// Driving the demo EMR chart and its viewer popup from Playwright, shared by the e2e tests.
import { after, before } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';
import { startDemoServer, type DemoServer } from '../../scripts/demo-server.js';

/**
 * One demo server (on a free port) and one Chromium for a test file, started before and stopped after;
 * `testPages` serves the strict-CSP test pages too.
 */
export interface Demo {
  server: DemoServer;
  browser: Browser;
  /** A fresh browser context on the demo EMR's chart page. */
  openChart(): Promise<Chart>;
}

export function useDemo({ testPages = false } = {}): Demo {
  const demo = { openChart: () => openChart(demo.browser, demo.server.emrUrl) } as Demo;
  before(async () => {
    demo.server = await startDemoServer({ port: 0, quiet: true, testPages });
    demo.browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await demo.browser?.close();
    await demo.server?.stop();
  });
  return demo;
}

export interface Chart {
  context: BrowserContext;
  page: Page;
  button: Locator;
  state(): Promise<string | null>;
  status(): Promise<string>;
  select(patient: string): Promise<void>;
  setting(id: 'location' | 'account' | 'role' | 'network' | 'scenario', value: string): Promise<void>;
  launch(): Promise<Page>;
  waitForState(state: string, timeout?: number): Promise<void>;
}

export async function openChart(browser: Browser, emrUrl: string): Promise<Chart> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(emrUrl);
  return chartOn(context, page);
}

export async function chartOn(context: BrowserContext, page: Page): Promise<Chart> {
  const host = page.locator('careconnect-button');
  const button = page.locator('careconnect-button button[part~="base"]');
  await button.waitFor();
  return {
    context,
    page,
    button,
    state: () => host.getAttribute('state'),
    status: async () => (await page.locator('careconnect-button [part~="status"]').textContent())?.trim() ?? '',
    select: (patient) => page.getByRole('button', { name: new RegExp(`^${patient}`) }).click(),
    setting: async (id, value) => void (await page.locator(`#${id}`).selectOption(value)),
    async launch() {
      const popup = context.waitForEvent('page');
      await button.click();
      const viewer = await popup;
      await viewer.waitForLoadState();
      return viewer;
    },
    waitForState: async (state, timeout = 10_000) => {
      await page.waitForFunction((s) => document.querySelector('careconnect-button')?.getAttribute('state') === s, state, { timeout });
    },
  };
}

export const heading = (page: Page, name: string | RegExp, timeout = 10_000) => page.getByRole('heading', { name }).waitFor({ timeout });

export async function signInWithCardApp(viewer: Page) {
  await heading(viewer, /^Sign in to /);
  await viewer.getByRole('button', { name: 'BC Services Card app' }).click();
  await heading(viewer, 'BC Services Card app');
  await viewer.getByRole('button', { name: 'Simulate approval in the app' }).click();
}

/** Signs in with a Health Authority account (inside the PPN): `drlee` is a provider with PharmaNet. */
export async function signInWithAccount(viewer: Page, username = 'drlee') {
  await heading(viewer, 'Sign in to CareConnect');
  await viewer.getByRole('button', { name: 'Health Authority account' }).click();
  await viewer.getByLabel('Username').fill(username);
  await viewer.getByLabel('Password').fill('careconnect');
  await viewer.getByRole('button', { name: 'Sign in' }).click();
}

/** Picks `patient`, launches and signs in (with the card app unless told): the viewer is on the match. */
export async function launchAndSignIn(chart: Chart, patient: string, signIn: (viewer: Page) => Promise<void> = signInWithCardApp): Promise<Page> {
  await chart.select(patient);
  const viewer = await chart.launch();
  await signIn(viewer);
  return viewer;
}

/** Picks `patient`, launches, signs in with the card app and accepts: the viewer shows the patient. */
export async function launchAndAccept(chart: Chart, patient: string): Promise<Page> {
  const viewer = await launchAndSignIn(chart, patient);
  await viewer.getByRole('button', { name: 'Accept' }).click();
  await chart.waitForState('showing');
  return viewer;
}
