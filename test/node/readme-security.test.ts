/// <reference types="node" />
// What the README tells integrators about errors and security must match the code and the risks.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { message } from '../../src/components/messages.js';
import { ERROR_CODES } from '../../src/core/errors.js';
import { VIEWERS } from '../../src/core/viewers.js';

const readme = readFileSync('README.md', 'utf8');
/** The text of the section under `heading`, up to the next heading of its level or above. */
function section(heading: string): string {
  const start = readme.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `the README has "${heading}"`);
  const level = heading.split(' ')[0]!;
  const next = readme.slice(start + heading.length + 2).search(new RegExp(`\\n#{1,${level.length}} `));
  return readme.slice(start, next < 0 ? undefined : start + heading.length + 2 + next);
}

describe('the README on errors and security', () => {
  it('lists every error code with the sentence the button shows', () => {
    const table = section('### Error codes');
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
    const security = section('## Security model');
    assert.match(security, /tabnabbing/i);
    assert.match(security, /opener\.location/);
    assert.match(security, /session.replay/i);
    assert.match(security, /prototype/i);
  });

  it('says which form-action the form-post transport needs', () => {
    const csp = section('## Strict CSP');
    assert.match(csp, /form-action 'self' https:\/\/bc\.careconnect\.ca https:\/\/health\.careconnect\.ca/);
    assert.match(csp, /blocked-by-policy/);
  });
});
