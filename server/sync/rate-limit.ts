// A token bucket: `rate` tokens a second, holding at most `burst`.
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

  /** Takes one token; false when the bucket is empty. */
  take(): boolean {
    const t = this.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((t - this.#last) / 1000) * this.rate);
    this.#last = t;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/** One bucket per key; with very many keys they are all forgotten, so memory stays bounded. */
export class BucketMap {
  #buckets = new Map<string, TokenBucket>();
  #sweep = 0;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {}

  take(key: string): boolean {
    if (++this.#sweep % 1024 === 0 && this.#buckets.size > 10_000) this.#buckets.clear();
    let bucket = this.#buckets.get(key);
    if (!bucket) this.#buckets.set(key, (bucket = new TokenBucket(this.rate, this.burst)));
    return bucket.take();
  }
}
