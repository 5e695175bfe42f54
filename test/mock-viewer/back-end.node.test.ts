/// <reference types="node" />
// The mock viewer's Node back end (npm start and careconnect-launch mock-viewer): its config, the
// EMR's JWKS from its own origin, and the legacy form POST, whose fields stay on the server.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { createMockViewerBackEnd } from '../../src/mock-viewer/node/back-end.js';
import { SCENARIO_NAMES, scenarios } from '../../src/mock-viewer/msw/handlers.js';
import { freePort, networkAddress, portIsOpen, requestWithHost, waitForOutput, listenOnLoopback } from '../helpers/processes.js';

const JWKS = { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k1' }] };

describe('the mock viewer back end', () => {
  let server: Server;
  let base = '';
  let jwksFails = false;
  const jwksErrors: unknown[] = [];
  before(async () => {
    const backEnd = createMockViewerBackEnd({
      emrOrigins: ['http://localhost:3000', 'https://emr.example'],
      issuer: 'https://emr.example',
      jwks: async () => {
        if (jwksFails) throw new TypeError('http://localhost:3000/jwks.json answered 500');
        return JWKS;
      },
      identityProvider: { origin: 'http://127.0.0.1:1', exchange: (code) => (code === 'good' ? { name: 'Dr. Test', role: 'provider', pharmanet: true } : null) },
      serviceWorker: '/mockServiceWorker.js',
      sendPage: (res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<mock-viewer-app></mock-viewer-app>'),
      onJwksError: (error) => jwksErrors.push(error),
    });
    server = createServer(async (req, res) => {
      if (!(await backEnd(req, res))) res.writeHead(418).end();
    });
    base = await listenOnLoopback(server);
  });
  after(() => server.close());

  const post = (path: string, body: unknown, cookie = '') => fetch(`${base}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body),
  });

  it('tells the page who may launch it, whose keys it trusts and where users sign in', async () => {
    assert.deepEqual(await (await fetch(`${base}/mock-careconnect/session/config`)).json(), {
      emrOrigins: ['http://localhost:3000', 'https://emr.example'],
      issuer: 'https://emr.example',
      jwksUrl: '/mock-careconnect/session/jwks',
      identityProvider: 'http://127.0.0.1:1/sign-in',
      scenario: 'default',
      serviceWorker: '/mockServiceWorker.js',
    });
  });

  it('serves the EMR\'s JWKS from its own origin, and says why when it cannot read it', async () => {
    assert.deepEqual(await (await fetch(`${base}/mock-careconnect/session/jwks`)).json(), JWKS);
    jwksFails = true;
    const response = await fetch(`${base}/mock-careconnect/session/jwks`);
    jwksFails = false;
    assert.equal(response.status, 502);
    assert.match((await response.json()).message, /JWKS could not be read: http:\/\/localhost:3000\/jwks\.json answered 500/);
    assert.equal(jwksErrors.length, 1);
  });

  it('answers a form POST with the page, keeping the fields on the server under an HttpOnly cookie', async () => {
    const response = await fetch(`${base}/Welcome/Search`, {
      method: 'POST', redirect: 'manual', body: new URLSearchParams({ phn: '9386339244', fn: 'Maple', ln: 'Sandbox', dob: '19580412', g: 'F', o: 'CLINIC01' }),
    });
    assert.equal(response.status, 200);
    assert.equal(await response.text(), '<mock-viewer-app></mock-viewer-app>');
    const setCookie = response.headers.get('set-cookie')!;
    assert.match(setCookie, /^mock-careconnect-form=[\w-]{24}; HttpOnly; SameSite=Lax; Path=\/; Max-Age=900$/);
    assert.ok(![...response.headers.values()].some((value) => value.includes('9386339244')), 'the PHN is in no header');
    const cookie = setCookie.split(';')[0]!;
    const ctx = {
      healthNumber: { province: 'BC', value: '9386339244' },
      patient: { id: 'form-post', givenName: 'Maple', familyName: 'Sandbox', birthDate: '1958-04-12', gender: 'female' },
      location: { province: 'BC' }, user: { role: 'provider' }, network: 'ppn',
    };
    assert.deepEqual(await (await post('/mock-careconnect/session/form', {}, cookie)).json(), { ctx, user: null });
    // Back from the identity provider: the launch is still there, with the user its code stands for.
    assert.deepEqual((await (await post('/mock-careconnect/session/form', { code: 'good' }, cookie)).json()).user.name, 'Dr. Test');
    assert.equal((await post('/mock-careconnect/session/form', {})).status, 404, 'no cookie, no launch');
    assert.equal((await post('/mock-careconnect/session/form', {}, 'mock-careconnect-form=guessed')).status, 404);
  });

  it('takes a form as real EMRs post it: field names in either case, g in any case, a PHN with spaces', async () => {
    // Juno EMR's careConnectForm.jsp: names as its chart stores them, `O=Nan`; others write `o` and `g=f`.
    const forms: Array<Record<string, string>> = [
      { phn: '9386 339 244', fn: 'MAPLE', ln: 'SANDBOX', dob: '19580412', g: 'F', O: 'Nan' },
      { PHN: '9386-339-244', FN: 'MAPLE', LN: 'SANDBOX', DOB: '19580412', G: ' f ', o: 'CLINIC01' },
    ];
    for (const fields of forms) {
      const response = await fetch(`${base}/Welcome/Search`, { method: 'POST', body: new URLSearchParams(fields) });
      const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
      const { ctx } = await (await post('/mock-careconnect/session/form', {}, cookie)).json();
      assert.deepEqual({ phn: ctx.healthNumber.value, ...ctx.patient }, {
        phn: '9386339244', id: 'form-post', givenName: 'MAPLE', familyName: 'SANDBOX', birthDate: '1958-04-12', gender: 'female',
      }, JSON.stringify(fields));
    }
  });

  it('keeps a form launch\'s sign-in for the next patient posted, until the user signs out', async () => {
    const formPost = async (phn: string) => {
      const response = await fetch(`${base}/Welcome/Search`, { method: 'POST', body: new URLSearchParams({ phn, fn: 'A', ln: 'B' }) });
      return response.headers.get('set-cookie')!.split(';')[0]!;
    };
    const first = await formPost('9386339244');
    const signedIn = await post('/mock-careconnect/session/form', { code: 'good' }, first);
    const userCookie = signedIn.headers.get('set-cookie')!;
    assert.match(userCookie, /^mock-careconnect-user=[\w-]{24}; HttpOnly; SameSite=Lax; Path=\/; Max-Age=900$/);
    const cookies = (form: string) => `${form}; ${userCookie.split(';')[0]}`;
    const second = await formPost('9056509793');
    const next = await (await post('/mock-careconnect/session/form', {}, cookies(second))).json();
    assert.equal(next.ctx.healthNumber.value, '9056509793');
    assert.equal(next.user.name, 'Dr. Test', 'no new sign-in for the next patient');
    assert.equal((await post('/mock-careconnect/session/sign-out', {}, cookies(second))).status, 204);
    assert.equal((await (await post('/mock-careconnect/session/form', {}, cookies(second))).json()).user, null, 'signed out');
  });

  it('drops the earlier patient when a form POST brings none: the window never shows the previous patient', async () => {
    const first = await fetch(`${base}/Welcome/Search`, { method: 'POST', body: new URLSearchParams({ phn: '9386 339 244', fn: 'Maple' }) });
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    assert.equal((await post('/mock-careconnect/session/form', {}, cookie)).status, 200);
    const empty = await fetch(`${base}/Welcome/Search`, { method: 'POST', body: new URLSearchParams({ fn: 'Cedar' }), headers: { cookie } });
    assert.equal(empty.status, 200);
    assert.match(empty.headers.get('set-cookie') ?? '', /Max-Age=0/);
    assert.equal((await post('/mock-careconnect/session/form', {}, cookie)).status, 404, 'no patient was posted: not the previous one');
  });

  it('keeps nothing for a form POST with no PHN, and leaves other paths to the caller', async () => {
    const response = await fetch(`${base}/Welcome/Search`, { method: 'POST', body: new URLSearchParams({ fn: 'Maple' }) });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('set-cookie'), null);
    assert.equal((await fetch(`${base}/demo/`)).status, 418);
    assert.equal((await fetch(`${base}/Welcome/Search`)).status, 418, 'a GET is the caller\'s: it serves the page');
  });

  const ctx = {
    healthNumber: { province: 'BC', value: '9386339244' }, patient: { id: 'chart-1001', givenName: 'Maple' },
    location: { province: 'BC' }, user: { role: 'provider' }, network: 'ppn',
  };
  /** A viewer page's own cookie, as its first request (the config) gets it. */
  const pageCookie = async () => ((await fetch(`${base}/mock-careconnect/session/config`)).headers.get('set-cookie') ?? '').split(';')[0]!;

  it('gives each viewer page an HttpOnly cookie, and keeps a launch for that page only', async () => {
    const config = await fetch(`${base}/mock-careconnect/session/config`);
    assert.match(config.headers.get('set-cookie') ?? '', /^mock-careconnect-page=[\w-]{24}; HttpOnly; SameSite=Lax; Path=\/mock-careconnect\/session$/);
    const [mine, theirs] = [await pageCookie(), await pageCookie()];
    assert.equal((await post('/mock-careconnect/session/launch', { requestId: 'r-1', ctx }, mine)).status, 204);
    assert.equal((await post('/mock-careconnect/session/resume', { requestId: 'r-1' }, mine)).status, 200);
    assert.equal((await post('/mock-careconnect/session/resume', { requestId: 'r-1' }, theirs)).status, 404, "another page's cookie");
    for (const cookie of ['', 'mock-careconnect-page=guessed-guessed-guessed0']) {
      assert.equal((await post('/mock-careconnect/session/resume', { requestId: 'r-1' }, cookie)).status, 403, `resume with "${cookie}"`);
      assert.equal((await post('/mock-careconnect/session/claim', { jti: 'j-1', expiresAt: Date.now() / 1000 + 60 }, cookie)).status, 403, `claim with "${cookie}"`);
      assert.equal((await post('/mock-careconnect/session/launch', { requestId: 'r-2', ctx }, cookie)).status, 403, `launch with "${cookie}"`);
    }
    assert.equal((await post('/mock-careconnect/session/claim', { jti: 'j-1', expiresAt: Date.now() / 1000 + 60 }, mine)).status, 201);
    assert.equal((await post('/mock-careconnect/session/claim', { jti: 'j-1', expiresAt: Date.now() / 1000 + 60 }, theirs)).status, 409, 'a replay from any page');
  });

  it('takes no cross-origin POST: text/plain (no preflight) gets 415, another Origin or site 403', async () => {
    const cookie = await pageCookie();
    const send = (headers: Record<string, string>) => fetch(`${base}/mock-careconnect/session/launch`, {
      method: 'POST', headers: { cookie, ...headers }, body: JSON.stringify({ requestId: 'r-x', ctx }),
    });
    assert.equal((await send({ 'content-type': 'text/plain' })).status, 415);
    assert.equal((await send({ 'content-type': 'application/x-www-form-urlencoded' })).status, 415);
    assert.equal((await send({ 'content-type': 'application/json', origin: 'http://attacker.example' })).status, 403);
    assert.equal((await send({ 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' })).status, 403);
    assert.equal((await send({ 'content-type': 'application/json', origin: base, 'sec-fetch-site': 'same-origin' })).status, 204);
  });

  it('caps what it keeps: a launch over 4 KB is refused, and 3,000 launches evict the oldest', async () => {
    const cookie = await pageCookie();
    const big = { ...ctx, patient: { id: 'x'.repeat(15_000) } };
    assert.equal((await post('/mock-careconnect/session/launch', { requestId: 'r-big', ctx: big }, cookie)).status, 413);
    assert.equal((await post('/mock-careconnect/session/launch', { requestId: 'r-junk', ctx: { junk: 'x'.repeat(1_000) } }, cookie)).status, 400);
    for (let i = 0; i < 3_000; i++) {
      const status = (await post('/mock-careconnect/session/launch', { requestId: `r-${i}`, ctx: { ...ctx, patient: { id: `${i}`.padEnd(3_000, 'x') } } }, cookie)).status;
      assert.equal(status, 204);
    }
    assert.equal((await post('/mock-careconnect/session/resume', { requestId: 'r-0' }, cookie)).status, 404, 'the oldest went');
    assert.equal((await post('/mock-careconnect/session/resume', { requestId: 'r-2999' }, cookie)).status, 200, 'the newest stays');
  });

  it('knows each scenario by name, without msw, as msw knows its handlers', () => {
    assert.deepEqual([...SCENARIO_NAMES], Object.keys(scenarios));
  });
});

describe('careconnect-launch mock-viewer on a vendor\'s laptop', { timeout: 30_000 }, () => {
  let child: ChildProcess;
  let port = 0;
  let idpPort = 0;
  before(async () => {
    [port, idpPort] = [await freePort(), await freePort()];
    child = spawn(process.execPath, ['bin/careconnect-launch.mjs', 'mock-viewer', '--port', String(port), '--idp-port', String(idpPort)], { stdio: ['ignore', 'pipe', 'inherit'] });
    await waitForOutput(child, 'Press Ctrl+C to stop.', 10_000);
  });
  after(() => child?.kill('SIGTERM'));

  it('answers only its own names (DNS rebinding): another Host gets 421, on the viewer\'s and the identity provider\'s port', async () => {
    for (const [at, path] of [[port, '/'], [port, '/mock-careconnect/session/config'], [idpPort, '/sign-in']] as const) {
      for (const host of ['attacker.example', `attacker.example:${at}`, `127.0.0.1:${at + 1}`]) {
        assert.equal((await requestWithHost(`http://127.0.0.1:${at}${path}`, host)).status, 421, `${host} ${path}`);
      }
      for (const host of [`127.0.0.1:${at}`, `localhost:${at}`, `[::1]:${at}`]) {
        assert.notEqual((await requestWithHost(`http://127.0.0.1:${at}${path}`, host)).status, 421, `${host} ${path}`);
      }
    }
  });

  it('listens on the loopback only', async (t) => {
    const address = networkAddress();
    if (!address) return t.skip('no network address here');
    assert.equal(await portIsOpen(port, address), false);
    assert.equal(await portIsOpen(idpPort, address), false);
  });
});
