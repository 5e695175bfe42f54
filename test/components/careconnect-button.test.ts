import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/components/define.js';
import type { CareConnectButton } from '../../src/components/careconnect-button.js';
import type { CareConnectErrorDetail, CareConnectLaunchDetail } from '../../src/components/events.js';
import type { TokenRequest } from '../../src/core/launch-context.js';
import { POPUP_FEATURES, viewerWindowName } from '../../src/session/viewer-session.js';
import { closeAllViewers, recordEvents, spyOnWindowOpen, stubWindowOpen, waitFor } from '../helpers/browser.js';
import { baseButton as shadowButton, statusText } from '../helpers/element.js';

const VALID_PHN = '9698 658 215';
const TEST_VIEWER_URL = new URL('/test/fixtures/viewer.html', location.href).href;
const BC_ENABLED = { 'bc-careconnect': { launchUrl: TEST_VIEWER_URL, transport: 'post-message' as const } };
const tokenProvider = async () => 'test-token';

async function button(template = html`<careconnect-button></careconnect-button>`) {
  const el = await fixture<CareConnectButton>(template);
  el.tokenProvider = tokenProvider;
  await el.updateComplete;
  return el;
}


let openStub: ReturnType<typeof stubWindowOpen> | null = null;
afterEach(() => {
  closeAllViewers();
  openStub?.restore();
  openStub = null;
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

    it('looks like an enabled one until clicked, and the README\'s `hidden` rule hides it', async () => {
      const el = await button(html`<careconnect-button location-province="AB" account-province="BC"></careconnect-button>`);
      el.viewers = BC_ENABLED;
      await el.updateComplete;
      const hideIfNotEnabled = () => {
        const viewer = el.viewer;
        el.hidden = !viewer || !Object.hasOwn(el.viewers ?? {}, viewer.id);
      };
      expect(el.getAttribute('state')).to.equal('idle');
      hideIfNotEnabled();
      await el.updateComplete;
      expect(getComputedStyle(el).display).to.equal('none');
      el.locationProvince = 'BC';
      hideIfNotEnabled();
      await el.updateComplete;
      expect(el.getAttribute('state')).to.equal('idle');
      expect(getComputedStyle(el).display).to.equal('inline-flex');
    });

    it('refuses plain http to anywhere but this machine: the health number may travel there', async () => {
      openStub = stubWindowOpen();
      const el = await button(html`<careconnect-button location-province="BC" health-number=${VALID_PHN}></careconnect-button>`);
      el.viewers = { 'bc-careconnect': { launchUrl: 'http://viewer.example/launch', transport: 'form-post' } };
      await el.updateComplete;
      const errors = recordEvents<CareConnectErrorDetail>(el, 'careconnect-error');
      shadowButton(el)!.click();
      expect(errors.map((e) => e.detail.code)).to.deep.equal(['not-configured']);
      expect(openStub.calls).to.have.length(0);
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
    /** A BC button clicked with no health number: it shows the required-number message. */
    async function clickedWithoutNumber() {
      openStub = stubWindowOpen();
      const el = await button(html`<careconnect-button location-province="BC"></careconnect-button>`);
      el.viewers = BC_ENABLED;
      await el.updateComplete;
      shadowButton(el)!.click();
      await el.updateComplete;
      return el;
    }

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
        expect(errors).to.have.length(1);
        expect(errors[0]!.detail).to.deep.include({ code: 'health-number-required', message, viewerId: 'bc-careconnect' });
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

    it("reads health-number-province loosely (' bc'), and a non-string one as not this province, without throwing", async () => {
      openStub = stubWindowOpen();
      const el = await button(html`<careconnect-button location-province="BC" health-number=${VALID_PHN} health-number-province=" bc"></careconnect-button>`);
      el.viewers = BC_ENABLED;
      await el.updateComplete;
      const errors = recordEvents<CareConnectErrorDetail>(el, 'careconnect-error');
      shadowButton(el)!.click();
      expect(openStub.calls).to.have.length(1);
      closeAllViewers();
      (el as unknown as { healthNumberProvince: unknown }).healthNumberProvince = 42;
      await el.updateComplete;
      shadowButton(el)!.click();
      expect(errors.map((e) => e.detail.code)).to.deep.equal(['health-number-required']);
    });

    it('clears the message when the chart corrects health-number-province', async () => {
      openStub = stubWindowOpen();
      const el = await button(html`<careconnect-button location-province="BC" health-number=${VALID_PHN} health-number-province="AB"></careconnect-button>`);
      el.viewers = BC_ENABLED;
      await el.updateComplete;
      shadowButton(el)!.click();
      await el.updateComplete;
      expect(el.getAttribute('state')).to.equal('error');
      el.healthNumberProvince = 'BC';
      await el.updateComplete;
      expect(el.getAttribute('state')).to.equal('idle');
      expect(statusText(el)).to.equal('');
    });

    it('clears the message after logout() once the chart is corrected', async () => {
      openStub = stubWindowOpen();
      const el = await button(html`<careconnect-button location-province="BC"></careconnect-button>`);
      el.viewers = BC_ENABLED;
      await el.updateComplete;
      shadowButton(el)!.click();
      el.logout();
      el.healthNumber = VALID_PHN;
      await el.updateComplete;
      expect(el.getAttribute('state')).to.equal('idle');
      expect(statusText(el)).to.equal('');
    });

    it('keeps the message when the host re-assigns an equal .viewers, as a re-rendering framework does', async () => {
      const el = await clickedWithoutNumber();
      el.viewers = JSON.parse(JSON.stringify(BC_ENABLED));
      el.givenName = 'Maple';
      await el.updateComplete;
      expect(statusText(el)).to.equal('A British Columbia health number is required to access CareConnect.');
    });

    it('keeps its live region in the accessibility tree before any message, so the first one is announced', async () => {
      const el = await button(html`<careconnect-button location-province="BC"></careconnect-button>`);
      const region = el.shadowRoot!.querySelector('[role="status"]')!;
      expect(getComputedStyle(region).display).not.to.equal('none');
      expect(getComputedStyle(region).visibility).not.to.equal('hidden');
      expect(region.textContent?.trim()).to.equal('');
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
      const el = await clickedWithoutNumber();
      await expect(el).to.be.accessible();
    });

    it('hides the message at another viewer\'s location, and shows it again back on the same chart', async () => {
      const el = await clickedWithoutNumber();
      const required = 'A British Columbia health number is required to access CareConnect.';
      expect(statusText(el)).to.equal(required);
      el.locationProvince = 'AB';
      await el.updateComplete;
      expect(statusText(el)).to.equal('');
      expect(el.getAttribute('state')).to.equal('idle');
      el.locationProvince = 'BC';
      await el.updateComplete;
      expect(statusText(el)).to.equal(required);
      expect(el.getAttribute('state')).to.equal('error');
    });

    it('drops the message when the chart changed while at another viewer\'s location', async () => {
      const el = await clickedWithoutNumber();
      el.locationProvince = 'AB';
      await el.updateComplete;
      el.healthNumber = VALID_PHN;
      el.locationProvince = 'BC';
      await el.updateComplete;
      expect(statusText(el)).to.equal('');
      expect(el.getAttribute('state')).to.equal('idle');
    });

    it('clears the message when the chart gets a valid number', async () => {
      const el = await clickedWithoutNumber();
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

    it('focuses the window, and relaunches nothing, on a click for the patient on its way there after an earlier failure', async () => {
      openStub = stubWindowOpen();
      const el = await readyButton();
      const launches = recordEvents<CareConnectLaunchDetail>(el, 'careconnect-launch');
      shadowButton(el)!.click();
      el.healthNumber = '9698648215';
      await el.updateComplete;
      shadowButton(el)!.click(); // health-number-required
      el.healthNumber = VALID_PHN;
      await el.updateComplete;
      shadowButton(el)!.click();
      expect(openStub.fake.focusCount).to.equal(1);
      expect(launches).to.have.length(1);
      expect(openStub.calls).to.have.length(1);
    });

    it('fires careconnect-launch, then opens the viewer synchronously in a named popup', async () => {
      openStub = stubWindowOpen();
      const el = await readyButton();
      const launches = recordEvents<CareConnectLaunchDetail>(el, 'careconnect-launch');
      const stub = openStub;
      let windowsWhenLaunchFired = -1;
      el.addEventListener('careconnect-launch', () => (windowsWhenLaunchFired = stub.calls.length));
      shadowButton(el)!.click();
      expect(windowsWhenLaunchFired, 'careconnect-launch fires before the window opens').to.equal(0);
      // No await between the click and these lines: the window must already be open and navigating.
      expect(openStub.calls).to.deep.equal([{ url: '', name: viewerWindowName('bc-careconnect'), features: POPUP_FEATURES }]);
      expect(openStub.fake.navigations).to.deep.equal([TEST_VIEWER_URL]);
      expect(launches).to.have.length(1);
      expect(launches[0]!.cancelable).to.equal(true);
      expect(launches[0]!.bubbles && launches[0]!.composed).to.equal(true);
      expect(launches[0]!.detail).to.have.keys('viewerId', 'patientId', 'requestId').and.deep.include({ viewerId: 'bc-careconnect', patientId: 'chart-17' });
      await el.updateComplete;
      expect(el.getAttribute('state')).to.equal('opening');
      expect(shadowButton(el)!.getAttribute('aria-busy')).to.equal('true');
      expect(getComputedStyle(shadowButton(el)!).cursor, 'the pointer shows the wait').to.equal('progress');
      // The status region, a polite live region, says so.
      expect(statusText(el)).to.equal('Opening CareConnect…');
      expect(el.shadowRoot!.querySelector('[part~="status"]')!.getAttribute('role')).to.equal('status');
    });

    it('asks the token provider only after the window is open', async () => {
      openStub = stubWindowOpen();
      const el = await readyButton();
      const order: string[] = [];
      const stub = openStub;
      el.tokenProvider = async () => {
        order.push(`token (window opened: ${stub.calls.length})`);
        return 'test-token';
      };
      shadowButton(el)!.click();
      await waitFor(() => order.length, 'the token request');
      expect(order).to.deep.equal(['token (window opened: 1)']);
    });

    it('gives the token provider the launch context, with demographics from attributes and .patient', async () => {
      openStub = stubWindowOpen();
      const el = await readyButton({ givenName: 'Maple', patient: { familyName: 'Sandbox', birthDate: '1958-04-12', gender: 'female' } });
      el.userRole = 'staff';
      el.network = 'internet';
      const requests: unknown[] = [];
      el.tokenProvider = async (request) => {
        requests.push(request);
        return 'test-token';
      };
      shadowButton(el)!.click();
      await waitFor(() => requests.length, 'the token request');
      expect(requests[0]).to.deep.equal({
        requestId: (requests[0] as TokenRequest).requestId, // diagnostics.test.ts: the launch's id
        viewerId: 'bc-careconnect',
        audience: 'bc-careconnect',
        ctx: {
          healthNumber: { province: 'BC', value: '9698658215' },
          patient: { id: 'chart-17', givenName: 'Maple', familyName: 'Sandbox', birthDate: '1958-04-12', gender: 'female' },
          location: { province: 'BC' },
          user: { role: 'staff' },
          network: 'internet',
        },
      });
    });

    it('gives not-configured, before opening anything, when a protocol viewer has no token provider', async () => {
      openStub = stubWindowOpen();
      const el = await readyButton({ tokenProvider: null });
      const errors = recordEvents<CareConnectErrorDetail>(el, 'careconnect-error');
      shadowButton(el)!.click();
      expect(errors.map((e) => e.detail.code)).to.deep.equal(['not-configured']);
      expect(openStub.calls).to.have.length(0);
    });

    it('keeps the health number out of the window name, the URL and the event', async () => {
      openStub = stubWindowOpen();
      const el = await readyButton();
      const launches = recordEvents(el, 'careconnect-launch');
      shadowButton(el)!.click();
      const everything = JSON.stringify([openStub.calls, openStub.fake.navigations, launches.map((e) => e.detail)]);
      expect(everything).not.to.match(/9698\s?658\s?215/);
    });

    it("uses CareConnect's internet URL from outside the PPN when the EMR sets no launch URL", async () => {
      openStub = stubWindowOpen();
      const el = await readyButton({ network: 'internet', viewers: { 'bc-careconnect': { transport: 'post-message' } } });
      shadowButton(el)!.click();
      expect(openStub.fake.navigations).to.deep.equal(['https://health.careconnect.ca/Welcome/Search']);
    });

    it("reads network='Internet' as the internet", async () => {
      openStub = stubWindowOpen();
      const el = await readyButton({ network: 'Internet' as never, viewers: { 'bc-careconnect': { transport: 'post-message' } } });
      shadowButton(el)!.click();
      expect(openStub.fake.navigations).to.deep.equal(['https://health.careconnect.ca/Welcome/Search']);
    });

    it("uses CareConnect's PPN URL inside the PPN", async () => {
      openStub = stubWindowOpen();
      const el = await readyButton({ network: 'ppn', viewers: { 'bc-careconnect': { transport: 'post-message' } } });
      shadowButton(el)!.click();
      expect(openStub.fake.navigations).to.deep.equal(['https://bc.careconnect.ca/Welcome/Search']);
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
      const errors = recordEvents(el, 'careconnect-error');
      shadowButton(el)!.click();
      await el.updateComplete;
      expect(openStub.calls).to.have.length(0);
      expect(errors).to.have.length(0);
      expect(el.getAttribute('state')).to.equal('idle');
      expect(statusText(el)).to.equal('');
    });
  });

  describe('when the popup is blocked', () => {
    async function blockedButton() {
      openStub = stubWindowOpen('blocked');
      const el = await button(html`<careconnect-button location-province="BC" health-number=${VALID_PHN}></careconnect-button>`);
      el.viewers = BC_ENABLED;
      await el.updateComplete;
      return el;
    }

    it('gives popup-blocked with a message a clinician can act on', async () => {
      const el = await blockedButton();
      const errors = recordEvents<CareConnectErrorDetail>(el, 'careconnect-error');
      shadowButton(el)!.click();
      await el.updateComplete;
      expect(errors.map((e) => e.detail.code)).to.deep.equal(['popup-blocked']);
      expect(statusText(el)).to.equal('The browser blocked the CareConnect window. Allow pop-ups for this site, then try again. Try again');
      expect(el.getAttribute('state')).to.equal('error');
    });

    it('offers a keyboard-reachable "Try again" button that opens the window once popups are allowed', async () => {
      const el = await blockedButton();
      shadowButton(el)!.click();
      await el.updateComplete;
      const retry = el.shadowRoot!.querySelector<HTMLButtonElement>('button[part~="retry"]');
      expect(retry?.textContent).to.equal('Try again');
      expect(retry?.tabIndex).to.equal(0);
      await expect(el).to.be.accessible();
      openStub!.restore();
      openStub = stubWindowOpen();
      retry!.click();
      expect(openStub.calls).to.have.length(1);
      await el.updateComplete;
      expect(el.getAttribute('state')).to.equal('opening');
      expect(el.shadowRoot!.querySelector('button[part~="retry"]')).to.equal(null);
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
      const spy = spyOnWindowOpen();
      try {
        const el = await button(html`<careconnect-button location-province="BC" health-number=${VALID_PHN}></careconnect-button>`);
        el.viewers = BC_ENABLED;
        await el.updateComplete;
        shadowButton(el)!.click();
        shadowButton(el)!.click();
        expect(spy.opened).to.have.length(1);
        const popup = spy.opened[0]!;
        // The viewer, then a random part only this EMR's chart windows know (from sessionStorage): no patient identifier.
        expect(popup.name).to.equal(viewerWindowName('bc-careconnect'));
        expect(popup.name).to.match(/^careconnect-bc-careconnect-\d+(x\d+){3}$/);
        expect(popup.name.endsWith(sessionStorage.getItem('careconnect-window')!)).to.equal(true);
        await waitFor(() => popup.location.pathname === '/test/fixtures/viewer.html', 'the viewer page');
        await waitFor(() => popup.document.title === 'Test viewer', 'the viewer title');
      } finally {
        spy.restore();
      }
    });

    it('shares the window between two buttons for the same viewer', async () => {
      openStub = stubWindowOpen();
      const container = await fixture<HTMLDivElement>(html`<div>
        <careconnect-button location-province="BC" health-number=${VALID_PHN} .viewers=${BC_ENABLED} .tokenProvider=${tokenProvider}></careconnect-button>
        <careconnect-button location-province="BC" health-number=${VALID_PHN} .viewers=${BC_ENABLED} .tokenProvider=${tokenProvider}></careconnect-button>
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
