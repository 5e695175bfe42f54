/// <reference types="node" />
// The shipped test vectors, the checker's rules, and `careconnect-launch check-token` as a vendor runs it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { getRequestListener } from '@hono/node-server';
import { SignJWT, importJWK, type JSONWebKeySet, type JWK } from 'jose';
import { DEMO_ISSUER, DEMO_JWKS_PATH, DEMO_TOKEN_PATH } from '../../src/mock-viewer/demo-emr.js';
import { checkLaunchToken } from '../../src/server/check-token.js';
import { LaunchTokenError, verifyLaunchToken } from '../../src/server/launch-token.js';
import { publicJwks } from '../../src/server/public-jwks.js';
import { MemoryReplayCache } from '../../src/server/replay-cache.js';
import { startDemoServer, type DemoServer } from '../../scripts/demo-server.js';
import { listenOnLoopback } from '../helpers/processes.js';

const VECTORS_FILE = 'test-vectors/launch-tokens.json';
const file = JSON.parse(readFileSync(VECTORS_FILE, 'utf8')) as {
  now: number; nowIso: string; issuer: string; audience: string; jwks: JSONWebKeySet;
  vectors: Array<{ name: string; expected: string; rule: string; token: string }>;
};
const asOf = new Date(file.now * 1000);
// The gender is masked too, but "female" is in the fix that lists the allowed values.
const SECRETS = ['9386339244', 'Maple', 'Sandbox', '1958-04-12'];

/** Runs the package's bin as `npx careconnect-launch` would. */
function cli(args: string[], stdin = ''): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/careconnect-launch.mjs', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (out += chunk));
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
    child.stdin.end(stdin);
  });
}

describe('the shipped launch-token test vectors', () => {
  it('each verifies, as of the file\'s "now", to its expected code', async () => {
    assert.ok(file.vectors.length >= 20);
    for (const { name, expected, token } of file.vectors) {
      const outcome = await verifyLaunchToken(token, {
        jwks: file.jwks, issuer: file.issuer, audience: file.audience, currentDate: asOf, replayCache: new MemoryReplayCache(),
      }).then(() => 'accepted', (error) => (error instanceof LaunchTokenError ? error.code : String(error)));
      assert.equal(outcome, expected, name);
    }
  });

  it('the valid ones have expired by now, which is why the file has a "now"', async () => {
    const valid = file.vectors.find((vector) => vector.expected === 'accepted')!;
    await assert.rejects(verifyLaunchToken(valid.token, { jwks: file.jwks, issuer: file.issuer, audience: file.audience }),
      (error) => error instanceof LaunchTokenError && error.code === 'expired');
  });

  it('checkLaunchToken fails exactly the rule each invalid vector names, and passes every rule of the valid ones', async () => {
    for (const { name, expected, rule, token } of file.vectors) {
      const result = await checkLaunchToken(token, { jwks: file.jwks, issuer: file.issuer, audience: file.audience, currentDate: asOf });
      assert.equal(result.code ?? 'accepted', expected, name);
      const failed = result.rules.filter((each) => !each.ok).map((each) => each.rule);
      assert.ok(result.rules.some((each) => each.rule === rule), `${name}: its rule ${rule} is none of check-token's`);
      if (expected === 'accepted') assert.deepEqual(failed, [], name);
      else assert.ok(failed.includes(rule), `${name}: ${rule} not among ${failed}`);
      for (const each of result.rules) assert.ok(each.ok || each.fix, `${name}: ${each.rule} fails without a fix`);
      const text = JSON.stringify(result);
      for (const secret of SECRETS) assert.ok(!text.includes(secret), `${name} shows ${secret}`);
    }
  });
});

describe('what checkLaunchToken shows of a token', () => {
  const ctx = {
    healthNumber: { province: 'BC', value: '9386339244' },
    patient: { id: 'chart-1001', givenName: 'Maple', familyName: 'Sandbox', birthDate: '1958-04-12', gender: 'female' },
    location: { id: 'clinic-1', province: 'BC' }, user: { role: 'provider' }, network: 'ppn',
  };
  const sign = async (claims: Record<string, unknown>, header: Record<string, unknown> = {}) => new SignJWT({
    iss: file.issuer, aud: file.audience, sub: 'dr-lee', iat: file.now - 10, exp: file.now + 50, jti: 'j-1', ctx, ...claims,
  }).setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: 'emr-test-1', ...header })
    .sign(await importJWK((file as unknown as { privateKey: JWK }).privateKey, 'ES256'));
  const check = async (token: string, jwks = file.jwks) =>
    JSON.stringify(await checkLaunchToken(token, { jwks, issuer: file.issuer, audience: file.audience, currentDate: asOf }));

  it('shows a value only in its expected shape: the PHN or a name put in another field shows as its shape', async () => {
    const phn = '9386339244';
    const tokens = [
      await sign({ ctx: { ...ctx, healthNumber: { province: phn, value: 'BC' } } }), // swapped
      await sign({ ctx: { ...ctx, location: { id: ctx.patient, province: 'BC' } } }), // a patient object in location.id
      await sign({ ctx: { ...ctx, location: { id: phn, province: phn } } }),
      await sign({ ctx: { ...ctx, user: { role: 'Maple' }, network: 'Sandbox' } }),
      await sign({ iss: phn, aud: phn, sub: phn, jti: phn }),
      await sign({ iss: `https://emr.example/${phn}`, aud: [phn, 'Maple'] }),
      await sign({ exp: Number(phn), iat: Number(phn) }),
      await sign({ exp: 1_712_345_678 }), // an Ontario health number is a plausible epoch time too
      await sign({}, { kid: phn, typ: 'Maple' }),
      await sign({}, { alg: 'ES256', kid: { phn } }),
    ];
    for (const token of tokens) {
      const text = await check(token);
      for (const secret of [...SECRETS, '1712345678']) assert.ok(!text.includes(secret), `shows ${secret}: ${text}`);
    }
    // The expected shapes are still shown: a province code, an enum, a date, a known key id.
    const plain = await check(await sign({}));
    for (const shown of ['"\\"BC\\""', '"\\"provider\\""', '"\\"ppn\\""', '2025-12-31T23:59:50Z', '"\\"emr-test-1\\""', '"\\"ES256\\""']) {
      assert.ok(plain.includes(shown), `${shown} not in ${plain}`);
    }
    assert.match(await check(await sign({ ctx: { ...ctx, healthNumber: { province: phn, value: 'BC' } } })), /"rule":"ctx\.healthNumber\.province","ok":\w+,"found":"a string of 10 characters"/);
  });

  it('JSON-escapes every string from a token or a JWKS: no terminal escape code gets through', async () => {
    const evil = '\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202e';
    const jwks = { keys: [{ ...file.jwks.keys[0]!, kid: evil }] };
    const texts = [
      JSON.parse(await check(await sign({}, { kid: 'not-in-the-jwks' }), jwks)),
      JSON.parse(await check(await sign({ iss: evil, aud: evil, sub: evil, ctx: { ...ctx, user: { role: evil } } }, { typ: evil, kid: evil }), jwks)),
    ];
    for (const result of texts) {
      for (const { found, fix } of result.rules) {
        assert.doesNotMatch(`${found} ${fix ?? ''}`, /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/, `${found} ${fix}`);
      }
    }
    assert.ok(JSON.stringify(texts[0]).includes('\\\\u001b'), 'the JWKS kid is listed, escaped');
  });
});

describe('npx careconnect-launch check-token', () => {
  let jwksServer: Server;
  let jwksUrl = '';
  let demo: DemoServer;
  before(async () => {
    jwksServer = createServer(getRequestListener(publicJwks([{ keyId: 'emr-test-1', key: file.jwks.keys[0]! }])));
    jwksUrl = `${await listenOnLoopback(jwksServer)}/jwks.json`;
    demo = await startDemoServer({ port: 0, quiet: true });
  });
  after(async () => {
    jwksServer?.close();
    await demo?.stop();
  });

  const common = ['--jwks', VECTORS_FILE.replace('launch-tokens', 'jwks'), '--issuer', file.issuer, '--audience', file.audience, '--now', file.nowIso];

  it('exits 0 for each valid vector and 1 for each invalid one, naming the failed rule with its fix, masking the patient', async () => {
    const args = (token: string) => ['check-token', token, '--jwks', jwksUrl, '--issuer', file.issuer, '--audience', file.audience, '--now', String(file.now)];
    for (const { name, expected, rule, token } of file.vectors) {
      const { code, out } = await cli(args(token));
      assert.equal(code, expected === 'accepted' ? 0 : 1, `${name}\n${out}`);
      if (expected === 'accepted') assert.match(out, /^Accepted/m, name);
      else {
        assert.match(out, new RegExp(`^FAIL  ${rule.replace(/\./g, '\\.')} .*\\n\\s+fix: `, 'm'), `${name}\n${out}`);
        assert.match(out, new RegExp(`^Refused \\(${expected}\\)`, 'm'), name);
      }
      for (const secret of SECRETS) assert.ok(!out.includes(secret), `${name} prints ${secret}`);
    }
  });

  it('puts no terminal escape code from a JWKS on the terminal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'check-token-'));
    const jwksFile = join(dir, 'jwks.json');
    writeFileSync(jwksFile, JSON.stringify({ keys: [{ ...file.jwks.keys[0]!, kid: '\u001b]0;pwned\u0007\u001b[31mred' }] }));
    const { code, out } = await cli(['check-token', file.vectors[0]!.token, '--jwks', jwksFile, '--issuer', file.issuer, '--audience', file.audience, '--now', file.nowIso]);
    rmSync(dir, { recursive: true });
    assert.equal(code, 1, out);
    assert.match(out, /fix: .*\\u001b\]0;pwned\\u0007\\u001b\[31mred/);
    assert.doesNotMatch(out, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  it('reads the token from standard input with -, and the JWKS from a file', async () => {
    const valid = file.vectors[0]!;
    const { code, out } = await cli(['check-token', '-', ...common], `${valid.token}\n`);
    assert.equal(code, 0, out);
  });

  it('accepts the demo EMR\'s tokens, checked now against its JWKS URL', async () => {
    const response = await fetch(`http://localhost:${demo.port}${DEMO_TOKEN_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ viewerId: 'bc-careconnect', audience: 'bc-careconnect', ctx: { healthNumber: { province: 'BC', value: '9386339244' }, patient: { id: 'chart-1001', givenName: 'Maple' }, location: { province: 'BC' }, user: { role: 'provider' }, network: 'ppn' } }),
    });
    const { token } = await response.json() as { token: string };
    const { code, out } = await cli(['check-token', token, '--jwks', `http://localhost:${demo.port}${DEMO_JWKS_PATH}`, '--issuer', DEMO_ISSUER, '--audience', 'bc-careconnect']);
    assert.equal(code, 0, out);
    assert.ok(!out.includes('9386339244') && !out.includes('Maple'));
  });

  it('--json prints the rules as JSON', async () => {
    const { code, out } = await cli(['check-token', file.vectors[3]!.token, ...common, '--json']);
    assert.equal(code, 1);
    assert.equal(JSON.parse(out).code, 'expired');
  });

  it('usage errors exit 2 with the usage; an unknown command lists the commands', async () => {
    for (const args of [['check-token'], ['check-token', 'x.y.z'], ['check-token', 'x', ...common.slice(2)], ['check-token', 'x', ...common, '--now', 'soon']]) {
      const { code, out } = await cli(args);
      assert.equal(code, 2, `${args.join(' ')}\n${out}`);
      assert.match(out, /Usage: careconnect-launch check-token/);
    }
    const unknown = await cli(['mock-viewr']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.out, /Unknown command "mock-viewr"[\s\S]*check-token/);
  });
});
