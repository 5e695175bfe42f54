// Where the mock viewer's page finds its own server (back-end.ts), and what that server's config
// says: shared by the page and the server, with nothing from Node.
import type { ScenarioName } from './msw/scenario-names.js';

export const SESSION_PATH = '/mock-careconnect/session';
/** Where CareConnect's "POST integration v2.01" posts (`https://bc.careconnect.ca/Welcome/Search`). */
export const FORM_POST_PATH = '/Welcome/Search';

/** What the viewer page reads from `GET /mock-careconnect/session/config`. */
export interface MockViewerConfig {
  /** The only EMR origins allowed to launch it. */
  emrOrigins: readonly string[];
  issuer: string;
  /** The EMR's JWKS, served from the viewer's own origin. */
  jwksUrl: string;
  /** The identity provider's sign-in page, on a third origin. */
  identityProvider: string;
  /** The scenario when the launch URL names none (`?scenario=`). */
  scenario: ScenarioName;
  /** msw's worker script: its folder is the scope it mocks, so /Welcome/Search needs it at the root. */
  serviceWorker: string;
}
