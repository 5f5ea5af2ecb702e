import { decimalFromNumber, parseDecimal, POW10_DOUBLE, scaleOf, ZERO, type Decimal } from "../decimal.js";
import type { AttemptTable } from "./attempt-table.js";

/** Reads a quantity (a JSON number or decimal text) exactly; undefined if it is neither. */
export function readQuantity(v: number | string): Decimal | undefined {
  return typeof v === "number" ? decimalFromNumber(v) : parseDecimal(v);
}

function scaleOfNumber(v: number): number {
  const text = String(v);
  if (text.includes("e")) return scaleOf(decimalFromNumber(v) ?? ZERO);
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

/**
 * True when `v` has at most `scale` decimal places: below 2^51, the double nearest to D / 10^scale
 * for the integer D = round(v * 10^scale) is v only if v's own shortest digits need no more
 * places (as in unitsOfNumber). False means "not proven": the caller reads v's digits.
 */
function fitsScale(v: number, scale: number): boolean {
  if (scale >= POW10_DOUBLE.length) return false; // 10^scale is no longer an exact double
  const p = scale < POW10_DOUBLE.length ? POW10_DOUBLE[scale]! : 10 ** scale;
  const d = Math.round(v * p);
  return Math.abs(d) < 2 ** 51 && d / p === v;
}

/** The most decimal places any run time or unit quantity of the table needs. */
export function quantityScale(t: AttemptTable): number {
  let s = 0;
  for (let i = 0; i < t.size; i++) {
    const v = t.runSeconds[i]!;
    if (v === v && !Number.isInteger(v) && !fitsScale(v, s)) s = Math.max(s, scaleOfNumber(v));
  }
  for (const x of t.rare.values()) if (x.runText !== undefined) s = Math.max(s, scaleOf(parseDecimal(x.runText) ?? ZERO));
  for (const u of t.unitSets) for (const q of Object.values(u)) s = Math.max(s, scaleOf(readQuantity(q) ?? ZERO));
  return s;
}
