/**
 * Seeded pseudo-random numbers. Every random choice of a run (data generation, initialization,
 * shuffling, dropout) draws from a `Random` derived from the experiment's seed, so a run is exactly
 * reproducible. Not PyTorch's Mersenne Twister: bit-compatibility with torch's RNG is not a goal;
 * distributions are (tests compare moments and bounds, not draws).
 */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal = NaN;

  constructor(readonly seed: number) {
    // splitmix32 expands the seed into xoshiro128** state (never all zero).
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** Uniform 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 bits of resolution. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [low, high). */
  uniformRange(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** Standard normal (Marsaglia polar method; the second value is kept for the next call). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const v = this.spareNormal;
      this.spareNormal = NaN;
      return v;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return u * f;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Fisher–Yates shuffle of `a` in place. */
  shuffle(a: Int32Array | number[]): void {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /**
   * Where the generator is: its four xoshiro128** state words and the cached second normal (NaN =
   * none). A generator given this with `setState` draws exactly what this one draws next, so a
   * resumed run repeats the shuffles and dropout masks of one that never stopped.
   */
  state(): RandomState {
    return [this.s0, this.s1, this.s2, this.s3, this.spareNormal];
  }

  /** Moves the generator to a position `state()` returned (the seed, which only `fork` reads, is kept). */
  setState(state: readonly number[]): void {
    const words = state.slice(0, 4);
    if (state.length !== 5 || !words.every(w => Number.isInteger(w) && w >= -0x80000000 && w <= 0xffffffff)) {
      throw new RangeError(`a random state is four 32-bit integers and a number, not ${JSON.stringify(state)}`);
    }
    if (words.every(w => w === 0)) throw new RangeError('a random state cannot be all zeros (xoshiro128** would only draw zeros)');
    [this.s0, this.s1, this.s2, this.s3] = words.map(w => w | 0) as [number, number, number, number];
    this.spareNormal = typeof state[4] === 'number' ? state[4] : NaN;
  }

  /**
   * An independent stream for a named purpose ("init", "shuffle", "data"), derived from the seed
   * alone, so that adding draws in one place never shifts the numbers drawn in another.
   */
  fork(purpose: string): Random {
    let h = 2166136261 ^ this.seed;
    for (let i = 0; i < purpose.length; i++) {
      h = Math.imul(h ^ purpose.charCodeAt(i), 16777619);
    }
    return new Random(h >>> 0);
  }
}

/** A generator's position (Random.state()): the four state words and the cached normal (NaN = none). */
export type RandomState = [number, number, number, number, number];

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
