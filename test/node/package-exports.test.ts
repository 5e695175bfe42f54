// The published entry points, imported by package name from the build, in Node with no DOM.
/// <reference types="node" />
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

describe('careconnect-launch/core in Node', () => {
  it('imports without a DOM and validates a PHN', async () => {
    assert.equal(typeof (globalThis as { document?: unknown }).document, 'undefined');
    const core = await import('careconnect-launch/core');
    assert.deepEqual(core.validateHealthNumber('BC', '9698 658 215'), {
      valid: true,
      province: 'BC',
      value: '9698658215',
      display: '9698 658 215',
    });
    assert.equal(core.selectViewer({ locationProvince: 'AB', accountProvince: 'BC' })?.name, 'Alberta Netcare Portal');
  });

  it('exposes the public core names and nothing that needs a browser', async () => {
    const core = await import('careconnect-launch/core');
    for (const name of ['validateHealthNumber', 'selectViewer', 'VIEWERS', 'ERROR_CODES']) {
      assert.ok(name in core, `${name} is exported`);
    }
    assert.ok(!('CareConnectButton' in core));
  });
});
