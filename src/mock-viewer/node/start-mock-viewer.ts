/// <reference types="node" />
// A local mock CareConnect for a vendor's own EMR (`careconnect-launch mock-viewer`): the prebuilt viewer
// page from dist/mock-viewer/app/, its back end, and the identity provider on a third origin. node:http only.
import { createServer, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { JSONWebKeySet } from 'jose';
import { readJwks } from '../../server/read-jwks.js';
import { MOCK_VIEWER_CSP, createMockViewerBackEnd } from './back-end.js';
import { FORM_POST_PATH } from '../session-api.js';
import { startMockIdentityProvider } from './identity-provider.js';
import { refuseOtherHost } from './own-host.js';
import type { ScenarioName } from '../msw/scenario-names.js';

export interface MockViewerServerOptions {
  /** 0 picks a free port (and a free one for the identity provider). */
  port: number;
  /** Default: `port + 1`. */
  idpPort?: number;
  /** The EMR origins allowed to launch the viewer, exactly (`http://localhost:3000`). */
  emrOrigins: readonly string[];
  /** The `iss` the viewer expects in launch tokens. */
  issuer: string;
  /** The EMR's public JWKS: a URL or a file, read again for each viewer page; or a function. */
  jwks: string | (() => Promise<JSONWebKeySet>);
  scenario?: ScenarioName;
  /** Told when the JWKS cannot be read. */
  onJwksError?(error: unknown): void;
}

export interface MockViewerServer {
  /** The `launchUrl` for the button's `.viewers['bc-careconnect']` (post-message). */
  launchUrl: string;
  /** The `launchUrl` for `transport: 'form-post'`. */
  formPostUrl: string;
  viewerOrigin: string;
  /** The identity provider's sign-in page. */
  identityProvider: string;
  stop(): Promise<void>;
}

/** The viewer's host: a loopback address, so it is another site than an EMR on `localhost`, and off the network. */
const HOST = '127.0.0.1';
const APP = new URL('../app/', import.meta.url);
const FILES: Record<string, [file: string, type: string]> = {
  '/app/viewer.js': ['viewer.js', 'text/javascript'],
  '/app/viewer.css': ['viewer.css', 'text/css'],
  '/app/favicon.svg': ['favicon.svg', 'image/svg+xml'],
  // At the root: msw's worker mocks only the pages under its own folder, and /Welcome/Search is one.
  '/mockServiceWorker.js': ['mockServiceWorker.js', 'text/javascript'],
};

function listen(server: ReturnType<typeof createServer>, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE'
      ? new Error(`Port ${port} is in use: choose another with --port (and --idp-port).`)
      : error));
    server.listen(port, HOST, () => resolve((server.address() as { port: number }).port));
  });
}

export async function startMockViewer(options: MockViewerServerOptions): Promise<MockViewerServer> {
  const page = await readFile(new URL('index.html', APP), 'utf8').catch(() => {
    throw new Error('The mock viewer app is not built here: run "npm run build" first.');
  });
  const server = createServer();
  const port = await listen(server, options.port);
  const viewerOrigin = `http://${HOST}:${port}`;
  let idp;
  try {
    idp = await startMockIdentityProvider({ port: options.idpPort ?? (options.port === 0 ? 0 : port + 1), viewerOrigin, host: HOST });
  } catch (error) {
    server.close();
    throw (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
      ? new Error(`Port ${options.idpPort ?? port + 1} (the identity provider's) is in use: choose another with --idp-port.`)
      : error;
  }
  const { jwks } = options;
  const sendPage = (res: ServerResponse) => void res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': MOCK_VIEWER_CSP,
  }).end(page);
  const backEnd = createMockViewerBackEnd({
    emrOrigins: options.emrOrigins,
    issuer: options.issuer,
    jwks: typeof jwks === 'string' ? () => readJwks(jwks) : jwks,
    identityProvider: idp,
    scenario: options.scenario,
    serviceWorker: '/mockServiceWorker.js',
    sendPage,
    onJwksError: options.onJwksError,
  });

  server.on('request', (req, res) => {
    const answer = async () => {
      if (refuseOtherHost(req, res, port)) return;
      if (await backEnd(req, res)) return;
      const path = new URL(req.url ?? '/', viewerOrigin).pathname;
      // CareConnect's default transport is the form POST: a launch URL given without `transport` posts here.
      if (path === '/' && req.method === 'POST') return void res.writeHead(307, { location: FORM_POST_PATH }).end();
      if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
      // Back from the identity provider, a form launch's page loads again at its own address.
      if (path === '/' || path === FORM_POST_PATH) return sendPage(res);
      const file = Object.hasOwn(FILES, path) ? FILES[path] : undefined;
      if (!file) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      const body = await readFile(new URL(file[0], APP));
      res.writeHead(200, { 'content-type': file[1], 'cache-control': 'no-cache' }).end(body);
    };
    // Never logged: a request body may hold a health number.
    answer().catch(() => res.headersSent ? res.end() : res.writeHead(500).end());
  });

  return {
    launchUrl: `${viewerOrigin}/`,
    formPostUrl: `${viewerOrigin}${FORM_POST_PATH}`,
    viewerOrigin,
    identityProvider: `${idp.origin}/sign-in`,
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.all([closed, idp.stop()]);
    },
  };
}
