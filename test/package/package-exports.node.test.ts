/// <reference types="node" />
// The published entry points, imported by package name from the build, in Node with no DOM.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

describe('the package entry points in Node', () => {
  it('careconnect-launch/core imports without a DOM and validates a PHN', async () => {
    assert.equal(typeof (globalThis as { document?: unknown }).document, 'undefined');
    const core = await import('careconnect-launch/core');
    assert.deepEqual(core.validateHealthNumber('BC', '9698 658 215'), {
      valid: true,
      province: 'BC',
      value: '9698658215',
      display: '9698 658 215',
    });
    assert.equal(core.selectViewer({ locationProvince: 'AB', accountProvince: 'BC' })?.name, 'Alberta Netcare Portal');
    for (const name of ['validateHealthNumber', 'selectViewer', 'VIEWERS', 'ERROR_CODES', 'parseViewerMessage']) {
      assert.ok(name in core, `${name} is exported`);
    }
    assert.ok(!('CareConnectButton' in core));
  });

  it('careconnect-launch/server mints a token that it verifies', async () => {
    const server = await import('careconnect-launch/server');
    const { generateKeyPair } = await import('jose');
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const ctx = {
      healthNumber: { province: 'BC' as const, value: '9698658215' },
      patient: { id: 'chart-1' },
      location: { province: 'BC' as const },
      user: { role: 'provider' as const },
      network: 'ppn' as const,
    };
    const token = await server.createLaunchToken(ctx, { privateKey, issuer: 'emr', audience: 'bc-careconnect', subject: 'dr-lee' });
    const claims = await server.verifyLaunchToken(token, { key: publicKey, issuer: 'emr', audience: 'bc-careconnect' });
    assert.deepEqual(claims.ctx, ctx);
  });

  it('careconnect-launch/server/redis loads without the redis package being imported', async () => {
    const { RedisReplayCache } = await import('careconnect-launch/server/redis');
    assert.throws(() => new RedisReplayCache({ client: {} as never }), TypeError);
    const cache = new RedisReplayCache({ client: { isReady: false, set: async () => 'OK' } });
    await assert.rejects(cache.claim('jti', Date.now() / 1000 + 60), /not connected/);
  });

  it('the test vectors and the check-token command ship in the package', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string>; files: string[] };
    assert.equal(pkg.bin['careconnect-launch'], './bin/careconnect-launch.mjs');
    assert.ok(pkg.files.includes('bin') && pkg.files.includes('test-vectors'));
    assert.match(readFileSync(pkg.bin['careconnect-launch']!, 'utf8'), /^#!\/usr\/bin\/env node/);
    const { default: vectors } = await import('careconnect-launch/test-vectors/launch-tokens.json', { with: { type: 'json' } });
    assert.ok(vectors.vectors.length >= 20);
    const server = await import('careconnect-launch/server');
    assert.equal(typeof server.checkLaunchToken, 'function');
  });

  it('careconnect-launch/viewer imports without a DOM, and its parser reads what an EMR sends', async () => {
    const viewer = await import('careconnect-launch/viewer');
    assert.equal(typeof viewer.ViewerLink, 'function');
    assert.equal(viewer.LOST_LINK_NOTICE, 'This window lost its link to your EMR: close it and click the button again');
    const launch = { protocol: 'careconnect-launch', version: 1, type: 'launch', requestId: 'r-0123456789', token: 'a.b.c' };
    assert.deepEqual(viewer.parseOpenerMessage(launch), { type: 'launch', requestId: 'r-0123456789', token: 'a.b.c' });
    assert.equal(viewer.parseOpenerMessage({ ...launch, phn: '9698658215' }), null);
  });

  it('careconnect-launch/mock-viewer has the synthetic patients', async () => {
    const mock = await import('careconnect-launch/mock-viewer');
    assert.ok(mock.SYNTHETIC_PATIENTS.length >= 6);
  });

  it('the script-tag bundle ships Lit\'s licence in full beside it, and no header inside', () => {
    const bundle = readFileSync('dist/careconnect-button.bundle.js', 'utf8');
    const notices = readFileSync('dist/careconnect-button.bundle.js.LICENSE.txt', 'utf8');
    assert.match(bundle, /reactiveElementVersions/, 'Lit is inside the bundle');
    assert.doesNotMatch(bundle, /@license/);
    assert.match(notices, /^careconnect-launch@[\d.]+ \(MIT\)$/m);
    assert.match(notices, /@lit\/reactive-element@[\d.]+ \(BSD-3-Clause\)/);
    assert.match(notices, /Copyright \(c\) 2017 Google LLC[\s\S]*DISCLAIMED/, 'the notice, the conditions and the disclaimer');
  });

  it('every code entry point has its types, so TypeScript users can import each one', () => {
    const { exports } = JSON.parse(readFileSync('package.json', 'utf8')) as { exports: Record<string, unknown> };
    for (const [entry, target] of Object.entries(exports)) {
      if (entry === './package.json' || entry.endsWith('.json')) continue;
      const { types, default: code } = target as { types?: string; default?: string };
      assert.ok(types && existsSync(types), `${entry} has types`);
      assert.ok(code && existsSync(code), `${entry} has code`);
    }
  });

  it('careconnect-launch/vue is types only: its module is empty and imports nothing, and it declares the element to Vue', async () => {
    assert.equal(readFileSync('dist/vue/index.js', 'utf8').replace(/\/\/# sourceMappingURL=.*$/, '').trim(), 'export {};');
    assert.deepEqual({ ...(await import('careconnect-launch/vue')) }, {});
    assert.match(readFileSync('dist/vue/index.d.ts', 'utf8'), /declare module 'vue' \{\s+interface GlobalComponents \{\s+'careconnect-button'/);
  });
});
