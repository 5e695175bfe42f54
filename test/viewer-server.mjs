// A second origin for the browser tests: a scriptable protocol viewer and a form-post echo on
// 127.0.0.1, while web-test-runner serves the test pages on localhost.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';
import { sourceKeys } from './source-keys.mjs';

const FIXTURES = new URL('./fixtures/', import.meta.url);

/** careconnect-launch/viewer from src/, bundled once, for the pages that use the entry as an operator would. */
let viewerEntry;
const viewerEntryCode = () => (viewerEntry ??= build({
  entryPoints: [new URL('../src/viewer/index.ts', import.meta.url).pathname],
  bundle: true, format: 'esm', target: 'es2022', write: false,
}).then((result) => result.outputFiles[0].text));

function formEchoPage(url, fields) {
  const report = JSON.stringify({ testReport: { form: fields, url, method: 'POST' } }).replace(/</g, '\\u003c');
  return `<!doctype html><title>Form echo</title><h1>Form received</h1>
<script>window.opener && window.opener.postMessage(${report}, '*');</script>`;
}

export async function startTestViewerServer() {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const headers = { 'cache-control': 'no-store' };
    if (url.searchParams.has('coop')) headers['cross-origin-opener-policy'] = 'same-origin';
    if (req.method === 'POST' && url.pathname === '/form-echo') {
      let body = '';
      for await (const chunk of req) body += chunk;
      const fields = Object.fromEntries(new URLSearchParams(body));
      res.writeHead(200, { ...headers, 'content-type': 'text/html' }).end(formEchoPage(req.url, fields));
      return;
    }
    // The built bundle and its chunks byte for byte, as a CDN serves them (with CORS): web-test-runner's
    // own server rewrites JavaScript, which no Subresource Integrity hash would match.
    if (req.method === 'GET' && /^\/dist\/careconnect-button\.[\w-]+\.js$/.test(url.pathname)) {
      const code = await readFile(new URL(`..${url.pathname}`, import.meta.url));
      return res.writeHead(200, { ...headers, 'content-type': 'text/javascript', 'access-control-allow-origin': '*' }).end(code);
    }
    if (url.pathname === '/viewer-entry.js') {
      return res.writeHead(200, { ...headers, 'content-type': 'text/javascript' }).end(await viewerEntryCode());
    }
    const files = {
      '/viewer.html': 'text/html', '/viewer.js': 'text/javascript', '/forger.html': 'text/html',
      '/link.html': 'text/html', '/link.js': 'text/javascript',
    };
    const type = files[url.pathname];
    if (req.method !== 'GET' || !type) return res.writeHead(404).end();
    res.writeHead(200, { ...headers, 'content-type': type }).end(await readFile(new URL(`test-viewer${url.pathname}`, FIXTURES)));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** web-test-runner plugin: starts the server and tells test pages its origin at /__viewer-origin. */
export function testViewerServerPlugin() {
  let viewer;
  return {
    name: 'test-viewer-server',
    async serverStart() {
      viewer = await startTestViewerServer();
    },
    async serverStop() {
      await viewer?.close();
    },
    serve(context) {
      if (context.path === '/__viewer-origin') return { body: viewer.origin, type: 'text/plain' };
      // For the polluted-prototype suites in the browser: every key the source could read.
      if (context.path === '/__source-keys') return { body: JSON.stringify(sourceKeys()), type: 'application/json' };
      if (context.path === '/__walk-settings') {
        const settings = { seed: process.env.WALK_SEED ?? '', runs: process.env.WALK_RUNS ?? '' };
        return { body: JSON.stringify(settings), type: 'application/json' };
      }
    },
  };
}
