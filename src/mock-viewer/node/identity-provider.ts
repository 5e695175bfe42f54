/// <reference types="node" />
// The mock identity provider, on a third origin (Node): the BC Services Card app pairing and the Health
// Authority account, as a real CareConnect sign-in leaves the viewer's origin and comes back with a code.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { Kept } from './kept.js';
import { refuseOtherHost } from './own-host.js';
import { readBody } from './request-body.js';
import { checkSignIn, isSignedIn, type SignedInUser } from '../sign-in.js';

export interface MockIdentityProvider {
  origin: string;
  /**
   * The viewer's back end trades a code for the user it stands for, once, and only for the launch
   * whose sign-in was approved: `state` is the one that sign-in request carried.
   */
  exchange(code: string, state: string): SignedInUser | null;
  stop(): Promise<void>;
}

/** A sign-in the viewer asked for (its launch's state, role and network), while its page is shown. */
interface SignInRequest {
  method: 'bcsc' | 'ha';
  role: 'provider' | 'staff';
  network: 'ppn' | 'internet';
  returnUrl: URL;
  holdMs: number;
  coop: boolean;
  state: string;
}

const CODE_TTL_MS = 5 * 60_000;
const REQUEST_TTL_MS = 15 * 60_000;
const MAX_ENTRIES = 500;
const STATE = /^[\w-]{16,128}$/;
const PAIRING_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string, refresh?: { seconds: number; url: string }): string {
  const meta = refresh ? `<meta http-equiv="refresh" content="${refresh.seconds};url=${escape(refresh.url)}">` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · Identity provider (mock)</title>${meta}<style>
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f3f0e8;color:#1f2a36}
header{background:#003366;color:#fff;padding:.8rem 1.5rem;border-bottom:4px solid #fcba19}
header small{opacity:.85;margin-left:.5rem}main{max-width:30rem;margin:2rem auto;padding:0 1rem}
.card{background:#fff;border-radius:8px;padding:1.5rem;box-shadow:0 1px 3px #0003}
h1{font-size:1.4rem;margin-top:0}.code{font:700 2rem/1.2 ui-monospace,monospace;letter-spacing:.3rem}
label{display:block;margin:.8rem 0}input{display:block;width:100%;box-sizing:border-box;padding:.5rem;font:inherit}
button{background:#003366;color:#fff;border:0;border-radius:4px;padding:.6rem 1.2rem;font:inherit;cursor:pointer}
.error{color:#a12622;font-weight:600}.hint{color:#555;font-size:.9rem}
</style></head><body><header><strong>Identity provider</strong><small>mock · a third origin, for the mock CareConnect</small></header>
<main><section class="card">${body}</section></main></body></html>`;
}

/** The sign-in request a page's form answers: an opaque id, kept here with what the viewer asked. */
const hidden = (requestId: string) => `<input type="hidden" name="request" value="${escape(requestId)}">`;

export interface MockIdentityProviderOptions {
  /** 0 picks a free port. */
  port: number;
  /** The only origin it sends users back to. */
  viewerOrigin: string;
  /** The host name in its origin; it then listens on that address only. Default: `localhost`, on 127.0.0.1. */
  host?: string;
}

const refusedPage = (why: string) => page('Refused', `<h1>This sign-in request was refused</h1><p>${why}</p>`);

/**
 * Starts the identity provider. It sends its user back only to `viewerOrigin`, never an open redirect,
 * and its approval only to the sign-in request (the launch) that asked for it.
 */
export async function startMockIdentityProvider({ port, viewerOrigin, host }: MockIdentityProviderOptions): Promise<MockIdentityProvider> {
  const codes = new Kept<{ user: SignedInUser; state: string }>(MAX_ENTRIES, CODE_TTL_MS);
  const requests = new Kept<SignInRequest>(MAX_ENTRIES, REQUEST_TTL_MS);
  let actualPort = port;

  /** The sign-in the viewer asked for, from the query of its first page; or why it is refused. */
  function asked(query: URLSearchParams): SignInRequest | string {
    let returnUrl: URL;
    try {
      returnUrl = new URL(query.get('return') ?? '');
      if (returnUrl.origin !== viewerOrigin) throw new Error('another origin');
    } catch {
      return 'It did not come from CareConnect.';
    }
    const state = query.get('state') ?? '';
    if (!STATE.test(state)) return 'It did not come from a CareConnect launch.';
    return {
      method: query.get('method') === 'ha' ? 'ha' : 'bcsc',
      role: query.get('role') === 'staff' ? 'staff' : 'provider',
      network: query.get('network') === 'internet' ? 'internet' : 'ppn',
      returnUrl, state,
      holdMs: Math.min(Math.max(Number(query.get('hold')) || 0, 0), 600_000),
      coop: query.get('coop') === '1',
    };
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (refuseOtherHost(req, res, actualPort, host ? [host] : [])) return;
    const url = new URL(req.url ?? '/', 'http://idp.invalid');
    const form = req.method === 'POST' ? new URLSearchParams(await readBody(req, 8_192)) : null;
    // A POST names the request its page showed; the app's approval is for that request only.
    const id = form?.get('request') ?? '';
    const request = form ? requests.get(id) : asked(url.searchParams);
    const coop = typeof request === 'object' && request.coop;
    const headers: Record<string, string> = {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // No script at all; the form posts here, and the answer goes back to the viewer (Chromium checks redirects too).
      'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${viewerOrigin}; frame-ancestors 'none'`,
    };
    // The idp-coop scenario: what a hardened identity page may send, and what cuts a popup off from its opener.
    if (coop) headers['cross-origin-opener-policy'] = 'same-origin';
    const send = (status: number, html: string, extra: Record<string, string> = {}) => res.writeHead(status, { ...headers, ...extra }).end(html);

    if (url.pathname !== '/sign-in' || (req.method !== 'GET' && req.method !== 'POST')) return send(404, page('Not found', '<h1>Not found</h1>'));
    if (typeof request === 'string') return send(400, refusedPage(request));
    if (!request) return send(400, refusedPage('It has expired or was already answered: go back to CareConnect and sign in again.'));
    const { method, role, network, returnUrl, holdMs, state } = request;
    const backTo = (answer: Record<string, string>) => {
      const to = new URL(returnUrl);
      for (const [key, value] of Object.entries(answer)) to.searchParams.set(key, value);
      return to.href;
    };

    if (req.method === 'GET') {
      const requestId = randomBytes(18).toString('base64url');
      requests.set(requestId, request);
      if (method === 'ha') return send(200, page('Health Authority account', haForm(requestId)));
      const pairing = Array.from(randomBytes(6), (b) => PAIRING_ALPHABET[b % PAIRING_ALPHABET.length]).join('');
      return send(200, page('BC Services Card app', `<h1>BC Services Card app</h1>
<p>Open the BC Services Card app on your phone and enter this pairing code:</p>
<p class="code" aria-label="Pairing code">${pairing}</p>
<form method="post" action="/sign-in">${hidden(requestId)}<button type="submit">Simulate approval in the app</button></form>
<p class="hint">You left CareConnect to sign in; you will be sent back once the app approves.</p>`));
    }

    const result = checkSignIn({ method, role, network, username: form!.get('username') ?? '', password: form!.get('password') ?? '' });
    if (!isSignedIn(result) && result.error === 'wrong-password') {
      // The user mistyped: they try again here. The launch has not failed, and the EMR hears nothing.
      return send(200, page('Health Authority account', haForm(id, result.message)));
    }
    requests.delete(id); // answered: an approval is given once
    if (!isSignedIn(result)) return send(303, '', { location: backTo({ error: 'auth-failed', error_description: result.message }) });
    const code = randomBytes(16).toString('hex');
    codes.set(code, { user: result.user, state }, CODE_TTL_MS + holdMs);
    const target = backTo({ code });
    if (holdMs === 0) return send(303, '', { location: target });
    // idp-slow: the identity page holds, as a clinician finds their phone or the app is slow to confirm.
    return send(200, page('Waiting for the app', `<h1>Waiting for the BC Services Card app</h1>
<p role="status">Confirm the sign-in in the app on your phone. This page goes back to CareConnect by itself.</p>
<p class="hint">The idp-slow scenario holds this page for ${Math.round(holdMs / 1000)} s.</p>`, { seconds: holdMs / 1000, url: target }));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.writeHead(500).end());
  });
  // The loopback only: it runs on a vendor's laptop, for this machine's browser.
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host ?? '127.0.0.1', resolve));
  actualPort = (server.address() as { port: number }).port;
  return {
    origin: `http://${host ?? 'localhost'}:${actualPort}`,
    exchange(code, state) {
      // Only its own launch's exchange uses the code up: another launch's attempt gets nothing.
      const entry = codes.get(code);
      if (!entry || entry.state !== state) return null;
      codes.delete(code);
      return entry.user;
    },
    stop: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections(); // a browser's idle keep-alive connections would hold close() open
    }),
  };
}

function haForm(requestId: string, error?: string): string {
  return `<h1>Health Authority account</h1>
${error ? `<p class="error" role="alert">${escape(error)} Try again.</p>` : ''}
<form method="post" action="/sign-in">${hidden(requestId)}
<label>Username <input name="username" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form>
<p class="hint">Demo accounts: <code>drlee</code> or <code>moa.kim</code>, password <code>careconnect</code>.</p>`;
}
