// Property-based tests of the pure core (fast-check, 10,000 runs each). Runs in Node and in each browser engine.
import { expect } from 'chai';
import fc from 'fast-check';
import { validateHealthNumber } from '../../src/core/health-number.js';
import { envelope, parseViewerMessage } from '../../src/core/protocol.js';
import { VIEWERS, selectViewer } from '../../src/core/viewers.js';

const RUNS = { numRuns: 10_000 };
const PROVINCES = ['BC', 'AB', 'SK', 'ON', 'QC', 'NS', 'NB', 'NL', 'MB', 'PE', 'YT', 'bc', 'xx', ''];

/** An independent BC PHN check, written from the rule's text, not from the implementation. */
function referenceBcPhn(digits: string): boolean {
  if (!/^9[0-9]{9}$/.test(digits)) return false;
  const weights = [0, 2, 4, 8, 5, 10, 9, 7, 3];
  let sum = 0;
  for (let position = 1; position <= 8; position++) sum += (Number(digits[position]) * weights[position]!) % 11;
  const check = 11 - (sum % 11);
  return check <= 9 && check === Number(digits[9]);
}

const anything = fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true });
const digitString = (length: number) => fc.stringMatching(new RegExp(`^[0-9]{${length}}$`));

describe('properties of the core', () => {
  it('validateHealthNumber never throws, whatever the province and input', () => {
    fc.assert(fc.property(fc.oneof(fc.constantFrom(...PROVINCES), anything), fc.oneof(fc.string(), fc.string({ unit: 'binary' }), anything), (province, input) => {
      const result = validateHealthNumber(province, input);
      expect(result).to.have.property('valid');
    }), RUNS);
  });

  it('accepts exactly the BC PHNs a reference implementation accepts', () => {
    fc.assert(fc.property(fc.oneof(digitString(10), fc.stringMatching(/^9[0-9]{9}$/)), (digits) => {
      expect(validateHealthNumber('BC', digits).valid).to.equal(referenceBcPhn(digits));
    }), RUNS);
  });

  it('round-trips: the display form of a valid number validates back to the same value', () => {
    const candidates = fc.oneof(
      fc.tuple(fc.constant('BC'), fc.stringMatching(/^9[0-9]{9}$/)),
      fc.tuple(fc.constantFrom('AB', 'SK', 'NB'), digitString(9)),
      fc.tuple(fc.constant('ON'), fc.stringMatching(/^[0-9]{10}[A-Z]{0,2}$/)),
      fc.tuple(fc.constant('NS'), digitString(10)),
      fc.tuple(fc.constant('NL'), digitString(12)),
    );
    fc.assert(fc.property(candidates, ([province, raw]) => {
      const first = validateHealthNumber(province, raw);
      if (!first.valid) return;
      const again = validateHealthNumber(province, first.display);
      expect(again).to.deep.equal(first);
    }), RUNS);
  });

  it('tolerates any mix of spaces and dashes around the digits', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(' ', '-', '\u00a0', '\u2013'), { maxLength: 3 }), fc.nat(9), (separators, at) => {
      const phn = '9698658215';
      const spaced = phn.slice(0, at) + separators.join('') + phn.slice(at);
      expect(validateHealthNumber('BC', spaced)).to.include({ valid: true, value: phn });
    }), RUNS);
  });

  it('parseViewerMessage never throws, and accepts only messages that re-serialize to themselves', () => {
    const protocolish = fc.record({
      protocol: fc.constantFrom('careconnect-launch', 'other'),
      version: fc.constantFrom(1, 2, '1'),
      type: fc.constantFrom('ready', 'pong', 'match', 'accepted', 'rejected', 'error', 'launch', 'nope'),
      requestId: fc.oneof(fc.string(), fc.stringMatching(/^[0-9a-f]{32}$/), fc.integer()),
      code: fc.constantFrom('no-match', 'auth-failed', 'busy', 'token-failed', 'popup-blocked', 'x'),
      extra: fc.anything(),
    }, { requiredKeys: ['protocol', 'version', 'type'] });
    fc.assert(fc.property(fc.oneof(anything, protocolish), (data) => {
      const parsed = parseViewerMessage(data);
      if (parsed === null) return;
      expect(data).to.deep.equal(envelope(parsed)); // nothing was added, dropped or coerced
    }), RUNS);
  });

  it('selectViewer is total and never offers a Manitoba viewer', () => {
    const province = fc.oneof(fc.constantFrom(...PROVINCES, 'MB', ' mb '), anything);
    fc.assert(fc.property(fc.oneof(anything, fc.record({ locationProvince: province, accountProvince: province })), (selection) => {
      const viewer = selectViewer(selection as never);
      expect(viewer === null || Object.values(VIEWERS).includes(viewer)).to.equal(true);
      expect(viewer?.province).not.to.equal('MB');
    }), RUNS);
  });
});
