// The mock viewer's synthetic data set and its opener-message parser. Runs in each browser engine and in Node.
import { expect } from 'chai';
import { validateHealthNumber } from '../../src/core/health-number.js';
import { parseOpenerMessage } from '../../src/mock-viewer/opener-messages.js';
import { REGISTRY, SYNTHETIC_PATIENTS } from '../../src/mock-viewer/patients.js';
import { lastFourteenMonths, recordFor } from '../../src/mock-viewer/records.js';

const PUBLISHED_TEST_PHNS = ['9698658215', '9735353315', '9735361219', '9012372173', '9151247483'];
const byScenario = (text: RegExp) => SYNTHETIC_PATIENTS.find((p) => text.test(p.scenario))!;

describe('the synthetic data set', () => {
  it('has at least 20 patients, with unique chart ids', () => {
    expect(SYNTHETIC_PATIENTS.length).to.be.at.least(20);
    expect(new Set(SYNTHETIC_PATIENTS.map((p) => p.id)).size).to.equal(SYNTHETIC_PATIENTS.length);
  });

  it('uses generated PHNs that pass the check, never the published test PHNs', () => {
    const invalid = byScenario(/wrong check digit/);
    for (const patient of SYNTHETIC_PATIENTS) {
      if (patient.healthNumber?.province !== 'BC') continue;
      expect(PUBLISHED_TEST_PHNS).not.to.include(patient.healthNumber.value);
      const result = validateHealthNumber('BC', patient.healthNumber.value);
      expect(result.valid, patient.id).to.equal(patient !== invalid);
    }
    expect(validateHealthNumber('BC', invalid.healthNumber!.value)).to.include({ reason: 'checksum' });
  });

  it('has a patient with no number, one with an Alberta number only, and one the registry lacks', () => {
    expect(byScenario(/No health number/).healthNumber).to.equal(null);
    expect(byScenario(/Alberta number only/).healthNumber?.province).to.equal('AB');
    expect(REGISTRY.has(byScenario(/registry does not know/).healthNumber!.value)).to.equal(false);
  });

  it('has a demographic mismatch between the chart and the registry', () => {
    const patient = byScenario(/mismatch/);
    const entry = REGISTRY.get(patient.healthNumber!.value)!;
    expect(entry.givenName).not.to.equal(patient.givenName);
    expect(entry.birthDate).not.to.equal(patient.birthDate);
    expect(entry.familyName).to.equal(patient.familyName);
  });

  it('gives one patient hundreds of lab results, and some an empty record', () => {
    const large = REGISTRY.get(byScenario(/Large record/).healthNumber!.value)!;
    expect(recordFor(large).labs.length).to.be.at.least(300);
    const empty = [...REGISTRY.values()].filter((entry) => entry.record === 'empty');
    expect(empty.length).to.be.at.least(2);
    for (const entry of empty) expect(Object.values(recordFor(entry)).every((items) => items.length === 0)).to.equal(true);
  });

  it('gives the same record for the same PHN and day', () => {
    const entry = REGISTRY.values().next().value!;
    const today = new Date('2026-11-23T12:00:00Z');
    expect(recordFor(entry, today)).to.deep.equal(recordFor(entry, today));
  });

  it('keeps PharmaNet to the last 14 months', () => {
    const today = new Date('2026-11-23T12:00:00Z');
    const dispenses = [
      { date: '2026-11-01', drug: 'A', strength: '', quantity: 1, daysSupply: 1, pharmacy: '' },
      { date: '2025-09-24', drug: 'B', strength: '', quantity: 1, daysSupply: 1, pharmacy: '' },
      { date: '2025-09-22', drug: 'C', strength: '', quantity: 1, daysSupply: 1, pharmacy: '' },
    ];
    expect(lastFourteenMonths(dispenses, today).map((d) => d.drug)).to.deep.equal(['A', 'B']);
  });
});

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
});
