/// <reference types="node" />
// The mock viewer's back end, as a vendor would use it in their own Node tests: msw/node.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setupServer } from 'msw/node';
import { SYNTHETIC_PATIENTS, checkSignIn, scenarios, type ScenarioName } from '../../src/mock-viewer/index.js';

const server = setupServer();
before(() => server.listen({ onUnhandledRequest: 'error' }));
after(() => server.close());

const BASE = 'http://viewer.test/mock-careconnect/api';
const known = SYNTHETIC_PATIENTS.find((p) => p.scenario.startsWith('Valid PHN, typical'))!.healthNumber!.value;

async function call(scenario: ScenarioName, path: string, body?: unknown) {
  server.resetHandlers(...scenarios[scenario]);
  const response = await fetch(`${BASE}${path}`, body === undefined ? {} : {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('mock viewer scenarios (msw)', () => {
  it('default: finds a registry patient by PHN in a POST body', async () => {
    const { status, body } = await call('default', '/patients/search', { phn: known });
    assert.equal(status, 200);
    assert.equal(body.patient.phn, known);
    assert.ok(!('record' in body.patient));
  });

  it('default: serves record sections and 14 months of PharmaNet', async () => {
    const labs = await call('default', '/records', { phn: known, section: 'labs' });
    assert.ok(labs.body.items.length > 0);
    const pharmanet = await call('default', '/pharmanet', { phn: known });
    assert.equal(pharmanet.status, 200);
    assert.ok(Array.isArray(pharmanet.body.items));
  });

  it('default: signs in a provider from the internet with the card app, but not an office assistant', async () => {
    assert.equal((await call('default', '/sign-in', { method: 'bcsc', role: 'provider', network: 'internet' })).status, 200);
    const staff = await call('default', '/sign-in', { method: 'bcsc', role: 'staff', network: 'internet' });
    assert.equal(staff.status, 401);
    assert.equal(staff.body.error, 'auth-failed');
    assert.equal((await call('default', '/sign-in', { method: 'bcsc', role: 'staff', network: 'ppn' })).status, 200);
  });

  it('default: Health Authority accounts work inside the PPN only, with the demo credentials', async () => {
    const ok = await call('default', '/sign-in', { method: 'ha', username: 'drlee', password: 'careconnect', role: 'provider', network: 'ppn' });
    assert.deepEqual(ok.body.user, { name: 'Dr. Robin Lee', role: 'provider', pharmanet: true });
    assert.equal((await call('default', '/sign-in', { method: 'ha', username: 'drlee', password: 'nope', role: 'provider', network: 'ppn' })).status, 401);
    assert.equal((await call('default', '/sign-in', { method: 'ha', username: 'drlee', password: 'careconnect', role: 'provider', network: 'internet' })).status, 401);
  });

  it('default: signs nobody in as an account the prototype has (constructor, __proto__, toString)', async () => {
    for (const username of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const response = await call('default', '/sign-in', { method: 'ha', username, role: 'provider', network: 'ppn' });
      assert.equal(response.status, 401, username);
    }
  });

  it('default: reads no request field from a polluted Object.prototype', async () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.phn = known;
    try {
      assert.equal((await call('default', '/patients/search', {})).status, 404);
    } finally {
      delete proto.phn;
    }
  });

  it('no-match: the registry finds nobody', async () => {
    assert.equal((await call('no-match', '/patients/search', { phn: known })).status, 404);
  });

  it('auth-failed: every sign-in fails', async () => {
    assert.equal((await call('auth-failed', '/sign-in', { method: 'bcsc', role: 'provider', network: 'ppn' })).status, 401);
  });

  it('viewer-down: nothing answers; unavailable: the service answers 503', async () => {
    await assert.rejects(call('viewer-down', '/status'));
    assert.equal((await call('unavailable', '/status')).status, 503);
  });

  it('the identity provider scenarios keep the default back end, and a session opens for the vouched user', async () => {
    const user = { name: 'Dr. Demo Provider', role: 'provider', pharmanet: true };
    assert.deepEqual((await call('idp-slow', '/session', { user })).body, { user });
    assert.equal((await call('auth-failed', '/session', { user })).status, 401);
  });

  it('a wrong password is for the user to retry, not an authentication failure of the launch', () => {
    assert.deepEqual(checkSignIn({ method: 'ha', username: 'drlee', password: 'nope', role: 'provider', network: 'ppn' }),
      { error: 'wrong-password', message: 'Wrong username or password.' });
    assert.equal((checkSignIn({ method: 'bcsc', role: 'staff', network: 'internet' }) as { error: string }).error, 'auth-failed');
  });

  it('slow: answers, but late', async () => {
    const start = Date.now();
    assert.equal((await call('slow', '/status')).status, 200);
    assert.ok(Date.now() - start >= 1_400);
  });
});
