// The stable error codes a host switches on. Messages live with the UI; codes never change.

export const ERROR_CODES = [
  'health-number-required',
  'no-viewer',
  'not-configured',
  'popup-blocked',
  'viewer-timeout',
  'auth-failed',
  'no-match',
  'token-failed',
  'busy',
  'unavailable',
  'launch-lost',
  'demographics-invalid',
  'blocked-by-policy',
] as const;

export type CareConnectErrorCode = (typeof ERROR_CODES)[number];
