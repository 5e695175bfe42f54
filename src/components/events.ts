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

/** Events never carry the health number or the patient's name: hosts often log them. */
export interface CareConnectLaunchDetail {
  viewerId: ViewerId;
  patientId: string | null;
}

export interface CareConnectErrorDetail {
  code: CareConnectErrorCode;
  /** A sentence a clinician can act on, the same one the button shows. */
  message: string;
  viewerId: ViewerId | null;
}

export interface CareConnectViewerDetail {
  viewerId: ViewerId;
  patientId: string | null;
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
