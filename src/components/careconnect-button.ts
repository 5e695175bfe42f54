// <careconnect-button>: renders the launch state and turns a click into a viewer launch.
// ReactiveElement (Lit's core) with a few DOM nodes instead of lit-html templates: the whole
// bundle, Lit inside, must stay under 10 KB gzip.
import { ReactiveElement } from '@lit/reactive-element';
import { validateHealthNumber } from '../core/health-number.js';
import { ownProperties } from '../core/own-properties.js';
import { toPatientContext } from '../core/patient-context.js';
import { toProvinceCode } from '../core/provinces.js';
import type { Gender, LaunchContext, PatientContext, TokenRequest, UserRole } from '../core/launch-context.js';
import { selectViewer, type Network, type ViewerDescriptor, type ViewerId, type ViewerTransport } from '../core/viewers.js';
import { DEFAULT_TIMEOUT_MS, newRequestId, shownElsewhere, shownInOtherTab, type LaunchRequest } from '../session/viewer-session.js';
import styles from './careconnect-button.styles.js';
import type { CareConnectEventMap, CareConnectLogger, ViewerConfig, ViewersConfig } from './events.js';
import { formPostFields } from './form-fields.js';
import { LaunchController } from './launch-controller.js';
import { readViewerConfig } from './viewer-config.js';
import { CATALOGS, languageOf, loadFrench, message, type ShownErrorCode } from './messages.js';

export type LaunchState = 'idle' | 'opening' | 'waiting' | 'matching' | 'showing' | 'stale' | 'error';

/** The patient's demographics as one object (`.patient`); attributes win where both are set. A whole-number `id` is sent as a string. */
export type PatientDemographics = Partial<Omit<PatientContext, 'id'>> & { id?: string | number };

/** Resolves to a signed launch token (JWS, or JWE) minted by the EMR's back end for `request`. */
export type TokenProvider = (request: TokenRequest) => Promise<string>;

/** Where the next click goes (`launchTarget`): the viewer, the launch URL it opens, and how the patient travels there. */
export interface LaunchTarget {
  viewerId: ViewerId;
  url: string;
  transport: ViewerTransport;
}

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];
const DEMOGRAPHICS = ['givenName', 'familyName', 'birthDate', 'gender'] as const;

/**
 * A button that opens the provincial EHR viewer (BC CareConnect, Alberta Netcare Portal, ...)
 * for the patient on screen, in one reusable popup window.
 *
 * @summary Launches the provincial EHR viewer for the patient in the chart.
 * @tag careconnect-button
 *
 * @fires careconnect-launch - `{ viewerId, patientId, requestId }`. A valid click, before the window opens. Cancelable: `preventDefault()` and nothing opens. `requestId` is the launch's id (random), the same in each of its events and in the `TokenRequest` its token provider gets: for the EMR's audit line, form-post launches included.
 * @fires careconnect-ready - `{ viewerId, patientId, requestId }`. The viewer window loaded and speaks the launch protocol: once per page load of the viewer, so not when a launch reuses a loaded window.
 * @fires careconnect-match - `{ viewerId, patientId, requestId }`. The viewer shows its matching patient for review.
 * @fires careconnect-accept - `{ viewerId, patientId, requestId }`. The user accepted the match; the viewer shows the record.
 * @fires careconnect-reject - `{ viewerId, patientId, requestId }`. The user rejected the match.
 * @fires careconnect-close - `{ viewerId, patientId, requestId }`. The viewer window was closed, by the user or `closeViewer()`, within a second.
 * @fires careconnect-error - `{ code, message, viewerId, patientId, requestId, cause }`. Something the clinician must act on; `message` is the sentence the button shows; `cause`, when known, says why (for `token-failed`: what the token provider threw, `'timeout'` or `'viewer'`).
 *
 * @csspart base - The `<button>`.
 * @csspart icon - The "opens in a window" icon inside the button.
 * @csspart label - The viewer's name inside the button (visually hidden when `compact`).
 * @csspart status - The inline message, a polite live region.
 * @csspart retry - The "Try again" button shown when the popup was blocked.
 * @csspart warning - The wrong-patient warning in the status line: the viewer shows another patient than the chart.
 *
 * @cssprop [--careconnect-button-background=#234075] - The button's background.
 * @cssprop [--careconnect-button-color=#fff] - The button's text and icon colour.
 * @cssprop [--careconnect-button-radius=4px] - Corner radius.
 * @cssprop [--careconnect-button-focus-ring=#1a5a96] - The focus outline's colour.
 * @cssprop [--careconnect-button-error-color=#b3261e] - The colour of an error message.
 * @cssprop [--careconnect-button-warning-color=#8a4b00] - The colour of the wrong-patient warning, and of the bar under the button in the `stale` state.
 * @cssprop [--careconnect-button-font-family=inherit] - The button's font family; by default the page's.
 * @cssprop [--careconnect-button-align=flex-start] - Where the button sits above its message: `flex-end` in a right-aligned toolbar keeps it still when a message appears.
 */
export class CareConnectButton extends ReactiveElement {
  static override styles = styles;

  static override properties = {
    healthNumber: { attribute: 'health-number' },
    healthNumberProvince: { attribute: 'health-number-province' },
    patientId: { attribute: 'patient-id' },
    locationProvince: { attribute: 'location-province' },
    accountProvince: { attribute: 'account-province' },
    userRole: { attribute: 'user-role' },
    network: {},
    givenName: { attribute: 'given-name' },
    familyName: { attribute: 'family-name' },
    birthDate: { attribute: 'birth-date' },
    gender: {},
    timeout: { type: Number },
    compact: { type: Boolean, reflect: true },
    patient: { attribute: false },
    tokenProvider: { attribute: false },
    viewers: { attribute: false },
    state: { reflect: true },
  };

  /** The patient's health number; spaces and dashes are fine. Prefer the property: the attribute puts the number in the page's markup, where session-replay scripts read it. */
  declare healthNumber: string | null | undefined;
  /** The province that issued `health-number`; defaults to the viewer's province. */
  declare healthNumberProvince: string | null | undefined;
  /** The EMR's own chart id for the patient. */
  declare patientId: string | null | undefined;
  /** The province of the clinic location selected in the EMR. */
  declare locationProvince: string | null | undefined;
  /** The EMR account's province, used when the location has none. */
  declare accountProvince: string | null | undefined;
  /** `provider` or `staff` (an office assistant). */
  userRole: UserRole = 'provider';
  /** `ppn` inside the Private Physician Network, `internet` otherwise; CareConnect has a launch URL for each. */
  network: Network = 'ppn';
  /** The patient's given name, for the viewer's match review. Prefer the property (or `.patient`), as for `healthNumber`. */
  declare givenName: string | null | undefined;
  /** The patient's family name. Prefer the property (or `.patient`), as for `healthNumber`. */
  declare familyName: string | null | undefined;
  /** The patient's birth date, ISO `YYYY-MM-DD`; any other form is refused at the click (`demographics-invalid`). */
  declare birthDate: string | null | undefined;
  /** `female`, `male`, `other` or `unknown`; also `F`, `M`, `O` or `U`, in any case. Anything else is refused at the click (`demographics-invalid`). */
  declare gender: Gender | null | undefined;
  /** Milliseconds to wait for the viewer to answer before `viewer-timeout` (20000). At most 2147483647 (24.8 days, what a browser timer holds): more, `Infinity` included, waits that long; 0, negative or not a number means 20000. */
  timeout = DEFAULT_TIMEOUT_MS;
  /** An icon-only button for crowded toolbars; the viewer's name stays its accessible name. */
  compact = false;
  /** `{ id, givenName, familyName, birthDate, gender }`: the demographics as one object (own properties only; a whole-number `id` is read as a string); attributes win where both are set. */
  declare patient: PatientDemographics | null | undefined;
  /** `(request: TokenRequest) => Promise<string>`: mints the signed launch token on the EMR's back end, after the window is open. Required for `post-message` viewers. */
  declare tokenProvider: TokenProvider | null | undefined;
  /** `{ [viewerId]: { launchUrl?, transport?: 'post-message' | 'form-post', organization? } }`. Only listed viewers are enabled, from the object's own properties (never inherited ones): a selected viewer that is not listed, or whose entry cannot be read or has a wrong type, gives `not-configured`. Known launch URLs fill the gaps; a launch URL must be `https:` (`http:` only to localhost). */
  declare viewers: ViewersConfig | null | undefined;
  /** `console`, or any object with a `debug` method: told each event of each launch (its type and detail, never the health number or a name). Off by default. */
  declare logger: CareConnectLogger | null | undefined;
  /** Reflected and read-only: `idle`, `opening`, `waiting`, `matching`, `showing`, `stale` (the viewer shows another patient) or `error`. Style or test on `careconnect-button[state="stale"]`. */
  state: LaunchState = 'idle';

  #launcher = new LaunchController(this);

  readonly #button = part('button', 'base');
  readonly #label = part('span', 'label');
  readonly #status = part('p', 'status');
  readonly #statusText = document.createTextNode('');
  readonly #retry = part('button', 'retry');
  readonly #warning = part('span', 'warning');
  #statusShape = '';

  /** The viewer for the current location, or null when none is offered (then nothing renders). */
  get viewer(): ViewerDescriptor | null {
    return selectViewer({ locationProvince: this.locationProvince, accountProvince: this.accountProvince });
  }

  /** Read-only: `{ viewerId, url, transport }`, where the next click would go: the viewer for the current location, with its launch URL and transport after `.viewers` and `network`; null when no viewer applies (none for the location, not enabled in `.viewers`, or a launch URL the health number may not go to). */
  get launchTarget(): LaunchTarget | null {
    const viewer = this.viewer;
    return viewer && this.#targetOf(viewer, readViewerConfig(this.viewers, viewer.id));
  }

  /** Asks the viewer to sign the user out. The window stays open; the EMR's own logout does not call this for you. */
  logout(): void {
    this.#launcher.logout();
  }

  /** Closes the viewer window; `careconnect-close` follows. */
  closeViewer(): void {
    this.#launcher.closeViewer();
  }

  /** This render's message, from the controller (the one writer of errors), for this location's viewer. */
  #error: ShownErrorCode | undefined;
  /** The wrong-patient guard's verdict for this render: the viewer whose window shows someone else, if any, and whether another tab holds that window. */
  #otherPatientShown: ViewerDescriptor | undefined;
  #inOtherTab = false;

  /**
   * The wrong-patient guard. Whenever the window of this location's viewer is open and shows patient A
   * (accepted, and not since closed, rejected, logged out or replaced by another accepted launch) and
   * this button's patient is not A, the warning is visible: `state="stale"`, or a warning sentence in
   * the status line beside whatever else it says. "Shows" is the window's one record in its session;
   * this only derives from it, so no error path here can lose it. Any other viewer window of the
   * EMR that shows another patient (after the location moved to another province) warns too.
   */
  protected override willUpdate(): void {
    const viewer = this.viewer;
    const id = viewer?.id;
    this.#otherPatientShown = this.#error = undefined;
    if (!id) return void (this.state = 'idle');
    const error = (this.#error = this.#launcher.errorFor(id, this.#clickContext()));
    const [state, other] = this.#launcher.view(id, () => this.#patientKey());
    const keyFor = (otherViewer: ViewerDescriptor) => this.#patientKey(otherViewer);
    const elsewhere = other ? viewer : shownElsewhere(id, keyFor);
    const otherTab = elsewhere ? undefined : shownInOtherTab(keyFor);
    this.#otherPatientShown = elsewhere ?? otherTab;
    this.#inOtherTab = !!otherTab;
    this.state = error ? 'error' : state;
  }

  protected override createRenderRoot() {
    const root = super.createRenderRoot();
    this.#button.type = this.#retry.type = 'button';
    this.#button.append(icon(), this.#label);
    this.#status.setAttribute('role', 'status');
    this.#status.append(this.#statusText);
    this.#button.addEventListener('click', this.#handleClick);
    this.#retry.addEventListener('click', this.#handleClick);
    return root;
  }

  protected override update(changed: Map<PropertyKey, unknown>): void {
    super.update(changed);
    const viewer = this.viewer;
    const root = this.renderRoot;
    if (!viewer) return root.replaceChildren();
    if (!this.#button.isConnected) root.replaceChildren(this.#button, this.#status);
    const language = languageOf(this);
    if (!CATALOGS[language]) void loadFrench().then((loaded) => loaded && this.requestUpdate());
    const error = this.#error;
    this.#label.textContent = viewer.name;
    this.#button.title = this.compact ? viewer.name : '';
    this.#button.setAttribute('aria-busy', String(this.state === 'opening'));
    const phase = this.state;
    // The status region, a polite live region, says each phase of a launch as it comes, or the error.
    const text = error ? message(error, viewer, language)
      : phase === 'opening' || phase === 'waiting' || phase === 'matching' ? message(phase, viewer, language) : '';
    // The guard's sentence fits the state: after an error, during a launch not yet accepted, or for a chart that cannot launch.
    const shownBy = this.#otherPatientShown;
    // Another viewer's window (the location moved on) is "still showing"; this one's sentence fits the state.
    const warning = !shownBy ? '' : message(
      this.#inOtherTab ? 'stale-other-tab' : error || shownBy.id !== viewer.id ? 'stale-still' : this.state !== 'stale' ? 'stale-pending' : this.#healthNumberFor(viewer) ? 'stale' : 'stale-number', shownBy, language);
    if (this.#statusText.data !== text) this.#statusText.data = text;
    if (this.#warning.textContent !== warning) this.#warning.textContent = warning;
    this.#retry.textContent = message('retry', viewer, language);
    const blocked = error === 'popup-blocked';
    // Rebuilt only when its pieces change, so the live region never announces the same words twice.
    const shape = `${blocked}${!warning}`;
    if (this.#statusShape !== shape) {
      this.#statusShape = shape;
      this.#status.replaceChildren(this.#statusText, ...(blocked ? [' ', this.#retry] : []), ...(warning ? [' ', this.#warning] : []));
    }
  }

  #handleClick = () => {
    const viewer = this.viewer;
    if (!viewer) return;
    this.#launcher.clicked(viewer.id, this.#clickContext());
    // One id for this click's launch: each of its events, its token request and protocol v1's `requestId`.
    const requestId = newRequestId();
    const detail = { viewerId: viewer.id, patientId: this.patientId ?? null, requestId };
    const config = readViewerConfig(this.viewers, viewer.id);
    const target = this.#targetOf(viewer, config);
    if (!target || (target.transport === 'post-message' && !this.tokenProvider)) {
      return this.#launcher.fail('not-configured', detail);
    }
    const { url, transport } = target;
    const number = this.#healthNumberFor(viewer);
    if (!number) return this.#launcher.fail('health-number-required', detail);
    const patient = this.#patientContext();
    if (!patient) return this.#launcher.fail('demographics-invalid', detail);
    const key = this.#patientKey();
    // A double click, or a click for the patient already there: bring the window forward, no relaunch.
    if (this.#launcher.focus(viewer.id, key)) return;

    if (!this.#launcher.emit('careconnect-launch', detail, true)) return;

    const ctx: LaunchContext = {
      healthNumber: { province: number.province, value: number.value },
      patient,
      location: { province: viewer.province },
      user: { role: this.userRole === 'staff' ? 'staff' : 'provider' },
      network: this.#networkName(),
    };
    const tokenProvider = this.tokenProvider;
    const request: LaunchRequest = {
      id: requestId,
      key,
      url,
      origin: new URL(url).origin,
      transport,
      // A browser timer holds at most 2^31 - 1 ms: a longer one would fire at once.
      timeoutMs: this.timeout > 0 ? Math.min(this.timeout, 2 ** 31 - 1) : DEFAULT_TIMEOUT_MS,
      fields: transport === 'form-post' ? formPostFields(number.value, patient, config?.organization) : undefined,
      token: tokenProvider ? () => tokenProvider({ viewerId: viewer.id, audience: viewer.id, ctx, requestId }) : undefined,
    };
    // Synchronous on purpose: nothing may be awaited between the click and window.open.
    this.#launcher.launch(request, detail);
  };

  /** The chart's health number when it can launch `viewer`: valid, and issued by the viewer's province. */
  #healthNumberFor(viewer: ViewerDescriptor) {
    const number = validateHealthNumber(viewer.healthNumberProvince, this.healthNumber);
    // Unset means "the viewer's province"; anything set must name exactly that province.
    const numberProvince = this.healthNumberProvince ? toProvinceCode(this.healthNumberProvince) : viewer.healthNumberProvince;
    return number.valid && numberProvince === viewer.healthNumberProvince ? number : null;
  }

  /** Who the chart shows, as an in-memory key read as `viewer` reads numbers; it never leaves this element. */
  #patientKey(viewer = this.viewer): string {
    const number = validateHealthNumber(this.healthNumberProvince || viewer?.healthNumberProvince, this.healthNumber);
    try {
      return JSON.stringify([number.valid ? number.value : this.healthNumber, String(this.patientId ?? ownProperties(this.patient).id)]);
    } catch {
      return '!'; // a `.patient` that throws, or a BigInt: no window ever shows this key, so the guard warns
    }
  }

  /** The patient and the set-up a click would use; compared by value, so a host re-assigning an equal `.viewers` on each render keeps the message. */
  #clickContext(): string {
    const viewer = this.viewer;
    return JSON.stringify([this.#patientKey(), this.healthNumberProvince, this.#networkName(), viewer && readViewerConfig(this.viewers, viewer.id), !this.tokenProvider]);
  }

  /** Unknown values mean the PPN, CareConnect's default; `Internet` is read as `internet`. */
  #networkName(): Network {
    return String(this.network).toLowerCase() === 'internet' ? 'internet' : 'ppn';
  }

  /** The chart's patient, attributes over `.patient` (own properties only), or null when the viewer would refuse it. */
  #patientContext(): PatientContext | null {
    try {
      const from = ownProperties(this.patient);
      const fields: Record<string, unknown> = { id: this.patientId ?? from.id };
      for (const field of DEMOGRAPHICS) fields[field] = this[field] ?? from[field];
      return toPatientContext(fields);
    } catch {
      return null; // a getter that throws
    }
  }

  /** Where a click for `viewer` goes with its `config` (null: not enabled), or null when that is not a URL the health number may go to. */
  #targetOf(viewer: ViewerDescriptor, config: ViewerConfig | null): LaunchTarget | null {
    const candidate = config && (config.launchUrl ?? viewer.launchUrls[this.#networkName()] ?? viewer.launchUrl);
    if (!candidate) return null;
    try {
      const url = new URL(candidate, document.baseURI);
      // The health number may travel to this URL: plain http only to this machine, for demos and tests.
      const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname));
      return secure ? { viewerId: viewer.id, url: url.href, transport: config!.transport ?? viewer.transport } : null;
    } catch {
      return null;
    }
  }
}

// Re-exported for hosts that type their handlers against the map.
export type { CareConnectEventMap };

function part<K extends keyof HTMLElementTagNameMap>(tag: K, name: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.setAttribute('part', name);
  return node;
}

/** "Opens in a window": built with DOM APIs, so strict CSP and Trusted Types have nothing to say. */
function icon(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  const path = document.createElementNS(ns, 'path');
  svg.setAttribute('part', 'icon');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('aria-hidden', 'true');
  path.setAttribute('d', 'M7 3H3v10h10V9M9 3h4v4m0-4L7 9');
  svg.append(path);
  return svg;
}
