// The session on its own, against the real second-origin test viewer.
import { expect } from '@open-wc/testing';
import { ViewerSession, type SessionEvent } from '../../src/session/viewer-session.js';
import { collectViewerReports, spyOnWindowOpen, testViewerOrigin, waitFor } from '../helpers/browser.js';

describe('ViewerSession', () => {
  let spy: ReturnType<typeof spyOnWindowOpen>;
  let viewer: ReturnType<typeof collectViewerReports>;
  const sessions: ViewerSession[] = [];

  beforeEach(() => {
    spy = spyOnWindowOpen();
    viewer = collectViewerReports();
  });

  afterEach(() => {
    for (const session of sessions.splice(0)) session.close();
    spy.restore();
    viewer.stop();
  });

  async function request(key: string) {
    const origin = await testViewerOrigin();
    return { key, url: `${origin}/viewer.html?auto=accept`, origin, transport: 'post-message' as const, token: async () => `token-for-${key}`, timeoutMs: 20_000 };
  }

  describe('after the EMR page reloads', () => {
    it('recovers the open viewer window by name, without reloading it, and launches into it', async () => {
      const name = 'careconnect-test-recovery';
      const before = new ViewerSession(name);
      sessions.push(before);
      const beforeEvents: SessionEvent[] = [];
      const beforeListener = (e: SessionEvent) => beforeEvents.push(e);
      before.launch(await request('A'), beforeListener);
      await waitFor(() => beforeEvents.some((e) => e.type === 'accepted'), 'the first accept');

      // A reloaded EMR page has a new module registry: a brand-new session knows nothing of the window.
      before.unsubscribe(beforeListener);
      const after = new ViewerSession(name);
      sessions.push(after);
      const afterEvents: SessionEvent[] = [];
      const outcome = after.launch(await request('B'), (e) => e.type !== 'changed' && afterEvents.push(e));
      expect(outcome, 'the window was found, not blocked').to.equal(true);
      await waitFor(() => afterEvents.some((e) => e.type === 'accepted'), 'the accept after the reload');

      expect(spy.opened).to.have.length(2);
      expect(spy.opened[1]).to.equal(spy.opened[0]); // the same window, found by name
      const launches = viewer.reports.filter((r) => r.received?.type === 'launch');
      expect(launches.map((r) => r.received.token)).to.deep.equal(['token-for-A', 'token-for-B']);
      expect(launches[1]!.loadId).to.equal(launches[0]!.loadId); // no reload: the sign-in survives
      expect(viewer.reports.some((r) => r.received?.type === 'ping')).to.equal(true);
      expect(afterEvents.map((e) => e.type)).to.deep.equal(['ready', 'sent', 'match', 'accepted']);
    });
  });

  describe('focusIfShowing', () => {
    it('focuses only for the patient that is pending or shown', async () => {
      const session = new ViewerSession('careconnect-test-focus');
      sessions.push(session);
      const events: SessionEvent[] = [];
      session.launch(await request('A'), (e) => events.push(e));
      expect(session.focusIfShowing('A')).to.equal(true);
      expect(session.focusIfShowing('B')).to.equal(false);
      await waitFor(() => events.some((e) => e.type === 'accepted'), 'the accept');
      expect(session.focusIfShowing('A')).to.equal(true);
    });
  });

  describe('without a token source', () => {
    it('gives token-failed at once and closes the window it opened, sending the viewer nothing', async () => {
      const session = new ViewerSession('careconnect-test-no-token');
      sessions.push(session);
      const events: SessionEvent[] = [];
      const { token: _unused, ...withoutToken } = await request('A');
      session.launch(withoutToken, (e) => e.type !== 'changed' && events.push(e));
      await waitFor(() => events.some((e) => e.type === 'error'), 'the error');
      expect(events).to.deep.equal([{ type: 'error', code: 'token-failed', cause: 'undefined' }]); // no token: undefined
      expect(spy.opened[0]!.closed).to.equal(true);
      expect(viewer.reports.filter((r) => r.received?.type === 'launch')).to.have.length(0);
    });
  });

  describe('a listener that acts while the session tells it something', () => {
    it('a launch for another patient from the `ready` news is the only one the viewer gets, with one token each', async () => {
      const session = new ViewerSession('careconnect-test-reentry');
      sessions.push(session);
      const minted: string[] = [];
      const second = await request('B');
      const secondEvents: SessionEvent[] = [];
      const first = { ...(await request('A')), url: (await request('A')).url.replace('?auto=accept', '') };
      session.launch({ ...first, token: async () => (minted.push('A'), 'token-for-A') }, (event) => {
        if (event.type === 'ready') session.launch({ ...second, token: async () => (minted.push('B'), 'token-for-B') }, (e) => secondEvents.push(e));
      });
      await waitFor(() => secondEvents.some((e) => e.type === 'sent'), 'the second launch sent');
      await waitFor(() => viewer.reports.some((r) => r.received?.type === 'launch'), 'the viewer to get it');
      expect(viewer.reports.filter((r) => r.received?.type === 'launch').map((r) => r.received.token)).to.deep.equal(['token-for-B']);
      expect(minted).to.deep.equal(['A', 'B']);
    });

    it('one that throws does not leave the next launch waiting for ever; the error reaches the caller', async () => {
      const session = new ViewerSession('careconnect-test-throwing-listener');
      sessions.push(session);
      session.launch(await request('A'), (event) => {
        if (event.type === 'superseded') throw new Error('a listener broke');
      });
      const events: SessionEvent[] = [];
      const launchB = await request('B');
      expect(() => session.launch(launchB, (e) => events.push(e))).to.throw('a listener broke');
      await waitFor(() => events.some((e) => e.type === 'accepted'), 'the accept of B');
    });
  });
});
