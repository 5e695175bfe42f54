// One viewer window and the conversation with it: open or recover by name, reuse and focus,
// the launch protocol with exact origin and window checks, the closed poll and the timeouts.
import { envelope, parseViewerMessage, type OpenerMessage, type ViewerErrorCode } from '../core/protocol.js';
import type { ViewerId, ViewerTransport } from '../core/viewers.js';
import { submitForm } from './form-post.js';

/** A popup (not a tab) big enough for a chart viewer; no `noopener`: the SDK needs the handle. */
export const POPUP_FEATURES = 'popup,width=1200,height=900';
export const DEFAULT_TIMEOUT_MS = 20_000;
const CLOSED_POLL_MS = 500;
/**
 * A handle that reads `closed` this soon after we navigated, before the viewer said anything, was cut by
 * COOP. WebKit cuts it only once the viewer runs in its new process: up to 2 s after the navigation on a
 * busy machine (Chromium and Firefox: under 0.7 s), and the closed poll adds up to 0.5 s.
 */
const COOP_GRACE_MS = 5_000;

/** Window names carry the viewer only: a patient identifier never goes into a window name. */
export const viewerWindowName = (viewerId: ViewerId) => `careconnect-${viewerId}`;

export interface LaunchRequest {
  /** Identifies the patient, in memory only, so a repeat click focuses instead of relaunching. */
  key: string;
  url: string;
  origin: string;
  transport: ViewerTransport;
  /** form-post: the fields, sent in the POST body. */
  fields?: Record<string, string>;
  /** post-message: mints a fresh single-use launch token. */
  token?: () => Promise<string>;
  timeoutMs?: number;
}

export type LaunchOutcome = 'opened' | 'reused' | 'blocked';

export type SessionEvent =
  | { type: 'ready' | 'sent' | 'match' | 'accepted' | 'rejected' | 'superseded'; requestId: string }
  | { type: 'error'; requestId: string; code: 'viewer-timeout' | ViewerErrorCode }
  | { type: 'closed' };

export type SessionListener = (event: SessionEvent) => void;

interface Pending {
  id: string;
  key: string;
  listener: SessionListener;
  /** Absent (no token provider), it resolves to nothing: `token-failed`, as for a provider that fails. */
  mint: (() => Promise<string>) | undefined;
  timeoutMs: number;
  /** The window was opened for this request: a failure closes it rather than leave it blank. */
  fresh: boolean;
  token: string | null;
  attempt: number;
  sent: boolean;
  pinged: boolean;
  readyAnnounced: boolean;
}

function newRequestId(): string {
  // getRandomValues works outside secure contexts too, unlike randomUUID.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

function isBlank(handle: Window): boolean {
  try {
    return handle.location.href === 'about:blank';
  } catch {
    return false; // cross-origin: a viewer page is already there
  }
}

export class ViewerSession {
  #handle: Window | null = null;
  #origin = '';
  #ready = false;
  #heard = false;
  #navigatedAt = 0;
  #pending: Pending | null = null;
  #shownKey: string | null = null;
  /** The listener whose launch the window shows: told when another button's launch replaces it. */
  #shownBy: SessionListener | null = null;
  /** The last launch found a window that never said ready: the next click loads the viewer again. */
  #stalled = false;
  #listeners = new Set<SessionListener>();
  #listening = false;
  #poll: ReturnType<typeof setInterval> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly name: string) {}

  get isOpen(): boolean {
    return this.#handle !== null && !this.#handle.closed;
  }

  subscribe(listener: SessionListener): void {
    this.#listeners.add(listener);
    this.#attach();
  }

  unsubscribe(listener: SessionListener): void {
    this.#listeners.delete(listener);
    // A host that moves the element (re-parenting, a framework re-ordering) disconnects and
    // reconnects it in one task: only a listener still gone after that loses its launch.
    queueMicrotask(() => {
      if (this.#listeners.has(listener)) return;
      if (this.#pending?.listener === listener) this.#settle();
      if (this.#shownBy === listener) this.#shownBy = null;
      if (this.#listeners.size === 0) this.#detach();
    });
  }

  /** Focuses the window when `key` is already on its way there or shown; true if it did. */
  focusIfShowing(key: string): boolean {
    const current = this.#pending ? this.#pending.key : this.#shownKey;
    if (!this.isOpen || current !== key) return false;
    this.#handle!.focus();
    return true;
  }

  /**
   * Opens, recovers or reuses the window and starts a launch. Must run synchronously inside the
   * click, before any `await`: Safari and Firefox block a popup opened after the gesture's task.
   */
  launch(request: LaunchRequest, listener: SessionListener): LaunchOutcome {
    const reused = this.isOpen;
    let fresh = false;
    if (reused) {
      this.#handle!.focus();
    } else {
      // '' opens a blank window, or returns the live one of that name after an EMR page reload.
      const handle = window.open('', this.name, POPUP_FEATURES);
      if (!handle) return 'blocked';
      this.#handle = handle;
      this.#ready = false;
      this.#shownKey = null;
      this.#shownBy = null;
      fresh = isBlank(handle);
    }
    const originChanged = reused && this.#origin !== request.origin;
    const stalled = reused && !this.#ready && this.#stalled;
    this.#origin = request.origin;
    this.#supersede(listener);
    this.subscribe(listener);

    if (request.transport === 'form-post') {
      submitForm(this.name, request.url, request.fields ?? {});
      this.#navigated(false);
      this.#show(request.key, listener);
      return reused ? 'reused' : 'opened';
    }

    if (fresh || originChanged || stalled) {
      this.#handle!.location.replace(request.url);
      this.#navigated(true);
    } else if (!reused) {
      this.#stalled = true; // until it answers: if it never does, the next click reloads it
      this.#send({ type: 'ping' }); // a recovered window: is a viewer there, and does it speak v1?
    }
    const pending: Pending = {
      id: newRequestId(),
      key: request.key,
      listener,
      mint: request.token,
      timeoutMs: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      fresh,
      token: null,
      attempt: 0,
      sent: false,
      pinged: false,
      readyAnnounced: false,
    };
    this.#pending = pending;
    this.#arm();
    this.#mintToken(pending);
    this.#trySend();
    return reused ? 'reused' : 'opened';
  }

  /** Asks the viewer to sign the user out, ending any launch in progress; the window stays open. */
  logout(): void {
    this.#settle();
    this.#shownKey = null;
    this.#shownBy = null;
    this.#send({ type: 'logout' });
  }

  /** Closes the window; listeners hear `closed`. */
  close(): void {
    if (!this.#handle) return;
    this.#handle.close();
    this.#ended(true);
  }

  /** `guarded`: a COOP cut right after this navigation is possible and must not read as a close. */
  #navigated(guarded: boolean): void {
    this.#ready = false;
    this.#heard = false;
    this.#stalled = false;
    this.#navigatedAt = guarded ? Date.now() : 0;
    this.#attach();
  }

  #show(key: string, listener: SessionListener): void {
    this.#shownKey = key;
    this.#shownBy = listener;
  }

  /** Another launch takes the window: whoever had a launch pending, or a patient shown, is told. */
  #supersede(listener: SessionListener): void {
    const previous = this.#pending;
    const shownBy = this.#shownBy;
    this.#settle();
    if (previous && previous.listener !== listener) previous.listener({ type: 'superseded', requestId: previous.id });
    if (shownBy && shownBy !== listener && shownBy !== previous?.listener) shownBy({ type: 'superseded', requestId: '' });
    this.#shownBy = null;
  }

  #mintToken(pending: Pending): void {
    const attempt = ++pending.attempt;
    pending.token = null;
    Promise.resolve()
      .then(pending.mint)
      .then(
        (token) => {
          if (this.#pending !== pending || pending.attempt !== attempt) return;
          if (typeof token !== 'string' || token === '') return this.#fail(pending, 'token-failed');
          pending.token = token;
          this.#trySend();
        },
        () => {
          if (this.#pending === pending && pending.attempt === attempt) this.#fail(pending, 'token-failed');
        },
      );
  }

  #trySend(): void {
    const pending = this.#pending;
    if (!pending || !this.#ready || !this.isOpen) return;
    if (!pending.readyAnnounced) {
      pending.readyAnnounced = true;
      pending.listener({ type: 'ready', requestId: pending.id });
      if (this.#pending !== pending) return;
    }
    if (pending.sent || !pending.token) return;
    this.#send({ type: 'launch', requestId: pending.id, token: pending.token });
    pending.token = null; // single use: a viewer that reloads gets a fresh one
    pending.sent = true;
    this.#arm();
    pending.listener({ type: 'sent', requestId: pending.id });
  }

  #send(message: OpenerMessage): void {
    // Always the viewer's exact origin, never '*': the token must not reach whatever page is there now.
    if (this.isOpen && this.#origin) this.#handle!.postMessage(envelope(message), this.#origin);
  }

  #onMessage = (event: MessageEvent): void => {
    if (!this.#handle || event.source !== this.#handle || event.origin !== this.#origin) return;
    const message = parseViewerMessage(event.data);
    if (!message) return;
    this.#heard = true;
    this.#stalled = false;
    const pending = this.#pending;
    if (message.type === 'ready' || message.type === 'pong') {
      this.#ready = true;
      if (!pending) return;
      if (message.type === 'ready' && pending.sent) {
        // The viewer reloaded before answering: it lost the launch, and the token was single-use.
        pending.sent = false;
        this.#mintToken(pending);
      }
      pending.pinged = false;
      if (pending.sent) this.#arm();
      else this.#trySend();
      return;
    }
    if (!pending) return;
    if (message.type === 'error') {
      // Without a requestId, an error is about whatever the viewer is doing now: this launch.
      if (message.requestId === undefined || message.requestId === pending.id) this.#fail(pending, message.code, false);
      return;
    }
    if (!pending.sent) return;
    if (message.requestId !== pending.id) return; // a stale answer to a superseded launch
    if (message.type === 'match') {
      pending.pinged = false;
      this.#arm();
    } else {
      this.#settle();
      if (message.type === 'accepted') this.#show(pending.key, pending.listener);
      else this.#shownKey = this.#shownBy = null;
    }
    pending.listener({ type: message.type, requestId: pending.id });
  };

  /** Before the launch is sent, silence is a timeout; after it, a ping must be answered. */
  #onTimeout = (): void => {
    const pending = this.#pending;
    if (!pending) return;
    if (!pending.sent) {
      if (!this.#ready) this.#stalled = true;
      return this.#fail(pending, this.#ready ? 'token-failed' : 'viewer-timeout');
    }
    if (pending.pinged) return this.#fail(pending, 'viewer-timeout', false);
    pending.pinged = true;
    this.#send({ type: 'ping' });
    this.#arm();
  };

  #fail(pending: Pending, code: 'viewer-timeout' | ViewerErrorCode, closeFresh = true): void {
    this.#settle();
    // Never leave a window waiting forever for a launch that cannot come: close one we opened for it.
    if (closeFresh && pending.fresh && code === 'token-failed') {
      this.#handle?.close();
      this.#ended(false);
    }
    pending.listener({ type: 'error', requestId: pending.id, code });
  }

  #settle(): void {
    this.#pending = null;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(): void {
    clearTimeout(this.#timer);
    this.#timer = this.#pending ? setTimeout(this.#onTimeout, this.#pending.timeoutMs) : undefined;
  }

  #checkClosed = (): void => {
    if (!this.#handle?.closed) return;
    // COOP on the viewer cuts the handle during its first navigation: the window lives on, so this is
    // no user cancel. We can no longer reach it; the pending launch times out with a clear error.
    const severed = !this.#heard && Date.now() - this.#navigatedAt < COOP_GRACE_MS;
    const pending = this.#pending;
    this.#ended(!severed);
    // Cut off, the viewer can never answer this launch: say so now rather than after the timeout.
    if (severed && pending) this.#fail(pending, 'viewer-timeout', false);
  };

  #ended(notify: boolean): void {
    this.#handle = null;
    this.#ready = false;
    clearInterval(this.#poll);
    this.#poll = undefined;
    if (!notify) return;
    this.#settle();
    this.#shownKey = this.#shownBy = null;
    this.#stalled = false;
    for (const listener of [...this.#listeners]) listener({ type: 'closed' });
  }

  #attach(): void {
    if (this.#listeners.size === 0) return;
    if (!this.#listening) {
      window.addEventListener('message', this.#onMessage);
      this.#listening = true;
    }
    if (this.#handle && this.#poll === undefined) this.#poll = setInterval(this.#checkClosed, CLOSED_POLL_MS);
    if (this.#pending && this.#timer === undefined) this.#arm();
  }

  #detach(): void {
    window.removeEventListener('message', this.#onMessage);
    this.#listening = false;
    clearInterval(this.#poll);
    this.#poll = undefined;
    this.#settle();
  }
}

// Every button on the page that targets one viewer shares its window, as a named window is shared.
const sessions = new Map<string, ViewerSession>();

export function sessionFor(viewerId: ViewerId): ViewerSession {
  const name = viewerWindowName(viewerId);
  let session = sessions.get(name);
  if (!session) sessions.set(name, (session = new ViewerSession(name)));
  return session;
}
