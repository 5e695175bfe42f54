/// <reference types="node" />
// The demo EMR's token service mints tokens for the known viewers only; the mock identity provider
// on the third origin sends its user back to the viewer only, with a one-time code.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startDemoServer, type DemoServer } from '../../scripts/demo-server.js';
import { DEMO_TOKEN_PATH } from '../../src/mock-viewer/demo-emr.js';

// Maple Sandbox, as the demo EMR's records hold her.
const ctx = {
  healthNumber: { province: 'BC', value: '9386339244' },
  patient: { id: 'chart-1001' },
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

  const mint = (audience: string, asked: object = ctx) => fetch(`http://localhost:${server.port}${DEMO_TOKEN_PATH}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ audience, ctx: asked }),
  });

  it('mints a token for a known viewer', async () => {
    const response = await mint('bc-careconnect');
    assert.equal(response.status, 200);
    assert.match((await response.json()).token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it("signs its records' chart: another health number for the chart is 409, a chart it does not hold 403", async () => {
    const otherNumber = { ...ctx, healthNumber: { province: 'BC', value: '9056509793' } };
    assert.equal((await mint('bc-careconnect', otherNumber)).status, 409);
    assert.equal((await mint('bc-careconnect', { ...ctx, patient: { id: 'chart-9999' } })).status, 403);
  });

  it('refuses an audience that only the prototype of VIEWERS has', async () => {
    for (const audience of ['constructor', '__proto__', 'toString']) {
      assert.equal((await mint(audience)).status, 400, audience);
    }
  });
});

describe('the mock identity provider', () => {
  let server: DemoServer;
  before(async () => {
    server = await startDemoServer({ port: 0, quiet: true });
  });
  after(() => server.stop());

  const signIn = (fields: Record<string, string>) => fetch(`${server.idpOrigin}/sign-in`, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields),
  });
  const back = () => `${server.viewerOrigin}/demo/viewer.html?scenario=default`;

  it('is a third origin, on a port of its own', () => {
    const origins = new Set([new URL(server.emrUrl).origin, server.viewerOrigin, server.idpOrigin]);
    assert.equal(origins.size, 3);
    assert.notEqual(new URL(server.idpOrigin).port, String(server.port));
  });

  it('sends the user back to the viewer only: no open redirect', async () => {
    const response = await fetch(`${server.idpOrigin}/sign-in?method=bcsc&return=${encodeURIComponent('https://attacker.example/')}`);
    assert.equal(response.status, 400);
    assert.equal((await signIn({ method: 'bcsc', return: 'https://attacker.example/' })).status, 400);
  });

  it('approves a card-app pairing with a code the viewer trades once for the user', async () => {
    const response = await signIn({ method: 'bcsc', role: 'provider', network: 'ppn', return: back() });
    assert.equal(response.status, 303);
    const location = new URL(response.headers.get('location')!);
    assert.equal(location.origin, server.viewerOrigin);
    const code = location.searchParams.get('code')!;
    const requestId = 'r-0123456789abcdef';
    const viewerApi = (path: string, body: unknown) => fetch(`${server.viewerOrigin}/mock-careconnect/session/${path}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    assert.equal((await viewerApi('launch', { requestId, ctx })).status, 204);
    const resumed = await (await viewerApi('resume', { requestId, code })).json();
    assert.deepEqual(resumed, { ctx, user: { name: 'Dr. Demo Provider', role: 'provider', pharmanet: true } });
    assert.equal((await (await viewerApi('resume', { requestId, code })).json()).user, null, 'a code works once');
    assert.equal((await viewerApi('resume', { requestId: 'r-unknown-000000', code })).status, 404);
  });

  it('a wrong password stays on the sign-in page, to try again; the rules fail the launch back at the viewer', async () => {
    const wrong = await signIn({ method: 'ha', username: 'drlee', password: 'nope', return: back() });
    assert.equal(wrong.status, 200);
    assert.match(await wrong.text(), /Wrong username or password\. Try again\./);
    const staff = await signIn({ method: 'bcsc', role: 'staff', network: 'internet', return: back() });
    const location = new URL(staff.headers.get('location')!);
    assert.equal(location.searchParams.get('error'), 'auth-failed');
    assert.match(location.searchParams.get('error_description')!, /Only providers/);
  });

  it('sends COOP in idp-coop, and holds in idp-slow with a page that goes back by itself', async () => {
    const coop = await fetch(`${server.idpOrigin}/sign-in?method=bcsc&coop=1&return=${encodeURIComponent(back())}`);
    assert.equal(coop.headers.get('cross-origin-opener-policy'), 'same-origin');
    const plain = await fetch(`${server.idpOrigin}/sign-in?method=bcsc&return=${encodeURIComponent(back())}`);
    assert.equal(plain.headers.get('cross-origin-opener-policy'), null);
    const held = await signIn({ method: 'bcsc', role: 'provider', network: 'ppn', hold: '90000', return: back() });
    assert.equal(held.status, 200);
    assert.match(await held.text(), /<meta http-equiv="refresh" content="90;url=http:\/\/127\.0\.0\.1:\d+\/demo\/viewer\.html\?scenario=default&#38;code=[0-9a-f]{32}">/);
  });
});
