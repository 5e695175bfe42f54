/// <reference types="node" />
// dist/integrity.json, written by the build: every file a page loads from the bundle's folder, with
// the Subresource Integrity hash of the bytes beside it.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { browserFiles } from '../../scripts/integrity.mjs';

const integrity: Record<string, string> = JSON.parse(readFileSync('dist/integrity.json', 'utf8'));

describe('dist/integrity.json', () => {
  it('lists the bundle and every chunk it loads, and nothing else', () => {
    assert.deepEqual(Object.keys(integrity).sort(), browserFiles().sort());
    assert.deepEqual(browserFiles(), ['careconnect-button.bundle.js', 'careconnect-button.form-post.js', 'careconnect-button.messages-fr.js']);
    // Each chunk the bundle imports is one of them: a new lazy chunk cannot go unpinned.
    const imported = [...readFileSync('dist/careconnect-button.bundle.js', 'utf8').matchAll(/import\("\.\/([^"]+)"\)/g)].map((m) => m[1]);
    assert.deepEqual(imported.sort(), ['careconnect-button.form-post.js', 'careconnect-button.messages-fr.js']);
  });

  it("gives each file's sha384, as a browser computes it for integrity=", () => {
    for (const [file, hash] of Object.entries(integrity)) {
      const expected = `sha384-${createHash('sha384').update(readFileSync(`dist/${file}`)).digest('base64')}`;
      assert.equal(hash, expected, file);
    }
  });
});
