// One viewer window and the conversation with it, kept as one explicit state: open or recover by
// name, reuse and focus, launch protocol v1 with exact origin and window checks, the closed poll.
import { ownProperties } from '../core/own-properties.js';
import { envelope, parseViewerMessage, type OpenerMessage, type ViewerErrorCode } from '../core/protocol.js';
import { VIEWERS, type ViewerDescriptor, type ViewerId, type ViewerTransport } from '../core/viewers.js';
import { digestOf } from './patient-digest.js';

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
/** A viewer that loses the launch (its page loaded again without it) gets at most this many fresh tokens per click. */
const MAX_REMINTS = 2;
/** A sent launch the viewer has not acknowledged this soon, while another EMR window is its opener, was lost. */
const ACK_MS = 3_000;
/** A window shows someone this page cannot know (recovered after an EMR reload, or after a viewer error): no patient key equals this. */
const UNKNOWN_PATIENT = '?';
const SECRET_KEY = 'careconnect-window';

/** 128 random bits; getRandomValues works outside secure contexts too, unlike randomUUID. */
export const newRequestId = () => crypto.getRandomValues(new Uint32Array(4)).join('-');

let secret: string | undefined;
/**
 * The random part of the viewer windows' names, kept in `sessionStorage`: a chart window opened by
 * another inherits it, so the EMR's own windows find the viewer, while a frame of another origin can
 * neither find nor squat it. A chart window opened from a page without a button yet (the schedule)
 * takes the secret that page holds, or leaves its own there for the next chart window it opens.
 * Random bits only, never a patient identifier.
 */
function windowSecret(): string {
  if (!secret) {
    let opener: Storage | undefined;
    try {
      opener = (window.opener as Window | null)?.sessionStorage; // throws for an opener of another origin
    } catch {}
    try {
      secret = sessionStorage.getItem(SECRET_KEY) || opener?.getItem(SECRET_KEY) || newRequestId().replace(/-/g, 'x');
      sessionStorage.setItem(SECRET_KEY, secret);
      if (!opener?.getItem(SECRET_KEY)) opener?.setItem(SECRET_KEY, secret);
    } catch {
      secret ??= newRequestId().replace(/-/g, 'x'); // storage disabled: this page's windows only
    }
  }
  return secret;
}

/** `careconnect-<viewerId>-<secret>`: a patient identifier never goes into a window name. */
export const viewerWindowName = (viewerId: ViewerId) => `careconnect-${viewerId}-${windowSecret()}`;

export interface LaunchRequest {
  /** The launch's id, protocol v1's `requestId` (the element's events and token request carry it too); a fresh one when absent. */
  id?: string;
  /** Identifies the patient, in memory only, so a repeat click focuses instead of relaunching. */
  key: string;
  url: string;
  origin: string;
  transport: ViewerTransport;
  /** form-post: the fields, sent in the POST body. */
  fields?: Record<string, string>;
  /** post-message: mints a fresh single-use launch token. Absent (no token provider), the launch fails with `token-failed`, as for a provider that fails. */
  token?: () => Promise<string>;
  /** How long a window may take to say `ready`, and the token to be minted. */
  timeoutMs: number;
}

export type SessionErrorCode = 'viewer-timeout' | 'launch-lost' | 'blocked-by-policy' | ViewerErrorCode;

/**
 * Launch events go to the listener whose click started the launch; `superseded` tells it another
 * launch took the window. `closed` and `changed` (what the window shows, or a launch's phase) go to all.
 */
export type SessionEvent =
  | { type: 'ready' | 'sent' | 'match' | 'accepted' | 'rejected' | 'superseded' | 'closed' | 'changed' }
  | { type: 'error'; code: SessionErrorCode; cause?: unknown };

export type SessionListener = (event: SessionEvent) => void;

/** A launch in flight: minting and waiting for `ready` (`opening`), sent (`waiting`), or under review (`matching`). */
export interface Launch extends LaunchRequest {
  phase: 'opening' | 'waiting' | 'matching';
  id: string;
  listener: SessionListener;
  /** Tokens asked for by this click: the first, plus a re-mint each time the viewer lost the launch. */
  mints: number;
  /** Minted and not yet sent; single use. */
  minted: string | null;
  /** The window was opened for this launch: a failed token closes it rather than leave it blank. */
  fresh: boolean;
  /** When it was clicked: news of another chart window's launch sent before then does not end it. */
  at: number;
  /** When it was sent, and whether the viewer acknowledged it (`received`). */
  sentAt?: number;
  received?: boolean;
}

/**
 * The one record of the patient a window shows: the key of its last accepted launch (or form POST),
 * or, when another chart window of the EMR put it there, only that patient's `digest`. An accept, a
 * reject, logout, the window closing, the viewer's own report (`showing`) and a viewer error change
 * it; a launch that failed before the viewer had it never does. `by` is the listener whose launch put it there.
 */
export interface Shown {
  key: string;
  by: SessionListener | null;
  /** The accepted launch on screen, when this page sent it. */
  id?: string;
  digest?: string;
}

/** What the EMR's chart windows tell each other (same origin only): a window's record, as a digest; a launch; a newcomer's question. */
type ChannelMessage = { name?: string; shown?: string | null; id?: string; at?: number; launch?: true; hello?: true; relay?: unknown };

/** A viewer window this page holds: its handle, the origin it is on, and what it shows. */
interface OpenWindow {
  handle: Window;
  origin: string;
  shown: Shown | null;
}

/**
 * `loading`: a page is loading in the window (we opened or navigated it, or recovered it by name and
 * pinged it), no `ready` yet; `navigatedAt` is 0 when a COOP cut is impossible. `unresponsive`: it never
 * said ready, so the next click loads it again. `ready`: a viewer there speaks protocol v1. `posted`:
 * a form POST went there; no protocol.
 */
export type SessionState =
  | { kind: 'closed' }
  | (OpenWindow & { kind: 'loading'; navigatedAt: number; launch: Launch | null })
  | (OpenWindow & { kind: 'unresponsive' | 'posted' })
  | (OpenWindow & { kind: 'ready'; launch: Launch | null });

function isBlank(handle: Window): boolean {
  try {
    return handle.location.href === 'about:blank';
  } catch {
    return false; // cross-origin: a viewer page is already there
  }
}

// Own only: a polluted Object.prototype.launch is no launch in flight in a closed or posted window.
const launchOf = (state: SessionState) => (Object.hasOwn(state, 'launch') ? (state as { launch: Launch | null }).launch : null);

// `opener` and `top` are among the few properties a page may read on a window of another origin.
/** The window that opened `handle` last: another chart window of the EMR may have taken it by name. */
const openerOf = (handle: Window): unknown => handle.opener;
/** A frame that took the window's name is no viewer window: a launch never goes there. */
const isTopLevel = (handle: Window) => handle !== window && handle.top === handle;

let channel: BroadcastChannel | null | undefined;
/** The EMR's chart windows and tabs (this origin only) share what each viewer window shows. */
function emrChannel(): BroadcastChannel | null {
  if (channel === undefined) {
    channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('careconnect-launch') : null;
    channel?.addEventListener('message', (event: MessageEvent<ChannelMessage>) => {
      // Own fields only: a polluted Object.prototype.launch or .shown is no news from another chart window.
      const data: ChannelMessage = ownProperties(event.data);
      // A newcomer's question goes to every window this page knows; news about one, to that one's session,
      // or, from a tab of the EMR with a secret of its own, to what this page knows of that tab's window.
      // (Not about another tab's window: no page can tell when one whose tab closed is closed, so its
      // record is not passed on to newcomers, where it would outlive that window.)
      if (data.hello) for (const session of sessions.values()) session.hear(data);
      else for (const id of Object.keys(VIEWERS) as ViewerId[]) {
        // A name that is no string (`{ toString: 0 }` survives a structured clone) is no window's.
        const [head, secret] = (typeof data.name === 'string' ? data.name : '-').split(`careconnect-${id}-`);
        if (head) continue; // another viewer's window, or no window's name
        if (secret === windowSecret()) sessionFor(id).hear(data);
        else if (secret) otherTabSession(data.name!, id, secret).hear(data);
      }
    });
  }
  return channel;
}

export class ViewerSession {
  #state: SessionState = { kind: 'closed' };
  /** While this page holds no handle: the record another chart window of the EMR shared. */
  #foreign: Shown | null = null;
  /**
   * When the record was last true (`Date.now()`, on the clock every window of the machine shares): the
   * viewer's time for what it reported, this page's for what it did (a logout, the window closing), a
   * chart window's for its news. News that is not newer was overtaken on its way, and changes nothing.
   */
  #at = -1; // before any news: even news no one stamped (0) is newer
  /** Another chart window launched into this window since this page last did: its record here may be old. */
  #overtaken = false;
  /** Launches sent to this window, newest last: a late accept of one still says what the window shows. */
  #sent = new Map<string, string>();
  /** The last launch sent here that failed: the viewer may still carry it through, and then its answers count. */
  #failed: Launch | null | undefined;
  /**
   * The launch the viewer last said it reviews (`reviewing`), until it says otherwise (it reports what it
   * shows after every answer): it may show that launch's patient any moment, even one this page gave
   * up since (another click).
   */
  #reviewing: string | undefined;
  #listeners = new Set<SessionListener>();
  #poll: ReturnType<typeof setInterval> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** `secret`: the random part of `name`, this page's unless the window is another tab's. */
  constructor(readonly name: string, readonly secret = windowSecret()) {
    // One that leaves while the viewer holds its launch can no longer hear it answered (the answer comes
    // here): the window may show its patient any moment, so every other chart window takes it as unknown.
    window.addEventListener('pagehide', () => {
      if (launchOf(this.#state) || this.#failed || this.#reviewing) emrChannel()?.postMessage({ name, shown: UNKNOWN_PATIENT, at: Date.now() });
    });
  }

  /** From another chart window of the EMR: what the window shows now, that it launched there, or a question. */
  hear(message: ChannelMessage): void {
    if (message.hello) return this.#publish(true);
    // The viewer's answer to this page's launch, which reached the window that is its opener now.
    const live = this.#live();
    if (message.relay) return void (live && this.#onViewer(live, message.relay, true));
    if (message.launch) {
      this.#overtaken = true;
      // A launch clicked here after that one was sent replaces it in the viewer (which answers that one busy).
      if (!(launchOf(this.#state)?.at! > message.at!)) this.#supersede(null);
    }
    // A page whose own handle is to a window that closed holds none (`live`): news is of the window by that name now.
    if (!(message.at! > this.#at)) return this.#changed();
    this.#at = message.at!;
    // A launch from another chart window: the window reviews that window's patient now, and what it will
    // show is unknown here until that window tells (it may close first): '?' is a digest no patient has.
    const record = message.launch ? UNKNOWN_PATIENT : message.shown;
    if (record !== undefined) {
      // With the accepted launch's id: the viewer's own report of it (`showing`) then agrees.
      const shown = record === null ? null : { key: '', by: null, digest: typeof record === 'string' ? record : UNKNOWN_PATIENT, id: message.id };
      if (live) this.#show(live, shown, false);
      else this.#foreign = shown;
      // And on, as an answer: a newcomer this page answered before the news came here may not have it
      // (its sender may have closed); the others, who have it, drop it as not newer. Not launch news,
      // whose sender would take its own news back as newer than what it knows.
      if (!message.launch) this.#publish(true);
    }
    this.#changed();
  }

  /**
   * Tells the EMR's other chart windows what this window shows now, as digests, and since when: what it
   * learned itself (never what a chart window told it), or, to a newcomer's question (`reply`), whatever
   * it knows. They keep it if it is newer than what they know.
   */
  #publish = (reply?: boolean): void => {
    const state = this.#state;
    const live = this.#live();
    const shown = live ? live.shown : reply ? this.#foreign : null;
    // Nothing, or not ours, to tell; nor of a window by that name from a handle that closed (a newer one may hold the name).
    if (reply ? !shown && !live : shown?.digest || (!live && state.kind !== 'closed')) return;
    const launch = launchOf(state);
    // While the viewer reviews this page's launch, it may show that patient any moment: unknown to the others.
    // (Not once the viewer reports it accepted: the record is then that launch's, and true.)
    const digest = (launch && launch.phase !== 'opening' && shown?.id !== launch.id) || this.#reviewing
      ? UNKNOWN_PATIENT
      : shown && (shown.digest ?? (shown.key === UNKNOWN_PATIENT ? UNKNOWN_PATIENT : digestOf(shown.key, this.secret, () => this.#publish(reply))));
    // Told as true since then, here too: the same news passed back by another chart window is not newer.
    if (digest !== undefined) emrChannel()?.postMessage({ name: this.name, shown: digest, id: shown?.id, at: (this.#at = Math.max(this.#at, 0)) });
  };

  /**
   * What this page did itself (a logout, a form POST) is newer than any news it had, but older than what
   * the viewer says in the same ms: its answer to the logout, say.
   */
  #now(): void {
    this.#at = Math.max(Date.now() - 0.5, this.#at + 0.5);
  }

  /** Whether the record `shown` is the patient `key`; a digest is compared once worked out, and till then is not. */
  #isPatient(shown: Shown, key: string): boolean {
    return shown.digest ? shown.digest === digestOf(key, this.secret, () => this.#changed()) : shown.key === key;
  }

  /** The state, for the tests' legality checks and for reading; never change it from outside. */
  get state(): Readonly<SessionState> {
    return this.#state;
  }

  get isOpen(): boolean {
    return !!this.#live();
  }


  /** The state while the window is open: a handle that reads closed waits for the poll to end it. */
  #live(): Exclude<SessionState, { kind: 'closed' }> | undefined {
    const state = this.#state;
    return state.kind !== 'closed' && !state.handle.closed ? state : undefined;
  }

  /**
   * What a button with the chart's patient `key` derives its state from: the phase of its launch in
   * flight for that patient, else `stale` (the open window shows another patient), `showing` (this
   * one) or `idle`; and whether another patient is shown. `key` is worked out only when the window
   * shows someone or a launch is in flight: most of a long patient list renders without it.
   */
  view(listener: SessionListener | null, key: () => string): [Launch['phase'] | 'stale' | 'showing' | 'idle', boolean] {
    const live = this.#live();
    const shown = live ? live.shown : this.#foreign;
    const launch = launchOf(this.#state);
    const mine = launch?.listener === listener ? launch : null;
    const patient = shown || mine ? key() : '';
    const other = !!shown && !this.#isPatient(shown, patient);
    return [mine?.key === patient ? mine.phase : other ? 'stale' : shown ? 'showing' : 'idle', other];
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
      if (launchOf(this.#state)?.listener === listener) this.#dropLaunch();
      if (this.#listeners.size === 0) this.#detach();
    });
  }

  /**
   * Focuses the window when `key` is already on its way there or shown by this page's own record, and
   * asks the viewer what it shows (its `pong` corrects the record); true if it did. Never when another
   * chart window may have launched there since: the click then launches again.
   */
  focusIfShowing(key: string): boolean {
    const state = this.#live();
    if (!state || this.#overtaken || openerOf(state.handle) !== window || (launchOf(state)?.key ?? state.shown?.key) !== key) return false;
    state.handle.focus();
    if (state.kind === 'ready') this.#send({ type: 'ping' });
    return true;
  }

  /**
   * Opens, recovers or reuses the window and starts a launch. Must run synchronously inside the
   * click, before any `await`: Safari and Firefox block a popup opened after the gesture's task.
   * False when the browser blocked the popup.
   */
  launch(request: LaunchRequest, listener: SessionListener): boolean {
    const reused = !!this.#live();
    let state = this.#live();
    let fresh = false;
    if (!state || this.#overtaken || openerOf(state.handle) !== window) {
      // '' opens a blank window, or returns the live one of that name: after an EMR page reload, or
      // one another chart window took, which makes this page its opener again (Chromium, Firefox).
      const handle = window.open('', this.name, POPUP_FEATURES);
      if (!handle) return false; // blocked
      if (state && handle !== state.handle) {
        // WebKit finds no window another page took, and opened a new one: keep ours, whose viewer
        // still takes messages from a window that was once its opener.
        if (isBlank(handle)) handle.close();
      } else if (!isTopLevel(handle)) {
        listener({ type: 'error', code: 'launch-lost' });
        return true;
      } else if (!state) {
        fresh = isBlank(handle);
        // A recovered window shows what a chart window still alive said, or someone this page cannot know.
        const shown = fresh ? null : this.#foreign ?? { key: UNKNOWN_PATIENT, by: null };
        state = this.#state = { kind: 'loading', handle, origin: request.origin, shown, navigatedAt: 0, launch: null };
      }
    }
    if (reused) state.handle.focus();
    this.#foreign = null;
    this.#overtaken = false;
    this.#supersede(listener);
    this.subscribe(listener);
    const { handle, shown } = state;
    const origin = request.origin;

    if (request.transport === 'form-post') {
      // The POST never left (the page's CSP stopped it, or its code did not load): the window shows what
      // it did before, and a blank one is closed.
      const failed = (code: SessionErrorCode) => () => {
        const now = this.#state;
        if (now.kind !== 'posted' || now.shown?.key !== request.key || now.shown.by !== listener) return; // a later launch took it
        if (fresh) {
          now.handle.close();
          this.#ended(false);
        } else {
          this.#show(now, shown);
        }
        listener({ type: 'error', code });
        this.#changed();
      };
      // The legacy transport's code loads on its first use (the bundle's form-post chunk): most EMRs never post.
      import('./form-post.js').then(
        ({ submitForm }) => submitForm(this.name, request.url, request.fields ?? {}, failed('blocked-by-policy')),
        failed('launch-lost'),
      );
      // No protocol: the patient posted is taken as shown, as a user of the legacy integration expects.
      const posted = { key: request.key, by: listener };
      this.#now();
      this.#show(state, posted);
      this.#state = { kind: 'posted', handle, origin, shown: posted };
      this.#changed();
      return true;
    }

    const launch: Launch = { ...request, id: request.id || newRequestId(), phase: 'opening', listener, mints: 0, minted: null, fresh, at: Date.now() };
    const stale = state.kind === 'unresponsive' || state.kind === 'posted' || state.origin !== origin;
    if (fresh || (reused && stale)) {
      handle.location.replace(request.url);
      this.#state = { kind: 'loading', handle, origin, shown, navigatedAt: Date.now(), launch };
    } else if (state.kind === 'loading') {
      if (!reused) this.#send({ type: 'ping' }); // a recovered window: is a viewer there, and does it speak v1?
      this.#state = { ...state, launch };
    } else {
      this.#state = { kind: 'ready', handle, origin, shown, launch };
    }
    this.#attach(); // and arms the timer for the new launch
    this.#mintToken(launch);
    this.#trySend();
    this.#changed();
    return true;
  }

  /** Asks the viewer to sign the user out, ending any launch in progress; the window stays open and shows no one. */
  logout(): void {
    this.#dropLaunch();
    this.#sent.clear(); // signed out, the viewer shows no one: a late answer to an earlier launch is moot
    this.#send({ type: 'logout' });
    // Signed out, the viewer shows no one, if the logout reached it (another chart window may have taken
    // it since): unknown until it says so (`showing`).
    const live = this.#live();
    if (live) {
      this.#now();
      this.#show(live, { key: UNKNOWN_PATIENT, by: null });
    }
    this.#changed();
  }

  /** Closes the window; listeners hear `closed`. */
  close(): void {
    if (this.#state.kind === 'closed') return;
    this.#state.handle.close();
    this.#ended(true);
  }

  /**
   * The one writer of the record: the window shows `next` now. The button whose patient it replaces is
   * told, and so are the EMR's other chart windows, unless the news came from one of them.
   */
  #show(state: OpenWindow, next: Shown | null, publish = true): void {
    const by = state.shown?.by;
    state.shown = next;
    // Replaced by another button's accepted patient, or another chart window's: not by a sign-out or an unknown.
    if (by && (next?.by || next?.digest) && by !== next.by && this.#listeners.has(by)) by({ type: 'superseded' });
    if (publish) this.#publish();
  }

  /** Another launch takes the window: the button whose launch was in flight is told. */
  #supersede(listener: SessionListener | null): void {
    const previous = launchOf(this.#state);
    this.#dropLaunch();
    if (previous && previous.listener !== listener) previous.listener({ type: 'superseded' });
  }

  #dropLaunch(): void {
    const state = this.#state;
    this.#failed = null;
    if (launchOf(state)) (state as { launch: null }).launch = null;
    this.#arm();
  }

  #mintToken(launch: Launch): void {
    const attempt = ++launch.mints;
    launch.minted = null;
    const current = () => launchOf(this.#state) === launch && launch.mints === attempt;
    Promise.resolve()
      .then(launch.token)
      .then(
        (token) => {
          if (!current()) return;
          // What it resolved instead, by its type only: the value itself might be the request, health number and all.
          if (typeof token !== 'string' || token === '') return this.#fail(launch, 'token-failed', true, typeof token);
          launch.minted = token;
          this.#trySend();
        },
        // The host's own error, as it threw it.
        (cause) => current() && this.#fail(launch, 'token-failed', true, cause),
      );
  }

  #trySend(): void {
    const state = this.#state;
    if (state.kind !== 'ready' || !this.isOpen) return;
    const launch = state.launch;
    if (launch?.phase !== 'opening' || !launch.minted) return;
    this.#send({ type: 'launch', requestId: launch.id, token: launch.minted });
    launch.minted = null; // single use: a viewer that loses the launch gets a fresh one
    launch.phase = 'waiting';
    this.#sent.set(launch.id, launch.key);
    if (this.#sent.size > 8) this.#sent.delete(this.#sent.keys().next().value!);
    launch.sentAt = Date.now();
    launch.received = false;
    // The other chart windows: the viewer reviews this page's patient now, and their launches there are over.
    emrChannel()?.postMessage({ name: this.name, launch: true, at: Date.now() });
    // Sent: silence now is a user signing in, which may take minutes, not a failure (but see #checkClosed).
    this.#arm();
    launch.listener({ type: 'sent' });
    this.#changed();
  }

  #send(message: OpenerMessage): void {
    const state = this.#live();
    // Always the viewer's exact origin, never '*': the token must not reach whatever page is there now.
    state?.handle.postMessage(envelope(message), state.origin);
  }

  #onMessage = (event: MessageEvent): void => {
    const state = this.#state;
    if (state.kind === 'closed' || event.source !== state.handle || event.origin !== state.origin) return;
    this.#onViewer(state, event.data);
  };

  /**
   * What the viewer says, or (`relayed`) what it said to another chart window, its opener now, about this
   * page's launch: a viewer whose page loaded again knows only its opener, not the window that launched.
   */
  #onViewer(state: Exclude<SessionState, { kind: 'closed' }>, data: unknown, relayed?: boolean): void {
    const message = parseViewerMessage(data);
    if (!message) return;
    const about = (message as { requestId?: string }).requestId;
    const showing = message.type === 'showing';
    // What the page shows goes on to every chart window too: the viewer reaches only its openers, and one
    // that knew newer news (a launch) may not take it, while another that launched since must.
    const others = !showing && about && !this.#sent.has(about);
    if (!relayed && (showing || others)) emrChannel()?.postMessage({ name: this.name, relay: data });
    if (relayed ? !showing && about !== (launchOf(state) ?? this.#failed)?.id : others) return;
    if (showing) return this.#reported(state, message.requestId, message.at, message.reviewing, !relayed);
    if (message.type === 'ready' || message.type === 'pong') {
      if (message.type === 'pong' && message.showing !== undefined) this.#reported(state, message.showing, message.at!, message.reviewing);
      return this.#onReady(state, message.type === 'ready' ? message.resume ?? null : undefined);
    }
    let launch = launchOf(state);
    if (message.type === 'received') {
      if (launch?.id === message.requestId) launch.received = true;
      return;
    }
    // A clinician who fixes a sign-in or a search in the viewer carries the failed launch through after all.
    // (A failed launch was sent, so its window said ready, and nothing has loaded in it since.)
    if (!launch && this.#failed?.id === message.requestId) (state as { launch: Launch }).launch = launch = this.#failed!;
    if (message.type === 'error') {
      // Without a requestId, an error is about whatever the viewer is doing now: this launch.
      if (launch && (message.requestId === undefined || message.requestId === launch.id)) {
        this.#fail(launch, message.code, false, 'viewer');
        // A viewer that failed before it was ready (its service is down) is loaded again by the next click.
        if (state.kind === 'loading') this.#state = { kind: 'unresponsive', handle: state.handle, origin: state.origin, shown: state.shown };
        // Its error screen may have replaced the record: no one is known to be shown until the viewer says.
        if (state.shown) this.#show(this.#state as OpenWindow, { key: UNKNOWN_PATIENT, by: null });
        this.#changed();
      }
      return;
    }
    if (!launch || launch.phase === 'opening' || message.requestId !== launch.id) {
      // An answer to an earlier launch no longer counts, but an accept still says what the window shows.
      // One of a launch this page never sent (another chart window's, answered here after the viewer
      // reloaded) shows someone this page cannot know.
      if (message.type === 'accepted') {
        this.#show(state, { key: this.#sent.get(message.requestId) ?? UNKNOWN_PATIENT, by: null, id: message.requestId });
        this.#changed();
      }
      return;
    }
    if (message.type === 'match') {
      launch.phase = 'matching';
    } else {
      this.#dropLaunch();
      // What a reject leaves on screen is the viewer's to say (`showing`): the record it had, or none.
      if (message.type === 'accepted') this.#show(state, { key: launch.key, by: launch.listener, id: launch.id });
    }
    launch.listener({ type: message.type });
    this.#changed();
  }

  /**
   * The viewer says which accepted launch it displays (null: none), and since when (`at`): older than the
   * record, it was overtaken on its way. One this page never sent is someone it cannot know. So is a
   * launch under review (`reviewing`) that is not this page's: the viewer may show its patient any moment.
   */
  #reported(state: OpenWindow, requestId: string | null, at: number, reviewing?: string, publish?: boolean): void {
    if (!(at > this.#at)) return;
    this.#at = at;
    this.#reviewing = reviewing;
    // The record it confirms stays as it is: whose launch put it there, or which chart window told of it.
    // One of this page's launch in flight (its accept follows) is that button's: the button it replaces hears so.
    const { shown } = state;
    const launch = launchOf(this.#state);
    const by = launch?.id === requestId ? launch!.listener : null;
    const othersUnderReview = reviewing !== undefined && reviewing !== (launch ?? this.#failed)?.id;
    const record = othersUnderReview
      ? { key: UNKNOWN_PATIENT, by: null }
      : requestId === null ? null : shown?.id === requestId ? shown : { key: this.#sent.get(requestId) ?? UNKNOWN_PATIENT, by, id: requestId };
    this.#show(state, record, publish);
    this.#changed();
  }

  /** `resume`: undefined for a pong, null for a plain `ready`, or the launch the viewer still holds. */
  #onReady(state: Exclude<SessionState, { kind: 'closed' }>, resume: string | null | undefined): void {
    let launch = launchOf(state);
    if (state.kind !== 'ready') {
      this.#state = { ...state, kind: 'ready', launch };
      // The window loaded and speaks the protocol: what `careconnect-ready` means.
      if (launch) launch.listener({ type: 'ready' });
      launch = launchOf(this.#state);
    } else if (launch && launch.phase !== 'opening' && resume !== undefined && resume !== launch.id) {
      // The viewer's page loaded again without this launch, and the token was single use.
      if (launch.mints > MAX_REMINTS) return this.#fail(launch, 'launch-lost', false);
      launch.phase = 'opening';
      this.#arm();
      this.#mintToken(launch);
    }
    this.#trySend();
    this.#changed();
  }

  /** Before the launch is sent: a window that never said ready is a timeout, a ready one lacks its token. */
  #onTimeout = (): void => {
    const state = this.#state;
    const launch = launchOf(state);
    if (state.kind === 'closed' || launch?.phase !== 'opening') return;
    const silent = state.kind !== 'ready';
    if (silent) this.#state = { kind: 'unresponsive', handle: state.handle, origin: state.origin, shown: state.shown };
    this.#fail(launch, silent ? 'viewer-timeout' : 'token-failed', true, 'timeout');
  };

  /** `cause`: why, for the host's logs (never patient data the SDK holds): what a token provider threw, `'timeout'`, `'viewer'` (its own error). */
  #fail(launch: Launch, code: SessionErrorCode, closeFresh = true, cause?: unknown): void {
    this.#dropLaunch();
    if (launch.phase !== 'opening') this.#failed = launch;
    // Never leave a window waiting forever for a launch that cannot come: close one we opened for it.
    // (A token failure is only ever about the launch of a window still open: see #mintToken and #onTimeout.)
    if (closeFresh && launch.fresh && code === 'token-failed') {
      (this.#state as OpenWindow).handle.close();
      this.#ended(false);
    }
    launch.listener({ type: 'error', code, cause });
    this.#changed();
  }

  #arm(): void {
    clearTimeout(this.#timer);
    const launch = launchOf(this.#state);
    this.#timer = launch?.phase === 'opening' ? setTimeout(this.#onTimeout, launch.timeoutMs) : undefined;
  }

  #checkClosed = (): void => {
    const state = this.#state;
    if (state.kind === 'closed') return;
    const launch = launchOf(state);
    // A launch the viewer never acknowledged, while another chart window is its opener, went nowhere.
    if (launch?.phase === 'waiting' && !launch.received && Date.now() - launch.sentAt! > ACK_MS && openerOf(state.handle) !== window) {
      this.#fail(launch, 'launch-lost', false);
    }
    if (!state.handle.closed) return;
    // COOP on the viewer cuts the handle during its first navigation: the window lives on, so this is
    // no user cancel. We can no longer reach it; the pending launch fails now rather than at the timeout.
    const severed = state.kind === 'loading' && Date.now() - state.navigatedAt < COOP_GRACE_MS;
    this.#ended(!severed);
    if (severed && launch) this.#fail(launch, 'viewer-timeout', false);
  };

  /** The window is gone: it shows no one, and every button re-derives its state. */
  #ended(notify: boolean): void {
    this.#detach(); // nothing to hear from or poll until a launch opens a window again
    this.#state = { kind: 'closed' };
    this.#sent.clear();
    this.#reviewing = undefined;
    // Told, unless a chart window told of the window by that name since this handle closed (the closed
    // poll may find it long after, once another chart window opened a new one): closed after the last
    // news this page had of it.
    if (!this.#foreign) {
      this.#at += 0.5;
      this.#publish();
    }
    this.#changed(notify ? 'closed' : 'changed');
  }

  /** Every button re-derives what it shows; `closed` also says the window it may have had a patient in is gone. */
  #changed(type: 'changed' | 'closed' = 'changed'): void {
    for (const listener of [...this.#listeners]) listener({ type });
    for (const watcher of watchers) watcher();
  }

  #attach(): void {
    if (this.#listeners.size === 0 || this.#state.kind === 'closed') return;
    // Adding the same listener again is a no-op: one registration at most.
    window.addEventListener('message', this.#onMessage);
    this.#poll ??= setInterval(this.#checkClosed, CLOSED_POLL_MS);
    if (launchOf(this.#state) && this.#timer === undefined) this.#arm();
  }

  #detach(): void {
    window.removeEventListener('message', this.#onMessage);
    clearInterval(this.#poll);
    this.#poll = undefined;
    this.#dropLaunch();
  }
}

// Every button on the page that targets one viewer shares its window, as a named window is shared.
const sessions = new Map<ViewerId, ViewerSession>();
/** Buttons re-derive their warning when any viewer window changes, not only their location's. */
export const watchers = new Set<() => void>();

export function sessionFor(viewerId: ViewerId): ViewerSession {
  let session = sessions.get(viewerId);
  if (!session) {
    sessions.set(viewerId, (session = new ViewerSession(viewerWindowName(viewerId))));
    // A page that opens or reloads learns what the window shows from a chart window still alive.
    emrChannel()?.postMessage({ hello: true });
  }
  return session;
}

/**
 * The viewer windows of tabs of the EMR with no opener relation to this page (a chart typed in the
 * address bar): each has a secret of its own, so a window of its own, which this page knows only
 * from that tab's news (no handle). A window whose tab never said it closed is taken as still
 * showing its patient: the safe side.
 */
const otherTabSessions = new Map<string, [ViewerId, ViewerSession]>();

function otherTabSession(name: string, viewerId: ViewerId, secret: string): ViewerSession {
  let entry = otherTabSessions.get(name);
  if (!entry) otherTabSessions.set(name, (entry = [viewerId, new ViewerSession(name, secret)]));
  return entry[1];
}

/** A viewer whose window, held by another tab of the EMR, shows another patient than `keyFor` gives for it; undefined when none does. */
export const shownInOtherTab = (keyFor: (viewer: ViewerDescriptor) => string) => showingOther(otherTabSessions.values(), keyFor);

/**
 * A viewer other than `viewerId` whose window (of this EMR: this page's or a chart window's it heard
 * of) shows another patient than the one `keyFor` gives for it; undefined when none does.
 */
export const shownElsewhere = (viewerId: ViewerId, keyFor: (viewer: ViewerDescriptor) => string) => showingOther(sessions, keyFor, viewerId);

/** The viewer of the first of `windows` (but `except`'s) that shows another patient than `keyFor` gives for it. */
function showingOther(windows: Iterable<[ViewerId, ViewerSession]>, keyFor: (viewer: ViewerDescriptor) => string, except?: ViewerId): ViewerDescriptor | undefined {
  for (const [id, session] of windows) if (id !== except && session.view(null, () => keyFor(VIEWERS[id]))[1]) return VIEWERS[id];
}

/** Tests only: what an EMR page reload does to this module, while the viewer windows live on. */
export function forgetViewerSessions(): void {
  sessions.clear();
  otherTabSessions.clear();
  secret = undefined; // read again from the tab's sessionStorage, as a reloaded page does
}
