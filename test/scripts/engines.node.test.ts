/// <reference types="node" />
// Which engines `npm test` runs (ENGINES=) and how it names a missing one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENGINES, missingEngine, selectedEngines } from '../../scripts/engines.mjs';

describe('the browser engines', () => {
  it('are all three by default, and ENGINES picks some, always in the same order', () => {
    assert.deepEqual(selectedEngines(''), ['chromium', 'firefox', 'webkit']);
    assert.deepEqual(selectedEngines('webkit, chromium'), ['chromium', 'webkit']);
  });

  it('refuses an engine it does not know, naming the ones it does', () => {
    assert.throws(() => selectedEngines('safari'), /Unknown engine safari: choose from chromium, firefox, webkit/);
  });

  it('names the one apt-get line that installs a missing engine', () => {
    const { files } = ENGINES.webkit;
    ENGINES.webkit.files = [...files, '/nonexistent/MiniBrowser'];
    try {
      assert.equal(missingEngine('webkit'), 'sudo apt-get update && sudo apt-get install -y webkit2gtk-driver xvfb');
    } finally {
      ENGINES.webkit.files = files;
    }
  });
});
