/// <reference types="node" />
// What the README and docs/security.md tell integrators about errors and security must match the
// code and the risks.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { message } from '../../src/components/messages.js';
import { ERROR_CODES } from '../../src/core/errors.js';
import { VIEWERS } from '../../src/core/viewers.js';

const readme = readFileSync('README.md', 'utf8');
/** The text of the section of `page` under `heading`, up to the next heading of its level or above. */
function section(page: string, heading: string): string {
  const text = readFileSync(page, 'utf8');
  const start = text.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `${page} has "${heading}"`);
  const level = heading.split(' ')[0]!;
  const next = text.slice(start + heading.length + 2).search(new RegExp(`\\n#{1,${level.length}} `));
  return text.slice(start, next < 0 ? undefined : start + heading.length + 2 + next);
}

describe('the README and docs/security.md on errors and security', () => {
  it('lists every error code with the sentence the button shows', () => {
    const table = section('README.md', '### Error codes');
    for (const code of ERROR_CODES) {
      const row = table.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
      assert.ok(row, `a row for ${code}`);
      if (code !== 'no-viewer') assert.ok(row.includes(message(code, VIEWERS['bc-careconnect'])), `the message of ${code}`);
    }
  });

  it('puts no PHI in attributes in the quick start: properties come first', () => {
    const quickStart = readme.slice(readme.indexOf('```html'), readme.indexOf('```', readme.indexOf('```html') + 3));
    for (const attribute of ['health-number=', 'given-name=', 'family-name=', 'birth-date=']) {
      assert.ok(!quickStart.includes(attribute), attribute);
    }
    assert.match(quickStart, /\.healthNumber = /);
  });

  it('covers reverse tabnabbing and PHI in attributes in the security model', () => {
    const model = section('docs/security.md', '## Security model');
    assert.match(model, /tabnabbing/i);
    assert.match(model, /opener\.location/);
    assert.match(model, /session.replay/i);
    assert.match(model, /prototype/i);
  });

  it('says which form-action the form-post transport needs', () => {
    const csp = section('docs/security.md', '## Strict CSP');
    assert.match(csp, /form-action 'self' https:\/\/bc\.careconnect\.ca https:\/\/health\.careconnect\.ca/);
    assert.match(csp, /blocked-by-policy/);
  });
});
