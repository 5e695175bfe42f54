/// <reference types="node" />
// The mock identity provider, on a third origin (Node): the BC Services Card app pairing and the Health
// Authority account, as a real CareConnect sign-in leaves the viewer's origin and comes back with a code.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readBody } from './request-body.js';
import { checkSignIn, isSignedIn, type SignedInUser } from './sign-in.js';

export interface MockIdentityProvider {
  origin: string;
  /** The viewer's back end trades a code for the user it stands for, once. */
  exchange(code: string): SignedInUser | null;
  stop(): Promise<void>;
}

const CODE_TTL_MS = 5 * 60_000;
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

const hidden = (fields: Record<string, string>) =>
  Object.entries(fields).map(([name, value]) => `<input type="hidden" name="${name}" value="${escape(value)}">`).join('');

export interface MockIdentityProviderOptions {
  /** 0 picks a free port. */
  port: number;
  /** The only origin it sends users back to. */
  viewerOrigin: string;
  /** The host name in its origin; it then listens on that address only. Default: `localhost`, on every address. */
  host?: string;
}

/** Starts the identity provider. It sends its user back only to `viewerOrigin`, never an open redirect. */
export async function startMockIdentityProvider({ port, viewerOrigin, host }: MockIdentityProviderOptions): Promise<MockIdentityProvider> {
  const codes = new Map<string, { user: SignedInUser; expires: number }>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://idp.invalid');
    const params = req.method === 'POST' ? new URLSearchParams(await readBody(req, 8_192)) : url.searchParams;
    const coop = params.get('coop') === '1';
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
    const back = params.get('return') ?? '';
    let returnUrl: URL;
    try {
      returnUrl = new URL(back);
      if (returnUrl.origin !== viewerOrigin) throw new Error('another origin');
    } catch {
      return send(400, page('Refused', '<h1>This sign-in request was refused</h1><p>It did not come from CareConnect.</p>'));
    }
    const method = params.get('method') === 'ha' ? 'ha' : 'bcsc';
    const role = params.get('role') === 'staff' ? 'staff' : 'provider';
    const network = params.get('network') === 'internet' ? 'internet' : 'ppn';
    const holdMs = Math.min(Math.max(Number(params.get('hold')) || 0, 0), 600_000);
    const carried = { method, role, network, return: back, hold: String(holdMs), coop: coop ? '1' : '' };
    const backTo = (answer: Record<string, string>) => {
      const to = new URL(returnUrl);
      for (const [key, value] of Object.entries(answer)) to.searchParams.set(key, value);
      return to.href;
    };

    if (req.method === 'GET') {
      if (method === 'ha') return send(200, page('Health Authority account', haForm(carried)));
      const pairing = Array.from(randomBytes(6), (b) => PAIRING_ALPHABET[b % PAIRING_ALPHABET.length]).join('');
      return send(200, page('BC Services Card app', `<h1>BC Services Card app</h1>
<p>Open the BC Services Card app on your phone and enter this pairing code:</p>
<p class="code" aria-label="Pairing code">${pairing}</p>
<form method="post" action="/sign-in">${hidden(carried)}<button type="submit">Simulate approval in the app</button></form>
<p class="hint">You left CareConnect to sign in; you will be sent back once the app approves.</p>`));
    }

    const result = checkSignIn({ method, role, network, username: params.get('username') ?? '', password: params.get('password') ?? '' });
    if (!isSignedIn(result) && result.error === 'wrong-password') {
      // The user mistyped: they try again here. The launch has not failed, and the EMR hears nothing.
      return send(200, page('Health Authority account', haForm(carried, result.message)));
    }
    if (!isSignedIn(result)) return send(303, '', { location: backTo({ error: 'auth-failed', error_description: result.message }) });
    const code = randomBytes(16).toString('hex');
    codes.set(code, { user: result.user, expires: Date.now() + CODE_TTL_MS + holdMs });
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
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host ?? '0.0.0.0', resolve));
  const { port: actual } = server.address() as { port: number };
  return {
    origin: `http://${host ?? 'localhost'}:${actual}`,
    exchange(code) {
      const entry = codes.get(code);
      codes.delete(code);
      return entry && entry.expires > Date.now() ? entry.user : null;
    },
    stop: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections(); // a browser's idle keep-alive connections would hold close() open
    }),
  };
}

function haForm(carried: Record<string, string>, error?: string): string {
  return `<h1>Health Authority account</h1>
${error ? `<p class="error" role="alert">${escape(error)} Try again.</p>` : ''}
<form method="post" action="/sign-in">${hidden(carried)}
<label>Username <input name="username" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form>
<p class="hint">Demo accounts: <code>drlee</code> or <code>moa.kim</code>, password <code>careconnect</code>.</p>`;
}
