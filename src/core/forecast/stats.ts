import type { Prng } from "./prng.js";

/** z for a two-sided 90% interval (the p5–p95 band used throughout the forecast). */
export const Z90 = 1.6448536269514722;

/** A point estimate with its 90% interval. */
export interface Interval {
  readonly mean: number;
  readonly low: number;
  readonly high: number;
}

/** The Wilson score interval (90%) of a proportion `k / n`; honest for small n and for k = 0. */
export function wilson(k: number, n: number): Interval {
  if (n === 0) return { mean: 0, low: 0, high: 1 };
  const p = k / n;
  const z2 = Z90 * Z90;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z90 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { mean: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Running mean and variance (Welford), for statistics only (never money totals). */
export class Moments {
  n = 0;
  private m = 0;
  private s = 0;
  add(x: number): void {
    this.n++;
    const d = x - this.m;
    this.m += d / this.n;
    this.s += d * (x - this.m);
  }
  get mean(): number {
    return this.m;
  }
  /** The sample standard deviation (0 below two values). */
  get sd(): number {
    return this.n > 1 ? Math.sqrt(this.s / (this.n - 1)) : 0;
  }
  /** The mean with its 90% interval (normal approximation). */
  interval(): Interval {
    const half = this.n > 1 ? (Z90 * this.sd) / Math.sqrt(this.n) : 0;
    return { mean: this.m, low: this.m - half, high: this.m + half };
  }
}

/** The q-quantile (0–1) of sorted values, by linear interpolation. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** A draw from Dirichlet(alpha): category probabilities that reflect how few observations there are. */
export function dirichlet(alpha: readonly number[], prng: Prng): number[] {
  const g = alpha.map((a) => (a > 0 ? prng.gamma(a) : 0));
  const sum = g.reduce((x, y) => x + y, 0);
  return sum > 0 ? g.map((x) => x / sum) : alpha.map(() => 1 / alpha.length);
}

/** A draw from Beta(a, b). */
export function beta(a: number, b: number, prng: Prng): number {
  const x = prng.gamma(a);
  const y = prng.gamma(b);
  return x + y > 0 ? x / (x + y) : 0;
}

/** Picks an index by probabilities that sum to 1 (the last absorbs rounding). */
export function pick(probabilities: readonly number[], prng: Prng): number {
  let u = prng.next();
  for (let i = 0; i < probabilities.length - 1; i++) {
    u -= probabilities[i]!;
    if (u < 0) return i;
  }
  return probabilities.length - 1;
}
