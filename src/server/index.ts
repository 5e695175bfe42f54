export { createLaunchToken, verifyLaunchToken, LaunchTokenError, MAX_TOKEN_LIFETIME_S } from './launch-token.js';
export type {
  CreateLaunchTokenOptions, VerifyLaunchTokenOptions, LaunchTokenClaims, LaunchTokenErrorCode,
} from './launch-token.js';
export { MemoryReplayCache } from './replay-cache.js';
export type { ReplayCache } from './replay-cache.js';
export type { LaunchContext, TokenRequest } from '../core/launch-context.js';
