import { exactDouble, type Units } from "../core/index.js";

/**
 * A quantity as the spec writes it, a JSON number, where the number is exactly the decimal the
 * provider gave ("7.75" → 7.75); otherwise the exact text (more digits than a double holds).
 */
export function quantity(text: string): number | string {
  return exactDouble(text) ?? text;
}

/** Each quantity of a unit set as `quantity` writes it. */
export function quantities(units: Units): Units {
  const out: Record<string, number | string> = {};
  for (const [k, v] of Object.entries(units)) out[k] = typeof v === "string" ? quantity(v) : v;
  return out;
}
