// `careconnect-launch mock-viewer`: a local mock CareConnect for your own EMR, until Ctrl+C. Exit 0 when
// stopped; 1 when it cannot start (a port in use); 2 for a usage error.
import { UsageError, parseOptions } from './parse-options.mjs';
import { SCENARIO_NAMES } from '../dist/mock-viewer/msw/scenario-names.js';
import { startMockViewer } from '../dist/mock-viewer/node/start-mock-viewer.js';
import { stopSignal } from './stop-signal.mjs';

const DEFAULT_PORT = 8300;
const DEFAULT_EMR_ORIGIN = 'http://localhost:3000';
const JWKS_PATH = '/.well-known/careconnect-jwks.json';

const USAGE = `Usage: careconnect-launch mock-viewer [--port N] [--emr-origin URL]... [--jwks URL|FILE] [--issuer ISS] [--scenario NAME] [--idp-port N]

  --port N            the viewer's port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 picks a free one)
  --emr-origin URL    your EMR page's origin, exactly (default ${DEFAULT_EMR_ORIGIN}); repeat it for several
  --jwks URL|FILE     your token endpoint's public JWKS (publicJwks), or a file holding it or one JWK,
                      read again for each viewer page (default <first EMR origin>${JWKS_PATH})
  --issuer ISS        the iss of your launch tokens (default: the first EMR origin)
  --scenario NAME     ${SCENARIO_NAMES.join(', ')} (default default);
                      a launch URL's ?scenario= picks another for that window
  --idp-port N        the mock identity provider's port, a third origin (default: --port + 1)

The viewer knows the demo's synthetic patients (Maple Sandbox, PHN 9386 339 244, and others; see
"Demo patients" in docs/mock-viewer-and-qa.md); any other PHN gets "No matching patient" and the
button's no-match error.
It never prints or logs a health number that it receives.`;


function readPort(value, name) {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new UsageError(`--${name} ${value} is not a port (0 to 65535).`);
  return port;
}

function readOrigin(value) {
  let origin;
  try {
    origin = new URL(value).origin;
  } catch {
    origin = 'null';
  }
  // The viewer compares origins exactly: a path or a trailing slash would never match.
  if (origin === 'null' || origin !== value) {
    throw new UsageError(`--emr-origin ${value} is not an origin: give scheme://host[:port], like ${DEFAULT_EMR_ORIGIN}${origin === 'null' ? '' : ` (here: ${origin})`}.`);
  }
  return origin;
}

function readOptions(args) {
  const { values, positionals } = parseOptions(args, {
    port: { type: 'string' }, 'idp-port': { type: 'string' }, 'emr-origin': { type: 'string', multiple: true },
    jwks: { type: 'string' }, issuer: { type: 'string' }, scenario: { type: 'string' }, help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return null;
  if (positionals.length) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
  const emrOrigins = (values['emr-origin'] ?? [DEFAULT_EMR_ORIGIN]).map(readOrigin);
  const scenario = values.scenario ?? 'default';
  if (!SCENARIO_NAMES.includes(scenario)) throw new UsageError(`--scenario ${scenario} is not one of ${SCENARIO_NAMES.join(', ')}.`);
  return {
    port: readPort(values.port, 'port') ?? DEFAULT_PORT,
    idpPort: readPort(values['idp-port'], 'idp-port'),
    emrOrigins,
    jwks: values.jwks ?? `${emrOrigins[0]}${JWKS_PATH}`,
    issuer: values.issuer ?? emrOrigins[0],
    scenario,
  };
}

export async function run(args) {
  let options;
  try {
    options = readOptions(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (!options) {
    console.log(USAGE);
    return 0;
  }
  let viewer;
  try {
    viewer = await startMockViewer({
      ...options,
      onJwksError: (error) => console.error(`Could not read the JWKS: ${error.message}`),
    });
  } catch (error) {
    console.error(error.message);
    return 1;
  }
  console.log(`Mock CareConnect (synthetic patients only), scenario "${options.scenario}"

Put this in your button's .viewers:
  button.viewers = { 'bc-careconnect': { launchUrl: '${viewer.launchUrl}', transport: 'post-message' } };
or, for the legacy form POST:
  button.viewers = { 'bc-careconnect': { launchUrl: '${viewer.formPostUrl}', transport: 'form-post', organization: 'CLINIC01' } };

Accepts launches from:  ${options.emrOrigins.join(', ')}
Trusts the JWKS at:     ${options.jwks}
and the issuer:         ${options.issuer}
Identity provider:      ${viewer.identityProvider} (sign-in leaves the viewer's origin and comes back)
Patients:               Maple Sandbox, PHN 9386 339 244, and the others in docs/mock-viewer-and-qa.md;
                        any other PHN gets "No matching patient"

Press Ctrl+C to stop.`);
  await stopSignal();
  await viewer.stop();
  console.log('Stopped.');
  return 0;
}
