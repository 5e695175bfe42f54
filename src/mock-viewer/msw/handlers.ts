// The mock viewer's back end as msw handlers, in named scenarios. The demo's viewer page and the
// tests use them, and vendors can too (`careconnect-launch/mock-viewer`). Every request carries
// the PHN in a POST body, never in its URL.
import { HttpResponse, delay, http, type RequestHandler } from 'msw';
import { ownProperties } from '../../core/own-properties.js';
import { REGISTRY } from '../patients.js';
import { lastFourteenMonths, recordFor, type RecordSection } from '../records.js';
import { checkSignIn, isSignedIn, type SignInRequest, type SignedInUser } from '../sign-in.js';
import type { ScenarioName } from './scenario-names.js';

export { DEMO_ACCOUNTS, checkSignIn, type SignInRequest, type SignedInUser } from '../sign-in.js';
export { IDP_SCENARIOS, SCENARIO_NAMES, type ScenarioName } from './scenario-names.js';

export const MOCK_API = '*/mock-careconnect/api';

const SECTIONS: RecordSection[] = ['encounters', 'labs', 'imaging', 'documents'];

const refuse = (status: number, error: string, message: string) => HttpResponse.json({ error, message }, { status });

/** The request's JSON body, own fields only: a field it lacks is never read from a polluted prototype. */
async function body<T>(request: Request): Promise<Partial<T>> {
  try {
    return ownProperties(await request.json()) as Partial<T>;
  } catch {
    return {};
  }
}

function signIn(request: Partial<SignInRequest>) {
  const result = checkSignIn(request);
  if (isSignedIn(result)) return HttpResponse.json({ user: result.user });
  return refuse(result.error === 'bad-request' ? 400 : 401, result.error, result.message);
}

const registryEntry = (phn: unknown) => (typeof phn === 'string' ? REGISTRY.get(phn) : undefined);

export const handlers: RequestHandler[] = [
  http.get(`${MOCK_API}/status`, () => HttpResponse.json({ status: 'up' })),
  http.post(`${MOCK_API}/sign-in`, async ({ request }) => signIn(await body<SignInRequest>(request))),
  // After the identity provider: CareConnect opens its own session for the user the provider vouched for.
  http.post(`${MOCK_API}/session`, async ({ request }) => HttpResponse.json({ user: (await body<{ user: SignedInUser }>(request)).user })),
  http.post(`${MOCK_API}/patients/search`, async ({ request }) => {
    const entry = registryEntry((await body<{ phn: string }>(request)).phn);
    if (!entry) return refuse(404, 'no-match', 'No matching patient.');
    const { record: _shape, ...patient } = entry;
    return HttpResponse.json({ patient });
  }),
  http.post(`${MOCK_API}/records`, async ({ request }) => {
    const { phn, section } = await body<{ phn: string; section: RecordSection }>(request);
    const entry = registryEntry(phn);
    if (!entry || !SECTIONS.includes(section as RecordSection)) return refuse(404, 'not-found', 'No such record.');
    return HttpResponse.json({ items: recordFor(entry)[section as RecordSection] });
  }),
  http.post(`${MOCK_API}/pharmanet`, async ({ request }) => {
    const entry = registryEntry((await body<{ phn: string }>(request)).phn);
    if (!entry) return refuse(404, 'not-found', 'No such patient.');
    return HttpResponse.json({ items: lastFourteenMonths(recordFor(entry).dispenses) });
  }),
];

/** The first matching handler wins in msw, so each scenario's overrides come before the defaults. */
export const scenarios: Readonly<Record<ScenarioName, RequestHandler[]>> = {
  default: handlers,
  'no-match': [http.post(`${MOCK_API}/patients/search`, () => refuse(404, 'no-match', 'No matching patient.')), ...handlers],
  'auth-failed': [
    http.post(`${MOCK_API}/sign-in`, () => refuse(401, 'auth-failed', 'Your account could not be verified.')),
    http.post(`${MOCK_API}/session`, () => refuse(401, 'auth-failed', 'Your account could not be verified.')),
    ...handlers,
  ],
  slow: [
    http.all(`${MOCK_API}/*`, async ({ request }) => {
      // Searching is the slow part of a real registry; long enough to see every progress state.
      await delay(new URL(request.url).pathname.endsWith('/patients/search') ? 7_000 : 1_500);
    }),
    ...handlers,
  ],
  // No page that speaks: nothing answers at all, so the viewer never says ready.
  'viewer-down': [http.all(`${MOCK_API}/*`, () => HttpResponse.error())],
  // The page loads, its back end answers that it is down: the viewer says `error { code: 'unavailable' }` at once.
  unavailable: [http.all(`${MOCK_API}/*`, () => refuse(503, 'unavailable', 'CareConnect is unavailable.'))],
  // The identity provider's scenarios (see IDP_SCENARIOS): CareConnect's own back end is as in `default`.
  'idp-slow': handlers,
  'idp-coop': handlers,
};
