// Drives the viewer sessions of one <careconnect-button> and turns their events into element events.
// What a window shows is the session's record, never copied here: the button derives its state from it.
import type { ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';
import { VIEWERS, type ViewerId } from '../core/viewers.js';
import { languageOf, message, type ShownErrorCode } from './messages.js';
import { sessionFor, watchers, type LaunchRequest, type SessionEvent, type SessionListener, type ViewerSession } from '../session/viewer-session.js';
import type { CareConnectEventMap, CareConnectLogger, CareConnectViewerDetail } from './events.js';

/** The button: the controller tells its `.logger` of each event. */
type Host = ReactiveControllerHost & HTMLElement & { logger?: CareConnectLogger | null };

/** This button's subscription to one viewer's session (a location switch can give it several). */
interface SessionSubscription {
  session: ViewerSession;
  listener: SessionListener;
  /** The patient this button last launched there, for its events; null once the window closed or another button's patient replaced it. */
  detail: CareConnectViewerDetail | null;
}

// The host event each piece of news from the viewer becomes. No prototype: news with no host event
// (`sent`) must not find one on a polluted Object.prototype.
const HOST_EVENTS = {
  __proto__: null,
  ready: 'careconnect-ready',
  match: 'careconnect-match',
  accepted: 'careconnect-accept',
  rejected: 'careconnect-reject',
} as Partial<Record<SessionEvent['type'], keyof CareConnectEventMap>>;

export class LaunchController implements ReactiveController {
  /** Each viewer's message, about the last click or launch for it: the button shows its location's. Written here only. */
  readonly #errors = new Map<ViewerId, ShownErrorCode>();
  /** What the last click for each viewer acted on (the chart's data): its error, about other data, is stale and clears. */
  readonly #clickContexts = new Map<ViewerId, string>();
  readonly #subscriptions = new Map<ViewerId, SessionSubscription>();
  readonly #host: Host;

  constructor(host: Host) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {
    for (const subscription of this.#subscriptions.values()) subscription.session.subscribe(subscription.listener);
    watchers.add(this.#watch);
  }

  hostDisconnected(): void {
    for (const subscription of this.#subscriptions.values()) subscription.session.unsubscribe(subscription.listener);
    watchers.delete(this.#watch);
  }

  /** Any viewer window changed: the warning may be about one this button's location does not pick. */
  #watch = () => this.#host.requestUpdate();

  /** What `viewerId`'s window shows, as the session's `view()` says; the button watches that window from now on. */
  view(viewerId: ViewerId, key: () => string): ReturnType<ViewerSession['view']> {
    const { session, listener } = this.#subscription(viewerId);
    return session.view(listener, key);
  }

  /** A click for `viewerId`, acting on the chart's data as `context` says: the message it may end in is about that. */
  clicked(viewerId: ViewerId, context: string): void {
    this.#clickContexts.set(viewerId, context);
  }

  /** The message the button shows for `viewerId`, while the chart's data (`context`) is still what its click acted on. */
  errorFor(viewerId: ViewerId, context: string): ShownErrorCode | undefined {
    if (this.#clickContexts.get(viewerId) !== context) this.#errors.delete(viewerId);
    return this.#errors.get(viewerId);
  }

  /** A click for the patient already there, or on the way: brings the window forward; true if it did. */
  focus(viewerId: ViewerId, key: string): boolean {
    if (!this.#subscription(viewerId).session.focusIfShowing(key)) return false;
    this.#errors.delete(viewerId);
    this.#host.requestUpdate();
    return true;
  }

  /** Synchronous: the session opens the window inside the click. */
  launch(request: LaunchRequest, detail: CareConnectViewerDetail): void {
    const { viewerId } = detail;
    const subscription = this.#subscription(viewerId);
    // Before the session runs: a live, ready viewer answers at once, about this patient.
    const previous = subscription.detail;
    subscription.detail = detail;
    if (!subscription.session.launch(request, subscription.listener)) {
      subscription.detail = previous;
      return this.fail('popup-blocked', detail);
    }
    this.#errors.delete(viewerId);
    this.#host.requestUpdate();
  }

  /**
   * Errors are always about one viewer: the one clicked for, or the one whose window answered. A
   * late one, about a viewer the chart has moved away from, waits for the chart to come back. The
   * event carries the click's `about` (its viewer, chart and launch ids) and the `cause`, if known.
   */
  fail(code: ShownErrorCode, about: Partial<CareConnectViewerDetail> & { viewerId: ViewerId }, cause?: unknown): void {
    const { viewerId } = about;
    this.#errors.set(viewerId, code);
    this.#host.requestUpdate();
    // Named after the viewer the error is about, even if the location has moved on since the click.
    const text = message(code, VIEWERS[viewerId], languageOf(this.#host));
    this.emit('careconnect-error', { ...about, code, message: text, cause });
  }

  /**
   * Signs out of every viewer this button has used, whoever's patient it shows now (the EMR's logout must
   * not leave another chart's patient open); the windows stay open.
   */
  logout(): void {
    for (const subscription of this.#subscriptions.values()) subscription.session.logout();
  }

  /** Closes every viewer window this button has a patient in; `careconnect-close` follows for each. */
  closeViewer(): void {
    for (const subscription of this.#subscriptions.values()) {
      if (subscription.detail && subscription.session.isOpen) subscription.session.close();
      else subscription.detail = null;
    }
  }

  /**
   * Fires a host event (all bubble out of shadow roots); false if a cancelable one was canceled. Each
   * step of a launch is one: the host's `.logger` hears of it here, with the detail (never patient data).
   */
  emit<K extends keyof CareConnectEventMap>(type: K, detail: CareConnectEventMap[K]['detail'], cancelable = false): boolean {
    try {
      this.#host.logger?.debug(type, detail);
    } catch {} // a broken logger must not break the launch
    return this.#host.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }));
  }

  #subscription(viewerId: ViewerId): SessionSubscription {
    let subscription = this.#subscriptions.get(viewerId);
    if (!subscription) {
      const listener: SessionListener = (event) => this.#onSessionEvent(viewerId, subscription!, event);
      this.#subscriptions.set(viewerId, (subscription = { session: sessionFor(viewerId), listener, detail: null }));
      if (this.#host.isConnected) subscription.session.subscribe(listener);
    }
    return subscription;
  }

  #onSessionEvent(viewerId: ViewerId, subscription: SessionSubscription, event: SessionEvent): void {
    const { detail } = subscription;
    if (event.type === 'closed' || event.type === 'superseded') subscription.detail = null;
    if (event.type === 'closed') {
      if (detail) this.emit('careconnect-close', detail);
    } else if (event.type === 'error') {
      // A window the session closed itself (a failed token) is no longer this button's.
      if (!subscription.session.isOpen) subscription.detail = null;
      return this.fail(event.code, detail ?? { viewerId }, event.cause);
    } else if (event.type !== 'changed' && event.type !== 'superseded') {
      // News from the viewer is newer than a message about an earlier click for it.
      this.#errors.delete(viewerId);
      const hostEvent = HOST_EVENTS[event.type];
      if (detail && hostEvent) this.emit(hostEvent as 'careconnect-ready', detail);
    }
    this.#host.requestUpdate();
  }
}
