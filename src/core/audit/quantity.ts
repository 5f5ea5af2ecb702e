import { decimalFromNumber, parseDecimal, provenUnits, scaleOf, ZERO, type Decimal } from "../decimal.js";
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

/** The most decimal places any run time or unit quantity of the table needs. */
export function quantityScale(t: AttemptTable): number {
  let s = 0;
  for (let i = 0; i < t.size; i++) {
    const v = t.runSeconds[i]!;
    if (v === v && !Number.isInteger(v) && provenUnits(v, s) === undefined) s = Math.max(s, scaleOfNumber(v));
  }
  for (const x of t.rare.values()) if (x.runText !== undefined) s = Math.max(s, scaleOf(parseDecimal(x.runText) ?? ZERO));
  for (const u of t.unitSets) for (const q of Object.values(u)) s = Math.max(s, scaleOf(readQuantity(q) ?? ZERO));
  return s;
}
