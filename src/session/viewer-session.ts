// The shell around one viewer window's pure session machine (`session-machine.ts`): it reads what a
// step may know (the clock, the handle's `closed` and `opener`), performs the effects a step returns
// (open, post, focus, timers, the closed poll, the EMR's channel) and feeds back what they bring.
import { ownProperties } from '../core/own-properties.js';
import { envelope } from '../core/protocol.js';
import { VIEWERS, type ViewerDescriptor, type ViewerId } from '../core/viewers.js';
import { digestOf } from './patient-digest.js';
import { INITIAL, launchOf, mustOpen, recordOf, step, type ChannelMessage, type Effect, type Env, type Input, type Launch, type Opened, type LaunchRequest, type SessionListener, type SessionState, type WindowState } from './session-machine.js';

export type { LaunchRequest, SessionErrorCode, SessionEvent, SessionListener, Launch, Shown, WindowState } from './session-machine.js';

/** A popup (not a tab) big enough for a chart viewer; no `noopener`: the SDK needs the handle. */
export const POPUP_FEATURES = 'popup,width=1200,height=900';
export const DEFAULT_TIMEOUT_MS = 20_000;
const CLOSED_POLL_MS = 500;
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

function isBlank(handle: Window): boolean {
  try {
    return handle.location.href === 'about:blank';
  } catch {
    return false; // cross-origin: a viewer page is already there
  }
}

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
  #state: SessionState = INITIAL;
  #poll: ReturnType<typeof setInterval> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Effects still to perform, while some are performed. */
  #queue: Effect[] | undefined;

  /** `secret`: the random part of `name`, this page's unless the window is another tab's. */
  constructor(readonly name: string, readonly secret = windowSecret()) {
    window.addEventListener('pagehide', () => this.#step({ type: 'pagehide' }));
  }

  /** What a step may know of the world now. */
  #env(): Env {
    const state = this.#state.window;
    const handle = state.kind === 'closed' ? undefined : state.handle;
    return { now: Date.now(), closed: !!handle?.closed, ours: !!handle && openerOf(handle) === window, digest: this.#knownDigest };
  }

  /** A digest already worked out, if any: nothing starts. */
  #knownDigest = (key: string) => digestOf(key, this.secret);

  /**
   * One step of the machine, then its effects, in order; what they bring comes back as steps of their own.
   * A step taken while effects are performed (a button's listener, or the host's handler of its event,
   * clicks again) queues its effects after the rest: each step's effects run whole, in the steps' order.
   */
  #step(input: Input, env = this.#env()): Effect[] {
    const { state, effects } = step(this.#state, input, env);
    this.#state = state;
    if (this.#queue) return this.#queue.push(...effects), effects;
    this.#queue = [...effects];
    // One that throws (a button's listener) does not stop the rest: a launch whose timer is never set
    // would wait for ever. The first error is thrown again once all are performed.
    let error: [unknown] | undefined;
    for (let effect; (effect = this.#queue.shift()); ) {
      try {
        this.#perform(effect);
      } catch (cause) {
        error ??= [cause];
      }
    }
    this.#queue = undefined;
    if (error) throw error[0];
    return effects;
  }

  #perform(effect: Effect): void {
    switch (effect.type) {
      case 'tell':
        return effect.listener(effect.event);
      case 'changed':
        for (const listener of this.#state.listeners) listener({ type: effect.event });
        for (const watcher of watchers) watcher();
        return;
      case 'send':
        // Not a launch that a later step, queued meanwhile, replaced (a host that clicked again from
        // `careconnect-ready`): that patient is no longer wanted.
        if (effect.message.type === 'launch' && this.#replaced(effect.message.requestId)) return;
        // Always the viewer's exact origin, never '*': the token must not reach whatever page is there now.
        return effect.handle.postMessage(envelope(effect.message), effect.origin);
      case 'broadcast':
        return emrChannel()?.postMessage({ name: this.name, ...effect.message });
      case 'digest':
        return void digestOf(effect.key, this.secret, () => this.#step({ type: 'publish', reply: effect.reply }));
      case 'focus':
        return effect.handle.focus();
      case 'close':
        return effect.handle.close();
      case 'navigate':
        return effect.handle.location.replace(effect.url);
      case 'mint': {
        const { id, attempt } = effect;
        if (this.#replaced(id)) return; // no token for a launch a later step replaced
        Promise.resolve()
          .then(effect.token)
          .then(
            (token) => this.#step({ type: 'minted', id, attempt, token }),
            (cause) => this.#step({ type: 'minted', id, attempt, cause, threw: true }),
          );
        return;
      }
      case 'post-form': {
        const { key, listener, fresh, previous } = effect;
        const failed = (code: 'blocked-by-policy' | 'launch-lost') => () => this.#step({ type: 'post-failed', code, key, listener, fresh, previous });
        // The legacy transport's code loads on its first use (the bundle's form-post chunk): most EMRs never post.
        import('./form-post.js').then(({ submitForm }) => submitForm(this.name, effect.url, effect.fields, failed('blocked-by-policy')), failed('launch-lost'));
        return;
      }
      case 'arm':
        clearTimeout(this.#timer);
        this.#timer = effect.ms === undefined ? undefined : setTimeout(() => this.#step({ type: 'timeout' }), effect.ms);
        return;
      case 'attach':
        // Adding the same listener again is a no-op: one registration at most.
        window.addEventListener('message', this.#onMessage);
        this.#poll ??= setInterval(() => this.#step({ type: 'poll' }), CLOSED_POLL_MS);
        return;
      case 'detach':
        window.removeEventListener('message', this.#onMessage);
        clearInterval(this.#poll);
        this.#poll = undefined;
    }
  }

  /** The launch `id` is no longer the one in flight: a step after the one that asked for its effect replaced it. */
  #replaced(id: string): boolean {
    return launchOf(this.#state.window)?.id !== id;
  }

  #onMessage = (event: MessageEvent): void => {
    const window = this.#state.window;
    if (window.kind !== 'closed' && event.source === window.handle && event.origin === window.origin) this.#step({ type: 'viewer', data: event.data });
  };

  /** From another chart window of the EMR: what the window shows now, that it launched there, or a question. */
  hear(message: ChannelMessage): void {
    this.#step({ type: 'hear', message });
  }

  /** The window's state, for the tests' legality checks and for reading. */
  get state(): WindowState {
    return this.#state.window;
  }

  get isOpen(): boolean {
    const window = this.#state.window;
    return window.kind !== 'closed' && !window.handle.closed;
  }

  /** Whether the record `shown` is the patient `key`; a digest is compared once worked out, and till then is not. */
  #isPatient(shown: { key: string; digest?: string }, key: string): boolean {
    return shown.digest ? shown.digest === digestOf(key, this.secret, () => this.#perform({ type: 'changed', event: 'changed' })) : shown.key === key;
  }

  /**
   * What a button with the chart's patient `key` derives its state from: the phase of its launch in
   * flight for that patient, else `stale` (the open window shows another patient), `showing` (this
   * one) or `idle`; and whether another patient is shown. `key` is worked out only when the window
   * shows someone or a launch is in flight: most of a long patient list renders without it.
   */
  view(listener: SessionListener | null, key: () => string): [Launch['phase'] | 'stale' | 'showing' | 'idle', boolean] {
    const shown = recordOf(this.#state, !this.isOpen);
    const launch = launchOf(this.#state.window);
    const mine = launch?.listener === listener ? launch : null;
    const patient = shown || mine ? key() : '';
    const other = !!shown && !this.#isPatient(shown, patient);
    return [mine?.key === patient ? mine.phase : other ? 'stale' : shown ? 'showing' : 'idle', other];
  }

  subscribe(listener: SessionListener): void {
    this.#step({ type: 'subscribe', listener });
  }

  unsubscribe(listener: SessionListener): void {
    this.#step({ type: 'unsubscribe', listener });
    // A host that moves the element (re-parenting, a framework re-ordering) disconnects and
    // reconnects it in one task: only a listener still gone after that loses its launch.
    queueMicrotask(() => this.#step({ type: 'left', listener }));
  }

  /**
   * Focuses the window when `key` is already on its way there or shown by this page's own record, and
   * asks the viewer what it shows (its `pong` corrects the record); true if it did.
   */
  focusIfShowing(key: string): boolean {
    return this.#step({ type: 'focus', key }).length > 0;
  }

  /**
   * Opens, recovers or reuses the window and starts a launch. Must run synchronously inside the
   * click, before any `await`: Safari and Firefox block a popup opened after the gesture's task.
   * False when the browser blocked the popup.
   */
  launch(request: LaunchRequest, listener: SessionListener): boolean {
    let opened: Opened | undefined;
    // The world as the click finds it: window.open('', name) below never closes the handle, nor changes its opener for the step.
    const env = this.#env();
    if (mustOpen(this.#state, env)) {
      // '' opens a blank window, or returns the live one of that name: after an EMR page reload, or
      // one another chart window took, which makes this page its opener again (Chromium, Firefox).
      const handle = window.open('', this.name, POPUP_FEATURES);
      if (!handle) return false; // blocked
      opened = { handle, blank: isBlank(handle), topLevel: isTopLevel(handle) };
    }
    this.#step({ type: 'launch', request: { ...request, id: request.id || newRequestId() }, listener, opened }, env);
    return true;
  }

  /** Asks the viewer to sign the user out, ending any launch in progress; the window stays open and shows no one. */
  logout(): void {
    this.#step({ type: 'logout' });
  }

  /** Closes the window; listeners hear `closed`. */
  close(): void {
    this.#step({ type: 'close' });
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
