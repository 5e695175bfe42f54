// <mock-viewer-app>: a stand-in for CareConnect that speaks launch protocol v1, for the demo and
// for QA. It verifies the launch token, signs the user in, reviews the match, shows the record.
import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { decodeJwt } from 'jose';
import { validateHealthNumber } from '../core/health-number.js';
import type { LaunchContext } from '../core/launch-context.js';
import { ownProperties } from '../core/own-properties.js';
import { VIEWERS, type ViewerId } from '../core/viewers.js';
import { LaunchTokenError, verifyLaunchToken } from '../server/launch-token.js';
import { MemoryReplayCache, type ReplayCache } from '../server/replay-cache.js';
import type { SignedInUser } from './handlers.js';
import { LOST_LINK_NOTICE, ViewerLink } from '../viewer/viewer-link.js';
import type { Demographics } from './patients.js';
import type { ClinicalDocument, Dispense, Encounter, ImagingReport, LabResult } from './records.js';
import { sameName } from './registry-match.js';
import { SESSION_PATH } from './session-api.js';
import styles from './viewer-app.styles.js';

type Screen =
  | 'starting' | 'unavailable' | 'no-answer' | 'waiting' | 'verifying' | 'token-refused' | 'sign-in' | 'pairing' | 'ha-login'
  | 'signing-in' | 'auth-error' | 'searching' | 'match' | 'no-match' | 'record' | 'rejected' | 'signed-out' | 'lost-link'
  | 'form-lost' | 'failed';

type Section = 'encounters' | 'labs' | 'imaging' | 'documents' | 'medications' | 'immunizations';

interface RegistryPatient extends Demographics {
  phn: string;
}

interface RecordData {
  encounters: Encounter[];
  labs: LabResult[];
  imaging: ImagingReport[];
  documents: ClinicalDocument[];
}

// The tables below have no prototype: a key they lack is never found on a polluted Object.prototype.
const SECTION_LABELS = {
  __proto__: null,
  encounters: 'Encounters',
  labs: 'Lab Results',
  imaging: 'Diagnostic Imaging',
  documents: 'Clinical Documents',
  medications: 'Medications',
  immunizations: 'Immunizations',
} as Record<Section, string>;

const TOKEN_REFUSALS = ownProperties({
  expired: 'The launch has expired. Click the CareConnect button in your EMR again.',
  replayed: 'This launch was already used. Click the CareConnect button in your EMR again.',
}) as { [code: string]: string | undefined };

/** What the viewer's server kept across the sign-in: the launch, and the user if the code was good. */
interface Resumed {
  ctx: LaunchContext;
  user: SignedInUser | null;
}

/** A request that got no usable answer: what failed, said on screen, and how to try it again. */
interface Failure {
  title: string;
  detail: string;
  retry: () => void;
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

const GENDER_LABELS = ownProperties({ female: 'Female', male: 'Male', other: 'Other', unknown: 'Unknown' }) as { [gender: string]: string | undefined };
/** The number as its province writes it: 9386 339 244 in BC, 12345-6782 in Alberta. */
function formatNumber(province: string, value: string): string {
  const result = validateHealthNumber(province, value);
  return result.valid ? result.display : value;
}

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
    section: { state: true },
    stillWaiting: { state: true },
    pharmanet: { state: true },
  };

  options: MockViewerOptions | null = null;
  screen: Screen = 'starting';
  section: Section = 'encounters';
  stillWaiting = false;
  pharmanet: Dispense[] | 'loading' | { failed: string } | null = null;

  #requestId: string | null = null;
  /** The current launch's run: a new launch, or a sign-out, aborts it. */
  #run = new AbortController();
  #ctx: LaunchContext | null = null;
  #user: SignedInUser | null = null;
  #patient: RegistryPatient | null = null;
  #record: RecordData | null = null;
  #detail = '';
  #failure: Failure | null = null;
  #pairingCode = '';
  #jwks: Promise<{ keys: [] }> | null = null;
  #pageReplayCache = new MemoryReplayCache();
  #stillWaitingTimer: ReturnType<typeof setTimeout> | undefined;
  /** The protocol, as any viewer operator's page speaks it: `careconnect-launch/viewer`. None for a form POST. */
  #link: ViewerLink | null = null;

  /** Starts the viewer once its back end is ready: checks the service, then tells the EMR it is ready. */
  start(options: MockViewerOptions): Promise<void> {
    this.options = options;
    this.#link?.close();
    this.#link = options.formPost ? null : new ViewerLink({
      emrOrigins: options.emrOrigins,
      onLaunch: ({ requestId, token }) => void this.#launch(requestId, token),
      onLogout: this.logout,
      onLostLink: () => (this.screen = 'lost-link'),
    });
    return this.#start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#link?.close();
    this.#run.abort();
    clearTimeout(this.#stillWaitingTimer);
  }

  /** A new launch, or a sign-out, ends the run before it: its requests are aborted, its late answers dropped. */
  #newRun(): void {
    this.#run.abort();
    this.#run = new AbortController();
    this.#stopStillWaiting();
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

  get #viewer() {
    return VIEWERS[this.options?.viewerId ?? 'bc-careconnect'];
  }

  /** CareConnect has the PPN, the BC Services Card app and PharmaNet; the other mocks do not. */
  get #isCareConnect() {
    return this.#viewer.id === 'bc-careconnect';
  }

  get #province() {
    return this.#ctx?.healthNumber.province ?? this.#viewer.healthNumberProvince;
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    // Each new screen takes the focus to its heading, so keyboard and screen-reader users follow.
    if (changed.has('screen')) {
      const heading = this.renderRoot.querySelector<HTMLElement>('h1');
      if (heading) {
        heading.tabIndex = -1;
        heading.focus();
      }
    }
  }

  async #start(): Promise<void> {
    const link = this.#link;
    const status = await fetch(`${API}/status`).catch(() => null);
    if (!status) {
      // Nothing answers (viewer-down): the page stands for a viewer that does not load, so it says
      // nothing to the EMR, whose button times out; and it tells QA so, not "unavailable", which is
      // what the `unavailable` scenario says, to the EMR too.
      this.screen = 'no-answer';
      return;
    }
    if (!status.ok) {
      // A back end that answers "down" is said at once.
      this.screen = 'unavailable';
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
    this.screen = 'waiting';
    link.ready();
  }

  /** A launch by form POST, kept by the viewer's server: sign in (and back from it, go on), with no messages. */
  async #resumeForm(code: string | null, refused: string | null): Promise<void> {
    const answer = await this.#ask<Resumed>('/form', { code }, SESSION_PATH);
    if (!answer?.ok) {
      this.screen = 'form-lost';
      return;
    }
    await this.#signedIn(answer.data, refused);
  }

  /** The page loaded again holding a launch (back from the identity provider): take it up where it was. */
  async #resume(requestId: string, code: string | null, refused: string | null): Promise<void> {
    const link = this.#link!;
    const answer = await this.#ask<Resumed>('/resume', { requestId, code }, SESSION_PATH);
    if (!answer?.ok) {
      // This viewer's server no longer has the launch: a plain ready, and the EMR sends a fresh one.
      link.forget();
      this.screen = 'waiting';
      return link.ready();
    }
    this.#requestId = requestId;
    link.ready();
    await this.#signedIn(answer.data, refused);
  }

  /** Back from the identity provider with the launch the server kept: its refusal, or the user it vouched for. */
  async #signedIn({ ctx, user }: Resumed, refused: string | null): Promise<void> {
    this.#ctx = ctx;
    if (refused !== null) return this.#authFailed(refused || 'Sign-in failed.');
    if (!user) {
      this.screen = 'sign-in';
      return;
    }
    this.screen = 'signing-in';
    // The identity provider vouched for the user; CareConnect still decides whether they get in.
    const session = await this.#ask<{ user: SignedInUser }>('/session', { user });
    if (!session?.ok) return this.#authFailed(session?.data.message ?? 'CareConnect did not answer.');
    this.#user = session.data.user;
    await this.#search();
  }

  #authFailed(detail: string): void {
    this.#detail = detail;
    this.screen = 'auth-error';
    this.#link?.error('auth-failed');
    this.#link?.showing(null); // its error screen replaced the record
  }

  /**
   * Leaves for the identity provider through the viewer's server, which adds what its rules need from
   * the launch it keeps (never the patient) and the launch's state, to come back here.
   */
  #leaveToSignIn(method: 'bcsc' | 'ha'): void {
    const idp = this.options!.identityProvider!;
    const url = new URL(`${SESSION_PATH}/sign-in`, location.href);
    const query: Record<string, string> = { method, return: location.href };
    if (this.#link && this.#requestId) query.requestId = this.#requestId;
    if (idp.holdMs) query.hold = String(idp.holdMs);
    if (idp.coop) query.coop = '1';
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    this.screen = 'signing-in';
    location.assign(url.href);
  }

  async #launch(requestId: string, token: string): Promise<void> {
    this.#newRun();
    this.#requestId = requestId;
    this.screen = 'verifying';
    const { options } = this;
    try {
      this.#jwks ??= fetch(options!.jwksUrl).then(async (response) => {
        const jwks = await response.json();
        // The viewer's server says why it could not read the EMR's keys (a URL that does not answer, a file that is not a JWKS).
        if (!response.ok) throw new Error(jwks.message ?? `The JWKS answered ${response.status}.`);
        return jwks;
      });
      const jwks = this.#jwks;
      const claims = await this.#forThisRun(async () => verifyLaunchToken(token, {
        jwks: await jwks,
        issuer: options!.issuer,
        audience: options!.viewerId,
        replayCache: options!.replayCache ?? this.#pageReplayCache,
      }));
      this.#ctx = claims.ctx;
      // Claimed on arrival; the launch itself is kept server-side, for a sign-in that leaves this origin.
      if (options!.identityProvider) await this.#forThisRun((signal) => post('/launch', { requestId, ctx: claims.ctx }, SESSION_PATH, signal));
    } catch (error) {
      this.#detail = error instanceof LaunchTokenError
        ? TOKEN_REFUSALS[error.code] ?? `The launch was refused: ${error.message}${this.#mismatch(error.code, token)}`
        : `The launch could not be checked: the EMR key service did not answer. ${error instanceof Error ? error.message : ''}`.trim();
      this.#jwks = null; // the next launch asks again
      this.screen = 'token-refused';
      this.#link?.error('token-failed');
      this.#link?.showing(null); // its error screen replaced the record
      return;
    }
    if (this.#user) return this.#search();
    this.screen = 'sign-in';
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

  #chooseCardApp = () => {
    if (this.options?.identityProvider) return this.#leaveToSignIn('bcsc');
    this.#pairingCode = Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'[b % 31]).join('');
    this.screen = 'pairing';
  };

  #chooseAccount = () => {
    if (this.options?.identityProvider) return this.#leaveToSignIn('ha');
    this.#detail = '';
    this.screen = 'ha-login';
  };

  #approveInApp = () => this.#signIn({ method: 'bcsc' });

  #submitAccount = (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    void this.#signIn({ method: 'ha', username: String(form.get('username') ?? ''), password: String(form.get('password') ?? '') });
  };

  async #signIn(credentials: { method: 'bcsc' | 'ha'; username?: string; password?: string }): Promise<void> {
    const ctx = this.#ctx;
    if (!ctx) return;
    this.screen = 'signing-in';
    const { ok, data } = await this.#ask<{ user: SignedInUser }>('/sign-in', { ...credentials, role: ctx.user.role, network: ctx.network })
      ?? { ok: false, data: { message: 'CareConnect did not answer.' } as { user: SignedInUser; message?: string } };
    if (!ok && (data as { error?: string }).error === 'wrong-password') {
      // A typo is for the user to fix here, not a failed launch: the EMR hears nothing.
      this.#detail = data.message ?? '';
      this.screen = 'ha-login';
      return;
    }
    if (!ok) return this.#authFailed(data.message ?? 'Sign-in failed.');
    this.#user = data.user;
    await this.#search();
  }

  async #search(): Promise<void> {
    const ctx = this.#ctx!;
    this.screen = 'searching';
    this.#startStillWaiting();
    const result = await this.#ask<{ patient: RegistryPatient }>('/patients/search', { phn: ctx.healthNumber.value });
    this.#stopStillWaiting();
    // Only the registry's own "no such patient" is a no-match; a search that got no answer can be tried again.
    if (result?.status !== 404 && !result?.ok) return this.#failed('The client registry could not be searched', result, () => void this.#search());
    const { ok, data } = result;
    if (!ok) {
      this.screen = 'no-match';
      this.#link?.error('no-match');
      this.#link?.showing(null); // its error screen replaced the record
      return;
    }
    this.#patient = data.patient;
    this.screen = 'match';
    this.#link?.match();
  }

  #accept = () => {
    this.#link?.accepted();
    this.section = 'encounters';
    this.pharmanet = null;
    return this.#loadRecord();
  };

  async #loadRecord(): Promise<void> {
    this.#record = null;
    this.screen = 'record';
    const phn = this.#patient!.phn;
    const sections = ['encounters', 'labs', 'imaging', 'documents'] as const;
    const results = await Promise.all(sections.map((section) => this.#ask<{ items: never[] }>('/records', { phn, section })));
    if (!results.every((answer) => answer?.ok)) {
      return this.#failed('The record could not be loaded', results.find((answer) => answer && !answer.ok) ?? null, () => void this.#loadRecord());
    }
    // No prototype: a section without items (medications, immunizations) counts none from a polluted prototype.
    this.#record = ownProperties(Object.fromEntries(sections.map((section, i) => [section, results[i]!.data.items ?? []]))) as unknown as RecordData;
    this.requestUpdate();
  }

  /** A request got no usable answer: a screen says what failed, and Retry runs it again. */
  #failed(title: string, answer: { status: number } | null, retry: () => void): void {
    this.#failure = { title, detail: failureDetail(answer?.status ?? null), retry };
    this.screen = 'failed';
  }

  #reject = () => {
    this.#link?.rejected();
    this.#link?.showing(null); // its "rejected" screen replaced the record
    this.#patient = null;
    this.screen = 'rejected';
  };

  #searchPharmaNet = async () => {
    this.pharmanet = 'loading';
    const result = await this.#ask<{ items: Dispense[] }>('/pharmanet', { phn: this.#patient!.phn });
    if (!result?.ok) {
      this.pharmanet = { failed: failureDetail(result?.status ?? null) };
      return;
    }
    this.pharmanet = result.data.items ?? [];
  };

  /** Signs out here; also what the protocol's `logout` does. The window stays open. */
  logout = () => {
    // A form launch's sign-in lives on the viewer's server, as CareConnect's session does: end it there too.
    if (this.options?.formPost) void post('/sign-out', {}, SESSION_PATH).catch(() => {});
    this.#user = null;
    this.#patient = null;
    this.#record = null;
    this.#ctx = null;
    this.#requestId = null;
    this.#newRun();
    this.screen = 'signed-out';
    // A launch still waiting for its Accept ends here: its chart window stops waiting for it.
    if (this.#link?.requestId) this.#link.rejected();
    // The record is gone from this window: every chart window of the EMR stops saying "showing".
    this.#link?.showing(null);
  };

  #startStillWaiting(): void {
    this.stillWaiting = false;
    this.#stillWaitingTimer = setTimeout(() => (this.stillWaiting = true), STILL_WAITING_MS);
  }

  #stopStillWaiting(): void {
    clearTimeout(this.#stillWaitingTimer);
    this.stillWaiting = false;
  }

  protected override render() {
    return html`
      <header class="bar">
        <span class="brand">${this.#viewer.name} <small>mock viewer · synthetic data</small></span>
        ${this.#user
          ? html`<span class="user">Signed in as ${this.#user.name}
              <button class="link" type="button" @click=${this.logout}>Log out</button></span>`
          : nothing}
      </header>
      <main>${this.#screen()}</main>
    `;
  }

  #screen(): TemplateResult {
    const ctx = this.#ctx;
    switch (this.screen) {
      case 'starting':
        return this.#notice('Starting…', '');
      case 'unavailable':
        return this.#notice('CareConnect is unavailable', 'The service is down for maintenance. Try again later.', 'error');
      case 'no-answer':
        return this.#notice(`No answer from ${this.#viewer.shortName}`,
          `Nothing answered this page, as when the viewer is down (the viewer-down scenario). So it says nothing to your EMR, not even that it is ready: the EMR's button reports that ${this.#viewer.shortName} did not respond once its timeout (20 s by default) runs out.`);
      case 'waiting':
        return this.#notice('Waiting for a patient',
          `Click the CareConnect button in a patient chart in your EMR. This viewer accepts launches from ${this.options?.emrOrigins.join(' or ')} only.`);
      case 'verifying':
        return this.#notice('Checking the launch…', '', 'progress');
      case 'token-refused':
        return this.#notice('This launch was refused', this.#detail, 'error');
      case 'signing-in':
        return this.#notice('Signing you in…', '', 'progress');
      case 'auth-error':
        return this.#notice('Authentication error', this.#detail, 'error');
      case 'searching':
        return this.#notice(
          'Searching the client registry…',
          this.stillWaiting ? 'Still searching: the registry is slow to answer. Please keep this window open.' : '',
          'progress',
        );
      case 'no-match':
        return this.#notice('No matching patient', 'The client registry has no patient with this health number.', 'error');
      case 'rejected':
        return this.#notice('Match rejected', 'No record was opened. Check the patient in your EMR, then launch again.');
      case 'signed-out':
        return this.#notice('You are signed out', 'Launch CareConnect from your EMR to sign in again.');
      case 'form-lost':
        return this.#notice('No patient was posted', 'The launch has expired or never came. Click the CareConnect button in your EMR again.', 'error');
      case 'lost-link':
        return this.#notice('Not linked to your EMR', LOST_LINK_NOTICE, 'error');
      case 'failed': {
        const { title, detail, retry } = this.#failure!;
        return html`
          <section class="card notice error" role="alert">
            <h1>${title}</h1>
            <p>${detail}</p>
            <div class="choices"><button class="primary" type="button" @click=${retry}>Retry</button></div>
          </section>`;
      }
      case 'sign-in':
        return this.#signInChoice(ctx!);
      case 'pairing':
        return html`
          <section class="card" aria-labelledby="pairing-title">
            <h1 id="pairing-title">BC Services Card app</h1>
            <p>Open the BC Services Card app on your phone and enter this pairing code:</p>
            <p class="code" aria-label="Pairing code">${this.#pairingCode}</p>
            <button class="primary" type="button" @click=${this.#approveInApp}>Simulate approval in the app</button>
            <p class="hint">No BC Services Card app yet? <a href="https://www2.gov.bc.ca/gov/content/governments/government-id/bcservicescardapp" target="_blank" rel="noopener">Get set up</a>.</p>
          </section>`;
      case 'ha-login':
        return html`
          <section class="card" aria-labelledby="ha-title">
            <h1 id="ha-title">Health Authority account</h1>
            ${this.#detail ? html`<p class="warn" role="alert">${this.#detail} Try again.</p>` : nothing}
            <form @submit=${this.#submitAccount}>
              <label>Username <input name="username" autocomplete="username" required /></label>
              <label>Password <input name="password" type="password" autocomplete="current-password" required /></label>
              <button class="primary" type="submit">Sign in</button>
            </form>
            <p class="hint">Demo accounts: <code>drlee</code> or <code>moa.kim</code>, password <code>careconnect</code>.</p>
          </section>`;
      case 'match':
        return this.#match(ctx!, this.#patient!);
      case 'record':
        return this.#recordView(this.#patient!);
    }
  }

  #notice(title: string, text: string, tone: 'info' | 'progress' | 'error' = 'info'): TemplateResult {
    return html`
      <section class="card notice ${tone}" role=${tone === 'error' ? 'alert' : 'status'}>
        <h1>${title}</h1>
        ${text ? html`<p>${text}</p>` : nothing}
      </section>`;
  }

  #signInChoice(ctx: LaunchContext): TemplateResult {
    const inside = ctx.network === 'ppn';
    if (!this.#isCareConnect) {
      return html`
        <section class="card" aria-labelledby="sign-in-title">
          <h1 id="sign-in-title">Sign in to ${this.#viewer.shortName}</h1>
          <p>This mock stands in for ${this.#viewer.name}'s own sign-in.</p>
          <div class="choices"><button class="primary" type="button" @click=${this.#approveInApp}>Sign in (mock)</button></div>
        </section>`;
    }
    return html`
      <section class="card" aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to ${this.#viewer.shortName}</h1>
        <p>${inside
          ? 'You are inside the Private Physician Network. Choose how to sign in.'
          : 'You are connecting from the internet: only the BC Services Card app is available.'}</p>
        <div class="choices">
          <button class="primary" type="button" @click=${this.#chooseCardApp}>BC Services Card app</button>
          ${inside ? html`<button type="button" @click=${this.#chooseAccount}>Health Authority account</button>` : nothing}
        </div>
      </section>`;
  }

  #match(ctx: LaunchContext, patient: RegistryPatient): TemplateResult {
    const sent = ctx.patient;
    const emrName = [sent.givenName, sent.familyName].filter(Boolean).join(' ') || '—';
    // Names compare as a registry compares them (MAPLE and Maple agree); the rest exactly.
    const namesAgree = sameName(sent.givenName ?? '', patient.givenName) && sameName(sent.familyName ?? '', patient.familyName);
    const row = (label: string, emr: string, registry: string, differs = emr !== registry) => ({ label, emr, registry, differs });
    const rows = [
      row('Name', emrName, `${patient.givenName} ${patient.familyName}`, !namesAgree),
      row('Date of birth', sent.birthDate ?? '—', patient.birthDate),
      row('Gender', GENDER_LABELS[sent.gender ?? ''] ?? '—', GENDER_LABELS[patient.gender] ?? '—'),
      row('Health number', formatNumber(this.#province, ctx.healthNumber.value), formatNumber(this.#province, patient.phn)),
    ];
    const differences = rows.filter(({ differs }) => differs).length;
    return html`
      <section class="card" aria-labelledby="match-title">
        <h1 id="match-title">Review the matching patient</h1>
        <p>${differences
          ? html`<strong class="warn">${differences === 1 ? '1 detail differs' : `${differences} details differ`}</strong> between your EMR and the registry. Check before you accept.`
          : 'Your EMR and the client registry agree.'}</p>
        <table class="match">
          <thead><tr><th scope="col">Detail</th><th scope="col">Your EMR</th><th scope="col">Client registry</th></tr></thead>
          <tbody>
            ${rows.map(({ label, emr, registry, differs }) => html`<tr class=${differs ? 'differs' : ''}>
                <th scope="row">${label}</th><td>${emr}</td>
                <td>${registry}${differs ? html` <span class="badge">Differs</span>` : nothing}</td>
              </tr>`)}
          </tbody>
        </table>
        <div class="choices">
          <button class="primary" type="button" @click=${this.#accept}>Accept</button>
          <button type="button" @click=${this.#reject}>Reject</button>
        </div>
      </section>`;
  }

  #recordView(patient: RegistryPatient): TemplateResult {
    const sections = Object.keys(SECTION_LABELS) as Section[];
    return html`
      <section class="record" aria-labelledby="patient-title">
        <div class="patient-banner">
          <h1 id="patient-title">${patient.familyName}, ${patient.givenName}</h1>
          <span>${this.#province === 'BC' ? 'PHN' : 'Health number'} ${formatNumber(this.#province, patient.phn)} · Born ${patient.birthDate} · ${GENDER_LABELS[patient.gender]}</span>
        </div>
        <div class="record-body">
          <nav aria-label="Record sections">
            <ul>
              ${sections.map((section) => html`<li><button type="button" class="nav"
                aria-current=${this.section === section ? 'page' : 'false'}
                @click=${() => (this.section = section)}>${SECTION_LABELS[section]}${this.#count(section)}</button></li>`)}
            </ul>
          </nav>
          <div class="section" role="region" aria-label=${SECTION_LABELS[this.section]}>
            <h2>${SECTION_LABELS[this.section]}</h2>
            ${this.#sectionContent(this.section)}
          </div>
        </div>
      </section>`;
  }

  #count(section: Section) {
    const items = this.#record?.[section as keyof RecordData];
    return items ? html` <span class="count">${items.length}</span>` : nothing;
  }

  #sectionContent(section: Section): TemplateResult {
    if (section === 'immunizations') return html`<p class="soon">Coming soon.</p>`;
    if (section === 'medications') return this.#medications();
    const record = this.#record;
    if (!record) return html`<p role="status">Loading…</p>`;
    const table = (headers: string[], rows: string[][]) => rows.length
      ? html`<table><thead><tr>${headers.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
          <tbody>${rows.map((row) => html`<tr>${row.map((cell) => html`<td>${cell}</td>`)}</tr>`)}</tbody></table>`
      : html`<p class="empty">Nothing on record.</p>`;
    switch (section) {
      case 'encounters':
        return table(['Date', 'Type', 'Facility', 'Reason'], record.encounters.map((e) => [e.date, e.type, e.facility, e.reason]));
      case 'labs':
        return table(['Date', 'Test', 'Result', 'Reference range', 'Flag'],
          record.labs.map((l) => [l.date, l.test, `${l.value} ${l.unit}`, l.range, l.flag === 'H' ? 'High' : l.flag === 'L' ? 'Low' : '']));
      case 'imaging':
        return table(['Date', 'Modality', 'Study', 'Facility', 'Impression'], record.imaging.map((i) => [i.date, i.modality, i.study, i.facility, i.impression]));
      case 'documents':
        return table(['Date', 'Document', 'Facility', 'Author'], record.documents.map((d) => [d.date, d.type, d.facility, d.author]));
    }
  }

  #medications(): TemplateResult {
    if (!this.#isCareConnect) return html`<p class="empty">Medication history is not part of this mock viewer.</p>`;
    if (!this.#user?.pharmanet) {
      return html`<p class="empty">PharmaNet is not set up for your account. Ask your clinic to request PharmaNet access.</p>`;
    }
    const dispenses = this.pharmanet;
    return html`
      <p>PharmaNet shows the drugs dispensed by B.C. community pharmacies in the last 14 months.</p>
      <button class="primary" type="button" @click=${this.#searchPharmaNet} ?disabled=${dispenses === 'loading'}>Search PharmaNet</button>
      ${dispenses === 'loading' ? html`<p role="status">Searching PharmaNet…</p>` : nothing}
      ${typeof dispenses === 'object' && dispenses && 'failed' in dispenses
        ? html`<div role="alert"><p class="warn">PharmaNet could not be searched. ${dispenses.failed}</p>
            <button type="button" @click=${this.#searchPharmaNet}>Retry</button></div>`
        : nothing}
      ${Array.isArray(dispenses)
        ? dispenses.length
          ? html`<table><caption>${dispenses.length} dispenses in the last 14 months</caption>
              <thead><tr><th scope="col">Date</th><th scope="col">Drug</th><th scope="col">Strength</th><th scope="col">Quantity</th><th scope="col">Days</th><th scope="col">Pharmacy</th></tr></thead>
              <tbody>${dispenses.map((d) => html`<tr><td>${d.date}</td><td>${d.drug}</td><td>${d.strength}</td><td>${d.quantity}</td><td>${d.daysSupply}</td><td>${d.pharmacy}</td></tr>`)}</tbody></table>`
          : html`<p class="empty">No drugs dispensed in the last 14 months.</p>`
        : nothing}`;
  }
}

if (!customElements.get('mock-viewer-app')) customElements.define('mock-viewer-app', MockViewerApp);

declare global {
  interface HTMLElementTagNameMap {
    'mock-viewer-app': MockViewerApp;
  }
}
