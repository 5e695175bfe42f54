// The viewer's side of launch protocol v1, for a viewer operator's page: who may launch it, what it
// says, and the launch it keeps (by reference only) across a sign-in that leaves its origin.
import { parseOpenerMessage } from '../core/opener-message.js';
import { envelope, type ViewerErrorCode, type ViewerMessage } from '../core/protocol.js';

/** What the page shows when it can no longer reach the EMR window that opened it. */
export const LOST_LINK_NOTICE = 'This window lost its link to your EMR: close it and click the button again';

/** The `sessionStorage` key of the launch kept across a redirect: its requestId, never the token or the PHN. */
export const LAUNCH_KEY = 'careconnect-launch';

/** The `sessionStorage` key of the accepted launch on screen (its requestId only), for `pong` and `showing`. */
export const SHOWING_KEY = 'careconnect-showing';
/** The `sessionStorage` key of when the record on screen last changed (`Date.now()`), for `pong` and `showing`. */
export const SHOWN_AT_KEY = 'careconnect-shown-at';

const isOrigin = (value: unknown): boolean => {
  try {
    // WebKit and Node keep a '*' in a host: such an origin can never equal an event's.
    return new URL(value as string).origin === value && !(value as string).includes('*');
  } catch {
    return false;
  }
};

/** A launch as it arrives: hand `token` to your verifier at once, before any sign-in. */
export interface ViewerLaunch {
  requestId: string;
  token: string;
  /** The EMR origin it came from, one of `emrOrigins`. */
  origin: string;
}

export interface ViewerLinkOptions {
  /** The exact EMR origins (`https://emr.example`) allowed to launch this viewer; never `*`. */
  emrOrigins: readonly string[];
  /** Called at once with each launch. Verify and claim the token here, then sign the user in. */
  onLaunch(launch: ViewerLaunch): void;
  /** The EMR asked to sign the user out. */
  onLogout?(): void;
  /**
   * The window lost its opener (COOP on a page it visited, or the EMR tab closed). Without this
   * callback, a `role="alert"` paragraph with `LOST_LINK_NOTICE` goes at the top of the body.
   */
  onLostLink?(): void;
  /** For tests: the viewer's window. */
  window?: Window;
}

/**
 * One viewer page's link to the EMR window that opened it. Accepts only messages whose origin is
 * one of `emrOrigins` exactly and whose source is `window.opener`, or a window that was its opener
 * while this page was loaded (WebKit lets an EMR chart window that lost the opener to another chart
 * window post to it but not take it back by name); answers the window that spoke last, on its origin.
 */
export class ViewerLink {
  readonly #win: Window;
  readonly #options: ViewerLinkOptions;
  #origin: string | undefined;
  #lost = false;
  /** Every window seen as this page's opener. */
  readonly #openers = new Set<Window>();
  /** The EMR window this page answers: the one whose launch it holds. */
  #peer: Window | null = null;
  /** The launch held and not answered yet (accepted, rejected or an error); after a page load, one not on show. */
  #unanswered: string | null;

  constructor(options: ViewerLinkOptions) {
    const origins = [...options.emrOrigins];
    // An origin is exactly scheme://host[:port]: a path, a trailing slash or '*' would widen or break the check.
    if (!origins.length || !origins.every(isOrigin)) {
      throw new TypeError('emrOrigins must list exact origins, like https://emr.example');
    }
    this.#options = { ...options, emrOrigins: origins };
    this.#win = options.window ?? window;
    this.#unanswered = this.requestId !== this.shown ? this.requestId : null;
    this.#noteOpener();
    this.#win.addEventListener('message', this.#onMessage);
    this.#win.addEventListener('focus', this.#check);
  }

  /** The launch this window holds (kept across page loads in this tab), or null. */
  get requestId(): string | null {
    return this.#read(LAUNCH_KEY);
  }

  /** The accepted launch this window displays now, or null (kept across page loads in this tab). */
  get shown(): string | null {
    return this.#read(SHOWING_KEY);
  }

  /** False once the EMR window that opened this one is out of reach. */
  get linked(): boolean {
    return !this.#check();
  }

  /** Says `ready` (with `resume` when it holds a launch). Call on every page load, once the page can take a launch. */
  ready(): void {
    const resume = this.requestId;
    this.#send(resume ? { type: 'ready', resume } : { type: 'ready' });
  }

  match(): void {
    this.#answer('match');
  }

  /** The user accepted the match: the record on screen is this launch's. */
  accepted(): void {
    // Answered: no longer under review when the report goes out.
    this.#unanswered = null;
    // Every chart window that took this window hears it, first: the one that launched may close before it
    // tells the others, and it then has the record with its time stamp.
    this.showing(this.requestId);
    this.#answer('accepted');
  }

  /** The user rejected the match: the launch ends. Then say what the page shows (`showing`). */
  rejected(): void {
    this.#answer('rejected');
    this.forget();
  }

  /**
   * Reports a failure of the held launch (or, with none, of the viewer itself, e.g. `unavailable`); the
   * launch ends. The EMR then takes the record on show as unknown (every other chart warns) until the
   * page says what it shows: call `showing(null)` if the error screen replaced the record, or
   * `showing(shown)` if the record stays.
   */
  error(code: ViewerErrorCode): void {
    const requestId = this.requestId;
    this.#send(requestId ? { type: 'error', requestId, code } : { type: 'error', code });
    this.forget();
  }

  /**
   * Tells the EMR which accepted launch the page displays now: null after the user signed out from
   * the page's own link, or when any screen replaced the record. The EMR's wrong-patient guard follows it.
   */
  showing(requestId: string | null): void {
    // Later than any change before, on the clock the EMR's windows share: they keep the newest news.
    const at = Math.max(Date.now(), this.#shownAt() + 1);
    this.#store(SHOWING_KEY, requestId);
    this.#store(SHOWN_AT_KEY, `${at}`);
    // What is on show concerns every chart window that took this window, the one that launched included.
    this.#send({ type: 'showing', requestId, at, ...this.#review() }, true);
  }

  /** The launch under review, for `showing` and `pong`: its patient may be on screen any moment. */
  #review(): { reviewing?: string } {
    return this.#unanswered ? { reviewing: this.#unanswered } : {};
  }

  /** Drops the held launch. */
  forget(): void {
    this.#unanswered = null;
    this.#store(LAUNCH_KEY, null);
  }

  /** Stops listening. */
  close(): void {
    this.#win.removeEventListener('message', this.#onMessage);
    this.#win.removeEventListener('focus', this.#check);
  }

  #answer(type: 'match' | 'accepted' | 'rejected'): void {
    const requestId = this.requestId;
    if (type !== 'match') this.#unanswered = null;
    if (requestId) this.#send({ type, requestId });
  }

  #shownAt(): number {
    return Number(this.#read(SHOWN_AT_KEY)) || 0;
  }

  #read(key: string): string | null {
    try {
      return this.#win.sessionStorage.getItem(key);
    } catch {
      return null; // storage disabled: the launch is lost on a redirect, and the EMR re-mints
    }
  }

  #store(key: string, value: string | null): void {
    try {
      const storage = this.#win.sessionStorage;
      if (value) storage.setItem(key, value);
      else storage.removeItem(key);
    } catch {
      // storage disabled: nothing kept, nothing to drop
    }
  }

  /** The EMR window to answer: the one whose launch it holds, while it lives, else the opener. */
  #target(): Window | null {
    const peer = this.#peer;
    return peer && !peer.closed ? peer : (this.#win.opener as Window | null);
  }

  /**
   * To the EMR window to answer, or with `everyone`, to every EMR window that was this page's opener and
   * lives: what the page shows concerns each chart window that took it (the one that launched may
   * have reloaded since).
   */
  #send(message: ViewerMessage, everyone?: boolean): void {
    // The window to answer is gone: news of what the page shows still goes to the others.
    if (this.#check() && !everyone) return;
    this.#noteOpener();
    // The window to answer was an opener too: `everyone` includes it.
    const windows = everyone ? this.#openers : [this.#target()!];
    // After a redirect the page no longer knows which listed origin the EMR is on: a message posted to
    // the others is dropped by the browser, so it reaches the EMR only, and only on a listed origin.
    for (const origin of this.#origin ? [this.#origin] : this.#options.emrOrigins) {
      for (const win of windows) if (!win.closed) win.postMessage(envelope(message), origin);
    }
  }

  /** Remembers the present opener: another chart window of the EMR may have taken this window by name. */
  #noteOpener(): void {
    const opener = this.#win.opener as Window | null;
    if (opener) this.#openers.add(opener);
  }

  /** True, and the notice shown once, when the opener is gone. */
  #check = (): boolean => {
    const opener = this.#target();
    if (opener && !opener.closed) return false;
    if (!this.#lost) {
      this.#lost = true;
      const { onLostLink } = this.#options;
      if (onLostLink) onLostLink();
      else {
        const doc = this.#win.document;
        const notice = doc.createElement('p');
        notice.setAttribute('role', 'alert');
        notice.textContent = LOST_LINK_NOTICE;
        doc.body.prepend(notice);
      }
    }
    return true;
  };

  #onMessage = (event: MessageEvent): void => {
    const { origin, source } = event;
    this.#noteOpener();
    if (!this.#options.emrOrigins.includes(origin) || !source || !this.#openers.has(source as Window)) return;
    const message = parseOpenerMessage(event.data);
    if (!message) return;
    this.#origin = origin;
    // A pong goes back to whoever asked; the rest of the conversation, to the window whose launch this is.
    if (message.type === 'ping') return (source as Window).postMessage(envelope({ type: 'pong', showing: this.shown, at: this.#shownAt(), ...this.#review() }), origin);
    if (message.type === 'logout') {
      // Signed out, the viewer drops the launch it holds: the EMR window that sent it stops waiting
      // (another chart window may have asked for the logout).
      if (this.#unanswered) this.#answer('rejected');
      this.forget();
      // And shows no one: every chart window that took this window hears it.
      this.showing(null);
      return this.#options.onLogout?.();
    }
    // Kept before the verifier runs: a sign-in redirect may follow at once.
    // A launch still waiting for its answer is replaced: the EMR window that sent it hears `busy`, never nothing.
    const replaced = this.#unanswered;
    if (replaced && replaced !== message.requestId) this.#send({ type: 'error', requestId: replaced, code: 'busy' });
    this.#unanswered = message.requestId;
    this.#peer = source as Window;
    this.#store(LAUNCH_KEY, message.requestId);
    this.#send({ type: 'received', requestId: message.requestId });
    // Every chart window that took this window hears that this launch's patient may be on screen any
    // moment: its sender may close before it tells the others, and then no one could.
    this.showing(this.shown);
    this.#options.onLaunch({ requestId: message.requestId, token: message.token, origin });
  };
}
