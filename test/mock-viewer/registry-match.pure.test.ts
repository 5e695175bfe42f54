// How the mock viewer's review screen compares a name from the EMR with the registry's: as a registry
// does, case, accents, repeated spaces and hyphens against spaces are no difference; a letter is.
// Runs in Node and in each browser engine.
import { expect } from 'chai';
import fc from 'fast-check';
import { normalizeName, sameName } from '../../src/mock-viewer/registry-match.js';

const RUNS = { numRuns: 2_000 };
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** Combining accents an EMR or a registry may keep or drop: acute, grave, circumflex, diaeresis, cedilla, tilde. */
const ACCENTS = ['\u0301', '\u0300', '\u0302', '\u0308', '\u0327', '\u0303'];
/** What may stand between two parts of a name: spaces, repeated or not, and hyphens. */
const SEPARATOR = fc.constantFrom(' ', '  ', '-', ' - ', '\u00a0', '\t', '\u2011');

/** A name of one to three parts of plain letters, as an array of parts. */
const nameParts = fc.array(fc.stringMatching(/^[a-z]{1,10}$/), { minLength: 1, maxLength: 3 });

/** The parts written another way: each letter in either case, with or without an accent, NFC or NFD, other separators. */
const variation = (parts: string[]) => fc.tuple(
  fc.array(fc.tuple(fc.boolean(), fc.option(fc.constantFrom(...ACCENTS), { nil: '' }), fc.boolean()), { minLength: parts.join('').length, maxLength: parts.join('').length }),
  fc.array(SEPARATOR, { minLength: parts.length - 1, maxLength: parts.length - 1 }),
  fc.constantFrom('', ' ', '  '),
).map(([letters, separators, padding]) => {
  let at = 0;
  const written = parts.map((part) => [...part].map((letter) => {
    const [upper, accent, composed] = letters[at++]!;
    const accented = (upper ? letter.toUpperCase() : letter) + accent;
    return composed ? accented.normalize('NFC') : accented;
  }).join(''));
  return padding + written.reduce((name, part, i) => `${name}${separators[i - 1]}${part}`) + padding;
});

describe('the registry match of names', () => {
  it('does not count case, accents, repeated spaces, or hyphens against spaces', () => {
    for (const [emr, registry] of [['MAPLE', 'Maple'], ['Bélanger', 'BELANGER'], ['Smith-Jones', 'Smith Jones'], ['Mary  Ann', 'mary ann'],
      [' Sandbox ', 'Sandbox'], ['ÉMILIE', 'Emilie'], ['Nuñez', 'NUNEZ'], ['Groß', 'GROSS'], ['O’Brien', 'O’BRIEN']]) {
      expect(sameName(emr!, registry!), `${emr} / ${registry}`).to.equal(true);
    }
  });

  it('counts a different letter, a missing letter or a missing space', () => {
    for (const [emr, registry] of [['Jon', 'John'], ['Mapel', 'Maple'], ['Sandbox', 'Sandbax'], ['Sand-box', 'Sandbox'], ['Maple', ''], ['Lea', 'Leo']]) {
      expect(sameName(emr!, registry!), `${emr} / ${registry}`).to.equal(false);
    }
  });

  it('normalising is idempotent, for any string', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })), (name) => {
      const once = normalizeName(name);
      expect(normalizeName(once)).to.equal(once);
    }), { numRuns: 10_000 });
  });

  it('any case, accent, space or hyphen variation of a name agrees with it', () => {
    fc.assert(fc.property(nameParts.chain((parts) => fc.tuple(fc.constant(parts.join(' ')), variation(parts))), ([name, written]) => {
      expect(sameName(written, name), JSON.stringify(written)).to.equal(true);
    }), RUNS);
  });

  it('a variation with one letter changed to another letter disagrees', () => {
    const changed = nameParts.chain((parts) => {
      const letters = parts.join('').length;
      return fc.tuple(fc.constant(parts), fc.nat(letters - 1), fc.integer({ min: 1, max: 25 }))
        .map(([parts, position, shift]) => {
          let at = 0;
          const other = parts.map((part) => [...part].map((letter) => (at++ === position ? LETTERS[(LETTERS.indexOf(letter) + shift) % 26]! : letter)).join(''));
          return [parts, other] as const;
        })
        .chain(([parts, other]) => fc.tuple(fc.constant(parts.join(' ')), variation(other)));
    });
    fc.assert(fc.property(changed, ([name, written]) => {
      expect(sameName(written, name), JSON.stringify(written)).to.equal(false);
    }), RUNS);
  });
});
