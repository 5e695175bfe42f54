// The replay cache on Redis, shared by every instance of a viewer's verifier: one atomic
// `SET key 1 NX PX ttl` per token, so two instances can never both accept one token.
import type { ReplayCache } from './replay-cache.js';

/**
 * What the cache needs of a node-redis client (`createClient()` from `redis`, v4 or later, already
 * connected). A cluster client or a pool with the same `set` works as well.
 */
export interface RedisSetClient {
  /** False while the client is disconnected: the cache then refuses at once instead of queueing. */
  readonly isReady: boolean;
  set(key: string, value: string, options: { NX: true; PX: number }): Promise<unknown>;
}

export interface RedisReplayCacheOptions {
  client: RedisSetClient;
  /** Put before each key; default `careconnect-launch:jti:`. */
  prefix?: string;
  /** How long one claim may wait for Redis, in ms: 1 to 2^31 − 1 (setTimeout's limit); default 2,000. Then the claim throws. */
  timeoutMs?: number;
}

/** setTimeout fires at once for a delay of 2^31 ms or more: every claim would time out. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Thrown by `claim` when Redis cannot answer; `verifyLaunchToken` turns it into `unavailable`. */
export class ReplayCacheUnavailableError extends Error {
  override name = 'ReplayCacheUnavailableError';
}

/**
 * A `ReplayCache` on Redis. It never answers true unless Redis itself recorded the claim: a lost
 * connection, a timeout or an error reply throws, and the verifier refuses the token.
 */
export class RedisReplayCache implements ReplayCache {
  readonly #client: RedisSetClient;
  readonly #prefix: string;
  readonly #timeoutMs: number;

  constructor({ client, prefix = 'careconnect-launch:jti:', timeoutMs = 2_000 }: RedisReplayCacheOptions) {
    if (typeof client?.set !== 'function') throw new TypeError('RedisReplayCache needs { client }, a connected node-redis client');
    if (typeof prefix !== 'string') throw new TypeError('RedisReplayCache prefix must be a string');
    if (!(timeoutMs > 0 && timeoutMs <= MAX_TIMEOUT_MS)) {
      throw new TypeError(`RedisReplayCache timeoutMs must be milliseconds from 1 to ${MAX_TIMEOUT_MS}`);
    }
    this.#client = client;
    this.#prefix = prefix;
    this.#timeoutMs = timeoutMs;
  }

  async claim(key: string, expiresAt: number, now = Date.now() / 1000): Promise<boolean> {
    // node-redis queues commands while it reconnects; a launch must not wait for Redis to return.
    if (!this.#client.isReady) throw new ReplayCacheUnavailableError('Redis is not connected');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ReplayCacheUnavailableError('Redis did not answer in time')), this.#timeoutMs);
    });
    try {
      // A time to live, not an absolute EXAT: Redis's clock may run ahead of the verifier's. Rounded
      // up, so the key lasts at least as long as the token does for the verifier.
      const ttlMs = Math.max(1, Math.ceil((expiresAt - now) * 1000));
      const reply = await Promise.race([this.#client.set(this.#prefix + key, '1', { NX: true, PX: ttlMs }), timeout]);
      return reply === 'OK';
    } finally {
      clearTimeout(timer);
    }
  }
}
