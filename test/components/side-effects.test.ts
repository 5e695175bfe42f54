// Importing the pure core must not define the element (package.json "sideEffects" says so too).
import { expect } from '@open-wc/testing';
import * as core from '../../src/core/index.js';

describe('careconnect-launch/core in the browser', () => {
  it('defines no custom element and needs no Lit', () => {
    expect(core.validateHealthNumber('BC', '9698658215').valid).to.equal(true);
    expect(customElements.get('careconnect-button')).to.equal(undefined);
  });
});
