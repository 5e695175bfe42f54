/// <reference types="node" />
// RedisReplayCache against a real redis-server (Debian's), started on a free loopback port.
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { createClient } from 'redis';
import type { LaunchContext } from '../../src/core/launch-context.js';
import { createLaunchToken, LaunchTokenError, verifyLaunchToken } from '../../src/server/launch-token.js';
import { RedisReplayCache } from '../../src/server/redis-replay-cache.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';

const ctx: LaunchContext = {
  healthNumber: { province: 'BC', value: '9698658215' },
  patient: { id: 'chart-1001' },
  location: { province: 'BC' },
  user: { role: 'provider' },
  network: 'ppn',
};
const issuer = 'https://emr.example';
const audience = 'bc-careconnect';

let redis: TestRedis;
let client: ReturnType<typeof createClient>;
let keys: { privateKey: CryptoKey; publicKey: CryptoKey };

const mint = () => createLaunchToken(ctx, { privateKey: keys.privateKey, issuer, audience, subject: 'dr-lee', keyId: 'emr-1' });
const outcome = (token: string, replayCache = new RedisReplayCache({ client })) =>
  verifyLaunchToken(token, { key: keys.publicKey, issuer, audience, replayCache })
    .then(() => 'accepted', (error: unknown) => (error instanceof LaunchTokenError ? error.code : `threw ${String(error)}`));

const until = async (condition: () => boolean, what: string, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

before(async () => {
  keys = await generateKeyPair('ES256', { extractable: true });
  redis = await startRedis();
  client = createClient({ url: redis.url, socket: { reconnectStrategy: () => 100 } });
  client.on('error', () => {}); // reconnects are expected in these tests; claims report the failures
  await client.connect();
});

after(async () => {
  client?.destroy();
  await redis?.stop();
});

describe('RedisReplayCache on a real redis-server', () => {
  it('claims a key once with SET NX PX: the key lives from the verifier\'s now until the expiry', async () => {
    const cache = new RedisReplayCache({ client, prefix: 'test:jti:' });
    // A verifier whose clock reads 1970: an absolute expiry on Redis's clock would be long past.
    assert.equal(await cache.claim('abc', 1_000, 940), true);
    assert.equal(await cache.claim('abc', 1_000, 940), false);
    assert.equal(await client.get('test:jti:abc'), '1');
    const ttl = await client.pTTL('test:jti:abc');
    assert.ok(ttl > 59_000 && ttl <= 60_000, `the key lives 60 s, not ${ttl} ms`);
    assert.equal(await cache.claim('abd', 1_000, 940), true);
  });

  it('Redis 100 s ahead of the verifier: a token is still accepted once', async () => {
    // The verifier's clock is the currentDate it verifies with; Redis keeps its own.
    const verifierNow = Math.floor(Date.now() / 1000) - 100;
    const token = await new SignJWT({ ctx })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
      .setIssuer(issuer).setAudience(audience).setSubject('dr-lee').setJti(crypto.randomUUID())
      .setIssuedAt(verifierNow).setExpirationTime(verifierNow + 60)
      .sign(keys.privateKey);
    const replayCache = new RedisReplayCache({ client });
    const verifyAtVerifierTime = () => verifyLaunchToken(token, { key: keys.publicKey, issuer, audience, replayCache, currentDate: new Date(verifierNow * 1000 + 10_000) })
      .then(() => 'accepted', (error: unknown) => (error instanceof LaunchTokenError ? error.code : `threw ${String(error)}`));
    assert.equal(await verifyAtVerifierTime(), 'accepted');
    assert.equal(await verifyAtVerifierTime(), 'replayed');
  });

  it('keys are scoped to the issuer: two EMRs on one Redis, the same jti accepted once from each', async () => {
    const otherKeys = await generateKeyPair('ES256');
    const otherIssuer = 'https://other-emr.example';
    const jti = crypto.randomUUID();
    const signed = (privateKey: CryptoKey, iss: string) => new SignJWT({ ctx })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
      .setIssuer(iss).setAudience(audience).setSubject('dr-lee').setJti(jti).setIssuedAt().setExpirationTime('60s')
      .sign(privateKey);
    const [fromA, fromB] = [await signed(keys.privateKey, issuer), await signed(otherKeys.privateKey, otherIssuer)];
    const verifyB = () => verifyLaunchToken(fromB, { key: otherKeys.publicKey, issuer: otherIssuer, audience, replayCache: new RedisReplayCache({ client }) })
      .then(() => 'accepted', (error: unknown) => (error instanceof LaunchTokenError ? error.code : `threw ${String(error)}`));
    assert.equal(await outcome(fromA), 'accepted');
    assert.equal(await verifyB(), 'accepted', "EMR B's token must not burn EMR A's jti");
    assert.equal(await outcome(fromA), 'replayed');
    assert.equal(await verifyB(), 'replayed');
  });

  it('refuses at construction a timeoutMs that setTimeout cannot wait (2^31 ms or more)', async () => {
    for (const timeoutMs of [2 ** 31, 2 ** 40, Infinity, 0, -1, Number.NaN]) {
      assert.throws(() => new RedisReplayCache({ client, timeoutMs }), TypeError, String(timeoutMs));
    }
    const longest = new RedisReplayCache({ client, timeoutMs: 2 ** 31 - 1 });
    assert.equal(await longest.claim(crypto.randomUUID(), Date.now() / 1000 + 60), true);
  });

  it('accepts a token once through the verifier, then refuses it as replayed', async () => {
    const token = await mint();
    assert.equal(await outcome(token), 'accepted');
    assert.equal(await outcome(token), 'replayed');
  });

  it('a client that never connected: unavailable at once, never accepted', async () => {
    const offline = createClient({ url: 'redis://127.0.0.1:1' });
    assert.equal(await outcome(await mint(), new RedisReplayCache({ client: offline })), 'unavailable');
  });

  // Timeouts: a stuck child or server fails the test instead of hanging the suite.
  it('4 verifier processes, 1,000 concurrent presentations of one token: exactly 1 accepted', { timeout: 60_000 }, async () => {
    const token = await mint();
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'emr-1', alg: 'ES256' };
    const children: ChildProcess[] = Array.from({ length: 4 }, () =>
      fork(new URL('./redis-verifier-child.ts', import.meta.url), { execArgv: ['--import', 'tsx'], stdio: 'inherit' }));
    const next = (child: ChildProcess) => new Promise<any>((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`verifier exited ${code}`)));
    });
    try {
      const ready = children.map(next);
      for (const child of children) child.send({ url: redis.url, jwk, token, presentations: 250, issuer, audience });
      await Promise.all(ready);
      const results = children.map(next);
      const start = performance.now();
      for (const child of children) child.send('go');
      const outcomes = (await Promise.all(results)).flatMap((result: { outcomes: string[] }) => result.outcomes);
      const ms = performance.now() - start;
      const counts = outcomes.reduce<Record<string, number>>((all, code) => ({ ...all, [code]: (all[code] ?? 0) + 1 }), {});
      console.log(`  4 processes × 250 presentations: ${JSON.stringify(counts)} in ${ms.toFixed(0)} ms`);
      assert.equal(outcomes.length, 1000);
      assert.deepEqual(counts, { accepted: 1, replayed: 999 });
    } finally {
      for (const child of children) child.kill();
    }
  });

  it('Redis stopped mid-run: unavailable and no acceptance; a restart recovers and remembers', { timeout: 60_000 }, async () => {
    const used = await mint();
    assert.equal(await outcome(used), 'accepted');

    // Killed while 100 presentations of a fresh token are in flight: at most one got in first.
    const fresh = await mint();
    const inFlight = Array.from({ length: 100 }, () => outcome(fresh));
    await redis.kill();
    const during = await Promise.all(inFlight);
    assert.ok(during.filter((code) => code === 'accepted').length <= 1, JSON.stringify(during));
    assert.ok(during.every((code) => ['accepted', 'replayed', 'unavailable'].includes(code)), JSON.stringify(during));

    // While it is down: every presentation is unavailable, none malformed, none accepted.
    await until(() => !client.isReady, 'the client to notice');
    const another = await mint();
    const down = await Promise.all([...Array.from({ length: 50 }, () => outcome(another)), outcome(used)]);
    assert.deepEqual(new Set(down), new Set(['unavailable']));

    await redis.restart();
    await until(() => client.isReady, 'the client to reconnect');
    assert.equal(await outcome(another), 'accepted', 'a token refused while Redis was down works once it is back');
    assert.equal(await outcome(another), 'replayed');
    assert.equal(await outcome(used), 'replayed', 'the append-only file kept the claims made before the crash');
  });
});
