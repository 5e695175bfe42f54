// What a launch carries: the `ctx` claim of the launch token, and the request a token provider gets.
import type { ProvinceCode } from './provinces.js';
import type { Network, ViewerId } from './viewers.js';

export type Gender = 'female' | 'male' | 'other' | 'unknown';
export type UserRole = 'provider' | 'staff';

export interface PatientContext {
  /** The EMR's own chart id. */
  id: string;
  givenName?: string;
  familyName?: string;
  /** ISO `YYYY-MM-DD`. */
  birthDate?: string;
  gender?: Gender;
}

export interface LaunchContext {
  healthNumber: { province: ProvinceCode; value: string };
  patient: PatientContext;
  location: { id?: string; province: ProvinceCode | null };
  user: { role: UserRole };
  network: Network;
}

/** What `.tokenProvider` receives: mint a token for `audience` carrying `ctx`. */
export interface TokenRequest {
  viewerId: ViewerId;
  /** The token's `aud`: the viewer id. */
  audience: ViewerId;
  ctx: LaunchContext;
  /**
   * The launch's id, the same as `detail.requestId` in each of its `careconnect-*` events and protocol v1's
   * `requestId`: a label for the EMR's audit line (`createTokenHandler` hands it to `onMint`). Always set
   * by `<careconnect-button>`; random, never a patient identifier.
   */
  requestId?: string;
}
