// Runs in each browser engine (web-test-runner) and in Node with no DOM (node:test via test/node-globals.mjs).
import { expect } from 'chai';
import { VIEWERS, isViewerId, selectViewer } from '../../src/core/viewers.js';

describe('selectViewer', () => {
  const idFor = (locationProvince?: string | null, accountProvince?: string | null) =>
    selectViewer({ locationProvince, accountProvince })?.id ?? null;

  it("picks the location's province over the account's", () => {
    expect(idFor('AB', 'BC')).to.equal('ab-netcare');
    expect(idFor('BC', 'AB')).to.equal('bc-careconnect');
  });

  it("falls back to the account's province when the location has none", () => {
    expect(idFor(undefined, 'BC')).to.equal('bc-careconnect');
    expect(idFor(null, 'AB')).to.equal('ab-netcare');
    expect(idFor('', 'BC')).to.equal('bc-careconnect');
    expect(idFor('  ', 'BC')).to.equal('bc-careconnect');
  });

  it('never offers eChart Manitoba, and does not fall back to the account at a Manitoba location', () => {
    expect(idFor('MB', 'BC')).to.equal(null);
    expect(idFor(undefined, 'MB')).to.equal(null);
    expect(Object.values(VIEWERS).some((v) => v.province === 'MB')).to.equal(false);
  });

  it('gives null for unknown codes and for provinces without a viewer', () => {
    expect(idFor('XX', 'BC')).to.equal(null);
    expect(idFor('British Columbia')).to.equal(null);
    expect(idFor('PE')).to.equal(null);
    expect(idFor('YT')).to.equal(null);
    expect(idFor()).to.equal(null);
  });

  it('reads codes case-insensitively', () => {
    expect(idFor('bc')).to.equal('bc-careconnect');
    expect(idFor('Ab')).to.equal('ab-netcare');
    expect(idFor(undefined, 'on')).to.equal('on-connecting-ontario');
  });

  it('reads no province code through a non-ASCII letter that upper-cases to ASCII', () => {
    expect(idFor('ſk')).to.equal(null); // the long s upper-cases to S
    expect(idFor('\u0131n')).to.equal(null); // the dotless i upper-cases to I
  });

  it('is total over odd input from JS callers', () => {
    for (const odd of [null, undefined, 42, 'BC', [], { locationProvince: 7 }, { accountProvince: {} }]) {
      expect(() => selectViewer(odd as never)).not.to.throw();
    }
  });

  it('offers one viewer for each province that has one', () => {
    const provinces = ['BC', 'AB', 'SK', 'ON', 'QC', 'NS', 'NB', 'NL'];
    expect(provinces.map((p) => selectViewer({ locationProvince: p })?.province)).to.deep.equal(provinces);
  });
});

describe('VIEWERS', () => {
  it('knows both CareConnect launch URLs and derives its origin from the PPN one', () => {
    const careConnect = VIEWERS['bc-careconnect'];
    expect(careConnect).to.include({
      name: 'BC CareConnect',
      province: 'BC',
      healthNumberProvince: 'BC',
      launchUrl: 'https://bc.careconnect.ca/Welcome/Search',
      origin: 'https://bc.careconnect.ca',
    });
    expect(careConnect.launchUrls).to.deep.equal({
      ppn: 'https://bc.careconnect.ca/Welcome/Search',
      internet: 'https://health.careconnect.ca/Welcome/Search',
    });
  });

  it('labels Alberta as Alberta Netcare Portal', () => {
    expect(VIEWERS['ab-netcare'].name).to.equal('Alberta Netcare Portal');
  });

  it('is frozen, so a host cannot repoint a viewer for every other caller', () => {
    expect(Object.isFrozen(VIEWERS)).to.equal(true);
    expect(Object.isFrozen(VIEWERS['bc-careconnect'])).to.equal(true);
  });
});

describe('isViewerId', () => {
  it('knows the viewers, and nothing the prototype of VIEWERS has', () => {
    expect(Object.keys(VIEWERS).every(isViewerId)).to.equal(true);
    for (const odd of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'mb-echart', '', null, 42]) {
      expect(isViewerId(odd), String(odd)).to.equal(false);
    }
  });
});
