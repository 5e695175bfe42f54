// Runs in each browser engine (web-test-runner) and in Node with no DOM (node:test via test/node-globals.mjs).
import { expect } from 'chai';
import { validateHealthNumber } from '../../src/core/health-number.js';

describe('validateHealthNumber', () => {
  describe('a BC PHN', () => {
    for (const phn of ['9698658215', '9735353315', '9735361219', '9012372173', '9151247483']) {
      it(`accepts the published test PHN ${phn}`, () => {
        const result = validateHealthNumber('BC', phn);
        expect(result).to.deep.equal({
          valid: true,
          province: 'BC',
          value: phn,
          display: `${phn.slice(0, 4)} ${phn.slice(4, 7)} ${phn.slice(7)}`,
        });
      });
    }

    it('tolerates spaces, dashes, lower-case province and surrounding blanks', () => {
      for (const input of ['9698 658 215', '9698-658-215', ' 9698658215 ', '96-98 658-215', '9698\u00a0658\u2013215']) {
        expect(validateHealthNumber('bc', input)).to.include({ valid: true, value: '9698658215' });
      }
    });

    it('rejects a wrong check digit as checksum', () => {
      expect(validateHealthNumber('BC', '9698648215')).to.deep.equal({ valid: false, province: 'BC', reason: 'checksum' });
    });

    it('rejects a remainder of 0 (which python-stdnum would accept) as checksum', () => {
      expect(validateHealthNumber('BC', '9100000030')).to.include({ valid: false, reason: 'checksum' });
    });

    it('rejects a remainder of 1, for which no check digit exists', () => {
      // Digits 2-9 of 96000000x0 weigh 6 * 2 = 12, and 12 mod 11 = 1: 11 - 1 = 10 is no digit.
      for (let check = 0; check <= 9; check++) {
        expect(validateHealthNumber('BC', `960000000${check}`).valid, `check digit ${check}`).to.equal(false);
      }
    });

    it('rejects a number without the leading 9 as format', () => {
      expect(validateHealthNumber('BC', '5736504210')).to.deep.equal({ valid: false, province: 'BC', reason: 'format' });
    });

    const formatCases: Array<[string, unknown]> = [
      ['9 digits', '969865821'],
      ['11 digits', '96986582150'],
      ['a letter', '9698A58215'],
      ['full-width digits', '９６９８６５８２１５'],
      ['Arabic-Indic digits', '٩٦٩٨٦٥٨٢١٥'],
      ['a dot separator', '9698.658.215'],
      ['a tab inside', '9698\t658215'],
      ['a 10,000-character string', '9'.repeat(10_000)],
      ['a JS number', 9698658215],
      ['an object', { value: '9698658215' }],
      ['an array', ['9698658215']],
      ['a boolean', true],
    ];
    for (const [label, input] of formatCases) {
      it(`gives format for ${label}`, () => {
        expect(validateHealthNumber('BC', input)).to.deep.equal({ valid: false, province: 'BC', reason: 'format' });
      });
    }

    for (const [label, input] of [['null', null], ['undefined', undefined], ['an empty string', ''], ['blanks and dashes', '  - ']] as const) {
      it(`gives empty for ${label}`, () => {
        expect(validateHealthNumber('BC', input)).to.deep.equal({ valid: false, province: 'BC', reason: 'empty' });
      });
    }
  });

  describe('other provinces', () => {
    const valid: Array<[string, string, string, string]> = [
      ['AB', '12345-6789', '123456789', '12345-6789'],
      ['SK', '123 456 789', '123456789', '123 456 789'],
      ['ON', '1234-567-897', '1234567897', '1234 567 897'],
      ['ON', '1234 567 897 ab', '1234567897AB', '1234 567 897 AB'],
      ['ON', '1234567897K', '1234567897K', '1234 567 897 K'],
      ['QC', 'tres 5503 1512', 'TRES55031512', 'TRES 5503 1512'],
      ['NS', '1234567890', '1234567890', '1234 567 890'],
      ['NB', '123456789', '123456789', '123 456 789'],
      ['NL', '123456789012', '123456789012', '123 456 789 012'],
    ];
    for (const [province, input, value, display] of valid) {
      it(`accepts ${province} ${input}`, () => {
        expect(validateHealthNumber(province, input)).to.deep.equal({ valid: true, province, value, display });
      });
    }

    const invalid: Array<[string, string, string]> = [
      ['AB', '1234567890', 'format'],
      ['SK', '12345678', 'format'],
      ['ON', '1234567890', 'checksum'],
      ['ON', '1234567897ABC', 'format'],
      ['QC', 'TRES55131512', 'checksum'],
      ['QC', 'TRES55030012', 'checksum'],
      ['QC', '1234 5503 1512', 'format'],
      ['NS', '123456789', 'format'],
      ['NB', '1234567890', 'format'],
      ['NL', '12345678901', 'format'],
    ];
    for (const [province, input, reason] of invalid) {
      it(`rejects ${province} ${input} as ${reason}`, () => {
        expect(validateHealthNumber(province, input)).to.deep.equal({ valid: false, province, reason });
      });
    }

    // Upper-casing folds some non-ASCII letters into ASCII ones: ß to SS, ﬀ to FF, ı to I.
    const folded: Array<[string, string]> = [
      ['QC', 'ßß01010101'],
      ['QC', 'ﬀab 5503 1512'],
      ['QC', 'tıes 5503 1512'],
      ['QC', 'ſres 5503 1512'],
      ['ON', '1234567897ß'],
    ];
    for (const [province, input] of folded) {
      it(`refuses the non-ASCII letters of ${province} ${input} as format, before upper-casing folds them`, () => {
        expect(validateHealthNumber(province, input)).to.deep.equal({ valid: false, province, reason: 'format' });
      });
    }

    it('reads no province rule from a polluted Object.prototype', () => {
      const proto = Object.prototype as Record<string, unknown>;
      proto.MB = proto.PE = { pattern: /^/, display: '' };
      try {
        expect(validateHealthNumber('MB', '123456789')).to.deep.equal({ valid: false, province: 'MB', reason: 'unsupported' });
        expect(validateHealthNumber('PE', 'anything')).to.deep.equal({ valid: false, province: 'PE', reason: 'unsupported' });
      } finally {
        delete proto.MB;
        delete proto.PE;
      }
    });

    it('gives unsupported for Manitoba, whose viewer is never offered', () => {
      expect(validateHealthNumber('MB', '123456789')).to.deep.equal({ valid: false, province: 'MB', reason: 'unsupported' });
    });

    it('never echoes a health number passed as the province by mistake', () => {
      expect(validateHealthNumber('9698658215', 'BC')).to.deep.equal({ valid: false, province: '', reason: 'unsupported' });
    });

    for (const province of ['XX', '', null, undefined, 42, {}]) {
      it(`gives unsupported, without throwing, for the province ${JSON.stringify(province)}`, () => {
        expect(validateHealthNumber(province, '9698658215')).to.include({ valid: false, reason: 'unsupported' });
      });
    }
  });
});
