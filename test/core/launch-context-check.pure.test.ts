// Runs in Chromium and in Node with no DOM.
import { expect } from 'chai';
import { isLaunchContext } from '../../src/core/launch-context-check.js';
import { withPollutedPrototype } from '../pollute.js';

const ctx = {
  healthNumber: { province: 'BC', value: '9698658215' },
  patient: { id: 'chart-1001', givenName: 'Maple', gender: 'female' },
  location: { province: 'BC' },
  user: { role: 'provider' },
  network: 'ppn',
};

describe('isLaunchContext', () => {
  it('accepts the context the element sends', () => {
    expect(isLaunchContext(ctx)).to.equal(true);
  });

  it('reads no part of the context from a polluted Object.prototype', () => {
    const { user: _user, network: _network, ...withoutUser } = ctx;
    const results = withPollutedPrototype({ user: { role: 'provider' }, network: 'ppn', id: 'chart-9' }, () => [
      isLaunchContext(withoutUser),
      isLaunchContext({ ...ctx, patient: { givenName: 'Maple' } }),
    ]);
    expect(results).to.deep.equal([false, false]);
  });

  it('accepts a patient with no gender when Object.prototype has one', () => {
    const result = withPollutedPrototype({ gender: 'toString' }, () => isLaunchContext({ ...ctx, patient: { id: 'chart-1001' } }));
    expect(result).to.equal(true);
  });
});
