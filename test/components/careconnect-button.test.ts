import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/components/define.js';
import type { CareConnectButton } from '../../src/components/careconnect-button.js';
import type { CareConnectErrorDetail, CareConnectLaunchDetail } from '../../src/components/events.js';
import { VIEWERS, type ViewerId } from '../../src/core/viewers.js';
import { POPUP_FEATURES, viewerWindowFor } from '../../src/session/viewer-window.js';

const VALID_PHN = '9698 658 215';
const TEST_VIEWER_URL = new URL('/test/fixtures/viewer.html', location.href).href;
const BC_ENABLED = { 'bc-careconnect': { launchUrl: TEST_VIEWER_URL } };

interface OpenCall {
  url: string | undefined;
  name: string | undefined;
  features: string | undefined;
}

/** Replaces window.open with a recorder; `result` decides what the "browser" hands back. */
function stubWindowOpen(result: 'fake-window' | 'blocked' = 'fake-window') {
  const calls: OpenCall[] = [];
  const fake = { closed: false, focusCount: 0, focus() { this.focusCount++; }, close() { this.closed = true; } };
  const original = window.open;
  window.open = ((url?: string | URL, name?: string, features?: string) => {
    calls.push({ url: url?.toString(), name, features });
    return result === 'blocked' ? null : (fake as unknown as Window);
  }) as typeof window.open;
  return { calls, fake, restore: () => { window.open = original; } };
}

async function button(template = html`<careconnect-button></careconnect-button>`) {
  return fixture<CareConnectButton>(template);
}

const shadowButton = (el: CareConnectButton) => el.shadowRoot!.querySelector('button');
const statusText = (el: CareConnectButton) => el.shadowRoot!.querySelector('[part~="status"]')?.textContent?.trim() ?? '';

function recordEvents<T>(el: HTMLElement, type: string) {
  const seen: CustomEvent<T>[] = [];
  el.addEventListener(type, (e) => seen.push(e as CustomEvent<T>));
  return seen;
}

let openStub: ReturnType<typeof stubWindowOpen> | null = null;
afterEach(() => {
  openStub?.restore();
  openStub = null;
  for (const id of Object.keys(VIEWERS) as ViewerId[]) viewerWindowFor(id).close();
});

describe('<careconnect-button>', () => {
  describe('with no viewer for the location', () => {
    it('renders nothing at a Manitoba location, even for a BC account', async () => {
      const el = await button(html`<careconnect-button location-province="MB" account-province="BC"></careconnect-button>`);
      expect(shadowButton(el)).to.equal(null);
      expect(el.getBoundingClientRect().width).to.equal(0);
    });

    it('renders nothing when neither the location nor the account has a province', async () => {
      const el = await button();
      expect(shadowButton(el)).to.equal(null);
    });

    it('appears once a location with a viewer is selected', async () => {
      const el = await button(html`<careconnect-button location-province="MB"></careconnect-button>`);
      el.locationProvince = 'BC';
      await el.updateComplete;
      expect(shadowButton(el)?.textContent?.trim()).to.equal('BC CareConnect');
    });
  });

  describe('labels per province', () => {
    const cases: Array<[string | null, string | null, string]> = [
      ['BC', null, 'BC CareConnect'],
      ['AB', 'BC', 'Alberta Netcare Portal'],
      [null, 'AB', 'Alberta Netcare Portal'],
      ['bc', null, 'BC CareConnect'],
      ['ON', null, 'ConnectingOntario ClinicalViewer'],
    ];
    for (const [locationProvince, accountProvince, label] of cases) {
      it(`shows "${label}" for location ${locationProvince} and account ${accountProvince}`, async () => {
        const el = await button();
        el.locationProvince = locationProvince;
        el.accountProvince = accountProvince;
        await el.updateComplete;
        expect(shadowButton(el)?.textContent?.trim()).to.equal(label);
        expect(el.getAttribute('state')).to.equal('idle');
      });
    }

    it('is accessible', async () => {
      const el = await button(html`<careconnect-button location-province="BC"></careconnect-button>`);
      await expect(el).to.be.accessible();
    });
  });

  describe('when the viewer is not enabled', () => {
    it('gives not-configured, says so, and opens nothing', async () => {
      openStub = stubWindowOpen();
      const el = await button(html`<careconnect-button location-province="BC" health-number=${VALID_PHN}></careconnect-button>`);
      el.viewers = { 'ab-netcare': {} };
      await el.updateComplete;
      const errors = recordEvents<CareConnectErrorDetail>(el, 'careconnect-error');
      shadowButton(el)!.click();
      await el.updateComplete;
      expect(errors.map((e) => e.detail.code)).to.deep.equal(['not-configured']);
      expect(statusText(el)).to.equal('BC CareConnect is not set up in this EMR. Ask your EMR administrator to enable it.');
      expect(el.getAttribute('state')).to.equal('error');
      expect(openStub.calls).to.have.length(0);
      await expect(el).to.be.accessible();
    });

    it('refuses a launch URL that is not http(s)', async () => {
      openStub = stubWindowOpen();
      const el = await button(html`<careconnect-button location-province="BC" health-number=${VALID_PHN}></careconnect-button>`);
      el.viewers = { 'bc-careconnect': { launchUrl: 'javascript:alert(1)' } };
      await el.updateComplete;
      setTimeout(() => shadowButton(el)!.click());
      const error = await oneEvent(el, 'careconnect-error');
      expect(error.detail.code).to.equal('not-configured');
      expect(openStub.calls).to.have.length(0);
    });
  });

  describe('with a missing or invalid health number', () => {
    const invalidNumbers: Array<[string, string | null]> = [
      ['missing', null],
      ['empty', ''],
      ['failing the check digit', '9698 648 215'],
      ['without the leading 9', '5736504210'],
    ];
    for (const [label, phn] of invalidNumbers) {
      it(`shows the required-number message and opens nothing when the PHN is ${label}`, async () => {
        openStub = stubWindowOpen();
        const el = await button(html`<careconnect-button location-province="BC"></careconnect-button>`);
        el.viewers = BC_ENABLED;
        el.healthNumber = phn;
        await el.updateComplete;
        const errors = recordEvents<CareConnectErrorDetail>(el, 'careconnect-error');
        const launches = recordEvents(el, 'careconnect-launch');
        shadowButton(el)!.click();
        await el.updateComplete;
        const message = 'A British Columbia health number is required to access CareConnect.';
        expect(statusText(el)).to.equal(message);
        expect(el.shadowRoot!.querySelector('[role="status"]')?.textContent?.trim()).to.equal(message);
        expect(errors.map((e) => e.detail)).to.deep.equal([{ code: 'health-number-required', message, viewerId: 'bc-careconnect' }]);
        expect(launches).to.have.length(0);
        expect(openStub.calls).to.have.length(0);
        expect(el.getAttribute('state')).to.equal('error');
      });
    }

    it("refuses another province's number at a BC location", async () => {
      openStub = stubWindowOpen();
      const el = await button(html`<careconnect-button location-province="BC" health-number="123456789" health-number-province="AB"></careconnect-button>`);
      el.viewers = BC_ENABLED;
      await el.updateComplete;
      shadowButton(el)!.click();
      await el.updateComplete;
      expect(statusText(el)).to.equal('A British Columbia health number is required to access CareConnect.');
      expect(openStub.calls).to.have.length(0);
    });

    it('names the province and viewer of the selected location', async () => {
      openStub = stubWindowOpen();
      const el = await button(html`<careconnect-button location-province="AB" account-province="BC" health-number="12"></careconnect-button>`);
      el.viewers = { 'ab-netcare': { launchUrl: TEST_VIEWER_URL } };
      await el.updateComplete;
      shadowButton(el)!.click();
      await el.updateComplete;
      expect(statusText(el)).to.equal('An Alberta health number is required to access Alberta Netcare Portal.');
    });

    it('never puts the number it rejected into the message or the event', async () => {
      openStub = stubWindowOpen();
      const el = await button(html`<careconnect-button location-province="BC" health-number="9698648215"></careconnect-button>`);
      el.viewers = BC_ENABLED;
      await el.updateComplete;
      setTimeout(() => shadowButton(el)!.click());
      const error = await oneEvent(el, 'careconnect-error');
      expect(JSON.stringify(error.detail)).not.to.match(/9698/);
      expect(el.shadowRoot!.innerHTML).not.to.match(/9698/);
    });

    it('is accessible while showing the message', async () => {
      openStub = stubWindowOpen();
      const el = await button(html`<careconnect-button location-province="BC"></careconnect-button>`);
      el.viewers = BC_ENABLED;
      await el.updateComplete;
      shadowButton(el)!.click();
      await el.updateComplete;
      await expect(el).to.be.accessible();
    });

    it('clears the message when the chart gets a valid number', async () => {
      openStub = stubWindowOpen();
      const el = await button(html`<careconnect-button location-province="BC"></careconnect-button>`);
      el.viewers = BC_ENABLED;
      await el.updateComplete;
      shadowButton(el)!.click();
      await el.updateComplete;
      el.healthNumber = VALID_PHN;
      await el.updateComplete;
      expect(statusText(el)).to.equal('');
      expect(el.getAttribute('state')).to.equal('idle');
    });
  });

  describe('with a valid health number', () => {
    async function readyButton(extra: Partial<CareConnectButton> = {}) {
      const el = await button(html`<careconnect-button location-province="BC" health-number=${VALID_PHN} patient-id="chart-17"></careconnect-button>`);
      el.viewers = BC_ENABLED;
      Object.assign(el, extra);
      await el.updateComplete;
      return el;
    }

    it('fires careconnect-launch, then opens the viewer synchronously in a named popup', async () => {
      openStub = stubWindowOpen();
      const el = await readyButton();
      const launches = recordEvents<CareConnectLaunchDetail>(el, 'careconnect-launch');
      shadowButton(el)!.click();
      // No await between the click and this line: the window must already be open.
      expect(openStub.calls).to.deep.equal([{ url: TEST_VIEWER_URL, name: 'careconnect-bc-careconnect', features: POPUP_FEATURES }]);
      expect(launches).to.have.length(1);
      expect(launches[0]!.cancelable).to.equal(true);
      expect(launches[0]!.bubbles && launches[0]!.composed).to.equal(true);
      expect(launches[0]!.detail).to.deep.equal({ viewerId: 'bc-careconnect', patientId: 'chart-17' });
      await el.updateComplete;
      expect(el.getAttribute('state')).to.equal('waiting');
      expect(statusText(el)).to.equal('');
    });

    it('keeps the health number out of the window name, the URL and the event', async () => {
      openStub = stubWindowOpen();
      const el = await readyButton();
      const launches = recordEvents(el, 'careconnect-launch');
      shadowButton(el)!.click();
      const everything = JSON.stringify([openStub.calls, launches.map((e) => e.detail)]);
      expect(everything).not.to.match(/9698\s?658\s?215/);
    });

    it("uses CareConnect's internet URL from outside the PPN when the EMR sets no launch URL", async () => {
      openStub = stubWindowOpen();
      const el = await readyButton({ network: 'internet', viewers: { 'bc-careconnect': {} } });
      shadowButton(el)!.click();
      expect(openStub.calls[0]?.url).to.equal('https://health.careconnect.ca/Welcome/Search');
    });

    it("uses CareConnect's PPN URL inside the PPN", async () => {
      openStub = stubWindowOpen();
      const el = await readyButton({ network: 'ppn', viewers: { 'bc-careconnect': {} } });
      shadowButton(el)!.click();
      expect(openStub.calls[0]?.url).to.equal('https://bc.careconnect.ca/Welcome/Search');
    });

    it('is accessible while waiting for the viewer', async () => {
      openStub = stubWindowOpen();
      const el = await readyButton();
      shadowButton(el)!.click();
      await el.updateComplete;
      await expect(el).to.be.accessible();
    });
  });

  describe('when the host cancels careconnect-launch', () => {
    it('opens nothing and stays idle', async () => {
      openStub = stubWindowOpen();
      const el = await button(html`<careconnect-button location-province="BC" health-number=${VALID_PHN}></careconnect-button>`);
      el.viewers = BC_ENABLED;
      el.addEventListener('careconnect-launch', (e) => e.preventDefault());
      await el.updateComplete;
      shadowButton(el)!.click();
      await el.updateComplete;
      expect(openStub.calls).to.have.length(0);
      expect(el.getAttribute('state')).to.equal('idle');
    });
  });

  describe('when the popup is blocked', () => {
    it('gives popup-blocked with a message a clinician can act on', async () => {
      openStub = stubWindowOpen('blocked');
      const el = await button(html`<careconnect-button location-province="BC" health-number=${VALID_PHN}></careconnect-button>`);
      el.viewers = BC_ENABLED;
      await el.updateComplete;
      const errors = recordEvents<CareConnectErrorDetail>(el, 'careconnect-error');
      shadowButton(el)!.click();
      await el.updateComplete;
      expect(errors.map((e) => e.detail.code)).to.deep.equal(['popup-blocked']);
      expect(statusText(el)).to.equal('The browser blocked the CareConnect window. Allow pop-ups for this site, then try again.');
      expect(el.getAttribute('state')).to.equal('error');
    });
  });

  describe('with the viewer window already open', () => {
    it('focuses the same window on a second click instead of opening another', async () => {
      openStub = stubWindowOpen();
      const el = await button(html`<careconnect-button location-province="BC" health-number=${VALID_PHN}></careconnect-button>`);
      el.viewers = BC_ENABLED;
      await el.updateComplete;
      shadowButton(el)!.click();
      shadowButton(el)!.click();
      expect(openStub.calls).to.have.length(1);
      expect(openStub.fake.focusCount).to.equal(1);
    });

    it('reuses one real popup, named after the viewer, across two clicks', async () => {
      const originalOpen = window.open;
      const opened: Window[] = [];
      window.open = ((...args: Parameters<typeof window.open>) => {
        const handle = originalOpen.apply(window, args);
        if (handle) opened.push(handle);
        return handle;
      }) as typeof window.open;
      try {
        const el = await button(html`<careconnect-button location-province="BC" health-number=${VALID_PHN}></careconnect-button>`);
        el.viewers = BC_ENABLED;
        await el.updateComplete;
        shadowButton(el)!.click();
        shadowButton(el)!.click();
        expect(opened).to.have.length(1);
        const popup = opened[0]!;
        expect(popup.name).to.equal('careconnect-bc-careconnect');
        await new Promise<void>((resolve) => {
          const check = () => (popup.location.pathname === '/test/fixtures/viewer.html' ? resolve() : setTimeout(check, 20));
          check();
        });
        expect(popup.document.title).to.equal('Test viewer');
      } finally {
        window.open = originalOpen;
      }
    });

    it('shares the window between two buttons for the same viewer', async () => {
      openStub = stubWindowOpen();
      const container = await fixture<HTMLDivElement>(html`<div>
        <careconnect-button location-province="BC" health-number=${VALID_PHN} .viewers=${BC_ENABLED}></careconnect-button>
        <careconnect-button location-province="BC" health-number=${VALID_PHN} .viewers=${BC_ENABLED}></careconnect-button>
      </div>`);
      const [first, second] = Array.from(container.querySelectorAll('careconnect-button'));
      await first!.updateComplete;
      await second!.updateComplete;
      shadowButton(first!)!.click();
      shadowButton(second!)!.click();
      expect(openStub.calls).to.have.length(1);
      expect(openStub.fake.focusCount).to.equal(1);
    });
  });
});
