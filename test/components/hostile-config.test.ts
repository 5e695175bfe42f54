// What a careless integrator or a hostile script on the EMR page can hand the element: polluted
// prototypes, a .viewers that throws or loops, odd demographics, absurd timeouts. Every one is a
// typed careconnect-error or a safe launch, never an uncaught exception or a stranger's URL.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/define.js';
import type { CareConnectButton } from '../../src/components/careconnect-button.js';
import type { CareConnectErrorDetail } from '../../src/components/events.js';
import { message } from '../../src/components/messages.js';
import type { TokenRequest } from '../../src/core/launch-context.js';
import { VIEWERS } from '../../src/core/viewers.js';
import { closeAllViewers, recordEvents, stubWindowOpen, waitFor } from '../helpers/browser.js';
import { withPollutedPrototype } from '../pollute.js';
import { POLLUTANTS, everyKeySetTo } from '../polluted-keys.js';
import { baseButton as base, statusText } from '../helpers/element.js';

const VALID_PHN = '9698 658 215';
const CARECONNECT_PPN = 'https://bc.careconnect.ca/Welcome/Search';
/** A protocol viewer that never answers (window.open is stubbed): the launch waits for it. */
const PROTOCOL_VIEWER = { 'bc-careconnect': { launchUrl: new URL('/test/fixtures/viewer.html', location.href).href, transport: 'post-message' } } as const;

/** The README's quick start: attributes for the chart, CareConnect enabled with an organisation code. */
async function quickStart(viewers: unknown = { 'bc-careconnect': { organization: 'CLINIC01' } }) {
  const el = await fixture<CareConnectButton>(html`<careconnect-button location-province="BC" account-province="BC"
    health-number=${VALID_PHN} patient-id="chart-1001"></careconnect-button>`);
  el.viewers = viewers as CareConnectButton['viewers'];
  await el.updateComplete;
  return el;
}


/** Records each form the session submits (action and fields) instead of sending it anywhere. */
function captureFormPosts() {
  const posts: Array<{ action: string; target: string; fields: Record<string, string> }> = [];
  const original = HTMLFormElement.prototype.submit;
  HTMLFormElement.prototype.submit = function (this: HTMLFormElement) {
    posts.push({ action: this.action, target: this.target, fields: Object.fromEntries(new FormData(this)) as Record<string, string> });
  };
  return { posts, restore: () => void (HTMLFormElement.prototype.submit = original) };
}

/** The POST's code loads on the first form-post launch: the form goes once it has. */
const posted = () => waitFor(() => forms.posts.length > 0, 'the form POST');

/** Uncaught exceptions on the page during a test (a click handler that throws reports here). */
function recordUncaught() {
  const seen: string[] = [];
  const onError = (event: ErrorEvent) => {
    seen.push(event.message);
    event.preventDefault();
  };
  window.addEventListener('error', onError);
  return { seen, stop: () => window.removeEventListener('error', onError) };
}

let openStub: ReturnType<typeof stubWindowOpen>;
let forms: ReturnType<typeof captureFormPosts>;
beforeEach(() => {
  openStub = stubWindowOpen();
  forms = captureFormPosts();
});
afterEach(() => {
  closeAllViewers();
  openStub.restore();
  forms.restore();
});

describe('with Object.prototype polluted', () => {
  it('posts to the launch URL the host configured, never one inherited from the prototype', async () => {
    const el = await quickStart({ 'bc-careconnect': {} });
    withPollutedPrototype({ launchUrl: 'https://evil.example/x', organization: 'EVIL', transport: 'post-message' }, () => base(el)!.click());
    await posted();
    expect(forms.posts.map((post) => post.action)).to.deep.equal([CARECONNECT_PPN]);
    expect(forms.posts[0]!.fields).not.to.have.property('o');
  });

  it('shows no message from the prototype while the French catalog is not loaded', () => {
    const text = withPollutedPrototype({ fr: { messages: { 'not-configured': 'Call 555-0100 to enable {viewer}.' }, provinces: {} } },
      () => message('not-configured', VIEWERS['bc-careconnect'], 'fr'));
    expect(text).to.equal('BC CareConnect is not set up in this EMR. Ask your EMR administrator to enable it.');
  });

  it('enables no viewer the host did not list', async () => {
    const el = await quickStart({ 'ab-netcare': {} });
    const errors = recordEvents<CareConnectErrorDetail>(el, 'careconnect-error');
    withPollutedPrototype({ 'bc-careconnect': { launchUrl: 'https://evil.example/x', transport: 'form-post' } }, () => base(el)!.click());
    expect(errors.map((e) => e.detail.code)).to.deep.equal(['not-configured']);
    expect(openStub.calls).to.have.length(0);
    expect(forms.posts).to.have.length(0);
  });

  it('sends no demographics the chart does not have', async () => {
    const el = await quickStart();
    el.patient = { id: 'chart-1001' };
    await el.updateComplete;
    withPollutedPrototype({ givenName: 'Mallory', familyName: 'Evil', birthDate: '1970-01-01', gender: 'male' }, () => base(el)!.click());
    await posted();
    expect(forms.posts.map((post) => post.fields)).to.deep.equal([{ phn: '9698658215', g: 'U', o: 'CLINIC01' }]);
  });
});

describe('with every key the code reads polluted during the click', () => {
  /** Set-ups a click may meet: CareConnect's own URL, a viewer with no URL (form POST, or protocol from the internet), a protocol viewer. */
  const setUps: Array<{ label: string; province: string; viewers: unknown; network?: string; posts?: true }> = [
    { label: 'CareConnect by form POST', province: 'BC', viewers: { 'bc-careconnect': { organization: 'CLINIC01' } }, posts: true },
    { label: 'Alberta Netcare with no launch URL, by form POST', province: 'AB', viewers: { 'ab-netcare': { launchUrl: undefined, transport: 'form-post' } } },
    { label: 'Alberta Netcare with no launch URL, from the internet', province: 'AB', viewers: { 'ab-netcare': { launchUrl: undefined, transport: 'post-message' } }, network: 'internet' },
    { label: 'a protocol viewer', province: 'BC', viewers: PROTOCOL_VIEWER },
  ];

  /** One click (polluted by `pollution`, if any): where windows open, what is posted, the events and the state. */
  async function outcome({ province, viewers, network = 'ppn', posts }: (typeof setUps)[number], pollution?: Record<string, unknown>) {
    closeAllViewers();
    openStub.restore();
    openStub = stubWindowOpen();
    forms.posts.length = 0;
    const el = await fixture<CareConnectButton>(html`<careconnect-button location-province=${province} network=${network}
      health-number=${province === 'BC' ? VALID_PHN : '12345-6789'} patient-id="chart-1001" given-name="Maple"></careconnect-button>`);
    el.viewers = viewers as CareConnectButton['viewers'];
    el.tokenProvider = async () => 'test-token';
    await el.updateComplete;
    // Read after the click: this listener runs inside the polluted click, and a launch's detail has no code.
    const heard: CustomEvent[] = [];
    for (const type of ['launch', 'error', 'ready', 'accept']) el.addEventListener(`careconnect-${type}`, (e) => heard.push(e as CustomEvent));
    if (pollution) withPollutedPrototype(pollution, () => base(el)!.click());
    else base(el)!.click();
    await el.updateComplete;
    if (posts) await posted();
    const events = heard.map((e) => `${e.type} ${Object.hasOwn(e.detail, 'code') ? e.detail.code : ''}`);
    return { opened: openStub.calls.map((call) => call.url), posts: forms.posts.map(({ action, fields }) => ({ action, fields })), events, state: el.getAttribute('state') };
  }

  for (const setUp of setUps) {
    it(`${setUp.label}: the same windows, POST, events and state as with a clean prototype`, async () => {
      const clean = await outcome(setUp);
      for (const value of POLLUTANTS) {
        expect(await outcome(setUp, everyKeySetTo(value)), `every key set to ${String(value)}`).to.deep.equal(clean);
      }
    });
  }
});

describe('with a .viewers that throws or loops', () => {
  const throwing = (key: string) => Object.defineProperty({}, key, { enumerable: true, get: () => { throw new Error('getter'); } });

  const broken: Array<[string, () => unknown]> = [
    ['a getter that throws for the viewer', () => throwing('bc-careconnect')],
    ['a viewer entry whose launchUrl getter throws', () => ({ 'bc-careconnect': throwing('launchUrl') })],
    ['a revoked proxy', () => {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return proxy;
    }],
    ['a launchUrl that is not a string', () => ({ 'bc-careconnect': { launchUrl: { href: 'https://evil.example/' } } })],
    ['an unknown transport', () => ({ 'bc-careconnect': { transport: 'smoke-signals' } })],
  ];
  for (const [label, viewers] of broken) {
    it(`gives not-configured for ${label}, with no uncaught exception and no window`, async () => {
      const uncaught = recordUncaught();
      const el = await quickStart(viewers());
      const errors = recordEvents<CareConnectErrorDetail>(el, 'careconnect-error');
      base(el)!.click();
      await el.updateComplete;
      uncaught.stop();
      expect(uncaught.seen).to.deep.equal([]);
      expect(errors.map((e) => e.detail.code)).to.deep.equal(['not-configured']);
      expect(el.getAttribute('state')).to.equal('error');
      expect(openStub.calls).to.have.length(0);
    });
  }

  it('launches from a viewer entry that refers to itself, reading only its own fields', async () => {
    const uncaught = recordUncaught();
    const entry: Record<string, unknown> = { organization: 'CLINIC01' };
    entry.self = entry;
    const el = await quickStart({ 'bc-careconnect': entry });
    base(el)!.click();
    await el.updateComplete;
    await posted();
    uncaught.stop();
    expect(uncaught.seen).to.deep.equal([]);
    expect(forms.posts.map((post) => post.fields.o)).to.deep.equal(['CLINIC01']);
    expect(el.getAttribute('state')).to.equal('showing');
  });
});

describe('with demographics as EMRs send them', () => {
  /** A protocol viewer, so the token provider shows the launch context the back end would sign. */
  async function launchContext(template: ReturnType<typeof html>, patient?: unknown) {
    const el = await fixture<CareConnectButton>(template);
    const requests: TokenRequest[] = [];
    el.viewers = PROTOCOL_VIEWER;
    el.tokenProvider = async (request) => {
      requests.push(request);
      return 'test-token';
    };
    if (patient !== undefined) el.patient = patient as CareConnectButton['patient'];
    await el.updateComplete;
    base(el)!.click();
    return (await waitFor(() => requests[0], 'the token request')).ctx.patient;
  }

  const genders: Array<[string, string]> = [['F', 'female'], ['m', 'male'], ['O', 'other'], ['u', 'unknown'], ['Female', 'female'], [' MALE ', 'male']];
  for (const [sent, gender] of genders) {
    it(`reads gender="${sent}" as ${gender}`, async () => {
      const patient = await launchContext(html`<careconnect-button location-province="BC" health-number=${VALID_PHN} patient-id="c1" gender=${sent}></careconnect-button>`);
      expect(patient).to.deep.equal({ id: 'c1', gender });
    });
  }

  it('reads a numeric chart id as a string', async () => {
    const patient = await launchContext(html`<careconnect-button location-province="BC" health-number=${VALID_PHN}></careconnect-button>`, { id: 1001, gender: 'F' });
    expect(patient).to.deep.equal({ id: '1001', gender: 'female' });
  });

  it('posts g=F for gender="F"', async () => {
    const el = await quickStart();
    el.gender = 'F' as never;
    await el.updateComplete;
    base(el)!.click();
    await posted();
    expect(forms.posts.map((post) => post.fields.g)).to.deep.equal(['F']);
  });
});

describe('with demographics the viewer would refuse', () => {
  const refused: Array<[string, Record<string, unknown>]> = [
    ['gender="X"', { gender: 'X' }],
    ['gender="toString"', { gender: 'toString' }],
    ['gender="__proto__"', { gender: '__proto__' }],
    ['gender="constructor"', { gender: 'constructor' }],
    ['a birth date that is not ISO', { birthDate: '12/04/1958' }],
    ['a birth date that does not exist', { birthDate: '1958-02-30' }],
    ['a chart id that is an object', { patientId: null, patient: { id: { value: 1001 } } }],
    ['a chart id that is not a whole number', { patientId: null, patient: { id: 10.5 } }],
    ['a given name that is not a string', { patient: { givenName: ['Maple'] } }],
    ['a .patient whose getter throws', { patient: Object.defineProperty({}, 'gender', { enumerable: true, get: () => { throw new Error('getter'); } }) }],
  ];
  for (const [label, props] of refused) {
    it(`refuses ${label} at the click, before any window or event, with a message a clinician can act on`, async () => {
      const uncaught = recordUncaught();
      const el = await quickStart();
      Object.assign(el, props);
      await el.updateComplete;
      const errors = recordEvents<CareConnectErrorDetail>(el, 'careconnect-error');
      const launches = recordEvents(el, 'careconnect-launch');
      base(el)!.click();
      await el.updateComplete;
      uncaught.stop();
      const message = "CareConnect cannot take this chart's name, birth date, gender or ID. Check them, or contact your EMR support.";
      expect(errors).to.have.length(1);
      expect(errors[0]!.detail).to.deep.include({ code: 'demographics-invalid', message, viewerId: 'bc-careconnect' });
      expect(statusText(el)).to.equal(message);
      expect(el.getAttribute('state')).to.equal('error');
      expect(launches).to.have.length(0);
      expect(openStub.calls).to.have.length(0);
      expect(forms.posts).to.have.length(0);
      expect(uncaught.seen).to.deep.equal([]);
    });
  }
});

describe('with a timeout longer than a timer can hold', () => {
  const timeouts: Array<[string, number]> = [['3000000000', 3e9], ['Infinity', Infinity], ['2^31 ms', 2 ** 31]];
  for (const [label, timeout] of timeouts) {
    it(`waits for the viewer with timeout=${label}, instead of timing out at once`, async () => {
      const el = await quickStart(PROTOCOL_VIEWER);
      el.tokenProvider = async () => 'test-token';
      el.timeout = timeout;
      await el.updateComplete;
      const errors = recordEvents<CareConnectErrorDetail>(el, 'careconnect-error');
      base(el)!.click();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(errors.map((e) => e.detail.code)).to.deep.equal([]);
      expect(el.getAttribute('state')).to.equal('opening');
    });
  }

  it('reads the attribute timeout="3000000000" the same way', async () => {
    const el = await fixture<CareConnectButton>(html`<careconnect-button location-province="BC" health-number=${VALID_PHN} timeout="3000000000"></careconnect-button>`);
    el.viewers = PROTOCOL_VIEWER;
    el.tokenProvider = async () => 'test-token';
    await el.updateComplete;
    const errors = recordEvents<CareConnectErrorDetail>(el, 'careconnect-error');
    base(el)!.click();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(errors).to.have.length(0);
  });
});

describe('with the patient set as properties, as the README advises', () => {
  it('puts no health number or name into the DOM, before or after a click', async () => {
    const el = await fixture<CareConnectButton>(html`<careconnect-button location-province="BC"></careconnect-button>`);
    el.viewers = { 'bc-careconnect': { organization: 'CLINIC01' } };
    Object.assign(el, { healthNumber: VALID_PHN, patient: { givenName: 'Maple', familyName: 'Sandbox', birthDate: '1958-04-12', gender: 'female' } });
    await el.updateComplete;
    base(el)!.click();
    await el.updateComplete;
    await posted();
    expect(forms.posts.map((post) => post.fields.fn)).to.deep.equal(['Maple']);
    const markup = `${document.body.outerHTML} ${el.shadowRoot!.innerHTML}`;
    expect(markup).not.to.match(/9698|658 215|Maple|Sandbox|1958/);
  });
});
