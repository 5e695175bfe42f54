/// <reference types="node" />
// The README's API tables are generated from custom-elements.json: they must match the element.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { updatedReadme } from '../../scripts/api-docs.mjs';

describe('the README API tables', () => {
  it('match custom-elements.json (run npm run docs after changing the element)', () => {
    const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8'));
    const readme = readFileSync('README.md', 'utf8');
    assert.equal(updatedReadme(readme, manifest), readme);
  });

  it('list every attribute, event, part and custom property', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const name of ['health-number', 'location-province', 'careconnect-error', 'careconnect-launch', '`retry`', '--careconnect-button-background']) {
      assert.ok(readme.includes(name), name);
    }
  });
});
