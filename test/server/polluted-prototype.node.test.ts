/// <reference types="node" />
// The server side and the mock viewer's back end with Object.prototype polluted, as a vulnerable JSON
// merge in the EMR's or the viewer's Node process can: no look-up of theirs finds a polluted key.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createServer, type Server } from 'node:http';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { setupServer } from 'msw/node';
import { createMockViewerBackEnd } from '../../src/mock-viewer/node/back-end.js';
import { scenarios } from '../../src/mock-viewer/msw/handlers.js';
import { LaunchTokenError, verifyLaunchToken } from '../../src/server/launch-token.js';
import { publicJwks } from '../../src/server/public-jwks.js';
import { MemoryReplayCache } from '../../src/server/replay-cache.js';
import { createTokenHandler } from '../../src/server/token-handler.js';
import { SAMPLE_CONTEXT } from '../server/launch-context.fixture.js';
import { pollutePrototype } from '../pollute.js';
import { listenOnLoopback } from '../helpers/processes.js';

const issuer = 'https://emr.example';
const audience = 'bc-careconnect';
let emr: { privateKey: CryptoKey; publicKey: CryptoKey };
let attacker: { privateKey: CryptoKey; publicKey: CryptoKey };
before(async () => {
  emr = await generateKeyPair('ES256', { extractable: true });
  attacker = await generateKeyPair('ES256', { extractable: true });
});

/** `run`, with `values` on Object.prototype until it settles. */
async function whilePolluted<T>(values: Record<string, unknown>, run: () => Promise<T>): Promise<T> {
  const restore = pollutePrototype(values);
  try {
    return await run();
  } finally {
    restore();
  }
}

async function token(key: CryptoKey, claims: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: issuer, aud: audience, sub: 'dr-lee', iat: now, exp: now + 60, jti: crypto.randomUUID(), ctx: SAMPLE_CONTEXT, ...claims })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: 'emr-1' })
    .sign(key);
}

describe('verifyLaunchToken with Object.prototype polluted', () => {
  const jwks = async () => ({ keys: [{ ...(await exportJWK(emr.publicKey)), kid: 'emr-1', alg: 'ES256' }] });
  const refusalOf = (promise: Promise<unknown>) => promise.then(() => 'accepted', (error) => (error instanceof LaunchTokenError ? error.code : String(error)));

  it('verifies with the JWKS it was given, never a `key` from the prototype', async () => {
    const forged = await token(attacker.privateKey);
    const options = { jwks: await jwks(), issuer, audience, replayCache: new MemoryReplayCache() };
    const key = await exportJWK(attacker.publicKey);
    assert.equal(await whilePolluted({ key }, () => refusalOf(verifyLaunchToken(forged, options))), 'bad-signature');
  });

  it('takes no clock tolerance from the prototype: an expired token stays expired', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await token(emr.privateKey, { iat: now - 3600, exp: now - 3540 });
    const options = { key: emr.publicKey, issuer, audience, replayCache: new MemoryReplayCache() };
    assert.equal(await whilePolluted({ clockTolerance: 10 ** 9 }, () => refusalOf(verifyLaunchToken(expired, options))), 'expired');
  });
});

describe('publicJwks with Object.prototype polluted', () => {
  it('publishes the key it was given: a CryptoKey does not pass for a JWK with the prototype\'s x and y', async () => {
    const real = await exportJWK(emr.publicKey);
    const fake = await exportJWK(attacker.publicKey);
    const served = await whilePolluted({ kty: 'EC', crv: 'P-256', x: fake.x, y: fake.y }, () => publicJwks([{ keyId: 'emr-1', key: emr.privateKey }]).jwks);
    assert.deepEqual(served.keys.map(({ x, y }) => ({ x, y })), [{ x: real.x, y: real.y }]);
  });
});

describe('createTokenHandler with Object.prototype polluted', () => {
  it('mints for a good request: a polluted `refusal` refuses nothing', async () => {
    const handler = createTokenHandler({ privateKey: emr.privateKey, keyId: 'emr-1', issuer, authorize: () => ({ subject: 'dr-lee', role: 'provider' }) });
    const request = () => new Request('https://emr.example/token', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ viewerId: audience, audience, ctx: SAMPLE_CONTEXT }),
    });
    const response = await whilePolluted({ refusal: 'forbidden' }, () => handler(request()));
    assert.equal(response.status, 200);
  });
});

describe('the mock viewer with Object.prototype polluted', () => {
  const msw = setupServer();
  before(() => msw.listen({ onUnhandledRequest: 'error' }));
  after(() => msw.close());

  it('signs nobody in with a wrong password: a polluted `user` is no user', async () => {
    msw.resetHandlers(...scenarios.default);
    const response = await whilePolluted({ user: { name: 'Mallory', role: 'provider', pharmanet: true } }, () =>
      fetch('http://viewer.test/mock-careconnect/api/sign-in', {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ method: 'ha', username: 'drlee', password: 'wrong', role: 'provider', network: 'ppn' }),
      }));
    assert.equal(response.status, 401);
  });
});

describe('the mock viewer\'s Node back end, looking up a form POST\'s g', () => {
  let server: Server;
  let base = '';
  before(async () => {
    const backEnd = createMockViewerBackEnd({
      emrOrigins: ['https://emr.example'], issuer, jwks: async () => ({ keys: [] }), identityProvider: { origin: 'http://127.0.0.1:1', exchange: () => null }, serviceWorker: '/mockServiceWorker.js',
      sendPage: (res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<mock-viewer-app></mock-viewer-app>'),
    });
    server = createServer(async (req, res) => {
      if (!(await backEnd(req, res))) res.writeHead(418).end();
    });
    base = await listenOnLoopback(server);
  });
  after(() => server.close());

  for (const g of ['constructor', 'toString', '__proto__']) {
    it(`reads the form POST's g=${g} as an unknown gender`, async () => {
      const posted = await fetch(`${base}/Welcome/Search`, { method: 'POST', body: new URLSearchParams({ phn: '9386339244', g }) });
      const cookie = posted.headers.get('set-cookie')!.split(';')[0]!;
      const kept = await fetch(`${base}/mock-careconnect/session/form`, {
        method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: '{}',
      });
      assert.equal((await kept.json()).ctx.patient.gender, 'unknown');
    });
  }
});
