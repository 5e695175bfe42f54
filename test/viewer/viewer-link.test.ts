// careconnect-launch/viewer, the viewer's side of protocol v1: a page on the second origin
// (127.0.0.1) built on the entry, driven from this page (localhost) as its EMR opener.
import { expect } from '@open-wc/testing';
import { LAUNCH_KEY, LOST_LINK_NOTICE, SHOWING_KEY, ViewerLink } from '../../src/viewer/index.js';
import { SHOWN_AT_KEY } from '../../src/viewer/viewer-link.js';
import { collectViewerReports, sleep, testViewerOrigin, waitFor } from '../helpers/browser.js';

const v1 = { protocol: 'careconnect-launch', version: 1 } as const;
const REQUEST_ID = '0123456789abcdef0123456789abcdef';

let origin: string;
let popup: Window | null = null;
let reports: ReturnType<typeof collectViewerReports>;
/** Protocol messages from the popup, with where they came from; a `showing` or `pong`'s time stamp apart. */
let heard: Array<{ data: any; origin: string; fromPopup: boolean }>;
let stamps: number[];
const onMessage = (event: MessageEvent) => {
  if (event.data?.protocol !== 'careconnect-launch') return;
  const { at, ...data } = event.data;
  if (at !== undefined) stamps.push(at);
  heard.push({ data, origin: event.origin, fromPopup: event.source === popup });
};

beforeEach(async () => {
  origin = await testViewerOrigin();
  reports = collectViewerReports();
  heard = [];
  stamps = [];
  window.addEventListener('message', onMessage);
});

afterEach(() => {
  popup?.close();
  popup = null;
  reports.stop();
  window.removeEventListener('message', onMessage);
});

function open(query = `emr=${encodeURIComponent(location.origin)}`) {
  popup = window.open(`${origin}/link.html?${query}`, 'viewer-link-test', 'popup,width=400,height=300');
  return popup!;
}
const post = (message: object) => popup!.postMessage({ ...v1, ...message }, origin);
const command = (testCommand: object) => popup!.postMessage({ testCommand }, origin);
const types = () => heard.map((m) => m.data.type);
/** Round-trips an echo through the page: everything sent before it has been handled. */
async function settle() {
  const echo = Math.random().toString(36).slice(2);
  command({ echo });
  const report: Record<string, any> = await waitFor(() => reports.reports.find((r) => r.echo === echo), 'the echo');
  // When the record last changed is kept too (for pong); the tests below read it from the messages.
  const { [SHOWN_AT_KEY]: _, ...storage } = report.storage ?? {};
  return { ...report, storage } as Record<string, any>;
}
const launch = (requestId = REQUEST_ID, token = 'header.payload.signature') => post({ type: 'launch', requestId, token });

describe('careconnect-launch/viewer on a real second origin', () => {
  describe('on load', () => {
    it('says ready to its opener, from its own origin, with no resume when it holds no launch', async () => {
      open();
      await waitFor(() => heard.length, 'ready');
      expect(heard[0]).to.deep.equal({ data: { ...v1, type: 'ready' }, origin, fromPopup: true });
    });
  });

  describe('a launch', () => {
    it('is acknowledged and handed to the operator at once, and kept as its requestId only', async () => {
      open();
      await waitFor(() => heard.length, 'ready');
      launch();
      const handed = await waitFor(() => reports.reports.find((r) => r.launch), 'onLaunch');
      expect(heard[1]!.data).to.deep.equal({ ...v1, type: 'received', requestId: REQUEST_ID });
      // Then every EMR window that took it hears that this launch's patient may be on screen any moment.
      await waitFor(() => heard.length === 3, 'the report of the review');
      expect(heard[2]!.data).to.deep.equal({ ...v1, type: 'showing', requestId: null, reviewing: REQUEST_ID });
      expect(handed.launch).to.deep.equal({ requestId: REQUEST_ID, token: 'header.payload.signature', origin: location.origin });
      const { storage } = await settle();
      expect(storage).to.deep.equal({ [LAUNCH_KEY]: REQUEST_ID });
    });

    it('survives the page loading again (a sign-in redirect): ready says resume, with no new launch needed', async () => {
      open();
      await waitFor(() => heard.length, 'ready');
      launch();
      await settle();
      command({ reload: true });
      await waitFor(() => heard.length === 4, 'the second ready');
      expect(heard[3]!.data).to.deep.equal({ ...v1, type: 'ready', resume: REQUEST_ID });
      command({ call: 'match' });
      await waitFor(() => heard.length === 5, 'match');
      expect(heard[4]!.data).to.deep.equal({ ...v1, type: 'match', requestId: REQUEST_ID });
      post({ type: 'ping' });
      await waitFor(() => heard.length === 6, 'pong');
      expect(heard[5]!.data, 'still under review after the page loaded again').to.deep.equal({ ...v1, type: 'pong', showing: null, reviewing: REQUEST_ID });
    });

    it('match, accepted and rejected carry the held requestId; an accept keeps it as shown, a reject ends the launch', async () => {
      open();
      await waitFor(() => heard.length, 'ready');
      launch();
      await settle();
      command({ call: 'match' });
      command({ call: 'accepted' });
      expect((await settle()).storage).to.deep.equal({ [LAUNCH_KEY]: REQUEST_ID, [SHOWING_KEY]: REQUEST_ID });
      command({ call: 'rejected' });
      await waitFor(() => heard.length === 7, 'three answers, and the record after the accept');
      // An accept changes the record on show: every chart window that took the window hears it (showing), first,
      // and it is under review no longer.
      expect(heard.slice(3).map((m) => m.data)).to.deep.equal(['match', 'showing', 'accepted', 'rejected'].map((type) => ({ ...v1, type, requestId: REQUEST_ID })));
      // What the page shows after a reject is the operator's to say (showing()); the accepted record is still kept.
      expect((await settle()).storage).to.deep.equal({ [SHOWING_KEY]: REQUEST_ID });
    });

    it('answers busy to a launch still waiting for its answer when another replaces it: no EMR window waits for ever', async () => {
      const SECOND = 'fedcba9876543210fedcba9876543210';
      open();
      await waitFor(() => heard.length, 'ready');
      launch();
      launch(SECOND);
      await waitFor(() => heard.length === 6, 'two acknowledgements, their reviews and an answer');
      expect(heard.slice(1).map((m) => m.data)).to.deep.equal([
        { ...v1, type: 'received', requestId: REQUEST_ID },
        { ...v1, type: 'showing', requestId: null, reviewing: REQUEST_ID },
        { ...v1, type: 'error', requestId: REQUEST_ID, code: 'busy' },
        { ...v1, type: 'received', requestId: SECOND },
        { ...v1, type: 'showing', requestId: null, reviewing: SECOND },
      ]);
      // An answered launch is not: after an accept, the next launch replaces it quietly.
      command({ call: 'accepted' });
      launch();
      await waitFor(() => heard.length === 10, 'the accept, its record, the next acknowledgement and its review');
      expect(heard.slice(6).map((m) => m.data)).to.deep.equal([
        { ...v1, type: 'showing', requestId: SECOND },
        { ...v1, type: 'accepted', requestId: SECOND },
        { ...v1, type: 'received', requestId: REQUEST_ID },
        { ...v1, type: 'showing', requestId: SECOND, reviewing: REQUEST_ID },
      ]);
    });

    it("on the EMR's logout, rejects the launch still waiting for its answer and says it shows no one", async () => {
      open();
      await waitFor(() => heard.length, 'ready');
      launch();
      post({ type: 'logout' });
      await waitFor(() => heard.length === 5, 'the acknowledgement, its review, the reject and the record');
      expect(heard.slice(1).map((m) => m.data)).to.deep.equal([
        { ...v1, type: 'received', requestId: REQUEST_ID },
        { ...v1, type: 'showing', requestId: null, reviewing: REQUEST_ID },
        { ...v1, type: 'rejected', requestId: REQUEST_ID },
        { ...v1, type: 'showing', requestId: null },
      ]);
      expect((await settle()).storage).to.deep.equal({});
    });

    it('an error carries the requestId and ends the launch; with no launch (the back end is down) it has none', async () => {
      open();
      await waitFor(() => heard.length, 'ready');
      launch();
      await settle();
      command({ call: 'error', args: ['auth-failed'] });
      command({ call: 'error', args: ['unavailable'] });
      await waitFor(() => heard.length === 5, 'two errors');
      expect(heard.slice(3).map((m) => m.data)).to.deep.equal([
        { ...v1, type: 'error', requestId: REQUEST_ID, code: 'auth-failed' },
        { ...v1, type: 'error', code: 'unavailable' },
      ]);
    });

    it('says what it shows after its own sign-out, and a pong carries the record', async () => {
      open();
      await waitFor(() => heard.length, 'ready');
      launch();
      await settle();
      command({ call: 'accepted' });
      post({ type: 'ping' });
      await waitFor(() => heard.length === 6, 'pong');
      expect(heard[5]!.data).to.deep.equal({ ...v1, type: 'pong', showing: REQUEST_ID });
      command({ call: 'showing', args: [null] });
      post({ type: 'ping' });
      await waitFor(() => heard.length === 8, 'the record and a pong');
      expect(heard.slice(6).map((m) => m.data)).to.deep.equal([{ ...v1, type: 'showing', requestId: null }, { ...v1, type: 'pong', showing: null }]);
      // Each change is stamped later than the one before, on the clock the EMR's windows share; a pong
      // carries the stamp of the change it reports.
      const [review, accepted, acceptPong, signedOut, signedOutPong] = stamps;
      expect(review).to.be.a('number').within(Date.now() - 60_000, Date.now());
      expect(accepted).to.be.above(review!);
      expect(acceptPong).to.equal(accepted);
      expect(signedOut).to.be.above(accepted!);
      expect(signedOutPong).to.equal(signedOut);
    });

    it('still hears a window that was its opener after another EMR window took it by name, and answers the one that spoke', async () => {
      open();
      await waitFor(() => heard.length, 'ready');
      const chart2 = window.open('/test/fixtures/chart.html', 'viewer-link-chart2', 'popup,width=300,height=300')!;
      try {
        await waitFor(() => (chart2 as Window & { chartReady?: boolean }).chartReady, 'the second chart window');
        const taken = (chart2 as Window & typeof globalThis).open('', 'viewer-link-test');
        expect(taken, 'the second window found the viewer by name').to.equal(popup);
        launch();
        await waitFor(() => heard.length >= 3, 'the acknowledgement and the review');
        expect(heard[1]).to.deep.equal({ data: { ...v1, type: 'received', requestId: REQUEST_ID }, origin, fromPopup: true });
      } finally {
        chart2.close();
      }
    });

    it('tells every EMR window that opened it about an accept, before it answers the one that launched', async () => {
      open();
      await waitFor(() => heard.length, 'ready');
      const chart2 = window.open('/test/fixtures/chart.html', 'viewer-link-chart2', 'popup,width=300,height=300')!;
      try {
        await waitFor(() => (chart2 as Window & { chartReady?: boolean }).chartReady, 'the second chart window');
        const inChart2: Array<{ type: string; requestId?: string | null }> = [];
        chart2.addEventListener('message', (event) => {
          if (event.data?.protocol === 'careconnect-launch') inChart2.push({ type: event.data.type, requestId: event.data.requestId });
        });
        launch();
        await waitFor(() => heard.length >= 3, 'the acknowledgement and the review');
        // Chart 2 takes the window by name, as a chart window does on a click: it may close before this one.
        expect((chart2 as Window & typeof globalThis).open('', 'viewer-link-test')).to.equal(popup);
        command({ call: 'accepted' });
        await waitFor(() => types().includes('accepted'), 'the accept');
        await waitFor(() => inChart2.length, 'chart 2 to hear what the window shows');
        // (The first `showing` is the review, from before chart 2 took the window.)
        expect(types().slice(2)).to.deep.equal(['showing', 'showing', 'accepted']);
        expect(inChart2).to.deep.equal([{ type: 'showing', requestId: REQUEST_ID }]);
      } finally {
        chart2.close();
      }
    });

    it('a newer launch replaces the held one', async () => {
      open();
      await waitFor(() => heard.length, 'ready');
      launch();
      launch('fedcba9876543210fedcba9876543210', 'second.token.x');
      expect((await settle()).requestId).to.equal('fedcba9876543210fedcba9876543210');
    });
  });

  describe('ping and logout', () => {
    it('answers ping with pong', async () => {
      open();
      await waitFor(() => heard.length, 'ready');
      post({ type: 'ping' });
      await waitFor(() => heard.length === 2, 'pong');
      expect(heard[1]!.data).to.deep.equal({ ...v1, type: 'pong', showing: null });
      expect(stamps, 'no change since the window opened').to.deep.equal([0]);
    });

    it('logout calls the operator and drops the held launch', async () => {
      open();
      await waitFor(() => heard.length, 'ready');
      launch();
      post({ type: 'logout' });
      await waitFor(() => reports.reports.find((r) => r.logout), 'onLogout');
      expect((await settle()).storage).to.deep.equal({});
    });
  });

  describe('what it drops', () => {
    it('a launch from an origin that is not on the allow-list, and it says ready to listed origins only', async () => {
      open(`emr=${encodeURIComponent('http://localhost:1')}`);
      await waitFor(() => reports.reports.find((r) => r.loaded), 'the page');
      launch();
      await settle();
      expect(heard, 'no ready reaches an unlisted origin').to.deep.equal([]);
      expect(reports.reports.filter((r) => r.launch)).to.deep.equal([]);
    });

    it('a launch from a window on a listed origin that is not its opener', async () => {
      open();
      await waitFor(() => heard.length, 'ready');
      const frame = document.createElement('iframe');
      document.body.append(frame);
      // The same origin as the opener, another window: the message's source is the frame.
      const postFromFrame = new (frame.contentWindow as any).Function('w', 'm', 'o', 'w.postMessage(m, o)');
      postFromFrame(popup, { ...v1, type: 'launch', requestId: REQUEST_ID, token: 'forged.token.x' }, origin);
      await sleep(100);
      expect((await settle()).storage).to.deep.equal({});
      expect(reports.reports.filter((r) => r.launch)).to.deep.equal([]);
      frame.remove();
    });

    it('anything malformed', async () => {
      open();
      await waitFor(() => heard.length, 'ready');
      for (const bad of [{ type: 'launch', requestId: 'x', token: 't' }, { type: 'launch', requestId: REQUEST_ID }, { type: 'ready' }]) post(bad);
      popup!.postMessage({ ...v1, version: 2, type: 'ping' }, origin);
      await settle();
      expect(types()).to.deep.equal(['ready']);
      expect(reports.reports.filter((r) => r.launch)).to.deep.equal([]);
    });
  });
});

describe('ViewerLink', () => {
  it('takes exact origins only: no wildcard, which no event.origin can ever equal', () => {
    for (const bad of [[], ['*'], ['https://emr.example/'], ['https://emr.example/chart'], ['emr.example'], [42],
      ['https://*.example'], ['https://emr.example', 'https://*.emr.example'], ['http://localhost:*']]) {
      expect(() => new ViewerLink({ emrOrigins: bad as string[], onLaunch() {} }), JSON.stringify(bad)).to.throw(TypeError);
    }
  });

  describe('when its opener is gone (COOP on a page it visited, or the EMR tab closed)', () => {
    /** A viewer window whose opener is `opener`, listening nowhere real. */
    function viewerWindow(opener: unknown) {
      const doc = document.implementation.createHTMLDocument('viewer');
      return { opener, document: doc, sessionStorage, addEventListener() {}, removeEventListener() {} } as unknown as Window;
    }
    afterEach(() => sessionStorage.removeItem(LAUNCH_KEY));

    it('tells the operator once, and posts nothing', () => {
      const win = viewerWindow(null);
      let lost = 0;
      const link = new ViewerLink({ emrOrigins: ['https://emr.example'], onLaunch() {}, onLostLink: () => lost++, window: win });
      expect(link.linked).to.equal(false);
      link.ready();
      link.error('unavailable');
      expect(lost).to.equal(1);
    });

    it('shows the notice itself when the operator has no callback', () => {
      const posted: unknown[] = [];
      const opener = { closed: false, postMessage: (m: unknown) => posted.push(m) };
      const win = viewerWindow(opener);
      const link = new ViewerLink({ emrOrigins: ['https://emr.example'], onLaunch() {}, window: win });
      link.ready();
      expect(posted).to.have.length(1);
      opener.closed = true;
      link.ready();
      expect(posted).to.have.length(1);
      const notice = win.document.querySelector('[role="alert"]');
      expect(notice?.textContent).to.equal(LOST_LINK_NOTICE);
      expect(LOST_LINK_NOTICE).to.equal('This window lost its link to your EMR: close it and click the button again');
    });
  });
});
