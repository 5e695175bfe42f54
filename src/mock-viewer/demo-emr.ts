// What the demo EMR and the mock viewer agree on: where the EMR's token service and JWKS live,
// and who issues the tokens. Served by `npm start` (scripts/demo-server.mjs).

export const DEMO_ISSUER = 'https://demo-emr.careconnect-launch.invalid';
export const DEMO_TOKEN_PATH = '/demo-api/launch-token';
export const DEMO_JWKS_PATH = '/demo-api/jwks.json';

/**
 * The demo runs the EMR on one loopback name and the viewer on the other, so every launch
 * really crosses origins: given one side's location, this is the other side's origin.
 */
export function counterpartOrigin(location: { protocol: string; hostname: string; port: string }): string {
  const host = location.hostname === '127.0.0.1' ? 'localhost' : '127.0.0.1';
  return `${location.protocol}//${host}${location.port ? `:${location.port}` : ''}`;
}
