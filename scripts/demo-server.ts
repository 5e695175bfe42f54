/// <reference types="node" />
// The demo's server: the fake EMR's back end (it mints real launch tokens with a demo key and
// serves the JWKS), the mock viewer's back end (the same one `careconnect-launch mock-viewer` runs),
// and a dev server for the pages. The EMR is localhost, the viewer 127.0.0.1 on the same port, the
// identity provider localhost on another.
import { createServer } from 'node:net';
import { startDevServer } from '@web/dev-server';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { getRequestListener } from '@hono/node-server';
import { generateKeyPair } from 'jose';
import { DEMO_ISSUER, DEMO_JWKS_PATH, DEMO_TOKEN_PATH } from '../src/mock-viewer/demo-emr.js';
import { publicJwks } from '../src/server/public-jwks.js';
import { createTokenHandler } from '../src/server/token-handler.js';
import { MOCK_VIEWER_CSP, createMockViewerBackEnd } from '../src/mock-viewer/back-end.js';
import { startMockIdentityProvider } from '../src/mock-viewer/identity-provider.js';
import { SYNTHETIC_PATIENTS } from '../src/mock-viewer/patients.js';
import type { Chart } from '../src/server/chart-context.js';

/** The strict policy the EMR pages run under: the SDK needs nothing looser. */
export const EMR_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; require-trusted-types-for 'script'";


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
  { port = 8000, idpPort, quiet = false }: { port?: number; idpPort?: number; quiet?: boolean } = {},
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
      // Both loopback names must reach the server: they are the EMR's origin and the viewer's.
      hostname: '0.0.0.0',
      nodeResolve: { exportConditions: ['production'] },
      plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' })],
      watch: false,
      middleware: [
        async (ctx, next) => {
          if (ctx.path === '/' || ctx.path === '/demo') return ctx.redirect('/demo/');
          if (ctx.path === '/demo/' || ctx.path === '/demo/index.html' || /^\/test\/fixtures\/csp[\w-]*\.html$/.test(ctx.path)) {
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
          return next();
        },
      ],
    },
    readCliArgs: false,
    readFileConfig: false,
    logStartMessage: false,
  });

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
