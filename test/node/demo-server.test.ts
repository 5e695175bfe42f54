/// <reference types="node" />
// The demo EMR's token service mints tokens for the known viewers only.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startDemoServer, type DemoServer } from '../../scripts/demo-server.js';
import { DEMO_TOKEN_PATH } from '../../src/mock-viewer/demo-emr.js';

const ctx = {
  healthNumber: { province: 'BC', value: '9698658215' },
  patient: { id: 'chart-1' },
  location: { province: 'BC' },
  user: { role: 'provider' },
  network: 'ppn',
};

describe('the demo token service', () => {
  let server: DemoServer;
  before(async () => {
    server = await startDemoServer({ port: 0, quiet: true });
  });
  after(() => server.stop());

  const mint = (audience: string) => fetch(`http://localhost:${server.port}${DEMO_TOKEN_PATH}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ audience, ctx }),
  });

  it('mints a token for a known viewer', async () => {
    const response = await mint('bc-careconnect');
    assert.equal(response.status, 200);
    assert.match((await response.json()).token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('refuses an audience that only the prototype of VIEWERS has', async () => {
    for (const audience of ['constructor', '__proto__', 'toString']) {
      assert.equal((await mint(audience)).status, 400, audience);
    }
  });
});
