// No single-byte change to a valid launch token is ever accepted. Runs in Node and in each browser engine.
import { expect } from 'chai';
import fc from 'fast-check';
import { generateKeyPair, type CryptoKey } from 'jose';
import { createLaunchToken, verifyLaunchToken, LaunchTokenError } from '../../src/server/launch-token.js';
import { MemoryReplayCache } from '../../src/server/replay-cache.js';

const ctx = {
  healthNumber: { province: 'BC' as const, value: '9698658215' },
  patient: { id: 'chart-1', givenName: 'Maple' },
  location: { province: 'BC' as const },
  user: { role: 'provider' as const },
  network: 'ppn' as const,
};

describe('properties of launch tokens', () => {
  let publicKey: CryptoKey;
  let token: string;

  before(async () => {
    const keys = await generateKeyPair('ES256');
    publicKey = keys.publicKey;
    token = await createLaunchToken(ctx, { privateKey: keys.privateKey, issuer: 'emr', audience: 'bc-careconnect', subject: 'dr-lee' });
  });

  it('accepts the token unchanged (so the refusals below mean something)', async () => {
    const claims = await verifyLaunchToken(token, { key: publicKey, issuer: 'emr', audience: 'bc-careconnect', replayCache: new MemoryReplayCache() });
    expect(claims.ctx).to.deep.equal(ctx);
  });

  it('refuses a token mutated in any one character, with a typed error', async () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ';
    await fc.assert(fc.asyncProperty(fc.nat(token.length - 1), fc.constantFrom(...alphabet), async (at, replacement) => {
      if (token[at] === replacement) return;
      const mutated = token.slice(0, at) + replacement + token.slice(at + 1);
      try {
        await verifyLaunchToken(mutated, { key: publicKey, issuer: 'emr', audience: 'bc-careconnect', replayCache: new MemoryReplayCache() });
      } catch (error) {
        expect(error).to.be.instanceOf(LaunchTokenError);
        return;
      }
      expect.fail(`accepted a token changed at ${at} (${token[at]} -> ${replacement})`);
    }), { numRuns: 10_000 });
  });
});
