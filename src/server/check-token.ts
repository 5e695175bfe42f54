// The token checker behind `careconnect-launch check-token`: each rule a viewer applies, with pass or
// fail and the fix, for EMR teams on any stack. The verdict is verifyLaunchToken's own.
import {
  compactVerify, createLocalJWKSet, decodeJwt, decodeProtectedHeader,
  type JSONWebKeySet, type JWTPayload, type ProtectedHeaderParameters,
} from 'jose';
import { isLaunchContext } from '../core/launch-context-check.js';
import { compactParts, LaunchTokenError, MAX_TOKEN_LIFETIME_S, verifyLaunchToken, type LaunchTokenErrorCode } from './launch-token.js';
import { MemoryReplayCache } from './replay-cache.js';

export interface TokenRule {
  /** `format`, `alg`, `typ`, `kid`, `signature`, `iss`, `aud`, `sub`, `iat`, `exp`, `lifetime`, `jti`, `ctx`, `ctx.patient.id`, … */
  rule: string;
  ok: boolean;
  /** What was found; the health number, names, birth date and gender are never shown, only their shape. */
  found: string;
  /** What to change, when `ok` is false. */
  fix?: string;
}

export interface TokenCheck {
  accepted: boolean;
  /** The verifier's refusal code and message, when not accepted. */
  code?: LaunchTokenErrorCode;
  message?: string;
  rules: TokenRule[];
}

export interface CheckTokenOptions {
  jwks: JSONWebKeySet;
  issuer: string;
  audience: string;
  /** Check as of this time (the test vectors' fixed "now"); default: now. */
  currentDate?: Date;
}

/** Each `ctx` field, what it must be, and whether its value may be shown. */
const CTX_FIELDS: ReadonlyArray<[path: string, expected: string, shown: boolean]> = [
  ['healthNumber.province', 'the province code of the health number, such as "BC"', true],
  ['healthNumber.value', 'the health number as a string', false],
  ['patient.id', "the EMR's chart id as a string (not a number)", false],
  ['patient.givenName', 'a string, or absent', false],
  ['patient.familyName', 'a string, or absent', false],
  ['patient.birthDate', 'a string YYYY-MM-DD, or absent', false],
  ['patient.gender', '"female", "male", "other" or "unknown", or absent', false],
  ['location.id', 'a string, or absent', true],
  ['location.province', 'a province code such as "BC", or null', true],
  ['user.role', '"provider" or "staff"', true],
  ['network', '"ppn" or "internet"', true],
];

const TOLERANCE_S = 5;

/** A context that passes, into which one field of the token's is put at a time. */
const REFERENCE_CONTEXT = {
  healthNumber: { province: 'BC', value: '0' }, patient: { id: '0' }, location: { province: 'BC' }, user: { role: 'staff' }, network: 'ppn',
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const own = (value: unknown, key: string) => (isRecord(value) && Object.hasOwn(value, key) ? value[key] : undefined);
const at = (value: unknown, path: string) => path.split('.').reduce(own, value);

/** A value's shape, never its content: "a string of 10 characters", "a number", "absent". */
function shape(value: unknown): string {
  if (value === undefined) return 'absent';
  if (value === null) return 'null';
  if (typeof value === 'string') return `a string of ${value.length} character${value.length === 1 ? '' : 's'}`;
  return Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
const show = (value: unknown) => (value === undefined ? 'absent' : JSON.stringify(value));

/**
 * Whether `path` alone breaks the context: the sample context with this one field taken from the
 * token must still pass `isLaunchContext`, the rule `createLaunchToken` and the verifier apply.
 */
function fieldPasses(ctx: unknown, path: string): boolean {
  const trial: Record<string, any> = structuredClone(REFERENCE_CONTEXT);
  const [outer, inner] = path.split('.') as [string, string | undefined];
  const value = at(ctx, path);
  const target: Record<string, unknown> = inner === undefined ? trial : trial[outer];
  const key = inner ?? outer;
  if (value === undefined) delete target[key];
  else target[key] = value;
  return isLaunchContext(trial);
}

function ctxRules(ctx: unknown): TokenRule[] {
  const fields = CTX_FIELDS.map(([path, expected, shown]): TokenRule => {
    const value = at(ctx, path);
    const ok = fieldPasses(ctx, path);
    return { rule: `ctx.${path}`, ok, found: shown ? show(value) : shape(value), ...(ok ? {} : { fix: `ctx.${path} must be ${expected}` }) };
  });
  const whole = isLaunchContext(ctx);
  return [
    { rule: 'ctx', ok: whole, found: shape(ctx), ...(whole ? {} : { fix: 'ctx must be { healthNumber, patient, location, user, network }, each as below' }) },
    ...fields,
  ];
}

const rule = (name: string, ok: boolean, found: string, fix: string): TokenRule => ({ rule: name, ok, found, ...(ok ? {} : { fix }) });

async function signatureRules(token: string, header: ProtectedHeaderParameters, jwks: JSONWebKeySet): Promise<TokenRule[]> {
  let key;
  try {
    key = await createLocalJWKSet(jwks)({ ...header, alg: 'ES256' });
  } catch {
    const kids = jwks.keys.map((k) => k.kid).filter(Boolean).join(', ') || 'none';
    return [rule('kid', false, show(header.kid), `put the kid of the signing key in the header; the JWKS has: ${kids}`)];
  }
  const kid = rule('kid', true, show(header.kid), '');
  try {
    await compactVerify(token, key, { algorithms: ['ES256'] });
    return [kid, rule('signature', true, 'verifies', '')];
  } catch {
    return [kid, rule('signature', false, 'does not verify',
      'sign header.payload with the private key of this kid; ES256 signatures are the raw 64-byte r||s (not DER), base64url-encoded')];
  }
}

/** A claim's time as people read it: the date, and how far it is from the check's "now". */
function when(seconds: number, now: number): string {
  const date = new Date(seconds * 1000);
  const distance = Math.abs(seconds - now);
  const span = distance < 120 ? `${distance} s` : distance < 7200 ? `${Math.round(distance / 60)} min` : distance < 172_800 ? `${Math.round(distance / 3600)} h` : `${Math.round(distance / 86_400)} days`;
  const iso = Number.isFinite(date.getTime()) ? `${date.toISOString().replace('.000Z', 'Z')}, ` : '';
  return `${seconds} (${iso}${seconds === now ? 'now' : seconds < now ? `${span} ago` : `in ${span}`})`;
}

function claimRules(claims: JWTPayload, { issuer, audience, currentDate }: CheckTokenOptions): TokenRule[] {
  const now = Math.floor((currentDate ?? new Date()).getTime() / 1000);
  const { iss, aud, sub, iat, exp, jti } = claims;
  const times = typeof iat === 'number' && typeof exp === 'number';
  return [
    rule('iss', iss === issuer, show(iss), `iss must be exactly ${JSON.stringify(issuer)}`),
    rule('aud', aud === audience, show(aud), `aud must be the one viewer id ${JSON.stringify(audience)}, a string, not an array`),
    rule('sub', typeof sub === 'string' && sub !== '', show(sub), 'sub must be the EMR user\'s id, a non-empty string'),
    rule('iat', typeof iat === 'number' && iat <= now + TOLERANCE_S, typeof iat === 'number' ? when(iat, now) : shape(iat),
      'iat must be the time of minting, in whole seconds since 1970 (UTC), not in the future'),
    rule('exp', typeof exp === 'number' && exp > now - TOLERANCE_S, typeof exp === 'number' ? when(exp, now) : shape(exp),
      'exp must be in the future: mint the token when the user clicks, and present it at once'),
    rule('lifetime', times && exp > iat && exp - iat <= MAX_TOKEN_LIFETIME_S, times ? `${exp - iat} s` : 'unknown',
      `exp must come after iat, at most ${MAX_TOKEN_LIFETIME_S} s later (60 s is the usual choice)`),
    rule('jti', typeof jti === 'string' && jti !== '', shape(jti), 'jti must be a fresh random id for each token, such as a UUID'),
  ];
}

/** Every rule, then the verifier's verdict. Never throws for a bad token; throws a TypeError for bad options. */
export async function checkLaunchToken(token: string, options: CheckTokenOptions): Promise<TokenCheck> {
  let refusal: LaunchTokenError | undefined;
  try {
    await verifyLaunchToken(token, { ...options, replayCache: new MemoryReplayCache() });
  } catch (error) {
    if (!(error instanceof LaunchTokenError)) throw error;
    refusal = error;
  }
  const rules: TokenRule[] = [];
  let parts: string[] = [];
  try {
    parts = compactParts(token);
  } catch {
    // reported just below
  }
  const format = parts.length === 3;
  rules.push(rule('format', format, parts.length ? `${parts.length} dot-separated parts, ${token.length} characters` : 'not canonical base64url, or over 16 KB',
    parts.length === 5
      ? 'this is a JWE: check the signed token inside it, before encryption'
      : 'a compact JWS: three base64url parts (no padding, no spaces or line breaks) joined by dots, at most 16 KB'));
  if (format) {
    let header: ProtectedHeaderParameters | undefined;
    let claims: JWTPayload | undefined;
    try {
      header = decodeProtectedHeader(token);
      claims = decodeJwt(token);
    } catch {
      rules.push(rule('json', false, 'not JSON objects', 'the header and the payload must be JSON objects, UTF-8, base64url-encoded'));
    }
    if (header && claims) {
      rules.push(rule('alg', header.alg === 'ES256', show(header.alg), 'sign with ES256 (ECDSA on P-256 with SHA-256); never none, HS256 or RS256'));
      rules.push(rule('typ', typeof header.typ === 'string' && /^(application\/)?jwt$/i.test(header.typ), show(header.typ), 'set the header\'s typ to "JWT"'));
      if (header.alg === 'ES256') rules.push(...(await signatureRules(token, header, options.jwks)));
      rules.push(...claimRules(claims, options), ...ctxRules(claims.ctx));
    }
  }
  return { accepted: !refusal, ...(refusal ? { code: refusal.code, message: refusal.message } : {}), rules };
}
