import { decimalFromNumber, parseDecimal, type Decimal } from "../decimal.js";

/** Reads a quantity (a JSON number or decimal text) exactly; undefined if it is neither. */
export function readQuantity(v: number | string): Decimal | undefined {
  return typeof v === "number" ? decimalFromNumber(v) : parseDecimal(v);
}
