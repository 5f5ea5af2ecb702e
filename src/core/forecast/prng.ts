/**
 * A seeded pseudo-random number generator (sfc32, seeded through splitmix32), so a forecast or
 * a simulation is the same for the same seed on every machine. The core never calls
 * `Math.random()`: callers create one of these and pass it in.
 */
export interface Prng {
  /** A uniform number in [0, 1). */
  next(): number;
  /** A uniform number in [a, b). */
  uniform(a: number, b: number): number;
  /** A whole number in [0, n). */
  int(n: number): number;
  /** A normal variate (Box–Muller). */
  normal(mean: number, sd: number): number;
  /** A gamma variate with shape `k` and scale 1 (Marsaglia–Tsang). */
  gamma(k: number): number;
  /** A new generator whose stream depends only on this one's state now (for independent runs). */
  fork(): Prng;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Hashes a seed given as text (FNV-1a) or a number into 32 bits. */
export function seedOf(seed: number | string): number {
  if (typeof seed === "number" && Number.isSafeInteger(seed)) return (seed ^ Math.floor(seed / 2 ** 32)) >>> 0;
  const text = String(seed);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Creates a seeded generator; the same seed always gives the same stream. */
export function createPrng(seed: number | string): Prng {
  const mix = splitmix32(seedOf(seed));
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();
  const u32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) u32();
  let spare: number | undefined;
  const next = (): number => (u32() * 2 ** 21 + (u32() >>> 11)) / 2 ** 53;
  const prng: Prng = {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    int: (n) => Math.floor(next() * n),
    normal(mean, sd) {
      if (spare !== undefined) {
        const z = spare;
        spare = undefined;
        return mean + sd * z;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return mean + sd * r * Math.cos(2 * Math.PI * v);
    },
    gamma(k) {
      if (k < 1) {
        // Boost: gamma(k) = gamma(k + 1) · U^(1/k).
        let u = 0;
        while (u === 0) u = next();
        return prng.gamma(k + 1) * Math.pow(u, 1 / k);
      }
      const dd = k - 1 / 3;
      const cc = 1 / Math.sqrt(9 * dd);
      for (;;) {
        let x: number;
        let v: number;
        do {
          x = prng.normal(0, 1);
          v = 1 + cc * x;
        } while (v <= 0);
        v = v * v * v;
        const u = next();
        if (u < 1 - 0.0331 * x * x * x * x) return dd * v;
        if (Math.log(u) < 0.5 * x * x + dd * (1 - v + Math.log(v))) return dd * v;
      }
    },
    fork: () => createPrng(u32()),
  };
  return prng;
}
