// The mock viewer page, for `npm start` and, prebuilt into dist/mock-viewer/app/, for
// `careconnect-launch mock-viewer`: msw serves its back end in the page (a scenario), then
// <mock-viewer-app> takes a launch from the EMR origins its server's config names.
import { setupWorker } from 'msw/browser';
import { IDP_SCENARIOS, SCENARIO_NAMES, scenarios, type ScenarioName } from '../src/mock-viewer/msw/handlers.js';
import { FORM_POST_PATH, SESSION_PATH, type MockViewerConfig } from '../src/mock-viewer/session-api.js';
import { VIEWERS, isViewerId, type ViewerId } from '../src/core/viewers.js';
import '../src/mock-viewer/page/viewer-app.js';

const params = new URLSearchParams(location.search);
const viewerId = params.get('viewer');
// The viewer's own server says who may launch it, whose keys it trusts, and where users sign in.
const config = await fetch(`${SESSION_PATH}/config`).then((r) => r.json()) as MockViewerConfig;
const requested = params.get('scenario') as ScenarioName;
const scenario: ScenarioName = SCENARIO_NAMES.includes(requested) ? requested : config.scenario;

await setupWorker(...scenarios[scenario]).start({
  serviceWorker: { url: config.serviceWorker },
  onUnhandledRequest: 'bypass',
  quiet: true,
});

const app = document.querySelector('mock-viewer-app')!;
const knownViewer: ViewerId = isViewerId(viewerId) ? viewerId : 'bc-careconnect';
document.title = `${VIEWERS[knownViewer].shortName} (mock)`;
// The identity provider is a third origin; the scenario says how it behaves.
const idp = IDP_SCENARIOS[scenario];
const holdMs = Number(params.get('idpHoldMs')) || idp?.holdMs;
const identityProvider = { holdMs, coop: idp?.coop };
// Token ids are claimed by the viewer's server: a page that loads again (back from sign-in) still refuses a replay.
const replayCache = {
  claim: (jti: string, expiresAt: number) => fetch(`${SESSION_PATH}/claim`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jti, expiresAt }),
  }).then((response) => response.status === 201),
};
await app.start({
  emrOrigins: config.emrOrigins, viewerId: knownViewer, issuer: config.issuer, jwksUrl: config.jwksUrl,
  identityProvider, replayCache, formPost: location.pathname === FORM_POST_PATH,
});
