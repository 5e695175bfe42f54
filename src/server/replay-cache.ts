// Single-use launch tokens: a cache that claims each `jti` atomically, once.

/**
 * One atomic, async operation, so the check and the record cannot race between verifier
 * instances. Redis does it with `SET key 1 NX EXAT expiresAt` (true when the reply is OK).
 */
export interface ReplayCache {
  /** True the first time `jti` is seen; false every time after, until `expiresAt` (epoch seconds). */
  claim(jti: string, expiresAt: number): Promise<boolean>;
}

const SWEEP_INTERVAL_MS = 1_000;

/** The default: entries in memory until their token expires. Right for a single verifier process. */
export class MemoryReplayCache implements ReplayCache {
  #seen = new Map<string, number>();
  #lastSweep = 0;

  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  async claim(jti: string, expiresAt: number): Promise<boolean> {
    this.#sweep();
    const until = this.#seen.get(jti);
    if (until !== undefined && until * 1000 >= this.#now()) return false;
    this.#seen.set(jti, expiresAt);
    return true;
  }

  /** How many `jti`s are remembered now. */
  get size(): number {
    return this.#seen.size;
  }

  #sweep(): void {
    const now = this.#now();
    if (now - this.#lastSweep < SWEEP_INTERVAL_MS) return;
    this.#lastSweep = now;
    for (const [jti, until] of this.#seen) if (until * 1000 < now) this.#seen.delete(jti);
  }
}
