import { formatDecimal, parseDecimal, pow10, scaleOf, unitsAt, ZERO, type Decimal } from "../core/index.js";
import { UsageError } from "../errors.js";

/** How far a bill may be from the estimate and still agree: an amount, a share of the estimate, or either. */
export interface Tolerance {
  readonly absolute: Decimal;
  /** Percent of the estimate, e.g. 1 for 1%. */
  readonly percent: Decimal | undefined;
}

/** The default: 1% of the estimate. */
export const DEFAULT_TOLERANCE: Tolerance = { absolute: ZERO, percent: { units: 1n, scale: 0 } };

/** Reads `--tolerance`: `0.001` (money), `2%` (of the estimate), or both, `0.001,2%` (either suffices). */
export function parseTolerance(text: string | undefined): Tolerance {
  if (text === undefined) return DEFAULT_TOLERANCE;
  let absolute: Decimal = ZERO;
  let percent: Decimal | undefined;
  let amounts = 0;
  const bad = (): UsageError => new UsageError(`--tolerance ${JSON.stringify(text)}: expected an amount (0.001), a percentage (1%), or one of each (0.001,1%)`);
  for (const part of text.split(",").map((p) => p.trim())) {
    const pct = part.endsWith("%");
    const d = parseDecimal(pct ? part.slice(0, -1) : part);
    if (!d || d.units < 0n || part === "") throw bad();
    if (pct) {
      if (percent !== undefined) throw bad();
      percent = d;
    } else {
      if (amounts++ > 0) throw bad();
      absolute = d;
    }
  }
  return { absolute, percent };
}

/** The tolerance as text: `1%`, `0.001`, `0.001 or 1%`. */
export function describeTolerance(t: Tolerance): string {
  const parts: string[] = [];
  if (t.absolute.units !== 0n || t.percent === undefined) parts.push(formatDecimal(t.absolute));
  if (t.percent !== undefined) parts.push(`${formatDecimal(t.percent)}%`);
  return parts.join(" or ");
}

/** Decimal places the tolerance needs (so amounts can be compared at one scale). */
export function toleranceScale(t: Tolerance): number {
  return scaleOf(t.absolute);
}

/** True when `gap` (units at `scale`) is within the tolerance of `reference` (the estimate it is measured from). */
export function withinTolerance(gap: bigint, reference: bigint, t: Tolerance, scale: number): boolean {
  const g = gap < 0n ? -gap : gap;
  if (g <= unitsAt(t.absolute, scale)) return true;
  if (t.percent === undefined) return false;
  const r = reference < 0n ? -reference : reference;
  // |gap| ≤ percent/100 · |reference|, exactly.
  return g * 100n * pow10(t.percent.scale) <= t.percent.units * r;
}
