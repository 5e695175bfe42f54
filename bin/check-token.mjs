// `careconnect-launch check-token`: prints each rule a viewer applies to a launch token, with pass or
// fail and the fix. Exit 0 only if a viewer would accept the token; 1 if not; 2 for a usage error.
import { UsageError, parseOptions } from './parse-options.mjs';
import { checkLaunchToken } from '../dist/server/check-token.js';
import { readJwks as readJwksFrom } from '../dist/server/read-jwks.js';

const USAGE = `Usage: careconnect-launch check-token <token | -> --jwks <URL | FILE> --issuer <ISS> --audience <AUD> [--now <TIME>] [--json]

  <token | ->        the compact JWS (header.payload.signature), or - to read it from standard input
  --jwks URL|FILE    the EMR's public JWKS ({ "keys": [...] }), or a single public JWK
  --issuer ISS       the iss the viewer expects (your EMR's issuer)
  --audience AUD     the aud the viewer expects: its viewer id, e.g. bc-careconnect
  --now TIME         check as of TIME (ISO 8601, or seconds since 1970) instead of now: the shipped
                     test vectors are checked as of their "now"
  --json             print the result as JSON

The health number, names, birth date and gender are never printed: only their shape.`;

/** Input that cannot be read (a JWKS URL that does not answer): said plainly, with no usage text. */
class InputError extends UsageError {}

async function readJwks(source) {
  return readJwksFrom(source).catch((error) => {
    // A body over the cap came from a running server: the hint would mislead.
    const unreachable = /^https?:/.test(source) && error.name !== 'JwksTooLargeError';
    throw new InputError(`--jwks ${error.message}${unreachable ? ' (is the server that serves it running?)' : ''}`);
  });
}

function readNow(value) {
  if (value === undefined) return undefined;
  const date = /^\d+$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
  if (!Number.isFinite(date.getTime())) throw new UsageError(`--now ${value} is not a time: give ISO 8601 or seconds since 1970`);
  return date;
}

async function readToken(argument) {
  if (argument !== '-') return argument;
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text.trim();
}

function print({ accepted, code, message, rules }) {
  const width = Math.max(...rules.map((rule) => rule.rule.length));
  for (const { rule, ok, found, fix } of rules) {
    console.log(`${ok ? 'pass' : 'FAIL'}  ${rule.padEnd(width)}  ${found}`);
    if (fix) console.log(`${' '.repeat(width + 8)}fix: ${fix}`);
  }
  console.log(accepted ? '\nAccepted: a viewer with this JWKS, issuer and audience would accept this token.' : `\nRefused (${code}): ${message}`);
}

export async function run(args) {
  let parsed;
  try {
    parsed = parseOptions(args, {
      jwks: { type: 'string' }, issuer: { type: 'string' }, audience: { type: 'string' },
      now: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    const missing = ['jwks', 'issuer', 'audience'].filter((name) => !values[name]);
    if (positionals.length !== 1) throw new UsageError('Give one token, or - to read it from standard input.');
    if (missing.length) throw new UsageError(`Missing ${missing.map((name) => `--${name}`).join(', ')}.`);
    const [jwks, token, currentDate] = [await readJwks(values.jwks), await readToken(positionals[0]), readNow(values.now)];
    const result = await checkLaunchToken(token, { jwks, issuer: values.issuer, audience: values.audience, currentDate });
    if (values.json) console.log(JSON.stringify(result, null, 2));
    else print(result);
    return result.accepted ? 0 : 1;
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof TypeError)) throw error;
    console.error(error instanceof InputError ? error.message : `${error.message}\n\n${USAGE}`);
    return 2;
  }
}
