/// <reference types="node" />
// The demo EMR's token service mints tokens for the known viewers only; the mock identity provider
// on the third origin sends its user back to the viewer only, with a one-time code for the launch that
// asked; and the demo, run on a vendor's laptop, answers only its own names, on the loopback, with its own files.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startDemoServer, type DemoServer } from '../../scripts/demo-server.js';
import { DEMO_TOKEN_PATH } from '../../src/mock-viewer/demo-emr.js';
import { networkAddress, portIsOpen, requestWithHost } from '../helpers/processes.js';

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

  /** A viewer page of its own: the HttpOnly cookie its server gave it, and its calls to that server. */
  async function viewerPage() {
    const config = await fetch(`${server.viewerOrigin}/mock-careconnect/session/config`);
    const cookie = (config.headers.get('set-cookie') ?? '').split(';')[0]!;
    const api = (path: string, body: unknown) => fetch(`${server.viewerOrigin}/mock-careconnect/session/${path}`, {
      method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body),
    });
    /** The viewer's way out to the identity provider, for its launch, then the app's approval: the code it comes back with. */
    const approve = async (requestId: string, role = 'provider', network = 'ppn') => {
      const out = await fetch(`${server.viewerOrigin}/mock-careconnect/session/sign-in?${new URLSearchParams({ method: 'bcsc', requestId, return: back() })}`, {
        redirect: 'manual', headers: { cookie },
      });
      assert.equal(out.status, 303);
      const pairing = await (await fetch(out.headers.get('location')!)).text();
      const request = /name="request" value="([\w-]+)"/.exec(pairing)![1]!;
      const approved = await signIn({ request, role, network, method: 'bcsc', return: back() });
      assert.equal(approved.status, 303);
      return new URL(approved.headers.get('location')!).searchParams.get('code')!;
    };
    return { cookie, api, approve };
  }

  it('approves a card-app pairing with a code the viewer trades once for the user, for the launch that asked only', async () => {
    const page = await viewerPage();
    assert.match(page.cookie, /^mock-careconnect-page=[\w-]{24}$/);
    const requestId = 'r-0123456789abcdef';
    assert.equal((await page.api('launch', { requestId, ctx })).status, 204);
    const code = await page.approve(requestId);
    const resumed = await (await page.api('resume', { requestId, code })).json();
    assert.deepEqual(resumed, { ctx, user: { name: 'Dr. Demo Provider', role: 'provider', pharmanet: true } });
    assert.equal((await (await page.api('resume', { requestId, code })).json()).user, null, 'a code works once');
    assert.equal((await page.api('resume', { requestId: 'r-unknown-000000', code })).status, 404);
  });

  it('an approval is tied to the launch that asked for it: no other launch, page or role gets its user', async () => {
    const [a, b] = [await viewerPage(), await viewerPage()];
    await a.api('launch', { requestId: 'r-a', ctx });
    await b.api('launch', { requestId: 'r-b', ctx: { ...ctx, user: { role: 'staff' }, network: 'internet' } });
    const code = await a.approve('r-a');
    assert.equal((await (await b.api('resume', { requestId: 'r-b', code })).json()).user, null, "another launch's approval");
    assert.equal((await b.api('resume', { requestId: 'r-a', code })).status, 404, 'another page cannot resume the launch');
    assert.equal((await (await a.api('resume', { requestId: 'r-a', code })).json()).user.name, 'Dr. Demo Provider');
    // The launch's own role and network go to the identity provider, whatever the page asks.
    const out = await fetch(`${server.viewerOrigin}/mock-careconnect/session/sign-in?${new URLSearchParams({ method: 'bcsc', requestId: 'r-b', return: back(), role: 'provider', network: 'ppn' })}`, {
      redirect: 'manual', headers: { cookie: b.cookie },
    });
    const to = new URL(out.headers.get('location')!);
    assert.deepEqual([to.searchParams.get('role'), to.searchParams.get('network')], ['staff', 'internet']);
    // An approval posted with no pairing shown for a launch: refused.
    assert.equal((await signIn({ method: 'bcsc', role: 'provider', network: 'ppn', return: back() })).status, 400);
    assert.equal((await signIn({ request: 'guessed-request-id', method: 'bcsc', return: back() })).status, 400);
  });

  /** The identity provider's page for a sign-in the viewer's server asked for. */
  const signInPage = async (query: Record<string, string>) => {
    const state = 'a-state-of-22-chars-xx';
    const html = await (await fetch(`${server.idpOrigin}/sign-in?${new URLSearchParams({ state, return: back(), ...query })}`)).text();
    return { html, request: /name="request" value="([\w-]+)"/.exec(html)![1]! };
  };

  it('a wrong password stays on the sign-in page, to try again; the rules fail the launch back at the viewer', async () => {
    const { request } = await signInPage({ method: 'ha' });
    const wrong = await signIn({ request, username: 'drlee', password: 'nope' });
    assert.equal(wrong.status, 200);
    assert.match(await wrong.text(), /Wrong username or password\. Try again\./);
    const staff = await signIn({ request: (await signInPage({ method: 'bcsc', role: 'staff', network: 'internet' })).request });
    const location = new URL(staff.headers.get('location')!);
    assert.equal(location.searchParams.get('error'), 'auth-failed');
    assert.match(location.searchParams.get('error_description')!, /Only providers/);
  });

  it('sends COOP in idp-coop, and holds in idp-slow with a page that goes back by itself', async () => {
    const coop = await fetch(`${server.idpOrigin}/sign-in?method=bcsc&coop=1&state=a-state-of-22-chars-xx&return=${encodeURIComponent(back())}`);
    assert.equal(coop.headers.get('cross-origin-opener-policy'), 'same-origin');
    const plain = await fetch(`${server.idpOrigin}/sign-in?method=bcsc&state=a-state-of-22-chars-xx&return=${encodeURIComponent(back())}`);
    assert.equal(plain.headers.get('cross-origin-opener-policy'), null);
    const held = await signIn({ request: (await signInPage({ method: 'bcsc', role: 'provider', network: 'ppn', hold: '90000' })).request });
    assert.equal(held.status, 200);
    assert.match(await held.text(), /<meta http-equiv="refresh" content="90;url=http:\/\/127\.0\.0\.1:\d+\/demo\/viewer\.html\?scenario=default&#38;code=[0-9a-f]{32}">/);
  });
});

describe('the demo server on a vendor\'s laptop', () => {
  let server: DemoServer;
  before(async () => {
    server = await startDemoServer({ port: 0, quiet: true });
  });
  after(() => server.stop());

  it('answers only its own names (DNS rebinding): another Host gets 421, on the EMR\'s, the viewer\'s and the identity provider\'s port', async () => {
    const idpPort = Number(new URL(server.idpOrigin).port);
    for (const [port, path] of [[server.port, '/demo/'], [server.port, '/mock-careconnect/session/config'], [idpPort, '/sign-in']] as const) {
      for (const host of ['attacker.example', `attacker.example:${port}`, `localhost.attacker.example:${port}`, `127.0.0.1:${port + 1}`]) {
        assert.equal((await requestWithHost(`http://127.0.0.1:${port}${path}`, host)).status, 421, `${host} ${path}`);
      }
      for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
        assert.notEqual((await requestWithHost(`http://127.0.0.1:${port}${path}`, host)).status, 421, `${host} ${path}`);
      }
    }
  });

  it('listens on the loopback only', async (t) => {
    const address = networkAddress();
    if (!address) return t.skip('no network address here');
    assert.equal(await portIsOpen(server.port), true);
    assert.equal(await portIsOpen(server.port, address), false, 'the demo');
    assert.equal(await portIsOpen(Number(new URL(server.idpOrigin).port), address), false, 'the identity provider');
  });

  it('opens no web socket: the dev server\'s live-reload socket took any Host and any Origin', async () => {
    const answer = await new Promise<number>((resolve, reject) => {
      request(`http://127.0.0.1:${server.port}/wds`, {
        headers: { host: 'attacker.example', origin: 'https://attacker.example', connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' },
      }).once('upgrade', (response, socket) => {
        socket.destroy();
        resolve(response.statusCode!);
      }).once('response', (response) => resolve(response.statusCode!)).once('error', reject).end();
    });
    assert.equal(answer, 421);
  });

  it('serves the demo\'s files only, not the repository', async () => {
    const get = (path: string) => fetch(`http://localhost:${server.port}${path}`);
    for (const path of ['/demo/', '/demo/demo.ts', '/demo/viewer.html', '/src/index.ts']) assert.equal((await get(path)).status, 200, path);
    for (const path of ['/package.json', '/README.md', '/test-vectors/launch-tokens.json', '/scripts/demo-server.ts', '/.git/HEAD',
      '/test/fixtures/csp-bundle.html', '/dist/careconnect-button.bundle.js', '/node_modules/jose/package.json', '/demo/../package.json']) {
      assert.equal((await get(path)).status, 404, path);
    }
  });
});
