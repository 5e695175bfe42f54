// What the EMR's chart windows tell each other about a patient: a SHA-256 of the in-memory key and
// the windows' shared secret, never the key itself. Worked out once per key, asynchronously.

const digests = new Map<string, string>();

/**
 * The digest of `key` under `secret`, or undefined while it is worked out (then `onReady` runs: each
 * caller's, so none is forgotten; with no `onReady`, only what is known, and nothing starts). Where the
 * page has no Web Crypto (an insecure context) it is `?`, which matches no record: the guard warns.
 */
export function digestOf(key: string, secret: string, onReady?: () => void): string | undefined {
  if (!crypto.subtle) return '?';
  // Under another tab's secret too: the cache tells them apart (a secret is digits and x, a key starts with '[').
  const id = secret + key;
  const known = digests.get(id);
  if (known === undefined && onReady) {
    crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret + key)).then((buffer) => {
      // A long day of charts: keep the memory bounded.
      if (digests.size > 1000) digests.clear();
      digests.set(id, Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join(''));
      onReady();
    }, () => {}); // no digest: the record never matches, and the guard warns
  }
  return known;
}
