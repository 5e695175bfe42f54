/// <reference types="node" />
// createTokenHandler and publicJwks over real HTTP: in Express (through @hono/node-server's adapter)
// and Fastify (a Request from the parsed body), as docs/tokens.md shows, and in Hono, the handler as it is.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { serve, getRequestListener } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { createRemoteJWKSet, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { LaunchTokenError, verifyLaunchToken } from '../../src/server/launch-token.js';
import { MemoryReplayCache } from '../../src/server/replay-cache.js';
import { publicJwks } from '../../src/server/public-jwks.js';
import { createTokenHandler, type Authorization, type TokenHandlerOptions } from '../../src/server/token-handler.js';
import { SAMPLE_CONTEXT, SAMPLE_PHN } from '../server/launch-context.fixture.js';
import { baseUrl } from '../helpers/processes.js';

const PHN = SAMPLE_PHN;
const ctx = SAMPLE_CONTEXT;
const issuer = 'https://emr.example';
const TOKEN_PATH = '/api/careconnect/launch-token';
const JWKS_PATH = '/.well-known/careconnect-jwks.json';

// The EMR's session, reduced to a bearer name: dr-lee is a provider, moa.kim staff, nobody may not.
const SESSIONS: Record<string, Authorization> = {
  'dr-lee': { subject: 'dr-lee', role: 'provider' },
  'moa.kim': { subject: 'moa.kim', role: 'staff' },
  nobody: 'forbidden',
};
const authorize = (request: Request): Authorization => {
  const name = request.headers.get('authorization')?.replace(/^Bearer /, '');
  if (name === 'boom') throw new Error(`session store down while handling ${PHN}`);
  return name ? SESSIONS[name] ?? null : 'unauthenticated';
};

let oldKey: { privateKey: CryptoKey; publicKey: CryptoKey };
let newKey: { privateKey: CryptoKey; publicKey: CryptoKey };
const errors: unknown[] = [];

before(async () => {
  oldKey = await generateKeyPair('ES256', { extractable: true });
  newKey = await generateKeyPair('ES256', { extractable: true });
});

function handlers() {
  const tokenHandler = createTokenHandler({
    privateKey: newKey.privateKey, keyId: 'emr-2026-11', issuer, authorize, onError: (error) => errors.push(error),
  });
  // Rotation: the new key first, the old one kept until the last token it signed has expired.
  const jwksHandler = publicJwks([{ keyId: 'emr-2026-11', key: newKey.privateKey }, { keyId: 'emr-2026-05', key: oldKey.publicKey }]);
  return { tokenHandler, jwksHandler };
}


interface Framework {
  label: string;
  start(): Promise<{ base: string; close(): void }>;
  /** Refusals the framework answers itself, before the handler: its own body, not ours. */
  answersFirst?: string[];
}

const frameworks: Framework[] = [
  {
    label: 'Express',
    async start() {
      const { tokenHandler, jwksHandler } = handlers();
      const app = express();
      // docs/tokens.md's two lines: mount before any body parser, so the handler reads the raw body.
      app.all(TOKEN_PATH, getRequestListener(tokenHandler));
      app.get(JWKS_PATH, getRequestListener(jwksHandler));
      const server = app.listen(0, '127.0.0.1');
      return { base: await baseUrl(server), close: () => server.close() };
    },
  },
  {
    label: 'Hono',
    async start() {
      const { tokenHandler, jwksHandler } = handlers();
      const app = new Hono();
      app.all(TOKEN_PATH, (c) => tokenHandler(c.req.raw));
      app.get(JWKS_PATH, (c) => jwksHandler(c.req.raw));
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
      return { base: await baseUrl(server), close: () => server.close() };
    },
  },
  {
    label: 'Fastify',
    // Fastify routes POST only.
    answersFirst: ['405'],
    async start() {
      const { tokenHandler, jwksHandler } = handlers();
      const fastify = Fastify();
      // docs/tokens.md's adapter, word for word.
      fastify.register(async (scope) => {
        scope.removeAllContentTypeParsers();
        scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
        scope.post(TOKEN_PATH, async (req, reply) => {
          const response = await tokenHandler(new Request(`http://localhost${req.url}`, { method: 'POST', headers: req.headers as Record<string, string>, body: req.body as BodyInit }));
          return reply.code(response.status).headers(Object.fromEntries(response.headers)).send(await response.text());
        });
      });
      fastify.get(JWKS_PATH, async (req, reply) => {
        const response = await jwksHandler(new Request(`http://localhost${req.url}`, { headers: req.headers as Record<string, string> }));
        return reply.code(response.status).headers(Object.fromEntries(response.headers)).send(await response.text());
      });
      const base = await fastify.listen({ port: 0, host: '127.0.0.1' });
      return { base, close: () => void fastify.close() };
    },
  },
];

for (const { label, start, answersFirst = [] } of frameworks) {
  const ours = (what: string) => !answersFirst.includes(what);
  describe(`the token endpoint and the JWKS over HTTP, in ${label}`, () => {
    let base = '';
    let close = () => {};
    before(async () => ({ base, close } = await start()));
    after(() => close());

    const post = (body: unknown, { user = 'dr-lee' as string | null, type = 'application/json' } = {}) =>
      fetch(base + TOKEN_PATH, {
        method: 'POST',
        headers: { 'content-type': type, ...(user ? { authorization: `Bearer ${user}` } : {}) },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const request = { viewerId: 'bc-careconnect', audience: 'bc-careconnect', ctx };

    async function expectRefusal(response: Response, status: number, code: string) {
      const text = await response.text();
      assert.equal(response.status, status, text);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(JSON.parse(text).error, code);
      for (const secret of [PHN, 'Maple', 'Sandbox', '1958-04-12']) assert.ok(!text.includes(secret), `${code} echoes ${secret}`);
    }

    it('mints a token that verifies against the served JWKS, for the session\'s user and role', async () => {
      const response = await post({ ...request, ctx: { ...ctx, user: { role: 'provider' } } }, { user: 'moa.kim' });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const { token } = await response.json() as { token: string };
      const claims = await verifyLaunchToken(token, {
        key: createRemoteJWKSet(new URL(base + JWKS_PATH)), issuer, audience: 'bc-careconnect', replayCache: new MemoryReplayCache(),
      });
      assert.equal(claims.sub, 'moa.kim');
      assert.deepEqual(claims.ctx, { ...ctx, user: { role: 'staff' } }, 'the role comes from the session, not the browser');
      assert.ok(claims.exp - claims.iat <= 60);
    });

    it('serves the public halves of both keys, each under its kid, and never a private member', async () => {
      const response = await fetch(base + JWKS_PATH);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('cache-control') ?? '', /max-age=300/);
      const { keys } = await response.json() as { keys: Record<string, unknown>[] };
      assert.deepEqual(keys.map((key) => key.kid), ['emr-2026-11', 'emr-2026-05']);
      assert.deepEqual(keys[1], { ...(await exportJWK(oldKey.publicKey)), kid: 'emr-2026-05', alg: 'ES256', use: 'sig' });
      for (const key of keys) assert.deepEqual(Object.keys(key).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
    });

    it('405 for anything but POST, with Allow', { skip: !ours('405') }, async () => {
      const response = await fetch(base + TOKEN_PATH);
      assert.equal(response.headers.get('allow'), 'POST');
      await expectRefusal(response, 405, 'method-not-allowed');
    });

    it('415 for a body that is not JSON (a cross-site form cannot send JSON without asking first)', { skip: !ours('415') }, async () => {
      await expectRefusal(await post(`phn=${PHN}`, { type: 'application/x-www-form-urlencoded' }), 415, 'unsupported-media-type');
    });

    it('413 past 16 KB, declared or streamed', async () => {
      await expectRefusal(await post({ ...request, pad: 'x'.repeat(20_000) }), 413, 'payload-too-large');
      if (!ours('streamed 413')) return;
      const chunked = new ReadableStream({
        start(controller) {
          for (let i = 0; i < 40; i++) controller.enqueue(new TextEncoder().encode(' '.repeat(1_000)));
          controller.close();
        },
      });
      const response = await fetch(base + TOKEN_PATH, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer dr-lee' }, body: chunked, duplex: 'half',
      } as RequestInit);
      await expectRefusal(response, 413, 'payload-too-large');
    });

    it('400 with a typed code for bad JSON, an unknown viewer and a malformed context, never echoing the PHN', async () => {
      if (ours('bad JSON')) await expectRefusal(await post(`{"ctx": {"healthNumber": "${PHN}"`), 400, 'bad-request');
      await expectRefusal(await post([request]), 400, 'bad-request');
      await expectRefusal(await post({ ...request, audience: 'constructor', viewerId: 'constructor' }), 400, 'unknown-viewer');
      await expectRefusal(await post({ ...request, viewerId: 'ab-netcare' }), 400, 'unknown-viewer');
      await expectRefusal(await post({ ...request, ctx: { ...ctx, patient: { ...ctx.patient, gender: 'F' } } }), 400, 'invalid-context');
      await expectRefusal(await post({ ...request, ctx: { ...ctx, healthNumber: PHN } }), 400, 'invalid-context');
    });

    it('400 bad-request for a body nested 7,000 deep, never a stack overflow', async () => {
      const deep = JSON.stringify({ ...request, ctx: { ...ctx, extra: 'DEEP' } }).replace('"DEEP"', '['.repeat(7_000) + ']'.repeat(7_000));
      errors.length = 0;
      await expectRefusal(await post(deep), 400, 'bad-request');
      assert.deepEqual(errors, []);
    });

    it('401 without a session, 403 when authorize refuses', async () => {
      await expectRefusal(await post(request, { user: null }), 401, 'unauthenticated');
      await expectRefusal(await post(request, { user: 'nobody' }), 403, 'forbidden');
      await expectRefusal(await post(request, { user: 'stranger' }), 403, 'forbidden');
    });

    it('500 when authorize throws: the error goes to onError, the answer says nothing of it', async () => {
      errors.length = 0;
      await expectRefusal(await post(request, { user: 'boom' }), 500, 'internal-error');
      assert.equal(errors.length, 1);
    });
  });
}

describe('createTokenHandler and publicJwks: misconfiguration is a TypeError at the call', () => {
  it('createTokenHandler', async () => {
    const good = { privateKey: newKey.privateKey, keyId: 'k', issuer, authorize };
    for (const bad of [{ privateKey: undefined }, { keyId: '' }, { issuer: undefined }, { authorize: 'yes' }]) {
      assert.throws(() => createTokenHandler({ ...good, ...bad } as never), TypeError);
    }
    assert.throws(() => createTokenHandler({ ...good, expiresIn: 600 }), RangeError);
  });

  it('publicJwks', async () => {
    assert.throws(() => publicJwks([]), TypeError);
    assert.throws(() => publicJwks([{ keyId: 'a', key: newKey.publicKey }, { keyId: 'a', key: oldKey.publicKey }]), TypeError);
    const rsa = await generateKeyPair('RS256');
    await assert.rejects(publicJwks([{ keyId: 'rsa', key: rsa.publicKey }]).jwks, TypeError);
  });

  it('publicJwks checks each member of a public key and never publishes d', async () => {
    const jwk = await exportJWK(newKey.privateKey);
    const bad: Record<string, unknown>[] = [
      { x: { d: jwk.d } },
      { y: { d: jwk.d, toString: () => jwk.y } },
      { x: 42 },
      { y: [jwk.y] },
      { x: jwk.x!.slice(1) },
      { y: `${jwk.y}AA` },
      { x: jwk.x!.replace(/.$/, '+') },
      { crv: 'P-384' },
      { kty: 'OKP' },
    ];
    for (const changes of bad) {
      assert.throws(() => publicJwks([{ keyId: 'k', key: { ...jwk, ...changes } as never }]), TypeError, JSON.stringify(Object.keys(changes)));
    }
    const { keys } = await publicJwks([{ keyId: 'k', key: jwk }]).jwks;
    assert.deepEqual(keys, [{ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, kid: 'k', alg: 'ES256', use: 'sig' }]);
    // Well-formed coordinates of a point that is not on P-256.
    const offCurve = { kty: 'EC', crv: 'P-256', x: 'A'.repeat(43), y: 'A'.repeat(43) };
    await assert.rejects(publicJwks([{ keyId: 'off', key: offCurve }]).jwks, TypeError);
  });

  it('a token signed with a key no longer in the JWKS is refused as unknown-key', async () => {
    const handler = createTokenHandler({ privateKey: oldKey.privateKey, keyId: 'emr-2026-05', issuer, authorize });
    const response = await handler(new Request('http://emr.example' + TOKEN_PATH, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer dr-lee' },
      body: JSON.stringify({ audience: 'bc-careconnect', ctx }),
    }));
    const { token } = await response.json() as { token: string };
    const { jwks } = publicJwks([{ keyId: 'emr-2026-11', key: newKey.publicKey }]);
    await assert.rejects(verifyLaunchToken(token, { jwks: await jwks, issuer, audience: 'bc-careconnect' }),
      (error) => error instanceof LaunchTokenError && error.code === 'unknown-key');
  });
});

describe('the token endpoint signs the EMR\'s chart, not the browser\'s', () => {
  // The EMR's records, in the forms EMRs keep them: a spaced PHN, a gender initial.
  const CHARTS: Record<string, unknown> = {
    'chart-1001': {
      healthNumber: { province: 'BC', value: '9698 658 215' },
      patient: { givenName: 'Maple', familyName: 'Sandbox', birthDate: '1958-04-12', gender: 'F' },
    },
  };
  const fromRecords = (_request: Request, { ctx }: { ctx: { patient: { id: string } } }): Authorization =>
    ({ subject: 'dr-lee', role: 'provider', chart: CHARTS[ctx.patient.id] } as Authorization);

  async function ask(body: unknown, authorize: TokenHandlerOptions['authorize'] = fromRecords) {
    const handler = createTokenHandler({ privateKey: newKey.privateKey, keyId: 'emr-2026-11', issuer, authorize, onError: (error) => errors.push(error) });
    const response = await handler(new Request('http://emr.example' + TOKEN_PATH, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body),
    }));
    const text = await response.text();
    for (const secret of [PHN, 'Maple', 'Sandbox', '1958-04-12', '9735353315', 'Mallory']) {
      if (response.status !== 200) assert.ok(!text.includes(secret), `${response.status} echoes ${secret}`);
    }
    return { status: response.status, body: JSON.parse(text) as { token?: string; error?: string } };
  }
  const claimsOf = async (token: string | undefined) => {
    const { jwks } = publicJwks([{ keyId: 'emr-2026-11', key: newKey.publicKey }]);
    return verifyLaunchToken(token, { jwks: await jwks, issuer, audience: 'bc-careconnect', replayCache: new MemoryReplayCache() });
  };
  const asking = (changes: Record<string, unknown>) => ({ audience: 'bc-careconnect', ctx: { ...ctx, ...changes } });

  it('a request that agrees with the chart gets the chart\'s number and demographics, in their normal forms', async () => {
    const { status, body } = await ask(asking({}));
    assert.equal(status, 200);
    assert.deepEqual((await claimsOf(body.token)).ctx, ctx);
  });

  it('a request that leaves demographics out gets them from the chart', async () => {
    const { status, body } = await ask(asking({ patient: { id: 'chart-1001' } }));
    assert.equal(status, 200);
    assert.deepEqual((await claimsOf(body.token)).ctx.patient, ctx.patient);
  });

  it('409 context-mismatch, and no token, for another health number or other demographics', async () => {
    for (const changes of [
      { healthNumber: { province: 'BC', value: '9735353315' } },
      { healthNumber: { province: 'AB', value: PHN } },
      { patient: { ...ctx.patient, givenName: 'Mallory' } },
      { patient: { ...ctx.patient, familyName: 'Mallory' } },
      { patient: { ...ctx.patient, birthDate: '1958-04-13' } },
      { patient: { ...ctx.patient, gender: 'male' } },
    ]) {
      const { status, body } = await ask(asking(changes));
      assert.equal(status, 409, JSON.stringify(changes));
      assert.equal(body.error, 'context-mismatch');
      assert.equal(body.token, undefined);
    }
  });

  it('400 invalid-context, with or without a chart, for a context no verifier would take', async () => {
    const trusting: TokenHandlerOptions['authorize'] = () => ({ subject: 'dr-lee', role: 'provider' });
    for (const changes of [
      { healthNumber: { province: PHN, value: 'BC' } }, // swapped
      { healthNumber: { province: 'BC', value: '9698 658 215' } },
      { location: { province: 'British Columbia' } },
      { patient: { ...ctx.patient, birthDate: '1958-02-30' } },
    ]) {
      for (const authorize of [fromRecords, trusting]) {
        const { status, body } = await ask(asking(changes), authorize);
        assert.equal(status, 400, JSON.stringify(changes));
        assert.equal(body.error, 'invalid-context');
      }
    }
  });

  it('only the known keys of a launch context reach the token, at every level, with or without a chart', async () => {
    const padded = {
      ...ctx,
      extra: { note: 'signed by mistake' },
      healthNumber: { ...ctx.healthNumber, verified: true },
      patient: { ...ctx.patient, verifiedByEmr: true },
      location: { ...ctx.location, ward: '4 West' },
      user: { role: 'provider', admin: true },
    };
    const trusting: TokenHandlerOptions['authorize'] = () => ({ subject: 'dr-lee', role: 'provider' });
    for (const authorize of [fromRecords, trusting]) {
      const { status, body } = await ask({ audience: 'bc-careconnect', ctx: padded }, authorize);
      assert.equal(status, 200);
      assert.deepEqual((await claimsOf(body.token)).ctx, ctx);
    }
  });

  it('counts the nesting of arrays and objects only: brackets and escaped quotes inside strings are text', async () => {
    const trusting: TokenHandlerOptions['authorize'] = () => ({ subject: 'dr-lee', role: 'provider' });
    const odd = { ...ctx.patient, givenName: `"[{${'[{'.repeat(50)}\\"` };
    const { status, body } = await ask(asking({ patient: odd }), trusting);
    assert.equal(status, 200);
    assert.equal((await claimsOf(body.token)).ctx.patient.givenName, odd.givenName);
  });

  it('413 context-too-large for a context whose token would pass the verifiers\' 16,384-character cap', async () => {
    const long = { ...ctx.patient, givenName: 'M'.repeat(6_500), familyName: 'S'.repeat(6_500) };
    const trusting: TokenHandlerOptions['authorize'] = () => ({ subject: 'dr-lee', role: 'provider' });
    const { status, body } = await ask(asking({ patient: long }), trusting);
    assert.equal(status, 413);
    assert.equal(body.error, 'context-too-large');
  });
});