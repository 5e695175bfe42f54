// The attack of issue 19, end to end: a script polluted Object.prototype.ppn (or .internet) with its
// own URL, and the host lists a viewer whose launchUrl is an absent tenant setting. Real windows, a
// real form POST and a real protocol viewer on the second origin, which stands in for the attacker.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/define.js';
import type { CareConnectButton } from '../../src/components/careconnect-button.js';
import type { CareConnectErrorDetail } from '../../src/components/events.js';
import { viewerWindowName } from '../../src/session/viewer-session.js';
import { recordEvents, sleep, testViewerOrigin, useViewerWindows, waitFor } from '../helpers/browser.js';
import { pollutePrototype, withPollutedPrototype } from '../pollute.js';
import { click } from '../helpers/element.js';

const windows = useViewerWindows();
/** An absent tenant setting: `{ launchUrl: tenant.netcareUrl }` with no `netcareUrl`. */
const tenant: { netcareUrl?: string } = {};

async function albertaButton(transport: 'form-post' | 'post-message', network: 'ppn' | 'internet') {
  const el = await fixture<CareConnectButton>(html`<careconnect-button location-province="AB" network=${network}
    health-number="12345-6789" patient-id="chart-A" given-name="Maple" family-name="Sandbox"
    birth-date="1958-04-12" gender="female"></careconnect-button>`);
  el.viewers = { 'ab-netcare': { launchUrl: tenant.netcareUrl, transport } };
  el.tokenProvider = async () => 'launch-token-for-the-viewer';
  await el.updateComplete;
  return el;
}


/** What the attacker's page received within a second and a half: a form POST or a launch. */
async function received() {
  const got = () => windows.viewer.reports.find((report) => report.form || report.received?.type === 'launch');
  return waitFor(got, 'the attacker', 1500).catch(() => undefined);
}

/** The two transports, each with the network whose URL the prototype carries and the attacker's page for it. */
const ATTACKS = [
  { transport: 'form-post', network: 'ppn', page: '/form-echo', leak: 'the form POST (phn, fn, ln, dob, g)' },
  { transport: 'post-message', network: 'internet', page: '/viewer.html', leak: 'the launch token' },
] as const;

describe('with Object.prototype polluted with a launch URL for a network', () => {
  for (const { transport, network, page, leak } of ATTACKS) {
    it(`${transport}, network="${network}": a viewer with no launch URL is not configured; ${leak} never goes to Object.prototype.${network}`, async () => {
      const attacker = `${await testViewerOrigin()}${page}`;
      const el = await albertaButton(transport, network);
      const errors = recordEvents<CareConnectErrorDetail>(el, 'careconnect-error');
      withPollutedPrototype({ [network]: attacker }, () => click(el));
      const stolen = await received();
      expect(stolen?.form ?? stolen?.received, 'what the attacker received').to.equal(undefined);
      expect(windows.spy.opened, 'windows opened').to.have.length(0);
      expect(errors.map((e) => e.detail.code)).to.deep.equal(['not-configured']);
      await el.updateComplete;
      expect(el.getAttribute('state')).to.equal('error');
    });
  }
});

describe('with Object.prototype polluted with a host event for news that has none', () => {
  it('fires only the events the viewer gave cause for: a polluted Object.prototype.sent is no careconnect-accept', async () => {
    const origin = await testViewerOrigin();
    const el = await fixture<CareConnectButton>(html`<careconnect-button location-province="BC"
      health-number="9698 658 215" patient-id="chart-A"></careconnect-button>`);
    el.viewers = { 'bc-careconnect': { launchUrl: `${origin}/viewer.html`, transport: 'post-message' } };
    el.tokenProvider = async () => 'launch-token-for-the-viewer';
    await el.updateComplete;
    const heard: string[] = [];
    for (const type of ['launch', 'ready', 'match', 'accept', 'reject', 'close', 'error']) el.addEventListener(`careconnect-${type}`, (e) => heard.push(e.type));
    // Kept across the launch: the session tells the element `sent` once the token has gone.
    const restore = pollutePrototype({ sent: 'careconnect-accept' });
    try {
      click(el);
      await waitFor(() => windows.viewer.reports.find((report) => report.received?.type === 'launch'), 'the launch');
    } finally {
      restore();
    }
    expect(heard).to.deep.equal(['careconnect-launch', 'careconnect-ready']);
    expect(el.getAttribute('state')).to.equal('waiting');
  });
});

describe('with Object.prototype.launch polluted, as a JSON merge can', () => {
  async function button(viewers: CareConnectButton['viewers']) {
    const el = await fixture<CareConnectButton>(html`<careconnect-button location-province="BC"
      health-number="9698 658 215" patient-id="chart-A"></careconnect-button>`);
    el.viewers = viewers;
    el.tokenProvider = async () => 'launch-token-for-the-viewer';
    await el.updateComplete;
    return el;
  }

  it('a window that took a form POST has no launch in flight: the next click posts again', async () => {
    const el = await button({ 'bc-careconnect': { launchUrl: `${await testViewerOrigin()}/form-echo`, transport: 'form-post' } });
    const posts = () => windows.viewer.reports.filter((report) => report.form);
    click(el);
    await waitFor(() => posts().length === 1, 'the first POST');
    el.healthNumber = '9735 353 315';
    await el.updateComplete;
    const uncaught: string[] = [];
    const onError = (event: ErrorEvent) => void (uncaught.push(event.message), event.preventDefault());
    window.addEventListener('error', onError);
    try {
      withPollutedPrototype({ launch: {} }, () => click(el));
    } catch (error) {
      uncaught.push(String(error));
    } finally {
      window.removeEventListener('error', onError);
    }
    expect(uncaught).to.deep.equal([]);
    await waitFor(() => posts().length === 2, 'the second POST');
    expect(posts()[1]!.form.phn).to.equal('9735353315');
  });

  it('news from another chart window that launched nothing supersedes no launch here', async () => {
    const el = await button({ 'bc-careconnect': { launchUrl: `${await testViewerOrigin()}/viewer.html`, transport: 'post-message' } });
    click(el);
    await waitFor(() => windows.viewer.reports.find((report) => report.received?.type === 'launch'), 'the launch');
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('waiting');
    // Another chart window of the EMR says the viewer window shows no one: no launch of its own.
    const otherWindow = new BroadcastChannel('careconnect-launch');
    const restore = pollutePrototype({ launch: true });
    try {
      otherWindow.postMessage({ name: viewerWindowName('bc-careconnect'), shown: null });
      await sleep(300);
    } finally {
      restore();
      otherWindow.close();
    }
    await el.updateComplete;
    expect(el.getAttribute('state')).to.equal('waiting');
  });
});
