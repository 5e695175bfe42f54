/// <reference types="node" />
// createTokenHandler's audit hook: onMint is told once per token handed out, with who, which chart and
// which token, and never the health number or a name; an audit that fails hands out no token.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { decodeJwt, generateKeyPair, type CryptoKey } from 'jose';
import { createTokenHandler, type Authorization, type MintRecord, type TokenHandlerOptions } from '../../src/server/token-handler.js';
import { SAMPLE_CONTEXT as ctx, SAMPLE_PHN as PHN } from '../server/launch-context.fixture.js';

const issuer = 'https://emr.example';
const request = { viewerId: 'bc-careconnect', audience: 'bc-careconnect', ctx };
const FIELDS = ['expiresAt', 'issuedAt', 'jti', 'patientId', 'requestId', 'role', 'subject', 'viewerId'];
const CHART = {
  healthNumber: { province: 'BC', value: '9698 658 215' },
  patient: { givenName: 'Maple', familyName: 'Sandbox', birthDate: '1958-04-12', gender: 'F' },
};
// What the EMR's session answers, by bearer name.
const SESSIONS: Record<string, Authorization> = {
  'dr-lee': { subject: 'dr-lee', role: 'provider', chart: CHART },
  'moa.kim': { subject: 'moa.kim', role: 'staff' },
  nobody: 'forbidden',
};
const authorize = (incoming: Request): Authorization => {
  const name = incoming.headers.get('authorization')?.replace(/^Bearer /, '');
  return name ? SESSIONS[name] ?? null : 'unauthenticated';
};

let privateKey: CryptoKey;
before(async () => ({ privateKey } = await generateKeyPair('ES256')));

function endpoint(onMint: TokenHandlerOptions['onMint'] = () => {}) {
  const errors: unknown[] = [];
  const handler = createTokenHandler({ privateKey, keyId: 'emr-2026-11', issuer, authorize, onMint, onError: (error) => errors.push(error) });
  const post = async (body: unknown, { user = 'dr-lee' as string | null, type = 'application/json', method = 'POST' } = {}) => {
    const response = await handler(new Request('http://emr.example/api/careconnect/launch-token', {
      method,
      headers: { 'content-type': type, ...(user ? { authorization: `Bearer ${user}` } : {}) },
      ...(method === 'POST' ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    }));
    return { status: response.status, body: await response.json() as { token?: string; error?: string } };
  };
  return { post, errors };
}

describe('createTokenHandler onMint: the EMR\'s audit trail', () => {
  it('is told once per minted token, with exactly the token\'s id, the user, the chart id, the viewer and the times', async () => {
    const minted: MintRecord[] = [];
    const { post } = endpoint((record) => void minted.push(record));
    const first = await post({ ...request, requestId: '1234-5678-9012' });
    const second = await post(request, { user: 'moa.kim' });
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    assert.equal(minted.length, 2);
    for (const record of minted) assert.deepEqual(Object.keys(record).sort(), FIELDS);
    const [one, two] = [decodeJwt(first.body.token!), decodeJwt(second.body.token!)];
    assert.deepEqual({ ...minted[0] }, {
      jti: one.jti, requestId: '1234-5678-9012', subject: 'dr-lee', role: 'provider', patientId: 'chart-1001',
      viewerId: 'bc-careconnect', issuedAt: one.iat, expiresAt: one.exp,
    });
    assert.deepEqual({ ...minted[1] }, {
      jti: two.jti, requestId: undefined, subject: 'moa.kim', role: 'staff', patientId: 'chart-1001',
      viewerId: 'bc-careconnect', issuedAt: two.iat, expiresAt: two.exp,
    });
    assert.notEqual(minted[0]!.jti, minted[1]!.jti);
  });

  it('passes a requestId through only when it is a well-formed protocol id (8–64 of A–Z, a–z, 0–9, _ and -)', async () => {
    const minted: MintRecord[] = [];
    const { post } = endpoint((record) => void minted.push(record));
    const bad = ['short', 'x'.repeat(65), 'has space 123', '<script>alert(1)</script>', 12345678, null, { id: '12345678' }, ['12345678']];
    for (const requestId of bad) assert.equal((await post({ ...request, requestId })).status, 200, JSON.stringify(requestId));
    assert.deepEqual(minted.map((record) => record.requestId), bad.map(() => undefined));
    await post({ ...request, requestId: 'Ab_9-Ab_9' });
    assert.equal(minted.at(-1)!.requestId, 'Ab_9-Ab_9');
  });

  it('is never told of a refused request (400, 401, 403, 405, 409, 413, 415)', async () => {
    const minted: unknown[] = [];
    const { post } = endpoint((record) => void minted.push(record));
    const refusals: [Promise<{ status: number; body: { error?: string } }>, number, string][] = [
      [post('{"audience":'), 400, 'bad-request'],
      [post({ ...request, audience: 'nowhere', viewerId: 'nowhere', requestId: '12345678' }), 400, 'unknown-viewer'],
      [post({ ...request, ctx: { ...ctx, healthNumber: PHN } }), 400, 'invalid-context'],
      [post(request, { user: null }), 401, 'unauthenticated'],
      [post(request, { user: 'nobody' }), 403, 'forbidden'],
      [post(request, { user: 'stranger' }), 403, 'forbidden'],
      [post({}, { method: 'GET' }), 405, 'method-not-allowed'],
      [post({ ...request, ctx: { ...ctx, patient: { ...ctx.patient, givenName: 'Mallory' } } }), 409, 'context-mismatch'],
      [post({ ...request, pad: 'x'.repeat(20_000) }), 413, 'payload-too-large'],
      [post({ ...request, ctx: { ...ctx, patient: { ...ctx.patient, givenName: 'M'.repeat(7_000), familyName: 'S'.repeat(7_000) } } }, { user: 'moa.kim' }), 413, 'context-too-large'],
      [post(`phn=${PHN}`, { type: 'application/x-www-form-urlencoded' }), 415, 'unsupported-media-type'],
    ];
    for (const [answer, status, error] of refusals) {
      const { status: got, body } = await answer;
      assert.equal(got, status, error);
      assert.equal(body.error, error);
    }
    assert.deepEqual(minted, []);
  });

  it('never carries the health number, a name or a birth date, from the chart or from the request', async () => {
    const seen: unknown[] = [];
    const { post } = endpoint((...args) => void seen.push(args));
    assert.equal((await post(request)).status, 200); // the chart's demographics
    assert.equal((await post(request, { user: 'moa.kim' })).status, 200); // the request's
    assert.equal(seen.length, 2);
    const text = JSON.stringify(seen);
    for (const secret of [PHN, '9698 658 215', 'Maple', 'Sandbox', '1958-04-12']) assert.ok(!text.includes(secret), `onMint got ${secret}`);
  });

  it('hands out no token when onMint throws or rejects: 500 internal-error, and the error goes to onError', async () => {
    for (const onMint of [
      () => { throw new Error('audit log unreachable'); },
      async () => { throw new Error('audit log unreachable'); },
    ]) {
      const { post, errors } = endpoint(onMint);
      const { status, body } = await post(request);
      assert.equal(status, 500);
      assert.deepEqual(Object.keys(body).sort(), ['error', 'message']);
      assert.equal(body.error, 'internal-error');
      assert.equal(errors.length, 1);
      assert.equal((errors[0] as Error).message, 'audit log unreachable');
    }
  });

  it('waits for an async onMint before answering', async () => {
    let release = () => {};
    const { post } = endpoint(() => new Promise<void>((resolve) => (release = resolve)));
    let answered = false;
    const answer = post(request).then((result) => ((answered = true), result));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(answered, false, 'the token waits for the audit');
    release();
    assert.equal((await answer).status, 200);
  });

  it('must be a function when given: a TypeError at the call', () => {
    assert.throws(() => createTokenHandler({ privateKey, keyId: 'k', issuer, authorize, onMint: 'log' as never }), TypeError);
  });
});
