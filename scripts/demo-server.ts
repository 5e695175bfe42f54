/// <reference types="node" />
// The demo's server: the fake EMR's back end (it mints real launch tokens with a demo key and
// serves the JWKS), the mock viewer's back end (the same one `careconnect-launch mock-viewer` runs),
// and a dev server for the demo's pages only. The EMR is localhost, the viewer 127.0.0.1 on the same
// port, the identity provider localhost on another: all on the loopback, answering their own names only.
import { createServer } from 'node:net';
import { startDevServer } from '@web/dev-server';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { getRequestListener } from '@hono/node-server';
import { generateKeyPair } from 'jose';
import { DEMO_ISSUER, DEMO_JWKS_PATH, DEMO_TOKEN_PATH } from '../src/mock-viewer/demo-emr.js';
import { publicJwks } from '../src/server/public-jwks.js';
import { createTokenHandler } from '../src/server/token-handler.js';
import { MOCK_VIEWER_CSP, createMockViewerBackEnd } from '../src/mock-viewer/node/back-end.js';
import { startMockIdentityProvider } from '../src/mock-viewer/node/identity-provider.js';
import { SYNTHETIC_PATIENTS } from '../src/mock-viewer/patients.js';
import type { Chart } from '../src/server/chart-context.js';
import { isOwnHost } from '../src/mock-viewer/node/own-host.js';

/** The strict policy the EMR pages run under: the SDK needs nothing looser. */
export const EMR_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; require-trusted-types-for 'script'";

/**
 * What the demo serves: its pages, the sources they import, and the packages those import (JavaScript
 * only, wherever node_modules lives). Never the rest of the repository (the test vectors hold a
 * private key).
 */
const DEMO_FILES = [/^\/demo\//, /^\/src\/.+\.[jt]s$/, /^\/(__wds-outside-root__\/\d+\/(.+\/)?)?node_modules\/.+\.m?js$/];
/** With `testPages`: the strict-CSP test pages, and the bundle they load as a vendor would. */
const TEST_PAGES = [/^\/test\/fixtures\/csp[\w-]*\.(html|js)$/, /^\/dist\/careconnect-button[\w.-]*\.js$/];

/** The path as the file server reads it, if it may serve it: no `..`, no encoded tricks, and on the list. */
function servable(rawPath: string, allowed: readonly RegExp[]): boolean {
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return false;
  }
  return !/(^|\/)\.|\\|\0/.test(path) && allowed.some((pattern) => pattern.test(path));
}


/** The demo EMR's records for a chart id: what its tokens carry, whatever the page sends. */
function demoChart(id: string): Chart | undefined {
  const patient = SYNTHETIC_PATIENTS.find((each) => each.id === id);
  if (!patient?.healthNumber) return undefined;
  const { healthNumber, givenName, familyName, birthDate, gender } = patient;
  return { healthNumber, patient: { givenName, familyName, birthDate, gender } };
}

export interface DemoServer {
  port: number;
  emrUrl: string;
  viewerOrigin: string;
  /** The mock identity provider, a third origin. */
  idpOrigin: string;
  stop(): Promise<void>;
}

/** Fails fast with a sentence when the port is taken, instead of a stack trace. */
async function assertPortFree(port: number): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const probe = createServer().once('error', () => resolve(false));
    probe.listen(port, '0.0.0.0', () => probe.close(() => resolve(true)));
  });
  if (!free) throw new Error(`Port ${port} is in use (another npm start?). Stop it, or run: PORT=8001 npm start`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '0.0.0.0', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts the demo. `port: 0` picks a free one (for tests), and a free one for the identity
 * provider too; otherwise it is `idpPort`, by default `port + 100`.
 */
export async function startDemoServer(
  { port = 8000, idpPort, quiet = false, testPages = false }: {
    port?: number; idpPort?: number; quiet?: boolean;
    /** Also serve the strict-CSP test pages and the built bundle (the e2e tests); `npm start` does not. */
    testPages?: boolean;
  } = {},
): Promise<DemoServer> {
  idpPort ??= port === 0 ? 0 : port + 100;
  if (port === 0) port = await freePort();
  else await assertPortFree(port);
  if (idpPort !== 0) await assertPortFree(idpPort);
  const viewerOrigin = `http://127.0.0.1:${port}`;
  const idp = await startMockIdentityProvider({ port: idpPort, viewerOrigin });

  // A throwaway demo key, made at start-up: tokens minted by an earlier run stop verifying.
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const keyId = `demo-${Date.now().toString(36)}`;
  // The package's own token endpoint and JWKS, as a vendor would mount them (see the README).
  const jwksHandler = publicJwks([{ keyId, key: publicKey }]);
  const jwks = getRequestListener(jwksHandler);
  const tokenEndpoint = getRequestListener(createTokenHandler({
    privateKey, keyId, issuer: DEMO_ISSUER, expiresIn: 60,
    // A real EMR takes the user and role from its own session and checks that the user may open
    // this chart; the demo trusts its page for the role. The chart comes from its records.
    authorize: (_request, { ctx }) => {
      const chart = demoChart(ctx.patient.id);
      return chart ? { subject: 'demo-emr-user', role: ctx.user.role, chart } : 'forbidden';
    },
  }));
  const viewerBackEnd = createMockViewerBackEnd({
    emrOrigins: [`http://localhost:${port}`],
    issuer: DEMO_ISSUER,
    jwks: () => jwksHandler.jwks,
    identityProvider: idp,
    serviceWorker: '/demo/mockServiceWorker.js',
  });

  const server = await startDevServer({
    config: {
      rootDir: '.',
      port,
      // No hostname: the dev server would listen on every address for 'localhost' or '127.0.0.1'; it
      // listens below, on the loopback only.
      hostname: '',
      nodeResolve: { exportConditions: ['production'] },
      plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' })],
      watch: false,
      middleware: [
        async (ctx, next) => {
          // DNS rebinding: a page on attacker.example, resolved to 127.0.0.1, names its own host.
          if (!isOwnHost(ctx.get('host'), port)) {
            ctx.status = 421;
            ctx.body = 'Misdirected request: this server answers only its own host name.';
            return;
          }
          if (ctx.path === '/' || ctx.path === '/demo') return ctx.redirect('/demo/');
          if (ctx.path === '/demo/' || ctx.path === '/demo/index.html' || (testPages && /^\/test\/fixtures\/csp[\w-]*\.html$/.test(ctx.path))) {
            await next();
            ctx.set('content-security-policy', EMR_CSP);
            return;
          }
          if (ctx.path === '/demo/viewer.html') {
            await next();
            // msw's worker registration is a Trusted Types sink that msw does not wrap, so the viewer does without TT.
            ctx.set('content-security-policy', MOCK_VIEWER_CSP);
            return;
          }
          ctx.respond = false; // a Node handler writes the answer itself
          if (await viewerBackEnd(ctx.req, ctx.res)) return;
          ctx.respond = true;
          if (ctx.path === DEMO_JWKS_PATH || ctx.path === DEMO_TOKEN_PATH) {
            ctx.respond = false; // the Fetch-API handler writes the answer itself
            await (ctx.path === DEMO_JWKS_PATH ? jwks : tokenEndpoint)(ctx.req, ctx.res);
            return;
          }
          if (!servable(ctx.path, testPages ? [...DEMO_FILES, ...TEST_PAGES] : DEMO_FILES)) {
            ctx.status = 404;
            ctx.body = 'Not found';
            return;
          }
          return next();
        },
      ],
    },
    readCliArgs: false,
    readFileConfig: false,
    logStartMessage: false,
  });

  // The loopback only: it runs on a vendor's laptop. localhost and 127.0.0.1 both reach it: they are
  // the EMR's origin and the viewer's.
  await new Promise<void>((resolve, reject) => server.server!.once('error', reject).listen(port, '127.0.0.1', resolve));
  // The dev server's live-reload socket (unused: no watch) upgrades any Host and any Origin, past the
  // middleware. Without it, an upgrade is a plain request, and meets the Host check.
  server.server!.removeAllListeners('upgrade');

  const emrUrl = `http://localhost:${port}/demo/`;
  if (!quiet) {
    console.log(`\nDemo EMR:           ${emrUrl}`);
    console.log(`Mock viewer:        ${viewerOrigin}/demo/viewer.html (opened by the button)`);
    console.log(`Identity provider:  ${idp.origin}/sign-in (the viewer's sign-in goes there and back)`);
    console.log('Press Ctrl+C to stop.\n');
  }
  return {
    port, emrUrl, viewerOrigin, idpOrigin: idp.origin,
    stop: async () => {
      await server.stop();
      await idp.stop();
    },
  };
}
