/// <reference types="node" />
// The mock viewer's own server side, one Node handler for `npm start` and `careconnect-launch mock-viewer`:
// its config, the EMR's JWKS, the launch kept across a sign-in, its replay cache, and the legacy form POST.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JSONWebKeySet } from 'jose';
import type { Gender, LaunchContext } from '../core/launch-context.js';
import { ownProperties } from '../core/own-properties.js';
import { MemoryReplayCache } from '../server/replay-cache.js';
import type { MockIdentityProvider } from './identity-provider.js';
import { readBody } from './request-body.js';
import type { SignedInUser } from './sign-in.js';
import type { ScenarioName } from './scenario-names.js';
import { FORM_POST_PATH, SESSION_PATH, type MockViewerConfig } from './session-api.js';

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
/** The form launch's key: an opaque id in an HttpOnly cookie; the posted fields stay on this server. */
const FORM_COOKIE = 'mock-careconnect-form';
/** CareConnect's own session after a sign-in by form launch: the next patient posted needs no new sign-in. */
const USER_COOKIE = 'mock-careconnect-user';
// No prototype: `g=constructor`, or a `g` a polluted Object.prototype has, is no gender.
const GENDERS = ownProperties({ F: 'female', M: 'male', U: 'unknown' }) as { [code: string]: Gender | undefined };

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

/** The launch context the legacy form's fields stand for: CareConnect learns the user's role at sign-in. */
function formContext(fields: URLSearchParams): LaunchContext | null {
  const phn = (fields.get('phn') ?? '').replace(/[\s-]/g, '');
  if (!phn) return null;
  const dob = fields.get('dob') ?? '';
  const patient: LaunchContext['patient'] = { id: 'form-post' };
  if (fields.get('fn')) patient.givenName = fields.get('fn')!;
  if (fields.get('ln')) patient.familyName = fields.get('ln')!;
  if (/^\d{8}$/.test(dob)) patient.birthDate = `${dob.slice(0, 4)}-${dob.slice(4, 6)}-${dob.slice(6)}`;
  patient.gender = GENDERS[fields.get('g') ?? ''] ?? 'unknown';
  return { healthNumber: { province: 'BC', value: phn }, patient, location: { province: 'BC' }, user: { role: 'provider' }, network: 'ppn' };
}

/** Keeps values for a while, by key; expired ones go at the next write. */
class Kept<T> {
  readonly #entries = new Map<string, { value: T; expires: number }>();

  set(key: string, value: T): void {
    const now = Date.now();
    for (const [id, entry] of this.#entries) if (entry.expires < now) this.#entries.delete(id);
    this.#entries.set(key, { value, expires: now + LAUNCH_TTL_MS });
  }

  delete(key: string | undefined): void {
    if (key !== undefined) this.#entries.delete(key);
  }

  get(key: string | undefined): T | undefined {
    const entry = key === undefined ? undefined : this.#entries.get(key);
    return entry && entry.expires >= Date.now() ? entry.value : undefined;
  }
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
  // claimed, by requestId, while the user signs in elsewhere; and the launches that came by form.
  const launches = new Kept<unknown>();
  const forms = new Kept<LaunchContext>();
  const formUsers = new Kept<SignedInUser>();
  const claims = new MemoryReplayCache();
  // Back from the identity provider, the page trades its one-time code for the user, with the launch.
  const resumed = (ctx: unknown, code: unknown) => ({ ctx, user: typeof code === 'string' ? idp.exchange(code) : null });

  return async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://viewer.invalid').pathname;
    if (path === FORM_POST_PATH && req.method === 'POST' && sendPage) {
      const ctx = formContext(new URLSearchParams(await readBody(req, MAX_BODY_BYTES)));
      if (ctx) {
        const id = randomBytes(18).toString('base64url');
        forms.set(id, ctx);
        res.setHeader('set-cookie', `${FORM_COOKIE}=${id}; HttpOnly; SameSite=Lax; Path=/; Max-Age=${LAUNCH_TTL_MS / 1000}`);
      }
      await sendPage(res);
      return true;
    }
    if (!path.startsWith(`${SESSION_PATH}/`)) return false;
    const route = path.slice(SESSION_PATH.length + 1);
    if (req.method === 'GET' && route === 'config') return sendJson(res, 200, config);
    if (req.method === 'GET' && route === 'jwks') {
      try {
        return sendJson(res, 200, await options.jwks());
      } catch (error) {
        options.onJwksError?.(error);
        return sendJson(res, 502, { error: 'jwks-unavailable', message: `The EMR's JWKS could not be read: ${error instanceof Error ? error.message : error}` });
      }
    }
    if (req.method !== 'POST') return sendJson(res, 405);
    const body = await jsonBody(req);
    const requestId = typeof body.requestId === 'string' ? body.requestId : '';
    switch (route) {
      case 'launch':
        if (!requestId || !body.ctx) return sendJson(res, 400);
        launches.set(requestId, body.ctx);
        return sendJson(res, 204);
      case 'claim': {
        const { jti, expiresAt } = body;
        const fresh = typeof jti === 'string' && typeof expiresAt === 'number' && await claims.claim(jti, expiresAt);
        return sendJson(res, fresh ? 201 : 409);
      }
      case 'resume': {
        const kept = launches.get(requestId);
        return sendJson(res, kept ? 200 : 404, kept ? resumed(kept, body.code) : { error: 'lost' });
      }
      case 'form': {
        const ctx = forms.get(cookie(req, FORM_COOKIE));
        if (!ctx) return sendJson(res, 404, { error: 'lost' });
        const fromSignIn = resumed(ctx, body.code);
        if (fromSignIn.user) {
          const id = randomBytes(18).toString('base64url');
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
