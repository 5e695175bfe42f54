// Drives the viewer sessions of one <careconnect-button> and turns their events into element events.
// A button can have opened one window per viewer (after a location switch): each has its own record.
import type { ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';
import type { ShownErrorCode } from './messages.js';
import type { ViewerId } from '../core/viewers.js';
import type { LaunchRequest, SessionEvent, SessionListener, ViewerSession } from '../session/viewer-session.js';
import type { CareConnectEventMap, CareConnectViewerDetail } from './events.js';

export type LaunchPhase = 'idle' | 'opening' | 'waiting' | 'matching' | 'showing';

type Describe = (code: ShownErrorCode, viewerId: ViewerId) => string;
type Emit = <K extends keyof CareConnectEventMap>(type: K, detail: CareConnectEventMap[K]['detail']) => void;

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
  /** The message on screen, about the last click or the last launch; cleared when the chart moves on. */
  error: { code: ShownErrorCode; viewerId: ViewerId } | null = null;
  readonly #launches = new Map<ViewerId, ViewerLaunch>();
  readonly #host: ReactiveControllerHost;
  readonly #emit: Emit;
  /** The clinician-facing sentence for an error code about a viewer. */
  readonly #describe: Describe;

  constructor(host: ReactiveControllerHost, emit: Emit, describe: Describe) {
    this.#host = host;
    this.#emit = emit;
    this.#describe = describe;
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
    this.error = null;
    this.#host.requestUpdate();
  }

  /** Errors are always about one viewer: the one clicked for, or the one whose window answered. */
  fail(code: ShownErrorCode, viewerId: ViewerId): void {
    this.error = { code, viewerId };
    this.#host.requestUpdate();
    this.#emit('careconnect-error', { code, message: this.#describe(code, viewerId), viewerId });
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

  #reset(launch: ViewerLaunch): void {
    launch.key = null;
    launch.phase = 'idle';
    this.#host.requestUpdate();
  }

  #onSessionEvent(viewerId: ViewerId, launch: ViewerLaunch, event: SessionEvent): void {
    const { detail } = launch;
    if (event.type === 'closed' || event.type === 'superseded') launch.detail = null;
    if (event.type === 'closed') {
      if (detail) this.#emit('careconnect-close', detail);
    } else if (event.type === 'error') {
      // A window the session closed itself (a failed token) is no longer this button's.
      if (!launch.session.isOpen) launch.detail = null;
      this.#reset(launch);
      return this.fail(event.code, viewerId);
    } else {
      // News from the viewer is newer than a message about an earlier click.
      this.error = null;
      const [next, hostEvent] = ON_EVENT[event.type]!;
      if (next) launch.phase = next;
      if (detail && hostEvent) this.#emit(hostEvent as 'careconnect-ready', detail);
      if (next !== 'idle') return this.#host.requestUpdate();
    }
    this.#reset(launch);
  }
}
