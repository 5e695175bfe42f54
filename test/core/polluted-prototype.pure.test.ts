// The same answers with Object.prototype polluted as without: everything the host page or another
// window hands the SDK, and every table it looks a key up in, is read from own properties only.
// Pollutes every key the source could read (test/polluted-keys.ts), never a hand-kept list. Runs in
// Node and in each browser engine.
import { expect } from 'chai';
import fc from 'fast-check';
import { formPostFields } from '../../src/components/form-fields.js';
import { CATALOGS, loadFrench, message, type Language } from '../../src/components/messages.js';
import { readViewerConfig } from '../../src/components/viewer-config.js';
import { validateHealthNumber } from '../../src/core/health-number.js';
import { isLaunchContext } from '../../src/core/launch-context-check.js';
import type { PatientContext } from '../../src/core/launch-context.js';
import { parseOpenerMessage } from '../../src/core/opener-message.js';
import { toPatientContext } from '../../src/core/patient-context.js';
import { envelope, parseViewerMessage } from '../../src/core/protocol.js';
import { toProvinceCode } from '../../src/core/provinces.js';
import { VIEWERS, isViewerId, selectViewer } from '../../src/core/viewers.js';
import { EVIL_URL, everyKeySetTo, MESSAGE_KEYS, NETWORKS, POLLUTANTS, POLLUTED_KEYS, PROVINCE_CODES, VIEWER_IDS } from '../polluted-keys.js';
import { pollutePrototype, withPollutedPrototype } from '../pollute.js';

const RUNS = { numRuns: 1_000 };
const anything = fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true });
const pollutant = fc.oneof(fc.constantFrom(...POLLUTANTS), anything);

/** Up to 64 of the keys the code could read at once, each set to a pollutant. */
const pollution = fc.dictionary(fc.constantFrom(...POLLUTED_KEYS), pollutant, { minKeys: 1, maxKeys: 64 });

/** `run` answers the same, compared outside the polluted scope, with and without `values` on the prototype. */
function sameWhenPolluted<T>(values: Record<string, unknown>, run: () => T): void {
  const clean = run();
  const polluted = withPollutedPrototype(values, run);
  expect(polluted).to.deep.equal(clean);
}

/**
 * `run` answers the same for each of `inputs` with random sets of the keys polluted, and with every
 * key polluted at once by each pollutant.
 */
function holdsWhenPolluted<A>(inputs: fc.Arbitrary<A>, run: (input: A) => unknown): void {
  fc.assert(fc.property(pollution, inputs, (values, input) => sameWhenPolluted(values, () => run(input))), RUNS);
  const samples = fc.sample(inputs, { numRuns: 100, seed: 19 });
  const clean = samples.map((input) => run(input));
  for (const value of POLLUTANTS) {
    const everyKey = everyKeySetTo(value);
    expect(withPollutedPrototype(everyKey, () => samples.map((input) => run(input))), `every key set to ${String(value)}`).to.deep.equal(clean);
  }
}

/** Mostly real province codes, so that each province's rule is reached; sometimes any key, string or value. */
const provinceLike = fc.oneof({ arbitrary: fc.constantFrom(...PROVINCE_CODES), weight: 6 }, fc.constantFrom(...POLLUTED_KEYS), fc.string(), anything);
const viewerId = fc.constantFrom(...VIEWER_IDS);

describe('with Object.prototype polluted with every key the code reads', () => {
  it('covers the keys a computed read takes: viewer ids, networks, province codes, message keys and the scan', () => {
    for (const key of ['ppn', 'internet', 'sent', 'launch', 'refusal', 'user', 'kty', 'medications', ...VIEWER_IDS, ...PROVINCE_CODES, ...MESSAGE_KEYS]) {
      expect(POLLUTED_KEYS, key).to.include(key);
    }
    expect(NETWORKS).to.have.members(['ppn', 'internet']);
    expect(PROVINCE_CODES).to.have.length(13);
  });

  it('each viewer gives no launch URL or origin for a network from the prototype', () => {
    // What the element launches to: `.viewers`' launchUrl, else the network's URL, else the default.
    holdsWhenPolluted(fc.tuple(viewerId, fc.constantFrom(...NETWORKS, ...POLLUTED_KEYS)), ([id, network]) => {
      const viewer = VIEWERS[id];
      return [viewer.launchUrls[network as 'ppn'] ?? viewer.launchUrl, viewer.origin, isViewerId(id), isViewerId(network)];
    });
  });

  it('loaded after the prototype was polluted, VIEWERS has the same launch URLs and origins', async () => {
    const keys = [...NETWORKS, 'launchUrl', 'launchUrls', 'origin', 'transport'];
    for (const value of [EVIL_URL, { ppn: EVIL_URL, internet: EVIL_URL }]) {
      const restore = pollutePrototype(Object.fromEntries(keys.map((key) => [key, value])));
      let fresh: typeof import('../../src/core/viewers.js');
      try {
        // A module instance of its own, evaluated now: a script that polluted the page before the SDK loaded.
        fresh = await import(`../../src/core/viewers.ts?polluted=${Math.random()}`);
      } finally {
        restore();
      }
      for (const id of VIEWER_IDS) {
        const { launchUrl, origin, launchUrls } = fresh.VIEWERS[id];
        expect({ launchUrl, origin, launchUrls: { ...launchUrls } }, id).to.deep.equal({
          launchUrl: VIEWERS[id].launchUrl, origin: VIEWERS[id].origin, launchUrls: { ...VIEWERS[id].launchUrls },
        });
        for (const network of NETWORKS) expect(fresh.VIEWERS[id].launchUrls[network], `${id} ${network}`).to.equal(VIEWERS[id].launchUrls[network]);
      }
    }
  });

  it('selectViewer and toProvinceCode find no viewer or province on the prototype', () => {
    holdsWhenPolluted(fc.tuple(provinceLike, provinceLike), ([locationProvince, accountProvince]) =>
      [selectViewer({ locationProvince, accountProvince } as never)?.id ?? null, toProvinceCode(locationProvince)]);
  });

  it('validateHealthNumber finds no rule and no value on the prototype', () => {
    // Numbers in each province's format (valid or not), and anything else.
    const input = fc.oneof(fc.constantFrom('9698658215', '12345-6789', '1234567897AB', 'ABCD12345678', '123456789012'),
      fc.stringMatching(/^9[0-9]{9}$/), fc.stringMatching(/^[0-9]{9,12}$/), fc.stringMatching(/^[A-Z]{4}[0-9]{8}$/), fc.string(), anything);
    holdsWhenPolluted(fc.tuple(provinceLike, input), ([province, value]) => validateHealthNumber(province, value));
  });

  it('parseViewerMessage and parseOpenerMessage read no field from the prototype', () => {
    const partial = fc.record({
      protocol: fc.constant('careconnect-launch'),
      version: fc.constant(1),
      type: fc.constantFrom('ready', 'pong', 'showing', 'received', 'match', 'accepted', 'rejected', 'error', 'launch', 'ping', 'logout'),
      requestId: fc.constant('0123456789abcdef0123456789abcdef'),
      code: fc.constantFrom('no-match', 'busy'),
      token: fc.constant('a.b.c'),
    }, { requiredKeys: [] });
    const data = fc.oneof(partial, anything);
    holdsWhenPolluted(data, (message) => [parseViewerMessage(message), parseOpenerMessage(message)]);
    // And what parses is exactly a protocol message (checked with a clean prototype: chai reads polluted keys).
    fc.assert(fc.property(data, (message) => {
      const parsed = parseViewerMessage(message);
      if (parsed) expect(message).to.deep.equal(envelope(parsed));
    }), RUNS);
  });

  it('readViewerConfig enables no viewer and takes no launch URL, transport or organisation from the prototype', () => {
    const entry = fc.record({
      launchUrl: fc.constantFrom('https://viewer.example/launch', undefined, null),
      transport: fc.constantFrom('post-message', 'form-post', undefined),
      organization: fc.constantFrom('CLINIC01', undefined),
    }, { requiredKeys: [] });
    const viewers = fc.oneof(fc.dictionary(viewerId, fc.oneof(entry, anything)), anything);
    holdsWhenPolluted(fc.tuple(viewers, viewerId), ([config, id]) => readViewerConfig(config, id));
  });

  it('toPatientContext, formPostFields and isLaunchContext take no demographics or context from the prototype', () => {
    const patient = fc.record({
      id: fc.constantFrom('chart-1', 1001),
      givenName: fc.constantFrom('Maple', ''),
      familyName: fc.constant('Sandbox'),
      birthDate: fc.constantFrom('1958-04-12', '12/04/1958'),
      gender: fc.constantFrom('female', 'male', 'other', 'unknown', 'F', 'toString'),
    }, { requiredKeys: ['id'] });
    const ctx = fc.record({
      healthNumber: fc.record({ province: fc.constant('BC'), value: fc.constant('9698658215') }, { requiredKeys: [] }),
      patient,
      location: fc.record({ province: fc.constantFrom('BC', null) }, { requiredKeys: [] }),
      user: fc.record({ role: fc.constantFrom('provider', 'staff') }, { requiredKeys: [] }),
      network: fc.constantFrom(...NETWORKS),
    }, { requiredKeys: [] });
    holdsWhenPolluted(fc.tuple(patient, ctx, fc.constantFrom(undefined, 'CLINIC01')), ([fields, context, organization]) => {
      const normalised = toPatientContext(fields);
      return [normalised, isLaunchContext(context), normalised && formPostFields('9698658215', normalised as PatientContext, organization)];
    });
  });

  it('message finds every sentence and province phrase in its own catalog, in English and French', async () => {
    await loadFrench();
    expect(CATALOGS.fr).to.not.equal(undefined);
    const keys = fc.tuple(fc.constantFrom(...MESSAGE_KEYS), viewerId, fc.constantFrom<Language>('en', 'fr'));
    holdsWhenPolluted(keys, ([key, id, language]) => message(key, VIEWERS[id], language));
  });
});
