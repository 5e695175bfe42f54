// The mock viewer's scenario names, with no msw: the command line (`careconnect-launch mock-viewer
// --scenario`) checks them in Node, where msw may not be installed.

export type ScenarioName = 'default' | 'no-match' | 'auth-failed' | 'slow' | 'viewer-down' | 'unavailable' | 'idp-slow' | 'idp-coop';

/** Each scenario's msw handlers are `scenarios[name]` in handlers.ts. */
export const SCENARIO_NAMES: readonly ScenarioName[] = Object.freeze(['default', 'no-match', 'auth-failed', 'slow', 'viewer-down', 'unavailable', 'idp-slow', 'idp-coop']);

/**
 * What the mock identity provider (a third origin, served by `npm start` and the command line) does
 * in each scenario that involves it: hold the sign-in for `holdMs`, or send `Cross-Origin-Opener-Policy: same-origin`.
 */
export const IDP_SCENARIOS: Readonly<Partial<Record<ScenarioName, { holdMs?: number; coop?: boolean }>>> = {
  'idp-slow': { holdMs: 90_000 },
  'idp-coop': { coop: true },
};
