// The mock viewer page: msw serves its back end in the page (a scenario from ?scenario=), then
// <mock-viewer-app> speaks the launch protocol with the demo EMR on the other loopback origin.
import { setupWorker } from 'msw/browser';
import { IDP_SCENARIOS, SCENARIO_NAMES, scenarios, type ScenarioName } from '../src/mock-viewer/handlers.js';
import { DEMO_ISSUER, DEMO_JWKS_PATH, counterpartOrigin } from '../src/mock-viewer/demo-emr.js';
import { VIEWERS, isViewerId, type ViewerId } from '../src/core/viewers.js';
import '../src/mock-viewer/viewer-app.js';

const params = new URLSearchParams(location.search);
const requested = params.get('scenario') as ScenarioName;
const scenario: ScenarioName = SCENARIO_NAMES.includes(requested) ? requested : 'default';
const viewerId = params.get('viewer');
const emrOrigin = counterpartOrigin(location);

await setupWorker(...scenarios[scenario]).start({
  serviceWorker: { url: new URL('./mockServiceWorker.js', import.meta.url).pathname },
  onUnhandledRequest: 'bypass',
  quiet: true,
});

const app = document.querySelector('mock-viewer-app')!;
const knownViewer: ViewerId = isViewerId(viewerId) ? viewerId : 'bc-careconnect';
document.title = `${VIEWERS[knownViewer].shortName} (mock)`;
// Where npm start serves the identity provider (a third origin); the scenario says how it behaves.
const config = await fetch('/mock-careconnect/session/config').then((r) => r.json()).catch(() => null) as { identityProvider?: string } | null;
const idp = IDP_SCENARIOS[scenario];
const holdMs = Number(params.get('idpHoldMs')) || idp?.holdMs;
const identityProvider = config?.identityProvider ? { url: config.identityProvider, holdMs, coop: idp?.coop } : undefined;
// Token ids are claimed by the viewer's server: a page that loads again (back from sign-in) still refuses a replay.
const replayCache = config ? {
  claim: (jti: string, expiresAt: number) => fetch('/mock-careconnect/session/claim', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jti, expiresAt }),
  }).then((response) => response.status === 201),
} : undefined;
await app.start({ emrOrigin, viewerId: knownViewer, issuer: DEMO_ISSUER, jwksUrl: `${emrOrigin}${DEMO_JWKS_PATH}`, identityProvider, replayCache });
