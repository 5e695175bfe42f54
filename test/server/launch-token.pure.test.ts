// Runs in Node (node:test) and in each browser engine: the viewer verifies tokens in the page.
import { expect } from 'chai';
import { CompactEncrypt, SignJWT, base64url, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { createLaunchToken, verifyLaunchToken, LaunchTokenError, type LaunchTokenErrorCode } from '../../src/server/launch-token.js';
import { MemoryReplayCache } from '../../src/server/replay-cache.js';
import { SAMPLE_CONTEXT } from './launch-context.fixture.js';

const ctx = SAMPLE_CONTEXT;
const issuer = 'https://emr.example';
const audience = 'bc-careconnect';

let emr: { privateKey: CryptoKey; publicKey: CryptoKey };
let other: { privateKey: CryptoKey; publicKey: CryptoKey };
let viewerKeys: { privateKey: CryptoKey; publicKey: CryptoKey };

before(async () => {
  emr = await generateKeyPair('ES256', { extractable: true });
  other = await generateKeyPair('ES256');
  viewerKeys = await generateKeyPair('ECDH-ES+A256KW', { extractable: true });
});

const mint = (options: Partial<Parameters<typeof createLaunchToken>[1]> = {}) =>
  createLaunchToken(ctx, { privateKey: emr.privateKey, issuer, audience, subject: 'dr-lee', ...options });
const verify = (token: unknown, options: Partial<Parameters<typeof verifyLaunchToken>[1]> = {}) =>
  verifyLaunchToken(token, { key: emr.publicKey, issuer, audience, replayCache: new MemoryReplayCache(), ...options });

/** A hand-made token with any claims or header, signed by `key`. */
async function craft(claims: Record<string, unknown>, key: CryptoKey = emr.privateKey, header: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: issuer, aud: audience, sub: 'dr-lee', iat: now, exp: now + 60, jti: crypto.randomUUID(), ctx, ...claims })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', ...header })
    .sign(key);
}

async function refusal(promise: Promise<unknown>): Promise<LaunchTokenError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(LaunchTokenError);
    return error as LaunchTokenError;
  }
  throw new Error('the token was accepted');
}

async function expectRefused(promise: Promise<unknown>, code: LaunchTokenErrorCode) {
  const error = await refusal(promise);
  expect(error.code).to.equal(code);
  expect(error.message).not.to.match(/9698658215|Maple|Sandbox/);
}

const b64url = (value: unknown) =>
  btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

describe('launch tokens', () => {
  describe('createLaunchToken and verifyLaunchToken', () => {
    it('round-trips the launch context with ES256, iss, aud, sub, a jti and a short life', async () => {
      const token = await mint({ expiresIn: 90, keyId: 'emr-1' });
      const header = JSON.parse(atob(token.split('.')[0]!.replace(/-/g, '+').replace(/_/g, '/')));
      expect(header).to.deep.equal({ alg: 'ES256', typ: 'JWT', kid: 'emr-1' });
      const claims = await verify(token);
      expect(claims.ctx).to.deep.equal(ctx);
      expect(claims).to.include({ iss: issuer, aud: audience, sub: 'dr-lee' });
      expect(claims.exp - claims.iat).to.equal(90);
      expect(claims.jti).to.match(/^[0-9a-f-]{36}$/);
    });

    it('takes the private key as a JWK from a secret store, as docs/tokens.md shows', async () => {
      const jwk = { ...(await exportJWK(emr.privateKey)), alg: 'ES256' };
      const claims = await verify(await mint({ privateKey: JSON.parse(JSON.stringify(jwk)) }));
      expect(claims.ctx).to.deep.equal(ctx);
    });

    it('gives every token its own jti', async () => {
      const [a, b] = await Promise.all([verify(await mint()), verify(await mint())]);
      expect(a.jti).not.to.equal(b.jti);
    });

    it('refuses to mint a token that lives longer than 120 s, or not at all', async () => {
      for (const expiresIn of [121, 0, -5, 1.5]) {
        let thrown: unknown;
        try {
          await mint({ expiresIn });
        } catch (error) {
          thrown = error;
        }
        expect(thrown, `expiresIn ${expiresIn}`).to.be.instanceOf(RangeError);
      }
    });

    it('refuses to mint a token without the EMR user as subject', async () => {
      let thrown: unknown;
      try {
        await createLaunchToken(ctx, { privateKey: emr.privateKey, issuer, audience } as never);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.be.instanceOf(TypeError);
    });

    it('refuses to mint a token for a malformed context', async () => {
      let thrown: unknown;
      try {
        await createLaunchToken({ healthNumber: '9698658215' } as never, { privateKey: emr.privateKey, issuer, audience, subject: 'dr-lee' });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.be.instanceOf(TypeError);
    });

    it('verifies against a JWKS, picking the key by kid', async () => {
      const jwk: JWK = { ...(await exportJWK(emr.publicKey)), kid: 'emr-1', alg: 'ES256' };
      const claims = await verifyLaunchToken(await mint({ keyId: 'emr-1' }), {
        jwks: { keys: [jwk] }, issuer, audience, replayCache: new MemoryReplayCache(),
      });
      expect(claims.ctx.patient.id).to.equal('chart-1001');
    });
  });

  describe('refusals, each with its own code', () => {
    it('expired', async () => {
      const now = Math.floor(Date.now() / 1000);
      await expectRefused(verify(await craft({ iat: now - 200, exp: now - 100 })), 'expired');
    });

    it('replayed: the same jti twice through one cache', async () => {
      const token = await mint();
      const replayCache = new MemoryReplayCache();
      await verify(token, { replayCache });
      await expectRefused(verify(token, { replayCache }), 'replayed');
    });

    it('wrong audience', async () => {
      await expectRefused(verify(await mint({ audience: 'ab-netcare' })), 'wrong-audience');
    });

    it('wrong issuer', async () => {
      await expectRefused(verify(await mint({ issuer: 'https://evil.example' })), 'wrong-issuer');
    });

    it('bad signature: signed by another key', async () => {
      await expectRefused(verify(await mint({ privateKey: other.privateKey })), 'bad-signature');
    });

    it('bad signature: a payload changed after signing', async () => {
      const [header, , signature] = (await mint()).split('.');
      const forged = { ...ctx, healthNumber: { province: 'BC', value: '9735353315' } };
      const now = Math.floor(Date.now() / 1000);
      const payload = b64url({ iss: issuer, aud: audience, iat: now, exp: now + 60, jti: 'x'.repeat(36), ctx: forged });
      await expectRefused(verify(`${header}.${payload}.${signature}`), 'bad-signature');
    });

    it('alg: none', async () => {
      const now = Math.floor(Date.now() / 1000);
      const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ iss: issuer, aud: audience, iat: now, exp: now + 60, jti: 'j', ctx })}.`;
      await expectRefused(verify(unsigned), 'unsupported-algorithm');
    });

    it('an HMAC token made with the public key as a secret', async () => {
      const secret = new TextEncoder().encode(JSON.stringify(await exportJWK(emr.publicKey)));
      const hs = await new SignJWT({ ctx, jti: 'j' }).setProtectedHeader({ alg: 'HS256' })
        .setIssuer(issuer).setAudience(audience).setIssuedAt().setExpirationTime('1m').sign(secret);
      await expectRefused(verify(hs), 'unsupported-algorithm');
    });

    it('claims that live longer than 120 s, lack a jti, or carry no context', async () => {
      const now = Math.floor(Date.now() / 1000);
      await expectRefused(verify(await craft({ exp: now + 600 })), 'invalid-claims');
      await expectRefused(verify(await craft({ jti: undefined })), 'invalid-claims');
      await expectRefused(verify(await craft({ ctx: undefined })), 'invalid-claims');
      await expectRefused(verify(await craft({ ctx: { ...ctx, network: 'wifi' } })), 'invalid-claims');
      await expectRefused(verify(await craft({ iat: now + 3600, exp: now + 3660 })), 'invalid-claims');
      await expectRefused(verify(await craft({ iat: now + 3, exp: now + 2 })), 'invalid-claims'); // expires before it is issued
      await expectRefused(verify(await craft({ sub: undefined })), 'invalid-claims');
    });

    it('a token for several viewers at once', async () => {
      await expectRefused(verify(await craft({ aud: [audience, 'ab-netcare'] })), 'invalid-claims');
    });

    it('a token that is not typed as a JWT', async () => {
      await expectRefused(verify(await craft({}, emr.privateKey, { typ: 'at+jwt' })), 'invalid-claims');
    });

    it('an unknown kid in a JWKS', async () => {
      const jwk: JWK = { ...(await exportJWK(emr.publicKey)), kid: 'emr-1', alg: 'ES256' };
      await expectRefused(verifyLaunchToken(await mint({ keyId: 'emr-2' }), {
        jwks: { keys: [jwk] }, issuer, audience, replayCache: new MemoryReplayCache(),
      }), 'unknown-key');
    });

    for (const [label, garbage] of [
      ['an empty string', ''], ['one word', 'garbage'], ['three dots', 'a.b.c'], ['four parts', 'a.b.c.d'],
      ['null', null], ['a number', 42], ['an object', { token: 'x' }], ['100 KB of text', 'x'.repeat(100_000)],
      ['bad base64', '!!!.@@@.###'],
    ] as const) {
      it(`garbage: ${label}`, async () => {
        await expectRefused(verify(garbage), 'malformed');
      });
    }
  });

  describe('the token contract: one spelling for each claim, as docs/tokens.md states it', () => {
    const withCtx = (changes: Record<string, unknown>) => craft({ ctx: { ...ctx, ...changes } });
    const withPatient = (changes: Record<string, unknown>) => withCtx({ patient: { ...ctx.patient, ...changes } });

    it('typ: exactly "JWT"; no typ, "jwt" or "application/jwt" is refused', async () => {
      for (const typ of [undefined, 'jwt', 'Jwt', 'application/jwt', 'JWT ']) {
        const error = await refusal(verify(await craft({}, emr.privateKey, { typ })));
        expect(error.code, `typ ${typ}`).to.equal('invalid-claims');
      }
    });

    it('healthNumber.province and location.province: a known province code, so a swapped number is refused', async () => {
      for (const healthNumber of [{ province: '9698658215', value: 'BC' }, { province: 'bc', value: '9698658215' }, { province: 'XX', value: '9698658215' }]) {
        await expectRefused(verify(await withCtx({ healthNumber })), 'invalid-claims');
      }
      await expectRefused(verify(await withCtx({ location: { province: '9698658215' } })), 'invalid-claims');
      await expectRefused(verify(await withCtx({ location: { province: 'Bc' } })), 'invalid-claims');
    });

    it('healthNumber.value: the normal form, ASCII digits and upper-case letters, no spaces or dashes', async () => {
      for (const value of ['9698 658 215', '9698-658-215', ' 9698658215', 'abcd12345678', '', '９６９８６５８２１５']) {
        await expectRefused(verify(await withCtx({ healthNumber: { province: 'BC', value } })), 'invalid-claims');
      }
      // Letters are part of some numbers: a Quebec NAM, an Ontario version code.
      const nam = await verify(await withCtx({ healthNumber: { province: 'QC', value: 'ABCD12345678' } }));
      expect(nam.ctx.healthNumber.value).to.equal('ABCD12345678');
    });

    it('patient.birthDate: YYYY-MM-DD and a day that exists', async () => {
      for (const birthDate of ['1958-02-30', '1958-13-01', '1957-02-29', '1958-4-12', '1958-04-12T00:00:00Z', '19580412']) {
        await expectRefused(verify(await withPatient({ birthDate })), 'invalid-claims');
      }
      expect((await verify(await withPatient({ birthDate: '1960-02-29' }))).ctx.patient.birthDate).to.equal('1960-02-29');
    });

    it('iat, exp and nbf: whole seconds', async () => {
      const now = Math.floor(Date.now() / 1000);
      await expectRefused(verify(await craft({ iat: now - 0.5 })), 'invalid-claims');
      await expectRefused(verify(await craft({ exp: now + 60.5 })), 'invalid-claims');
      await expectRefused(verify(await craft({ nbf: now - 0.5 })), 'invalid-claims');
      expect((await verify(await craft({ nbf: now }))).nbf).to.equal(now);
    });

    it('createLaunchToken will not mint what a verifier refuses', async () => {
      for (const bad of [{ healthNumber: { province: '9698658215', value: 'BC' } }, { healthNumber: { province: 'BC', value: '9698 658 215' } }, { patient: { ...ctx.patient, birthDate: '1958-02-30' } }]) {
        let thrown: unknown;
        try {
          await createLaunchToken({ ...ctx, ...bad } as never, { privateKey: emr.privateKey, issuer, audience, subject: 'dr-lee' });
        } catch (error) {
          thrown = error;
        }
        expect(thrown, JSON.stringify(bad)).to.be.instanceOf(TypeError);
      }
    });
  });

  describe('the nested JWE', () => {
    it('encrypts the signed token to the viewer key; the viewer decrypts and verifies it', async () => {
      const token = await mint({ encryptFor: viewerKeys.publicKey });
      expect(token.split('.')).to.have.length(5);
      expect(token).not.to.contain(btoa('9698658215').slice(0, 8));
      const claims = await verify(token, { decryptWith: viewerKeys.privateKey });
      expect(claims.ctx).to.deep.equal(ctx);
    });

    it('encrypts to a viewer key given as a JWK', async () => {
      const jwk = await exportJWK(viewerKeys.publicKey);
      const token = await mint({ encryptFor: { ...jwk, alg: 'ECDH-ES+A256KW' } });
      expect((await verify(token, { decryptWith: viewerKeys.privateKey })).ctx).to.deep.equal(ctx);
    });

    it('refuses a JWE for another viewer key', async () => {
      const stranger = await generateKeyPair('ECDH-ES+A256KW');
      const token = await mint({ encryptFor: stranger.publicKey });
      await expectRefused(verify(token, { decryptWith: viewerKeys.privateKey }), 'decryption-failed');
    });

    it('refuses a plain JWS where encryption is required, and a JWE where no key can open it', async () => {
      await expectRefused(verify(await mint(), { decryptWith: viewerKeys.privateKey }), 'decryption-failed');
      await expectRefused(verify(await mint({ encryptFor: viewerKeys.publicKey })), 'decryption-failed');
    });
  });

  describe('the nested JWE: the inner token meets the bare token\'s rules', () => {
    const wrap = async (jws: string, header: Record<string, unknown> = {}) =>
      new CompactEncrypt(new TextEncoder().encode(jws))
        .setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', cty: 'JWT', ...header })
        .encrypt(viewerKeys.publicKey);

    it('refuses a 240 KB inner token inside a small compressed JWE', async () => {
      const huge = await craft({ ctx: { ...ctx, patient: { ...ctx.patient, familyName: 'x'.repeat(240_000) } } });
      const token = await wrap(huge, { zip: 'DEF' });
      expect(token.length).to.be.below(16_384);
      await expectRefused(verify(token, { decryptWith: viewerKeys.privateKey }), 'unsupported-algorithm');
    });

    it('refuses any compressed JWE (zip: DEF)', async () => {
      const token = await wrap(await craft({}), { zip: 'DEF' });
      await expectRefused(verify(token, { decryptWith: viewerKeys.privateKey }), 'unsupported-algorithm');
    });

    it('refuses an inner signature spelled with other unused bits in its last character', async () => {
      const [header, payload, signature] = (await craft({})).split('.') as [string, string, string];
      const bytes = base64url.decode(signature).join();
      const twin = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_']
        .map((last) => signature.slice(0, -1) + last)
        .find((other) => other !== signature && base64url.decode(other).join() === bytes)!;
      await expectRefused(verify(await wrap(`${header}.${payload}.${twin}`), { decryptWith: viewerKeys.privateKey }), 'malformed');
    });

    it('pins key management to the configured algorithm: ECDH-ES (direct) is refused where ECDH-ES+A256KW is set', async () => {
      const direct = await wrap(await craft({}), { alg: 'ECDH-ES' });
      await expectRefused(verify(direct, { decryptWith: viewerKeys.privateKey }), 'unsupported-algorithm');
      const claims = await verify(await wrap(await craft({}), { alg: 'ECDH-ES' }), {
        decryptWith: viewerKeys.privateKey, encryptionAlgorithm: 'ECDH-ES',
      });
      expect(claims.ctx).to.deep.equal(ctx);
    });

    it('pins the content encryption to A256GCM', async () => {
      const token = await wrap(await craft({}), { enc: 'A128GCM' });
      await expectRefused(verify(token, { decryptWith: viewerKeys.privateKey }), 'unsupported-algorithm');
    });
  });

  describe('refusal codes and misconfiguration', () => {
    const throwing = (error: unknown) => ({ claim: async () => Promise.reject(error) });

    it('a replay cache that throws (Redis down) gives unavailable, never malformed and never acceptance', async () => {
      const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
      await expectRefused(verify(await mint(), { replayCache: throwing(down) }), 'unavailable');
    });

    it('a replay cache that answers anything but true refuses the token', async () => {
      await expectRefused(verify(await mint(), { replayCache: { claim: async () => 'OK' as never } }), 'replayed');
    });

    it('looks codes up in own properties only: an inner error coded "constructor" is no Object', async () => {
      const odd = { code: 'constructor', claim: 'constructor' };
      await expectRefused(verify(await mint(), { replayCache: throwing(odd) }), 'unavailable');
      const keyFunction = async () => Promise.reject(odd);
      await expectRefused(verify(await mint(), { key: keyFunction as never }), 'malformed');
      const claimError = { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'constructor' };
      await expectRefused(verify(await mint(), { key: (async () => Promise.reject(claimError)) as never }), 'invalid-claims');
    });

    it("accepts jose's clock tolerance forms such as '5s'", async () => {
      const now = Math.floor(Date.now() / 1000);
      expect((await verify(await mint(), { clockTolerance: '5s' })).ctx).to.deep.equal(ctx);
      expect((await verify(await craft({ iat: now - 63, exp: now - 3 }), { clockTolerance: '1 minute' })).sub).to.equal('dr-lee');
      await expectRefused(verify(await craft({ iat: now - 70, exp: now - 10 }), { clockTolerance: '5s' }), 'expired');
    });

    it('remembers a jti for the tolerance after exp, whichever form the tolerance takes', async () => {
      const claims: number[] = [];
      const replayCache = { claim: async (_jti: string, expiresAt: number) => Boolean(claims.push(expiresAt)) };
      const { exp } = await verify(await mint(), { clockTolerance: '2 min', replayCache });
      expect(claims).to.deep.equal([exp + 120]);
    });

    for (const [label, options] of [
      ['no options', undefined],
      ['no issuer', { issuer: undefined }],
      ['an empty audience', { audience: '' }],
      ['no key and no jwks', { key: undefined }],
      ['a jwks that is not one', { key: undefined, jwks: { keys: 'emr-1' } }],
      ['a jwks with no keys member', { key: undefined, jwks: {} }],
      ['a clock tolerance jose cannot read', { clockTolerance: 'soon' }],
      ['a negative clock tolerance', { clockTolerance: -5 }],
      ['a tolerance in the past', { clockTolerance: '5s ago' }],
      ['a replay cache without claim()', { replayCache: {} }],
    ] as const) {
      it(`a misconfigured verifier throws a TypeError that names the option: ${label}`, async () => {
        let thrown: unknown;
        try {
          const token = await mint();
          await (options === undefined
            ? verifyLaunchToken(token, undefined as never)
            : verify(token, options as never));
        } catch (error) {
          thrown = error;
        }
        expect(thrown).to.be.instanceOf(TypeError);
        expect((thrown as Error).message).to.match(/options|clockTolerance|jwks/);
      });
    }
  });

  describe('the replay cache: keys scoped to the issuer, time by the verifier\'s clock', () => {
    it('two EMRs sharing one cache: the same jti from each is accepted once each', async () => {
      const replayCache = new MemoryReplayCache();
      const otherIssuer = 'https://other-emr.example';
      const fromA = await craft({ jti: 'same-jti' });
      const fromB = await craft({ jti: 'same-jti', iss: otherIssuer }, other.privateKey);
      const verifyB = (token: string) => verify(token, { replayCache, key: other.publicKey, issuer: otherIssuer });
      expect((await verify(fromA, { replayCache })).iss).to.equal(issuer);
      expect((await verifyB(fromB)).iss).to.equal(otherIssuer, "EMR B's token must not burn EMR A's jti, nor A's B's");
      await expectRefused(verify(fromA, { replayCache }), 'replayed');
      await expectRefused(verifyB(fromB), 'replayed');
    });

    it('claims a digest of iss and jti, never the bare jti', async () => {
      const keys: string[] = [];
      const replayCache = { claim: async (key: string) => Boolean(keys.push(key)) };
      await verify(await craft({ jti: 'plain-jti' }), { replayCache });
      expect(keys).to.have.length(1);
      expect(keys[0]).to.match(/^[A-Za-z0-9_-]{43}$/);
      expect(keys[0]).not.to.contain('plain-jti');
    });

    it('verified at a currentDate, a token is still claimed once: the cache counts from the verifier\'s now', async () => {
      const past = Math.floor(Date.now() / 1000) - 3_600;
      const token = await craft({ iat: past, exp: past + 60 });
      const replayCache = new MemoryReplayCache();
      const currentDate = new Date((past + 10) * 1000);
      await verify(token, { replayCache, currentDate });
      await expectRefused(verify(token, { replayCache, currentDate }), 'replayed');
    });

    it("gives the cache the verifier's own now beside the expiry", async () => {
      const past = Math.floor(Date.now() / 1000) - 3_600;
      const seen: number[][] = [];
      const replayCache = { claim: async (_key: string, expiresAt: number, now?: number) => Boolean(seen.push([expiresAt, now!])) };
      await verify(await craft({ iat: past, exp: past + 60 }), { replayCache, currentDate: new Date((past + 10) * 1000) });
      expect(seen).to.deep.equal([[past + 65, past + 10]]);
    });
  });

  describe('MemoryReplayCache', () => {
    it('claims a jti once until it expires, then forgets it', async () => {
      let now = 1_000_000_000_000;
      const cache = new MemoryReplayCache(() => now);
      const expiresAt = now / 1000 + 60;
      expect(await cache.claim('a', expiresAt)).to.equal(true);
      expect(await cache.claim('a', expiresAt)).to.equal(false);
      expect(await cache.claim('b', expiresAt)).to.equal(true);
      now += 61_000;
      expect(await cache.claim('c', now / 1000 + 60)).to.equal(true);
      expect(cache.size).to.equal(1);
      expect(await cache.claim('a', now / 1000 + 60)).to.equal(true);
    });

    it('answers one of many concurrent claims of the same jti with true', async () => {
      const cache = new MemoryReplayCache();
      const answers = await Promise.all(Array.from({ length: 20 }, () => cache.claim('same', Date.now() / 1000 + 60)));
      expect(answers.filter(Boolean)).to.have.length(1);
    });
  });
});
