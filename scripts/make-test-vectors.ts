// Writes test-vectors/launch-tokens.json (and its public keys as jwks.json): a key pair, then valid and invalid launch tokens, each with
// the code a viewer answers, all as of one fixed "now". Run: `node --import tsx scripts/make-test-vectors.ts`. It keeps the key pair
// of the file it replaces, so a vendor's copy of jwks.json stays good from one release to the next.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { SignJWT, UnsecuredJWT, base64url, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { LaunchContext } from '../src/core/launch-context.js';

const NOW = Date.parse('2026-01-01T00:00:00Z') / 1000;
const issuer = 'https://emr.example';
const audience = 'bc-careconnect';
const kid = 'emr-test-1';

// Synthetic: a generated PHN that passes the BC mod-11 check, not one of the Province's published ones.
const ctx: LaunchContext = {
  healthNumber: { province: 'BC', value: '9386339244' },
  patient: { id: 'chart-1001', givenName: 'Maple', familyName: 'Sandbox', birthDate: '1958-04-12', gender: 'female' },
  location: { id: 'clinic-1', province: 'BC' },
  user: { role: 'provider' },
  network: 'ppn',
};

const FILE = 'test-vectors/launch-tokens.json';
const privateJwk: JWK = existsSync(FILE)
  ? (JSON.parse(readFileSync(FILE, 'utf8')) as { privateKey: JWK }).privateKey
  : { ...(await exportJWK((await generateKeyPair('ES256', { extractable: true })).privateKey)), kid, alg: 'ES256' };
const { d: _d, ...publicPart } = privateJwk;
const publicJwk: JWK = { ...publicPart, kid, alg: 'ES256', use: 'sig' };
const emr = { privateKey: await importJWK(privateJwk, 'ES256') as CryptoKey };
const stranger = await generateKeyPair('ES256', { extractable: true });

let serial = 0;
async function sign(claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}, key = emr.privateKey) {
  const payload = { iss: issuer, aud: audience, sub: 'dr-lee', iat: NOW - 10, exp: NOW + 50, jti: `vector-${++serial}`, ctx, ...claims };
  const protectedHeader: Record<string, unknown> = { alg: 'ES256', typ: 'JWT', kid, ...header };
  for (const object of [payload, protectedHeader] as Record<string, unknown>[]) {
    for (const [name, value] of Object.entries(object)) if (value === undefined) delete object[name];
  }
  return new SignJWT(payload).setProtectedHeader(protectedHeader as { alg: string }).sign(key);
}

/** The same signature bytes, spelled with other unused bits in the last character. */
function respell(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const bytes = base64url.decode(signature).join();
  const twin = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_']
    .map((last) => signature.slice(0, -1) + last)
    .find((other) => other !== signature && base64url.decode(other).join() === bytes)!;
  return `${header}.${payload}.${twin}`;
}

const { healthNumber, patient, location, user, network } = ctx;
// `rule` is the check a vector is about: for a refused one the check that fails, for a valid one the edge it passes at.
const vectors: Array<{ name: string; expected: string; rule: string; token: string }> = [
  { name: 'valid: every claim, every ctx field', expected: 'accepted', rule: 'ctx', token: await sign() },
  { name: 'valid: only the required ctx fields, a life of 120 s', expected: 'accepted', rule: 'lifetime', token: await sign({ iat: NOW - 60, exp: NOW + 60, ctx: { healthNumber, patient: { id: patient.id }, location: { province: location.province }, user, network } }) },
  { name: 'valid: location.province null', expected: 'accepted', rule: 'ctx.location.province', token: await sign({ ctx: { ...ctx, location: { province: null } } }) },
  { name: 'expired 60 s before now', expected: 'expired', rule: 'exp', token: await sign({ iat: NOW - 120, exp: NOW - 60 }) },
  { name: 'for another viewer', expected: 'wrong-audience', rule: 'aud', token: await sign({ aud: 'ab-netcare' }) },
  { name: 'from another issuer', expected: 'wrong-issuer', rule: 'iss', token: await sign({ iss: 'https://other-emr.example' }) },
  { name: 'signed by another key under the same kid', expected: 'bad-signature', rule: 'signature', token: await sign({}, {}, stranger.privateKey) },
  { name: 'a kid that is not in the JWKS', expected: 'unknown-key', rule: 'kid', token: await sign({}, { kid: 'emr-test-0' }) },
  { name: 'alg none', expected: 'unsupported-algorithm', rule: 'alg', token: new UnsecuredJWT({ iss: issuer, aud: audience, sub: 'dr-lee', iat: NOW - 10, exp: NOW + 50, jti: 'vector-none', ctx }).encode() },
  { name: 'HS256 with the public key as the secret', expected: 'unsupported-algorithm', rule: 'alg', token: await new SignJWT({ iss: issuer, aud: audience, sub: 'dr-lee', iat: NOW - 10, exp: NOW + 50, jti: 'vector-hs', ctx }).setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid }).sign(new TextEncoder().encode(JSON.stringify(publicJwk))) },
  { name: 'a life of 300 s', expected: 'invalid-claims', rule: 'lifetime', token: await sign({ exp: NOW + 290 }) },
  { name: 'issued in the future', expected: 'invalid-claims', rule: 'iat', token: await sign({ iat: NOW + 60, exp: NOW + 120 }) },
  { name: 'no jti', expected: 'invalid-claims', rule: 'jti', token: await sign({ jti: undefined }) },
  { name: 'no sub', expected: 'invalid-claims', rule: 'sub', token: await sign({ sub: undefined }) },
  { name: 'two audiences', expected: 'invalid-claims', rule: 'aud', token: await sign({ aud: [audience, 'ab-netcare'] }) },
  { name: 'typ at+jwt', expected: 'invalid-claims', rule: 'typ', token: await sign({}, { typ: 'at+jwt' }) },
  { name: 'ctx.patient.gender "F"', expected: 'invalid-claims', rule: 'ctx.patient.gender', token: await sign({ ctx: { ...ctx, patient: { ...patient, gender: 'F' } } }) },
  { name: 'ctx.patient.id a number', expected: 'invalid-claims', rule: 'ctx.patient.id', token: await sign({ ctx: { ...ctx, patient: { ...patient, id: 1001 } } }) },
  { name: 'ctx.healthNumber a bare string', expected: 'invalid-claims', rule: 'ctx.healthNumber.value', token: await sign({ ctx: { ...ctx, healthNumber: healthNumber.value } }) },
  { name: 'ctx.user.role "doctor"', expected: 'invalid-claims', rule: 'ctx.user.role', token: await sign({ ctx: { ...ctx, user: { role: 'doctor' } } }) },
  { name: 'no ctx', expected: 'invalid-claims', rule: 'ctx', token: await sign({ ctx: undefined }) },
  { name: 'the signature respelled in its unused bits', expected: 'malformed', rule: 'format', token: respell(await sign()) },
  { name: 'padded base64 (=) in the signature', expected: 'malformed', rule: 'format', token: `${await sign()}==` },
  { name: 'no typ', expected: 'invalid-claims', rule: 'typ', token: await sign({}, { typ: undefined }) },
  { name: 'typ "jwt" in lower case', expected: 'invalid-claims', rule: 'typ', token: await sign({}, { typ: 'jwt' }) },
  { name: 'ctx.healthNumber.value with spaces', expected: 'invalid-claims', rule: 'ctx.healthNumber.value', token: await sign({ ctx: { ...ctx, healthNumber: { province: 'BC', value: '9386 339 244' } } }) },
  { name: 'ctx.healthNumber swapped: the number as the province', expected: 'invalid-claims', rule: 'ctx.healthNumber.province', token: await sign({ ctx: { ...ctx, healthNumber: { province: healthNumber.value, value: 'BC' } } }) },
  { name: 'ctx.patient.birthDate 30 February', expected: 'invalid-claims', rule: 'ctx.patient.birthDate', token: await sign({ ctx: { ...ctx, patient: { ...patient, birthDate: '1958-02-30' } } }) },
  { name: 'iat not in whole seconds', expected: 'invalid-claims', rule: 'iat', token: await sign({ iat: NOW - 10.5 }) },
  { name: 'exp not in whole seconds', expected: 'invalid-claims', rule: 'exp', token: await sign({ exp: NOW + 49.5 }) },
  { name: 'nbf not in whole seconds', expected: 'invalid-claims', rule: 'nbf', token: await sign({ nbf: NOW - 10.5 }) },
];

const file = {
  description: 'Launch-token test vectors for careconnect-launch. Verify each token as of `now` (epoch seconds; the ISO form is `nowIso`) with the public JWKS, `issuer` and `audience`: a viewer answers `expected` (`accepted`, or the refusal code), and `rule` is the check the vector is about: the one that fails, or for a valid token the one it passes at its edge. The private key is for testing your own minting only: never use it for real tokens. See docs/tokens.md, "The token format".',
  now: NOW,
  nowIso: new Date(NOW * 1000).toISOString(),
  issuer,
  audience,
  jwks: { keys: [publicJwk] },
  privateKey: privateJwk,
  vectors,
};
writeFileSync(FILE, `${JSON.stringify(file, null, 2)}\n`);
writeFileSync('test-vectors/jwks.json', `${JSON.stringify(file.jwks, null, 2)}\n`);
console.log(`test-vectors/launch-tokens.json: ${vectors.length} vectors as of ${file.nowIso}`);
