import { parseTimestamp } from "../../core/index.js";

/** The time as µs since the epoch; NaN when it cannot be read (it then never wins a comparison). */
export function micros(t: string): number {
  const p = parseTimestamp(t);
  return typeof p === "string" ? Number.NaN : p.micros;
}

/** The earliest of the times given (the first of equal ones), or undefined when none is. */
export function earliest(...times: (string | undefined)[]): string | undefined {
  let best: string | undefined;
  for (const t of times) if (t !== undefined && (best === undefined || micros(t) < micros(best))) best = t;
  return best;
}

/** The latest of the times given (the first of equal ones), or undefined when none is. */
export function latest(...times: (string | undefined)[]): string | undefined {
  let best: string | undefined;
  for (const t of times) if (t !== undefined && (best === undefined || micros(t) > micros(best))) best = t;
  return best;
}
