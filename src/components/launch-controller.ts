// Drives the viewer sessions of one <careconnect-button> and turns their events into element events.
// A button can have opened one window per viewer (after a location switch): each has its own record.
import type { ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';
import { VIEWERS, type ViewerId } from '../core/viewers.js';
import { languageOf, message, type ShownErrorCode } from './messages.js';
import type { LaunchRequest, SessionEvent, SessionListener, ViewerSession } from '../session/viewer-session.js';
import type { CareConnectEventMap, CareConnectViewerDetail } from './events.js';

export type LaunchPhase = 'idle' | 'opening' | 'waiting' | 'matching' | 'showing';

/** This button's launch in one viewer's window. */
interface ViewerLaunch {
  session: ViewerSession;
  listener: SessionListener;
  /** The launch this button has in the window; null once it closed or another button took it. */
  detail: CareConnectViewerDetail | null;
  /** The patient (in-memory key) this button put in the viewer, for the wrong-patient guard. */
  key: string | null;
  phase: LaunchPhase;
}

// What each session event does to the button: its next phase, and the event the host hears.
const ON_EVENT: Partial<Record<SessionEvent['type'], [LaunchPhase | null, keyof CareConnectEventMap | null]>> = {
  ready: [null, 'careconnect-ready'],
  sent: ['waiting', null],
  match: ['matching', 'careconnect-match'],
  accepted: ['showing', 'careconnect-accept'],
  rejected: ['idle', 'careconnect-reject'],
  superseded: ['idle', null],
};

export class LaunchController implements ReactiveController {
  /** Each viewer's message, about the last click or launch for it: the button shows its location's. */
  readonly errors = new Map<ViewerId, ShownErrorCode>();
  readonly #launches = new Map<ViewerId, ViewerLaunch>();
  readonly #host: ReactiveControllerHost & HTMLElement;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {
    for (const launch of this.#launches.values()) launch.session.subscribe(launch.listener);
  }

  hostDisconnected(): void {
    for (const launch of this.#launches.values()) launch.session.unsubscribe(launch.listener);
  }

  /** Where this button's launch in `viewerId`'s window stands. */
  stateOf(viewerId: ViewerId | undefined): { phase: LaunchPhase; key: string | null } {
    const launch = viewerId && this.#launches.get(viewerId);
    return launch ? launch : { phase: 'idle', key: null };
  }

  /** Synchronous: the session opens the window inside the click. */
  launch(session: ViewerSession, request: LaunchRequest, detail: CareConnectViewerDetail): void {
    const { viewerId } = detail;
    let launch = this.#launches.get(viewerId);
    if (!launch) {
      const listener: SessionListener = (event) => this.#onSessionEvent(viewerId, launch!, event);
      this.#launches.set(viewerId, (launch = { session, listener, detail: null, key: null, phase: 'idle' }));
      session.subscribe(listener);
    }
    // Before the session runs: a live, ready viewer answers `ready` at once, about this patient.
    launch.detail = detail;
    if (session.launch(request, launch.listener) === 'blocked') {
      launch.detail = null;
      return this.fail('popup-blocked', viewerId);
    }
    launch.key = request.key;
    launch.phase = request.transport === 'form-post' ? 'showing' : 'opening';
    this.errors.delete(viewerId);
    this.#host.requestUpdate();
  }

  /**
   * Errors are always about one viewer: the one clicked for, or the one whose window answered. A
   * late one, about a viewer the chart has moved away from, waits for the chart to come back.
   */
  fail(code: ShownErrorCode, viewerId: ViewerId): void {
    this.errors.set(viewerId, code);
    this.#host.requestUpdate();
    // Named after the viewer the error is about, even if the location has moved on since the click.
    const text = message(code, VIEWERS[viewerId], languageOf(this.#host));
    this.emit('careconnect-error', { code, message: text, viewerId });
  }

  /** Signs out of every viewer this button has a patient in; their windows stay open. */
  logout(): void {
    for (const launch of this.#launches.values()) {
      if (!launch.detail) continue;
      launch.session.logout();
      this.#reset(launch);
    }
  }

  /** Closes every viewer window this button has a patient in; `careconnect-close` follows for each. */
  closeViewer(): void {
    for (const launch of this.#launches.values()) {
      if (launch.detail && launch.session.isOpen) launch.session.close();
      else if (launch.detail) this.#reset(launch);
    }
  }

  /** Fires a host event (all bubble out of shadow roots); false if a cancelable one was canceled. */
  emit<K extends keyof CareConnectEventMap>(type: K, detail: CareConnectEventMap[K]['detail'], cancelable = false): boolean {
    return this.#host.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }));
  }

  #reset(launch: ViewerLaunch): void {
    launch.key = null;
    launch.phase = 'idle';
    this.#host.requestUpdate();
  }

  #onSessionEvent(viewerId: ViewerId, launch: ViewerLaunch, event: SessionEvent): void {
    const { detail } = launch;
    if (event.type === 'closed' || event.type === 'superseded') launch.detail = null;
    if (event.type === 'closed') {
      if (detail) this.emit('careconnect-close', detail);
    } else if (event.type === 'error') {
      // A window the session closed itself (a failed token) is no longer this button's.
      if (!launch.session.isOpen) launch.detail = null;
      this.#reset(launch);
      return this.fail(event.code, viewerId);
    } else {
      // News from the viewer is newer than a message about an earlier click for it.
      this.errors.delete(viewerId);
      const [next, hostEvent] = ON_EVENT[event.type]!;
      if (next) launch.phase = next;
      if (detail && hostEvent) this.emit(hostEvent as 'careconnect-ready', detail);
      if (next !== 'idle') return this.#host.requestUpdate();
    }
    this.#reset(launch);
  }
}
