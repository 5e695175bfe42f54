/// <reference types="node" />
// readJwks (check-token --jwks, mock-viewer --jwks) against a local server: a size cap as well as the timeout.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { JwksTooLargeError, MAX_JWKS_BYTES, readJwks } from '../../src/server/read-jwks.js';
import { listenOnLoopback } from '../helpers/processes.js';

const KEY = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0', kid: 'k' };
// 100 KB of keys: valid JSON, and far more than an EMR's two or three keys.
const HUGE = JSON.stringify({ keys: Array.from({ length: 800 }, (_, i) => ({ ...KEY, kid: `k${i}` })) });

let server: Server;
let base = '';
before(async () => {
  server = createServer((req, res) => {
    if (req.url === '/small') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [KEY] }));
    if (req.url === '/declared') return res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(HUGE) }).end(HUGE);
    // No length declared: the cap must hold as the body streams in.
    res.writeHead(200, { 'content-type': 'application/json' });
    for (let i = 0; i < HUGE.length; i += 4_096) res.write(HUGE.slice(i, i + 4_096));
    res.end();
  });
  base = await listenOnLoopback(server);
});
after(() => server?.close());

describe('readJwks from a URL', () => {
  it('reads a JWKS of a few keys', async () => {
    assert.deepEqual(await readJwks(`${base}/small`), { keys: [KEY] });
  });

  it(`refuses a body over ${MAX_JWKS_BYTES} bytes with a JwksTooLargeError (a TypeError), declared or streamed`, async () => {
    assert.ok(Buffer.byteLength(HUGE) > MAX_JWKS_BYTES);
    for (const path of ['/declared', '/streamed']) {
      await assert.rejects(readJwks(base + path), (error: unknown) => {
        assert.ok(error instanceof JwksTooLargeError, String(error));
        assert.ok(error instanceof TypeError);
        assert.match(error.message, /64 KB/);
        return true;
      });
    }
  });
});
