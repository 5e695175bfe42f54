export {
  createLaunchToken, verifyLaunchToken, LaunchTokenError, LaunchContextTooLargeError, MAX_TOKEN_LIFETIME_S, MAX_TOKEN_LENGTH,
} from './launch-token.js';
export type {
  CreateLaunchTokenOptions, VerifyLaunchTokenOptions, LaunchTokenClaims, LaunchTokenErrorCode,
} from './launch-token.js';
export { MemoryReplayCache } from './replay-cache.js';
export type { ReplayCache } from './replay-cache.js';
export { createTokenHandler, MAX_TOKEN_REQUEST_BYTES } from './token-handler.js';
export type { TokenHandlerOptions, TokenEndpointErrorCode, AuthorizedUser, Authorization, MintRecord } from './token-handler.js';
export type { Chart } from './chart-context.js';
export { publicJwks, JWKS_MAX_AGE_S } from './public-jwks.js';
export type { JwksHandler, SigningKey } from './public-jwks.js';
export { checkLaunchToken } from './check-token.js';
export type { TokenCheck, TokenRule, CheckTokenOptions } from './check-token.js';
export type { LaunchContext, TokenRequest } from '../core/launch-context.js';
