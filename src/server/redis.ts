// `careconnect-launch/server/redis`: the replay cache on Redis, for a verifier run as several instances.
export { RedisReplayCache, ReplayCacheUnavailableError } from './redis-replay-cache.js';
export type { RedisReplayCacheOptions, RedisSetClient } from './redis-replay-cache.js';
