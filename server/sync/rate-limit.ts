// Token buckets: `rate` tokens a second, holding at most `burst`. Messages take one token
// each; bytes are charged by count and may run the bucket into debt (a message larger than
// the burst still passes, and the sender then waits it off).
export class TokenBucket {
  #tokens: number;
  #last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#tokens = burst;
    this.#last = now();
  }

  /** Takes `n` tokens; false (and nothing taken) when the bucket holds fewer. */
  take(n = 1): boolean {
    this.#refill();
    if (this.#tokens < n) return false;
    this.#tokens -= n;
    return true;
  }

  /** Takes `n` tokens even into debt; returns how many ms until the bucket is out of debt. */
  charge(n: number): number {
    this.#refill();
    this.#tokens -= n;
    return this.#tokens >= 0 ? 0 : Math.ceil((-this.#tokens / this.rate) * 1000);
  }

  /** Gives back `n` tokens (a request that turned out to deserve none), up to the burst. */
  refund(n = 1): void {
    this.#refill();
    this.#tokens = Math.min(this.burst, this.#tokens + n);
  }

  /** Back at the burst: indistinguishable from a new bucket, so it may be forgotten. */
  get full(): boolean {
    this.#refill();
    return this.#tokens >= this.burst;
  }

  #refill(): void {
    const t = this.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((t - this.#last) / 1000) * this.rate);
    this.#last = t;
  }
}

/**
 * One bucket per key, at most `capacity` of them. A bucket back at its burst is forgotten
 * (a new one would be the same); past the capacity the least recently used goes first. So
 * creating many keys cannot reset a bucket that is in use: it is the most recently used.
 */
export class BucketMap {
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly capacity = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get size(): number {
    return this.#buckets.size;
  }

  take(key: string, n = 1): boolean {
    return this.bucket(key).take(n);
  }

  /** The key's bucket, marked most recently used. */
  bucket(key: string): TokenBucket {
    let bucket = this.#buckets.get(key);
    if (bucket) this.#buckets.delete(key);
    else {
      bucket = new TokenBucket(this.rate, this.burst, this.now);
      this.#evict();
    }
    this.#buckets.set(key, bucket);
    return bucket;
  }

  #evict(): void {
    if (this.#buckets.size < this.capacity) return;
    // Oldest first (Map keeps insertion order, and use re-inserts): drop full buckets, and the
    // least recently used one if none of a few is full.
    let checked = 0;
    for (const [key, bucket] of this.#buckets) {
      if (this.#buckets.size < this.capacity) return;
      if (bucket.full) this.#buckets.delete(key);
      if (++checked >= 32) break;
    }
    while (this.#buckets.size >= this.capacity) {
      const oldest = this.#buckets.keys().next().value as string;
      this.#buckets.delete(oldest);
    }
  }
}
