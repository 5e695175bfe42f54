// A small, deterministic model of the browser around the session, for walks in Node: EMR chart windows
// (each with its own copy of the SDK's session module, as each page loads its own), viewer windows found
// by name, opener relations, postMessage with exact target origins and sources, BroadcastChannel
// among the EMR's windows, sessionStorage copied to a window opened by another, and a clock with timers.
// Nothing is delivered until the walk says so, so a walk picks the order in which news arrives.
// Chromium's and Firefox's rules for named windows: any EMR window finds the viewer window by name and
// becomes its opener. (WebKit's differ; the browser walk covers them.)
import { createHash, webcrypto } from 'node:crypto';
import type * as SessionModule from '../../src/session/viewer-session.js';

export const EMR_ORIGIN = 'https://emr.example';
export const VIEWER_ORIGIN = 'https://viewer.example';

type Listener = (event: { data: unknown; origin: string; source: unknown }) => void;

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, String(value));
  removeItem = (key: string) => void this.items.delete(key);
}

/** One browsing context of the EMR's origin: it outlives the documents loaded in it (a reload keeps it). */
export class ChartSlot {
  alive = true;
  /** The document's life: a reload starts a new one, and the old one's listeners and timers are gone. */
  life = 0;
  listeners = new Set<Listener>();
  /** The document's `pagehide` listeners: they run as it leaves (a reload, the window closing). */
  hideListeners = new Set<() => void>();
  readonly storage: MemoryStorage;
  /** What the page's code sees as `window`. */
  readonly window: Record<string, unknown>;
  constructor(
    readonly sim: BrowserSim,
    readonly instance: ModuleInstance,
    readonly opener: ChartSlot | null,
  ) {
    // A window opened by another starts with a copy of its opener's sessionStorage.
    this.storage = new MemoryStorage();
    for (const [key, value] of opener?.storage.items ?? []) this.storage.setItem(key, value);
    const slot = this;
    this.window = {
      get opener() {
        return slot.opener?.alive ? slot.opener.window : null;
      },
      get sessionStorage() {
        return slot.storage;
      },
      get closed() {
        return !slot.alive;
      },
      addEventListener: (type: string, listener: Listener) => (type === 'message' ? slot.listeners.add(listener) : type === 'pagehide' && slot.hideListeners.add(listener as () => void)),
      removeEventListener: (type: string, listener: Listener) => type === 'message' && slot.listeners.delete(listener),
      open: (url: string, name: string) => sim.open(slot, url, name),
    };
  }
}

/** One copy of the session module, as a page loads it; reused by the next page in its place, forgetting its sessions. */
export interface ModuleInstance {
  module: typeof SessionModule;
  slot: ChartSlot | null;
}

/** A viewer window, on the viewer's origin once something loaded there. */
export class ViewerWindow {
  closed = false;
  /** `blank` until a navigation commits; a navigation waits in `navigatingTo`. */
  loaded = false;
  navigatingTo: string | null = null;
  loads = 0;
  opener: ChartSlot;
  readonly storage = new MemoryStorage();
  listeners = new Set<Listener>();
  /** Each EMR window's own handle on this window, as each has its own WindowProxy. */
  readonly #handles = new Map<ChartSlot, object>();
  /** This window's view of each EMR window, the `source` of what they post here. */
  readonly #refs = new Map<ChartSlot, object>();
  constructor(readonly sim: BrowserSim, readonly name: string, opener: ChartSlot) {
    this.opener = opener;
  }

  handleFor(slot: ChartSlot): object {
    let handle = this.#handles.get(slot);
    if (!handle) {
      const viewer = this;
      handle = {
        get closed() {
          return viewer.closed;
        },
        get opener() {
          return viewer.opener.alive ? viewer.opener.window : null;
        },
        get top() {
          return handle;
        },
        location: {
          get href() {
            if (viewer.loaded) throw new DOMException('Blocked a frame with origin from accessing a cross-origin frame.', 'SecurityError');
            return 'about:blank';
          },
          replace: (url: string) => void (viewer.navigatingTo = url),
        },
        focus: () => {},
        close: () => viewer.close(),
        postMessage: (data: unknown, targetOrigin: string) => {
          // A blank window or one mid-navigation is not on the viewer's origin: the message is dropped.
          if (viewer.loaded && !viewer.closed && targetOrigin === VIEWER_ORIGIN) {
            // It goes to the page there now: one that loads before it arrives never gets it (as the
            // viewer's messages reach only the chart page they were posted to, below).
            const load = viewer.loads;
            this.sim.enqueue(`to-viewer-${this.sim.slots.indexOf(slot)}`, () => viewer.loads === load && viewer.deliver(data, this.refFor(slot)), data);
          }
        },
      };
      this.#handles.set(slot, handle);
    }
    return handle;
  }

  /** The EMR window `slot` as this window sees it (its `opener`, and the `source` of its messages). */
  refFor(slot: ChartSlot): object {
    let ref = this.#refs.get(slot);
    if (!ref) {
      const viewer = this;
      ref = {
        get closed() {
          return !slot.alive;
        },
        postMessage: (data: unknown, targetOrigin: string) => {
          if (targetOrigin !== EMR_ORIGIN) return;
          const life = slot.life;
          this.sim.enqueue(`from-viewer-${this.sim.slots.indexOf(slot)}`, () => {
            if (slot.alive && slot.life === life && !viewer.closed) this.sim.dispatch(slot, { data, origin: VIEWER_ORIGIN, source: viewer.handleFor(slot) });
          }, data);
        },
      };
      this.#refs.set(slot, ref);
    }
    return ref;
  }

  /** What the viewer's page sees as `window`. */
  pageWindow(): Record<string, unknown> {
    const viewer = this;
    const load = this.loads;
    return {
      get opener() {
        return viewer.refFor(viewer.opener);
      },
      get sessionStorage() {
        return viewer.storage;
      },
      addEventListener: (type: string, listener: Listener) => type === 'message' && load === viewer.loads && viewer.listeners.add(listener),
      removeEventListener: (type: string, listener: Listener) => type === 'message' && viewer.listeners.delete(listener),
    };
  }

  deliver(data: unknown, source: object): void {
    if (this.closed || !this.loaded) return;
    for (const listener of [...this.listeners]) listener({ data, origin: EMR_ORIGIN, source });
  }

  close(): void {
    this.closed = true;
    this.listeners.clear();
  }
}

interface Pending {
  queue: string;
  deliver: () => void;
  /** What it carries, for a failing walk's trace. */
  label: string;
}

interface Timer {
  id: number;
  due: number;
  every: number;
  slot: ChartSlot;
  life: number;
  run: () => void;
}

/** The model browser the globals belong to now: a module copy's channel, made in an earlier walk, posts into this one. */
let active: BrowserSim | undefined;
const channels = new Set<SimBroadcastChannel>();

/** BroadcastChannel among the EMR's windows: news reaches every other window's channel of that name, later. */
class SimBroadcastChannel {
  readonly #instance: ModuleInstance;
  readonly #listeners = new Set<(event: { data: unknown }) => void>();
  constructor(readonly name: string) {
    this.#instance = active!.current!.instance;
    channels.add(this);
  }
  get slot() {
    return this.#instance.slot;
  }
  addEventListener(_type: 'message', listener: (event: { data: unknown }) => void) {
    this.#listeners.add(listener);
  }
  postMessage(data: unknown) {
    const sim = active!;
    const from = this.slot;
    // Structured clone, as the channel does: no object is shared between windows.
    const copy = structuredClone(data);
    const tag = sim.tagChannelPost?.(from!, copy);
    for (const channel of channels) {
      const to = channel.slot;
      if (channel === this || !to?.alive || to.sim !== sim || channel.name !== this.name) continue;
      const life = to.life;
      sim.enqueue(`channel-${sim.slots.indexOf(from!)}-${sim.slots.indexOf(to)}`, () => {
        if (to.alive && to.life === life && channel.slot === to) {
          sim.onChannelMessage?.(to, copy, tag);
          sim.as(to, () => channel.receive(copy));
        }
      }, copy);
    }
  }
  receive(data: unknown) {
    for (const listener of [...this.#listeners]) listener({ data });
  }
}

/** The browser: the clock, the queues of news in flight, the EMR's windows and the viewer windows. */
export class BrowserSim {
  now = 1_000_000;
  readonly slots: ChartSlot[] = [];
  readonly viewers: ViewerWindow[] = [];
  pending: Pending[] = [];
  #timers: Timer[] = [];
  #nextTimer = 1;
  /** The EMR window whose code runs now: `window` and `sessionStorage` are its. */
  current: ChartSlot | null = null;
  /** Called as a window posts to the channel; what it returns travels with the news, to `onChannelMessage`. */
  tagChannelPost?: (from: ChartSlot, data: unknown) => unknown;
  /** Called as news from the channel reaches a window. */
  onChannelMessage?: (slot: ChartSlot, data: unknown, tag: unknown) => void;
  /** The next window.open is blocked by the popup blocker. */
  blockNextPopup = false;

  /** Every delivery so far, for a failing walk's trace. */
  readonly delivered: string[] = [];

  enqueue(queue: string, deliver: () => void, data?: unknown): void {
    const label = `${queue} ${JSON.stringify(data, (key, value) => (key === 'protocol' || key === 'version' || key === 'token' ? undefined : value))}`;
    this.pending.push({ queue, deliver, label });
  }

  /** Delivers the oldest news of one queue (per sender and receiver, news keeps its order). */
  deliverOne(pick: number): boolean {
    if (this.pending.length === 0) return false;
    const queue = this.pending[pick % this.pending.length]!.queue;
    const index = this.pending.findIndex((item) => item.queue === queue);
    const [item] = this.pending.splice(index, 1);
    // Every event takes the clock on: a window's news is never as old as what caused it.
    this.now++;
    this.delivered.push(item!.label);
    item!.deliver();
    return true;
  }

  /** The document in `slot` leaves (a reload, or the window closing): its `pagehide` listeners run, as its code. */
  leave(slot: ChartSlot): void {
    this.as(slot, () => {
      for (const listener of slot.hideListeners) listener();
    });
    slot.hideListeners.clear();
  }

  /** Runs `code` as EMR window `slot`'s. */
  as<T>(slot: ChartSlot, code: () => T): T {
    const previous = this.current;
    this.current = slot;
    Object.assign(globalThis, { window: slot.window, sessionStorage: slot.storage });
    try {
      return code();
    } finally {
      this.current = previous;
      if (previous) Object.assign(globalThis, { window: previous.window, sessionStorage: previous.storage });
    }
  }

  dispatch(slot: ChartSlot, event: { data: unknown; origin: string; source: unknown }): void {
    this.as(slot, () => {
      for (const listener of [...slot.listeners]) listener(event);
    });
  }

  open(slot: ChartSlot, url: string, name: string): object | null {
    if (url !== '') throw new Error('the session opens its window with an empty URL, then navigates it');
    if (this.blockNextPopup) {
      this.blockNextPopup = false;
      return null;
    }
    // Chromium and Firefox: a named window of the same browsing context group is found, and the
    // window that found it becomes its opener.
    let viewer = this.viewers.find((candidate) => !candidate.closed && candidate.name === name);
    if (viewer) viewer.opener = slot;
    else this.viewers.push((viewer = new ViewerWindow(this, name, slot)));
    return viewer.handleFor(slot);
  }

  openViewer(): ViewerWindow | undefined {
    return this.viewers.find((viewer) => !viewer.closed);
  }

  setTimeout = (run: () => void, ms = 0): number => this.#schedule(run, ms, 0);
  setInterval = (run: () => void, ms = 0): number => this.#schedule(run, ms, Math.max(1, ms));
  clearTimer = (id: number | undefined): void => {
    this.#timers = this.#timers.filter((timer) => timer.id !== id);
  };

  #schedule(run: () => void, ms: number, every: number): number {
    const slot = this.current;
    if (!slot) throw new Error('a timer set outside any EMR window');
    const id = this.#nextTimer++;
    this.#timers.push({ id, due: this.now + Math.max(0, Number(ms) || 0), every, slot, life: slot.life, run });
    return id;
  }

  /** Moves the clock on, running each timer that falls due, in order, as its window's code; `settle` after each. */
  async advance(ms: number, settle: () => Promise<void>): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      this.#timers = this.#timers.filter((timer) => timer.slot.alive && timer.slot.life === timer.life);
      const next = this.#timers.reduce<Timer | undefined>((soonest, timer) => (!soonest || timer.due < soonest.due ? timer : soonest), undefined);
      if (!next || next.due > end) break;
      this.now = Math.max(this.now, next.due);
      if (next.every) next.due += next.every;
      else this.#timers = this.#timers.filter((timer) => timer !== next);
      this.as(next.slot, next.run);
      await settle();
    }
    this.now = end;
  }

  /** Installs the model as the globals the session module reads; returns the way back. */
  install(): () => void {
    const saved = {
      window: Object.getOwnPropertyDescriptor(globalThis, 'window'),
      sessionStorage: Object.getOwnPropertyDescriptor(globalThis, 'sessionStorage'),
      BroadcastChannel: Object.getOwnPropertyDescriptor(globalThis, 'BroadcastChannel'),
      crypto: Object.getOwnPropertyDescriptor(globalThis, 'crypto'),
      setTimeout: globalThis.setTimeout,
      setInterval: globalThis.setInterval,
      clearTimeout: globalThis.clearTimeout,
      clearInterval: globalThis.clearInterval,
      now: Date.now,
    };
    active = this;
    // Digests resolve as microtasks here, so a walk's step settles them before the next one.
    const subtle = { digest: async (_algorithm: string, data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest()).buffer };
    Object.defineProperty(globalThis, 'crypto', { configurable: true, value: { subtle, getRandomValues: (array: Uint32Array) => webcrypto.getRandomValues(array) } });
    Object.defineProperty(globalThis, 'BroadcastChannel', { configurable: true, writable: true, value: SimBroadcastChannel });
    Object.defineProperty(globalThis, 'window', { configurable: true, writable: true, value: undefined });
    Object.defineProperty(globalThis, 'sessionStorage', { configurable: true, writable: true, value: undefined });
    Object.assign(globalThis, { setTimeout: this.setTimeout, setInterval: this.setInterval, clearTimeout: this.clearTimer, clearInterval: this.clearTimer });
    Date.now = () => this.now;
    return () => {
      for (const key of ['window', 'sessionStorage', 'BroadcastChannel', 'crypto'] as const) {
        const descriptor = saved[key];
        if (descriptor) Object.defineProperty(globalThis, key, descriptor);
        else delete (globalThis as Record<string, unknown>)[key];
      }
      Object.assign(globalThis, { setTimeout: saved.setTimeout, setInterval: saved.setInterval, clearTimeout: saved.clearTimeout, clearInterval: saved.clearInterval });
      Date.now = saved.now;
      active = undefined;
    };
  }
}
