// What the mock's servers keep for a while, by key: capped in count, the oldest going first, and each
// entry for a time. 3,000 launches of 15 KB once took a process from 48 to 132 MB.

export class Kept<T> {
  readonly #entries = new Map<string, { value: T; expires: number }>();

  constructor(readonly maxEntries: number, readonly ttlMs: number) {}

  /** Keeps `value` under `key` (as the newest), for `ttlMs` unless told otherwise. */
  set(key: string, value: T, ttlMs = this.ttlMs): void {
    const now = Date.now();
    for (const [id, entry] of this.#entries) if (entry.expires < now) this.#entries.delete(id);
    this.#entries.delete(key);
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size < this.maxEntries) break;
      this.#entries.delete(oldest);
    }
    this.#entries.set(key, { value, expires: now + ttlMs });
  }

  delete(key: string | undefined): void {
    if (key !== undefined) this.#entries.delete(key);
  }

  get(key: string | undefined): T | undefined {
    const entry = key === undefined ? undefined : this.#entries.get(key);
    return entry && entry.expires >= Date.now() ? entry.value : undefined;
  }

  /** Reads it and keeps it for another `ttlMs`, as the newest: an entry in use is not the oldest. */
  touch(key: string | undefined): T | undefined {
    const value = this.get(key);
    if (value !== undefined) this.set(key!, value);
    return value;
  }

  get size(): number {
    return this.#entries.size;
  }
}
