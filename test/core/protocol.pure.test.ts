// Runs in each browser engine and in Node with no DOM.
import { expect } from 'chai';
import { envelope, parseViewerMessage } from '../../src/core/protocol.js';
import { withPollutedPrototype } from '../pollute.js';

const requestId = '0123456789abcdef0123456789abcdef';
const v1 = { protocol: 'careconnect-launch', version: 1 };

describe('parseViewerMessage', () => {
  const accepted: Array<[string, unknown, unknown]> = [
    ['ready', { ...v1, type: 'ready' }, { type: 'ready' }],
    ['pong', { ...v1, type: 'pong' }, { type: 'pong' }],
    ['pong with the record and its stamp', { ...v1, type: 'pong', showing: requestId, at: 1_764_000_000_000 }, { type: 'pong', showing: requestId, at: 1_764_000_000_000 }],
    ['pong with no one shown since the window opened', { ...v1, type: 'pong', showing: null, at: 0 }, { type: 'pong', showing: null, at: 0 }],
    ['showing', { ...v1, type: 'showing', requestId, at: 1_764_000_000_000 }, { type: 'showing', requestId, at: 1_764_000_000_000 }],
    ['showing no one', { ...v1, type: 'showing', requestId: null, at: 1 }, { type: 'showing', requestId: null, at: 1 }],
    ['showing with a launch under review', { ...v1, type: 'showing', requestId: null, at: 1, reviewing: requestId }, { type: 'showing', requestId: null, at: 1, reviewing: requestId }],
    ['pong with a launch under review', { ...v1, type: 'pong', showing: requestId, at: 2, reviewing: requestId }, { type: 'pong', showing: requestId, at: 2, reviewing: requestId }],
    ['match', { ...v1, type: 'match', requestId }, { type: 'match', requestId }],
    ['accepted', { ...v1, type: 'accepted', requestId }, { type: 'accepted', requestId }],
    ['rejected', { ...v1, type: 'rejected', requestId }, { type: 'rejected', requestId }],
    ['error with a request', { ...v1, type: 'error', requestId, code: 'no-match' }, { type: 'error', requestId, code: 'no-match' }],
    ['error without a request', { ...v1, type: 'error', code: 'auth-failed' }, { type: 'error', code: 'auth-failed' }],
  ];
  for (const [label, data, parsed] of accepted) {
    it(`accepts ${label}`, () => {
      expect(parseViewerMessage(data)).to.deep.equal(parsed);
    });
  }

  const dropped: Array<[string, unknown]> = [
    ['null', null],
    ['a string', 'accepted'],
    ['a number', 1],
    ['an array', [v1]],
    ['no protocol', { version: 1, type: 'ready' }],
    ['another protocol', { protocol: 'smart', version: 1, type: 'ready' }],
    ['version 2', { ...v1, version: 2, type: 'ready' }],
    ['version "1"', { ...v1, version: '1', type: 'ready' }],
    ['an unknown type', { ...v1, type: 'launch', requestId, token: 't' }],
    ['accepted without a requestId', { ...v1, type: 'accepted' }],
    ['a numeric requestId', { ...v1, type: 'accepted', requestId: 12345678 }],
    ['a too-short requestId', { ...v1, type: 'accepted', requestId: 'abc' }],
    ['a requestId with markup', { ...v1, type: 'accepted', requestId: '<img src=x onerror=1>' }],
    ['a 10,000-character requestId', { ...v1, type: 'accepted', requestId: 'a'.repeat(10_000) }],
    ['an extra key', { ...v1, type: 'accepted', requestId, patient: 'x' }],
    // The stamp orders news that crossed: a record without one, or with an odd one, could overtake newer news.
    ['showing without its stamp', { ...v1, type: 'showing', requestId }],
    ['pong with the record, without its stamp', { ...v1, type: 'pong', showing: null }],
    ['a stamp that is a string', { ...v1, type: 'showing', requestId, at: '1764000000000' }],
    ['a negative stamp', { ...v1, type: 'showing', requestId: null, at: -1 }],
    ['a fractional stamp', { ...v1, type: 'showing', requestId: null, at: 1.5 }],
    ['an infinite stamp', { ...v1, type: 'showing', requestId: null, at: Infinity }],
    ['a stamp on an accept', { ...v1, type: 'accepted', requestId, at: 1 }],
    ['a review that is no requestId', { ...v1, type: 'showing', requestId: null, at: 1, reviewing: '<b>x</b>' }],
    ['a review of null', { ...v1, type: 'showing', requestId: null, at: 1, reviewing: null }],
    ['a review on a bare pong', { ...v1, type: 'pong', reviewing: requestId }],
    ['a review on an accept', { ...v1, type: 'accepted', requestId, reviewing: requestId }],
    ['an extra key on ready', { ...v1, type: 'ready', token: 'x' }],
    ['an unknown error code', { ...v1, type: 'error', requestId, code: 'explode' }],
    ['an opener-side error code', { ...v1, type: 'error', requestId, code: 'popup-blocked' }],
    ['an error without a code', { ...v1, type: 'error', requestId }],
    ['__proto__ pollution', JSON.parse(`{"protocol":"careconnect-launch","version":1,"type":"ready","__proto__":{"x":1}}`)],
  ];
  for (const [label, data] of dropped) {
    it(`drops ${label}`, () => {
      expect(parseViewerMessage(data)).to.equal(null);
    });
  }

  it('never throws, even on a getter that throws or a revoked proxy', () => {
    const hostile = Object.defineProperty({}, 'protocol', { get: () => { throw new Error('boom'); }, enumerable: true });
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    for (const data of [hostile, proxy]) expect(() => parseViewerMessage(data)).not.to.throw();
  });
});

describe('parseViewerMessage with Object.prototype polluted', () => {
  it('reads no field from the prototype: a match without its requestId, or an error without its code, stays malformed', () => {
    const parsed = withPollutedPrototype({ requestId, code: 'busy' }, () => [
      parseViewerMessage({ ...v1, type: 'match' }),
      parseViewerMessage({ ...v1, type: 'error' }),
      parseViewerMessage(JSON.parse('{"protocol":"careconnect-launch","version":1,"type":"accepted"}')),
    ]);
    expect(parsed).to.deep.equal([null, null, null]);
  });

  it('reads no protocol or version from the prototype', () => {
    const parsed = withPollutedPrototype({ protocol: 'careconnect-launch', version: 1 }, () => parseViewerMessage({ type: 'ready' }));
    expect(parsed).to.equal(null);
  });
});

describe('envelope', () => {
  it('wraps a message with the protocol name and version', () => {
    expect(envelope({ type: 'ping' })).to.deep.equal({ protocol: 'careconnect-launch', version: 1, type: 'ping' });
  });
});
