/// <reference types="node" />
// The mock viewer (`careconnect-launch mock-viewer`, built in dist/) taking the legacy form POST as a
// real EMR sends it: Juno EMR's careConnectForm.jsp posts `phn`, `fn`, `ln`, `dob` (yyyyMMdd), `g`
// and `O=Nan` to CareConnect's root, into a popup it opened by name. The review screen then compares
// as a registry does: case, accents, repeated spaces and hyphens are no difference; a letter, a date
// or a sex is. Screenshots: screenshots/real-emr-form/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';
import { startMockViewer, type MockViewerServer } from '../../dist/mock-viewer/node/start-mock-viewer.js';
import { heading, signInWithCardApp } from '../helpers/demo-chart.js';

const SHOTS = 'screenshots/real-emr-form';
/** Any page of another origin stands for the EMR (in UTF-8, as Juno's JSP declares): the form needs no server of its own. */
const EMR = 'http://emr.invalid/';
/** What Juno's careConnectForm.jsp posts for Maple Sandbox, stored in capitals as many EMRs store names. */
const JUNO = { phn: '9386339244', fn: 'MAPLE', ln: 'SANDBOX', dob: '19580412', g: 'F', O: 'Nan' };

describe('the mock viewer takes a real EMR\'s form POST', { timeout: 60_000 }, () => {
  let viewer: MockViewerServer;
  let browser: Browser;
  let context: BrowserContext;
  let emr: Page;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    viewer = await startMockViewer({ port: 0, emrOrigins: ['http://emr.invalid'], issuer: 'http://emr.invalid', jwks: async () => ({ keys: [] }) });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    // One browser context: the sign-in is kept (as CareConnect keeps it) for the next form posted.
    context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    await context.route(EMR, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: '<!doctype html><title>Juno</title>' }));
    emr = await context.newPage();
    await emr.goto(EMR);
  });
  after(async () => {
    await browser?.close();
    await viewer?.stop();
  });

  /** Juno's way: open the popup by name, then post the hidden form into it. Resolves with the popup. */
  async function post(fields: Record<string, string>, action = `${viewer.viewerOrigin}/`): Promise<Page> {
    const opened = context.pages().find((page) => page !== emr);
    // The same window loads the next patient, as in Juno: wait for its new page, not the last one.
    const popup = opened ? opened.waitForEvent('load').then(() => opened) : context.waitForEvent('page');
    await emr.evaluate(([action, fields]) => {
      window.open('', 'CareConnect');
      const form = Object.assign(document.createElement('form'), { method: 'POST', action, target: 'CareConnect' });
      for (const [name, value] of Object.entries(fields)) form.append(Object.assign(document.createElement('input'), { type: 'hidden', name, value }));
      document.body.append(form);
      form.submit();
      form.remove();
    }, [action, fields] as const);
    return popup;
  }

  /** The review screen's summary and the labels of the rows marked "Differs". */
  async function review(popup: Page) {
    await heading(popup, 'Review the matching patient', 15_000);
    const summary = (await popup.locator('.match').locator('xpath=preceding-sibling::p[1]').textContent())!.replace(/\s+/g, ' ').trim();
    const differs = await popup.locator('tr.differs th').allTextContents();
    return { summary, differs };
  }

  it('Juno\'s form, posted to the root: names in capitals agree with the registry', async () => {
    const popup = await post(JUNO);
    await signInWithCardApp(popup);
    const seen = await review(popup);
    await popup.screenshot({ path: `${SHOTS}/01-juno-capitals.png` });
    assert.deepEqual(seen, { summary: 'Your EMR and the client registry agree.', differs: [] });
    assert.equal(new URL(popup.url()).pathname, '/Welcome/Search', 'the root sends the POST on to /Welcome/Search');
  });

  it('takes the fields as EMRs write them: o or O, g in any case, a PHN with spaces, /Welcome/Search or the root', async () => {
    const variants: Array<[string, Record<string, string>, string?]> = [
      ['g and o in lower case', { phn: JUNO.phn, fn: JUNO.fn, ln: JUNO.ln, dob: JUNO.dob, g: 'f', o: 'CLINIC01' }],
      ['a PHN with spaces', { ...JUNO, phn: '9386 339 244' }],
      ['accents and repeated spaces', { ...JUNO, fn: ' Mâplé  ', ln: 'SANDBÖX' }],
      ['a POST to /Welcome/Search', { ...JUNO, fn: 'maple' }, `${viewer.viewerOrigin}/Welcome/Search`],
    ];
    for (const [what, fields, action] of variants) {
      assert.deepEqual(await review(await post(fields, action)), { summary: 'Your EMR and the client registry agree.', differs: [] }, what);
    }
  });

  it('a different letter, date or sex still differs, and is highlighted', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ ...JUNO, fn: 'MAPEL' }, 'Name'],
      [{ ...JUNO, dob: '19580421' }, 'Date of birth'],
      [{ ...JUNO, g: 'm' }, 'Gender'],
    ];
    for (const [fields, row] of cases) {
      const popup = await post(fields);
      const seen = await review(popup);
      assert.deepEqual(seen, { summary: '1 detail differs between your EMR and the registry. Check before you accept.', differs: [row] }, row);
      await popup.screenshot({ path: `${SHOTS}/02-differs-${row.toLowerCase().replace(/ /g, '-')}.png` });
    }
  });
});
