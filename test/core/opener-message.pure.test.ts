// The viewer's parser of what an EMR page sends (careconnect-launch/viewer). Runs in Chromium and Node.
import { expect } from 'chai';
import { parseOpenerMessage } from '../../src/core/opener-message.js';
import { withPollutedPrototype } from '../pollute.js';

describe('parseOpenerMessage', () => {
  const v1 = { protocol: 'careconnect-launch', version: 1 };
  const requestId = '0123456789abcdef0123456789abcdef';

  it('accepts launch, ping and logout', () => {
    expect(parseOpenerMessage({ ...v1, type: 'launch', requestId, token: 'a.b.c' })).to.deep.equal({ type: 'launch', requestId, token: 'a.b.c' });
    expect(parseOpenerMessage({ ...v1, type: 'ping' })).to.deep.equal({ type: 'ping' });
    expect(parseOpenerMessage({ ...v1, type: 'logout' })).to.deep.equal({ type: 'logout' });
  });

  for (const [label, data] of [
    ['null', null], ['another version', { ...v1, version: 2, type: 'ping' }],
    ['a launch without a token', { ...v1, type: 'launch', requestId }],
    ['a launch with an extra key', { ...v1, type: 'launch', requestId, token: 't', phn: '9' }],
    ['an empty token', { ...v1, type: 'launch', requestId, token: '' }],
    ['a viewer message', { ...v1, type: 'accepted', requestId }],
  ] as const) {
    it(`drops ${label}`, () => {
      expect(parseOpenerMessage(data)).to.equal(null);
    });
  }

  it('reads no field from a polluted Object.prototype: a launch needs its own requestId and token', () => {
    const parsed = withPollutedPrototype({ requestId, token: 'attacker.token.x' }, () =>
      parseOpenerMessage({ ...v1, type: 'launch', a: 1, b: 2 }));
    expect(parsed).to.equal(null);
  });
});
