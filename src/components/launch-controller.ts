// Drives a ViewerSession for one <careconnect-button> and turns its events into element events.
import type { ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';
import type { CareConnectErrorCode } from '../core/errors.js';
import type { ViewerId } from '../core/viewers.js';
import type { LaunchRequest, SessionEvent, ViewerSession } from '../session/viewer-session.js';
import type { CareConnectEventMap } from './events.js';

export type LaunchPhase = 'idle' | 'opening' | 'waiting' | 'matching' | 'showing' | 'error';

type Emit = <K extends keyof CareConnectEventMap>(type: K, detail: CareConnectEventMap[K]['detail']) => void;

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
  phase: LaunchPhase = 'idle';
  error: CareConnectErrorCode | null = null;
  /** The patient (in-memory key) this button put in the viewer, for the wrong-patient guard. */
  viewerKey: string | null = null;
  #session: ViewerSession | null = null;
  /** Every viewer window this button opened: after a location switch there can be two. */
  #sessions = new Set<ViewerSession>();
  /** The launch this button has in the viewer window; null once the window closed or another button took it. */
  #launched: { viewerId: ViewerId; patientId: string | null } | null = null;
  /** Where an error clears back to: a viewer showing a patient does not stop because of a typo. */
  #phaseBeforeError: LaunchPhase = 'idle';

  readonly #host: ReactiveControllerHost;
  readonly #emit: Emit;
  /** The clinician-facing sentence for an error code. */
  readonly #describe: (code: CareConnectErrorCode) => string;

  constructor(host: ReactiveControllerHost, emit: Emit, describe: (code: CareConnectErrorCode) => string) {
    this.#host = host;
    this.#emit = emit;
    this.#describe = describe;
    host.addController(this);
  }

  hostConnected(): void {
    this.#session?.subscribe(this.#onSessionEvent);
  }

  hostDisconnected(): void {
    this.#session?.unsubscribe(this.#onSessionEvent);
  }

  /** The viewer this button launched last, whose window its state describes. */
  get viewerId(): ViewerId | null {
    return this.#launched?.viewerId ?? null;
  }

  /** Synchronous: the session opens the window inside the click. */
  launch(session: ViewerSession, request: LaunchRequest, detail: { viewerId: ViewerId; patientId: string | null }): void {
    if (this.#session !== session) this.#session?.unsubscribe(this.#onSessionEvent);
    this.#session = session;
    this.#sessions.add(session);
    // Before the session runs: a live, ready viewer answers `ready` at once, about this patient.
    this.#launched = detail;
    const outcome = session.launch(request, this.#onSessionEvent);
    if (outcome === 'blocked') return this.fail('popup-blocked', detail.viewerId);
    this.viewerKey = request.key;
    this.error = null;
    this.phase = request.transport === 'form-post' ? 'showing' : 'opening';
    this.#host.requestUpdate();
  }

  fail(code: CareConnectErrorCode, viewerId: ViewerId | null): void {
    if (this.phase !== 'error') this.#phaseBeforeError = this.phase;
    this.phase = 'error';
    this.error = code;
    this.#host.requestUpdate();
    this.#emit('careconnect-error', { code, message: this.#describe(code), viewerId });
  }

  /** Clears an error shown for chart data that has since changed. */
  clearError(): void {
    if (this.phase !== 'error') return;
    this.phase = this.viewerKey && this.#session?.isOpen ? this.#phaseBeforeError : 'idle';
    this.error = null;
  }

  logout(): void {
    for (const session of this.#sessions) session.logout();
    this.viewerKey = null;
    this.phase = 'idle';
    this.#host.requestUpdate();
  }

  closeViewer(): void {
    for (const session of this.#sessions) if (session !== this.#session) session.close();
    this.#sessions.clear();
    if (this.#session?.isOpen) return this.#session.close(); // `closed` follows
    this.viewerKey = null;
    if (this.phase !== 'error') this.phase = 'idle';
    this.#host.requestUpdate();
  }

  #onSessionEvent = (event: SessionEvent): void => {
    const launched = this.#launched;
    if (event.type === 'closed') {
      this.viewerKey = this.#launched = null;
      if (this.phase !== 'error') this.phase = 'idle';
      if (launched) this.#emit('careconnect-close', launched);
    } else if (event.type === 'error') {
      this.viewerKey = null;
      this.#phaseBeforeError = 'idle';
      this.fail(event.code, launched?.viewerId ?? null);
      return;
    } else {
      // News from the viewer is newer than a message about an earlier click.
      this.error = null;
      const [next, hostEvent] = ON_EVENT[event.type]!;
      if (next) this.phase = next;
      if (next === 'idle') this.viewerKey = null;
      if (event.type === 'superseded') this.#launched = null; // another button's window now
      if (launched && hostEvent) this.#emit(hostEvent as 'careconnect-ready', launched);
    }
    this.#host.requestUpdate();
  };
}
