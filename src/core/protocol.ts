// Launch protocol v1: the messages between the EMR page (opener) and the viewer window.
// Anything that is not exactly one of these shapes is dropped: the other side may be hostile.
import type { CareConnectErrorCode } from './errors.js';
import { ownProperties } from './own-properties.js';

export const PROTOCOL = 'careconnect-launch';
export const PROTOCOL_VERSION = 1;

/** The error codes a viewer may report; the rest are raised by the opener itself. */
export type ViewerErrorCode = Extract<CareConnectErrorCode, 'auth-failed' | 'no-match' | 'token-failed' | 'busy' | 'unavailable'>;

export type ViewerMessage =
  /** `resume`: after its page loaded again (a sign-in redirect), the viewer still holds this launch. */
  | { type: 'ready'; resume?: string }
  /** `showing`, `at`, `reviewing`: as in `showing`; absent from a viewer that does not say. */
  | { type: 'pong'; showing?: string | null; at?: number; reviewing?: string }
  /** `received`: the launch reached the viewer (its acknowledgement, sent at once). */
  | { type: 'received' | 'match' | 'accepted' | 'rejected'; requestId: string }
  /**
   * The record the viewer displays changed: the accepted launch now on screen, or null for none (a
   * sign-out, a no-match screen). `at`: when it changed, in ms on the clock every window of the machine
   * shares (`Date.now()`), so that the EMR's chart windows keep the newest of news that crossed.
   * `reviewing`: the launch the viewer holds and has not answered yet (sign-in or patient review): it
   * may put that launch's patient on screen any moment, so every chart window but its sender warns.
   */
  | { type: 'showing'; requestId: string | null; at: number; reviewing?: string }
  | { type: 'error'; requestId?: string; code: ViewerErrorCode };

export type OpenerMessage =
  | { type: 'launch'; requestId: string; token: string }
  | { type: 'ping' }
  | { type: 'logout' };

const VIEWER_ERROR_CODES: readonly string[] = ['auth-failed', 'no-match', 'token-failed', 'busy', 'unavailable'];
export const REQUEST_ID = /^[\w-]{8,64}$/;

/** Wraps a message in the protocol envelope. */
export function envelope<M extends OpenerMessage | ViewerMessage>(message: M) {
  return { protocol: PROTOCOL, version: PROTOCOL_VERSION, ...message } as const;
}

const isId = (value: unknown): value is string => typeof value === 'string' && REQUEST_ID.test(value);
/** A time stamp (`at`): a whole number of ms, 0 for "since the window opened". */
const isStamp = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const hasOnlyKeys = (data: object, allowed: string[]) => Object.keys(data).every((key) => allowed.includes(key));

/**
 * Parses what a viewer posted. Returns null, never throws, for anything malformed: a wrong
 * protocol or version, an unknown type, a missing or odd `requestId`, an unknown error code,
 * or any key the type does not have.
 */
export function parseViewerMessage(data: unknown): ViewerMessage | null {
  try {
    return parseShape(data);
  } catch {
    return null; // a throwing getter or a revoked proxy, from a JS caller: still just "not a message"
  }
}

function parseShape(data: unknown): ViewerMessage | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const { protocol, version, type, requestId, code, resume, showing, at, reviewing } = ownProperties(data);
  if (protocol !== PROTOCOL || version !== PROTOCOL_VERSION) return null;
  const base = ['protocol', 'version', 'type'];
  const validId = isId(requestId);
  // A launch under review, on a record: kept only when it is a request id.
  const review = reviewing === undefined ? {} : isId(reviewing) ? { reviewing } : null;
  switch (type) {
    case 'ready':
      if (resume === undefined) return hasOnlyKeys(data, base) ? { type } : null;
      return isId(resume) && hasOnlyKeys(data, [...base, 'resume']) ? { type, resume } : null;
    case 'pong':
      if (showing === undefined) return hasOnlyKeys(data, base) ? { type } : null;
      return (showing === null || isId(showing)) && isStamp(at) && review && hasOnlyKeys(data, [...base, 'showing', 'at', 'reviewing']) ? { type, showing: showing as string | null, at, ...review } : null;
    case 'showing':
      return (requestId === null || validId) && isStamp(at) && review && hasOnlyKeys(data, [...base, 'requestId', 'at', 'reviewing']) ? { type, requestId: requestId as string | null, at, ...review } : null;
    case 'received':
    case 'match':
    case 'accepted':
    case 'rejected':
      return validId && hasOnlyKeys(data, [...base, 'requestId']) ? { type, requestId: requestId as string } : null;
    case 'error': {
      // includes() compares strictly: a code that is no string is no code.
      if (!VIEWER_ERROR_CODES.includes(code as string)) return null;
      if (!hasOnlyKeys(data, [...base, 'requestId', 'code'])) return null;
      if (requestId === undefined) return { type, code: code as ViewerErrorCode };
      return validId ? { type, requestId: requestId as string, code: code as ViewerErrorCode } : null;
    }
    default:
      return null;
  }
}
