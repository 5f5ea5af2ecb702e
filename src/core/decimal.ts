/**
 * Exact decimal numbers for money and quantities: `units / 10^scale`, with `units` a bigint.
 * Nothing here ever goes through binary floating point, except `decimalFromNumber`, which
 * reads a JSON number back through its shortest round-trip text (what the file said).
 */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** The decimal `0`. */
export const ZERO: Decimal = Object.freeze({ units: 0n, scale: 0 });

const POW10: bigint[] = [1n];
/** 10^n as a bigint, cached for the scales money uses. */
export function pow10(n: number): bigint {
  let p = POW10[n];
  if (p === undefined) {
    p = 10n ** BigInt(n);
    if (n < 64) POW10[n] = p;
  }
  return p;
}

/**
 * Parses decimal text such as `"12.3456"`, `"-0.5"`, `"3"` or `"1.5E-7"`.
 * Returns `undefined` for anything else (empty, `"1,5"`, `"$3"`, `"NaN"`).
 */
export function parseDecimal(text: string): Decimal | undefined {
  const m = DECIMAL_TEXT.exec(text.trim());
  if (!m) return undefined;
  const sign = m[1] ?? "";
  const int = m[2] ?? "";
  const frac = m[3] ?? "";
  if (int === "" && frac === "") return undefined;
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 400) return undefined;
  let units = BigInt((int || "0") + frac);
  if (sign === "-") units = -units;
  let scale = frac.length - exp;
  if (scale < 0) {
    units *= pow10(-scale);
    scale = 0;
  }
  return normalize({ units, scale });
}

/** Reads a JSON number exactly as it was written (its shortest round-trip text). */
export function decimalFromNumber(n: number): Decimal | undefined {
  if (!Number.isFinite(n)) return undefined;
  if (Number.isSafeInteger(n)) return n === 0 ? ZERO : { units: BigInt(n), scale: 0 };
  const text = String(n);
  const dot = text.indexOf(".");
  if (dot < 0 || text.includes("e")) return parseDecimal(text);
  // The shortest round-trip text has no trailing zeros: the digits without the point are the units.
  return { units: BigInt(text.slice(0, dot) + text.slice(dot + 1)), scale: text.length - dot - 1 };
}

/**
 * The double whose shortest text is exactly the decimal `text` ("7.75" → 7.75), or undefined
 * where no double is (more digits than a double holds), so callers keep the text instead.
 */
export function exactDouble(text: string): number | undefined {
  const d = parseDecimal(text);
  const n = Number(text);
  const back = decimalFromNumber(n);
  return d !== undefined && back !== undefined && compareDecimal(d, back) === 0 ? n : undefined;
}

/** 10^k for k = 0..15, exact doubles (no pow call on the hot path). */
const POW10_DOUBLE: readonly number[] = Array.from({ length: 16 }, (_, k) => Number(`1e${k}`));

/**
 * `n` as a whole number of 10^-scale, when plain arithmetic proves it is exactly `n`'s own
 * digits (its shortest round-trip text then needs at most `scale` decimals); else undefined,
 * which proves nothing.
 */
export function provenUnits(n: number, scale: number): number | undefined {
  if (scale >= POW10_DOUBLE.length) return undefined;
  const p = POW10_DOUBLE[scale]!;
  const v = Math.round(n * p);
  // Below 2^51, distinct integers over p are distinct doubles, and the number's own digits D
  // satisfy D / p === n (correctly rounded division): so v / p === n proves v === D.
  return Math.abs(v) < 2 ** 51 && v / p === n ? v : undefined;
}

/**
 * A JSON number as whole units of 10^-scale, exactly as written (its shortest round-trip text
 * must need at most `scale` decimals). Uses plain arithmetic where a double is provably exact.
 */
export function unitsOfNumber(n: number, scale: number): bigint {
  const v = provenUnits(n, scale);
  return v !== undefined ? BigInt(v) : unitsAt(decimalFromNumber(n)!, scale);
}

/** Strips trailing zeros so equal values have one representation. */
export function normalize(d: Decimal): Decimal {
  let { units, scale } = d;
  if (units === 0n) return ZERO;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale--;
  }
  return units === d.units && scale === d.scale ? d : { units, scale };
}

/** The units of `d` at a larger or equal `scale`. Throws if that would lose digits. */
export function unitsAt(d: Decimal, scale: number): bigint {
  if (d.scale === scale) return d.units;
  if (d.scale < scale) return d.units * pow10(scale - d.scale);
  const n = normalize(d);
  if (n.scale > scale) throw new RangeError(`decimal ${formatDecimal(d)} needs scale ${n.scale} > ${scale}`);
  return n.units * pow10(scale - n.scale);
}

/** a + b, exact. */
export function addDecimal(a: Decimal, b: Decimal): Decimal {
  const s = Math.max(a.scale, b.scale);
  return { units: unitsAt(a, s) + unitsAt(b, s), scale: s };
}

/** a − b, exact. */
export function subDecimal(a: Decimal, b: Decimal): Decimal {
  const s = Math.max(a.scale, b.scale);
  return { units: unitsAt(a, s) - unitsAt(b, s), scale: s };
}

/** a × b, exact. */
export function mulDecimal(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** −1, 0 or 1 as a < b, a = b, a > b. */
export function compareDecimal(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const s = Math.max(a.scale, b.scale);
  const x = unitsAt(a, s);
  const y = unitsAt(b, s);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The absolute value. */
export function absDecimal(d: Decimal): Decimal {
  return d.units < 0n ? { units: -d.units, scale: d.scale } : d;
}

/** Plain decimal text with no trailing zeros: `"12.3456"`, `"0"`, `"-0.5"`. */
export function formatDecimal(d: Decimal): string {
  return formatUnits(d.units, d.scale);
}

/** Plain decimal text for `units / 10^scale`, trailing zeros stripped. */
export function formatUnits(units: bigint, scale: number): string {
  if (units === 0n) return "0";
  const negative = units < 0n;
  let digits = (negative ? -units : units).toString();
  if (scale > 0) {
    if (digits.length <= scale) digits = "0".repeat(scale - digits.length + 1) + digits;
    let int = digits.slice(0, digits.length - scale);
    const frac = digits.slice(digits.length - scale).replace(/0+$/, "");
    if (int === "") int = "0";
    digits = frac === "" ? int : `${int}.${frac}`;
  }
  return negative ? `-${digits}` : digits;
}

/** Number of digits after the point that `d` needs. */
export function scaleOf(d: Decimal): number {
  return normalize(d).scale;
}
