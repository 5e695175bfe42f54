/// <reference types="node" />
// The mock viewer's own server side, one Node handler for `npm start` and `careconnect-launch mock-viewer`:
// its config, the EMR's JWKS, the launch kept for its page across a sign-in, its replay cache, the legacy form POST.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JSONWebKeySet } from 'jose';
import type { Gender, LaunchContext } from '../../core/launch-context.js';
import { isLaunchContext } from '../../core/launch-context-check.js';
import { ownProperties } from '../../core/own-properties.js';
import { MAX_TOKEN_LIFETIME_S } from '../../server/launch-token.js';
import { MemoryReplayCache } from '../../server/replay-cache.js';
import type { MockIdentityProvider } from './identity-provider.js';
import { Kept } from './kept.js';
import { readBody } from './request-body.js';
import type { SignedInUser } from '../sign-in.js';
import type { ScenarioName } from '../msw/scenario-names.js';
import { FORM_POST_PATH, SESSION_PATH, type MockViewerConfig } from '../session-api.js';

/** The viewer page's policy: no inline code; everything, the EMR's JWKS included, comes from its own origin. */
export const MOCK_VIEWER_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; worker-src 'self'";

export interface MockViewerBackEndOptions extends Omit<MockViewerConfig, 'jwksUrl' | 'identityProvider' | 'scenario'> {
  scenario?: ScenarioName;
  /** Reads the EMR's public keys, each time a viewer page asks for them (the EMR may have restarted with new ones). */
  jwks(): Promise<JSONWebKeySet>;
  identityProvider: Pick<MockIdentityProvider, 'origin' | 'exchange'>;
  /** Writes the viewer page. With it, a form POST to /Welcome/Search is answered with the page itself. */
  sendPage?(res: ServerResponse): void | Promise<void>;
  /** Told when the JWKS cannot be read (never anything about a patient). */
  onJwksError?(error: unknown): void;
}

/** Answers the mock viewer's own requests, and resolves false, having read nothing, for any other. */
export type MockViewerBackEnd = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** How long a launch is kept for a sign-in to come back to. */
const LAUNCH_TTL_MS = 15 * 60_000;
const MAX_BODY_BYTES = 16_384;
/** What each store keeps at most, the oldest going first; and the largest launch context kept. */
const MAX_ENTRIES = 500;
const MAX_CONTEXT_CHARS = 4_096;
/** A viewer page's key: an opaque id in an HttpOnly cookie, given with its config; its launches are its own. */
const PAGE_COOKIE = 'mock-careconnect-page';
/** A page id unused this long is forgotten: a viewer window may stay open all day. */
const PAGE_TTL_MS = 12 * 3_600_000;
/** The form launch's key: an opaque id in an HttpOnly cookie; the posted fields stay on this server. */
const FORM_COOKIE = 'mock-careconnect-form';
/** CareConnect's own session after a sign-in by form launch: the next patient posted needs no new sign-in. */
const USER_COOKIE = 'mock-careconnect-user';
// No prototype: `g=constructor`, or a `g` a polluted Object.prototype has, is no gender.
const GENDERS = ownProperties({ F: 'female', M: 'male', U: 'unknown' }) as { [code: string]: Gender | undefined };

/** A launch kept for its page, and the state that ties a sign-in's approval to it. */
interface KeptLaunch {
  ctx: LaunchContext;
  state: string;
}

const randomId = () => randomBytes(18).toString('base64url');

/**
 * Why a POST to the page's own API is refused, if it is: a form or `text/plain` body (no CORS
 * preflight, so any site could send one) is 415; another origin or site, 403.
 */
function refusal(req: IncomingMessage): [status: number, error: string] | null {
  if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) return [415, 'json-only'];
  const site = req.headers['sec-fetch-site'];
  const { origin } = req.headers;
  if ((site !== undefined && site !== 'same-origin') || (origin !== undefined && origin !== `http://${req.headers.host}`)) return [403, 'cross-origin'];
  return null;
}

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  try {
    return ownProperties(JSON.parse(await readBody(req, MAX_BODY_BYTES))) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** Answers, and says the request was handled. */
function sendJson(res: ServerResponse, status: number, body?: unknown): true {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body === undefined ? '' : JSON.stringify(body));
  return true;
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/**
 * The legacy form's fields as real EMRs send them: names in either case (Juno posts `O`, the
 * specification says `o`), the first of each name kept. A Map: no field is read from a prototype.
 */
function formFields(body: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(body)) if (!fields.has(name.toLowerCase())) fields.set(name.toLowerCase(), value);
  return fields;
}

/**
 * The launch context the legacy form's fields stand for: CareConnect learns the user's role at sign-in.
 * The PHN may have spaces or dashes, `g` is M, F or U in any case; `o`, the organisation, is taken and not checked.
 */
function formContext(fields: Map<string, string>): LaunchContext | null {
  const phn = (fields.get('phn') ?? '').replace(/[\s-]/g, '');
  if (!phn) return null;
  const dob = fields.get('dob') ?? '';
  const patient: LaunchContext['patient'] = { id: 'form-post' };
  if (fields.get('fn')) patient.givenName = fields.get('fn')!;
  if (fields.get('ln')) patient.familyName = fields.get('ln')!;
  if (/^\d{8}$/.test(dob)) patient.birthDate = `${dob.slice(0, 4)}-${dob.slice(4, 6)}-${dob.slice(6)}`;
  patient.gender = GENDERS[(fields.get('g') ?? '').trim().toUpperCase()] ?? 'unknown';
  return { healthNumber: { province: 'BC', value: phn }, patient, location: { province: 'BC' }, user: { role: 'provider' }, network: 'ppn' };
}

export function createMockViewerBackEnd(options: MockViewerBackEndOptions): MockViewerBackEnd {
  const { identityProvider: idp, sendPage } = options;
  const config: MockViewerConfig = {
    emrOrigins: [...options.emrOrigins],
    issuer: options.issuer,
    jwksUrl: `${SESSION_PATH}/jwks`,
    identityProvider: `${idp.origin}/sign-in`,
    scenario: options.scenario ?? 'default',
    serviceWorker: options.serviceWorker,
  };
  // A real viewer keeps these server-side too, never in the page: the launch it verified and
  // claimed, by page and requestId, while the user signs in elsewhere; and the launches that came by form.
  const pages = new Kept<true>(MAX_ENTRIES * 2, PAGE_TTL_MS);
  const launches = new Kept<KeptLaunch>(MAX_ENTRIES, LAUNCH_TTL_MS);
  const forms = new Kept<KeptLaunch>(MAX_ENTRIES, LAUNCH_TTL_MS);
  const formUsers = new Kept<SignedInUser>(MAX_ENTRIES, LAUNCH_TTL_MS);
  const claims = new MemoryReplayCache();
  // Back from the identity provider, the page trades its one-time code for the user: only the
  // identity provider's approval of this launch's own sign-in (its state) counts.
  const resumed = ({ ctx, state }: KeptLaunch, code: unknown) => ({ ctx, user: typeof code === 'string' ? idp.exchange(code, state) : null });
  /** The page's id from its cookie, if this server gave it and it is still kept. */
  const pageOf = (req: IncomingMessage) => {
    const id = cookie(req, PAGE_COOKIE);
    return pages.touch(id) ? id : undefined;
  };

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://viewer.invalid');
    const path = url.pathname;
    if (path === FORM_POST_PATH && req.method === 'POST' && sendPage) {
      const ctx = formContext(formFields(await readBody(req, MAX_BODY_BYTES)));
      if (ctx) {
        const id = randomId();
        forms.set(id, { ctx, state: randomId() });
        res.setHeader('set-cookie', `${FORM_COOKIE}=${id}; HttpOnly; SameSite=Lax; Path=/; Max-Age=${LAUNCH_TTL_MS / 1000}`);
      } else {
        // A POST with no patient replaces the one before: the window must not show the previous patient.
        const held = cookie(req, FORM_COOKIE);
        if (forms.get(held)) {
          forms.delete(held);
          res.setHeader('set-cookie', `${FORM_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0`);
        }
      }
      await sendPage(res);
      return true;
    }
    if (!path.startsWith(`${SESSION_PATH}/`)) return false;
    const route = path.slice(SESSION_PATH.length + 1);
    if (req.method === 'GET' && route === 'config') {
      if (!pageOf(req)) {
        const id = randomId();
        pages.set(id, true);
        res.setHeader('set-cookie', `${PAGE_COOKIE}=${id}; HttpOnly; SameSite=Lax; Path=${SESSION_PATH}`);
      }
      return sendJson(res, 200, config);
    }
    if (req.method === 'GET' && route === 'sign-in') {
      // The page leaves for the identity provider through here: the sign-in it asks for carries this
      // launch's state, role and network, so the approval can serve this launch only.
      const { searchParams: query } = url;
      const page = pageOf(req);
      const kept = query.has('requestId') ? launches.get(page && `${page} ${query.get('requestId')}`) : forms.get(cookie(req, FORM_COOKIE));
      if (!kept) return sendJson(res, 404, { error: 'lost' });
      const to = new URL(`${idp.origin}/sign-in`);
      const ask = { method: query.get('method') ?? '', role: kept.ctx.user.role, network: kept.ctx.network, return: query.get('return') ?? '', state: kept.state };
      for (const [key, value] of Object.entries(ask)) to.searchParams.set(key, value);
      for (const key of ['hold', 'coop']) if (query.has(key)) to.searchParams.set(key, query.get(key)!);
      res.writeHead(303, { location: to.href, 'cache-control': 'no-store' }).end();
      return true;
    }
    if (req.method === 'GET' && route === 'jwks') {
      try {
        return sendJson(res, 200, await options.jwks());
      } catch (error) {
        options.onJwksError?.(error);
        return sendJson(res, 502, { error: 'jwks-unavailable', message: `The EMR's JWKS could not be read: ${error instanceof Error ? error.message : error}` });
      }
    }
    if (req.method !== 'POST') return sendJson(res, 405);
    const refused = refusal(req);
    if (refused) return sendJson(res, refused[0], { error: refused[1] });
    const body = await jsonBody(req);
    const requestId = typeof body.requestId === 'string' && body.requestId.length <= 128 ? body.requestId : '';
    // The launch API answers its own page only: the cookie it gave with the config.
    const page = ['launch', 'claim', 'resume'].includes(route) ? pageOf(req) : null;
    if (page === undefined) return sendJson(res, 403, { error: 'no-session' });
    switch (route) {
      case 'launch': {
        if (!requestId || !isLaunchContext(body.ctx)) return sendJson(res, 400);
        if (JSON.stringify(body.ctx).length > MAX_CONTEXT_CHARS) return sendJson(res, 413);
        launches.set(`${page} ${requestId}`, { ctx: body.ctx, state: randomId() });
        return sendJson(res, 204);
      }
      case 'claim': {
        const { jti, expiresAt } = body;
        // A token lives 120 s at most: no claim is kept longer, whatever the page says.
        const until = Math.min(Number(expiresAt), Date.now() / 1000 + MAX_TOKEN_LIFETIME_S + 60);
        const fresh = typeof jti === 'string' && jti.length <= 256 && typeof expiresAt === 'number' && await claims.claim(jti, until);
        return sendJson(res, fresh ? 201 : 409);
      }
      case 'resume': {
        const kept = launches.get(`${page} ${requestId}`);
        return sendJson(res, kept ? 200 : 404, kept ? resumed(kept, body.code) : { error: 'lost' });
      }
      case 'form': {
        const kept = forms.get(cookie(req, FORM_COOKIE));
        if (!kept) return sendJson(res, 404, { error: 'lost' });
        const { ctx } = kept;
        const fromSignIn = resumed(kept, body.code);
        if (fromSignIn.user) {
          const id = randomId();
          formUsers.set(id, fromSignIn.user);
          res.setHeader('set-cookie', `${USER_COOKIE}=${id}; HttpOnly; SameSite=Lax; Path=/; Max-Age=${LAUNCH_TTL_MS / 1000}`);
        }
        return sendJson(res, 200, { ctx, user: fromSignIn.user ?? formUsers.get(cookie(req, USER_COOKIE)) ?? null });
      }
      case 'sign-out':
        formUsers.delete(cookie(req, USER_COOKIE));
        return sendJson(res, 204);
    }
    return sendJson(res, 404);
  };
}
