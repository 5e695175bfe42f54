// Issue 21, item 2: what a host has to diagnose a launch, as it sees it. One `requestId` per launch in
// each event and in the token request; `cause` on a failed token; `launchTarget`; the opt-in `.logger`;
// and no health number or name in any of them.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/define.js';
import type { CareConnectButton } from '../../src/components/careconnect-button.js';
import type { TokenRequest } from '../../src/core/launch-context.js';
import { REQUEST_ID } from '../../src/core/protocol.js';
import { createTokenHandler, type MintRecord } from '../../src/server/index.js';
import { decodeJwt, generateKeyPair } from 'jose';
import { closeAllViewers, collectViewerReports, spyOnWindowOpen, stubWindowOpen, testViewerOrigin, waitFor } from '../helpers/browser.js';
import { click } from '../helpers/element.js';

const PHN = '9698 658 215';
const PATIENT = { healthNumber: PHN, patientId: 'chart-17', givenName: 'Maple', familyName: 'Sandbox', birthDate: '1958-04-12', gender: 'female' as const };
/** Patient data that must never reach an event or the logger: the number in any grouping, the names, the birth date. */
const PHI = /9698\D?658\D?215|Maple|Sandbox|1958-?04-?12/;
const EVENT_TYPES = ['launch', 'ready', 'match', 'accept', 'reject', 'close', 'error'].map((t) => `careconnect-${t}`);
const TEST_VIEWER_URL = new URL('/test/fixtures/viewer.html', location.href).href;

let origin: string;
let viewer: ReturnType<typeof collectViewerReports>;
let spy: ReturnType<typeof spyOnWindowOpen> | null = null;
let openStub: ReturnType<typeof stubWindowOpen> | null = null;

beforeEach(async () => {
  origin = await testViewerOrigin();
  viewer = collectViewerReports();
});

afterEach(() => {
  closeAllViewers();
  spy?.restore();
  openStub?.restore();
  spy = openStub = null;
  viewer.stop();
});

/** A BC button for PATIENT; `query` goes to the real test viewer on the second origin (`auto=accept`: it accepts at once). */
async function launcher(query: string | null, extra: Partial<CareConnectButton> = {}) {
  const el = await fixture<CareConnectButton>(html`<careconnect-button location-province="BC"></careconnect-button>`);
  const requests: TokenRequest[] = [];
  const logged: unknown[][] = [];
  Object.assign(el, PATIENT, {
    viewers: { 'bc-careconnect': { launchUrl: query === null ? TEST_VIEWER_URL : `${origin}/viewer.html?${query}`, transport: 'post-message' } },
    tokenProvider: async (request: TokenRequest) => {
      requests.push(request);
      return `token-${requests.length}`;
    },
    logger: { debug: (...data: unknown[]) => void logged.push(data) },
    ...extra,
  });
  await el.updateComplete;
  const events: Array<{ type: string; detail: any }> = [];
  for (const type of EVENT_TYPES) el.addEventListener(type, (e) => events.push({ type, detail: (e as CustomEvent).detail }));
  const error = () => waitFor(() => events.find((e) => e.type === 'careconnect-error'), 'careconnect-error');
  return { el, events, requests, logged, error };
}

/** A launch the real test viewer accepts at once, up to its careconnect-accept. */
async function acceptedLaunch() {
  spy = spyOnWindowOpen();
  const launch = await launcher('auto=accept');
  click(launch.el);
  await waitFor(() => launch.events.some((e) => e.type === 'careconnect-accept'), 'careconnect-accept');
  return launch;
}

const launchesReceived = () => viewer.reports.filter((r) => r.received?.type === 'launch');
const command = (testCommand: unknown) => spy!.opened[0]!.postMessage({ testCommand }, origin);

describe('diagnostics (issue 21, item 2)', () => {
  describe('requestId', () => {
    it('is one id for a whole launch: each event, the token request and the launch the viewer gets', async () => {
      const { el, events, requests } = await acceptedLaunch();
      el.closeViewer();
      expect(events.map((e) => e.type)).to.deep.equal(['careconnect-launch', 'careconnect-ready', 'careconnect-match', 'careconnect-accept', 'careconnect-close']);
      const { requestId } = events[0]!.detail;
      expect(requestId).to.match(REQUEST_ID); // what createTokenHandler hands onMint as requestId
      for (const { type, detail } of events) expect(detail, type).to.deep.equal({ viewerId: 'bc-careconnect', patientId: 'chart-17', requestId });
      expect(requests.map((r) => r.requestId)).to.deep.equal([requestId]);
      expect(launchesReceived().map((r) => r.received.requestId)).to.deep.equal([requestId]);
    });

    it("reaches createTokenHandler's onMint beside the token's jti, when the provider posts the request as it is", async () => {
      openStub = stubWindowOpen();
      const minted: MintRecord[] = [];
      const handler = createTokenHandler({
        privateKey: (await generateKeyPair('ES256')).privateKey, keyId: 'test-key', issuer: 'https://emr.example',
        authorize: () => ({ subject: 'dr-1', role: 'provider' }),
        onMint: (record) => void minted.push(record),
      });
      const tokens: string[] = [];
      const { el, events } = await launcher(null, {
        // The docs' provider, with the token endpoint in this page.
        tokenProvider: async (request: TokenRequest) => {
          const response = await handler(new Request('https://emr.example/token', {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request),
          }));
          if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
          tokens.push((await response.json()).token);
          return tokens.at(-1)!;
        },
      });
      click(el);
      await waitFor(() => tokens.length, 'the token');
      expect(minted).to.have.length(1);
      expect(minted[0]!.requestId).to.equal(events[0]!.detail.requestId);
      expect(minted[0]!.jti).to.equal(decodeJwt(tokens[0]!).jti);
    });

    it('is new for each click that launches', async () => {
      openStub = stubWindowOpen();
      const { el, events, requests } = await launcher(null);
      click(el);
      el.healthNumber = '9735 353 315';
      el.patientId = 'chart-18';
      await el.updateComplete;
      click(el);
      await waitFor(() => requests.length === 2, 'two token requests');
      const ids = events.map((e) => e.detail.requestId);
      expect(ids).to.have.length(2);
      expect(ids[0]).not.to.equal(ids[1]);
      expect(requests.map((r) => r.requestId)).to.deep.equal(ids);
    });

    it('is in careconnect-launch for a form-post launch, which reaches no token endpoint', async () => {
      openStub = stubWindowOpen();
      const submit = HTMLFormElement.prototype.submit;
      const posted: string[] = [];
      HTMLFormElement.prototype.submit = function (this: HTMLFormElement) {
        posted.push(this.target);
      };
      try {
        const { el, events, requests } = await launcher(null, { viewers: { 'bc-careconnect': { launchUrl: TEST_VIEWER_URL, transport: 'form-post' } } });
        click(el);
        await waitFor(() => posted.length, 'the form POST');
        expect(events.map((e) => e.type)).to.deep.equal(['careconnect-launch']);
        expect(events[0]!.detail.requestId).to.match(REQUEST_ID);
        expect(requests).to.have.length(0);
      } finally {
        HTMLFormElement.prototype.submit = submit;
      }
    });

    it("is in the error of a click that cannot launch, with the chart's id", async () => {
      openStub = stubWindowOpen();
      const { el, events } = await launcher(null, { healthNumber: '9698 648 215' });
      click(el);
      expect(events.map((e) => e.type)).to.deep.equal(['careconnect-error']);
      expect(events[0]!.detail).to.include({ code: 'health-number-required', viewerId: 'bc-careconnect', patientId: 'chart-17' });
      expect(events[0]!.detail.requestId).to.match(REQUEST_ID);
    });
  });

  describe('cause, on a token failure', () => {
    it("is what the token provider threw: here the token endpoint's HTTP status", async () => {
      spy = spyOnWindowOpen();
      const { el, events, error } = await launcher('', {
        // The docs' token provider, against an endpoint that is not there.
        tokenProvider: async (request: TokenRequest) => {
          const response = await fetch('/__no-token-endpoint-here', { method: 'POST', body: JSON.stringify(request) });
          if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
          return (await response.json()).token;
        },
      });
      click(el);
      const { detail } = await error();
      expect(detail.code).to.equal('token-failed');
      expect(detail.cause).to.be.instanceOf(Error);
      expect(detail.cause.message).to.equal('token endpoint answered 404');
      expect(detail.requestId).to.equal(events[0]!.detail.requestId);
      expect(detail.patientId).to.equal('chart-17');
    });

    it('is the very value a provider rejected with', async () => {
      openStub = stubWindowOpen();
      const refusal = { status: 503 };
      const { el, error } = await launcher(null, { tokenProvider: () => Promise.reject(refusal) });
      click(el);
      expect((await error()).detail.cause).to.equal(refusal);
    });

    for (const [resolved, cause] of [['', 'string'], [undefined, 'undefined'], [{ token: 't' }, 'object']] as const) {
      it(`is '${cause}' for a provider that resolved ${JSON.stringify(resolved) ?? 'undefined'} instead of a token`, async () => {
        openStub = stubWindowOpen();
        const { el, error } = await launcher(null, { tokenProvider: async () => resolved as never });
        click(el);
        expect((await error()).detail).to.include({ code: 'token-failed', cause });
      });
    }

    it("is 'timeout' when the provider does not answer within timeout", async () => {
      spy = spyOnWindowOpen();
      const { el, error } = await launcher('', { tokenProvider: () => new Promise<string>(() => {}), timeout: 1500 });
      click(el);
      expect((await error()).detail).to.include({ code: 'token-failed', cause: 'timeout' });
    });

    it("is 'viewer' when the viewer refuses the token", async () => {
      spy = spyOnWindowOpen();
      const { el, events, error } = await launcher('');
      click(el);
      const launch = await waitFor(() => launchesReceived()[0], 'the launch');
      command({ send: { type: 'error', requestId: launch.received.requestId, code: 'token-failed' } });
      expect((await error()).detail).to.deep.include({
        code: 'token-failed', cause: 'viewer', viewerId: 'bc-careconnect', patientId: 'chart-17', requestId: events[0]!.detail.requestId,
      });
    });
  });

  describe('launchTarget', () => {
    it('is null when no viewer applies: none for the location, or one the click would call not-configured', async () => {
      const { el } = await launcher(null);
      el.locationProvince = 'MB';
      expect(el.launchTarget).to.equal(null);
      el.locationProvince = 'AB'; // Alberta Netcare Portal, not in .viewers
      expect(el.launchTarget).to.equal(null);
      el.locationProvince = 'BC';
      el.viewers = { 'bc-careconnect': { launchUrl: 'http://viewer.example/launch' } }; // plain http off this machine
      expect(el.launchTarget).to.equal(null);
    });

    it("follows the location, the network and .viewers' launch URL and transport", async () => {
      const { el } = await launcher(null);
      // CareConnect's own transport is the form POST: .viewers' post-message wins.
      expect(el.launchTarget).to.deep.equal({ viewerId: 'bc-careconnect', url: TEST_VIEWER_URL, transport: 'post-message' });
      el.viewers = { 'bc-careconnect': {}, 'ab-netcare': { launchUrl: '/ab-launch' } };
      expect(el.launchTarget).to.deep.equal({ viewerId: 'bc-careconnect', url: 'https://bc.careconnect.ca/Welcome/Search', transport: 'form-post' });
      el.network = 'internet';
      expect(el.launchTarget).to.deep.equal({ viewerId: 'bc-careconnect', url: 'https://health.careconnect.ca/Welcome/Search', transport: 'form-post' });
      el.locationProvince = 'AB';
      expect(el.launchTarget).to.deep.equal({ viewerId: 'ab-netcare', url: new URL('/ab-launch', location.href).href, transport: 'post-message' });
    });

    it('is where the next click goes, and is read-only', async () => {
      openStub = stubWindowOpen();
      const { el } = await launcher(null, { viewers: { 'bc-careconnect': { launchUrl: `${TEST_VIEWER_URL}?from=target`, transport: 'post-message' } } });
      const target = el.launchTarget;
      click(el);
      expect(openStub.fake.navigations).to.deep.equal([target!.url]);
      expect(() => ((el as { launchTarget: unknown }).launchTarget = null)).to.throw(TypeError);
    });
  });

  describe('the logger', () => {
    it('is told each event of a launch, at debug level, with its detail', async () => {
      const { events, logged } = await acceptedLaunch();
      expect(logged).to.deep.equal(events.map((e) => [e.type, e.detail]));
      expect(logged.map(([type]) => type)).to.deep.equal(['careconnect-launch', 'careconnect-ready', 'careconnect-match', 'careconnect-accept']);
    });

    it('does not stop a launch when it throws or has no debug method', async () => {
      for (const logger of [{ debug: () => { throw new Error('log full'); } }, {}]) {
        openStub = stubWindowOpen();
        const { el, events, requests } = await launcher(null, { logger: logger as never });
        click(el);
        await waitFor(() => requests.length, 'the token request');
        expect(events.map((e) => e.type)).to.deep.equal(['careconnect-launch']);
        expect(openStub.calls).to.have.length(1);
        closeAllViewers();
        openStub.restore();
      }
      openStub = null;
    });

    it('never hears the health number, a name or the birth date, and neither does any event, over launches that fail and succeed', async () => {
      spy = spyOnWindowOpen();
      const heard: unknown[] = [];
      const keep = (value: unknown) => heard.push(value instanceof Error ? `${value.name}: ${value.message}` : value);
      let round = 0;
      const { el, events, logged } = await launcher('auto=accept', {
        // A provider that fails, one that hands back its request (a bug), then one that works.
        tokenProvider: async (request: TokenRequest) => {
          round++;
          if (round === 1) throw new Error('token endpoint answered 503');
          if (round === 2) return request as never;
          return 'token-ok';
        },
      });
      for (let click_ = 0; click_ < 3; click_++) {
        const errors = events.filter((e) => e.type === 'careconnect-error').length;
        click(el);
        if (click_ < 2) await waitFor(() => events.filter((e) => e.type === 'careconnect-error').length > errors, `failure ${click_ + 1}`);
      }
      await waitFor(() => events.some((e) => e.type === 'careconnect-accept'), 'careconnect-accept');
      el.closeViewer();
      expect(events.map((e) => e.type)).to.deep.equal([
        'careconnect-launch', 'careconnect-error', 'careconnect-launch', 'careconnect-error',
        'careconnect-launch', 'careconnect-ready', 'careconnect-match', 'careconnect-accept', 'careconnect-close',
      ]);
      for (const e of events) keep(e.detail), keep(e.detail.cause);
      for (const data of logged) data.forEach((d) => (keep(d), keep((d as { cause?: unknown })?.cause)));
      expect(logged).to.have.length(events.length);
      const everything = JSON.stringify(heard);
      expect(everything).to.include('token endpoint answered 503');
      expect(everything).not.to.match(PHI);
    });
  });
});
