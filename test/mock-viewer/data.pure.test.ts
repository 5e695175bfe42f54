// The mock viewer's synthetic data set. Runs in each browser engine and in Node.
import { expect } from 'chai';
import { validateHealthNumber } from '../../src/core/health-number.js';
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

  it('has Ontario and Quebec patients whose numbers pass their province\'s rule, and one of each that fails it', () => {
    for (const province of ['ON', 'QC'] as const) {
      const patients = SYNTHETIC_PATIENTS.filter((p) => p.healthNumber?.province === province);
      const results = patients.map((p) => validateHealthNumber(province, p.healthNumber!.value));
      expect(results.filter((r) => r.valid).length, province).to.be.at.least(2);
      expect(results.filter((r) => !r.valid).map((r) => !r.valid && r.reason), province).to.deep.equal(['checksum']);
    }
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

  it('gives Ontario and Quebec patients records of their own, letters in their numbers notwithstanding', () => {
    const today = new Date('2026-11-23T12:00:00Z');
    const lettered = [...REGISTRY.values()].filter((entry) => /[A-Z]/.test(entry.phn));
    expect(lettered.length).to.be.at.least(3);
    const records = new Set(lettered.map((entry) => JSON.stringify(recordFor(entry, today))));
    expect(records.size).to.equal(lettered.length);
  });

  it('names hospitals of the number\'s own province in each record', () => {
    const today = new Date('2026-11-23T12:00:00Z');
    const facilitiesOf = (province: string) => new Set([...REGISTRY.values()].filter((entry) => entry.province === province)
      .flatMap((entry) => { const record = recordFor(entry, today); return [...record.encounters, ...record.imaging, ...record.documents].map((item) => item.facility); }));
    expect([...facilitiesOf('ON')]).to.include('Toronto General Hospital').and.not.to.include('Vancouver General Hospital');
    expect([...facilitiesOf('QC')].every((name) => /Hôpital|CHU/.test(name)), [...facilitiesOf('QC')].join(', ')).to.equal(true);
    expect([...facilitiesOf('BC')]).to.include('Vancouver General Hospital').and.not.to.include('Toronto General Hospital');
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
