// What a careless integrator or a hostile script on the EMR page can hand the element: polluted
// prototypes, a .viewers that throws or loops, odd demographics, absurd timeouts. Every one is a
// typed careconnect-error or a safe launch, never an uncaught exception or a stranger's URL.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/define.js';
import type { CareConnectButton } from '../../src/components/careconnect-button.js';
import type { CareConnectErrorDetail } from '../../src/components/events.js';
import { closeAllViewers, recordEvents, stubWindowOpen } from '../helpers.js';
import { withPollutedPrototype } from '../pollute.js';

const VALID_PHN = '9698 658 215';
const CARECONNECT_PPN = 'https://bc.careconnect.ca/Welcome/Search';

/** The README's quick start: attributes for the chart, CareConnect enabled with an organisation code. */
async function quickStart(viewers: unknown = { 'bc-careconnect': { organization: 'CLINIC01' } }) {
  const el = await fixture<CareConnectButton>(html`<careconnect-button location-province="BC" account-province="BC"
    health-number=${VALID_PHN} patient-id="chart-1001"></careconnect-button>`);
  el.viewers = viewers as CareConnectButton['viewers'];
  await el.updateComplete;
  return el;
}

const base = (el: CareConnectButton) => el.shadowRoot!.querySelector<HTMLButtonElement>('button[part~="base"]')!;

/** Records each form the session submits (action and fields) instead of sending it anywhere. */
function captureFormPosts() {
  const posts: Array<{ action: string; target: string; fields: Record<string, string> }> = [];
  const original = HTMLFormElement.prototype.submit;
  HTMLFormElement.prototype.submit = function (this: HTMLFormElement) {
    posts.push({ action: this.action, target: this.target, fields: Object.fromEntries(new FormData(this)) as Record<string, string> });
  };
  return { posts, restore: () => void (HTMLFormElement.prototype.submit = original) };
}

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
    withPollutedPrototype({ launchUrl: 'https://evil.example/x', organization: 'EVIL', transport: 'post-message' }, () => base(el).click());
    expect(forms.posts.map((post) => post.action)).to.deep.equal([CARECONNECT_PPN]);
    expect(forms.posts[0]!.fields).not.to.have.property('o');
  });

  it('enables no viewer the host did not list', async () => {
    const el = await quickStart({ 'ab-netcare': {} });
    const errors = recordEvents<CareConnectErrorDetail>(el, 'careconnect-error');
    withPollutedPrototype({ 'bc-careconnect': { launchUrl: 'https://evil.example/x', transport: 'form-post' } }, () => base(el).click());
    expect(errors.map((e) => e.detail.code)).to.deep.equal(['not-configured']);
    expect(openStub.calls).to.have.length(0);
    expect(forms.posts).to.have.length(0);
  });
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
      base(el).click();
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
    base(el).click();
    await el.updateComplete;
    uncaught.stop();
    expect(uncaught.seen).to.deep.equal([]);
    expect(forms.posts.map((post) => post.fields.o)).to.deep.equal(['CLINIC01']);
    expect(el.getAttribute('state')).to.equal('showing');
  });
});
