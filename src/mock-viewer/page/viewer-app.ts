// <mock-viewer-app>: a stand-in for CareConnect that speaks launch protocol v1, for the demo and
// for QA. The flow: verify the launch token, sign the user in, review the match, show the record.
import { LitElement, html, nothing } from 'lit';
import { decodeJwt } from 'jose';
import { ownProperties } from '../../core/own-properties.js';
import { VIEWERS, type ViewerId } from '../../core/viewers.js';
import { LaunchTokenError, verifyLaunchToken } from '../../server/launch-token.js';
import { MemoryReplayCache, type ReplayCache } from '../../server/replay-cache.js';
import type { SignedInUser } from '../sign-in.js';
import { ViewerLink } from '../../viewer/viewer-link.js';
import type { Dispense } from '../records.js';
import { SESSION_PATH } from '../session-api.js';
import styles from './viewer-app.styles.js';
import {
  renderScreen, type Launch, type RecordData, type RecordScreen, type RegistryPatient, type Screen, type ScreenActions,
} from './viewer-screens.js';

const TOKEN_REFUSALS = ownProperties({
  expired: 'The launch has expired. Click the CareConnect button in your EMR again.',
  replayed: 'This launch was already used. Click the CareConnect button in your EMR again.',
}) as { [code: string]: string | undefined };

/** What the viewer's server kept across the sign-in: the launch, and the user if the code was good. */
interface Resumed {
  ctx: Launch['ctx'];
  user: SignedInUser | null;
}

/** Why a request got no usable answer: nothing came back (the network, or the service down), or an error status. */
const failureDetail = (status: number | null) => status === null
  ? 'CareConnect did not answer: the network or the service may be down. Retry when it is back; nothing was lost.'
  : `CareConnect answered with an error (${status}). Retry in a moment.`;

/** After this long, a search in progress says so: a registry can be slow, and silence looks broken. */
const STILL_WAITING_MS = 5_000;

const API = '/mock-careconnect/api';

async function post<T>(path: string, body: unknown, base = API, signal?: AbortSignal): Promise<{ ok: boolean; status: number; data: T & { message?: string } }> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    signal,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { ok: response.ok, status: response.status, data: await response.json().catch(() => ({})) };
}

const pairingCode = () => Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'[b % 31]).join('');

export interface MockViewerOptions {
  /** The only origins allowed to launch this viewer. */
  emrOrigins: readonly string[];
  viewerId: ViewerId;
  issuer: string;
  jwksUrl: string;
  /**
   * Sign in on the identity provider's page (another origin) and come back, as CareConnect does: the
   * viewer's server sends the page there, asking for a sign-in tied to the launch it keeps.
   * `holdMs`: its page holds that long (idp-slow); `coop`: it sends COOP same-origin (idp-coop).
   * Without it, the mock signs the user in inside its own page.
   */
  identityProvider?: { holdMs?: number; coop?: boolean };
  /** Where token ids are claimed. The default lives in the page, so it forgets them when the page loads again. */
  replayCache?: ReplayCache;
  /**
   * The page answers the legacy form POST: the launch is on the viewer's server (its fields never
   * reach this page's URL or storage), and nothing is said to the EMR, which listens for nothing.
   */
  formPost?: boolean;
}

export class MockViewerApp extends LitElement {
  static override styles = styles;

  static override properties = {
    screen: { state: true },
    user: { state: true },
  };

  options: MockViewerOptions | null = null;
  screen: Screen = { kind: 'starting' };
  /** Who is signed in: it outlives the screens, and the bar shows it. */
  user: SignedInUser | null = null;

  #jwks: Promise<{ keys: [] }> | null = null;
  #pageReplayCache = new MemoryReplayCache();
  #stillWaitingTimer: ReturnType<typeof setTimeout> | undefined;
  /** The protocol, as any viewer operator's page speaks it: `careconnect-launch/viewer`. None for a form POST. */
  #link: ViewerLink | null = null;
  /** The current launch's run: a new launch, or a sign-out, aborts it. */
  #run = new AbortController();

  readonly #actions: ScreenActions = {
    chooseCardApp: () => this.#chooseSignIn('bcsc'),
    chooseAccount: () => this.#chooseSignIn('ha'),
    approveInApp: () => {
      const launch = this.#launchOnScreen();
      if (launch) void this.#signIn(launch, { method: 'bcsc' });
    },
    submitAccount: (event) => {
      event.preventDefault();
      const { screen } = this;
      if (screen.kind !== 'ha-login') return;
      const form = new FormData(event.target as HTMLFormElement);
      void this.#signIn(screen.launch, { method: 'ha', username: String(form.get('username') ?? ''), password: String(form.get('password') ?? '') });
    },
    accept: () => {
      const { screen } = this;
      if (screen.kind !== 'match') return;
      this.#link?.accepted();
      void this.#loadRecord(screen.launch, screen.patient);
    },
    reject: () => {
      if (this.screen.kind !== 'match') return;
      this.#link?.rejected();
      this.#link?.showing(null); // its "rejected" screen replaced the record
      this.screen = { kind: 'rejected' };
    },
    showSection: (section) => this.#onRecordScreen({ section }),
    searchPharmaNet: () => void this.#searchPharmaNet(),
  };

  /** Starts the viewer once its back end is ready: checks the service, then tells the EMR it is ready. */
  start(options: MockViewerOptions): Promise<void> {
    this.options = options;
    this.#link?.close();
    this.#link = options.formPost ? null : new ViewerLink({
      emrOrigins: options.emrOrigins,
      onLaunch: ({ requestId, token }) => void this.#launch(requestId, token),
      onLogout: this.logout,
      onLostLink: () => (this.screen = { kind: 'lost-link' }),
    });
    return this.#start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#link?.close();
    this.#run.abort();
    clearTimeout(this.#stillWaitingTimer);
  }

  get #viewer() {
    return VIEWERS[this.options?.viewerId ?? 'bc-careconnect'];
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    // Each new screen takes the focus to its heading, so keyboard and screen-reader users follow;
    // a screen that only changes what it shows (a section, a search) keeps the focus where it is.
    const before = changed.get('screen') as Screen | undefined;
    if (changed.has('screen') && before?.kind !== this.screen.kind) {
      const heading = this.renderRoot.querySelector<HTMLElement>('h1');
      if (heading) {
        heading.tabIndex = -1;
        heading.focus();
      }
    }
  }

  /** A new launch, or a sign-out, ends the run before it: its requests are aborted, its late answers dropped. */
  #newRun(): void {
    this.#run.abort();
    this.#run = new AbortController();
    clearTimeout(this.#stillWaitingTimer);
  }

  /**
   * The one place where an answer for a replaced launch is dropped: `work` runs for the current launch,
   * and if another has started by the time it settles, the flow that awaits it goes no further (it
   * waits on a promise that never settles, and is collected with it).
   */
  #forThisRun<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const { signal } = this.#run;
    const dropped = () => new Promise<never>(() => {});
    return work(signal).then((value) => (signal.aborted ? dropped() : value), (error) => (signal.aborted ? dropped() : Promise.reject(error)));
  }

  /** A request to the viewer's back end for the current launch; null when nothing answered. */
  #ask<T>(path: string, body: unknown, base = API) {
    return this.#forThisRun((signal) => post<T>(path, body, base, signal).catch(() => null));
  }

  /** The launch the screen on show belongs to, if it belongs to one. */
  #launchOnScreen(): Launch | null {
    return 'launch' in this.screen ? this.screen.launch : null;
  }

  /** Changes what the record screen shows, if it is still on show. */
  #onRecordScreen(change: Partial<Omit<RecordScreen, 'kind'>>): void {
    if (this.screen.kind === 'record') this.screen = { ...this.screen, ...change };
  }

  /** A request got no usable answer: a screen says what failed, and Retry runs it again. */
  #failed(title: string, answer: { status: number } | null, retry: () => void): void {
    this.screen = { kind: 'failed', title, detail: failureDetail(answer?.status ?? null), retry };
  }

  async #start(): Promise<void> {
    const link = this.#link;
    const status = await fetch(`${API}/status`).catch(() => null);
    if (!status) {
      // Nothing answers (viewer-down): the page stands for a viewer that does not load, so it says
      // nothing to the EMR, whose button times out; and it tells QA so, not "unavailable", which is
      // what the `unavailable` scenario says, to the EMR too.
      this.screen = { kind: 'no-answer' };
      return;
    }
    if (!status.ok) {
      // A back end that answers "down" is said at once.
      this.screen = { kind: 'unavailable' };
      link?.error('unavailable');
      link?.showing(null); // its error screen replaced any record
      return;
    }
    if (link && !link.linked) return; // the lost-link notice is up: nothing this page says can reach the EMR
    const params = new URLSearchParams(location.search);
    const code = params.get('code');
    const refused = params.get('error_description');
    if (code || refused !== null) {
      // Back from the identity provider: its answer leaves the address bar, as any sign-in callback's does.
      for (const key of ['code', 'error', 'error_description']) params.delete(key);
      history.replaceState(null, '', `${location.pathname}?${params}`);
    }
    if (!link) return this.#resumeForm(code, refused);
    const held = link.requestId;
    if (held && this.options?.identityProvider) return this.#resume(held, code, refused);
    this.screen = { kind: 'waiting' };
    link.ready();
  }

  /** A launch by form POST, kept by the viewer's server: sign in (and back from it, go on), with no messages. */
  async #resumeForm(code: string | null, refused: string | null): Promise<void> {
    const answer = await this.#ask<Resumed>('/form', { code }, SESSION_PATH);
    if (!answer?.ok) {
      this.screen = { kind: 'form-lost' };
      return;
    }
    await this.#signedIn({ requestId: null, ctx: answer.data.ctx }, answer.data.user, refused);
  }

  /** The page loaded again holding a launch (back from the identity provider): take it up where it was. */
  async #resume(requestId: string, code: string | null, refused: string | null): Promise<void> {
    const link = this.#link!;
    const answer = await this.#ask<Resumed>('/resume', { requestId, code }, SESSION_PATH);
    if (!answer?.ok) {
      // This viewer's server no longer has the launch: a plain ready, and the EMR sends a fresh one.
      link.forget();
      this.screen = { kind: 'waiting' };
      return link.ready();
    }
    link.ready();
    await this.#signedIn({ requestId, ctx: answer.data.ctx }, answer.data.user, refused);
  }

  /** Back from the identity provider with the launch the server kept: its refusal, or the user it vouched for. */
  async #signedIn(launch: Launch, user: SignedInUser | null, refused: string | null): Promise<void> {
    if (refused !== null) return this.#authFailed(refused || 'Sign-in failed.');
    if (!user) {
      this.screen = { kind: 'sign-in', launch };
      return;
    }
    this.screen = { kind: 'signing-in' };
    // The identity provider vouched for the user; CareConnect still decides whether they get in.
    const session = await this.#ask<{ user: SignedInUser }>('/session', { user });
    if (!session?.ok) return this.#authFailed(session?.data.message ?? 'CareConnect did not answer.');
    this.user = session.data.user;
    await this.#search(launch);
  }

  #authFailed(detail: string): void {
    this.screen = { kind: 'auth-error', detail };
    this.#link?.error('auth-failed');
    this.#link?.showing(null); // its error screen replaced the record
  }

  #chooseSignIn(method: 'bcsc' | 'ha'): void {
    const { screen } = this;
    if (screen.kind !== 'sign-in') return;
    const idp = this.options?.identityProvider;
    if (idp) return this.#leaveToSignIn(idp, screen.launch, method);
    this.screen = method === 'bcsc'
      ? { kind: 'pairing', launch: screen.launch, code: pairingCode() }
      : { kind: 'ha-login', launch: screen.launch, warning: '' };
  }

  /**
   * Leaves for the identity provider through the viewer's server, which adds what its rules need from
   * the launch it keeps (never the patient) and the launch's state, to come back here.
   */
  #leaveToSignIn(idp: NonNullable<MockViewerOptions['identityProvider']>, launch: Launch, method: 'bcsc' | 'ha'): void {
    const url = new URL(`${SESSION_PATH}/sign-in`, location.href);
    const query: Record<string, string> = { method, return: location.href };
    if (this.#link && launch.requestId) query.requestId = launch.requestId;
    if (idp.holdMs) query.hold = String(idp.holdMs);
    if (idp.coop) query.coop = '1';
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    this.screen = { kind: 'signing-in' };
    location.assign(url.href);
  }

  async #launch(requestId: string, token: string): Promise<void> {
    this.#newRun();
    this.screen = { kind: 'verifying' };
    const options = this.options!;
    let launch: Launch;
    try {
      this.#jwks ??= fetch(options.jwksUrl).then(async (response) => {
        const jwks = await response.json();
        // The viewer's server says why it could not read the EMR's keys (a URL that does not answer, a file that is not a JWKS).
        if (!response.ok) throw new Error(jwks.message ?? `The JWKS answered ${response.status}.`);
        return jwks;
      });
      const jwks = this.#jwks;
      const claims = await this.#forThisRun(async () => verifyLaunchToken(token, {
        jwks: await jwks,
        issuer: options.issuer,
        audience: options.viewerId,
        replayCache: options.replayCache ?? this.#pageReplayCache,
      }));
      launch = { requestId, ctx: claims.ctx };
      // Claimed on arrival; the launch itself is kept server-side, for a sign-in that leaves this origin.
      if (options.identityProvider) await this.#forThisRun((signal) => post('/launch', { requestId, ctx: claims.ctx }, SESSION_PATH, signal));
    } catch (error) {
      const detail = error instanceof LaunchTokenError
        ? TOKEN_REFUSALS[error.code] ?? `The launch was refused: ${error.message}${this.#mismatch(error.code, token)}`
        : `The launch could not be checked: the EMR key service did not answer. ${error instanceof Error ? error.message : ''}`.trim();
      this.#jwks = null; // the next launch asks again
      this.screen = { kind: 'token-refused', detail };
      this.#link?.error('token-failed');
      this.#link?.showing(null); // its error screen replaced the record
      return;
    }
    if (this.user) return this.#search(launch);
    this.screen = { kind: 'sign-in', launch };
  }

  /** For the developer wiring an EMR to this mock: the value the token has, and the one this viewer expects. */
  #mismatch(code: string, token: string): string {
    const claim = code === 'wrong-issuer' ? 'iss' : code === 'wrong-audience' ? 'aud' : null;
    if (!claim) return '';
    let given: unknown;
    try {
      given = ownProperties(decodeJwt(token))[claim];
    } catch {
      return '';
    }
    const expected = claim === 'iss' ? this.options!.issuer : this.options!.viewerId;
    const fix = claim === 'iss' ? ` Mint with issuer ${JSON.stringify(expected)}, or start the mock with --issuer ${JSON.stringify(given)}.` : '';
    return ` The token's ${claim} is ${JSON.stringify(given)}; this viewer expects ${JSON.stringify(expected)}.${fix}`;
  }

  async #signIn(launch: Launch, credentials: { method: 'bcsc' | 'ha'; username?: string; password?: string }): Promise<void> {
    const { ctx } = launch;
    this.screen = { kind: 'signing-in' };
    const { ok, data } = await this.#ask<{ user: SignedInUser }>('/sign-in', { ...credentials, role: ctx.user.role, network: ctx.network })
      ?? { ok: false, data: { message: 'CareConnect did not answer.' } as { user: SignedInUser; message?: string } };
    if (!ok && (data as { error?: string }).error === 'wrong-password') {
      // A typo is for the user to fix here, not a failed launch: the EMR hears nothing.
      this.screen = { kind: 'ha-login', launch, warning: data.message ?? '' };
      return;
    }
    if (!ok) return this.#authFailed(data.message ?? 'Sign-in failed.');
    this.user = data.user;
    await this.#search(launch);
  }

  async #search(launch: Launch): Promise<void> {
    const searching: Screen = { kind: 'searching', stillWaiting: false };
    this.screen = searching;
    this.#stillWaitingTimer = setTimeout(() => {
      if (this.screen === searching) this.screen = { kind: 'searching', stillWaiting: true };
    }, STILL_WAITING_MS);
    const result = await this.#ask<{ patient: RegistryPatient }>('/patients/search', { phn: launch.ctx.healthNumber.value });
    clearTimeout(this.#stillWaitingTimer);
    // Only the registry's own "no such patient" is a no-match; a search that got no answer can be tried again.
    if (result?.status !== 404 && !result?.ok) return this.#failed('The client registry could not be searched', result, () => void this.#search(launch));
    if (!result.ok) {
      this.screen = { kind: 'no-match' };
      this.#link?.error('no-match');
      this.#link?.showing(null); // its error screen replaced the record
      return;
    }
    this.screen = { kind: 'match', launch, patient: result.data.patient };
    this.#link?.match();
  }

  async #loadRecord(launch: Launch, patient: RegistryPatient): Promise<void> {
    this.screen = { kind: 'record', launch, patient, record: 'loading', section: 'encounters', pharmanet: 'not-searched' };
    const sections = ['encounters', 'labs', 'imaging', 'documents'] as const;
    const results = await Promise.all(sections.map((section) => this.#ask<{ items: never[] }>('/records', { phn: patient.phn, section })));
    if (!results.every((answer) => answer?.ok)) {
      return this.#failed('The record could not be loaded', results.find((answer) => answer && !answer.ok) ?? null, () => void this.#loadRecord(launch, patient));
    }
    // No prototype: a section without items (medications, immunizations) counts none from a polluted prototype.
    const record = ownProperties(Object.fromEntries(sections.map((section, i) => [section, results[i]?.data.items ?? []]))) as unknown as RecordData;
    this.#onRecordScreen({ record });
  }

  async #searchPharmaNet(): Promise<void> {
    const { screen } = this;
    if (screen.kind !== 'record') return;
    this.#onRecordScreen({ pharmanet: 'searching' });
    const result = await this.#ask<{ items: Dispense[] }>('/pharmanet', { phn: screen.patient.phn });
    this.#onRecordScreen({ pharmanet: result?.ok ? result.data.items ?? [] : { failed: failureDetail(result?.status ?? null) } });
  }

  /** Signs out here; also what the protocol's `logout` does. The window stays open. */
  logout = () => {
    // A form launch's sign-in lives on the viewer's server, as CareConnect's session does: end it there too.
    if (this.options?.formPost) void post('/sign-out', {}, SESSION_PATH).catch(() => {});
    this.user = null;
    this.#newRun();
    this.screen = { kind: 'signed-out' };
    // A launch still waiting for its Accept ends here: its chart window stops waiting for it.
    if (this.#link?.requestId) this.#link.rejected();
    // The record is gone from this window: every chart window of the EMR stops saying "showing".
    this.#link?.showing(null);
  };

  protected override render() {
    return html`
      <header class="bar">
        <span class="brand">${this.#viewer.name} <small>mock viewer · synthetic data</small></span>
        ${this.user
          ? html`<span class="user">Signed in as ${this.user.name}
              <button class="link" type="button" @click=${this.logout}>Log out</button></span>`
          : nothing}
      </header>
      <main>${renderScreen(this.screen, { viewer: this.#viewer, user: this.user, emrOrigins: this.options?.emrOrigins ?? [], actions: this.#actions })}</main>
    `;
  }
}

if (!customElements.get('mock-viewer-app')) customElements.define('mock-viewer-app', MockViewerApp);

declare global {
  interface HTMLElementTagNameMap {
    'mock-viewer-app': MockViewerApp;
  }
}
