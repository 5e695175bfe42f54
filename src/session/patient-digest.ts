// What the EMR's chart windows tell each other about a patient: a SHA-256 of the in-memory key and
// the windows' shared secret, never the key itself. Worked out once per key, asynchronously.

const digests = new Map<string, string>();
const pending = new Set<string>();

/**
 * The digest of `key` under `secret`, or undefined while it is worked out (then `onReady` runs). Where
 * the page has no Web Crypto (an insecure context) it is `?`, which matches no record: the guard warns.
 */
export function digestOf(key: string, secret: string, onReady: () => void): string | undefined {
  const known = digests.get(key);
  if (!crypto.subtle) return '?';
  if (known !== undefined || pending.has(key)) return known;
  pending.add(key);
  crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret + key)).then((buffer) => {
    pending.delete(key);
    // A long day of charts: keep the memory bounded.
    if (digests.size > 1000) digests.clear();
    digests.set(key, Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join(''));
    onReady();
  }, () => pending.delete(key));
  return undefined;
}
