// The session with one viewer window as a pure machine: `step(state, input, env)` returns the next state
// and the effects to perform, and touches nothing else. What it may not read itself (the clock, whether
// the handle reads closed, who opened the window last, a digest worked out so far) comes in `env`; what
// it may not do itself (open, post, focus, time, tell a button) goes out as effects, in order. The shell,
// `viewer-session.ts`, performs them. No state is ever changed in place: each step makes new values.
import { parseViewerMessage, type OpenerMessage, type ViewerErrorCode } from '../core/protocol.js';
import type { ViewerTransport } from '../core/viewers.js';

/** A window shows someone this page cannot know (recovered after an EMR reload, or after a viewer error): no patient key equals this. */
export const UNKNOWN_PATIENT = '?';
/** A viewer that loses the launch (its page loaded again without it) gets at most this many fresh tokens per click. */
const MAX_REMINTS = 2;
/** A sent launch the viewer has not acknowledged this soon, while another EMR window is its opener, was lost. */
const ACK_MS = 3_000;
/**
 * A handle that reads `closed` this soon after we navigated, before the viewer said anything, was cut by
 * COOP. WebKit cuts it only once the viewer runs in its new process: up to 2 s after the navigation on a
 * busy machine (Chromium and Firefox: under 0.7 s), and the closed poll adds up to 0.5 s.
 */
const COOP_GRACE_MS = 5_000;

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

type LaunchBase = Readonly<
  LaunchRequest & {
    id: string;
    listener: SessionListener;
    /** Tokens asked for by this click: the first, plus a re-mint each time the viewer lost the launch. */
    mints: number;
    /** The window was opened for this launch: a failed token closes it rather than leave it blank. */
    fresh: boolean;
    /** When it was clicked: news of another chart window's launch sent before then does not end it. */
    at: number;
  }
>;

/**
 * A launch in flight, one shape per phase: minting and waiting for `ready` (`opening`, with the token
 * minted and not yet sent, single use), sent (`waiting`: when, and whether the viewer acknowledged it),
 * or under review (`matching`).
 */
export type Launch = LaunchBase &
  (
    | { readonly phase: 'opening'; readonly minted: string | null }
    | { readonly phase: 'waiting'; readonly sentAt: number; readonly received: boolean }
    | { readonly phase: 'matching' }
  );

/**
 * The one record of the patient a window shows: the key of its last accepted launch (or form POST),
 * or, when another chart window of the EMR put it there, only that patient's `digest`. An accept, a
 * reject, logout, the window closing, the viewer's own report (`showing`) and a viewer error change
 * it; a launch that failed before the viewer had it never does. `by` is the listener whose launch put it there.
 */
export interface Shown {
  readonly key: string;
  readonly by: SessionListener | null;
  /** The accepted launch on screen, when this page sent it. */
  readonly id?: string;
  readonly digest?: string;
}

/** What the EMR's chart windows tell each other (same origin only): a window's record, as a digest; a launch; a newcomer's question. */
export type ChannelMessage = { name?: string; shown?: string | null; id?: string; at?: number; launch?: true; hello?: true; relay?: unknown };

/** A viewer window this page holds: its handle, the origin it is on, and what it shows. */
interface OpenWindow {
  readonly handle: Window;
  readonly origin: string;
  readonly shown: Shown | null;
}

/**
 * `loading`: a page is loading in the window (we opened or navigated it, or recovered it by name and
 * pinged it), no `ready` yet; `navigatedAt` is 0 when a COOP cut is impossible. `unresponsive`: it never
 * said ready, so the next click loads it again. `ready`: a viewer there speaks protocol v1. `posted`:
 * a form POST went there; no protocol.
 */
export type WindowState =
  | { readonly kind: 'closed' }
  | (OpenWindow & { readonly kind: 'loading'; readonly navigatedAt: number; readonly launch: Launch | null })
  | (OpenWindow & { readonly kind: 'unresponsive' | 'posted' })
  | (OpenWindow & { readonly kind: 'ready'; readonly launch: Launch | null });

type Open = Exclude<WindowState, { kind: 'closed' }>;

/** Everything this page knows of one viewer window: no fact about it lives anywhere else. */
export interface SessionState {
  readonly window: WindowState;
  /** While this page holds no handle: the record another chart window of the EMR shared. */
  readonly foreign: Shown | null;
  /**
   * When the record was last true (`Date.now()`, on the clock every window of the machine shares): the
   * viewer's time for what it reported, this page's for what it did (a logout, the window closing), a
   * chart window's for its news. News that is not newer was overtaken on its way, and changes nothing.
   * -1 before any news: even news no one stamped (0) is newer.
   */
  readonly at: number;
  /** Another chart window launched into this window since this page last did: its record here may be old. */
  readonly overtaken: boolean;
  /** Launches sent to this window, `[requestId, key]`, newest last (8 at most): a late accept of one still says what the window shows. */
  readonly sent: ReadonlyArray<readonly [string, string]>;
  /** The last launch sent here that failed: the viewer may still carry it through, and then its answers count. */
  readonly failed: Launch | null;
  /**
   * The launch the viewer last said it reviews (`reviewing`), until it says otherwise (it reports what it
   * shows after every answer): it may show that launch's patient any moment, even one this page gave up since.
   */
  readonly reviewing?: string;
  /** The buttons that watch this window. */
  readonly listeners: readonly SessionListener[];
  /** Whether the launch timer runs. */
  readonly timing: boolean;
}

export const INITIAL: SessionState = { window: { kind: 'closed' }, foreign: null, at: -1, overtaken: false, sent: [], failed: null, listeners: [], timing: false };

/** What a step may know of the world: read by the shell just before it. */
export interface Env {
  now: number;
  /** The window's handle (the state's, as the step starts) reads closed. */
  closed: boolean;
  /** This page opened the window last: the viewer listens to it. */
  ours: boolean;
  /** The digest of a patient key, if already worked out (`?` where the page has no Web Crypto). */
  digest: (key: string) => string | undefined;
}

/** What `window.open('', name)` gave a click: the handle, whether it is blank, and whether it is a top-level window. */
export interface Opened {
  handle: Window;
  blank: boolean;
  topLevel: boolean;
}

export type Input =
  /** A click; `opened` when `mustOpen` said so (the shell stops at a blocked popup). */
  | { type: 'launch'; request: LaunchRequest & { id: string }; listener: SessionListener; opened?: Opened }
  | { type: 'focus'; key: string }
  | { type: 'logout' | 'close' | 'timeout' | 'poll' | 'pagehide' }
  | { type: 'subscribe' | 'unsubscribe' | 'left'; listener: SessionListener }
  /** From another chart window of the EMR: what the window shows now, that it launched there, or a question. */
  | { type: 'hear'; message: ChannelMessage }
  /** From the window's viewer, at its exact origin. */
  | { type: 'viewer'; data: unknown }
  /** A token provider resolved (`token`) or threw (`cause`). */
  | { type: 'minted'; id: string; attempt: number; token?: unknown; cause?: unknown; threw?: true }
  /** A digest the record needed is worked out: tell the others again. */
  | { type: 'publish'; reply?: boolean }
  /** A form POST never left. */
  | { type: 'post-failed'; code: SessionErrorCode; key: string; listener: SessionListener; fresh: boolean; previous: Shown | null };

export type Effect =
  | { type: 'tell'; listener: SessionListener; event: SessionEvent }
  /** Every listener (those subscribed when it is performed) and every watcher re-derives what it shows. */
  | { type: 'changed'; event: 'changed' | 'closed' }
  /** postMessage to the viewer, at its exact origin, never '*'. */
  | { type: 'send'; handle: Window; origin: string; message: OpenerMessage }
  /** To the EMR's other chart windows, with this window's name. */
  | { type: 'broadcast'; message: ChannelMessage }
  /** Work out `key`'s digest, then step `publish` again. */
  | { type: 'digest'; key: string; reply?: boolean }
  | { type: 'focus' | 'close'; handle: Window }
  | { type: 'navigate'; handle: Window; url: string }
  /** Ask the host's token provider, then step `minted`. */
  | { type: 'mint'; id: string; attempt: number; token?: () => Promise<string> }
  /** Submit the legacy form POST into the window; on failure step `post-failed`. */
  | { type: 'post-form'; url: string; fields: Record<string, string>; key: string; listener: SessionListener; fresh: boolean; previous: Shown | null }
  /** Start the launch timer (`ms`), or stop it. */
  | { type: 'arm'; ms?: number }
  /** Listen for the viewer's messages and poll `closed`, or stop. */
  | { type: 'attach' | 'detach' };

// By kind: a polluted Object.prototype.launch is no launch in flight in a closed or posted window.
export const launchOf = (window: WindowState): Launch | null => (window.kind === 'loading' || window.kind === 'ready' ? window.launch : null);

/** The record of who the window shows: its own while it is open (`closed`: its handle reads closed), else what a chart window told. */
export const recordOf = (state: SessionState, closed: boolean): Shown | null => (state.window.kind !== 'closed' && !closed ? state.window.shown : state.foreign);

/** A window must be opened (or found by name) for a click: none is live, or another chart window may have taken it. */
export const mustOpen = (state: SessionState, env: Env): boolean => state.window.kind === 'closed' || env.closed || state.overtaken || !env.ours;

/** The state and effects of one step, built up as it runs; only ever replaced, never changed in place. */
interface Run {
  state: SessionState;
  readonly effects: Effect[];
  readonly env: Env;
  /** The handle the step started with, which `env.closed` is about. */
  readonly handle: Window | undefined;
}

export function step(state: SessionState, input: Input, env: Env): { state: SessionState; effects: Effect[] } {
  const run: Run = { state, effects: [], env, handle: state.window.kind === 'closed' ? undefined : state.window.handle };
  INPUTS[input.type](run, input as never);
  return { state: run.state, effects: run.effects };
}

/** The window while it is open: a handle that reads closed waits for the poll to end it. */
const live = (run: Run): Open | undefined => {
  const window = run.state.window;
  return window.kind !== 'closed' && !(run.env.closed && window.handle === run.handle) ? window : undefined;
};

const emit = (run: Run, effect: Effect) => void run.effects.push(effect);
const set = (run: Run, changes: Partial<SessionState>) => void (run.state = { ...run.state, ...changes });
const setWindow = (run: Run, window: WindowState) => set(run, { window });
const tell = (run: Run, listener: SessionListener, event: SessionEvent) => emit(run, { type: 'tell', listener, event });
const changed = (run: Run, event: 'changed' | 'closed' = 'changed') => emit(run, { type: 'changed', event });
const sentKey = (run: Run, id: string) => run.state.sent.find(([sent]) => sent === id)?.[1];

/** The launch in flight becomes `launch` (null: none), in a window that can hold one. */
function setLaunch(run: Run, launch: Launch | null): void {
  const window = run.state.window;
  if (window.kind === 'loading' || window.kind === 'ready') setWindow(run, { ...window, launch });
}

function send(run: Run, message: OpenerMessage): void {
  const window = live(run);
  if (window) emit(run, { type: 'send', handle: window.handle, origin: window.origin, message });
}

/**
 * What this page did itself (a logout, a form POST) is newer than any news it had, but older than what
 * the viewer says in the same ms: its answer to the logout, say.
 */
const now = (run: Run) => set(run, { at: Math.max(run.env.now - 0.5, run.state.at + 0.5) });

/**
 * Tells the EMR's other chart windows what this window shows now, as digests, and since when: what it
 * learned itself (never what a chart window told it), or, to a newcomer's question (`reply`), whatever
 * it knows. They keep it if it is newer than what they know.
 */
function publish(run: Run, reply?: boolean): void {
  const { window, foreign, reviewing } = run.state;
  const open = live(run);
  const shown = open ? open.shown : reply ? foreign : null;
  // Nothing, or not ours, to tell; nor of a window by that name from a handle that closed (a newer one may hold the name).
  if (reply ? !shown && !open : shown?.digest || (!open && window.kind !== 'closed')) return;
  const launch = launchOf(window);
  let digest: string | null | undefined = shown && (shown.digest ?? (shown.key === UNKNOWN_PATIENT ? UNKNOWN_PATIENT : run.env.digest(shown.key)));
  // While the viewer reviews this page's launch, it may show that patient any moment: unknown to the others.
  // (Not once the viewer reports it accepted: the record is then that launch's, and true.)
  if ((launch && launch.phase !== 'opening' && shown?.id !== launch.id) || reviewing) digest = UNKNOWN_PATIENT;
  if (digest === undefined) return emit(run, { type: 'digest', key: shown!.key, reply });
  // Told as true since then, here too: the same news passed back by another chart window is not newer.
  set(run, { at: Math.max(run.state.at, 0) });
  emit(run, { type: 'broadcast', message: { shown: digest, id: shown?.id, at: run.state.at } });
}

/**
 * The one writer of the record: the window shows `next` now. The button whose patient it replaces is
 * told, and so are the EMR's other chart windows, unless the news came from one of them.
 */
function show(run: Run, next: Shown | null, tellOthers = true): void {
  const window = run.state.window;
  if (window.kind === 'closed') return;
  const by = window.shown?.by;
  setWindow(run, { ...window, shown: next });
  // Replaced by another button's accepted patient, or another chart window's: not by a sign-out or an unknown.
  if (by && (next?.by || next?.digest) && by !== next.by && run.state.listeners.includes(by)) tell(run, by, { type: 'superseded' });
  if (tellOthers) publish(run);
}

function arm(run: Run): void {
  const launch = launchOf(run.state.window);
  const ms = launch?.phase === 'opening' ? launch.timeoutMs : undefined;
  set(run, { timing: ms !== undefined });
  emit(run, { type: 'arm', ms });
}

function dropLaunch(run: Run): void {
  set(run, { failed: null });
  setLaunch(run, null);
  arm(run);
}

/** Another launch takes the window: the button whose launch was in flight is told. */
function supersede(run: Run, listener: SessionListener | null): void {
  const previous = launchOf(run.state.window);
  dropLaunch(run);
  if (previous && previous.listener !== listener) tell(run, previous.listener, { type: 'superseded' });
}

function attach(run: Run): void {
  if (run.state.listeners.length === 0 || run.state.window.kind === 'closed') return;
  emit(run, { type: 'attach' });
  if (launchOf(run.state.window) && !run.state.timing) arm(run);
}

function detach(run: Run): void {
  emit(run, { type: 'detach' });
  dropLaunch(run);
}

function subscribe(run: Run, listener: SessionListener): void {
  if (!run.state.listeners.includes(listener)) set(run, { listeners: [...run.state.listeners, listener] });
  attach(run);
}

function mintToken(run: Run, launch: Launch): void {
  const attempt = launch.mints + 1;
  setLaunch(run, { ...launch, phase: 'opening', minted: null, mints: attempt });
  emit(run, { type: 'mint', id: launch.id, attempt, token: launch.token });
}

function trySend(run: Run): void {
  const window = run.state.window;
  if (window.kind !== 'ready' || !live(run)) return;
  const launch = window.launch;
  if (launch?.phase !== 'opening' || !launch.minted) return;
  send(run, { type: 'launch', requestId: launch.id, token: launch.minted });
  // Single use: a viewer that loses the launch gets a fresh one.
  const { minted, ...rest } = launch;
  setLaunch(run, { ...rest, phase: 'waiting', sentAt: run.env.now, received: false });
  set(run, { sent: [...run.state.sent.filter(([id]) => id !== launch.id), [launch.id, launch.key] as const].slice(-8) });
  // The other chart windows: the viewer reviews this page's patient now, and their launches there are over.
  emit(run, { type: 'broadcast', message: { launch: true, at: run.env.now } });
  // Sent: silence now is a user signing in, which may take minutes, not a failure (but see `poll`).
  arm(run);
  tell(run, launch.listener, { type: 'sent' });
  changed(run);
}

/** `cause`: why, for the host's logs (never patient data the SDK holds): what a token provider threw, `'timeout'`, `'viewer'` (its own error). */
function fail(run: Run, launch: Launch, code: SessionErrorCode, closeFresh = true, cause?: unknown): void {
  dropLaunch(run);
  if (launch.phase !== 'opening') set(run, { failed: launch });
  // Never leave a window waiting forever for a launch that cannot come: close one we opened for it.
  // (A token failure is only ever about the launch of a window still open: see `minted` and `timeout`.)
  const window = run.state.window;
  if (closeFresh && launch.fresh && code === 'token-failed' && window.kind !== 'closed') {
    emit(run, { type: 'close', handle: window.handle });
    ended(run, false);
  }
  tell(run, launch.listener, { type: 'error', code, cause });
  changed(run);
}

/** The window is gone: it shows no one, and every button re-derives its state. */
function ended(run: Run, notify: boolean): void {
  detach(run); // nothing to hear from or poll until a launch opens a window again
  set(run, { window: { kind: 'closed' }, sent: [], reviewing: undefined });
  // Told, unless a chart window told of the window by that name since this handle closed (the closed
  // poll may find it long after, once another chart window opened a new one): closed after the last
  // news this page had of it.
  if (!run.state.foreign) {
    set(run, { at: run.state.at + 0.5 });
    publish(run);
  }
  changed(run, notify ? 'closed' : 'changed');
}

/**
 * The viewer says which accepted launch it displays (null: none), and since when (`at`): older than the
 * record, it was overtaken on its way. One this page never sent is someone it cannot know. So is a
 * launch under review (`reviewing`) that is not this page's: the viewer may show its patient any moment.
 */
function reported(run: Run, requestId: string | null, at: number, reviewing?: string, tellOthers?: boolean): void {
  if (!(at > run.state.at)) return;
  set(run, { at, reviewing });
  // The record it confirms stays as it is: whose launch put it there, or which chart window told of it.
  // One of this page's launch in flight (its accept follows) is that button's: the button it replaces hears so.
  const window = run.state.window as Open;
  const launch = launchOf(window);
  const by = launch?.id === requestId ? launch.listener : null;
  const othersUnderReview = reviewing !== undefined && reviewing !== (launch ?? run.state.failed)?.id;
  const record = othersUnderReview
    ? { key: UNKNOWN_PATIENT, by: null }
    : requestId === null
      ? null
      : window.shown?.id === requestId
        ? window.shown
        : { key: sentKey(run, requestId) ?? UNKNOWN_PATIENT, by, id: requestId };
  show(run, record, tellOthers);
  changed(run);
}

/** `resume`: undefined for a pong, null for a plain `ready`, or the launch the viewer still holds. */
function onReady(run: Run, resume: string | null | undefined): void {
  const window = run.state.window as Open;
  const launch = launchOf(window);
  if (window.kind !== 'ready') {
    setWindow(run, { kind: 'ready', handle: window.handle, origin: window.origin, shown: window.shown, launch });
    // The window loaded and speaks the protocol: what `careconnect-ready` means.
    if (launch) tell(run, launch.listener, { type: 'ready' });
  } else if (launch && launch.phase !== 'opening' && resume !== undefined && resume !== launch.id) {
    // The viewer's page loaded again without this launch, and the token was single use.
    if (launch.mints > MAX_REMINTS) return fail(run, launch, 'launch-lost', false);
    mintToken(run, launch);
    arm(run);
  }
  trySend(run);
  changed(run);
}

/**
 * What the viewer says, or (`relayed`) what it said to another chart window, its opener now, about this
 * page's launch: a viewer whose page loaded again knows only its opener, not the window that launched.
 */
function fromViewer(run: Run, data: unknown, relayed?: boolean): void {
  const message = parseViewerMessage(data);
  if (!message) return;
  const about = (message as { requestId?: string }).requestId;
  const showing = message.type === 'showing';
  // What the page shows goes on to every chart window too: the viewer reaches only its openers, and one
  // that knew newer news (a launch) may not take it, while another that launched since must.
  const others = !showing && about && sentKey(run, about) === undefined;
  if (!relayed && (showing || others)) emit(run, { type: 'broadcast', message: { relay: data } });
  if (relayed ? !showing && about !== (launchOf(run.state.window) ?? run.state.failed)?.id : others) return;
  if (showing) return reported(run, message.requestId, message.at, message.reviewing, !relayed);
  if (message.type === 'ready' || message.type === 'pong') {
    if (message.type === 'pong' && message.showing !== undefined) reported(run, message.showing, message.at!, message.reviewing);
    return onReady(run, message.type === 'ready' ? message.resume ?? null : undefined);
  }
  let launch = launchOf(run.state.window);
  if (message.type === 'received') {
    if (launch?.phase === 'waiting' && launch.id === message.requestId) setLaunch(run, { ...launch, received: true });
    return;
  }
  // A clinician who fixes a sign-in or a search in the viewer carries the failed launch through after all.
  // (A failed launch was sent, so its window said ready, and nothing has loaded in it since.)
  if (!launch && run.state.failed?.id === message.requestId) {
    setLaunch(run, run.state.failed);
    launch = launchOf(run.state.window);
  }
  if (message.type === 'error') {
    // Without a requestId, an error is about whatever the viewer is doing now: this launch.
    if (launch && (message.requestId === undefined || message.requestId === launch.id)) {
      fail(run, launch, message.code, false, 'viewer');
      const window = run.state.window as Open;
      // A viewer that failed before it was ready (its service is down) is loaded again by the next click.
      if (window.kind === 'loading') setWindow(run, { kind: 'unresponsive', handle: window.handle, origin: window.origin, shown: window.shown });
      // Its error screen may have replaced the record: no one is known to be shown until the viewer says.
      if (window.shown) show(run, { key: UNKNOWN_PATIENT, by: null });
      changed(run);
    }
    return;
  }
  if (!launch || launch.phase === 'opening' || message.requestId !== launch.id) {
    // An answer to an earlier launch no longer counts, but an accept still says what the window shows.
    // One of a launch this page never sent (another chart window's, answered here after the viewer
    // reloaded) shows someone this page cannot know.
    if (message.type === 'accepted') {
      show(run, { key: sentKey(run, message.requestId) ?? UNKNOWN_PATIENT, by: null, id: message.requestId });
      changed(run);
    }
    return;
  }
  if (message.type === 'match') {
    setLaunch(run, { ...launch, phase: 'matching' });
  } else {
    dropLaunch(run);
    // What a reject leaves on screen is the viewer's to say (`showing`): the record it had, or none.
    if (message.type === 'accepted') show(run, { key: launch.key, by: launch.listener, id: launch.id });
  }
  tell(run, launch.listener, { type: message.type });
  changed(run);
}

/**
 * Opens, recovers or reuses the window and starts a launch (the shell opened the window first, inside
 * the click, when `mustOpen` said so).
 */
function launch(run: Run, { request, listener, opened }: Extract<Input, { type: 'launch' }>): void {
  const reused = !!live(run);
  let window = live(run);
  let fresh = false;
  if (opened) {
    const { handle } = opened;
    if (window && handle !== window.handle) {
      // WebKit finds no window another page took, and opened a new one: keep ours, whose viewer
      // still takes messages from a window that was once its opener.
      if (opened.blank) emit(run, { type: 'close', handle });
    } else if (!opened.topLevel) {
      // A frame that took the window's name is no viewer window: a launch never goes there.
      return tell(run, listener, { type: 'error', code: 'launch-lost' });
    } else if (!window) {
      fresh = opened.blank;
      // A recovered window shows what a chart window still alive said, or someone this page cannot know.
      const shown = fresh ? null : run.state.foreign ?? { key: UNKNOWN_PATIENT, by: null };
      setWindow(run, (window = { kind: 'loading', handle, origin: request.origin, shown, navigatedAt: 0, launch: null }));
    }
  }
  window = window!;
  if (reused) emit(run, { type: 'focus', handle: window.handle });
  set(run, { foreign: null, overtaken: false });
  supersede(run, listener);
  subscribe(run, listener);
  const { handle, shown } = window;
  const origin = request.origin;

  if (request.transport === 'form-post') {
    emit(run, { type: 'post-form', url: request.url, fields: request.fields ?? {}, key: request.key, listener, fresh, previous: shown });
    // No protocol: the patient posted is taken as shown, as a user of the legacy integration expects.
    const posted = { key: request.key, by: listener };
    now(run);
    show(run, posted);
    setWindow(run, { kind: 'posted', handle, origin, shown: posted });
    return changed(run);
  }

  const next: Launch = { ...request, phase: 'opening', listener, mints: 0, minted: null, fresh, at: run.env.now };
  const stale = window.kind === 'unresponsive' || window.kind === 'posted' || window.origin !== origin;
  if (fresh || (reused && stale)) {
    emit(run, { type: 'navigate', handle, url: request.url });
    setWindow(run, { kind: 'loading', handle, origin, shown, navigatedAt: run.env.now, launch: next });
  } else if (window.kind === 'loading') {
    if (!reused) send(run, { type: 'ping' }); // a recovered window: is a viewer there, and does it speak v1?
    setWindow(run, { ...window, launch: next });
  } else {
    setWindow(run, { kind: 'ready', handle, origin, shown, launch: next });
  }
  attach(run); // and arms the timer for the new launch
  mintToken(run, next);
  trySend(run);
  changed(run);
}

const INPUTS: { [K in Input['type']]: (run: Run, input: Extract<Input, { type: K }>) => void } = {
  launch,

  /**
   * Focuses the window when `key` is already on its way there or shown by this page's own record, and
   * asks the viewer what it shows (its `pong` corrects the record). Never when another chart window
   * may have launched there since: the click then launches again.
   */
  focus(run, { key }) {
    const window = live(run);
    if (!window || run.state.overtaken || !run.env.ours || (launchOf(window)?.key ?? window.shown?.key) !== key) return;
    emit(run, { type: 'focus', handle: window.handle });
    if (window.kind === 'ready') send(run, { type: 'ping' });
  },

  /** Asks the viewer to sign the user out, ending any launch in progress; the window stays open and shows no one. */
  logout(run) {
    dropLaunch(run);
    set(run, { sent: [] }); // signed out, the viewer shows no one: a late answer to an earlier launch is moot
    send(run, { type: 'logout' });
    // Signed out, the viewer shows no one, if the logout reached it (another chart window may have taken
    // it since): unknown until it says so (`showing`).
    if (live(run)) {
      now(run);
      show(run, { key: UNKNOWN_PATIENT, by: null });
    }
    changed(run);
  },

  close(run) {
    const window = run.state.window;
    if (window.kind === 'closed') return;
    emit(run, { type: 'close', handle: window.handle });
    ended(run, true);
  },

  subscribe: (run, { listener }) => subscribe(run, listener),

  unsubscribe(run, { listener }) {
    set(run, { listeners: run.state.listeners.filter((other) => other !== listener) });
  },

  /** A listener still gone a task after it unsubscribed (not moved in the page) loses its launch. */
  left(run, { listener }) {
    if (run.state.listeners.includes(listener)) return;
    if (launchOf(run.state.window)?.listener === listener) dropLaunch(run);
    if (run.state.listeners.length === 0) detach(run);
  },

  hear(run, { message }) {
    if (message.hello) return publish(run, true);
    // The viewer's answer to this page's launch, which reached the window that is its opener now.
    const open = live(run);
    if (message.relay) return void (open && fromViewer(run, message.relay, true));
    if (message.launch) {
      set(run, { overtaken: true });
      // A launch clicked here after that one was sent replaces it in the viewer (which answers that one busy).
      if (!(launchOf(run.state.window)?.at! > message.at!)) supersede(run, null);
    }
    // A page whose own handle is to a window that closed holds none (`live`): news is of the window by that name now.
    if (!(message.at! > run.state.at)) return changed(run);
    set(run, { at: message.at! });
    // A launch from another chart window: the window reviews that window's patient now, and what it will
    // show is unknown here until that window tells (it may close first): '?' is a digest no patient has.
    const record = message.launch ? UNKNOWN_PATIENT : message.shown;
    if (record !== undefined) {
      // With the accepted launch's id: the viewer's own report of it (`showing`) then agrees.
      const shown = record === null ? null : { key: '', by: null, digest: typeof record === 'string' ? record : UNKNOWN_PATIENT, id: message.id };
      if (open) show(run, shown, false);
      else set(run, { foreign: shown });
      // And on, as an answer: a newcomer this page answered before the news came here may not have it
      // (its sender may have closed); the others, who have it, drop it as not newer. Not launch news,
      // whose sender would take its own news back as newer than what it knows.
      if (!message.launch) publish(run, true);
    }
    changed(run);
  },

  viewer: (run, { data }) => fromViewer(run, data),

  minted(run, input) {
    const launch = launchOf(run.state.window);
    if (launch?.phase !== 'opening' || launch.id !== input.id || launch.mints !== input.attempt) return;
    // The host's own error, as it threw it; or what it resolved instead, by its type only: the value
    // itself might be the request, health number and all.
    const { token } = input;
    if (input.threw) return fail(run, launch, 'token-failed', true, input.cause);
    if (typeof token !== 'string' || token === '') return fail(run, launch, 'token-failed', true, typeof token);
    setLaunch(run, { ...launch, minted: token });
    trySend(run);
  },

  /** Before the launch is sent: a window that never said ready is a timeout, a ready one lacks its token. */
  timeout(run) {
    const window = run.state.window;
    const launch = launchOf(window);
    if (window.kind === 'closed' || launch?.phase !== 'opening') return;
    const silent = window.kind !== 'ready';
    if (silent) setWindow(run, { kind: 'unresponsive', handle: window.handle, origin: window.origin, shown: window.shown });
    fail(run, launch, silent ? 'viewer-timeout' : 'token-failed', true, 'timeout');
  },

  poll(run) {
    const window = run.state.window;
    if (window.kind === 'closed') return;
    const launch = launchOf(window);
    // A launch the viewer never acknowledged, while another chart window is its opener, went nowhere.
    if (launch?.phase === 'waiting' && !launch.received && run.env.now - launch.sentAt > ACK_MS && !run.env.ours) {
      fail(run, launch, 'launch-lost', false);
    }
    if (!run.env.closed) return;
    // COOP on the viewer cuts the handle during its first navigation: the window lives on, so this is
    // no user cancel. We can no longer reach it; the pending launch fails now rather than at the timeout.
    const severed = window.kind === 'loading' && run.env.now - window.navigatedAt < COOP_GRACE_MS;
    ended(run, !severed);
    if (severed && launch) fail(run, launch, 'viewer-timeout', false);
  },

  publish: (run, { reply }) => publish(run, reply),

  /**
   * The page leaves. One that leaves while the viewer holds its launch can no longer hear it answered
   * (the answer comes here): the window may show its patient any moment, so every other chart window
   * takes it as unknown.
   */
  pagehide(run) {
    const { window, failed, reviewing } = run.state;
    if (launchOf(window) || failed || reviewing) emit(run, { type: 'broadcast', message: { shown: UNKNOWN_PATIENT, at: run.env.now } });
  },

  /** The POST never left (the page's CSP stopped it, or its code did not load): the window shows what it did before, and a blank one is closed. */
  'post-failed'(run, { code, key, listener, fresh, previous }) {
    const window = run.state.window;
    if (window.kind !== 'posted' || window.shown?.key !== key || window.shown.by !== listener) return; // a later launch took it
    if (fresh) {
      emit(run, { type: 'close', handle: window.handle });
      ended(run, false);
    } else {
      show(run, previous);
    }
    tell(run, listener, { type: 'error', code });
    changed(run);
  },
};
