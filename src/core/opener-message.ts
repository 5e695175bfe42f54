// The viewer's reading of protocol v1: what an EMR page may send it, parsed as strictly as the
// SDK parses the viewer's answers. Used by `careconnect-launch/viewer`; not in core's index (its budget).
import { ownProperties } from './own-properties.js';
import { PROTOCOL, PROTOCOL_VERSION, REQUEST_ID, type OpenerMessage } from './protocol.js';

/** Returns null, never throws, for anything that is not exactly `launch`, `ping` or `logout`. */
export function parseOpenerMessage(data: unknown): OpenerMessage | null {
  try {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
    const { protocol, version, type, requestId, token } = ownProperties(data);
    if (protocol !== PROTOCOL || version !== PROTOCOL_VERSION) return null;
    const keys = Object.keys(data).length;
    if ((type === 'ping' || type === 'logout') && keys === 3) return { type };
    if (type === 'launch' && keys === 5 && typeof requestId === 'string' && REQUEST_ID.test(requestId) &&
      typeof token === 'string' && token.length > 0 && token.length <= 16_384) {
      return { type, requestId, token };
    }
    return null;
  } catch {
    return null;
  }
}
