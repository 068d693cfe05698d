// Seeded pseudo-random numbers for the bootstraps, so that a stats page shows the same intervals on every load.

/** A source of uniform numbers in [0, 1). */
export type Uniform = () => number;

/** A seeded stream of uniforms that can also hand out many at once. */
export interface SeededRandom extends Uniform {
  /**
   * Writes the next `count` numbers of the stream into out[0..count), exactly those as many calls would
   * return, at a fraction of their cost (the state stays in locals): for loops of millions of draws.
   */
  fill(out: Float64Array, count?: number): Float64Array;
}

/**
 * xoshiro128** (Blackman & Vigna), seeded through splitmix32 so that any 32-bit seed,
 * including 0, gives a well-mixed non-zero state.
 */
export function createSeededRandom(seed: number): SeededRandom {
  let mix = seed >>> 0;
  const splitmix32 = (): number => {
    mix = (mix + 0x9e3779b9) >>> 0;
    let z = mix;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let s0 = splitmix32();
  let s1 = splitmix32();
  let s2 = splitmix32();
  let s3 = splitmix32();
  /** Writes the next numbers of the stream into out[from..to). */
  const generate = (out: Float64Array, from: number, to: number): void => {
    // The state in locals while the loop runs.
    let a = s0;
    let b = s1;
    let c = s2;
    let d = s3;
    for (let i = from; i < to; i++) {
      out[i] = (Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0) / 4294967296;
      const t = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = rotl(d, 11);
    }
    s0 = a;
    s1 = b;
    s2 = c;
    s3 = d;
  };
  // Single numbers come from a small batch made ahead (cheaper than a step per call); `fill` hands out what is left
  // of it first, so both read one stream.
  const ahead = new Float64Array(64);
  let taken = ahead.length;
  const random = (): number => {
    if (taken === ahead.length) {
      generate(ahead, 0, ahead.length);
      taken = 0;
    }
    return ahead[taken++]!;
  };
  const fill = (out: Float64Array, count = out.length): Float64Array => {
    let i = 0;
    while (i < count && taken < ahead.length) out[i++] = ahead[taken++]!;
    generate(out, i, count);
    return out;
  };
  return Object.assign(random, { fill });
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
