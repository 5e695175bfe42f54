// The same answers with Object.prototype polluted as without: everything the host page or another
// window hands the SDK is read from its own properties only. Runs in Node and Chromium.
import { expect } from 'chai';
import fc from 'fast-check';
import { validateHealthNumber } from '../../src/core/health-number.js';
import { envelope, parseViewerMessage } from '../../src/core/protocol.js';
import { formPostFields } from '../../src/components/form-fields.js';
import { readViewerConfig } from '../../src/components/viewer-config.js';
import type { PatientContext } from '../../src/core/launch-context.js';
import { withPollutedPrototype } from '../pollute.js';

const RUNS = { numRuns: 2_000 };
const anything = fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true });

/** Pollution with `keys`, each set to a plausible value or to anything at all. */
const pollutionOf = (keys: string[], plausible: fc.Arbitrary<unknown>) =>
  fc.dictionary(fc.constantFrom(...keys), fc.oneof(plausible, anything), { minKeys: 1 });

/** `run` answers the same, compared outside the polluted scope, with and without `pollution`. */
function sameWhenPolluted<T>(pollution: Record<string, unknown>, run: () => T): void {
  const clean = run();
  const polluted = withPollutedPrototype(pollution, run);
  expect(polluted).to.deep.equal(clean);
}

describe('with Object.prototype polluted', () => {
  it('validateHealthNumber finds no rule and no value on the prototype', () => {
    const rule = fc.constant({ pattern: /^/, display: '', check: () => true });
    const provinces = ['BC', 'ON', 'QC', 'MB', 'PE', 'NT', 'NU', 'YT', 'bc', 'xx'];
    fc.assert(fc.property(
      pollutionOf(['MB', 'PE', 'NT', 'NU', 'YT', 'XX', 'BC', 'pattern', 'display', 'check', 'length'], rule),
      fc.constantFrom(...provinces),
      fc.oneof(fc.string(), fc.stringMatching(/^9[0-9]{9}$/), anything),
      (pollution, province, input) => sameWhenPolluted(pollution, () => validateHealthNumber(province, input)),
    ), RUNS);
  });

  it('parseViewerMessage reads no field from the prototype', () => {
    const field = fc.constantFrom('careconnect-launch', 1, 'ready', 'match', 'error', 'busy', '0123456789abcdef0123456789abcdef');
    const partial = fc.record({
      protocol: fc.constant('careconnect-launch'),
      version: fc.constant(1),
      type: fc.constantFrom('ready', 'pong', 'match', 'accepted', 'rejected', 'error'),
      requestId: fc.constant('0123456789abcdef0123456789abcdef'),
      code: fc.constantFrom('no-match', 'busy'),
    }, { requiredKeys: [] });
    fc.assert(fc.property(
      pollutionOf(['protocol', 'version', 'type', 'requestId', 'code'], field),
      fc.oneof(partial, anything),
      (pollution, data) => {
        sameWhenPolluted(pollution, () => parseViewerMessage(data));
        const parsed = parseViewerMessage(data);
        if (parsed) expect(data).to.deep.equal(envelope(parsed));
      },
    ), RUNS);
  });

  it('readViewerConfig enables no viewer and takes no launch URL, transport or organisation from the prototype', () => {
    const value = fc.oneof(fc.constantFrom('https://evil.example/x', 'form-post', 'post-message', 'EVIL'), fc.record({ launchUrl: fc.constant('https://evil.example/x') }));
    const entry = fc.record({
      launchUrl: fc.constantFrom('https://viewer.example/launch', undefined, null),
      transport: fc.constantFrom('post-message', 'form-post', undefined),
      organization: fc.constantFrom('CLINIC01', undefined),
    }, { requiredKeys: [] });
    const viewers = fc.oneof(fc.dictionary(fc.constantFrom('bc-careconnect', 'ab-netcare'), fc.oneof(entry, anything)), anything);
    fc.assert(fc.property(
      pollutionOf(['bc-careconnect', 'ab-netcare', 'launchUrl', 'transport', 'organization'], value),
      viewers,
      fc.constantFrom('bc-careconnect', 'ab-netcare') as fc.Arbitrary<'bc-careconnect' | 'ab-netcare'>,
      (pollution, config, id) => sameWhenPolluted(pollution, () => readViewerConfig(config, id)),
    ), RUNS);
  });

  it('formPostFields posts no name, birth date or gender from the prototype', () => {
    const value = fc.constantFrom('Mallory', '1970-01-01', 'male', 'female', 'F');
    const patient = fc.record({
      id: fc.constant('chart-1'),
      givenName: fc.constantFrom('Maple', ''),
      familyName: fc.constant('Sandbox'),
      birthDate: fc.constantFrom('1958-04-12', '12/04/1958'),
      gender: fc.constantFrom('female', 'male', 'other', 'unknown'),
    }, { requiredKeys: ['id'] });
    fc.assert(fc.property(
      pollutionOf(['givenName', 'familyName', 'birthDate', 'gender', 'toString', 'F'], value),
      patient,
      fc.constantFrom(undefined, 'CLINIC01'),
      (pollution, demographics, organization) =>
        sameWhenPolluted(pollution, () => formPostFields('9698658215', demographics as PatientContext, organization)),
    ), RUNS);
  });
});
