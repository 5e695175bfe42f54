// Single-use launch tokens: a cache that claims each token's key atomically, once.

/**
 * One atomic, async operation, so the check and the record cannot race between verifier
 * instances. Redis does it with `SET key 1 NX PX <ms>` (true when the reply is OK).
 */
export interface ReplayCache {
  /**
   * True the first time `key` is seen; false every time after, until `expiresAt`. Both times are
   * epoch seconds on the verifier's clock, `now` its present (default: this process's clock): keep
   * the key `expiresAt - now` seconds, since the cache's own clock may differ from the verifier's.
   * `verifyLaunchToken` passes a digest of the token's `iss` and `jti` as the key.
   */
  claim(key: string, expiresAt: number, now?: number): Promise<boolean>;
}

const SWEEP_INTERVAL_MS = 1_000;

/** The default: entries in memory until their token expires. Right for a single verifier process. */
export class MemoryReplayCache implements ReplayCache {
  /** Each key's deadline in ms on this cache's clock. */
  #seen = new Map<string, number>();
  #lastSweep = 0;

  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  async claim(key: string, expiresAt: number, now?: number): Promise<boolean> {
    this.#sweep();
    const clock = this.#now();
    const until = this.#seen.get(key);
    if (until !== undefined && until >= clock) return false;
    // A verifier at a `currentDate` of its own: keep the key as long as it has left there.
    this.#seen.set(key, clock + (expiresAt - (now ?? clock / 1000)) * 1000);
    return true;
  }

  /** How many keys are remembered now. */
  get size(): number {
    return this.#seen.size;
  }

  #sweep(): void {
    const now = this.#now();
    if (now - this.#lastSweep < SWEEP_INTERVAL_MS) return;
    this.#lastSweep = now;
    for (const [key, until] of this.#seen) if (until < now) this.#seen.delete(key);
  }
}
