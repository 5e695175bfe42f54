// <careconnect-button>: renders the launch state and turns a click into a viewer launch.
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type { CareConnectErrorCode } from '../core/errors.js';
import { validateHealthNumber } from '../core/health-number.js';
import { selectViewer, type Network, type ViewerDescriptor } from '../core/viewers.js';
import { viewerWindowFor } from '../session/viewer-window.js';
import styles from './careconnect-button.styles.js';
import type { CareConnectEventMap, ViewersConfig } from './events.js';
import { errorMessage } from './messages.js';

export type LaunchState = 'idle' | 'opening' | 'waiting' | 'matching' | 'showing' | 'stale' | 'error';
export type UserRole = 'provider' | 'staff';
export type Gender = 'female' | 'male' | 'other' | 'unknown';

export interface PatientDemographics {
  id?: string;
  givenName?: string;
  familyName?: string;
  /** ISO `YYYY-MM-DD`. */
  birthDate?: string;
  gender?: Gender;
}

/** Resolves to a signed launch token (JWS) minted by the EMR's back end for this context. */
export type TokenProvider = (context: unknown) => Promise<string>;

// Attributes that identify the patient or the viewer: when one changes, an old message is stale.
const CONTEXT_PROPERTIES = [
  'healthNumber', 'healthNumberProvince', 'patientId', 'locationProvince', 'accountProvince', 'viewers', 'network',
] as const;

/**
 * A button that opens the provincial EHR viewer (BC CareConnect, Alberta Netcare Portal, ...)
 * for the patient on screen, in one reusable popup window.
 *
 * @summary Launches the provincial EHR viewer for the patient in the chart.
 *
 * @fires careconnect-launch - Cancelable. Before the viewer window opens; `preventDefault()` stops it.
 * @fires careconnect-error - With `detail.code` and a clinician-facing `detail.message`.
 *
 * @csspart base - The `<button>`.
 * @csspart label - The viewer's name inside the button.
 * @csspart status - The inline message, announced to screen readers.
 *
 * @cssprop --careconnect-button-background - Button background (default #234075).
 * @cssprop --careconnect-button-color - Button text colour (default #ffffff).
 * @cssprop --careconnect-button-radius - Corner radius (default 4px).
 * @cssprop --careconnect-button-focus-ring - Focus outline colour.
 * @cssprop --careconnect-button-error-color - Colour of the inline error message.
 */
export class CareConnectButton extends LitElement {
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
    patient: { attribute: false },
    tokenProvider: { attribute: false },
    viewers: { attribute: false },
    state: { reflect: true },
    message: { state: true },
  };

  /** The patient's health number; spaces and dashes are fine. */
  healthNumber: string | null = null;
  /** The province that issued `health-number`; defaults to the viewer's province. */
  healthNumberProvince: string | null = null;
  /** The EMR's own chart id for the patient. */
  patientId: string | null = null;
  /** The province of the clinic location selected in the EMR. */
  locationProvince: string | null = null;
  /** The EMR account's province, used when the location has none. */
  accountProvince: string | null = null;
  /** `provider` or `staff` (an office assistant). */
  userRole: UserRole = 'provider';
  /** `ppn` inside the Private Physician Network, `internet` otherwise. */
  network: Network = 'ppn';
  /** The patient's given name, for the viewer's match review. */
  givenName: string | null = null;
  /** The patient's family name. */
  familyName: string | null = null;
  /** The patient's birth date, ISO `YYYY-MM-DD`. */
  birthDate: string | null = null;
  /** `female`, `male`, `other` or `unknown`. */
  gender: Gender | null = null;
  /** The demographics as one object; attributes win where both are set. */
  patient: PatientDemographics | null = null;
  /** Mints the signed launch token; required for viewers that speak the launch protocol. */
  tokenProvider: TokenProvider | null = null;
  /** The viewers this EMR has enabled, by id; an unlisted viewer gives `not-configured`. */
  viewers: ViewersConfig | null = null;
  /** Where the launch is: idle, opening, waiting, matching, showing, stale or error. Read-only. */
  state: LaunchState = 'idle';

  private message = '';

  /** The viewer for the current location, or null when none is offered (then nothing renders). */
  get viewer(): ViewerDescriptor | null {
    return selectViewer({ locationProvince: this.locationProvince, accountProvince: this.accountProvince });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (this.state === 'error' && CONTEXT_PROPERTIES.some((name) => changed.has(name))) {
      this.state = 'idle';
      this.message = '';
    }
  }

  protected override render() {
    const viewer = this.viewer;
    if (!viewer) return nothing;
    const busy = this.state === 'opening';
    return html`
      <button part="base" type="button" aria-busy=${busy ? 'true' : 'false'} @click=${this.handleClick}>
        <span part="label">${viewer.name}</span>
      </button>
      <p part="status" role="status">${this.message}</p>
    `;
  }

  private handleClick = () => {
    const viewer = this.viewer;
    if (!viewer) return;
    const launchUrl = this.launchUrlFor(viewer);
    if (!launchUrl) return this.fail('not-configured', viewer);
    const healthNumber = validateHealthNumber(viewer.healthNumberProvince, this.healthNumber);
    const numberProvince = (this.healthNumberProvince || viewer.healthNumberProvince).toUpperCase();
    if (!healthNumber.valid || numberProvince !== viewer.healthNumberProvince) {
      return this.fail('health-number-required', viewer);
    }
    const proceed = this.emit('careconnect-launch', { viewerId: viewer.id, patientId: this.patientId }, true);
    if (!proceed) return;
    // Synchronous on purpose: nothing may be awaited between the click and window.open.
    const outcome = viewerWindowFor(viewer.id).openOrFocus(launchUrl);
    if (outcome === 'blocked') return this.fail('popup-blocked', viewer);
    this.message = '';
    this.state = 'waiting';
  };

  /** The enabled launch URL for `viewer`, or null when the EMR has not enabled a usable one. */
  private launchUrlFor(viewer: ViewerDescriptor): string | null {
    const config = this.viewers?.[viewer.id];
    if (!config) return null;
    const candidate = config.launchUrl ?? viewer.launchUrls[this.network] ?? viewer.launchUrl;
    if (!candidate) return null;
    try {
      const url = new URL(candidate, document.baseURI);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
    } catch {
      return null;
    }
  }

  private fail(code: CareConnectErrorCode, viewer: ViewerDescriptor | null): void {
    this.message = errorMessage(code, viewer);
    this.state = 'error';
    this.emit('careconnect-error', { code, message: this.message, viewerId: viewer?.id ?? null });
  }

  private emit<K extends keyof CareConnectEventMap>(
    type: K,
    detail: CareConnectEventMap[K]['detail'],
    cancelable = false,
  ): boolean {
    return this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }));
  }
}
