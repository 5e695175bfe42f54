/// <reference types="node" />
// One verifier instance for the 4-process test: its own Redis client, its share of presentations.
import { createClient } from 'redis';
import type { JWK } from 'jose';
import { LaunchTokenError, verifyLaunchToken } from '../../src/server/launch-token.js';
import { RedisReplayCache } from '../../src/server/redis-replay-cache.js';

interface Job { url: string; jwk: JWK; token: string; presentations: number; issuer: string; audience: string }

process.once('message', async (job: Job) => {
  const client = createClient({ url: job.url });
  client.on('error', () => {});
  await client.connect();
  const replayCache = new RedisReplayCache({ client });
  process.send!({ ready: true });
  process.once('message', async () => {
    const outcomes = await Promise.all(Array.from({ length: job.presentations }, () =>
      verifyLaunchToken(job.token, { jwks: { keys: [job.jwk] }, issuer: job.issuer, audience: job.audience, replayCache })
        .then(() => 'accepted', (error) => (error instanceof LaunchTokenError ? error.code : String(error)))));
    process.send!({ outcomes }, () => {
      void client.close().finally(() => process.exit(0));
    });
  });
});
