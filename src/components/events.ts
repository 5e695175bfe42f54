// The events <careconnect-button> fires, typed for `addEventListener` in the host's code.
import type { CareConnectErrorCode } from '../core/errors.js';
import type { ViewerId } from '../core/viewers.js';

export type ViewerConfig = {
  /** Overrides the viewer's default launch URL; the origin checks use its origin. */
  launchUrl?: string;
  transport?: 'post-message' | 'form-post';
  /** The organisation code CareConnect's form POST sends as `o`. */
  organization?: string;
};

export type ViewersConfig = Partial<Record<ViewerId, ViewerConfig>>;

/**
 * Events never carry the health number or the patient's name: hosts often log them. One click's launch
 * has one `requestId` (128 random bits), in each of its events and in the `TokenRequest` its token
 * provider gets: the EMR's audit line (`onMint`) ties it to the token's `jti`.
 */
export interface CareConnectViewerDetail {
  viewerId: ViewerId;
  patientId: string | null;
  requestId: string;
}

export type CareConnectLaunchDetail = CareConnectViewerDetail;

export interface CareConnectErrorDetail {
  code: CareConnectErrorCode;
  /** A sentence a clinician can act on, the same one the button shows. */
  message: string;
  viewerId: ViewerId | null;
  /** The EMR's chart id and the launch's id, of the click the error is about (absent only for news about no launch of this button's). */
  patientId?: string | null;
  requestId?: string;
  /**
   * Why, when known. For `token-failed`: what `.tokenProvider` threw or rejected with (the host's own
   * value, as it was), the `typeof` of what it resolved instead of a token (`'undefined'`, `'object'`,
   * `'string'` for an empty one), `'timeout'` (no token within `timeout` ms) or `'viewer'` (the viewer
   * refused the token). `'viewer'` for any error the viewer sent; `'timeout'` for `viewer-timeout`.
   */
  cause?: unknown;
}

/** `.logger`: any object with a `debug` method, `console` for one. Told each event as it fires, with its detail. */
export interface CareConnectLogger {
  debug(...data: unknown[]): void;
}

export interface CareConnectEventMap {
  'careconnect-launch': CustomEvent<CareConnectLaunchDetail>;
  'careconnect-ready': CustomEvent<CareConnectViewerDetail>;
  'careconnect-match': CustomEvent<CareConnectViewerDetail>;
  'careconnect-accept': CustomEvent<CareConnectViewerDetail>;
  'careconnect-reject': CustomEvent<CareConnectViewerDetail>;
  'careconnect-close': CustomEvent<CareConnectViewerDetail>;
  'careconnect-error': CustomEvent<CareConnectErrorDetail>;
}

declare global {
  interface HTMLElementEventMap extends CareConnectEventMap {}
}
