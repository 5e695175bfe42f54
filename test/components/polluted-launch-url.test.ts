// The attack of issue 19, end to end: a script polluted Object.prototype.ppn (or .internet) with its
// own URL, and the host lists a viewer whose launchUrl is an absent tenant setting. Real windows, a
// real form POST and a real protocol viewer on the second origin, which stands in for the attacker.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/define.js';
import type { CareConnectButton } from '../../src/components/careconnect-button.js';
import type { CareConnectErrorDetail } from '../../src/components/events.js';
import { recordEvents, testViewerOrigin, useViewerWindows, waitFor } from '../helpers.js';
import { withPollutedPrototype } from '../pollute.js';

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

const click = (el: CareConnectButton) => el.shadowRoot!.querySelector<HTMLButtonElement>('button[part~="base"]')!.click();

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
