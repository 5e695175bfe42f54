// The session machine alone, with no window, no clock and no channel: what one step does to a state,
// and which effects it asks the shell for, in order. Runs in each browser engine and in Node.
// (The walks drive it through the shell: test/session/cross-window.walk.test.ts, wrong-patient-walk.test.ts.)
import { expect } from 'chai';
import { envelope } from '../../src/core/protocol.js';
import { INITIAL, mustOpen, step, type Effect, type Env, type Input, type SessionEvent, type SessionListener, type SessionState } from '../../src/session/session-machine.js';

const ORIGIN = 'https://viewer.example';
const requestId = '0123456789abcdef0123456789abcdef';
const handle = { name: 'the viewer window' } as unknown as Window;
const env: Env = { now: 1_000, closed: false, ours: true, digest: (key) => (key === '[A]' ? 'sha-of-a' : undefined) };
const heard: SessionEvent[] = [];
const listener: SessionListener = (event) => void heard.push(event);
const request = { id: requestId, key: '[A]', url: `${ORIGIN}/launch`, origin: ORIGIN, transport: 'post-message' as const, timeoutMs: 20_000 };

/** Frozen all the way down (but the handle and functions): a step that changed it in place would throw. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && (value as unknown) !== handle && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** Runs `inputs` from `state`, each step from the state the one before made; every state frozen. */
function run(state: SessionState, ...inputs: Input[]): { state: SessionState; effects: Effect[] } {
  let effects: Effect[] = [];
  for (const input of inputs) ({ state, effects } = step(deepFreeze(state), input, env));
  return { state, effects };
}

const types = (effects: Effect[]) => effects.map((effect) => effect.type);
const click: Input = { type: 'launch', request, listener, opened: { handle, blank: true, topLevel: true } };
const fromViewer = (message: object): Input => ({ type: 'viewer', data: envelope(message as never) });
const minted: Input = { type: 'minted', id: requestId, attempt: 1, token: 'a.signed.token' };

describe('the session machine', () => {
  it('a click into a blank window loads the viewer there, times it and asks for a token: in that order', () => {
    const { state, effects } = run(INITIAL, click);
    expect(types(effects)).to.deep.equal(['arm', 'attach', 'navigate', 'attach', 'arm', 'mint', 'changed']);
    expect(effects[2]).to.deep.equal({ type: 'navigate', handle, url: request.url });
    expect(effects[4]).to.deep.equal({ type: 'arm', ms: 20_000 });
    expect(state.window).to.include({ kind: 'loading', navigatedAt: 1_000 });
    expect(state.window.kind === 'loading' && state.window.launch).to.include({ phase: 'opening', mints: 1, fresh: true });
  });

  it('sends the token only to the viewer\'s exact origin, once it said ready, and tells the other chart windows', () => {
    const { state, effects } = run(INITIAL, click, minted, fromViewer({ type: 'ready' }));
    expect(effects.find((effect) => effect.type === 'send')).to.deep.equal({ type: 'send', handle, origin: ORIGIN, message: { type: 'launch', requestId, token: 'a.signed.token' } });
    expect(effects.find((effect) => effect.type === 'broadcast')).to.deep.equal({ type: 'broadcast', message: { launch: true, at: 1_000 } });
    expect(state.window.kind === 'ready' && state.window.launch).to.include({ phase: 'waiting', received: false });
    expect(state.sent).to.deep.equal([[requestId, '[A]']]);
  });

  it('an Accept makes the launch the window\'s record, tells the button and the other chart windows (a digest, never the key)', () => {
    heard.length = 0;
    const { state, effects } = run(INITIAL, click, minted, fromViewer({ type: 'ready' }), fromViewer({ type: 'accepted', requestId }));
    expect(state.window.kind === 'ready' && state.window.shown).to.include({ key: '[A]', id: requestId, by: listener });
    expect(effects).to.deep.include({ type: 'broadcast', message: { shown: 'sha-of-a', id: requestId, at: 0 } });
    expect(JSON.stringify(effects.filter((effect) => effect.type === 'broadcast'))).not.to.contain('[A]');
    expect(heard.map((event) => event.type)).to.deep.equal([]); // told by effects, which only the shell performs
    expect(effects).to.deep.include({ type: 'tell', listener, event: { type: 'accepted' } });
  });

  it('a message that is no protocol v1 changes nothing and asks for nothing', () => {
    const sent = run(INITIAL, click, minted, fromViewer({ type: 'ready' })).state;
    for (const data of [null, 'accepted', { type: 'accepted', requestId }, envelope({ type: 'accepted', requestId: 'not an id' } as never)]) {
      const { state, effects } = step(sent, { type: 'viewer', data }, env);
      expect(state).to.equal(sent);
      expect(effects).to.deep.equal([]);
    }
  });

  it('a window another chart window launched into since must be opened by name again before a click', () => {
    const ready = run(INITIAL, click, minted, fromViewer({ type: 'ready' })).state;
    expect(mustOpen(ready, env)).to.equal(false);
    expect(mustOpen(ready, { ...env, ours: false }), 'another chart window is its opener').to.equal(true);
    expect(mustOpen(ready, { ...env, closed: true }), 'the window closed').to.equal(true);
    const overtaken = run(ready, { type: 'hear', message: { launch: true, at: 2_000 } }).state;
    expect(mustOpen(overtaken, env), 'another chart window launched there').to.equal(true);
  });

  it('the launch timer ends a launch the viewer never said ready for, with a typed error', () => {
    const { state, effects } = run(INITIAL, click, { type: 'timeout' });
    expect(state.window.kind).to.equal('unresponsive');
    expect(effects).to.deep.include({ type: 'tell', listener, event: { type: 'error', code: 'viewer-timeout', cause: 'timeout' } });
  });
});
